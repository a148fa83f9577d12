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
//! [`NeedsEngine::prioritise_batch`], [`NeedsEngine::prioritise_table`], Arrow IPC bytes) make one crossing for
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
//! In Rust (this example is the unit test `tests::crate_docs_example`: a cdylib has no
//! doctests):
//!
//! ```ignore
//! let engine = beside_ffi::NeedsEngine::new();
//! let assessment = beside_ffi::assessment_from_json(r#"{"id": "a-1", "case_id": "case-01",
//!   "assessed_at": "2025-03-01T09:00:00Z", "assessed_by": "worker-1",
//!   "ratings": [{"domain": "food", "rating": {"level": 1}},
//!   {"domain": "livelihood", "rating": {"level": 2}}]}"#.to_owned())?;
//! let list = engine.prioritise(assessment)?;
//! assert_eq!(list.items[0].domain.as_str(), "food");
//! let bad = beside_ffi::assessment_from_json("{}".to_owned());
//! assert!(matches!(bad, Err(beside_ffi::BesideError::Invalid { .. })));
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

#[cfg(feature = "arrow-c-stream")]
mod arrow_c;
mod consent;
mod error;
mod flow;
mod json;
mod needs;
mod referral;
mod reintegration;
mod samples;
mod tables;

pub use consent::*;
pub use error::BesideError;
pub use flow::*;
pub use needs::*;
pub use referral::*;
pub use reintegration::*;
pub use samples::*;
pub use tables::*;

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

/// Age in whole years on day `on` (`YYYY-MM-DD`, a day of the person's own calendar) for a
/// date of birth or an approximate age (the age recorded on a day implies a date of birth:
/// that day minus the years); `None` before birth. The rule of `Birth::age_on`, so apps and
/// researchers count ages as the engines do.
#[uniffi::export]
pub fn age_on(birth: beside::core::Birth, on: NaiveDate) -> Option<u32> {
    birth.age_on(on)
}

/// The English words of every crate, by label key, each as its Project Fluent text (`{ $name }`
/// placeables, `{ $count -> … }` plural variants), for apps that render reason codes
/// themselves or translate them; [`english_ftl`] gives the same as `.ftl` resources.
#[uniffi::export]
pub fn english_labels() -> Result<TextMap, BesideError> {
    let texts = beside::core::labels::message_texts(&english_resources())
        .map_err(beside::core::FieldError::from)?;
    Ok(texts.into_iter().collect())
}

/// The English `.ftl` resources of every crate, in the order they are layered: the reference
/// a translation starts from (ids are label keys with `.` written `-`).
#[uniffi::export]
pub fn english_ftl() -> Vec<String> {
    english_resources()
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// The English resources of every crate.
fn english_resources() -> [&'static str; 7] {
    [
        beside::core::labels::ENGLISH_CORE,
        beside::needs::english_labels(),
        beside::consent::english_labels(),
        beside::reintegration::english_labels(),
        beside::referral::render::english_labels(),
        beside::referral::assign::english_labels(),
        beside::referral::hsds::english_labels(),
    ]
}

/// `locale` as an ISO 639 code, or [`BesideError::Invalid`] at `locale`.
pub(crate) fn locale_code(locale: &str) -> Result<beside::core::LanguageCode, BesideError> {
    beside::core::LanguageCode::new(locale)
        .map_err(|reason| beside::core::FieldError::new("locale", reason).into())
}

/// **Add or override a locale at run time**: `labels` with the Project Fluent resource `ftl`
/// added for `locale` (an ISO 639 code); its messages replace those of the same id, a new
/// locale is added. A malformed resource is [`BesideError::Invalid`] at `ftl` naming the line
/// and column where it stops being Fluent.
#[uniffi::export]
pub fn labels_with_locale(
    labels: beside::core::Labels,
    locale: String,
    ftl: String,
) -> Result<beside::core::Labels, BesideError> {
    let language = locale_code(&locale)?;
    labels
        .with_resource(language, &ftl)
        .map_err(|e| beside::core::FieldError::from(e).into())
}

/// How a locale's `.ftl` resource stands against English (the resources of [`english_ftl`]):
/// keys it lacks (they show in English), keys English does not have and placeables English's
/// message does not have (both mistakes). A malformed resource is [`BesideError::Invalid`] at
/// `ftl` with its line and column.
#[uniffi::export]
pub fn check_locale(ftl: String) -> Result<beside::core::labels::LocaleReport, BesideError> {
    beside::core::labels::compare_locale(&english_resources(), &[&ftl])
        .map_err(|e| beside::core::FieldError::from(e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the crate docs, line for line.
    #[test]
    fn crate_docs_example() -> Result<(), BesideError> {
        let engine = crate::NeedsEngine::new();
        let assessment = crate::assessment_from_json(
            r#"{"id": "a-1", "case_id": "case-01",
          "assessed_at": "2025-03-01T09:00:00Z", "assessed_by": "worker-1",
          "ratings": [{"domain": "food", "rating": {"level": 1}},
          {"domain": "livelihood", "rating": {"level": 2}}]}"#
                .to_owned(),
        )?;
        let list = engine.prioritise(assessment)?;
        assert_eq!(list.items[0].domain.as_str(), "food");
        let bad = crate::assessment_from_json("{}".to_owned());
        assert!(matches!(bad, Err(crate::BesideError::Invalid { .. })));
        Ok(())
    }

    #[test]
    fn age_on_follows_the_birth_rule() {
        let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
        let born = beside::core::Birth::DateOfBirth {
            date: day("2000-07-10"),
        };
        assert_eq!(age_on(born, day("2025-07-09")), Some(24));
        assert_eq!(age_on(born, day("2025-07-10")), Some(25));
        assert_eq!(age_on(born, day("1999-01-01")), None);
        // Thirty on 1 January 2025 implies a birth on 1 January 1995.
        let approximate = beside::core::Birth::ApproximateAge {
            years: 30,
            recorded_on: day("2025-01-01"),
        };
        assert_eq!(age_on(approximate, day("2024-12-31")), Some(29));
    }

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
        assert!(labels
            .as_ref()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("consent.")));
        assert!(labels
            .as_ref()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("needs.")));
    }
}
