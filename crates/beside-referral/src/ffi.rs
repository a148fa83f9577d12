//! How this crate's types cross to Kotlin, Swift and Python (the `uniffi` feature only):
//! records and enums derive uniffi where they are defined; the custom types of
//! `beside_core::ffi` (timestamps, dates, maps, `usize`) are reused here, and two of this
//! crate's own are defined:
//!
//! | Rust | crosses as | why |
//! | --- | --- | --- |
//! | [`ScoreFactors`] (`[ScoreFactor; 6]`, a candidate's factors) | a list of six | uniffi has no arrays |
//! | [`BesideCodeText`] (`&'static str`, the HSDS attribute-code table) | `String` | fixed text of this library |
//!
//! The HSDS `RecordKind` is `HsdsRecordKind` abroad: beside-consent has a `RecordKind` too, and
//! Swift builds every namespace into one module.

use beside_core::ffi::{JsonMap, JsonValue, Pair, TextMap};
use beside_core::Timestamp;
use chrono::NaiveDate;

uniffi::use_remote_type!(beside_core::Timestamp);
uniffi::use_remote_type!(beside_core::NaiveDate);
uniffi::use_remote_type!(beside_core::usize);
uniffi::use_remote_type!(beside_core::TextMap);
uniffi::use_remote_type!(beside_core::JsonValue);
uniffi::use_remote_type!(beside_core::JsonMap);
uniffi::use_remote_type!(beside_core::Pair);

use crate::hsds::BESIDE_CODES as CODES;
use crate::matching::ScoreFactor;

/// A candidate's score, factor by factor: always all six ([`crate::matching::Candidate`]'s
/// `factors`), a list of six abroad. A list of another length is refused when it comes back
/// (the binding's conversion error names the argument).
pub type ScoreFactors = [ScoreFactor; 6];

uniffi::custom_type!(ScoreFactors, Vec<ScoreFactor>, {
    remote,
    lower: |factors| factors.to_vec(),
    try_lift: |list| <[ScoreFactor; 6]>::try_from(list).map_err(|list| {
        uniffi::deps::anyhow::anyhow!("expected the six score factors, got {}", list.len())
    }),
});

/// The text of a `beside` HSDS attribute code ([`crate::hsds::BesideCode`]): fixed text
/// of this library, `String` abroad. Text coming back must be one of the table's own texts
/// (the codes are documentation, not input).
pub type BesideCodeText = &'static str;

/// The table's own copy of `text`, if it holds one.
fn table_text(text: &str) -> Option<&'static str> {
    CODES
        .iter()
        .flat_map(|c| [c.code, c.name, c.description, c.value_format, c.example])
        .find(|t| *t == text)
}

uniffi::custom_type!(BesideCodeText, String, {
    remote,
    lower: |text| text.to_owned(),
    try_lift: |text| table_text(&text).ok_or_else(|| {
        uniffi::deps::anyhow::anyhow!("`{text}` is not a text of the `beside` attribute codes")
    }),
});
