//! The `beside` taxonomy: how the fields HSDS lacks travel as HSDS 3.0 `attribute` objects.
//!
//! Each attribute has a `taxonomy_term` of taxonomy `beside` whose `code` names the field and a
//! `value` holding it as text: `true`/`false` for flags, a number or `none` for capacity, a
//! domain key, an ISO code, or JSON for the cost and an area path.

use super::read::{objects, text};
use serde_json::{Map, Value};

/// The name of the Beside taxonomy.
pub const TAXONOMY: &str = "beside";

/// The `beside` attribute codes, with a short English name and description of each.
pub const CODES: [(&str, &str, &str); 16] = [
    (
        "organization_kind",
        "Organisation kind",
        "What kind of organisation it is (government, ngo, survivor_led…).",
    ),
    ("survivor_led", "Survivor-led", "Led by survivors."),
    (
        "domain",
        "Need domain",
        "A need domain the service serves (one attribute per domain).",
    ),
    (
        "capacity",
        "Capacity",
        "Open places now; `none` when there is no fixed limit.",
    ),
    (
        "requires_court_order",
        "Requires a court order",
        "Reachable only with a court order.",
    ),
    (
        "requires_referral_letter",
        "Requires a referral letter",
        "Reachable only with a referral letter.",
    ),
    (
        "requires_formal_identification",
        "Requires formal identification",
        "Only for people formally identified as victims of trafficking.",
    ),
    ("female_staff", "Female staff", "Female staff are available."),
    (
        "trauma_informed",
        "Trauma-informed",
        "Staff are trained in trauma-informed care.",
    ),
    (
        "interpretation_available",
        "Interpretation available",
        "An interpreter can be arranged.",
    ),
    (
        "outreach",
        "Outreach",
        "Reaches people at home, so distance to a location does not apply.",
    ),
    (
        "gender_served",
        "Gender served",
        "A gender served (female, male, third_gender); none means all.",
    ),
    (
        "nationality",
        "Nationality served",
        "An ISO 3166-1 country whose nationals are served; none means all.",
    ),
    (
        "cost",
        "Cost",
        "What the service costs, as Beside JSON (kind free, fee with amount in minor units and currency, or unknown).",
    ),
    (
        "coordinates",
        "Coordinates",
        "The location's latitude and longitude in decimal degrees, as `lat,lon` text (exact).",
    ),
    (
        "area",
        "Area",
        "The location's administrative area path as a JSON list, country code first.",
    ),
];

/// The `extent_type` of an HSDS `service_area` whose `extent` is a Beside area path (JSON list).
pub const AREA_EXTENT_TYPE: &str = "beside_area_path";

/// One HSDS attribute of a record, read.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    /// Its index in the record's `attributes`.
    pub index: usize,
    /// Whether its term is of the `beside` taxonomy.
    pub beside: bool,
    /// Taxonomy name (empty when not given).
    pub taxonomy: String,
    /// Term code (empty when not given).
    pub code: String,
    /// Term name (empty when not given).
    pub name: String,
    /// The value (empty when not given).
    pub value: String,
}

impl Attr {
    /// `attributes[i]`.
    pub fn path(&self) -> String {
        format!("attributes[{}]", self.index)
    }

    /// How the term is named in reports: `taxonomy/code`, or its name.
    pub fn label(&self) -> String {
        let term = if self.code.is_empty() {
            &self.name
        } else {
            &self.code
        };
        if self.taxonomy.is_empty() {
            term.clone()
        } else {
            format!("{}/{}", self.taxonomy, term)
        }
    }
}

/// The attributes of a record.
pub(crate) fn read(obj: &Map<String, Value>) -> Vec<Attr> {
    objects(obj, "attributes")
        .into_iter()
        .map(|(index, a)| {
            let term = a.get("taxonomy_term").and_then(Value::as_object);
            let field = |k: &str| {
                term.and_then(|t| text(t, k))
                    .map(|s| s.trim().to_owned())
                    .unwrap_or_default()
            };
            let detail_name = term
                .and_then(|t| t.get("taxonomy_detail"))
                .and_then(Value::as_object)
                .and_then(|d| text(d, "name"))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default();
            let mut taxonomy = field("taxonomy");
            if taxonomy.is_empty() {
                taxonomy = detail_name;
            }
            Attr {
                index,
                beside: taxonomy.eq_ignore_ascii_case(TAXONOMY),
                code: field("code"),
                name: field("name"),
                taxonomy,
                value: text(a, "value").unwrap_or_default(),
            }
        })
        .collect()
}

/// Whether `code` is a known `beside` code.
pub(crate) fn is_known(code: &str) -> bool {
    CODES.iter().any(|(c, _, _)| *c == code)
}

/// Parse a flag value.
pub(crate) fn flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// A deterministic UUID-shaped id (version 8, RFC 9562) for the HSDS sub-records an export
/// creates (attributes, languages, addresses…), from the text that identifies them.
pub(crate) fn uuid_for(parts: &[&str]) -> String {
    // FNV-1a, 128 bits: fast, stable across platforms and versions; these ids only need to be
    // stable and distinct, not secret.
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut h = OFFSET;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(PRIME);
        }
        for b in p.bytes() {
            h ^= u128::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    let mut bytes = h.to_be_bytes();
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x80;
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        for nibble in [b >> 4, b & 0x0f] {
            out.push(char::from(*HEX.get(usize::from(nibble)).unwrap_or(&b'0')));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = uuid_for(&["svc-1", "capacity"]);
        assert_eq!(a, uuid_for(&["svc-1", "capacity"]));
        assert_ne!(a, uuid_for(&["svc-1capacity"]));
        assert_eq!(a.len(), 36);
        assert_eq!(a.chars().nth(14), Some('8'));
    }

    #[test]
    fn flags() {
        assert_eq!(flag(" TRUE "), Some(true));
        assert_eq!(flag("no"), Some(false));
        assert_eq!(flag("maybe"), None);
    }
}
