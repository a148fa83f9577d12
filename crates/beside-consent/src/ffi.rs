//! How this crate's types cross to Kotlin, Swift and Python (the `uniffi` feature only):
//! records and enums derive uniffi where they are defined; the custom types of
//! `beside_core::ffi` (timestamps, dates, maps, `usize`) are reused here.

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
