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

/// Most synthetic cases one [`synthetic_cases`] call returns: page through larger cohorts
/// (case `i` depends only on the seed and `i`, so pages join into the same cohort).
pub const MAX_SYNTHETIC_PAGE: u32 = 10_000;

/// Synthetic cases `first .. first + count` of the cohort of `seed` (**synthetic**: ids start
/// `syn-`), each whole — profile, journey, assessments, her answer on research — every date on
/// or before the day it is at `as_of` in her place. The distributions are documented in
/// `beside::reintegration::synthetic::people`. At most [`MAX_SYNTHETIC_PAGE`] cases a call and
/// 1,000,000 in a cohort: more is [`BesideError::Invalid`] at `count` or `first`.
#[uniffi::export]
pub fn synthetic_cases(
    seed: u64,
    first: u32,
    count: u32,
    as_of: crate::Timestamp,
) -> Result<Vec<beside::synthetic::SyntheticCase>, BesideError> {
    use beside::core::{FieldError, Reason};
    if count > MAX_SYNTHETIC_PAGE {
        return Err(FieldError::new(
            "count",
            Reason::TooMany {
                max: MAX_SYNTHETIC_PAGE as usize,
                got: count as usize,
            },
        )
        .into());
    }
    let end = first
        .checked_add(count)
        .filter(|end| *end <= beside::synthetic::MAX_SYNTHETIC_CASES)
        .ok_or_else(|| {
            FieldError::new(
                "first",
                Reason::Invalid {
                    expected: format!(
                        "first + count at most {} (the largest cohort)",
                        beside::synthetic::MAX_SYNTHETIC_CASES
                    ),
                    value: first.to_string(),
                },
            )
        })?;
    Ok((first..end)
        .map(|i| beside::synthetic::synthetic_case(seed, i, as_of))
        .collect::<Result<_, _>>()?)
}

/// The consent ledger of a synthetic case, as [`crate::ConsentEngine::new`] takes it: consent
/// to referral at opening and her answer on research (consent or refusal of statistics and
/// de-identified research by research organisations), a child's by her guardian with her
/// assent; checked at `as_of`. See `beside::synthetic::ledger`.
#[uniffi::export]
pub fn synthetic_ledger(
    // Not named `case`: argument names reach the Swift binding's C header, where it is a keyword.
    synthetic_case: beside::synthetic::SyntheticCase,
    as_of: crate::Timestamp,
) -> Result<beside::consent::LedgerData, BesideError> {
    Ok(beside::synthetic::ledger(&synthetic_case, as_of)?.to_data())
}

#[cfg(test)]
mod synthetic_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn pages_join_into_the_same_cohort_and_bounds_are_named() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 18, 0, 0)
            .unwrap();
        let whole = synthetic_cases(5, 0, 30, at).unwrap();
        let mut paged = synthetic_cases(5, 0, 10, at).unwrap();
        paged.extend(synthetic_cases(5, 10, 20, at).unwrap());
        assert_eq!(whole, paged);
        let e = synthetic_cases(5, 0, MAX_SYNTHETIC_PAGE + 1, at).unwrap_err();
        assert!(e.to_string().contains("count"), "{e}");
        let e = synthetic_cases(5, 999_999, 2, at).unwrap_err();
        assert!(e.to_string().contains("first"), "{e}");
        assert!(synthetic_cases(5, 999_999, 1, at).is_ok());
        // At the page's bound, and at the cohort's last page.
        let page = synthetic_cases(5, 990_000, MAX_SYNTHETIC_PAGE, at).unwrap();
        assert_eq!(page.len(), MAX_SYNTHETIC_PAGE as usize);
        assert_eq!(page[9_999].profile.case_id.as_str(), "syn-0999999");
        let ledger = synthetic_ledger(whole[0].clone(), at).unwrap();
        assert_eq!(ledger.subject.case_id, whole[0].profile.case_id);
    }
}
