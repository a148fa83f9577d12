//! Sample needs assessments: at least one per sample case, consistent with the case's summary,
//! and a journey of three dated assessments for `case-01` (`asmt-01-1`, `asmt-01-2`,
//! `asmt-01-3`, in date order, February to November 2025) with a setback in the last one.
//! **Synthetic**, like every sample.

use beside_core::{parse_json, FieldError, Reason, ValidationErrors, Validator};
use beside_needs::{Assessment, Catalogue};

/// The sample assessments, as JSON (a list of [`Assessment`]).
pub const ASSESSMENTS_JSON: &str = include_str!("../../data/samples/assessments.json");

/// The sample assessments, parsed and checked against the default catalogue (dates judged
/// against the current time; ids unique).
pub fn assessments() -> Result<Vec<Assessment>, ValidationErrors> {
    let list: Vec<Assessment> = parse_json(ASSESSMENTS_JSON, 1 << 20)?;
    let known = Catalogue::standard().keys();
    let mut v = Validator::new(chrono::Utc::now());
    for (i, a) in list.iter().enumerate() {
        v.index(i, |v| a.validate_against(v, &known));
    }
    v.unique("", list.iter().map(|a| a.id.as_str()));
    v.finish()?;
    if list.is_empty() {
        return Err(FieldError::new("", Reason::Empty).into());
    }
    Ok(list)
}

/// The sample assessments of one case, in date order.
pub fn assessments_of(case_id: &str) -> Result<Vec<Assessment>, ValidationErrors> {
    let mut list: Vec<Assessment> = assessments()?
        .into_iter()
        .filter(|a| a.case_id.as_str() == case_id)
        .collect();
    list.sort_by(|a, b| a.assessed_at.cmp(&b.assessed_at).then(a.id.cmp(&b.id)));
    Ok(list)
}
