//! Reintegration across the FFI, typed end to end: [`ReintegrationEngine`] holds a checked
//! [`ReintegrationModel`] (outcome profile, follow-up intervals, trend and risk settings) and
//! takes and returns the domain records themselves, so one call's answer is the next call's
//! input:
//!
//! ```text
//! CaseTimeline ──journey──▶ Journey
//! CaseTimeline + [Assessment] ──trajectory──▶ Trajectory ──cohort_case──▶ CohortCase
//! RiskInputs ──risk──▶ RiskAssessment          Assessment ──follow_up──▶ FollowUp
//! [CohortCase] + CohortConfig ──cohort_summary──▶ CohortSummary
//! ```
//!
//! Setbacks, risk factors, follow-up reasons and suppressed counts cross as enums with their
//! figures; their words are separate calls (`render_*`, with a locale). JSON stays the
//! interchange format: one `<record>_from_json` / `<record>_to_json` pair per top-level record.
//!
//! Every typed input is read back through the JSON deserialiser ([`json::checked`]) before
//! use. Paths name the argument when a call takes several (`assessments[0].case_id`,
//! `timeline.events[2].on`); a call with one input reports paths from that input's root, as
//! its `_from_json` does.

use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::core::merge::{Edit, Version};
use beside::core::{CaseId, FieldError, Labels, LanguageCode, Reason, Validate};
use beside::needs::Assessment;
use beside::reintegration::merge::MergedJourney;
use beside::reintegration::{
    CaseTimeline, CohortCase, CohortConfig, CohortSummary, Count, Explain, FollowUp,
    FollowUpReason, Journey, ModelConfig, OutcomeKey, OutcomeProfile, Phase, PhaseStatus,
    ReintegrationModel, RiskAssessment, RiskBasis, RiskFactor, RiskInputs, RiskLevel, Setback,
    SuppressedTable, TimelineEvent, Trajectory, Trend,
};

/// Argument `name`, checked as its JSON is (see [`json::checked`]), paths under `name`.
fn checked_arg<T>(name: &str, value: T) -> Result<T, BesideError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    json::checked(value).map_err(|e| e.under(name))
}

/// Reintegration measured over time: trajectories, journeys through the phases, risk,
/// follow-ups, and the records cohort summaries are made of.
#[derive(Default, uniffi::Object)]
pub struct ReintegrationEngine {
    model: ReintegrationModel,
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

    /// A model from its configuration, checked as `model_config_from_json` input is and
    /// against the default domains (an unknown domain is [`BesideError::Invalid`] at
    /// `profile.outcomes[i].domains[j].domain`).
    #[uniffi::constructor]
    pub fn with_config(config: ModelConfig) -> Result<Self, BesideError> {
        let config = json::checked(config)?;
        Ok(ReintegrationEngine {
            model: ReintegrationModel::new(config, &beside::core::default_domain_keys())?,
        })
    }

    /// The configuration.
    pub fn config(&self) -> ModelConfig {
        self.model.config().clone()
    }

    /// The journey through the phases of a case timeline, "in the future" judged at `now` on
    /// the timeline's calendar (its `time_zone`, else UTC). A field problem is
    /// [`BesideError::Invalid`] (`events[i]…`); an impossible transition is
    /// [`BesideError::Refused`] (`impossible_transition`).
    pub fn journey(&self, timeline: CaseTimeline, now: Timestamp) -> Result<Journey, BesideError> {
        Ok(json::checked(timeline)?.journey(now)?)
    }

    /// A case's trajectory from its timeline (events, latest risk inputs, time zone) and its
    /// assessments (any order, at least one, all of the timeline's case), with "in the
    /// future" and time in phases judged at `now` on the timeline's calendar. The timeline is
    /// checked whole first (paths `timeline.…`, an impossible transition at
    /// `timeline.events[i].event`), then the assessments (`assessments[i].…`).
    pub fn trajectory(
        &self,
        timeline: CaseTimeline,
        assessments: Vec<Assessment>,
        now: Timestamp,
    ) -> Result<Trajectory, BesideError> {
        let timeline = checked_arg("timeline", timeline)?;
        let assessments = checked_arg("assessments", assessments)?;
        timeline
            .validate_at(now)
            .map_err(|e| BesideError::from(e).under("timeline"))?;
        let mut errors = Vec::new();
        for (i, a) in assessments.iter().enumerate() {
            if a.case_id != timeline.case_id {
                errors.push(FieldError::new(
                    format!("assessments[{i}].case_id"),
                    Reason::Invalid {
                        expected: format!("an assessment of case `{}`", timeline.case_id),
                        value: a.case_id.to_string(),
                    },
                ));
            }
        }
        json::finish(errors)?;
        let zone = timeline.time_zone.unwrap_or(beside::core::TimeZone::UTC);
        Ok(self.model.trajectory_in(
            &assessments,
            &timeline.events,
            timeline.latest_risk_inputs(),
            now,
            zone,
        )?)
    }

    /// Re-trafficking / unsafe re-migration risk: a level with its contributing factors and
    /// the basis of the level, under the model's risk settings. The inputs are checked as
    /// `risk_inputs_from_json` input is, and validated (`recorded_on` not in the future).
    pub fn risk(&self, inputs: RiskInputs) -> Result<RiskAssessment, BesideError> {
        let inputs = json::checked(inputs)?;
        inputs.validate()?;
        Ok(beside::reintegration::assess_risk(
            &inputs,
            &self.model.config().risk,
        ))
    }

    /// When to see the person next after `assessment`, given the current risk level when
    /// known, under the model's follow-up intervals, counting days on the calendar of
    /// `time_zone` (an IANA id such as `Asia/Dhaka`, see [`crate::case_time_zone`]; empty text
    /// for UTC). A bad assessment is [`BesideError::Invalid`] at `assessment.…`.
    pub fn follow_up(
        &self,
        assessment: Assessment,
        risk: Option<RiskLevel>,
        time_zone: String,
    ) -> Result<FollowUp, BesideError> {
        let zone = json::time_zone("time_zone", &time_zone)?;
        let assessment = checked_arg("assessment", assessment)?;
        Ok(beside::reintegration::followup::next_follow_up_in(
            &assessment,
            risk,
            &self.model.config().follow_up,
            zone,
        ))
    }

    /// The compact cohort record of one case from its trajectory (checked as
    /// `trajectory_from_json` input is) and whether the person consented to statistics.
    pub fn cohort_case(
        &self,
        trajectory: Trajectory,
        statistics_consent: bool,
    ) -> Result<CohortCase, BesideError> {
        let t = json::checked(trajectory)?;
        Ok(CohortCase::from_trajectory(&t, statistics_consent))
    }

    /// **Trajectories of a cohort, tables in and tables out**: the long-form assessments table
    /// (`beside.assessments/1`) and the journeys table (`beside.journeys/1`, one row per event)
    /// as Arrow IPC stream bytes, each case's trajectory judged at `now` on its own calendar
    /// (the journeys' `time_zone`), returned as the tables of [`crate::trajectory_tables`],
    /// cases in the order of the journeys table. Every case needs both a journey and at least
    /// one assessment. A bad column or value names the table and the row
    /// (`journeys.rows[17].phase`); a case's own problem (an impossible transition, an
    /// assessment in the future) names the case (`[syn-0000004].timeline.events[2].event`);
    /// an assessment of a case with no journey is `Invalid` at `assessments` naming the case.
    pub fn trajectories_of_tables(
        &self,
        assessments: Vec<u8>,
        journeys: Vec<u8>,
        now: Timestamp,
    ) -> Result<crate::TrajectoryTables, BesideError> {
        let timelines =
            crate::tables::read_journeys(&journeys, now).map_err(|e| e.under("journeys"))?;
        let records = beside::needs::table::read_assessments_ipc(&assessments)
            .map_err(|e| BesideError::from(e).under("assessments"))?;
        let mut by_case: std::collections::BTreeMap<CaseId, Vec<Assessment>> =
            std::collections::BTreeMap::new();
        for a in records {
            by_case.entry(a.case_id.clone()).or_default().push(a);
        }
        let mut trajectories = Vec::with_capacity(timelines.len());
        for timeline in timelines {
            let case_id = timeline.case_id.clone();
            let Some(of_case) = by_case.remove(&case_id) else {
                return Err(FieldError::new(
                    format!("[{case_id}]"),
                    Reason::Invalid {
                        expected: "at least one assessment of the case in the assessments table"
                            .into(),
                        value: "none".into(),
                    },
                )
                .into());
            };
            let t = self
                .trajectory(timeline, of_case, now)
                .map_err(|e| e.under(&format!("[{case_id}]")))?;
            trajectories.push(t);
        }
        if let Some(case_id) = by_case.keys().next() {
            return Err(FieldError::new(
                "assessments",
                Reason::Invalid {
                    expected: "a journey for every case with assessments".into(),
                    value: case_id.to_string(),
                },
            )
            .into());
        }
        crate::trajectory_tables(trajectories)
    }
}

/// The default cohort settings: k = 11, the four Kasper & Chiang outcomes.
#[uniffi::export]
pub fn default_cohort_config() -> CohortConfig {
    CohortConfig::default()
}

/// A k-suppressed cohort summary of `cases` (only those consenting to statistics are
/// counted) under `config`. A bad case is [`BesideError::Invalid`] at `cases[i].…`, a bad
/// setting at `config.…` (`config.k` below 2, say).
#[uniffi::export]
pub fn cohort_summary(
    cases: Vec<CohortCase>,
    config: CohortConfig,
) -> Result<CohortSummary, BesideError> {
    let cases = checked_arg("cases", cases)?;
    let config = checked_arg("config", config)?;
    CohortSummary::from_cases(&cases, &config).map_err(|e| BesideError::from(e).under("config"))
}

/// A two-way table of counts (rows of equal length: age band × sex by return route, say) with
/// its row, column and grand totals, small cells suppressed at threshold `k` so that no
/// published figure, and no sum of published figures subtracted from another, describes 1 to
/// `k - 1` people (the rule `beside::reintegration::suppress_two_way`). Ragged rows are
/// [`BesideError::Invalid`] at `counts[i]`, `k` below 2 at `k`.
#[uniffi::export]
pub fn suppress_table(counts: Vec<Vec<u64>>, k: u32) -> Result<SuppressedTable, BesideError> {
    Ok(beside::reintegration::suppress_two_way(&counts, k)?)
}

/// **Merge two phones' timelines of case `case_id`** (`base`: the events both last shared;
/// `ours_edit`, `theirs_edit`: who edited each phone's timeline last, and when), replaying
/// the union with "in the future" judged at `now` on the calendar of `time_zone` (an IANA id,
/// or empty text for UTC). No event is lost: two different edits of one event, or timelines
/// that are not a journey together, are conflicts holding both values. Bad input is
/// [`BesideError::Invalid`] under the argument's name (`ours[0].on`); events of another case
/// are [`BesideError::Refused`] (`different_records`).
#[uniffi::export]
#[allow(
    clippy::too_many_arguments,
    reason = "the two versions of a merge, each with its edit"
)]
pub fn merge_journeys(
    case_id: CaseId,
    base: Vec<TimelineEvent>,
    ours: Vec<TimelineEvent>,
    ours_edit: Edit,
    theirs: Vec<TimelineEvent>,
    theirs_edit: Edit,
    now: Timestamp,
    time_zone: String,
) -> Result<MergedJourney, BesideError> {
    let zone = json::time_zone("time_zone", &time_zone)?;
    let case_id = checked_arg("case_id", case_id)?;
    let base = checked_arg("base", base)?;
    let version = |name: &str, value, edit| -> Result<Version<Vec<TimelineEvent>>, BesideError> {
        let Edit { by, at } = checked_arg(&format!("{name}_edit"), edit)?;
        Ok(Version {
            value: checked_arg(name, value)?,
            edited_by: by,
            edited_at: at,
        })
    };
    let ours = version("ours", ours, ours_edit)?;
    let theirs = version("theirs", theirs, theirs_edit)?;
    beside::reintegration::merge::merge_journeys(&case_id, &base, &ours, &theirs, now, zone)
        .map_err(BesideError::from)
}

/// The sample journeys (**synthetic**): the timelines and risk inputs of `case-01`, `case-07`
/// and `case-14`.
#[uniffi::export]
pub fn sample_journeys() -> Result<Vec<CaseTimeline>, BesideError> {
    Ok(beside::samples::journeys::journeys()?)
}

/// The sample journey of one case, e.g. `case-01`; [`BesideError::NotFound`] when it has none.
#[uniffi::export]
pub fn sample_journey(case_id: String) -> Result<CaseTimeline, BesideError> {
    beside::samples::journeys::journey_of(&case_id)?.ok_or_else(|| BesideError::NotFound {
        what: "journey of case".to_owned(),
        detail: format!("no sample journey of case `{case_id}`"),
        id: case_id,
    })
}

json::json_pair! {
    CaseTimeline => case_timeline_from_json, case_timeline_to_json;
    TimelineEvent => timeline_event_from_json, timeline_event_to_json;
    Journey => journey_from_json, journey_to_json;
    MergedJourney => merged_journey_from_json, merged_journey_to_json;
    OutcomeProfile => outcome_profile_from_json, outcome_profile_to_json;
    ModelConfig => model_config_from_json, model_config_to_json;
    Trajectory => trajectory_from_json, trajectory_to_json;
    FollowUp => follow_up_from_json, follow_up_to_json;
    RiskInputs => risk_inputs_from_json, risk_inputs_to_json;
    RiskAssessment => risk_assessment_from_json, risk_assessment_to_json;
    CohortCase => cohort_case_from_json, cohort_case_to_json;
    CohortConfig => cohort_config_from_json, cohort_config_to_json;
    CohortSummary => cohort_summary_from_json, cohort_summary_to_json;
}

// ---- words ---------------------------------------------------------------------------------

/// The label tables of this crate's words: the shared vocabulary (domains, levels) and the
/// reintegration entries, in English.
fn labels() -> Labels {
    Labels::english().with_english(beside::reintegration::english_labels())
}

/// `locale` as a language the tables hold, or [`BesideError::Invalid`] at `locale` naming the
/// known ones.
fn language(labels: &Labels, locale: &str) -> Result<LanguageCode, BesideError> {
    let code = LanguageCode::new(locale).ok();
    match code {
        Some(code)
            if labels
                .locales
                .iter()
                .any(|t| t.language.same_language(&code)) =>
        {
            Ok(code)
        }
        _ => Err(FieldError::new(
            "locale",
            Reason::Unknown {
                value: locale.to_owned(),
                known: labels
                    .locales
                    .iter()
                    .map(|t| t.language.to_string())
                    .collect(),
            },
        )
        .into()),
    }
}

/// `value` (checked as its JSON is) in words, in `locale`.
fn render<T>(value: T, locale: &str) -> Result<String, BesideError>
where
    T: Explain + serde::Serialize + serde::de::DeserializeOwned,
{
    let labels = labels();
    let language = language(&labels, locale)?;
    Ok(json::checked(value)?.render(&labels, &language))
}

/// The label `key` in `locale`.
fn render_key(key: &str, locale: &str) -> Result<String, BesideError> {
    let labels = labels();
    let language = language(&labels, locale)?;
    Ok(labels.render(key, &language, &Default::default()))
}

/// A setback in words, in `locale` (`en`): "Emergency funds fell from 2 (vulnerable) to 1 (in
/// crisis) on 2025-11-05". An unknown locale is [`BesideError::Invalid`] at `locale`, naming
/// the known ones (as for every `render_*` call).
#[uniffi::export]
pub fn render_setback(setback: Setback, locale: String) -> Result<String, BesideError> {
    render(setback, &locale)
}

/// A risk factor in words, in `locale`: "owes 1 debt to broker (+3)".
#[uniffi::export]
pub fn render_risk_factor(factor: RiskFactor, locale: String) -> Result<String, BesideError> {
    render(factor, &locale)
}

/// Why a risk level is what it is, in words, in `locale`: "10 points (moderate from 3, high
/// from 6): high".
#[uniffi::export]
pub fn render_risk_basis(basis: RiskBasis, locale: String) -> Result<String, BesideError> {
    render(basis, &locale)
}

/// A rule that proposed a follow-up interval, in words, in `locale`: "Emergency funds is 1 (in
/// crisis): 7 days", "high risk of re-trafficking: 7 days".
#[uniffi::export]
pub fn render_follow_up_reason(
    reason: FollowUpReason,
    locale: String,
) -> Result<String, BesideError> {
    render(reason, &locale)
}

/// A published or suppressed cohort figure, in `locale`: "12", "<11", "suppressed".
#[uniffi::export]
pub fn render_cohort_count(count: Count, locale: String) -> Result<String, BesideError> {
    render(count, &locale)
}

/// A phase's name, in `locale`: "Access to justice".
#[uniffi::export]
pub fn render_phase(phase: Phase, locale: String) -> Result<String, BesideError> {
    render_key(&phase.label_key(), &locale)
}

/// A phase status, in `locale`: "declined by the person".
#[uniffi::export]
pub fn render_phase_status(status: PhaseStatus, locale: String) -> Result<String, BesideError> {
    render_key(&status.label_key(), &locale)
}

/// An outcome's trend, in `locale`: "improving", "not enough assessments yet".
#[uniffi::export]
pub fn render_trend(trend: Trend, locale: String) -> Result<String, BesideError> {
    render_key(&format!("reintegration.trend.{}", trend.key()), &locale)
}

/// A risk level, in `locale`: "moderate".
#[uniffi::export]
pub fn render_risk_level(level: RiskLevel, locale: String) -> Result<String, BesideError> {
    render_key(
        &format!("reintegration.risk_level.{}", level.key()),
        &locale,
    )
}

/// An outcome's name, in `locale`: "Financial health"; a malformed key is
/// [`BesideError::Invalid`], an unlabelled one reads as its label key.
#[uniffi::export]
pub fn render_outcome_name(outcome: OutcomeKey, locale: String) -> Result<String, BesideError> {
    let outcome = json::checked(outcome)?;
    render_key(&outcome.label_key(), &locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value as it arrives from abroad: lifted from its text, unchecked.
    fn lifted<T: uniffi::Lift<crate::UniFfiTag, FfiType = uniffi::RustBuffer>>(text: &str) -> T {
        T::try_lift(uniffi::RustBuffer::from_vec(text.as_bytes().to_vec())).unwrap()
    }

    fn now() -> Timestamp {
        crate::parse_timestamp("2026-11-20T10:00:00Z".into()).unwrap()
    }

    fn invalid_path(e: BesideError) -> String {
        match e {
            BesideError::Invalid { path, .. } => path,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn the_typed_chain() {
        let engine = ReintegrationEngine::new();
        let timeline = sample_journey("case-01".into()).unwrap();
        let assessments = crate::sample_assessments_of("case-01".into()).unwrap();
        let journey = engine.journey(timeline.clone(), now()).unwrap();
        assert_eq!(journey.case_id.as_str(), "case-01");
        assert_eq!(journey.phases.len(), 6);

        let t = engine
            .trajectory(timeline.clone(), assessments.clone(), now())
            .unwrap();
        assert_eq!(t.points.len(), assessments.len());
        assert!(!t.setbacks.is_empty());
        assert_eq!(t.phases.len(), 6);
        let risk = t.risk.clone().unwrap();
        let inputs = timeline.risk_inputs.last().cloned().unwrap();
        assert_eq!(engine.risk(inputs).unwrap(), risk);

        let latest = crate::sample_latest_assessment("case-01".into()).unwrap();
        let follow_up = engine
            .follow_up(latest, Some(risk.level), String::new())
            .unwrap();
        assert_eq!(follow_up, t.follow_up);

        let text = render_setback(t.setbacks[0].clone(), "en".into()).unwrap();
        assert!(text.contains(" fell from "), "{text}");
        assert!(
            !render_follow_up_reason(t.follow_up.reason.clone(), "en".into())
                .unwrap()
                .is_empty()
        );
        for f in &risk.factors {
            assert!(render_risk_factor(f.clone(), "en".into())
                .unwrap()
                .contains('+'));
        }

        let case = engine.cohort_case(t.clone(), true).unwrap();
        assert_eq!(case.risk, Some(risk.level));
        let summary = cohort_summary(vec![case; 12], default_cohort_config()).unwrap();
        assert_eq!(summary.total, Count::Published { value: 12 });
        let small = cohort_summary(vec![case; 3], default_cohort_config()).unwrap();
        assert_eq!(small.total, Count::CohortTooSmall { k: 11 });
        assert_eq!(
            render_cohort_count(small.total, "en".into()).unwrap(),
            "cohort <11"
        );

        // JSON round trips of each record of the chain.
        let back = trajectory_from_json(trajectory_to_json(t.clone()).unwrap()).unwrap();
        assert_eq!(back, t);
        let back = cohort_case_from_json(cohort_case_to_json(case).unwrap()).unwrap();
        assert_eq!(back, case);
        let back = case_timeline_from_json(case_timeline_to_json(timeline).unwrap()).unwrap();
        assert_eq!(back.case_id.as_str(), "case-01");

        let iom = ReintegrationEngine::iom().unwrap();
        let t = iom
            .trajectory(
                sample_journey("case-01".into()).unwrap(),
                assessments,
                now(),
            )
            .unwrap();
        assert_eq!(t.trends.len(), 3);
        let same = ReintegrationEngine::with_config(iom.config()).unwrap();
        assert_eq!(same.config(), iom.config());
    }

    #[test]
    fn bad_typed_input_is_refused_with_the_json_path() {
        let engine = ReintegrationEngine::new();
        let mut timeline = sample_journey("case-01".into()).unwrap();
        timeline.events[1].id = lifted("");
        let json_error =
            case_timeline_from_json(serde_json::to_string(&timeline).unwrap()).unwrap_err();
        assert_eq!(invalid_path(json_error), "events[1].id");
        let typed = engine.journey(timeline.clone(), now()).unwrap_err();
        assert_eq!(invalid_path(typed), "events[1].id");
        let assessments = crate::sample_assessments_of("case-01".into()).unwrap();
        let typed = engine
            .trajectory(timeline, assessments.clone(), now())
            .unwrap_err();
        assert_eq!(invalid_path(typed), "timeline.events[1].id");

        // A model configuration is checked by the engine, whether it was read from JSON or
        // built abroad: the same path either way.
        let mut config = ModelConfig::default();
        config.trend.domain_drop = 0;
        let typed = ReintegrationEngine::with_config(config.clone())
            .err()
            .unwrap();
        assert_eq!(invalid_path(typed), "trend.domain_drop");
        let read = model_config_from_json(serde_json::to_string(&config).unwrap()).unwrap();
        let json_error = ReintegrationEngine::with_config(read).err().unwrap();
        assert_eq!(invalid_path(json_error), "trend.domain_drop");

        let mut config = CohortConfig {
            k: 1,
            ..CohortConfig::default()
        };
        let e = cohort_summary(vec![], config.clone()).unwrap_err();
        assert_eq!(invalid_path(e), "config.k");
        config.k = 11;
        config.outcomes[1] = lifted("Mental Health");
        let json_error = cohort_config_from_json(serde_json::to_string(&config).unwrap());
        assert_eq!(invalid_path(json_error.unwrap_err()), "outcomes[1]");
        let e = cohort_summary(vec![], config).unwrap_err();
        assert_eq!(invalid_path(e), "config.outcomes[1]");

        let e = engine
            .trajectory(
                sample_journey("case-07".into()).unwrap(),
                assessments,
                now(),
            )
            .unwrap_err();
        assert_eq!(invalid_path(e), "assessments[0].case_id");
        let e = engine
            .trajectory(sample_journey("case-01".into()).unwrap(), vec![], now())
            .unwrap_err();
        assert_eq!(invalid_path(e), "assessments");

        let e = render_trend(Trend::Stable, "xx".into()).unwrap_err();
        assert_eq!(invalid_path(e.clone()), "locale");
        assert!(e.to_string().contains("known values: en"), "{e}");
        let e = render_outcome_name(lifted::<OutcomeKey>("Bad Key"), "en".into());
        assert!(matches!(e, Err(BesideError::Invalid { .. })));
        assert_eq!(
            render_outcome_name(
                beside::reintegration::outcome::outcomes::MENTAL_HEALTH,
                "en".into()
            )
            .unwrap(),
            "Mental health"
        );
    }
}
