//! Offline merge of a case's assessments (the brief's "Field realities"; the shared rules are in
//! [`beside_core::merge`]). Assessments are appended facts: the merge is the union of both
//! phones' by id ([`beside_core::merge::union_by_id`]); an assessment both hold in different
//! versions is merged field by field, two different edits of one field flagged as a conflict.

use crate::assessment::Assessment;
use beside_core::merge::{all_of_record, union_by_id, Conflict, MergeError, Sides, Version};
use beside_core::CaseId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A case's merged assessments and the conflicts flagged in them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MergedAssessments {
    /// Every assessment of either phone, oldest first (then by id).
    pub assessments: Vec<Assessment>,
    /// Two different edits of one field of one assessment, each with both values, who and when.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

/// **Merge two phones' assessments of case `case_id`** (`base`: those both last shared).
///
/// Errors: an assessment of another case in any version.
pub fn merge_assessments(
    case_id: &CaseId,
    base: &[Assessment],
    ours: &Version<Vec<Assessment>>,
    theirs: &Version<Vec<Assessment>>,
) -> Result<MergedAssessments, MergeError> {
    all_of_record("case_id", case_id.as_str(), base, ours, theirs, |a| {
        a.case_id.as_str()
    })?;
    let mut conflicts = Vec::new();
    let mut assessments = union_by_id(
        "assessments",
        base,
        &ours.value,
        &theirs.value,
        |a| a.id.to_string(),
        &Sides::of(ours, theirs),
        &mut conflicts,
    )?;
    assessments.sort_by(|a, b| {
        a.assessed_at
            .cmp(&b.assessed_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(MergedAssessments {
        assessments,
        conflicts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::{Level, Rating, WorkerId};
    use chrono::{TimeZone, Utc};

    fn assessment(id: &str, day: u32) -> Assessment {
        beside_core::json::from_json_at(
            &format!(
                r#"{{"id": "{id}", "case_id": "case-01", "assessed_at": "2026-03-{day:02}T09:00:00Z",
                    "assessed_by": "w1", "ratings": [{{"domain": "food", "rating": {{"level": 2}}}}]}}"#
            ),
            Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
        )
        .unwrap()
    }

    fn v(items: Vec<Assessment>, who: &str, day: u32) -> Version<Vec<Assessment>> {
        Version {
            value: items,
            edited_by: Some(WorkerId::new(who).unwrap()),
            edited_at: Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap(),
        }
    }

    #[test]
    fn assessments_are_unioned_and_a_rating_edited_on_both_is_flagged() {
        let case = CaseId::new("case-01").unwrap();
        let a1 = assessment("a1", 1);
        let mut ours_a1 = a1.clone();
        ours_a1.ratings[0].rating = Rating::Level(Level::from_number(3).unwrap());
        let mut theirs_a1 = a1.clone();
        theirs_a1.ratings[0].rating = Rating::Level(Level::from_number(1).unwrap());
        let m = merge_assessments(
            &case,
            std::slice::from_ref(&a1),
            &v(vec![ours_a1, assessment("a3", 3)], "w1", 4),
            &v(vec![theirs_a1.clone(), assessment("a2", 2)], "w2", 5),
        )
        .unwrap();
        let ids: Vec<_> = m.assessments.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a1", "a2", "a3"]);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].path, "assessments[a1].ratings");
        assert_eq!(m.assessments[0], theirs_a1, "the later edit is held");

        let mut stray = assessment("a9", 9);
        stray.case_id = CaseId::new("case-02").unwrap();
        assert!(matches!(
            merge_assessments(&case, &[], &v(vec![stray], "w1", 9), &v(vec![], "w2", 9)),
            Err(MergeError::DifferentRecords { .. })
        ));
    }
}
