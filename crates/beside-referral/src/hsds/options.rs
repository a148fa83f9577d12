//! Import options: limits, defaults, and the mapping from HSDS taxonomy terms and words to need
//! domains (HSDS has no need-domain field).

use crate::directory::MAX_ENTRIES;
use beside_core::{domains, CountryCode, DomainKey, OrganizationKind, Reason};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Maps one HSDS taxonomy term to a need domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct TermRule {
    /// The taxonomy it applies to (compared without regard to case); `None` for any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<String>,
    /// The term's code or name (compared without regard to case).
    pub term: String,
    /// The need domain.
    pub domain: DomainKey,
}

/// Maps a word or phrase to a need domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct KeywordRule {
    /// A word or phrase, matched as whole words without regard to case; a trailing `s` or `es`
    /// on the last word also matches (`meal` matches `meals`).
    pub keyword: String,
    /// The need domain.
    pub domain: DomainKey,
}

/// How HSDS services get their need domains.
///
/// In order: (1) `beside` attributes with code `domain` (what Beside itself exports) are taken
/// as they are; otherwise (2) each HSDS taxonomy term on the service is looked up in `terms`,
/// then its name is searched for `keywords`; if no term maps and `search_service_text` is on,
/// (3) the service's `name` and `alternate_name` are searched for `keywords`, then its
/// `description`; if still nothing, (4) `fallback` is used when set. A service with no domain
/// at all is **skipped and reported** (`no_domain`), and the import is marked incomplete: a
/// service with a guessed domain would be offered for needs it does not serve, which is worse
/// for a survivor than a gap the report names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DomainMapping {
    /// Exact term rules, tried first.
    #[serde(default)]
    pub terms: Vec<TermRule>,
    /// Keyword rules.
    #[serde(default)]
    pub keywords: Vec<KeywordRule>,
    /// Search the service's own name and description when no taxonomy term maps.
    #[serde(default = "yes")]
    pub search_service_text: bool,
    /// The domain for services nothing else maps; `None` skips them (reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<DomainKey>,
}

fn yes() -> bool {
    true
}

/// The default keywords: common English words for each of the 16 default domains, chosen so
/// that a word belongs to one domain only (`community` alone is too common to mean community
/// acceptance, so only phrases are used for it).
pub fn default_keywords() -> Vec<KeywordRule> {
    let table: [(&DomainKey, &[&str]); 16] = [
        (
            &domains::FOOD,
            &[
                "food",
                "meal",
                "nutrition",
                "groceries",
                "food pantry",
                "food bank",
            ],
        ),
        (
            &domains::BASIC_ITEMS,
            &[
                "clothing",
                "clothes",
                "hygiene kit",
                "basic items",
                "material goods",
                "household goods",
            ],
        ),
        (
            &domains::SHELTER,
            &[
                "shelter",
                "housing",
                "accommodation",
                "safe home",
                "safe house",
                "homeless",
                "hostel",
            ],
        ),
        (
            &domains::PHYSICAL_HEALTH,
            &[
                "health care",
                "healthcare",
                "medical",
                "clinic",
                "hospital",
                "primary care",
                "physical health",
                "dental",
            ],
        ),
        (
            &domains::MENTAL_HEALTH,
            &[
                "mental health",
                "counselling",
                "counseling",
                "psychosocial",
                "psychological",
                "psychotherapy",
                "therapy",
            ],
        ),
        (
            &domains::SAFETY,
            &[
                "protection",
                "safety",
                "safety planning",
                "domestic violence",
                "anti trafficking",
            ],
        ),
        (
            &domains::DOCUMENTS,
            &[
                "identity documents",
                "identity document",
                "birth registration",
                "id card",
                "passport",
                "victim identification",
                "civil registration",
            ],
        ),
        (
            &domains::LEGAL,
            &[
                "legal",
                "lawyer",
                "legal aid",
                "justice",
                "tribunal",
                "paralegal",
            ],
        ),
        (
            &domains::FAMILY,
            &[
                "family reunification",
                "family tracing",
                "family mediation",
                "family support",
                "reunification",
            ],
        ),
        (
            &domains::COMMUNITY,
            &[
                "community acceptance",
                "community reintegration",
                "social inclusion",
                "stigma",
            ],
        ),
        (
            &domains::LIVELIHOOD,
            &[
                "livelihood",
                "employment",
                "job",
                "income generation",
                "job placement",
                "microenterprise",
            ],
        ),
        (
            &domains::EDUCATION,
            &[
                "education",
                "school",
                "literacy",
                "vocational training",
                "skills training",
                "tuition",
            ],
        ),
        (
            &domains::DEBT,
            &[
                "debt",
                "loan",
                "microfinance",
                "savings",
                "financial literacy",
            ],
        ),
        (
            &domains::EMERGENCY_FUNDS,
            &[
                "emergency fund",
                "cash assistance",
                "cash transfer",
                "emergency cash",
                "financial assistance",
            ],
        ),
        (
            &domains::CHILDCARE,
            &[
                "childcare",
                "child care",
                "day care",
                "daycare",
                "creche",
                "nursery",
            ],
        ),
        (
            &domains::PEER_SUPPORT,
            &[
                "peer support",
                "support group",
                "self help group",
                "survivor network",
                "peer",
            ],
        ),
    ];
    table
        .iter()
        .flat_map(|(domain, words)| {
            words.iter().map(|w| KeywordRule {
                keyword: (*w).to_owned(),
                domain: (*domain).clone(),
            })
        })
        .collect()
}

impl Default for DomainMapping {
    fn default() -> Self {
        Self {
            terms: Vec::new(),
            keywords: default_keywords(),
            search_service_text: true,
            fallback: None,
        }
    }
}

/// Maps a publisher's own taxonomy term onto a `beside` attribute code, so a directory
/// published with its own vocabulary imports without hand editing. An attribute with this term
/// is read as if it were the `beside` attribute `beside_code` (with `value` when set, else the
/// attribute's own value: so `{"taxonomy": "acme", "code": "needs-court-order",
/// "beside_code": "requires_court_order"}` attached with no value reads as required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct TermCode {
    /// The publisher's taxonomy name (compared without regard to case).
    pub taxonomy: String,
    /// The term's code, or its name when it has no code (compared without regard to case).
    pub code: String,
    /// The `beside` code it stands for (one of [`super::BESIDE_CODES`]).
    pub beside_code: String,
    /// The value to read, instead of the attribute's own (`female` for a "women only" term
    /// mapped to `gender_served`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The default units of HSDS 3.1 `service_capacity` that count open places.
pub fn default_capacity_units() -> Vec<String> {
    [
        "place", "bed", "space", "seat", "slot", "spot", "person", "people", "client", "referral",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// Options for an HSDS import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ImportOptions {
    /// How services get their need domains.
    #[serde(default)]
    pub mapping: DomainMapping,
    /// The kind of an organisation with no `beside` `organization_kind` attribute.
    #[serde(default = "default_kind")]
    pub default_kind: OrganizationKind,
    /// The country of a location with no address giving one; `None` skips such locations
    /// (reported, and the import is incomplete).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_country: Option<CountryCode>,
    /// The largest input accepted, in bytes (all files together for a tabular package).
    #[serde(default = "default_max_bytes")]
    pub max_input_bytes: usize,
    /// The most records (organisations, services, locations, links, rows) accepted.
    #[serde(default = "default_max_records")]
    pub max_records: usize,
    /// A publisher's own taxonomy terms read as `beside` codes (checked before the import:
    /// each names a known code, and no term is mapped twice).
    #[serde(default)]
    pub term_codes: Vec<TermCode>,
    /// The HSDS 3.1 capacity units (`unit.name` or `unit.identifier`, without regard to case
    /// or a plural `s`) that count open places; a capacity in another unit (hours, kilograms)
    /// is not read as places, and is reported.
    #[serde(default = "default_capacity_units")]
    pub capacity_units: Vec<String>,
}

fn default_kind() -> OrganizationKind {
    OrganizationKind::Ngo
}

fn default_max_bytes() -> usize {
    beside_core::json::DEFAULT_MAX_INPUT_BYTES
}

fn default_max_records() -> usize {
    MAX_ENTRIES
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            mapping: DomainMapping::default(),
            default_kind: default_kind(),
            default_country: None,
            max_input_bytes: default_max_bytes(),
            max_records: default_max_records(),
            term_codes: Vec::new(),
            capacity_units: default_capacity_units(),
        }
    }
}

impl ImportOptions {
    /// Check the options: every term code names a known `beside` code, no term is mapped
    /// twice, no text is blank, and some capacity unit is given.
    pub fn check(&self) -> Result<(), beside_core::ValidationErrors> {
        let mut v = beside_core::Validator::new(chrono::Utc::now());
        v.field("term_codes", |v| {
            let mut seen: Vec<(String, String)> = Vec::new();
            for (i, t) in self.term_codes.iter().enumerate() {
                v.index(i, |v| {
                    v.text("taxonomy", &t.taxonomy, 200);
                    v.text("code", &t.code, 200);
                    if !super::attrs::is_known(&t.beside_code) {
                        v.report_at(
                            "beside_code",
                            Reason::Unknown {
                                value: t.beside_code.clone(),
                                known: super::attrs::CODES
                                    .iter()
                                    .map(|c| c.code.to_owned())
                                    .collect(),
                            },
                        );
                    }
                    let key = (
                        t.taxonomy.trim().to_lowercase(),
                        t.code.trim().to_lowercase(),
                    );
                    if seen.contains(&key) {
                        v.report_at(
                            "code",
                            Reason::Duplicate {
                                value: format!("{}/{}", t.taxonomy, t.code),
                            },
                        );
                    }
                    seen.push(key);
                });
            }
        });
        v.field("capacity_units", |v| {
            if self.capacity_units.iter().all(|u| u.trim().is_empty()) {
                v.report(Reason::Empty);
            }
        });
        v.finish()
    }

    /// The term code rule for an attribute's term, with its index.
    pub(crate) fn term_code(
        &self,
        taxonomy: &str,
        code: &str,
        name: &str,
    ) -> Option<(usize, &TermCode)> {
        if taxonomy.is_empty() {
            return None;
        }
        self.term_codes.iter().enumerate().find(|(_, t)| {
            t.taxonomy.trim().eq_ignore_ascii_case(taxonomy)
                && ((!code.is_empty() && t.code.trim().eq_ignore_ascii_case(code))
                    || (!name.is_empty() && t.code.trim().eq_ignore_ascii_case(name)))
        })
    }

    /// Whether `unit` (a unit's name or identifier) counts open places.
    pub(crate) fn counts_places(&self, unit: &str) -> bool {
        let u = unit.trim().to_lowercase();
        self.capacity_units.iter().any(|k| {
            let k = k.trim().to_lowercase();
            !k.is_empty() && word_matches(&k, &u)
        })
    }
}

/// Lower-case words of `text` (letters and digits; everything else separates).
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn word_matches(keyword_word: &str, word: &str) -> bool {
    word == keyword_word
        || word
            .strip_prefix(keyword_word)
            .is_some_and(|rest| rest == "s" || rest == "es")
}

/// Whether the keyword occurs in `text_words` as whole words.
pub(crate) fn keyword_in(keyword: &str, text_words: &[String]) -> bool {
    let kw = words(keyword);
    let n = kw.len();
    if n == 0 || n > text_words.len() {
        return false;
    }
    text_words.windows(n).any(|win| {
        win.iter().zip(kw.iter()).enumerate().all(|(i, (w, k))| {
            if i + 1 == n {
                word_matches(k, w)
            } else {
                w == k
            }
        })
    })
}

impl DomainMapping {
    /// Domains for a taxonomy term, by the term rules then by keywords in its name.
    pub fn for_term(&self, taxonomy: &str, code: &str, name: &str) -> Vec<DomainKey> {
        let mut out: Vec<DomainKey> = Vec::new();
        for rule in &self.terms {
            let tax_ok = rule
                .taxonomy
                .as_deref()
                .is_none_or(|t| t.trim().eq_ignore_ascii_case(taxonomy.trim()));
            let term = rule.term.trim();
            let term_ok = (!code.is_empty() && term.eq_ignore_ascii_case(code.trim()))
                || (!name.is_empty() && term.eq_ignore_ascii_case(name.trim()));
            if tax_ok && term_ok && !out.contains(&rule.domain) {
                out.push(rule.domain.clone());
            }
        }
        if out.is_empty() {
            out = self.for_text(name).into_iter().map(|(d, _)| d).collect();
        }
        out
    }

    /// Domains whose keywords occur in `text`, each with the keywords found, in rule order.
    pub fn for_text(&self, text: &str) -> Vec<(DomainKey, Vec<String>)> {
        let text_words = words(text);
        let mut out: Vec<(DomainKey, Vec<String>)> = Vec::new();
        for rule in &self.keywords {
            if keyword_in(&rule.keyword, &text_words) {
                match out.iter_mut().find(|(d, _)| d == &rule.domain) {
                    Some((_, kws)) => kws.push(rule.keyword.clone()),
                    None => out.push((rule.domain.clone(), vec![rule.keyword.clone()])),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_whole_words_and_plurals() {
        let w = words("Hot Meals, counselling; Eating-disorder clinic");
        assert!(keyword_in("meal", &w));
        assert!(keyword_in("clinic", &w));
        assert!(!keyword_in("eat", &w));
        assert!(keyword_in("eating disorder", &w));
        assert!(!keyword_in("disorder clinic x", &w));
    }

    #[test]
    fn default_mapping_finds_mental_health_in_counselling() {
        let m = DomainMapping::default();
        let found = m.for_text("Community Counselling");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, domains::MENTAL_HEALTH);
    }

    #[test]
    fn term_rules_come_before_keywords() {
        let mut m = DomainMapping::default();
        m.terms.push(TermRule {
            taxonomy: Some("airs".into()),
            term: "BD-1800".into(),
            domain: domains::FOOD,
        });
        assert_eq!(
            m.for_term("AIRS", "bd-1800", "Whatever"),
            vec![domains::FOOD]
        );
        assert_eq!(m.for_term("other", "bd-1800", "Whatever"), vec![]);
        assert_eq!(
            m.for_term("other", "x", "Legal Aid Clinics"),
            vec![domains::PHYSICAL_HEALTH, domains::LEGAL]
        );
    }

    #[test]
    fn default_keywords_are_unique() {
        let kws = default_keywords();
        let mut seen = std::collections::HashSet::new();
        for k in &kws {
            assert!(seen.insert(k.keyword.clone()), "{}", k.keyword);
        }
    }
}
