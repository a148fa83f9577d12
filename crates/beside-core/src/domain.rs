//! Need domains and the five-level scale (after the Self-Sufficiency Matrix).
//!
//! Domains are keys, not a closed enum: organisations can supply their own catalogue. The 16
//! defaults from the domain brief are in [`DEFAULT_DOMAINS`].

use crate::error::Reason;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The key of a need domain: lower-case ASCII letters, digits and `_`, starting with a letter,
/// at most 64 characters (`food`, `mental_health`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DomainKey(Cow<'static, str>);

impl DomainKey {
    /// The text as a DomainKey, unchecked: for the FFI lift only, whose input the FFI crate checks
    /// with the JSON deserialiser before any use (see [`crate::ffi`]).
    #[cfg(feature = "uniffi")]
    pub(crate) fn unchecked(text: String) -> Self {
        Self(Cow::Owned(text))
    }

    /// Parse and check a key. A default domain's key borrows the static text of
    /// [`DEFAULT_DOMAINS`] instead of allocating; keys are equal when their texts are.
    pub fn new(key: &str) -> Result<Self, Reason> {
        if let Some(k) = Self::default_domain(key) {
            Ok(k)
        } else if is_key(key) {
            Ok(Self(Cow::Owned(key.to_owned())))
        } else {
            Err(Reason::Invalid {
                expected: "a domain key of lower-case letters, digits and `_`, starting with a letter, at most 64 characters".into(),
                value: key.to_owned(),
            })
        }
    }

    /// A key from a static string known to be well formed (the defaults below; a test checks
    /// them).
    pub const fn from_static(key: &'static str) -> Self {
        Self(Cow::Borrowed(key))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The static key of the default domain named `key`, if it is one.
    fn default_domain(key: &str) -> Option<Self> {
        DEFAULT_DOMAINS
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map(|(k, _)| k.clone())
    }

    /// The key of this domain's label in a [`crate::labels::Labels`] table: `domain.<key>`.
    pub fn label_key(&self) -> String {
        format!("domain.{}", self.0)
    }
}

/// Whether `key` is a well-formed key: `[a-z][a-z0-9_]{0,63}`.
pub fn is_key(key: &str) -> bool {
    let mut chars = key.chars();
    key.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl TryFrom<String> for DomainKey {
    type Error = Reason;
    fn try_from(value: String) -> Result<Self, Reason> {
        if let Some(k) = Self::default_domain(&value) {
            Ok(k)
        } else if is_key(&value) {
            Ok(Self(Cow::Owned(value)))
        } else {
            Self::new(&value)
        }
    }
}

impl From<DomainKey> for String {
    fn from(k: DomainKey) -> String {
        k.0.into_owned()
    }
}

impl std::fmt::Display for DomainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for DomainKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl schemars::JsonSchema for DomainKey {
    fn schema_name() -> Cow<'static, str> {
        "DomainKey".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[a-z][a-z0-9_]{0,63}$",
            "description": "Key of a need domain, e.g. `food` or `mental_health`."
        })
    }
}

/// The default need domains, with their stable keys.
pub mod domains {
    use super::DomainKey;
    /// Food.
    pub const FOOD: DomainKey = DomainKey::from_static("food");
    /// Clothing and basic items.
    pub const BASIC_ITEMS: DomainKey = DomainKey::from_static("basic_items");
    /// Shelter and housing.
    pub const SHELTER: DomainKey = DomainKey::from_static("shelter");
    /// Physical health (injuries are common).
    pub const PHYSICAL_HEALTH: DomainKey = DomainKey::from_static("physical_health");
    /// Mental health.
    pub const MENTAL_HEALTH: DomainKey = DomainKey::from_static("mental_health");
    /// Safety from perpetrators.
    pub const SAFETY: DomainKey = DomainKey::from_static("safety");
    /// Identity documents and formal identification as a victim.
    pub const DOCUMENTS: DomainKey = DomainKey::from_static("documents");
    /// Legal aid and justice.
    pub const LEGAL: DomainKey = DomainKey::from_static("legal");
    /// Family connection.
    pub const FAMILY: DomainKey = DomainKey::from_static("family");
    /// Community acceptance.
    pub const COMMUNITY: DomainKey = DomainKey::from_static("community");
    /// Livelihood and employment.
    pub const LIVELIHOOD: DomainKey = DomainKey::from_static("livelihood");
    /// Skills and education.
    pub const EDUCATION: DomainKey = DomainKey::from_static("education");
    /// Debt and financial stability.
    pub const DEBT: DomainKey = DomainKey::from_static("debt");
    /// Emergency funds.
    pub const EMERGENCY_FUNDS: DomainKey = DomainKey::from_static("emergency_funds");
    /// Childcare and dependants.
    pub const CHILDCARE: DomainKey = DomainKey::from_static("childcare");
    /// Peer support.
    pub const PEER_SUPPORT: DomainKey = DomainKey::from_static("peer_support");
}

/// The 16 default domains with their English labels, in the brief's order.
pub static DEFAULT_DOMAINS: [(DomainKey, &str); 16] = [
    (domains::FOOD, "Food"),
    (domains::BASIC_ITEMS, "Clothing and basic items"),
    (domains::SHELTER, "Shelter and housing"),
    (domains::PHYSICAL_HEALTH, "Physical health"),
    (domains::MENTAL_HEALTH, "Mental health"),
    (domains::SAFETY, "Safety from perpetrators"),
    (
        domains::DOCUMENTS,
        "Identity documents and formal identification",
    ),
    (domains::LEGAL, "Legal aid and justice"),
    (domains::FAMILY, "Family connection"),
    (domains::COMMUNITY, "Community acceptance"),
    (domains::LIVELIHOOD, "Livelihood and employment"),
    (domains::EDUCATION, "Skills and education"),
    (domains::DEBT, "Debt and financial stability"),
    (domains::EMERGENCY_FUNDS, "Emergency funds"),
    (domains::CHILDCARE, "Childcare and dependants"),
    (domains::PEER_SUPPORT, "Peer support"),
];

/// The default domain keys, in the brief's order.
pub fn default_domain_keys() -> Vec<DomainKey> {
    DEFAULT_DOMAINS.iter().map(|(k, _)| k.clone()).collect()
}

/// A level on the five-level scale. Serialised as the number 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(try_from = "u8", into = "u8")]
pub enum Level {
    /// 1: in crisis.
    InCrisis = 1,
    /// 2: vulnerable.
    Vulnerable = 2,
    /// 3: safe.
    Safe = 3,
    /// 4: building capacity.
    BuildingCapacity = 4,
    /// 5: thriving.
    Thriving = 5,
}

impl Level {
    /// All levels, lowest first.
    pub const ALL: [Level; 5] = [
        Level::InCrisis,
        Level::Vulnerable,
        Level::Safe,
        Level::BuildingCapacity,
        Level::Thriving,
    ];

    /// The level for a number 1 to 5.
    pub fn from_number(n: u8) -> Result<Self, Reason> {
        match n {
            1 => Ok(Level::InCrisis),
            2 => Ok(Level::Vulnerable),
            3 => Ok(Level::Safe),
            4 => Ok(Level::BuildingCapacity),
            5 => Ok(Level::Thriving),
            _ if n < 1 => Err(Reason::BelowMinimum {
                min: 1.0,
                got: f64::from(n),
            }),
            _ => Err(Reason::AboveMaximum {
                max: 5.0,
                got: f64::from(n),
            }),
        }
    }

    /// The number 1 to 5.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// Stable key: `in_crisis`, `vulnerable`, `safe`, `building_capacity`, `thriving`.
    pub fn key(self) -> &'static str {
        match self {
            Level::InCrisis => "in_crisis",
            Level::Vulnerable => "vulnerable",
            Level::Safe => "safe",
            Level::BuildingCapacity => "building_capacity",
            Level::Thriving => "thriving",
        }
    }

    /// English label.
    pub fn english(self) -> &'static str {
        match self {
            Level::InCrisis => "in crisis",
            Level::Vulnerable => "vulnerable",
            Level::Safe => "safe",
            Level::BuildingCapacity => "building capacity",
            Level::Thriving => "thriving",
        }
    }
}

impl TryFrom<u8> for Level {
    type Error = Reason;
    fn try_from(n: u8) -> Result<Self, Reason> {
        Level::from_number(n)
    }
}

impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l.number()
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.number(), self.english())
    }
}

impl schemars::JsonSchema for Level {
    fn schema_name() -> Cow<'static, str> {
        "Level".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "minimum": 1,
            "maximum": 5,
            "description": "1 in crisis, 2 vulnerable, 3 safe, 4 building capacity, 5 thriving."
        })
    }
}

/// A domain's rating in an assessment: a level, or one of two answers that are not levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Rated at a level.
    Level(Level),
    /// Not assessed (not asked, no time, not relevant yet).
    NotAssessed,
    /// The person declined to answer: a choice, recorded as such.
    Declined,
}

impl Rating {
    /// The level, when rated.
    pub fn level(self) -> Option<Level> {
        match self {
            Rating::Level(l) => Some(l),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_keys_read_share_the_static_text() {
        let static_food = DEFAULT_DOMAINS[0].0.as_str();
        let made = DomainKey::new("food").unwrap();
        let read: DomainKey = serde_json::from_str("\"food\"").unwrap();
        assert!(std::ptr::eq(made.as_str(), static_food));
        assert!(std::ptr::eq(read.as_str(), static_food));
        let own = DomainKey::new("food_aid").unwrap();
        assert_eq!(own.as_str(), "food_aid");
        assert_eq!(serde_json::to_string(&read).unwrap(), "\"food\"");
    }

    #[test]
    fn default_keys_are_well_formed_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (k, label) in DEFAULT_DOMAINS.iter() {
            assert!(is_key(k.as_str()), "{k}");
            assert!(seen.insert(k.as_str()));
            assert!(!label.is_empty());
        }
        assert_eq!(seen.len(), 16);
    }

    #[test]
    fn levels_round_trip_and_reject_out_of_range() {
        for l in Level::ALL {
            assert_eq!(Level::from_number(l.number()), Ok(l));
        }
        assert!(serde_json::from_str::<Level>("0").is_err());
        assert!(serde_json::from_str::<Level>("6").is_err());
        assert_eq!(
            serde_json::from_str::<Level>("2").ok(),
            Some(Level::Vulnerable)
        );
        let r: Result<Rating, _> = serde_json::from_str(r#"{"level": 1}"#);
        assert_eq!(r.ok(), Some(Rating::Level(Level::InCrisis)));
        let r: Result<Rating, _> = serde_json::from_str(r#""declined""#);
        assert_eq!(r.ok(), Some(Rating::Declined));
    }

    #[test]
    fn bad_keys() {
        assert!(DomainKey::new("Food").is_err());
        assert!(DomainKey::new("1food").is_err());
        assert!(DomainKey::new("").is_err());
        assert!(DomainKey::new("mental_health").is_ok());
    }
}
