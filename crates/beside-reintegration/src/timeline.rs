//! A dated timeline of events drives each phase's status, and gives the time spent in each.
//!
//! Events are applied in date order (several on one day keep the order given). An event dated
//! before the one before it, of another case, with a repeated id, in the future, or one that
//! would move a phase in a way [`next_status`] forbids, is refused with a typed error and the
//! journey stays as it was.

use crate::error::ReintegrationError;
use crate::phase::{next_status, Phase, PhaseEffect, PhaseStatus};
use beside_core::{
    AssessmentId, CaseId, EventId, Reason, ReturnRoute, TimeZone, Timestamp, Validate,
    ValidationErrors, Validator,
};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most events accepted in one journey.
pub const MAX_EVENTS: usize = 10_000;
/// Most risk inputs one timeline may hold.
pub const MAX_RISK_INPUTS: usize = 1000;

/// How a court case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CaseResult {
    /// A conviction.
    Conviction,
    /// Compensation was awarded.
    Compensation,
    /// A settlement the person accepted.
    Settlement,
    /// Dismissed, or the accused acquitted.
    Dismissed,
    /// The person withdrew (often for cost, time or pressure): their choice.
    WithdrawnByPerson,
}

/// What set a phase back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SetbackCause {
    /// The family rejected or blamed the person.
    FamilyRejection,
    /// Stigma or exclusion in the community.
    CommunityStigma,
    /// Income or a job was lost.
    LostIncome,
    /// Physical or mental health got worse.
    HealthRelapse,
    /// Threats or harassment, from perpetrators or others.
    ThreatOrHarassment,
    /// The person migrated again.
    ReMigration,
    /// Something else.
    Other,
}

impl SetbackCause {
    /// Every cause, in declaration order.
    pub const ALL: [SetbackCause; 7] = [
        SetbackCause::FamilyRejection,
        SetbackCause::CommunityStigma,
        SetbackCause::LostIncome,
        SetbackCause::HealthRelapse,
        SetbackCause::ThreatOrHarassment,
        SetbackCause::ReMigration,
        SetbackCause::Other,
    ];
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// The person came home (achieves the return phase).
    Returned {
        /// How.
        route: ReturnRoute,
    },
    /// A needs assessment was made (moves no phase; links the timeline to the assessment).
    Assessed {
        /// The assessment.
        assessment_id: AssessmentId,
    },
    /// A referral was made for a phase (works on it).
    Referred {
        /// The phase.
        phase: Phase,
    },
    /// A service was received (works on the phase).
    ServiceReceived {
        /// The phase.
        phase: Phase,
    },
    /// A court case was filed (works on justice).
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    CaseFiled,
    /// A court case was closed.
    CaseClosed {
        /// How it ended: conviction, compensation or settlement achieve justice; dismissal is
        /// a setback; withdrawal by the person declines the phase.
        result: CaseResult,
    },
    /// The person joined a survivor group (works on peer support).
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    JoinedSurvivorGroup,
    /// The person took a leadership role in a survivor group (achieves peer support).
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    TookLeadershipRole,
    /// A phase was reached (family acceptance, a stable income…).
    PhaseAchieved {
        /// The phase.
        phase: Phase,
    },
    /// A phase went backwards.
    SetbackOccurred {
        /// The phase.
        phase: Phase,
        /// Why.
        cause: SetbackCause,
    },
    /// The person chose not to pursue a phase.
    DeclinedByPerson {
        /// The phase.
        phase: Phase,
    },
    /// The person took up a phase they had declined.
    Resumed {
        /// The phase.
        phase: Phase,
    },
}

impl EventKind {
    /// Stable key.
    pub fn key(&self) -> &'static str {
        match self {
            EventKind::Returned { .. } => "returned",
            EventKind::Assessed { .. } => "assessed",
            EventKind::Referred { .. } => "referred",
            EventKind::ServiceReceived { .. } => "service_received",
            EventKind::CaseFiled => "case_filed",
            EventKind::CaseClosed { .. } => "case_closed",
            EventKind::JoinedSurvivorGroup => "joined_survivor_group",
            EventKind::TookLeadershipRole => "took_leadership_role",
            EventKind::PhaseAchieved { .. } => "phase_achieved",
            EventKind::SetbackOccurred { .. } => "setback_occurred",
            EventKind::DeclinedByPerson { .. } => "declined_by_person",
            EventKind::Resumed { .. } => "resumed",
        }
    }

    /// The phase this event moves and how, if any.
    pub fn effect(&self) -> Option<(Phase, PhaseEffect)> {
        use PhaseEffect as E;
        match *self {
            EventKind::Returned { .. } => Some((Phase::Return, E::Achieve)),
            EventKind::Assessed { .. } => None,
            EventKind::Referred { phase } | EventKind::ServiceReceived { phase } => {
                Some((phase, E::Work))
            }
            EventKind::CaseFiled => Some((Phase::Justice, E::Work)),
            EventKind::CaseClosed { result } => Some((
                Phase::Justice,
                match result {
                    CaseResult::Conviction | CaseResult::Compensation | CaseResult::Settlement => {
                        E::Achieve
                    }
                    CaseResult::Dismissed => E::Setback,
                    CaseResult::WithdrawnByPerson => E::Decline,
                },
            )),
            EventKind::JoinedSurvivorGroup => Some((Phase::PeerSupport, E::Work)),
            EventKind::TookLeadershipRole => Some((Phase::PeerSupport, E::Achieve)),
            EventKind::PhaseAchieved { phase } => Some((phase, E::Achieve)),
            EventKind::SetbackOccurred { phase, .. } => Some((phase, E::Setback)),
            EventKind::DeclinedByPerson { phase } => Some((phase, E::Decline)),
            EventKind::Resumed { phase } => Some((phase, E::Resume)),
        }
    }
}

/// One dated event in a person's journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct TimelineEvent {
    /// The event's id.
    pub id: EventId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// The day it happened.
    pub on: NaiveDate,
    /// What happened.
    pub event: EventKind,
    /// A short note, when useful.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The app's own fields; Beside keeps them and never reads them. Any JSON, bounded only by
    /// the input size limit; every other unknown key is refused.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Validate for TimelineEvent {
    /// Checks the date is not in the future and the note is short plain text.
    fn validate_with(&self, v: &mut Validator) {
        v.not_future_date("on", self.on);
        if let Some(n) = &self.note {
            v.text("note", n, 500);
        }
    }
}

/// Days spent in each status that has a duration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct StatusDays {
    /// Days in progress.
    pub in_progress: u32,
    /// Days achieved.
    pub achieved: u32,
    /// Days in setback.
    pub setback: u32,
    /// Days declined.
    pub declined: u32,
}

impl StatusDays {
    fn add(&mut self, status: PhaseStatus, days: u32) {
        let slot = match status {
            PhaseStatus::NotStarted => return,
            PhaseStatus::InProgress => &mut self.in_progress,
            PhaseStatus::Achieved => &mut self.achieved,
            PhaseStatus::Setback => &mut self.setback,
            PhaseStatus::Declined => &mut self.declined,
        };
        *slot = slot.saturating_add(days);
    }
}

/// One phase's state in a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PhaseState {
    /// The phase.
    pub phase: Phase,
    /// Its current status.
    pub status: PhaseStatus,
    /// The day the current status began; absent while not started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    /// Days spent in earlier statuses (the current one is counted by [`Journey::time_in_phases`]).
    pub past_days: StatusDays,
}

/// Time spent in one phase up to a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PhaseTime {
    /// The phase.
    pub phase: Phase,
    /// Its status on that day.
    pub status: PhaseStatus,
    /// The day the status began; absent while not started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    /// Days in each status, the current one included.
    pub days: StatusDays,
    /// Days of active work: in progress plus setback.
    pub active_days: u32,
}

/// One person's journey through the phases, built from their timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Journey {
    /// The case.
    pub case_id: CaseId,
    /// One state per phase, in [`Phase::ALL`] order.
    pub phases: Vec<PhaseState>,
    /// The events applied, in order.
    pub events: Vec<TimelineEvent>,
}

fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days().max(0)).unwrap_or(u32::MAX)
}

impl Journey {
    /// A journey with every phase not started.
    pub fn new(case_id: CaseId) -> Self {
        Self {
            case_id,
            phases: Phase::ALL
                .iter()
                .map(|&phase| PhaseState {
                    phase,
                    status: PhaseStatus::NotStarted,
                    since: None,
                    past_days: StatusDays::default(),
                })
                .collect(),
            events: Vec::new(),
        }
    }

    /// Build a journey from a whole timeline, judging "in the future" against `now` on the UTC
    /// date (where the case's place is not known; see [`Journey::replay_in`]). Every field
    /// problem is reported at once (paths `events[i]…`); otherwise the first impossible
    /// transition is.
    pub fn replay(
        case_id: CaseId,
        events: &[TimelineEvent],
        now: Timestamp,
    ) -> Result<Self, ReintegrationError> {
        Self::replay_in(case_id, events, now, TimeZone::UTC)
    }

    /// [`Journey::replay`], judging "in the future" against the day it is at `now` in `zone`
    /// (the case's place): an event dated today in Dhaka is not in the future there.
    pub fn replay_in(
        case_id: CaseId,
        events: &[TimelineEvent],
        now: Timestamp,
        zone: TimeZone,
    ) -> Result<Self, ReintegrationError> {
        let mut v = Validator::new_in(now, zone);
        v.field("events", |v| {
            if events.len() > MAX_EVENTS {
                v.report(Reason::TooMany {
                    max: MAX_EVENTS,
                    got: events.len(),
                });
            }
        });
        v.unique("events", events.iter().map(|e| e.id.as_str()));
        v.field("events", |v| {
            let mut previous: Option<NaiveDate> = None;
            for (i, e) in events.iter().enumerate() {
                v.index(i, |v| check_event(v, &case_id, e, previous));
                previous = Some(previous.map_or(e.on, |p| p.max(e.on)));
            }
        });
        v.finish()?;
        let mut journey = Journey::new(case_id);
        for (i, e) in events.iter().enumerate() {
            journey.transition(i, e)?;
        }
        Ok(journey)
    }

    /// Apply one more event, judging "in the future" against `now` on the UTC date (where the
    /// case's place is not known; see [`Journey::apply_in`]). When it is refused the journey is
    /// left exactly as it was.
    pub fn apply(
        &mut self,
        event: TimelineEvent,
        now: Timestamp,
    ) -> Result<(), ReintegrationError> {
        self.apply_in(event, now, TimeZone::UTC)
    }

    /// [`Journey::apply`], judging "in the future" against the day it is at `now` in `zone`.
    pub fn apply_in(
        &mut self,
        event: TimelineEvent,
        now: Timestamp,
        zone: TimeZone,
    ) -> Result<(), ReintegrationError> {
        let index = self.events.len();
        let mut v = Validator::new_in(now, zone);
        v.field("events", |v| {
            if index >= MAX_EVENTS {
                v.report(Reason::TooMany {
                    max: MAX_EVENTS,
                    got: index.saturating_add(1),
                });
            }
            v.index(index, |v| {
                check_event(v, &self.case_id, &event, self.last_event_on());
                if self.events.iter().any(|e| e.id == event.id) {
                    v.report_at(
                        "id",
                        Reason::Duplicate {
                            value: event.id.to_string(),
                        },
                    );
                }
            });
        });
        v.finish()?;
        self.transition(index, &event)
    }

    fn last_event_on(&self) -> Option<NaiveDate> {
        self.events.last().map(|e| e.on)
    }

    /// Check the transition, then (only if it is possible) record it and the event.
    fn transition(
        &mut self,
        index: usize,
        event: &TimelineEvent,
    ) -> Result<(), ReintegrationError> {
        if let Some((phase, effect)) = event.event.effect() {
            let state = self.phases.get_mut(phase.index()).ok_or_else(|| {
                ReintegrationError::from(ValidationErrors::from(beside_core::FieldError::new(
                    "phases",
                    Reason::Required {
                        what: format!("a state for phase `{}`", phase.key()),
                    },
                )))
            })?;
            let from = state.status;
            let to = next_status(from, effect).ok_or_else(|| {
                ReintegrationError::ImpossibleTransition {
                    index,
                    event_id: event.id.clone(),
                    phase,
                    from,
                    effect,
                }
            })?;
            if to != from {
                if let Some(since) = state.since {
                    state.past_days.add(from, days_between(since, event.on));
                }
                state.status = to;
                state.since = Some(event.on);
            }
        }
        self.events.push(event.clone());
        Ok(())
    }

    /// The state of `phase`.
    pub fn phase(&self, phase: Phase) -> Option<&PhaseState> {
        self.phases.get(phase.index())
    }

    /// Time spent in each phase up to `as_of` (a day before the current status began counts
    /// nothing for it), in [`Phase::ALL`] order.
    pub fn time_in_phases(&self, as_of: NaiveDate) -> Vec<PhaseTime> {
        self.phases
            .iter()
            .map(|s| {
                let mut days = s.past_days;
                if let Some(since) = s.since {
                    days.add(s.status, days_between(since, as_of));
                }
                PhaseTime {
                    phase: s.phase,
                    status: s.status,
                    since: s.since,
                    days,
                    active_days: days.in_progress.saturating_add(days.setback),
                }
            })
            .collect()
    }
}

/// Field checks of one event at the current path: valid, of this case, not before `previous`.
fn check_event(
    v: &mut Validator,
    case_id: &CaseId,
    e: &TimelineEvent,
    previous: Option<NaiveDate>,
) {
    e.validate_with(v);
    if &e.case_id != case_id {
        v.report_at(
            "case_id",
            Reason::Invalid {
                expected: format!("an event of case `{case_id}`"),
                value: e.case_id.to_string(),
            },
        );
    }
    if let Some(p) = previous {
        v.not_before("on", &e.on, "the previous event's date", &p);
    }
}

/// A case's recorded timeline and risk inputs, as an app stores them or a sample file holds
/// them. It validates only if its events replay without an impossible transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CaseTimeline {
    /// The case.
    pub case_id: CaseId,
    /// Its events, in date order.
    pub events: Vec<TimelineEvent>,
    /// Risk inputs recorded over time, in date order (the last is the current one).
    #[serde(default)]
    pub risk_inputs: Vec<crate::risk::RiskInputs>,
    /// The time zone of the case's place (an IANA id such as `Asia/Dhaka`): "today" is the day
    /// it is there. When absent the place is not known here, and days are read in the
    /// validator's zone ([`CaseTimeline::journey`]: UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
}

impl CaseTimeline {
    /// Replay the events into a journey, judging "in the future" against the day it is at
    /// `now` on the timeline's calendar (its `time_zone`, or UTC when none is given).
    pub fn journey(&self, now: Timestamp) -> Result<Journey, ReintegrationError> {
        Journey::replay_in(
            self.case_id.clone(),
            &self.events,
            now,
            self.time_zone.unwrap_or(TimeZone::UTC),
        )
    }

    /// The current risk inputs: the latest recorded.
    pub fn latest_risk_inputs(&self) -> Option<&crate::risk::RiskInputs> {
        self.risk_inputs.last()
    }
}

impl Validate for CaseTimeline {
    /// Days are judged on the timeline's own calendar when it gives a `time_zone`, else on the
    /// validator's.
    fn validate_with(&self, v: &mut Validator) {
        let zone = self.time_zone.unwrap_or(v.time_zone());
        v.in_time_zone(zone, |v| self.check(v));
    }
}

impl CaseTimeline {
    fn check(&self, v: &mut Validator) {
        v.max_items("events", &self.events, MAX_EVENTS);
        v.unique("events", self.events.iter().map(|e| e.id.as_str()));
        v.field("events", |v| {
            let mut previous: Option<NaiveDate> = None;
            for (i, e) in self.events.iter().enumerate() {
                v.index(i, |v| check_event(v, &self.case_id, e, previous));
                previous = Some(previous.map_or(e.on, |p| p.max(e.on)));
            }
        });
        v.max_items("risk_inputs", &self.risk_inputs, MAX_RISK_INPUTS);
        v.field("risk_inputs", |v| {
            let mut previous: Option<NaiveDate> = None;
            for (i, r) in self.risk_inputs.iter().enumerate() {
                v.index(i, |v| {
                    r.validate_with(v);
                    if r.case_id != self.case_id {
                        v.report_at(
                            "case_id",
                            Reason::Invalid {
                                expected: format!("risk inputs of case `{}`", self.case_id),
                                value: r.case_id.to_string(),
                            },
                        );
                    }
                    if let Some(p) = previous {
                        v.not_before(
                            "recorded_on",
                            &r.recorded_on,
                            "the previous inputs' date",
                            &p,
                        );
                    }
                });
                previous = Some(r.recorded_on);
            }
        });
        if v.is_clean() {
            let mut journey = Journey::new(self.case_id.clone());
            for (i, e) in self.events.iter().enumerate() {
                if let Err(ReintegrationError::ImpossibleTransition {
                    phase,
                    from,
                    effect,
                    ..
                }) = journey.transition(i, e)
                {
                    v.field("events", |v| {
                        v.index(i, |v| {
                            v.report_at(
                                "event",
                                Reason::Invalid {
                                    expected: format!(
                                        "an event phase `{}` allows while `{}`",
                                        phase.key(),
                                        from.key()
                                    ),
                                    value: format!("{} ({})", e.event.key(), effect.key()),
                                },
                            )
                        })
                    });
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone as _, Utc};

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
    }

    fn ev(id: &str, on: &str, event: EventKind) -> TimelineEvent {
        TimelineEvent {
            extra: std::collections::BTreeMap::new(),
            id: EventId::new(id).unwrap(),
            case_id: CaseId::new("case-01").unwrap(),
            on: on.parse().unwrap(),
            event,
            note: None,
        }
    }

    fn case() -> CaseId {
        CaseId::new("case-01").unwrap()
    }

    /// An event dated today in Dhaka is not in the future there, though the UTC date is still
    /// the day before; a timeline that carries its zone is checked on it.
    #[test]
    fn events_are_judged_on_the_local_day() {
        let at = Utc.with_ymd_and_hms(2026, 3, 14, 18, 30, 0).unwrap();
        let dhaka = TimeZone::new("Asia/Dhaka").unwrap();
        let events = vec![ev("e1", "2026-03-15", EventKind::CaseFiled)];
        assert!(Journey::replay_in(case(), &events, at, dhaka).is_ok());
        let e = Journey::replay(case(), &events, at)
            .unwrap_err()
            .to_string();
        assert!(e.contains("events[0].on: must not be in the future"), "{e}");
        let mut j = Journey::new(case());
        assert!(j.apply_in(events[0].clone(), at, dhaka).is_ok());
        let timeline = CaseTimeline {
            case_id: case(),
            events,
            risk_inputs: vec![],
            time_zone: Some(dhaka),
        };
        assert!(timeline.validate_at(at).is_ok());
        assert!(timeline.journey(at).is_ok());
        let utc = CaseTimeline {
            time_zone: None,
            ..timeline
        };
        assert!(utc.validate_at(at).is_err());
        assert!(utc.validate_at_in(at, dhaka).is_ok());
    }

    #[test]
    fn replay_tracks_status_and_days() {
        let events = vec![
            ev(
                "e1",
                "2025-01-01",
                EventKind::Returned {
                    route: ReturnRoute::OwnWay,
                },
            ),
            ev(
                "e2",
                "2025-01-11",
                EventKind::Referred {
                    phase: Phase::BasicServices,
                },
            ),
            ev(
                "e3",
                "2025-02-10",
                EventKind::PhaseAchieved {
                    phase: Phase::BasicServices,
                },
            ),
            ev(
                "e4",
                "2025-03-01",
                EventKind::SetbackOccurred {
                    phase: Phase::BasicServices,
                    cause: SetbackCause::HealthRelapse,
                },
            ),
            ev(
                "e5",
                "2025-03-01",
                EventKind::DeclinedByPerson {
                    phase: Phase::Justice,
                },
            ),
        ];
        let j = Journey::replay(case(), &events, now()).unwrap();
        let t = j.time_in_phases("2025-03-11".parse().unwrap());
        let bs = &t[Phase::BasicServices.index()];
        assert_eq!(bs.status, PhaseStatus::Setback);
        assert_eq!(bs.days.in_progress, 30);
        assert_eq!(bs.days.achieved, 19);
        assert_eq!(bs.days.setback, 10);
        assert_eq!(bs.active_days, 40);
        assert_eq!(t[Phase::Justice.index()].status, PhaseStatus::Declined);
        assert_eq!(t[Phase::Return.index()].days.achieved, 69);
        assert_eq!(
            t[Phase::PeerSupport.index()].status,
            PhaseStatus::NotStarted
        );
    }

    #[test]
    fn referral_cannot_override_a_decline_and_state_is_kept() {
        let mut j = Journey::new(case());
        j.apply(
            ev(
                "e1",
                "2025-01-01",
                EventKind::DeclinedByPerson {
                    phase: Phase::Justice,
                },
            ),
            now(),
        )
        .unwrap();
        let before = j.clone();
        let err = j
            .apply(ev("e2", "2025-01-02", EventKind::CaseFiled), now())
            .unwrap_err();
        assert!(matches!(
            err,
            ReintegrationError::ImpossibleTransition {
                index: 1,
                phase: Phase::Justice,
                from: PhaseStatus::Declined,
                effect: PhaseEffect::Work,
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "events[1] (`e2`): cannot work phase `justice` while it is `declined`"
        );
        assert_eq!(j, before);
        j.apply(
            ev(
                "e2",
                "2025-01-02",
                EventKind::Resumed {
                    phase: Phase::Justice,
                },
            ),
            now(),
        )
        .unwrap();
        j.apply(ev("e3", "2025-01-03", EventKind::CaseFiled), now())
            .unwrap();
        assert_eq!(
            j.phase(Phase::Justice).unwrap().status,
            PhaseStatus::InProgress
        );
    }

    #[test]
    fn out_of_order_other_case_duplicate_and_future_are_field_errors() {
        let mut other = ev("e3", "2025-01-03", EventKind::CaseFiled);
        other.case_id = CaseId::new("case-02").unwrap();
        let events = vec![
            ev("e1", "2025-02-01", EventKind::CaseFiled),
            ev("e2", "2025-01-01", EventKind::CaseFiled),
            other,
            ev("e1", "2027-01-01", EventKind::CaseFiled),
        ];
        let Err(ReintegrationError::Invalid { errors }) = Journey::replay(case(), &events, now())
        else {
            panic!("expected field errors");
        };
        assert!(errors.has_path("events[1].on"), "{errors}");
        assert!(errors.has_path("events[2].case_id"), "{errors}");
        assert!(errors.has_path("events[2].on"), "{errors}");
        assert!(errors.has_path("events[3]"), "{errors}");
        assert!(errors.has_path("events[3].on"), "{errors}");
        let mut j = Journey::new(case());
        j.apply(ev("e1", "2025-02-01", EventKind::CaseFiled), now())
            .unwrap();
        let err = j
            .apply(ev("e2", "2025-01-01", EventKind::CaseFiled), now())
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("events[1].on: must not be before"),
            "{err}"
        );
        let err = j
            .apply(ev("e1", "2025-03-01", EventKind::CaseFiled), now())
            .unwrap_err();
        assert!(
            err.to_string().contains("events[1].id: duplicate `e1`"),
            "{err}"
        );
        assert_eq!(j.events.len(), 1);
    }

    #[test]
    fn setback_before_start_is_impossible() {
        let events = vec![ev(
            "e1",
            "2025-01-01",
            EventKind::SetbackOccurred {
                phase: Phase::Livelihood,
                cause: SetbackCause::LostIncome,
            },
        )];
        assert!(matches!(
            Journey::replay(case(), &events, now()),
            Err(ReintegrationError::ImpossibleTransition { index: 0, .. })
        ));
    }

    #[test]
    fn case_results() {
        let mk = |r| {
            Journey::replay(
                case(),
                &[
                    ev("a", "2025-01-01", EventKind::CaseFiled),
                    ev("b", "2025-06-01", EventKind::CaseClosed { result: r }),
                ],
                now(),
            )
            .unwrap()
            .phase(Phase::Justice)
            .unwrap()
            .status
        };
        assert_eq!(mk(CaseResult::Conviction), PhaseStatus::Achieved);
        assert_eq!(mk(CaseResult::Dismissed), PhaseStatus::Setback);
        assert_eq!(mk(CaseResult::WithdrawnByPerson), PhaseStatus::Declined);
    }

    #[test]
    fn json_round_trip() {
        let e = ev(
            "e1",
            "2025-01-01",
            EventKind::Referred {
                phase: Phase::Livelihood,
            },
        );
        let s = serde_json::to_string(&e).unwrap();
        assert_eq!(
            s,
            r#"{"id":"e1","case_id":"case-01","on":"2025-01-01","event":{"kind":"referred","phase":"livelihood"}}"#
        );
        let back: TimelineEvent = serde_json::from_str(&s).unwrap();
        assert_eq!(back, e);
    }
}
