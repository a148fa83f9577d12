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
