//! The bundled sample data (**synthetic**), typed: the walkthrough's cases and assessments.
//! The consent, journey and directory samples live beside their engines
//! (`consent.rs`, `reintegration.rs`, `referral.rs`).

use crate::error::BesideError;
use beside::core::CaseProfile;
use beside::needs::Assessment;

fn not_found(what: &str, id: &str) -> BesideError {
    BesideError::NotFound {
        what: what.to_owned(),
        id: id.to_owned(),
        detail: format!("no sample {what} `{id}`"),
    }
}

/// The sample case profiles.
#[uniffi::export]
pub fn sample_cases() -> Result<Vec<CaseProfile>, BesideError> {
    Ok(beside::samples::cases()?)
}

/// One sample case profile, e.g. `case-01`; [`BesideError::NotFound`] for an unknown id.
#[uniffi::export]
pub fn sample_case(case_id: String) -> Result<CaseProfile, BesideError> {
    beside::samples::cases()?
        .into_iter()
        .find(|c| c.case_id.as_str() == case_id)
        .ok_or_else(|| not_found("case", &case_id))
}

/// The sample needs assessments.
#[uniffi::export]
pub fn sample_assessments() -> Result<Vec<Assessment>, BesideError> {
    Ok(beside::samples::needs::assessments()?)
}

/// The sample assessments of one case, oldest first.
#[uniffi::export]
pub fn sample_assessments_of(case_id: String) -> Result<Vec<Assessment>, BesideError> {
    Ok(beside::samples::needs::assessments_of(&case_id)?)
}

/// The newest sample assessment of one case; [`BesideError::NotFound`] when it has none.
#[uniffi::export]
pub fn sample_latest_assessment(case_id: String) -> Result<Assessment, BesideError> {
    beside::samples::needs::assessments_of(&case_id)?
        .into_iter()
        .max_by_key(|a| a.assessed_at)
        .ok_or_else(|| not_found("assessment of case", &case_id))
}
