//! Reintegration across the FFI: [`ReintegrationEngine`] holds a checked
//! [`ReintegrationModel`] (outcome profile, follow-up intervals, trend and risk settings).

use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::needs::Assessment;
use beside::reintegration::{
    CaseTimeline, CohortCase, CohortConfig, CohortSummary, ModelConfig, OutcomeProfile,
    ReintegrationModel, RiskInputs, TimelineEvent, Trajectory,
};

/// One outcome's trend over a case's assessments.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct OutcomeTrendView {
    /// The outcome (`financial_health`, `mental_health`, ...).
    pub outcome: String,
    /// `improving`, `stable`, `worsening` or `insufficient_data`.
    pub trend: String,
    /// The first score, when scored.
    pub first: Option<f64>,
    /// The latest score, when scored.
    pub latest: Option<f64>,
}

/// A case's trajectory, typed (the `Trajectory` schema's essentials).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TrajectorySummary {
    /// The case.
    pub case_id: String,
    /// How many assessments it is built from.
    pub points: u32,
    /// The overall index at the latest assessment, when scored.
    pub latest_index: Option<f64>,
    /// Per-outcome trends.
    pub trends: Vec<OutcomeTrendView>,
    /// How many setbacks (a drop of one level or more).
    pub setbacks: u32,
    /// The re-trafficking risk level (`low`, `moderate`, `high`), when risk inputs were given.
    pub risk_level: Option<String>,
    /// Days until the next follow-up.
    pub follow_up_days: u32,
    /// The follow-up's due date, `YYYY-MM-DD`.
    pub follow_up_due_on: String,
    /// The full trajectory as JSON (the `Trajectory` schema).
    pub trajectory_json: String,
}

use crate::json::key_of;

fn summary(t: &Trajectory) -> Result<TrajectorySummary, BesideError> {
    Ok(TrajectorySummary {
        case_id: t.case_id.to_string(),
        points: u32::try_from(t.points.len()).unwrap_or(u32::MAX),
        latest_index: t.points.last().and_then(|p| p.index),
        trends: t
            .trends
            .iter()
            .map(|tr| OutcomeTrendView {
                outcome: key_of(&tr.outcome),
                trend: tr.trend.key().to_owned(),
                first: tr.first,
                latest: tr.latest,
            })
            .collect(),
        setbacks: u32::try_from(t.setbacks.len()).unwrap_or(u32::MAX),
        risk_level: t.risk.as_ref().map(|r| key_of(&r.level)),
        follow_up_days: t.follow_up.days,
        follow_up_due_on: t.follow_up.due_on.to_string(),
        trajectory_json: json::out(t)?,
    })
}

/// Reintegration measured over time: trajectories, journeys through the phases, risk, and
/// k-suppressed cohort summaries.
#[derive(Default, uniffi::Object)]
pub struct ReintegrationEngine {
    model: ReintegrationModel,
}

impl ReintegrationEngine {
    fn trajectory_of(
        &self,
        assessments_json: &str,
        events_json: &str,
        risk_json: &str,
        now: Timestamp,
    ) -> Result<Trajectory, BesideError> {
        let assessments: Vec<Assessment> = json::parse(assessments_json)?;
        let events: Vec<TimelineEvent> = json::parse_or_default(events_json)?;
        let risk: Option<RiskInputs> = json::parse_opt(risk_json)?;
        Ok(self
            .model
            .trajectory(&assessments, &events, risk.as_ref(), now)?)
    }
}

#[uniffi::export]
impl ReintegrationEngine {
    /// The default model: Kasper & Chiang outcomes, equal weights, the brief's follow-up
    /// intervals.
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// The default model with IOM's economic, social and psychosocial dimensions.
    #[uniffi::constructor]
    pub fn iom() -> Result<Self, BesideError> {
        Ok(ReintegrationEngine {
            model: ReintegrationModel::with_profile(OutcomeProfile::iom_dimensions())?,
        })
    }

    /// A model from JSON (the `ModelConfig` schema), checked against the default domains.
    #[uniffi::constructor]
    pub fn from_json(config_json: String) -> Result<Self, BesideError> {
        let config: ModelConfig = json::parse(&config_json)?;
        Ok(ReintegrationEngine {
            model: ReintegrationModel::new(config, &beside::core::default_domain_keys())?,
        })
    }

    /// The configuration as JSON (the `ModelConfig` schema).
    pub fn config_json(&self) -> Result<String, BesideError> {
        json::out(self.model.config())
    }

    /// A case's trajectory: its assessments (JSON array of `Assessment`, any order, at least
    /// one), its timeline events (JSON array of `TimelineEvent`, or empty text) and its latest
    /// risk inputs (`RiskInputs` JSON, or empty text); `Trajectory` JSON out.
    pub fn trajectory_json(
        &self,
        assessments_json: String,
        events_json: String,
        risk_json: String,
        now: Timestamp,
    ) -> Result<String, BesideError> {
        json::out(&self.trajectory_of(&assessments_json, &events_json, &risk_json, now)?)
    }

    /// A case's trajectory with its days (setbacks, follow-up, time in phases, events "in the
    /// future") read on the calendar of the case's place: `time_zone` an IANA id such as
    /// `Asia/Dhaka` (see [`crate::case_time_zone`]), or empty text for UTC. Otherwise as
    /// [`ReintegrationEngine::trajectory_json`], which reads UTC days.
    pub fn trajectory_in_json(
        &self,
        assessments_json: String,
        events_json: String,
        risk_json: String,
        now: Timestamp,
        time_zone: String,
    ) -> Result<String, BesideError> {
        let zone = json::time_zone("time_zone", &time_zone)?;
        let assessments: Vec<Assessment> = json::parse(&assessments_json)?;
        let events: Vec<TimelineEvent> = json::parse_or_default(&events_json)?;
        let risk: Option<RiskInputs> = json::parse_opt(&risk_json)?;
        json::out(
            &self
                .model
                .trajectory_in(&assessments, &events, risk.as_ref(), now, zone)?,
        )
    }

    /// The same trajectory, typed.
    pub fn trajectory(
        &self,
        assessments_json: String,
        events_json: String,
        risk_json: String,
        now: Timestamp,
    ) -> Result<TrajectorySummary, BesideError> {
        summary(&self.trajectory_of(&assessments_json, &events_json, &risk_json, now)?)
    }

    /// The journey through the phases of a case timeline (`CaseTimeline` JSON): `Journey`
    /// JSON out. An impossible transition is [`BesideError::Refused`] (`impossible_transition`).
    pub fn journey_json(
        &self,
        timeline_json: String,
        now: Timestamp,
    ) -> Result<String, BesideError> {
        let timeline: CaseTimeline = json::parse(&timeline_json)?;
        json::out(&timeline.journey(now)?)
    }

    /// Re-trafficking / unsafe re-migration risk from `RiskInputs` JSON: `RiskAssessment` JSON
    /// out, a level with its contributing factors.
    pub fn risk_json(&self, risk_inputs_json: String) -> Result<String, BesideError> {
        let inputs: RiskInputs = json::parse(&risk_inputs_json)?;
        json::out(&beside::reintegration::risk::assess_risk(
            &inputs,
            &self.model.config().risk,
        ))
    }

    /// The compact cohort record of one case from its trajectory (`Trajectory` JSON) and
    /// whether it consented to statistics: `CohortCase` JSON out.
    pub fn cohort_case_json(
        &self,
        trajectory_json: String,
        statistics_consent: bool,
    ) -> Result<String, BesideError> {
        let t: Trajectory = json::parse(&trajectory_json)?;
        json::out(&CohortCase::from_trajectory(&t, statistics_consent))
    }
}

/// A k-suppressed cohort summary: a JSON array of `CohortCase` and a `CohortConfig` (JSON, or
/// empty text for the defaults, k = 11) in, `CohortSummary` JSON out.
#[uniffi::export]
pub fn cohort_summary_json(cases_json: String, config_json: String) -> Result<String, BesideError> {
    let cases: Vec<CohortCase> = json::parse(&cases_json)?;
    let config: CohortConfig = json::parse_or_default(&config_json)?;
    json::out(&CohortSummary::from_cases(&cases, &config)?)
}
