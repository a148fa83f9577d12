//! The model's configuration: which outcomes, how follow-ups, trends and risk are judged.
//! All of it is data with defaults; a [`ReintegrationModel`] is a configuration that passed
//! its checks.

use crate::error::ReintegrationError;
use crate::followup::FollowUpConfig;
use crate::outcome::{canonical_domain, canonical_outcome, OutcomeKey, OutcomeProfile};
use crate::risk::RiskConfig;
use beside_core::{default_domain_keys, DomainKey, Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How trends and setbacks are judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct TrendConfig {
    /// A change of an outcome's score smaller than this (either way) is "stable". Default 0.5.
    pub stable_band: f64,
    /// A domain falling by at least this many levels between two assessments is a setback.
    /// Default 1.
    pub domain_drop: u8,
    /// An outcome's score falling by at least this much between two assessments is a setback.
    /// Default 1.0.
    pub outcome_drop: f64,
}

impl Default for TrendConfig {
    fn default() -> Self {
        Self {
            stable_band: 0.5,
            domain_drop: 1,
            outcome_drop: 1.0,
        }
    }
}

impl Validate for TrendConfig {
    fn validate_with(&self, v: &mut Validator) {
        v.range("stable_band", self.stable_band, 0.0, 4.0);
        v.range("domain_drop", f64::from(self.domain_drop), 1.0, 4.0);
        v.range("outcome_drop", self.outcome_drop, 0.01, 4.0);
    }
}

/// Everything the model can be told.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct ModelConfig {
    /// The outcomes and how they derive from domains (default: Kasper & Chiang 2020).
    pub profile: OutcomeProfile,
    /// Follow-up intervals.
    pub follow_up: FollowUpConfig,
    /// Trends and setbacks.
    pub trend: TrendConfig,
    /// Re-trafficking risk points and thresholds.
    pub risk: RiskConfig,
}

impl Validate for ModelConfig {
    /// Checks everything except that the profile's domains exist (see
    /// [`ReintegrationModel::new`]).
    fn validate_with(&self, v: &mut Validator) {
        v.field("profile", |v| self.profile.validate_with(v));
        v.field("follow_up", |v| self.follow_up.validate_with(v));
        v.field("trend", |v| self.trend.validate_with(v));
        v.field("risk", |v| self.risk.validate_with(v));
    }
}

/// A checked [`ModelConfig`]: weights are non-negative and sum to more than zero, intervals
/// and thresholds are in range, so every computation stays in bounds. Deserialising one checks
/// it (but not against a domain catalogue; [`ReintegrationModel::new`] does).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ModelConfig", into = "ModelConfig")]
pub struct ReintegrationModel {
    config: ModelConfig,
    /// The profile's domains numbered once, so trajectories look ratings up by column.
    #[serde(skip)]
    columns: ProfileColumns,
}

/// The profile's domain mapping compiled to numbers: each distinct domain of the profile gets a
/// column (in order of first mention), then each other default domain (so that assessments over
/// the default catalogue find every key here), and each outcome's domain list becomes a run of
/// (column, weight) entries. Keys that are bundled ones are the static bundled keys, so
/// results copy them for free.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ProfileColumns {
    /// The distinct domains of the profile, then the other default domains.
    pub(crate) domains: Vec<DomainKey>,
    /// Each domain's place in key order (the order setbacks at one point are listed in).
    pub(crate) ranks: Vec<u32>,
    /// The column of each place in key order (the inverse of `ranks`).
    pub(crate) by_rank: Vec<u32>,
    /// The column of each default domain, in the default catalogue's order (the order
    /// assessments made from it list their ratings in).
    pub(crate) catalogue: Vec<u32>,
    /// The default catalogue's keys, in its order (the key at each position of `catalogue`).
    pub(crate) catalogue_keys: Vec<&'static str>,
    /// The largest column in `catalogue` (0 when it is empty).
    pub(crate) catalogue_max: usize,
    /// Per domain entry of the profile, flattened in outcome order: its column in `domains`
    /// and its weight within the outcome.
    pub(crate) entries: Vec<(usize, f64)>,
    /// The outcomes, in the profile's order.
    pub(crate) outcomes: Vec<CompiledOutcome>,
    /// Every outcome's [`WholeWeights`] (in the profile's order), when every outcome has them.
    pub(crate) whole: Option<Vec<WholeWeights>>,
}

/// One outcome of a [`ProfileColumns`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompiledOutcome {
    /// The outcome.
    pub(crate) key: OutcomeKey,
    /// Its weight in the index.
    pub(crate) weight: f64,
    /// How many domains feed it.
    pub(crate) total_domains: u32,
    /// Its run in [`ProfileColumns::entries`].
    pub(crate) entries: std::ops::Range<usize>,
    /// When every domain of the outcome has a whole weight from 0 to 6, is named once and has
    /// one of the first 16 columns: the weights as bytes, so that a row's figures for the
    /// outcome come from a few multiplications (see [`WholeWeights`]).
    pub(crate) whole: Option<WholeWeights>,
}

/// An outcome's weights over the first 16 columns of a row (two words of eight cells), for
/// sums by multiplication: the product of a word of cells and a word of byte-reversed weights
/// holds, in its top byte, the sum of each cell times its weight, as long as no partial sum
/// reaches 256 (cells are at most 5 and weights at most 6: 8 x 5 x 6 = 240). The sums are whole
/// numbers, so the f64 figures equal those of adding weight x level entry by entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WholeWeights {
    /// Per word, the weight of column `8 * word + i` in byte `7 - i`.
    pub(crate) reversed: [u64; 2],
    /// Per word, 1 in byte `i` when column `8 * word + i` feeds the outcome (at any weight).
    pub(crate) fed: [u64; 2],
}

impl WholeWeights {
    /// The outcome's weighted sum of levels, sum of weights and number of rated domains, from
    /// the first 16 cells of a row (`cells`, two words of level numbers) and which of them are
    /// rated (`rated`, 1 in each rated cell's byte).
    #[inline(always)]
    pub(crate) fn sums(&self, cells: [u64; 2], rated: [u64; 2]) -> (f64, f64, u32) {
        // The top byte of the product: the sum of the byte-wise products.
        let top = |a: u64, b: u64| (a.wrapping_mul(b) >> 56) as u32;
        const ONES: u64 = 0x0101_0101_0101_0101;
        let [c0, c1] = cells;
        let [r0, r1] = rated;
        let [w0, w1] = self.reversed;
        let [f0, f1] = self.fed;
        let sum = top(c0, w0) + top(c1, w1);
        let wsum = top(r0, w0) + top(r1, w1);
        let count = top(r0 & f0, ONES) + top(r1 & f1, ONES);
        (f64::from(sum), f64::from(wsum), count)
    }
}

/// The [`WholeWeights`] of an outcome's entries, when they qualify.
fn whole_weights(entries: &[(usize, f64)]) -> Option<WholeWeights> {
    let mut w = WholeWeights {
        reversed: [0; 2],
        fed: [0; 2],
    };
    for &(col, weight) in entries {
        if !(weight.fract() == 0.0 && (0.0..=6.0).contains(&weight)) {
            return None;
        }
        let (word, i) = (col / 8, col % 8);
        let fed = w.fed.get_mut(word)?;
        let byte = 1u64 << (i * 8);
        if *fed & byte != 0 {
            return None;
        }
        *fed |= byte;
        let reversed = w.reversed.get_mut(word)?;
        *reversed |= (weight as u64) << ((7 - i) * 8);
    }
    Some(w)
}

impl ProfileColumns {
    fn of(profile: &OutcomeProfile) -> Self {
        let mut domains: Vec<DomainKey> = Vec::new();
        let mut entries = Vec::new();
        let mut outcomes = Vec::with_capacity(profile.outcomes.len());
        for o in &profile.outcomes {
            let start = entries.len();
            for d in &o.domains {
                let c = match domains.iter().position(|k| k == &d.domain) {
                    Some(c) => c,
                    None => {
                        domains.push(canonical_domain(&d.domain));
                        domains.len() - 1
                    }
                };
                entries.push((c, d.weight));
            }
            outcomes.push(CompiledOutcome {
                key: canonical_outcome(&o.key),
                weight: o.weight,
                total_domains: u32::try_from(o.domains.len()).unwrap_or(u32::MAX),
                whole: whole_weights(entries.get(start..).unwrap_or(&[])),
                entries: start..entries.len(),
            });
        }
        for (key, _) in &beside_core::DEFAULT_DOMAINS {
            if !domains.iter().any(|k| k == key) {
                domains.push(key.clone());
            }
        }
        let catalogue: Vec<u32> = beside_core::DEFAULT_DOMAINS
            .iter()
            .map(|(key, _)| {
                let c = domains.iter().position(|k| k == key).unwrap_or(usize::MAX);
                u32::try_from(c).unwrap_or(u32::MAX)
            })
            .collect();
        let ranks = ranks(&domains.iter().map(DomainKey::as_str).collect::<Vec<_>>());
        Self {
            by_rank: by_rank(&ranks),
            ranks,
            whole: outcomes.iter().map(|o| o.whole).collect(),
            catalogue_keys: beside_core::DEFAULT_DOMAINS
                .iter()
                .map(|(key, _)| key.as_str())
                .collect(),
            catalogue_max: catalogue.iter().max().map_or(0, |&c| c as usize),
            catalogue,
            domains,
            entries,
            outcomes,
        }
    }
}

/// Each key's place in key order.
pub(crate) fn ranks(keys: &[&str]) -> Vec<u32> {
    let mut by_key: Vec<usize> = (0..keys.len()).collect();
    by_key.sort_by(|&a, &b| {
        let key = |i: usize| keys.get(i).copied().unwrap_or("");
        key(a).cmp(key(b))
    });
    let mut ranks = vec![0; keys.len()];
    for (rank, i) in by_key.into_iter().enumerate() {
        if let Some(r) = ranks.get_mut(i) {
            *r = u32::try_from(rank).unwrap_or(u32::MAX);
        }
    }
    ranks
}

/// The position of each place in `ranks` (which numbers `0..ranks.len()` once each).
pub(crate) fn by_rank(ranks: &[u32]) -> Vec<u32> {
    let mut positions = vec![u32::MAX; ranks.len()];
    for (i, &r) in ranks.iter().enumerate() {
        if let Some(p) = positions.get_mut(r as usize) {
            *p = u32::try_from(i).unwrap_or(u32::MAX);
        }
    }
    positions
}

impl ReintegrationModel {
    /// Check `config`, and that every domain its profile names is in `known`.
    pub fn new(config: ModelConfig, known: &[DomainKey]) -> Result<Self, ReintegrationError> {
        let mut v = Validator::new(chrono::Utc::now());
        config.validate_with(&mut v);
        v.field("profile", |v| config.profile.validate_against(v, known));
        v.finish()?;
        Ok(Self::compiled(config))
    }

    fn compiled(config: ModelConfig) -> Self {
        let columns = ProfileColumns::of(&config.profile);
        Self { config, columns }
    }

    /// The profile's compiled domain columns.
    pub(crate) fn columns(&self) -> &ProfileColumns {
        &self.columns
    }

    /// The default model over the default domains with `profile`.
    pub fn with_profile(profile: OutcomeProfile) -> Result<Self, ReintegrationError> {
        Self::new(
            ModelConfig {
                profile,
                ..ModelConfig::default()
            },
            &default_domain_keys(),
        )
    }

    /// The configuration.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }
}

impl Default for ReintegrationModel {
    /// The defaults: Kasper & Chiang outcomes, equal index weights, the brief's follow-up
    /// intervals (these pass every check).
    fn default() -> Self {
        Self::compiled(ModelConfig::default())
    }
}

impl JsonSchema for ReintegrationModel {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ReintegrationModel".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ModelConfig::json_schema(generator)
    }
}

impl TryFrom<ModelConfig> for ReintegrationModel {
    type Error = ReintegrationError;
    fn try_from(config: ModelConfig) -> Result<Self, ReintegrationError> {
        config.validate()?;
        Ok(Self::compiled(config))
    }
}

impl From<ReintegrationModel> for ModelConfig {
    fn from(m: ReintegrationModel) -> ModelConfig {
        m.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::OutcomeProfile;

    #[test]
    fn defaults_pass_and_both_profiles_build() {
        let d = ModelConfig::default();
        assert!(ReintegrationModel::new(d, &default_domain_keys()).is_ok());
        assert!(ReintegrationModel::with_profile(OutcomeProfile::iom_dimensions()).is_ok());
    }

    #[test]
    fn deserialising_checks() {
        let bad = r#"{"trend": {"domain_drop": 0}}"#;
        let r: Result<ReintegrationModel, _> = serde_json::from_str(bad);
        assert!(r.unwrap_err().to_string().contains("trend.domain_drop"));
        let ok: ReintegrationModel = serde_json::from_str("{}").unwrap();
        assert_eq!(ok, ReintegrationModel::default());
    }

    #[test]
    fn unknown_domain_is_named() {
        let mut c = ModelConfig::default();
        c.profile.outcomes[0].domains[0].domain = DomainKey::new("incom").unwrap();
        let e = ReintegrationModel::new(c, &default_domain_keys()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("profile.outcomes[0].domains[0].domain: unknown value `incom`"),
            "{e}"
        );
    }
}
