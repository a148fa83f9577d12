//! Offline merge of a person's journey (the brief's "Field realities"; the shared rules are in
//! [`beside_core::merge`]).
//!
//! Timeline events are appended facts: the merge is the union of both phones' by id
//! ([`beside_core::merge::union_by_id`]), put in date order by [`timeline_order`] and replayed.
//! When the union is not a journey (one phone recorded a phase achieved, the other a setback in
//! it that day, and the two cannot follow each other), that is a conflict carrying both phones'
//! timelines, and the journey is one phone's whole, which was a valid journey there: the one
//! where the person declined a phase ([`declined_wins`]: her "not now" wins), else the later
//! edit's. No event is lost: the conflict holds the others.

use crate::error::ReintegrationError;
use crate::phase::PhaseEffect;
use crate::timeline::{Journey, TimelineEvent};
use beside_core::merge::{
    all_of_record, settle, to_value, union_by_id, Conflict, Kept, MergeError, Sides, Version,
};
use beside_core::{CaseId, TimeZone, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A merged journey and the conflicts flagged in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MergedJourney {
    /// The journey replayed from the merged events.
    pub journey: Journey,
    /// Two different edits of one event, or timelines that are not a journey together, each
    /// with both values, who and when.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

/// **Merge two phones' timelines of case `case_id`** (`base`: the events both last shared),
/// replaying the result with "in the future" judged at `now` on the calendar of `zone`.
///
/// Errors: an event of another case in any version; a merged timeline that fails its checks
/// when neither phone's own does (a bug in a merge rule).
pub fn merge_journeys(
    case_id: &CaseId,
    base: &[TimelineEvent],
    ours: &Version<Vec<TimelineEvent>>,
    theirs: &Version<Vec<TimelineEvent>>,
    now: Timestamp,
    zone: TimeZone,
) -> Result<MergedJourney, MergeError> {
    all_of_record("case_id", case_id.as_str(), base, ours, theirs, |e| {
        e.case_id.as_str()
    })?;
    let sides = Sides::of(ours, theirs);
    let mut conflicts = Vec::new();
    let union = union_by_id(
        "events",
        base,
        &ours.value,
        &theirs.value,
        |e| e.id.to_string(),
        &sides,
        &mut conflicts,
    )?;
    let events = timeline_order(union, &ours.value, &theirs.value);
    let replay = |events: &[TimelineEvent]| Journey::replay_in(case_id.clone(), events, now, zone);
    let journey = match replay(&events) {
        Ok(journey) => journey,
        Err(
            ReintegrationError::Invalid { .. } | ReintegrationError::ImpossibleTransition { .. },
        ) => {
            let (ov, tv) = (to_value(&ours.value)?, to_value(&theirs.value)?);
            let (kept, rule) = match declined_wins(base, &ours.value, &theirs.value) {
                Some(side) => (side, Kept::PersonDeclined),
                None => {
                    let later = settle(&ov, sides.ours.at, &tv, sides.theirs.at);
                    (
                        if later == &ov {
                            ours.value.as_slice()
                        } else {
                            theirs.value.as_slice()
                        },
                        Kept::LaterEdit,
                    )
                }
            };
            conflicts.push(sides.conflict("events", None, Some(&ov), Some(&tv), rule));
            replay(kept).map_err(|e| MergeError::Invalid {
                reason: e.to_string(),
            })?
        }
        Err(e) => {
            return Err(MergeError::Invalid {
                reason: e.to_string(),
            })
        }
    };
    Ok(MergedJourney { journey, conflicts })
}

/// **The person's "not now" wins**: of two timelines that are not a journey together, the one
/// where she declined a phase since the shared version, when only one has such a decline.
pub fn declined_wins<'t>(
    base: &[TimelineEvent],
    ours: &'t [TimelineEvent],
    theirs: &'t [TimelineEvent],
) -> Option<&'t [TimelineEvent]> {
    let declined = |side: &[TimelineEvent]| {
        side.iter().any(|e| {
            !base.iter().any(|b| b.id == e.id)
                && e.event
                    .effect()
                    .is_some_and(|(_, effect)| effect == PhaseEffect::Decline)
        })
    };
    match (declined(ours), declined(theirs)) {
        (true, false) => Some(ours),
        (false, true) => Some(theirs),
        _ => None,
    }
}

/// **The order of a merged timeline**: by date; on one date, in the order the phones recorded
/// them (an event's earlier position on either phone), then by id — the same whichever phone
/// merges.
pub fn timeline_order(
    mut events: Vec<TimelineEvent>,
    ours: &[TimelineEvent],
    theirs: &[TimelineEvent],
) -> Vec<TimelineEvent> {
    let position = |e: &TimelineEvent| {
        let at = |side: &[TimelineEvent]| side.iter().position(|x| x.id == e.id);
        match (at(ours), at(theirs)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    };
    events.sort_by(|a, b| {
        a.on.cmp(&b.on)
            // `None` (in the base alone) sorts first: it was recorded before either phone's own.
            .then_with(|| position(a).cmp(&position(b)))
            .then_with(|| a.id.cmp(&b.id))
    });
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::WorkerId;
    use chrono::{NaiveDate, TimeZone as _, Utc};

    fn sample() -> Vec<TimelineEvent> {
        let journeys: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../../data/samples/journeys.json")).unwrap();
        serde_json::from_value(journeys[0]["events"].clone()).unwrap()
    }

    fn event(id: &str, day: u32, kind: serde_json::Value) -> TimelineEvent {
        serde_json::from_value(serde_json::json!({
            "id": id, "case_id": "case-01",
            "on": NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            "event": kind,
        }))
        .unwrap()
    }

    fn v(events: Vec<TimelineEvent>, who: &str, day: u32) -> Version<Vec<TimelineEvent>> {
        Version {
            value: events,
            edited_by: Some(WorkerId::new(who).unwrap()),
            edited_at: Utc.with_ymd_and_hms(2026, 1, day, 12, 0, 0).unwrap(),
        }
    }

    fn merge(
        base: &[TimelineEvent],
        ours: &Version<Vec<TimelineEvent>>,
        theirs: &Version<Vec<TimelineEvent>>,
    ) -> MergedJourney {
        let case = CaseId::new("case-01").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        merge_journeys(&case, base, ours, theirs, now, TimeZone::UTC).unwrap()
    }

    fn with(base: &[TimelineEvent], more: &[TimelineEvent]) -> Vec<TimelineEvent> {
        base.iter().chain(more).cloned().collect()
    }

    #[test]
    fn events_recorded_on_each_phone_are_all_in_the_journey() {
        let base = sample();
        let ours = with(
            &base,
            &[event(
                "o-1",
                3,
                serde_json::json!({"kind": "took_leadership_role"}),
            )],
        );
        let theirs = with(
            &base,
            &[event(
                "t-1",
                2,
                serde_json::json!({"kind": "referred", "phase": "livelihood"}),
            )],
        );
        let m = merge(
            &base,
            &v(ours.clone(), "w1", 4),
            &v(theirs.clone(), "w2", 5),
        );
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(m.journey.events.len(), base.len() + 2);
        let ids: Vec<_> = m
            .journey
            .events
            .iter()
            .rev()
            .take(2)
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["o-1", "t-1"], "in date order");
        let swapped = merge(&base, &v(theirs, "w2", 5), &v(ours, "w1", 4));
        assert_eq!(swapped.journey, m.journey);
    }

    #[test]
    fn her_not_now_on_one_phone_wins_over_a_referral_on_the_other() {
        let base = sample();
        let declined = event(
            "o-1",
            3,
            serde_json::json!({"kind": "declined_by_person", "phase": "livelihood"}),
        );
        let ours = with(&base, &[declined]);
        let theirs = with(
            &base,
            &[event("t-1", 4, serde_json::json!({"kind": "case_filed"}))],
        );
        let m = merge(&base, &v(ours.clone(), "w1", 3), &v(theirs, "w2", 9));
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].path, "events");
        assert_eq!(m.conflicts[0].kept, Kept::PersonDeclined);
        assert_eq!(
            m.journey.events, ours,
            "her decline kept, though the other edit is later"
        );
        assert!(
            m.conflicts[0].theirs.to_string().contains("t-1"),
            "the other event is not lost"
        );
    }

    #[test]
    fn events_of_another_case_are_refused() {
        let mut stray = event("x", 3, serde_json::json!({"kind": "case_filed"}));
        stray.case_id = CaseId::new("case-02").unwrap();
        let case = CaseId::new("case-01").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        assert!(matches!(
            merge_journeys(
                &case,
                &[],
                &v(vec![stray], "w1", 3),
                &v(vec![], "w2", 3),
                now,
                TimeZone::UTC
            ),
            Err(MergeError::DifferentRecords { .. })
        ));
    }

    fn pool(side: &str, n: usize, kind: u8, day: u32) -> TimelineEvent {
        let phases = ["justice", "livelihood", "family_community_acceptance"];
        let phase = phases[usize::from(kind) % 3];
        let kind = match kind / 3 {
            0 => serde_json::json!({"kind": "referred", "phase": phase}),
            1 => serde_json::json!({"kind": "phase_achieved", "phase": phase}),
            2 => serde_json::json!({"kind": "declined_by_person", "phase": phase}),
            _ => serde_json::json!({"kind": "resumed", "phase": phase}),
        };
        event(&format!("{side}-{n}"), day, kind)
    }

    /// Each phone's own valid additions, from a small pool of events.
    fn grow(base: &[TimelineEvent], picks: &[(u8, u32)], side: &str) -> Vec<TimelineEvent> {
        let case = CaseId::new("case-01").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let mut events = base.to_vec();
        let mut day = 1;
        for (n, (kind, step)) in picks.iter().enumerate() {
            day += step;
            let candidate = with(&events, &[pool(side, n, *kind, day)]);
            if Journey::replay_in(case.clone(), &candidate, now, TimeZone::UTC).is_ok() {
                events = candidate;
            }
        }
        events
    }

    proptest::proptest! {
        /// Whatever each phone recorded: the merge is a journey; every event of either phone is
        /// in it or in a conflict; her decline on one phone alone is kept; swapping the phones
        /// gives the same journey; a timeline merged with itself is itself.
        #[test]
        fn merged_journeys_lose_nothing(
            ours in proptest::collection::vec((0u8..12, 0u32..3), 0..5),
            theirs in proptest::collection::vec((0u8..12, 0u32..3), 0..5),
            od in 1u32..3, td in 1u32..3,
        ) {
            let base = sample();
            let (o, t) = (grow(&base, &ours, "o"), grow(&base, &theirs, "t"));
            let m = merge(&base, &v(o.clone(), "w1", od), &v(t.clone(), "w2", td));
            for e in o.iter().chain(&t) {
                let kept = m.journey.events.iter().any(|x| x.id == e.id);
                let flagged = m.conflicts.iter().any(|c| c.ours.to_string().contains(e.id.as_str())
                    || c.theirs.to_string().contains(e.id.as_str()));
                proptest::prop_assert!(kept || flagged, "event {} lost", e.id);
            }
            if let Some(c) = m.conflicts.iter().find(|c| c.path == "events") {
                if let Some(side) = declined_wins(&base, &o, &t) {
                    proptest::prop_assert_eq!(c.kept, Kept::PersonDeclined);
                    proptest::prop_assert_eq!(&m.journey.events, &side.to_vec());
                }
            }
            let swapped = merge(&base, &v(t.clone(), "w2", td), &v(o.clone(), "w1", od));
            proptest::prop_assert_eq!(&swapped.journey, &m.journey);
            let same = merge(&base, &v(o.clone(), "w1", od), &v(o.clone(), "w2", td));
            proptest::prop_assert_eq!(&same.journey.events, &o);
            proptest::prop_assert!(same.conflicts.is_empty());
        }
    }
}
