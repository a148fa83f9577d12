//! How this crate's types cross to Kotlin, Swift and Python (the `uniffi` feature only).
//!
//! Records and enums derive `uniffi::Record` / `uniffi::Enum` where they are defined; this
//! module holds the custom types, which cross as a simpler type:
//!
//! | Rust | crosses as | why |
//! | --- | --- | --- |
//! | ids ([`crate::CaseId`], …), [`crate::DomainKey`], [`crate::CountryCode`] | `String` | text keys |
//! | [`crate::AreaPath`] | `Vec<String>` | a list of names |
//! | [`crate::Timestamp`] | `SystemTime` (Python `datetime`, Kotlin `Instant`, Swift `Date`) | the platform's own moment |
//! | `NaiveDate` | `String` `YYYY-MM-DD` | no date type is shared by the three languages |
//! | [`crate::TimeZone`], [`crate::LanguageCode`] | `String` | IANA id, ISO 639 code |
//! | `serde_json::Value` | `String` (JSON text) | a merge conflict's values of any type |
//! | `usize` | `u64` | uniffi has no `usize` |
//! | `BTreeMap<String, String>` ([`TextMap`]) | `HashMap<String, String>` | sorted here, a map abroad |
//!
//! # Checking what comes in
//! Text keys and area paths are taken as they come (a lift never fails for them); the FFI
//! crate checks every typed input by the very deserialiser that checks JSON (`beside-ffi`'s
//! `checked`), so a bad id or area is refused with the same field path and reason as in
//! JSON. INVARIANT: nothing lifted from abroad is used before that check.
//!
//! Dates, time zones and language codes cannot hold bad text, so their lift checks them and a
//! bad one is refused by the binding's own conversion, naming the argument and the reason.
//!
//! Other crates reuse these with `uniffi::use_remote_type!(beside_core::Timestamp)` and so
//! on.

use crate::codes::{CountryCode, LanguageCode};
use crate::domain::DomainKey;
use crate::id::{
    AssessmentId, CaseId, ConsentId, EventId, LocationId, OrganizationId, PersonId, ReferralId,
    ServiceId, WorkerId,
};
use crate::place::AreaPath;
use crate::zone::TimeZone;
use crate::Timestamp;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// A sorted text-to-text map (labels, HSDS attributes): a `HashMap<String, String>` abroad.
pub type TextMap = BTreeMap<String, String>;

uniffi::custom_type!(Timestamp, std::time::SystemTime, {
    remote,
    lower: |at| at.into(),
    try_lift: |at| Ok(at.into()),
});

uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |date| date.format("%Y-%m-%d").to_string(),
    try_lift: |text| Ok(NaiveDate::parse_from_str(&text, "%Y-%m-%d")?),
});

uniffi::custom_type!(usize, u64, {
    remote,
    lower: |n| n as u64,
    try_lift: |n| Ok(usize::try_from(n)?),
});

uniffi::custom_type!(TextMap, HashMap<String, String>, {
    remote,
    lower: |map| map.into_iter().collect(),
    try_lift: |map| Ok(map.into_iter().collect()),
});

/// A merge conflict's value, of any JSON type, crosses as its JSON text.
pub type JsonValue = serde_json::Value;

uniffi::custom_type!(JsonValue, String, {
    remote,
    lower: |value| value.to_string(),
    try_lift: |text| Ok(serde_json::from_str(&text)?),
});

uniffi::custom_type!(TimeZone, String, {
    lower: |zone| zone.name().to_owned(),
    try_lift: |text| Ok(TimeZone::try_from(text)?),
});

uniffi::custom_type!(LanguageCode, String, {
    lower: |code| code.to_string(),
    try_lift: |text| Ok(LanguageCode::new(&text)?),
});

uniffi::custom_type!(CountryCode, String, {
    lower: |key| String::from(key),
    try_lift: |text| Ok(CountryCode::unchecked(text)),
});

uniffi::custom_type!(DomainKey, String, {
    lower: |key| String::from(key),
    try_lift: |text| Ok(DomainKey::unchecked(text)),
});

uniffi::custom_type!(AreaPath, Vec<String>, {
    lower: |path| path.0.to_vec(),
    try_lift: |parts| Ok(AreaPath(parts.into())),
});

macro_rules! text_ids {
    ($($id:ident),*) => {$(
        uniffi::custom_type!($id, String, {
            lower: |key| String::from(key),
            try_lift: |text| Ok($id::unchecked(text)),
        });
    )*};
}

text_ids!(
    AssessmentId,
    CaseId,
    ConsentId,
    EventId,
    LocationId,
    OrganizationId,
    PersonId,
    ReferralId,
    ServiceId,
    WorkerId
);

/// Extra fields of a record (a case profile's `extra`), each of any JSON type: a map of JSON
/// texts abroad.
pub type JsonMap = BTreeMap<String, serde_json::Value>;

uniffi::custom_type!(JsonMap, HashMap<String, String>, {
    remote,
    lower: |map| map.into_iter().map(|(k, v)| (k, v.to_string())).collect(),
    try_lift: |map| map
        .into_iter()
        .map(|(k, v)| Ok((k, serde_json::from_str(&v)?)))
        .collect::<uniffi::Result<JsonMap>>(),
});

/// A pair of numbers (the two ends of a range, say): `[f64; 2]` crosses as a list of two.
pub type Pair = [f64; 2];

uniffi::custom_type!(Pair, Vec<f64>, {
    remote,
    lower: |pair| pair.to_vec(),
    try_lift: |list| <[f64; 2]>::try_from(list)
        .map_err(|list| uniffi::deps::anyhow::anyhow!("expected two numbers, got {}", list.len())),
});
