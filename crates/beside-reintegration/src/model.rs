//! The model's configuration: which outcomes, how follow-ups, trends and risk are judged.
//! All of it is data with defaults; a [`ReintegrationModel`] is a configuration that passed
//! its checks.

use crate::error::ReintegrationError;
use crate::followup::FollowUpConfig;
use crate::outcome::OutcomeProfile;
use crate::risk::RiskConfig;
use beside_core::{default_domain_keys, DomainKey, Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How trends and setbacks are judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
}

impl ReintegrationModel {
    /// Check `config`, and that every domain its profile names is in `known`.
    pub fn new(config: ModelConfig, known: &[DomainKey]) -> Result<Self, ReintegrationError> {
        let mut v = Validator::new(chrono::Utc::now());
        config.validate_with(&mut v);
        v.field("profile", |v| config.profile.validate_against(v, known));
        v.finish()?;
        Ok(Self { config })
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
        Self {
            config: ModelConfig::default(),
        }
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
        Ok(Self { config })
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
