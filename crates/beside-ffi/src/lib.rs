//! # beside-ffi
//!
//! Beside for Kotlin, Swift and Python: one [uniffi](https://mozilla.github.io/uniffi-rs/)
//! library (`libbeside_ffi`) over the domain crates, so an Android or iOS field app and a
//! researcher's Python script call the same rules with one import.
//!
//! One typed API: the domain crates' own records and enums cross as they are (each crate derives
//! uniffi behind its `uniffi` feature), so the output of one call is the input of the next in
//! every language. JSON is the interchange format: one `<record>_from_json` / `<record>_to_json`
//! pair per top-level record, matching `schemas/`. Every typed input is checked by the same
//! deserialiser as JSON (`json::checked`), so it is refused with the same field path and
//! reason. Text for people is a separate `render_*` call over a typed decision, with a locale.
//!
//! Stateful engines are objects ([`NeedsEngine`], [`ConsentEngine`], [`AuditTrail`],
//! [`ReintegrationEngine`], [`ReferralDirectory`]) built from defaults, from a typed model or
//! from the bundled samples. Batch entry points ([`NeedsEngine::summarise`],
//! [`NeedsEngine::prioritise_batch`], [`NeedsEngine::rank_packed`]) make one crossing for
//! thousands of assessments.
//!
//! The only record this crate defines itself, and why (no domain type is copied here; the
//! merges of assessments, ledgers and journeys take each phone's value and its `Edit` as two
//! arguments, since uniffi has no generic records for `Version<T>`):
//! - [`SolvedAssignment`]: the `(Assignment, AssignStats)` pair that
//!   `beside_referral::assign::solve_with_stats` returns, as one record;
//! - the engine objects above and [`BesideError`].
//!
//! Every failure is a [`BesideError`] (a typed exception abroad) naming the field path and the
//! reason; nothing panics (the workspace lints deny `unwrap`, `expect`, `panic` and indexing).
//! Timestamps cross as the platform's own type: Python `datetime`, Kotlin `java.time.Instant`,
//! Swift `Date`.
//!
//! ```
//! let engine = beside_ffi::NeedsEngine::new();
//! let assessment = beside_ffi::assessment_from_json(r#"{"id": "a-1", "case_id": "case-01",
//!   "assessed_at": "2025-03-01T09:00:00Z", "assessed_by": "worker-1",
//!   "ratings": [{"domain": "food", "rating": {"level": 1}},
//!   {"domain": "livelihood", "rating": {"level": 2}}]}"#.to_owned())?;
//! let list = engine.prioritise(assessment)?;
//! assert_eq!(list.items[0].domain.as_str(), "food");
//! let bad = beside_ffi::assessment_from_json("{}".to_owned());
//! assert!(matches!(bad, Err(beside_ffi::BesideError::Invalid { .. })));
//! # Ok::<(), beside_ffi::BesideError>(())
//! ```

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::disallowed_methods,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod consent;
mod error;
mod flow;
mod json;
mod needs;
mod referral;
mod reintegration;
mod samples;

pub use consent::*;
pub use error::BesideError;
pub use flow::*;
pub use needs::*;
pub use referral::*;
pub use reintegration::*;
pub use samples::*;

uniffi::setup_scaffolding!();

/// A UTC timestamp. Crosses the FFI as `SystemTime`, which uniffi maps to Python `datetime`,
/// Kotlin `java.time.Instant` and Swift `Date` (the conversion is `beside_core::ffi`'s).
pub use beside_core::Timestamp;
use beside_core::{ffi::JsonMap, ffi::JsonValue, ffi::Pair, ffi::TextMap};
use chrono::NaiveDate;

uniffi::use_remote_type!(beside_core::Timestamp);
uniffi::use_remote_type!(beside_core::NaiveDate);
uniffi::use_remote_type!(beside_core::usize);
uniffi::use_remote_type!(beside_core::TextMap);
uniffi::use_remote_type!(beside_core::JsonValue);
uniffi::use_remote_type!(beside_core::JsonMap);
uniffi::use_remote_type!(beside_core::Pair);

/// The library's version (the crate version), e.g. `0.1.0`.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Formats a timestamp as RFC 3339 in UTC with millisecond precision
/// (`2025-03-01T09:00:00.000Z`): the form every JSON input of this library accepts.
#[uniffi::export]
pub fn format_timestamp(at: Timestamp) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Parses an RFC 3339 timestamp (`2025-03-01T09:00:00Z`); fails with [`BesideError::Invalid`].
#[uniffi::export]
pub fn parse_timestamp(text: String) -> Result<Timestamp, BesideError> {
    chrono::DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            beside::core::FieldError::new(
                "",
                beside::core::Reason::Invalid {
                    expected: format!("an RFC 3339 timestamp ({e})"),
                    value: text.clone(),
                },
            )
            .into()
        })
}

/// The time zone of a case's place, as an IANA id such as `Asia/Dhaka`: its `time_zone`,
/// else its home country's zone when that country has a single one, else `UTC`. Ages,
/// majority and "today" are taken on this calendar. The case is checked as JSON input is.
#[uniffi::export]
pub fn case_time_zone(profile: beside::core::CaseProfile) -> Result<String, BesideError> {
    Ok(json::checked(profile)?.calendar().name().to_owned())
}

json::json_pair! {
    beside::core::CaseProfile => case_profile_from_json, case_profile_to_json;
    beside::core::Person => person_from_json, person_to_json;
    beside::core::Labels => labels_from_json, labels_to_json;
    beside::core::merge::MergedCaseProfile => merged_case_profile_from_json, merged_case_profile_to_json;
}

/// The calendar date (`YYYY-MM-DD`) at `at` in `time_zone` (an IANA id such as `Asia/Dhaka`;
/// empty text for UTC): the day it is there. An unknown zone is [`BesideError::Invalid`] at
/// `time_zone`.
#[uniffi::export]
pub fn local_date(at: Timestamp, time_zone: String) -> Result<String, BesideError> {
    Ok(json::time_zone("time_zone", &time_zone)?
        .local_date(at)
        .to_string())
}

/// The English labels of every crate (`key -> template` with `{param}` placeholders), for apps
/// that render reason codes themselves or translate them (a `Labels` table per language).
#[uniffi::export]
pub fn english_labels() -> TextMap {
    let mut all = TextMap::new();
    all.extend(beside::needs::english_labels());
    all.extend(beside::consent::english_labels());
    all.extend(beside::reintegration::english_labels());
    all.extend(beside::referral::render::english_labels());
    all.extend(beside::referral::assign::english_labels());
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_through_text() {
        let t = parse_timestamp("2025-03-01T09:00:00Z".into()).unwrap();
        assert_eq!(format_timestamp(t), "2025-03-01T09:00:00.000Z");
        assert!(matches!(
            parse_timestamp("yesterday".into()),
            Err(BesideError::Invalid { .. })
        ));
    }

    #[test]
    fn the_calendar_of_a_place() {
        let at = parse_timestamp("2026-03-14T18:30:00Z".into()).unwrap();
        assert_eq!(local_date(at, "Asia/Dhaka".into()).unwrap(), "2026-03-15");
        assert_eq!(local_date(at, String::new()).unwrap(), "2026-03-14");
        let e = local_date(at, "Dhaka".into()).unwrap_err().to_string();
        assert!(e.contains("time_zone: unknown time zone `Dhaka`"), "{e}");
        let case = sample_case("case-11".into()).unwrap();
        assert_eq!(case_time_zone(case).unwrap(), "Asia/Phnom_Penh");
    }

    #[test]
    fn labels_cover_every_crate() {
        let labels = english_labels();
        assert!(labels.keys().any(|k| k.starts_with("consent.")));
        assert!(labels.keys().any(|k| k.starts_with("needs.")));
    }
}
