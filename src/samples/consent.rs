//! Sample consent records for the sample cases (**synthetic**, written by
//! `data/samples/generate.py`). As in common practice, most people agree to referral of who
//! they are and how to reach them to their area's NGOs and survivor groups. The refusals and
//! safeguards are the stories': "never to the police", never one named organisation, a child's
//! consent by her mother with her assent, a best-interest determination standing in for a
//! guardian implicated in the harm, expired consents that need renewing, a revoked one, and a
//! consent that stops counting on the person's 18th birthday.

use beside_consent::{ConsentError, ConsentLedger, ConsentPolicy, ConsentRecord, ConsentSubject};
use beside_core::{parse_json, CaseId, Reason, Validate, Validator, WorkerId};

/// The sample consent records, as JSON (a list of [`ConsentRecord`]).
pub const CONSENTS_JSON: &str = include_str!("../../data/samples/consents.json");

/// The case worker the sample policy authorises to make best-interest determinations.
pub const AUTHORISED_WORKER: &str = "worker-bd-cxb-01";

/// The policy of the sample organisation: defaults, with one authorised case worker.
pub fn policy() -> ConsentPolicy {
    ConsentPolicy {
        authorised_workers: WorkerId::new(AUTHORISED_WORKER).into_iter().collect(),
        ..ConsentPolicy::default()
    }
}

/// The sample consent records, parsed and validated (each record, and ids unique).
pub fn consents() -> Result<Vec<ConsentRecord>, ConsentError> {
    let records: Vec<ConsentRecord> =
        parse_json(CONSENTS_JSON, beside_core::json::DEFAULT_MAX_INPUT_BYTES)?;
    let mut v = Validator::new(chrono::Utc::now());
    records.validate_with(&mut v);
    v.unique("", records.iter().map(|r| r.id.as_str()));
    v.finish()?;
    Ok(records)
}

/// The ledger of one sample case: its records checked against the case's facts.
pub fn ledger(case_id: &str) -> Result<ConsentLedger, ConsentError> {
    let cases = super::cases()?;
    let case = cases
        .iter()
        .find(|c| c.case_id.as_str() == case_id)
        .ok_or_else(|| ConsentError::Invalid {
            errors: beside_core::FieldError::new(
                "case_id",
                Reason::MissingReference {
                    id: case_id.to_owned(),
                },
            )
            .into(),
        })?;
    let id = CaseId::new(case_id)?;
    let records = consents()?
        .into_iter()
        .filter(|r| r.case_id == id)
        .collect();
    ConsentLedger::new(
        ConsentSubject::from(case),
        policy(),
        records,
        chrono::Utc::now(),
    )
}
