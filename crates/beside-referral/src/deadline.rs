//! Referral deadlines (the brief's "Field realities": red flags and services have response
//! times; a referral past its due time belongs on the case worker's list of overdue work, with
//! the figures).
//!
//! A referral carries its response times ([`Referral::response_times`]), set when it is proposed
//! from what was known then ([`response_times_for`]). Each is a rule of three parts, each a named
//! function here:
//!
//! - **when the clock starts** ([`clock_start`]): a red flag's at the assessment that raised it;
//!   a service's own response time when the referral is sent (before that the provider has
//!   nothing to answer);
//! - **what stops it** ([`answered_at`]): a red flag is answered when a provider accepts; a
//!   service's response time when the provider answers, accepting or declining;
//! - **what is overdue** ([`overdue`]): an open referral whose clock has started, that is not
//!   answered, and whose due time (start + minutes) is before `now`.
//!
//! A referral that is no longer open (declined, withdrawn, closed, completed) is nobody's late
//! work, whatever its deadlines: a declined red-flag referral leaves the need open, which the
//! plan and the prioritisation show, not this list.

use crate::directory::Service;
use crate::lifecycle::{Referral, ReferralState};
use beside_core::{
    CaseId, DomainKey, OrganizationId, ReferralId, ServiceId, Timestamp, Validate, Validator,
};
use beside_needs::config::MAX_RESPONSE_MINUTES;
use beside_needs::{PriorityItem, PriorityReason, RedFlag};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A response time a referral carries: how long, and from when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ResponseTime {
    /// A red flag of her assessment: a provider must accept within the flag's response time of
    /// the assessment that raised it.
    RedFlag {
        /// The flag.
        flag: RedFlag,
        /// When the assessment that raised it was made.
        raised_at: Timestamp,
        /// Respond within this many minutes (the needs configuration's rule for the flag).
        respond_within_minutes: u32,
    },
    /// The service's own response time: once the referral is sent, the provider answers
    /// (accepts or declines) within it.
    Service {
        /// Answer within this many minutes of being sent ([`Service::respond_within_minutes`]).
        respond_within_minutes: u32,
    },
}

impl ResponseTime {
    /// Stable key, the reason code of an overdue item.
    pub fn key(&self) -> &'static str {
        match self {
            ResponseTime::RedFlag { .. } => "red_flag",
            ResponseTime::Service { .. } => "service_response_time",
        }
    }

    /// The minutes allowed.
    pub fn minutes(&self) -> u32 {
        match self {
            ResponseTime::RedFlag {
                respond_within_minutes,
                ..
            }
            | ResponseTime::Service {
                respond_within_minutes,
            } => *respond_within_minutes,
        }
    }
}

impl Validate for ResponseTime {
    fn validate_with(&self, v: &mut Validator) {
        v.range(
            "respond_within_minutes",
            f64::from(self.minutes()),
            1.0,
            f64::from(MAX_RESPONSE_MINUTES),
        );
        if let ResponseTime::RedFlag { raised_at, .. } = self {
            v.not_future("raised_at", *raised_at);
        }
    }
}

/// The response times of a referral proposed for `item` (a need of her prioritisation, made at
/// `assessed_at`) to `service`: one per red flag raised for the need, then the service's own
/// when the directory gives one.
pub fn response_times_for(
    item: &PriorityItem,
    assessed_at: Timestamp,
    service: &Service,
) -> Vec<ResponseTime> {
    let flags = item.reasons.iter().filter_map(|r| match r {
        PriorityReason::RedFlag {
            flag,
            respond_within_minutes,
        } => Some(ResponseTime::RedFlag {
            flag: *flag,
            raised_at: assessed_at,
            respond_within_minutes: *respond_within_minutes,
        }),
        _ => None,
    });
    let own = service
        .respond_within_minutes
        .map(|respond_within_minutes| ResponseTime::Service {
            respond_within_minutes,
        });
    flags.chain(own).collect()
}

/// When the clock of `rt` starts for `referral`: a red flag's when it was raised; a service's
/// when the referral was (first) sent, `None` while it has not been.
pub fn clock_start(rt: &ResponseTime, referral: &Referral) -> Option<Timestamp> {
    match rt {
        ResponseTime::RedFlag { raised_at, .. } => Some(*raised_at),
        ResponseTime::Service { .. } => first_entered(referral, |s| *s == ReferralState::Sent),
    }
}

/// When `rt` was answered for `referral`: a red flag when a provider accepted; a service's
/// response time when the provider accepted or declined. `None` while unanswered.
pub fn answered_at(rt: &ResponseTime, referral: &Referral) -> Option<Timestamp> {
    match rt {
        ResponseTime::RedFlag { .. } => first_entered(referral, |s| *s == ReferralState::Accepted),
        ResponseTime::Service { .. } => first_entered(referral, |s| {
            matches!(s, ReferralState::Accepted | ReferralState::Declined { .. })
        }),
    }
}

/// The time of the first step of the history into a state that `is`.
fn first_entered(referral: &Referral, is: impl Fn(&ReferralState) -> bool) -> Option<Timestamp> {
    referral.history.iter().find(|t| is(&t.to)).map(|t| t.at)
}

/// The due time of a clock started at `start` for `minutes`; `None` past the last representable
/// time (never for validated input: start times are not in the future, minutes at most a year).
fn due_at(start: Timestamp, minutes: u32) -> Option<Timestamp> {
    start.checked_add_signed(chrono::Duration::minutes(i64::from(minutes)))
}

/// What an overdue referral waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Awaiting {
    /// The case worker has not sent it yet.
    Send,
    /// The provider has not answered.
    ProviderAnswer,
}

/// One late deadline of a referral, with its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LateDeadline {
    /// The response time, with its figures (the reason code is its `code`).
    pub response_time: ResponseTime,
    /// When its clock started.
    pub started_at: Timestamp,
    /// When it was due.
    pub due_at: Timestamp,
    /// How many whole minutes it is late at `now`.
    pub late_by_minutes: i64,
}

/// A referral on the case worker's list of late work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct OverdueReferral {
    /// The referral.
    pub referral_id: ReferralId,
    /// Its case.
    pub case_id: CaseId,
    /// The need it answers.
    pub need: DomainKey,
    /// The service.
    pub service_id: ServiceId,
    /// The provider.
    pub organization_id: OrganizationId,
    /// Where it stands.
    pub state: ReferralState,
    /// What it waits for.
    pub awaiting: Awaiting,
    /// When its earliest late deadline was due.
    pub due_at: Timestamp,
    /// How many whole minutes that deadline is late at `now` (at least 0).
    pub late_by_minutes: i64,
    /// Every late deadline, the earliest due first (never empty).
    pub late: Vec<LateDeadline>,
}

/// A referral's deadline whose due time is past the last representable time: its start time is
/// far in the future, which validation refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "referral `{referral}`: response_times[{index}] falls due after the last representable time"
)]
pub struct DeadlineError {
    /// The referral.
    pub referral: ReferralId,
    /// The position of the response time in [`Referral::response_times`].
    pub index: usize,
}

/// The late deadlines of `referral` at `now`, earliest due first; empty when it is closed or
/// every deadline is answered, not started or not yet due.
pub fn late_deadlines(
    referral: &Referral,
    now: Timestamp,
) -> Result<Vec<LateDeadline>, DeadlineError> {
    if !referral.state.is_open() {
        return Ok(Vec::new());
    }
    let mut late = Vec::new();
    for (index, rt) in referral.response_times.iter().enumerate() {
        let Some(started_at) = clock_start(rt, referral) else {
            continue;
        };
        if answered_at(rt, referral).is_some() {
            continue;
        }
        let due = due_at(started_at, rt.minutes()).ok_or_else(|| DeadlineError {
            referral: referral.id.clone(),
            index,
        })?;
        if due < now {
            late.push(LateDeadline {
                response_time: rt.clone(),
                started_at,
                due_at: due,
                late_by_minutes: (now - due).num_minutes(),
            });
        }
    }
    late.sort_by(|a, b| {
        a.due_at
            .cmp(&b.due_at)
            .then_with(|| a.response_time.key().cmp(b.response_time.key()))
    });
    Ok(late)
}

/// **Overdue work**: the open referrals with a late deadline at `now`, most late first (then by
/// referral id), each with every late deadline and its figures.
pub fn overdue(
    referrals: &[Referral],
    now: Timestamp,
) -> Result<Vec<OverdueReferral>, DeadlineError> {
    let mut out = Vec::new();
    for r in referrals {
        let late = late_deadlines(r, now)?;
        // The earliest due is the first: `late_deadlines` sorts them.
        let Some(&LateDeadline {
            due_at,
            late_by_minutes,
            ..
        }) = late.first()
        else {
            continue;
        };
        out.push(OverdueReferral {
            referral_id: r.id.clone(),
            case_id: r.case_id.clone(),
            need: r.need.clone(),
            service_id: r.service_id.clone(),
            organization_id: r.organization_id.clone(),
            state: r.state.clone(),
            awaiting: if r.state == ReferralState::Proposed {
                Awaiting::Send
            } else {
                Awaiting::ProviderAnswer
            },
            due_at,
            late_by_minutes,
            late,
        });
    }
    out.sort_by(|a, b| {
        b.late_by_minutes
            .cmp(&a.late_by_minutes)
            .then_with(|| a.referral_id.cmp(&b.referral_id))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{DeclineReason, ReferralEvent};
    use beside_core::{ConsentId, Validate};
    use chrono::{Duration, TimeZone, Utc};

    fn t0() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    fn minutes(m: i64) -> Timestamp {
        t0() + Duration::minutes(m)
    }

    fn red_flag(within: u32) -> ResponseTime {
        ResponseTime::RedFlag {
            flag: RedFlag::ImmediateDanger,
            raised_at: t0(),
            respond_within_minutes: within,
        }
    }

    fn referral(id: &str, response_times: Vec<ResponseTime>) -> Referral {
        let mut r = Referral::propose(
            ReferralId::new(id).unwrap(),
            CaseId::new("case-01").unwrap(),
            DomainKey::new("safety").unwrap(),
            ServiceId::new("s1").unwrap(),
            OrganizationId::new("o1").unwrap(),
            t0(),
        )
        .with_response_times(response_times);
        r.consent_ids.push(ConsentId::new("c1").unwrap());
        r
    }

    #[test]
    fn an_unsent_red_flag_referral_is_late_with_its_figures() {
        let r = referral("r1", vec![red_flag(180)]);
        assert!(overdue(std::slice::from_ref(&r), minutes(180))
            .unwrap()
            .is_empty());
        let late = overdue(&[r], minutes(250)).unwrap();
        assert_eq!(late.len(), 1);
        let item = &late[0];
        assert_eq!(item.awaiting, Awaiting::Send);
        assert_eq!(item.due_at, minutes(180));
        assert_eq!(item.late_by_minutes, 70);
        assert_eq!(item.late[0].response_time.key(), "red_flag");
        assert_eq!(item.late[0].started_at, t0());
    }

    #[test]
    fn acceptance_answers_a_red_flag_even_when_late() {
        let sent = referral("r1", vec![red_flag(60)])
            .apply(&ReferralEvent::Send, minutes(10), None)
            .unwrap();
        assert_eq!(
            overdue(std::slice::from_ref(&sent), minutes(61))
                .unwrap()
                .len(),
            1
        );
        let accepted = sent
            .apply(&ReferralEvent::Accept, minutes(90), None)
            .unwrap();
        assert_eq!(answered_at(&red_flag(60), &accepted), Some(minutes(90)));
        assert!(overdue(&[accepted], minutes(500)).unwrap().is_empty());
    }

    #[test]
    fn a_service_clock_starts_when_sent_and_stops_at_any_answer() {
        let own = ResponseTime::Service {
            respond_within_minutes: 24 * 60,
        };
        let proposed = referral("r1", vec![own.clone()]);
        assert_eq!(clock_start(&own, &proposed), None);
        assert!(overdue(std::slice::from_ref(&proposed), minutes(10_000))
            .unwrap()
            .is_empty());
        let sent = proposed
            .apply(&ReferralEvent::Send, minutes(100), None)
            .unwrap();
        assert!(overdue(std::slice::from_ref(&sent), minutes(100 + 24 * 60))
            .unwrap()
            .is_empty());
        let late = overdue(std::slice::from_ref(&sent), minutes(101 + 24 * 60)).unwrap();
        assert_eq!(late[0].awaiting, Awaiting::ProviderAnswer);
        assert_eq!(late[0].late_by_minutes, 1);
        // A decline answers the provider's clock, and the referral is closed besides.
        let declined = sent
            .apply(
                &ReferralEvent::Decline {
                    reason: DeclineReason::NoCapacity,
                },
                minutes(5000),
                None,
            )
            .unwrap();
        assert_eq!(answered_at(&own, &declined), Some(minutes(5000)));
        assert!(overdue(&[declined], minutes(9000)).unwrap().is_empty());
    }

    #[test]
    fn most_late_first_then_by_id_with_every_late_deadline() {
        let own = ResponseTime::Service {
            respond_within_minutes: 30,
        };
        let a = referral("a", vec![red_flag(120)]);
        let b = referral("b", vec![own, red_flag(60)])
            .apply(&ReferralEvent::Send, minutes(0), None)
            .unwrap();
        let c = referral("c", vec![red_flag(120)]);
        let late = overdue(&[c, b, a], minutes(200)).unwrap();
        let ids: Vec<_> = late.iter().map(|o| o.referral_id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "c"]);
        // b: the service's 30 minutes fell due first, then the red flag's 60.
        let keys: Vec<_> = late[0].late.iter().map(|l| l.response_time.key()).collect();
        assert_eq!(keys, ["service_response_time", "red_flag"]);
        assert_eq!(late[0].late_by_minutes, 170);
    }

    #[test]
    fn response_times_come_from_red_flags_and_the_service() {
        let assessment: beside_needs::Assessment = beside_core::json::from_json_at(
            r#"{"id": "a1", "case_id": "case-01", "assessed_at": "2026-03-01T09:00:00Z",
                "assessed_by": "w1", "ratings": [{"domain": "safety", "rating": {"level": 1}}],
                "red_flags": ["immediate_danger"]}"#,
            minutes(1),
        )
        .unwrap();
        let p = beside_needs::Prioritiser::standard()
            .prioritise(&assessment)
            .unwrap();
        let item = p.item("safety").unwrap();
        let mut service: Service = crate::synthetic::directory(1, 1).services.remove(0);
        service.respond_within_minutes = Some(48 * 60);
        assert_eq!(
            response_times_for(item, p.assessed_at, &service),
            vec![
                ResponseTime::RedFlag {
                    flag: RedFlag::ImmediateDanger,
                    raised_at: t0(),
                    respond_within_minutes: 3 * 60,
                },
                ResponseTime::Service {
                    respond_within_minutes: 48 * 60,
                },
            ]
        );
    }

    #[test]
    fn bad_response_times_are_refused_by_name() {
        let r = referral("r1", vec![red_flag(0)]);
        let e = r.validate_at(minutes(1)).unwrap_err().to_string();
        assert!(
            e.contains("response_times[0].respond_within_minutes"),
            "{e}"
        );
        let typo = r#"{"code": "service", "respond_within_minute": 5}"#;
        let e = beside_core::json::from_json_at::<ResponseTime>(typo, minutes(1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("respond_within_minute"), "{e}");
    }

    proptest::proptest! {
        /// Whatever the events and times: only open referrals are listed, each late deadline
        /// is started, unanswered and due before `now`, and the list does not depend on the
        /// order the referrals are given in.
        #[test]
        fn overdue_lists_only_open_late_unanswered_work(
            plans in proptest::collection::vec(
                (proptest::collection::vec(0u8..4, 0..4), 1u32..600, 1u32..600, 0i64..2000),
                0..8,
            ),
            now in 0i64..3000,
        ) {
            let mut rs = Vec::new();
            for (i, (events, flag, own, step)) in plans.iter().enumerate() {
                let mut r = referral(
                    &format!("r{i}"),
                    vec![red_flag(*flag), ResponseTime::Service { respond_within_minutes: *own }],
                );
                for (k, e) in events.iter().enumerate() {
                    let event = match e {
                        0 => ReferralEvent::Send,
                        1 => ReferralEvent::Accept,
                        2 => ReferralEvent::Decline { reason: DeclineReason::NoCapacity },
                        _ => ReferralEvent::Start,
                    };
                    if let Ok(next) = r.apply(&event, minutes(step * (k as i64 + 1) / 4), None) {
                        r = next;
                    }
                }
                rs.push(r);
            }
            let now = minutes(now);
            let listed = overdue(&rs, now).unwrap();
            for item in &listed {
                let r = rs.iter().find(|r| r.id == item.referral_id).unwrap();
                proptest::prop_assert!(r.state.is_open());
                proptest::prop_assert!(!item.late.is_empty());
                for l in &item.late {
                    proptest::prop_assert!(l.due_at < now);
                    proptest::prop_assert!(answered_at(&l.response_time, r).is_none());
                    proptest::prop_assert_eq!(clock_start(&l.response_time, r), Some(l.started_at));
                }
            }
            // And nothing late is missing: every open referral with a started, unanswered
            // response time due before `now` is listed.
            for r in rs.iter().filter(|r| r.state.is_open()) {
                let late = r.response_times.iter().any(|rt| {
                    answered_at(rt, r).is_none()
                        && clock_start(rt, r).is_some_and(|s| {
                            s + Duration::minutes(i64::from(rt.minutes())) < now
                        })
                });
                proptest::prop_assert_eq!(late, listed.iter().any(|o| o.referral_id == r.id));
            }
            rs.reverse();
            proptest::prop_assert_eq!(overdue(&rs, now).unwrap(), listed);
        }
    }
}
