//! Plans for several needs: foundational needs first (in the order beside-needs gives, which
//! follows the dependency graph, red flags and the person's own ranking), fewer providers
//! preferred, every step explained, and "not now" needs left out with a reason.

use crate::matching::{
    Candidate, ConsentGate, MatchConfig, MatchError, MatchIndex, MatchRequest, NeedMatch,
};
use beside_core::{DomainKey, Level, OrganizationId, Validate, Validator};
use beside_needs::{Prioritisation, PriorityItem, PriorityReason, Urgency};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Plan settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PlanConfig {
    /// Needs at this level or worse are planned (the person's own priorities and red flags are
    /// planned whatever their level).
    pub plan_up_to_level: Level,
    /// A provider already in the plan is chosen when its score is within this much of the best
    /// (fewer providers to visit and to trust).
    pub same_provider_tolerance: f64,
}

impl Default for PlanConfig {
    fn default() -> Self {
        Self {
            plan_up_to_level: Level::Vulnerable,
            same_provider_tolerance: 0.10,
        }
    }
}

impl Validate for PlanConfig {
    fn validate_with(&self, v: &mut Validator) {
        v.range(
            "same_provider_tolerance",
            self.same_provider_tolerance,
            0.0,
            1.0,
        );
    }
}

/// Why a provider was chosen for a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ChoiceReason {
    /// The best-scoring eligible provider.
    BestScore {
        /// Its score.
        score: f64,
    },
    /// A provider already chosen for an earlier step, nearly as good as the best.
    SameProviderAsEarlierStep {
        /// The earlier step.
        step: u32,
        /// Its score.
        score: f64,
        /// The best score for this need.
        best_score: f64,
    },
    /// No eligible provider: the step stays open, with its near misses.
    NoEligibleProvider {
        /// How many near misses were found.
        near_misses: u32,
    },
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PlanStep {
    /// Step number, 1 first.
    pub step: u32,
    /// The need.
    pub domain: DomainKey,
    /// Its urgency, from prioritisation.
    pub urgency: Urgency,
    /// Its place in the prioritised list.
    pub priority_position: u32,
    /// The chosen provider, when there is one.
    pub choice: Option<Candidate>,
    /// Why.
    pub reason: ChoiceReason,
}

/// Why a need is not in the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum LeftOutReason {
    /// The person said "not now".
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NotNow,
    /// The level is better than the plan threshold: no referral needed now.
    NoReferralNeeded {
        /// The level.
        level: Level,
    },
}

/// A need left out of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LeftOut {
    /// The need.
    pub domain: DomainKey,
    /// Why.
    pub reason: LeftOutReason,
}

/// A referral plan for one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The steps, in order.
    pub steps: Vec<PlanStep>,
    /// Needs not planned, with the reason.
    pub left_out: Vec<LeftOut>,
    /// Distinct providers in the plan.
    pub providers: Vec<OrganizationId>,
    /// Whether consent was checked for every provider.
    pub consent_checked: bool,
}

fn planned(item: &PriorityItem, config: &PlanConfig) -> Result<(), LeftOutReason> {
    if !item.referable {
        return Err(LeftOutReason::NotNow);
    }
    let own_or_flag = item.urgency == Urgency::RedFlag
        || item.reasons.iter().any(|r| {
            matches!(
                r,
                PriorityReason::OwnRank { .. } | PriorityReason::RedFlag { .. }
            )
        });
    match item.level {
        Some(level) if level > config.plan_up_to_level && !own_or_flag => {
            Err(LeftOutReason::NoReferralNeeded { level })
        }
        _ => Ok(()),
    }
}

impl MatchIndex {
    /// Build a plan from a prioritisation: match every planned need in one query (so providers
    /// covering several needs score for it), then walk the needs in priority order choosing the
    /// best provider, or one already chosen when it is within the tolerance of the best.
    pub fn plan(
        &self,
        prioritisation: &Prioritisation,
        request: &MatchRequest,
        config: &MatchConfig,
        plan_config: &PlanConfig,
        gate: &dyn ConsentGate,
    ) -> Result<Plan, MatchError> {
        plan_config.validate()?;
        let mut left_out = Vec::new();
        let mut items = Vec::new();
        for item in &prioritisation.items {
            match planned(item, plan_config) {
                Ok(()) => items.push(item),
                Err(reason) => left_out.push(LeftOut {
                    domain: item.domain.clone(),
                    reason,
                }),
            }
        }
        let mut req = request.clone();
        req.needs = items.iter().map(|i| i.domain.clone()).collect();
        let result = self.match_case(&req, config, gate)?;
        let mut steps: Vec<PlanStep> = Vec::new();
        let mut providers: Vec<OrganizationId> = Vec::new();
        for (item, m) in items.iter().zip(&result.needs) {
            let step = u32::try_from(steps.len() + 1).unwrap_or(u32::MAX);
            let (choice, reason) = choose(m, &steps, plan_config);
            if let Some(c) = &choice {
                if !providers.contains(&c.organization_id) {
                    providers.push(c.organization_id.clone());
                }
            }
            steps.push(PlanStep {
                step,
                domain: item.domain.clone(),
                urgency: item.urgency,
                priority_position: item.position,
                choice,
                reason,
            });
        }
        Ok(Plan {
            steps,
            left_out,
            providers,
            consent_checked: result.consent_checked,
        })
    }
}

fn choose(
    m: &NeedMatch,
    earlier: &[PlanStep],
    config: &PlanConfig,
) -> (Option<Candidate>, ChoiceReason) {
    let Some(best) = m.candidates.first() else {
        return (
            None,
            ChoiceReason::NoEligibleProvider {
                near_misses: u32::try_from(m.near_misses.len()).unwrap_or(u32::MAX),
            },
        );
    };
    for c in &m.candidates {
        if best.score - c.score > config.same_provider_tolerance {
            break;
        }
        if let Some(prev) = earlier.iter().find(|s| {
            s.choice
                .as_ref()
                .is_some_and(|p| p.organization_id == c.organization_id)
        }) {
            return (
                Some(c.clone()),
                ChoiceReason::SameProviderAsEarlierStep {
                    step: prev.step,
                    score: c.score,
                    best_score: best.score,
                },
            );
        }
    }
    (
        Some(best.clone()),
        ChoiceReason::BestScore { score: best.score },
    )
}
