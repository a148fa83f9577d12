//! The `beside` taxonomy: how the fields HSDS lacks travel as HSDS 3.0 `attribute` objects.
//!
//! Each attribute has a `taxonomy_term` of taxonomy `beside` whose `code` names the field and a
//! `value` holding it as text: `true`/`false` for flags, a number or `none` for capacity, a
//! domain key, an ISO code, or JSON for the cost and an area path.

use super::options::TermCode;
use super::read::{objects, text};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

/// The name of the Beside taxonomy.
pub const TAXONOMY: &str = "beside";

/// One `beside` attribute code, documented for publishers (`docs/hsds.md` is generated from
/// these and a test keeps it so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BesideCode {
    /// The term's `code`.
    pub code: &'static str,
    /// A short English name (the term's `name`).
    pub name: &'static str,
    /// What it means (the term's `description`).
    pub description: &'static str,
    /// How the attribute's `value` is written.
    pub value_format: &'static str,
    /// An example `value`.
    pub example: &'static str,
}

const fn code(
    code: &'static str,
    name: &'static str,
    description: &'static str,
    value_format: &'static str,
    example: &'static str,
) -> BesideCode {
    BesideCode {
        code,
        name,
        description,
        value_format,
        example,
    }
}

/// Value format of the flags.
const FLAG: &str = "`true` or `false` (also `yes`/`no`, `1`/`0`)";
/// Value format of the requirements: an empty value reads as required.
const REQUIREMENT: &str =
    "`true` or `false`; an empty or absent value means required (the safe reading)";

/// The `beside` attribute codes: how the fields HSDS lacks travel.
pub const CODES: [BesideCode; 20] = [
    code(
        "organization_kind",
        "Organisation kind",
        "What kind of organisation it is.",
        "one of `government`, `police`, `court`, `health`, `ngo`, `international_organization`, `survivor_led`, `community`, `religious`, `employer`, `family_informal`, `emergency_services`, `research`",
        "survivor_led",
    ),
    code("survivor_led", "Survivor-led", "Led by survivors (on an organization).", FLAG, "true"),
    code(
        "domain",
        "Need domain",
        "A need domain the service serves (one attribute per domain).",
        "a need-domain key (`food`, `shelter`, `mental_health`, `legal`…)",
        "shelter",
    ),
    code(
        "capacity",
        "Capacity",
        "Open places now (HSDS 3.1 `service_capacity` is preferred when given).",
        "a whole number >= 0, or `none` when there is no fixed limit",
        "4",
    ),
    code(
        "respond_within_minutes",
        "Response time",
        "How soon the provider answers a referral once it is sent, in minutes.",
        "a whole number of minutes, from 1 to 527040 (366 days)",
        "2880",
    ),
    code(
        "requires_court_order",
        "Requires a court order",
        "Reachable only with a court order.",
        REQUIREMENT,
        "true",
    ),
    code(
        "requires_referral_letter",
        "Requires a referral letter",
        "Reachable only with a referral letter.",
        REQUIREMENT,
        "true",
    ),
    code(
        "requires_formal_identification",
        "Requires formal identification",
        "Only for people formally identified as victims of trafficking.",
        REQUIREMENT,
        "true",
    ),
    code("female_staff", "Female staff", "Female staff are available.", FLAG, "true"),
    code(
        "trauma_informed",
        "Trauma-informed",
        "Staff are trained in trauma-informed care.",
        FLAG,
        "true",
    ),
    code(
        "interpretation_available",
        "Interpretation available",
        "An interpreter can be arranged.",
        FLAG,
        "false",
    ),
    code(
        "outreach",
        "Outreach",
        "Reaches people at home, so distance to a location does not apply.",
        FLAG,
        "true",
    ),
    code(
        "gender_served",
        "Gender served",
        "A gender served (one attribute per gender); none means all.",
        "one of `female`, `male`, `third_gender`",
        "female",
    ),
    code(
        "nationality",
        "Nationality served",
        "A country whose nationals are served (one attribute per country); none means all.",
        "an ISO 3166-1 alpha-2 country code",
        "BD",
    ),
    code(
        "cost",
        "Cost",
        "What the service costs, exactly (HSDS `cost_options` are read when it is absent).",
        "Beside cost JSON: `{\"kind\":\"free\"}`, `{\"kind\":\"unknown\"}` or a fee in minor units",
        "{\"kind\":\"fee\",\"amount\":5000,\"currency\":\"BDT\"}",
    ),
    code(
        "coordinates",
        "Coordinates",
        "The location's latitude and longitude in decimal degrees, exactly.",
        "`latitude,longitude` text",
        "23.1667,89.2167",
    ),
    code(
        "confidential",
        "Confidential",
        "Whether the location's address and coordinates are confidential (a shelter for people escaping traffickers): shown only to its own organisation and those it is disclosed to. A value that cannot be read reads as confidential.",
        CONFIDENTIALITY_VALUES,
        "confidential",
    ),
    code(
        "disclosed_to",
        "Disclosed to",
        "An organisation entitled to a confidential location's address and coordinates (one attribute per organisation).",
        "an organization id of the same directory",
        "org-partner-1",
    ),
    code(
        "area",
        "Area",
        "The location's administrative area path (read before its address).",
        "a JSON list of names, ISO country code first",
        "[\"BD\",\"Khulna\",\"Jashore\"]",
    ),
    code(
        "urls",
        "Web addresses",
        "The record's labelled web addresses, exactly (HSDS 3.0 has one `url`/`website` only).",
        "a JSON list of objects with `url` and an optional `label`",
        "[{\"url\":\"https://example.org\",\"label\":\"Website\"}]",
    ),
];

/// The values of the `confidential` attribute, for publishers and for the report of a value
/// that cannot be read.
pub const CONFIDENTIALITY_VALUES: &str = "one of `public`, `confidential`";

/// Whether a `confidential` attribute's value marks the place confidential; `None` when it is
/// neither known value ([`CONFIDENTIALITY_VALUES`]).
pub(crate) fn confidentiality(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "public" => Some(false),
        "confidential" => Some(true),
        _ => None,
    }
}

/// The requirement codes: attached with an empty value they read as required.
pub(crate) const REQUIREMENTS: [&str; 3] = [
    "requires_court_order",
    "requires_referral_letter",
    "requires_formal_identification",
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
    /// For a publisher's term read as a `beside` code: the index of the
    /// [`ImportOptions::term_codes`](super::ImportOptions::term_codes) rule and the term as
    /// published (`acme/needs-court-order`).
    pub mapped: Option<(usize, String)>,
}

impl Attr {
    /// `attributes[i]`.
    pub fn path(&self) -> String {
        format!("attributes[{}]", self.index)
    }

    /// Where a field came from, for the report: `attributes[i]`, and for a publisher's term
    /// the term and the rule (`attributes[2] (acme/needs-court-order, term_codes[0])`).
    pub fn source(&self) -> String {
        match &self.mapped {
            Some((rule, term)) => format!("{} ({term}, term_codes[{rule}])", self.path()),
            None => self.path(),
        }
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

/// The attributes of a record, a publisher's terms mapped by `term_codes` read as the `beside`
/// codes they stand for.
pub(crate) fn read(obj: &Map<String, Value>, term_codes: &super::ImportOptions) -> Vec<Attr> {
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
            let mut attr = Attr {
                index,
                beside: taxonomy.eq_ignore_ascii_case(TAXONOMY),
                code: field("code"),
                name: field("name"),
                taxonomy,
                value: super::read::text_or_empty(a, "value"),
                mapped: None,
            };
            if !attr.beside {
                if let Some((i, rule)) =
                    term_codes.term_code(&attr.taxonomy, &attr.code, &attr.name)
                {
                    let label = attr.label();
                    rule_apply(&mut attr, rule);
                    attr.mapped = Some((i, label));
                }
            }
            attr
        })
        .collect()
}

fn rule_apply(attr: &mut Attr, rule: &TermCode) {
    attr.beside = true;
    attr.code = rule.beside_code.trim().to_owned();
    if let Some(v) = &rule.value {
        attr.value = v.clone();
    }
}

/// Whether `code` is a known `beside` code.
pub(crate) fn is_known(code: &str) -> bool {
    CODES.iter().any(|c| c.code == code)
}

/// The publisher's guide to the `beside` codes, as the Markdown table in `docs/hsds.md`.
pub fn codes_markdown() -> String {
    let mut out = String::from("| code | meaning | value | example |\n|---|---|---|---|\n");
    for c in &CODES {
        out.push_str(&format!(
            "| `{}` | {}: {} | {} | `{}` |\n",
            c.code,
            c.name,
            c.description,
            c.value_format.replace('|', "\\|"),
            c.example
        ));
    }
    out
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
