//! How this crate's types cross to Kotlin, Swift and Python (the `uniffi` feature only):
//! records and enums derive uniffi where they are defined; the custom types of
//! `beside_core::ffi` (timestamps, dates, maps, `usize`) are reused here, and this module adds
//! the crate's own:
//!
//! | Rust | crosses as | why |
//! | --- | --- | --- |
//! | [`OutcomeKey`] | `String` | a text key |
//! | [`OutcomeLevels`] (`[Option<Level>; 4]`, [`crate::CohortCase::outcomes`]) | `Vec<Option<Level>>` of 4 | no fixed-size arrays abroad |
//! | [`PhaseStatuses`] (`[PhaseStatus; 6]`, [`crate::CohortCase::phases`]) | `Vec<PhaseStatus>` of 6 | idem |
//! | [`OutcomeCounts`] (`[[u64; 6]; 4]`, [`crate::CohortCounts::outcomes`]) | `Vec<Vec<u64>>`, 4 rows of 6 | idem |
//! | [`PhaseCounts`] (`[[u64; 5]; 6]`, [`crate::CohortCounts::phases`]) | `Vec<Vec<u64>>`, 6 rows of 5 | idem |
//! | [`RiskCounts`] (`[u64; 4]`, [`crate::CohortCounts::risk`]) | `Vec<u64>` of 4 | idem |
//!
//! The JSON of these types is unchanged (arrays of fixed length, see `schemas/`).
//!
//! # Checking what comes in
//! An outcome key is taken as it comes (its lift never fails), like the ids of
//! `beside_core::ffi`: `beside-ffi` checks every typed input by the deserialiser that checks
//! JSON, so a bad key is refused with the same field path and reason as in JSON. An array of
//! the wrong length cannot be held at all, so its lift refuses it, naming the lengths.

use crate::outcome::OutcomeKey;
use crate::phase::PhaseStatus;
use beside_core::ffi::{JsonMap, JsonValue, Pair, TextMap};
use beside_core::{Level, Timestamp};
use chrono::NaiveDate;

uniffi::use_remote_type!(beside_core::Timestamp);
uniffi::use_remote_type!(beside_core::NaiveDate);
uniffi::use_remote_type!(beside_core::usize);
uniffi::use_remote_type!(beside_core::TextMap);
uniffi::use_remote_type!(beside_core::JsonValue);
uniffi::use_remote_type!(beside_core::JsonMap);
uniffi::use_remote_type!(beside_core::Pair);

uniffi::custom_type!(OutcomeKey, String, {
    lower: |key| String::from(key),
    try_lift: |text| Ok(OutcomeKey::unchecked(text)),
});

/// A list abroad as an array of `N` here, or an error naming both lengths.
fn array<T, const N: usize>(list: Vec<T>, what: &str) -> uniffi::Result<[T; N]> {
    <[T; N]>::try_from(list).map_err(|list| {
        uniffi::deps::anyhow::anyhow!("{what}: expected {N} items, got {}", list.len())
    })
}

/// A list of lists abroad as an `R` by `C` table here, or an error naming the lengths.
fn table<const R: usize, const C: usize>(
    rows: Vec<Vec<u64>>,
    what: &str,
) -> uniffi::Result<[[u64; C]; R]> {
    let rows = rows
        .into_iter()
        .map(|row| array::<u64, C>(row, what))
        .collect::<uniffi::Result<Vec<_>>>()?;
    array(rows, what)
}

/// A cohort case's outcome levels ([`crate::CohortCase::outcomes`]): a list of four abroad.
pub type OutcomeLevels = [Option<Level>; crate::cohort::MAX_COHORT_OUTCOMES];

uniffi::custom_type!(OutcomeLevels, Vec<Option<Level>>, {
    remote,
    lower: |levels| levels.to_vec(),
    try_lift: |list| array(list, "cohort case outcomes"),
});

/// A cohort case's phase statuses ([`crate::CohortCase::phases`]): a list of six abroad, in
/// [`crate::Phase::ALL`] order.
pub type PhaseStatuses = [PhaseStatus; 6];

uniffi::custom_type!(PhaseStatuses, Vec<PhaseStatus>, {
    remote,
    lower: |statuses| statuses.to_vec(),
    try_lift: |list| array(list, "cohort case phases"),
});

/// Counts per outcome slot and level ([`crate::CohortCounts::outcomes`]): four rows of six
/// abroad.
pub type OutcomeCounts = [[u64; 6]; crate::cohort::MAX_COHORT_OUTCOMES];

uniffi::custom_type!(OutcomeCounts, Vec<Vec<u64>>, {
    remote,
    lower: |rows| rows.iter().map(|row| row.to_vec()).collect(),
    try_lift: |rows| table(rows, "cohort counts outcomes"),
});

/// Counts per phase and status ([`crate::CohortCounts::phases`]): six rows of five abroad.
pub type PhaseCounts = [[u64; 5]; 6];

uniffi::custom_type!(PhaseCounts, Vec<Vec<u64>>, {
    remote,
    lower: |rows| rows.iter().map(|row| row.to_vec()).collect(),
    try_lift: |rows| table(rows, "cohort counts phases"),
});

/// Counts per risk level, then not assessed ([`crate::CohortCounts::risk`]): a list of four
/// abroad.
pub type RiskCounts = [u64; 4];

uniffi::custom_type!(RiskCounts, Vec<u64>, {
    remote,
    lower: |counts| counts.to_vec(),
    try_lift: |list| array(list, "cohort counts risk"),
});
