//! The bundled sample data (**synthetic**), as the JSON the `*_json` functions take.

use crate::error::BesideError;
use crate::json;

/// The sample case profiles (JSON array of `CaseProfile`).
#[uniffi::export]
pub fn sample_cases_json() -> String {
    beside::samples::CASES_JSON.to_owned()
}

/// The sample needs assessments (JSON array of `Assessment`).
#[uniffi::export]
pub fn sample_assessments_json() -> String {
    beside::samples::needs::ASSESSMENTS_JSON.to_owned()
}

/// The sample assessments of one case, oldest first (JSON array of `Assessment`).
#[uniffi::export]
pub fn sample_assessments_of_json(case_id: String) -> Result<String, BesideError> {
    json::out(&beside::samples::needs::assessments_of(&case_id)?)
}

/// The sample consent records (JSON array of `ConsentRecord`).
#[uniffi::export]
pub fn sample_consents_json() -> String {
    beside::samples::consent::CONSENTS_JSON.to_owned()
}

/// The ledger of one sample case (`LedgerData` JSON), e.g. for [`crate::ConsentEngine::from_json`].
#[uniffi::export]
pub fn sample_ledger_json(case_id: String) -> Result<String, BesideError> {
    json::out(&beside::samples::consent::ledger(&case_id)?.to_data())
}

/// The sample journeys (JSON array of `CaseTimeline`).
#[uniffi::export]
pub fn sample_journeys_json() -> String {
    beside::samples::journeys::JOURNEYS_JSON.to_owned()
}

/// The sample service directory (`Directory` JSON).
#[uniffi::export]
pub fn sample_directory_json() -> String {
    beside::samples::DIRECTORY_JSON.to_owned()
}

fn not_found(what: &str, id: &str) -> BesideError {
    BesideError::NotFound {
        what: what.to_owned(),
        id: id.to_owned(),
        detail: format!("no sample {what} `{id}`"),
    }
}

/// One sample case profile (`CaseProfile` JSON), e.g. `case-01`: what
/// [`crate::match_request_json`] takes.
#[uniffi::export]
pub fn sample_case_json(case_id: String) -> Result<String, BesideError> {
    let cases = beside::samples::cases()?;
    let case = cases
        .iter()
        .find(|c| c.case_id.as_str() == case_id)
        .ok_or_else(|| not_found("case", &case_id))?;
    json::out(case)
}

/// The newest sample assessment of one case (`Assessment` JSON).
#[uniffi::export]
pub fn sample_latest_assessment_json(case_id: String) -> Result<String, BesideError> {
    let all = beside::samples::needs::assessments_of(&case_id)?;
    let latest = all
        .iter()
        .max_by_key(|a| a.assessed_at)
        .ok_or_else(|| not_found("assessment of case", &case_id))?;
    json::out(latest)
}
