//! Language (ISO 639) and country (ISO 3166-1 alpha-2) codes, checked against the standards'
//! own tables.

use crate::error::Reason;
use serde::{Deserialize, Serialize};

/// An ISO 639 language code: two letters (ISO 639-1, `bn`, `km`, `ne`) or three (ISO 639-3,
/// `rhg` for Rohingya). Stored in lower case, inline: copying one allocates nothing. Codes
/// order as their text does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageCode(tinystr::TinyAsciiStr<3>);

impl LanguageCode {
    /// English (`en`), the language of the built-in labels and every locale's fallback.
    pub const ENGLISH: LanguageCode = LanguageCode::builtin(b"en");
    /// Bengali (`bn`).
    pub const BENGALI: LanguageCode = LanguageCode::builtin(b"bn");
    /// Khmer (`km`).
    pub const KHMER: LanguageCode = LanguageCode::builtin(b"km");

    /// A code known at compile time. INVARIANT: `code` is a lower-case ISO 639 code
    /// (`codes::tests::built_in_codes_are_valid` checks each constant against [`Self::new`]).
    const fn builtin(code: &[u8]) -> Self {
        Self(tinystr::TinyAsciiStr::from_utf8_lossy(code, b'?'))
    }

    /// Parse and check a code, accepting any letter case.
    pub fn new(code: &str) -> Result<Self, Reason> {
        let lower = code.trim().to_ascii_lowercase();
        let known = match lower.len() {
            2 => isolang::Language::from_639_1(&lower).is_some(),
            3 => isolang::Language::from_639_3(&lower).is_some(),
            _ => false,
        };
        match tinystr::TinyAsciiStr::try_from_str(&lower) {
            Ok(inline) if known => Ok(Self(inline)),
            _ => Err(Reason::Invalid {
                expected: "an ISO 639-1 or ISO 639-3 language code such as `bn`, `km` or `en`"
                    .into(),
                value: code.to_owned(),
            }),
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The same language as another code, whether written as 639-1 or 639-3 (`bn` = `ben`).
    pub fn same_language(&self, other: &LanguageCode) -> bool {
        if self.0 == other.0 {
            return true;
        }
        let a = to_639_3(self.as_str());
        let b = to_639_3(other.as_str());
        a.is_some() && a == b
    }
}

fn to_639_3(code: &str) -> Option<&'static str> {
    match code.len() {
        2 => isolang::Language::from_639_1(code).map(|l| l.to_639_3()),
        3 => isolang::Language::from_639_3(code).map(|l| l.to_639_3()),
        _ => None,
    }
}

impl TryFrom<String> for LanguageCode {
    type Error = Reason;
    fn try_from(value: String) -> Result<Self, Reason> {
        Self::new(&value)
    }
}

impl From<LanguageCode> for String {
    fn from(c: LanguageCode) -> String {
        c.as_str().to_owned()
    }
}

impl std::fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl schemars::JsonSchema for LanguageCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LanguageCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Za-z]{2,3}$",
            "description": "ISO 639-1 (two letters) or ISO 639-3 (three letters) language code."
        })
    }
}

/// An ISO 3166-1 alpha-2 country code (`BD`, `KH`, `NP`, `IN`). Stored in upper case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    /// The text as a CountryCode, unchecked: for the FFI lift only, whose input the FFI crate checks
    /// with the JSON deserialiser before any use (see [`crate::ffi`]).
    #[cfg(feature = "uniffi")]
    pub(crate) fn unchecked(text: String) -> Self {
        Self(text)
    }

    /// Parse and check a code, accepting any letter case.
    pub fn new(code: &str) -> Result<Self, Reason> {
        let upper = code.trim().to_ascii_uppercase();
        if upper.len() == 2 && rust_iso3166::from_alpha2(&upper).is_some() {
            Ok(Self(upper))
        } else {
            Err(Reason::Invalid {
                expected: "an ISO 3166-1 alpha-2 country code such as `BD` or `KH`".into(),
                value: code.to_owned(),
            })
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CountryCode {
    type Error = Reason;
    fn try_from(value: String) -> Result<Self, Reason> {
        Self::new(&value)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.0
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl schemars::JsonSchema for CountryCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CountryCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Za-z]{2}$",
            "description": "ISO 3166-1 alpha-2 country code."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_codes_are_valid() {
        for (constant, text) in [
            (LanguageCode::ENGLISH, "en"),
            (LanguageCode::BENGALI, "bn"),
            (LanguageCode::KHMER, "km"),
        ] {
            assert_eq!(LanguageCode::new(text), Ok(constant));
        }
    }

    #[test]
    fn languages() {
        assert!(LanguageCode::new("bn").is_ok());
        assert!(LanguageCode::new("KM").is_ok());
        assert!(LanguageCode::new("rhg").is_ok());
        assert!(LanguageCode::new("xx").is_err());
        assert!(LanguageCode::new("bengali").is_err());
        let bn = LanguageCode::new("bn").ok();
        let ben = LanguageCode::new("ben").ok();
        assert!(matches!((bn, ben), (Some(a), Some(b)) if a.same_language(&b)));
        assert_eq!(
            LanguageCode::new(" RHG ").map(String::from),
            Ok("rhg".to_owned())
        );
    }

    #[test]
    fn languages_order_as_their_text() {
        let mut codes: Vec<LanguageCode> = ["km", "ben", "bn", "en", "rhg", "ne", "b", "kmr"]
            .iter()
            .filter_map(|c| LanguageCode::new(c).ok())
            .collect();
        codes.sort();
        let text: Vec<&str> = codes.iter().map(LanguageCode::as_str).collect();
        let mut sorted = text.clone();
        sorted.sort_unstable();
        assert_eq!(text, sorted);
        assert_eq!(text.len(), 7);
    }

    #[test]
    fn countries() {
        assert_eq!(CountryCode::new("bd").map(|c| c.0), Ok("BD".to_owned()));
        assert!(CountryCode::new("KH").is_ok());
        assert!(CountryCode::new("ZZ").is_err());
        assert!(CountryCode::new("BGD").is_err());
    }
}
