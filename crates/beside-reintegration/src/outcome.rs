//! Outcomes derived from needs-assessment domains, and the overall index.
//!
//! An outcome's score is the weighted mean of the levels of its domains that were rated at a
//! level (not assessed and declined count neither for nor against), so it lies on the same 1–5
//! scale as the levels, and raising any domain's level never lowers it. The overall index is
//! the weighted mean of the outcomes that could be scored, again on the 1–5 scale.
//!
//! Two profiles are bundled: [`OutcomeProfile::kasper_chiang`] (the default: financial health,
//! mental health, connection with family, acceptance within society, after Kasper & Chiang
//! 2020) and [`OutcomeProfile::iom_dimensions`] (IOM's reintegration sustainability
//! dimensions: economic, social, psychosocial).

use beside_core::domain::{domains, is_key};
use beside_core::{DomainKey, Level, Reason, Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Most outcomes in one profile.
pub const MAX_OUTCOMES: usize = 16;
/// Most domains feeding one outcome.
pub const MAX_OUTCOME_DOMAINS: usize = 64;

/// The key of an outcome (`financial_health`, `economic`): lower-case letters, digits and `_`,
/// starting with a letter, at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OutcomeKey(Cow<'static, str>);

impl OutcomeKey {
    /// Parse and check a key.
    pub fn new(key: &str) -> Result<Self, Reason> {
        if is_key(key) {
            Ok(Self(Cow::Owned(key.to_owned())))
        } else {
            Err(Reason::Invalid {
                expected: "an outcome key of lower-case letters, digits and `_`, starting with a letter, at most 64 characters".into(),
                value: key.to_owned(),
            })
        }
    }

    /// A key taken as it comes, for the FFI lift only: `beside-ffi` checks every typed input by
    /// the deserialiser, which refuses a malformed key with its field path (see
    /// `beside_core::ffi`). INVARIANT: nothing built here is used before that check.
    #[cfg(feature = "uniffi")]
    pub(crate) fn unchecked(key: String) -> Self {
        Self(Cow::Owned(key))
    }

    /// A key from a static string known to be well formed.
    pub const fn from_static(key: &'static str) -> Self {
        Self(Cow::Borrowed(key))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key of this outcome's label: `reintegration.outcome.<key>`.
    pub fn label_key(&self) -> String {
        format!("reintegration.outcome.{}", self.0)
    }
}

impl TryFrom<String> for OutcomeKey {
    type Error = Reason;
    fn try_from(value: String) -> Result<Self, Reason> {
        Self::new(&value)
    }
}

impl From<OutcomeKey> for String {
    fn from(k: OutcomeKey) -> String {
        k.0.into_owned()
    }
}

impl std::fmt::Display for OutcomeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl JsonSchema for OutcomeKey {
    fn schema_name() -> Cow<'static, str> {
        "OutcomeKey".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[a-z][a-z0-9_]{0,63}$",
            "description": "Key of an outcome, e.g. `financial_health` or `economic`."
        })
    }
}

/// The bundled outcome keys.
pub mod outcomes {
    use super::OutcomeKey;
    /// Financial health (Kasper & Chiang 2020).
    pub const FINANCIAL_HEALTH: OutcomeKey = OutcomeKey::from_static("financial_health");
    /// Mental health (Kasper & Chiang 2020).
    pub const MENTAL_HEALTH: OutcomeKey = OutcomeKey::from_static("mental_health");
    /// Connection with family (Kasper & Chiang 2020).
    pub const FAMILY_CONNECTION: OutcomeKey = OutcomeKey::from_static("family_connection");
    /// Acceptance within society (Kasper & Chiang 2020).
    pub const SOCIAL_ACCEPTANCE: OutcomeKey = OutcomeKey::from_static("social_acceptance");
    /// Economic dimension (IOM reintegration sustainability).
    pub const ECONOMIC: OutcomeKey = OutcomeKey::from_static("economic");
    /// Social dimension (IOM reintegration sustainability).
    pub const SOCIAL: OutcomeKey = OutcomeKey::from_static("social");
    /// Psychosocial dimension (IOM reintegration sustainability).
    pub const PSYCHOSOCIAL: OutcomeKey = OutcomeKey::from_static("psychosocial");
}

fn one() -> f64 {
    1.0
}

/// A domain feeding an outcome, with its weight within the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DomainWeight {
    /// The domain.
    pub domain: DomainKey,
    /// Its weight (>= 0; default 1).
    #[serde(default = "one")]
    pub weight: f64,
}

/// One outcome: which domains feed it, and its weight in the overall index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct OutcomeDefinition {
    /// The outcome.
    pub key: OutcomeKey,
    /// The domains feeding it; their weights must sum to more than 0.
    pub domains: Vec<DomainWeight>,
    /// The outcome's weight in the overall index (>= 0; default 1, so outcomes count equally).
    #[serde(default = "one")]
    pub weight: f64,
}

/// A set of outcomes and how each is derived: a mapping from domains to outcomes plus the
/// index weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct OutcomeProfile {
    /// A short key naming the profile (`kasper_chiang_2020`, `iom_dimensions`).
    pub key: String,
    /// The outcomes, in display order; the index weights must sum to more than 0.
    pub outcomes: Vec<OutcomeDefinition>,
}

fn dw(domain: DomainKey, weight: f64) -> DomainWeight {
    DomainWeight { domain, weight }
}

fn def(key: OutcomeKey, domains: Vec<DomainWeight>) -> OutcomeDefinition {
    OutcomeDefinition {
        key,
        domains,
        weight: 1.0,
    }
}

impl Default for OutcomeProfile {
    fn default() -> Self {
        Self::kasper_chiang()
    }
}

impl OutcomeProfile {
    /// The default profile: the four outcomes of Kasper & Chiang (2020), equally weighted.
    /// The domain that names an outcome weighs double within it.
    pub fn kasper_chiang() -> Self {
        use domains::*;
        use outcomes::*;
        Self {
            key: "kasper_chiang_2020".into(),
            outcomes: vec![
                def(
                    FINANCIAL_HEALTH,
                    vec![
                        dw(LIVELIHOOD, 2.0),
                        dw(DEBT, 1.0),
                        dw(EMERGENCY_FUNDS, 1.0),
                        dw(EDUCATION, 1.0),
                    ],
                ),
                def(
                    outcomes::MENTAL_HEALTH,
                    vec![
                        dw(domains::MENTAL_HEALTH, 2.0),
                        dw(SAFETY, 1.0),
                        dw(PEER_SUPPORT, 1.0),
                    ],
                ),
                def(FAMILY_CONNECTION, vec![dw(FAMILY, 2.0), dw(CHILDCARE, 1.0)]),
                def(
                    SOCIAL_ACCEPTANCE,
                    vec![dw(COMMUNITY, 2.0), dw(DOCUMENTS, 1.0), dw(LEGAL, 1.0)],
                ),
            ],
        }
    }

    /// IOM's reintegration sustainability dimensions, equally weighted: economic (income,
    /// debt, savings, food security), social (housing, health, documents, justice, education,
    /// childcare) and psychosocial (mental health, safety, family, community, peers).
    pub fn iom_dimensions() -> Self {
        use domains::*;
        use outcomes::*;
        Self {
            key: "iom_dimensions".into(),
            outcomes: vec![
                def(
                    ECONOMIC,
                    vec![
                        dw(LIVELIHOOD, 1.0),
                        dw(DEBT, 1.0),
                        dw(EMERGENCY_FUNDS, 1.0),
                        dw(FOOD, 1.0),
                    ],
                ),
                def(
                    SOCIAL,
                    vec![
                        dw(SHELTER, 1.0),
                        dw(BASIC_ITEMS, 1.0),
                        dw(PHYSICAL_HEALTH, 1.0),
                        dw(DOCUMENTS, 1.0),
                        dw(LEGAL, 1.0),
                        dw(EDUCATION, 1.0),
                        dw(CHILDCARE, 1.0),
                    ],
                ),
                def(
                    PSYCHOSOCIAL,
                    vec![
                        dw(domains::MENTAL_HEALTH, 1.0),
                        dw(SAFETY, 1.0),
                        dw(FAMILY, 1.0),
                        dw(COMMUNITY, 1.0),
                        dw(PEER_SUPPORT, 1.0),
                    ],
                ),
            ],
        }
    }

    /// The profile with each outcome's index weight set from `weights` (by outcome key);
    /// outcomes not named keep theirs.
    pub fn with_index_weights(mut self, weights: &[(OutcomeKey, f64)]) -> Self {
        for o in &mut self.outcomes {
            if let Some((_, w)) = weights.iter().find(|(k, _)| k == &o.key) {
                o.weight = *w;
            }
        }
        self
    }

    /// Check the profile and that every domain it names is in `known`.
    pub fn validate_against(&self, v: &mut Validator, known: &[DomainKey]) {
        self.validate_with(v);
        v.field("outcomes", |v| {
            for (i, o) in self.outcomes.iter().enumerate() {
                v.index(i, |v| {
                    v.field("domains", |v| {
                        for (j, d) in o.domains.iter().enumerate() {
                            if !known.contains(&d.domain) {
                                v.index(j, |v| {
                                    v.report_at(
                                        "domain",
                                        Reason::Unknown {
                                            value: d.domain.to_string(),
                                            known: known.iter().map(|k| k.to_string()).collect(),
                                        },
                                    )
                                });
                            }
                        }
                    })
                });
            }
        });
    }
}

/// Check a list of weights: each finite and >= 0, and their sum > 0.
fn check_weights(v: &mut Validator, list: &str, field: &str, weights: &[f64]) {
    let mut sum = 0.0;
    v.field(list, |v| {
        for (i, w) in weights.iter().enumerate() {
            v.index(i, |v| v.min(field, *w, 0.0));
            if w.is_finite() && *w > 0.0 {
                sum += *w;
            }
        }
    });
    if !weights.is_empty() && sum <= 0.0 {
        v.report_at(
            list,
            Reason::Invalid {
                expected: format!("`{field}` values that sum to more than 0"),
                value: format!("{sum}"),
            },
        );
    }
}

impl Validate for OutcomeProfile {
    /// Checks keys, sizes, uniqueness and weights (no catalogue: see
    /// [`OutcomeProfile::validate_against`]).
    fn validate_with(&self, v: &mut Validator) {
        v.field("key", |v| {
            if !is_key(&self.key) {
                v.report(Reason::Invalid {
                    expected: "a key of lower-case letters, digits and `_`".into(),
                    value: self.key.clone(),
                });
            }
        });
        if self.outcomes.is_empty() {
            v.report_at("outcomes", Reason::Empty);
        }
        v.max_items("outcomes", &self.outcomes, MAX_OUTCOMES);
        v.unique("outcomes", self.outcomes.iter().map(|o| o.key.as_str()));
        let weights: Vec<f64> = self.outcomes.iter().map(|o| o.weight).collect();
        check_weights(v, "outcomes", "weight", &weights);
        v.field("outcomes", |v| {
            for (i, o) in self.outcomes.iter().enumerate() {
                v.index(i, |v| {
                    if o.domains.is_empty() {
                        v.report_at("domains", Reason::Empty);
                    }
                    v.max_items("domains", &o.domains, MAX_OUTCOME_DOMAINS);
                    v.unique("domains", o.domains.iter().map(|d| d.domain.as_str()));
                    let w: Vec<f64> = o.domains.iter().map(|d| d.weight).collect();
                    check_weights(v, "domains", "weight", &w);
                });
            }
        });
    }
}

/// One outcome's score at one assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct OutcomeScore {
    /// The outcome.
    pub outcome: OutcomeKey,
    /// The weighted mean level of its rated domains, 1 to 5; absent when none was rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The level the score reaches (rounded down); absent when there is no score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// How many of its domains were rated at a level.
    pub rated_domains: u32,
    /// How many of its domains there are.
    pub total_domains: u32,
}

/// The level a score reaches, rounding down (2.9 is still vulnerable).
pub fn level_of(score: f64) -> Option<Level> {
    if !score.is_finite() {
        return None;
    }
    Some(if score >= 5.0 {
        Level::Thriving
    } else if score >= 4.0 {
        Level::BuildingCapacity
    } else if score >= 3.0 {
        Level::Safe
    } else if score >= 2.0 {
        Level::Vulnerable
    } else {
        Level::InCrisis
    })
}

/// Rule: an outcome's score is the weighted mean level of its domains rated at a level, on
/// the 1–5 scale ("not assessed" and "declined" count neither for nor against); none when no
/// domain of weight above 0 was rated. Also how many of its domains were rated at a level (at
/// any weight). `levels` are the levels of the outcome's domains, in its order.
/// `docs/rules.md`, "Reintegration": outcomes.
pub(crate) fn outcome_score(
    def: &OutcomeDefinition,
    levels: impl IntoIterator<Item = Option<Level>>,
) -> (Option<f64>, u32) {
    let (mut sum, mut wsum, mut rated) = (0.0, 0.0, 0u32);
    for (d, level) in def.domains.iter().zip(levels) {
        if let Some(l) = level {
            rated += 1;
            sum += d.weight * f64::from(l.number());
            wsum += d.weight;
        }
    }
    let score = (wsum > 0.0).then(|| (sum / wsum).clamp(1.0, 5.0));
    (score, rated)
}

/// The score of one outcome ([`outcome_score`]) with its level and counts, from a lookup of
/// domain levels by key.
fn score_outcome(
    def: &OutcomeDefinition,
    mut level: impl FnMut(&DomainKey) -> Option<Level>,
) -> OutcomeScore {
    let (score, rated) = outcome_score(def, def.domains.iter().map(|d| level(&d.domain)));
    OutcomeScore {
        outcome: def.key.clone(),
        score,
        level: score.and_then(level_of),
        rated_domains: rated,
        total_domains: u32::try_from(def.domains.len()).unwrap_or(u32::MAX),
    }
}

/// Rule: the overall index is the weighted mean of the scored outcomes (`scores`, in the
/// profile's order), 1 to 5; none when no outcome with a weight above 0 was scored.
/// `docs/rules.md`, "Reintegration": outcomes.
pub(crate) fn overall_index(
    profile: &OutcomeProfile,
    scores: impl IntoIterator<Item = Option<f64>>,
) -> Option<f64> {
    let (mut sum, mut wsum) = (0.0, 0.0);
    for (def, score) in profile.outcomes.iter().zip(scores) {
        if let Some(score) = score {
            sum += def.weight * score;
            wsum += def.weight;
        }
    }
    (wsum > 0.0).then(|| (sum / wsum).clamp(1.0, 5.0))
}

/// Outcome scores and the index for one assessment, under `profile`.
pub fn outcomes_of(
    profile: &OutcomeProfile,
    assessment: &beside_needs::Assessment,
) -> (Vec<OutcomeScore>, Option<f64>) {
    let scores: Vec<OutcomeScore> = profile
        .outcomes
        .iter()
        .map(|d| score_outcome(d, |k| assessment.level(k.as_str())))
        .collect();
    let index = overall_index(profile, scores.iter().map(|s| s.score));
    (scores, index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::{default_domain_keys, Validate};
    use chrono::Utc;

    #[test]
    fn bundled_profiles_are_valid() {
        let known = default_domain_keys();
        for p in [
            OutcomeProfile::kasper_chiang(),
            OutcomeProfile::iom_dimensions(),
        ] {
            let mut v = Validator::new(Utc::now());
            p.validate_against(&mut v, &known);
            assert!(v.finish().is_ok(), "{}", p.key);
        }
    }

    #[test]
    fn bad_weights_and_unknown_domains() {
        let mut p = OutcomeProfile::kasper_chiang();
        p.outcomes[0].domains[1].weight = -1.0;
        p.outcomes[1]
            .domains
            .iter_mut()
            .for_each(|d| d.weight = 0.0);
        p.outcomes[2].domains[0].domain = DomainKey::new("fod").unwrap();
        let mut v = Validator::new(Utc::now());
        p.validate_against(&mut v, &default_domain_keys());
        let e = v.finish().unwrap_err();
        assert!(e.has_path("outcomes[0].domains[1].weight"), "{e}");
        assert!(e.has_path("outcomes[1].domains"), "{e}");
        assert!(e.has_path("outcomes[2].domains[0].domain"), "{e}");
        let all_zero = OutcomeProfile::kasper_chiang().with_index_weights(&[
            (outcomes::FINANCIAL_HEALTH, 0.0),
            (outcomes::MENTAL_HEALTH, 0.0),
            (outcomes::FAMILY_CONNECTION, 0.0),
            (outcomes::SOCIAL_ACCEPTANCE, 0.0),
        ]);
        let e = all_zero.validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "outcomes: must be `weight` values that sum to more than 0, got `0`"
        );
    }

    #[test]
    fn levels_round_down() {
        assert_eq!(level_of(2.99), Some(Level::Vulnerable));
        assert_eq!(level_of(5.0), Some(Level::Thriving));
        assert_eq!(level_of(1.0), Some(Level::InCrisis));
        assert_eq!(level_of(f64::NAN), None);
    }
}
