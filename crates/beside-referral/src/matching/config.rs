//! Matching settings: weights and limits are data with defaults, never constants in code.

use beside_core::{Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Weights of the soft-score factors. The score is the weighted mean of the factor values, so
/// only the ratios between weights matter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ScoreWeights {
    /// Distance or reach.
    pub distance: f64,
    /// Language.
    pub language: f64,
    /// Preferences.
    pub preferences: f64,
    /// Cost against means.
    pub cost: f64,
    /// Capacity pressure.
    pub capacity: f64,
    /// Several needs at one provider.
    pub several_needs: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        Self {
            distance: 0.30,
            language: 0.25,
            preferences: 0.15,
            cost: 0.10,
            capacity: 0.10,
            several_needs: 0.10,
        }
    }
}

/// Matching settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MatchConfig {
    /// Factor weights.
    pub weights: ScoreWeights,
    /// Travel limit when the request gives none, km.
    pub default_travel_limit_km: f64,
    /// How far beyond the travel limit a provider still counts as a near miss, as a multiple of
    /// the limit (2 = up to twice the limit). Providers beyond are not looked at.
    pub near_miss_reach: f64,
    /// How many candidates to return per need.
    pub top_n: u32,
    /// How many near misses to return per need.
    pub max_near_misses: u32,
    /// Open places at which capacity no longer lowers the score.
    pub comfortable_capacity: u32,
    /// The distance factor's value, 0 to 1, for an outreach service (a helpline, a visiting
    /// group) that reaches the person's area; one that does not is excluded, as outside its
    /// service area. Outreach comes to her, so there is no distance to weigh, but a national
    /// phone line is not a visit at home: by default 0.5, as an in-person place at half her
    /// travel limit, so a local in-person provider within half her limit outranks a line that
    /// covers the whole country, and a far one does not. 1 gives outreach full distance points.
    #[serde(default = "default_outreach_reach")]
    pub outreach_reach: f64,
}

fn default_outreach_reach() -> f64 {
    0.5
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self {
            weights: ScoreWeights::default(),
            default_travel_limit_km: 50.0,
            near_miss_reach: 2.0,
            top_n: 10,
            max_near_misses: 10,
            comfortable_capacity: 10,
            outreach_reach: default_outreach_reach(),
        }
    }
}

impl ScoreWeights {
    /// The weights in factor order: distance, language, preferences, cost, capacity, several
    /// needs.
    pub(crate) fn in_factor_order(&self) -> [f64; 6] {
        [
            self.distance,
            self.language,
            self.preferences,
            self.cost,
            self.capacity,
            self.several_needs,
        ]
    }
}

impl MatchConfig {
    pub(crate) fn total_weight(&self) -> f64 {
        self.weights.in_factor_order().iter().sum()
    }
}

impl Validate for MatchConfig {
    fn validate_with(&self, v: &mut Validator) {
        v.field("weights", |v| {
            let w = &self.weights;
            for (name, x) in [
                ("distance", w.distance),
                ("language", w.language),
                ("preferences", w.preferences),
                ("cost", w.cost),
                ("capacity", w.capacity),
                ("several_needs", w.several_needs),
            ] {
                v.range(name, x, 0.0, 1000.0);
            }
        });
        if self.total_weight() <= 0.0 {
            v.report_at(
                "weights",
                beside_core::Reason::Invalid {
                    expected: "weights with a positive sum".into(),
                    value: self.total_weight().to_string(),
                },
            );
        }
        v.range(
            "default_travel_limit_km",
            self.default_travel_limit_km,
            0.0,
            20_000.0,
        );
        v.range("near_miss_reach", self.near_miss_reach, 1.0, 100.0);
        v.range("outreach_reach", self.outreach_reach, 0.0, 1.0);
        v.range("top_n", f64::from(self.top_n), 1.0, 1000.0);
        v.range(
            "max_near_misses",
            f64::from(self.max_near_misses),
            0.0,
            1000.0,
        );
        v.range(
            "comfortable_capacity",
            f64::from(self.comfortable_capacity),
            1.0,
            1_000_000.0,
        );
    }
}
