//! Referral matching across the FFI: [`ReferralDirectory`] holds an indexed service directory
//! (from Beside JSON, from Open Referral HSDS 3.0, or the bundled sample) and answers match,
//! plan and gap questions; free functions cover HSDS import/export, the referral lifecycle and
//! batch assignment.
//!
//! Inputs that are large records (a match request, a gap query, an assignment problem) cross as
//! JSON matching the committed schemas; every answer comes both typed (records below) and as
//! JSON (`*_json`).

use crate::consent::ConsentEngine;
use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::core::{Labels, LanguageCode};
use beside::referral::assign::AssignError;
use beside::referral::gaps::{AreaNeedGap, GapQuery};
use beside::referral::hsds::{self, HsdsError, ImportOptions};
use beside::referral::lifecycle::LifecycleError;
use beside::referral::matching::{
    Candidate, ConsentGate, ConsentNotChecked, ExclusionCode, Factor, LedgerGate, MatchConfig,
    MatchError, MatchIndex, MatchRequest, MatchResult, PathwayStep,
};
use beside::referral::plan::{Plan, PlanConfig};
use beside::referral::render;
use beside::referral::Directory;
use std::sync::{Arc, OnceLock};

impl From<MatchError> for BesideError {
    fn from(e: MatchError) -> Self {
        match e {
            MatchError::Invalid(errors) => errors.into(),
            MatchError::Internal { .. } => BesideError::Refused {
                code: "internal_error".to_owned(),
                detail: e.to_string(),
                error_json: "null".to_owned(),
            },
        }
    }
}

impl From<AssignError> for BesideError {
    fn from(e: AssignError) -> Self {
        match e {
            AssignError::Invalid(errors) => errors.into(),
            AssignError::Internal { .. } => BesideError::refused(
                &serde_json::json!({ "code": "internal_error", "detail": e.to_string() }),
                "internal_error",
            ),
        }
    }
}

impl From<HsdsError> for BesideError {
    fn from(e: HsdsError) -> Self {
        BesideError::refused(&e, "hsds_error")
    }
}

impl From<LifecycleError> for BesideError {
    fn from(e: LifecycleError) -> Self {
        let code = match &e {
            LifecycleError::Impossible { .. } => "impossible_transition",
            LifecycleError::OutOfOrder { .. } => "out_of_order",
            LifecycleError::NoConsent { .. } => "no_consent",
        };
        let figures = match &e {
            LifecycleError::Impossible {
                referral,
                state,
                event,
            } => {
                serde_json::json!({"code": code, "referral": referral, "state": state, "event": event})
            }
            LifecycleError::OutOfOrder { referral, at, last } => {
                serde_json::json!({"code": code, "referral": referral, "at": at, "last": last})
            }
            LifecycleError::NoConsent { referral } => {
                serde_json::json!({"code": code, "referral": referral})
            }
        };
        BesideError::Refused {
            code: code.to_owned(),
            detail: e.to_string(),
            error_json: figures.to_string(),
        }
    }
}

/// English labels for the renderings; `None` only if "en" stopped being a language code.
fn english() -> Option<&'static (Labels, LanguageCode)> {
    static ENGLISH: OnceLock<Option<(Labels, LanguageCode)>> = OnceLock::new();
    ENGLISH
        .get_or_init(|| {
            LanguageCode::new("en")
                .ok()
                .map(|en| (render::labels(), en))
        })
        .as_ref()
}

/// `f` rendered in English.
fn in_english(f: impl FnOnce(&Labels, &LanguageCode) -> String) -> String {
    match english() {
        Some((labels, en)) => f(labels, en),
        // INVARIANT: `en` is a well-formed language code (`english_words_are_available` tests
        // it), so there are always English words; were it ever not, the words are empty.
        None => String::new(),
    }
}

use crate::json::key_of;

/// A hard constraint that excludes a service (the `ExclusionCode` of the schemas).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ExclusionKind {
    /// The service is not running.
    Inactive,
    /// No open places.
    NoCapacity,
    /// The person's age is outside the service's range.
    AgeOutsideRange,
    /// The service does not serve the person's gender.
    GenderNotServed,
    /// The service does not serve the person's nationality.
    NationalityNotServed,
    /// Formal identification as a victim is required and missing.
    RequiresFormalIdentification,
    /// The person lives outside the service's areas.
    OutsideServiceArea,
    /// Farther than the person can travel.
    BeyondTravelLimit,
    /// The person vetoed it.
    Vetoed,
    /// Flagged unsafe for this case.
    FlaggedUnsafe,
    /// No consent to share the referral's data with this provider.
    NoConsent,
}

impl From<ExclusionCode> for ExclusionKind {
    fn from(c: ExclusionCode) -> Self {
        match c {
            ExclusionCode::Inactive => Self::Inactive,
            ExclusionCode::NoCapacity => Self::NoCapacity,
            ExclusionCode::AgeOutsideRange => Self::AgeOutsideRange,
            ExclusionCode::GenderNotServed => Self::GenderNotServed,
            ExclusionCode::NationalityNotServed => Self::NationalityNotServed,
            ExclusionCode::RequiresFormalIdentification => Self::RequiresFormalIdentification,
            ExclusionCode::OutsideServiceArea => Self::OutsideServiceArea,
            ExclusionCode::BeyondTravelLimit => Self::BeyondTravelLimit,
            ExclusionCode::Vetoed => Self::Vetoed,
            ExclusionCode::FlaggedUnsafe => Self::FlaggedUnsafe,
            ExclusionCode::NoConsent => Self::NoConsent,
        }
    }
}

/// A soft-score factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ScoreFactorKind {
    /// Distance or reach.
    Distance,
    /// A language the person speaks.
    Language,
    /// The person's preferences (female staff, survivor-led, trauma-informed).
    Preferences,
    /// Cost against what the person can pay.
    Cost,
    /// Capacity pressure.
    Capacity,
    /// Several of the person's needs at one provider.
    SeveralNeeds,
}

impl From<Factor> for ScoreFactorKind {
    fn from(f: Factor) -> Self {
        match f {
            Factor::Distance => Self::Distance,
            Factor::Language => Self::Language,
            Factor::Preferences => Self::Preferences,
            Factor::Cost => Self::Cost,
            Factor::Capacity => Self::Capacity,
            Factor::SeveralNeeds => Self::SeveralNeeds,
        }
    }
}

/// A step the person must take before a service will take them (not an exclusion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PathwayKind {
    /// Obtain a court order (Bangladesh government shelters).
    ObtainCourtOrder,
    /// Obtain a referral letter.
    ObtainReferralLetter,
}

impl From<PathwayStep> for PathwayKind {
    fn from(p: PathwayStep) -> Self {
        match p {
            PathwayStep::ObtainCourtOrder => Self::ObtainCourtOrder,
            PathwayStep::ObtainReferralLetter => Self::ObtainReferralLetter,
        }
    }
}

/// One factor's contribution to a provider's score.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ScoreFactorView {
    /// The factor.
    pub factor: ScoreFactorKind,
    /// Its value, 0 to 1.
    pub value: f64,
    /// Its weight.
    pub weight: f64,
    /// `value * weight`.
    pub points: f64,
    /// The code of the figures behind the value (`distance`, `shared_language`, `free`, ...).
    pub basis: String,
    /// The figures as JSON (the `FactorBasis` of the `MatchResult` schema).
    pub basis_json: String,
    /// In English: "distance 0.27: 4.2 km of a 40.0 km limit".
    pub english: String,
}

/// A provider that may be proposed for a need.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MatchedProvider {
    /// The service.
    pub service_id: String,
    /// Its organisation.
    pub organization_id: String,
    /// The organisation's kind (`ngo`, `government`, `survivor_group`, ...).
    pub organization_kind: String,
    /// Score, 0 to 1: the sum of the factors' points.
    pub score: f64,
    /// Distance to the nearest location in km, when known.
    pub distance_km: Option<f64>,
    /// The score factor by factor.
    pub factors: Vec<ScoreFactorView>,
    /// Steps to take before the service will take the person.
    pub pathway: Vec<PathwayKind>,
    /// Other requested needs this service also covers.
    pub also_covers: Vec<String>,
}

/// A provider excluded by exactly one constraint.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NearMissView {
    /// The service.
    pub service_id: String,
    /// Its organisation.
    pub organization_id: String,
    /// The one constraint that excludes it.
    pub exclusion: ExclusionKind,
    /// The constraint's figures as JSON (the `Exclusion` of the `MatchResult` schema).
    pub exclusion_json: String,
    /// In English: "beyond the 40 km the person can travel".
    pub english: String,
    /// The score it would have had.
    pub score_if_included: f64,
}

/// How many services one constraint excluded.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExclusionTally {
    /// The constraint.
    pub exclusion: ExclusionKind,
    /// How many services it excluded.
    pub count: u32,
}

/// The answer for one need.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NeedMatchView {
    /// The need (domain key).
    pub domain: String,
    /// Services serving this need that were looked at.
    pub considered: u32,
    /// How many passed every hard constraint.
    pub eligible: u32,
    /// The best candidates, best first.
    pub candidates: Vec<MatchedProvider>,
    /// Near misses, nearest first.
    pub near_misses: Vec<NearMissView>,
    /// Exclusions by constraint.
    pub exclusions: Vec<ExclusionTally>,
}

/// The answer for one case.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CaseMatch {
    /// The case.
    pub case_id: String,
    /// When the match was made.
    pub at: Timestamp,
    /// Whether consent was checked (false when no consent engine was given).
    pub consent_checked: bool,
    /// One entry per requested need, in request order.
    pub needs: Vec<NeedMatchView>,
}

fn provider_view(c: &Candidate) -> Result<MatchedProvider, BesideError> {
    let mut factors = Vec::with_capacity(c.factors.len());
    for f in &c.factors {
        factors.push(ScoreFactorView {
            factor: f.factor.into(),
            value: f.value,
            weight: f.weight,
            points: f.points,
            basis: error_code(&f.basis, "basis"),
            basis_json: json::out(&f.basis)?,
            english: in_english(|l, en| render::render_factor(f, l, en)),
        });
    }
    Ok(MatchedProvider {
        service_id: c.service_id.to_string(),
        organization_id: c.organization_id.to_string(),
        organization_kind: key_of(&c.organization_kind),
        score: c.score,
        distance_km: c.distance_km,
        factors,
        pathway: c.pathway.iter().map(|p| (*p).into()).collect(),
        also_covers: c.also_covers.iter().map(ToString::to_string).collect(),
    })
}

fn case_match(r: &MatchResult) -> Result<CaseMatch, BesideError> {
    let mut needs = Vec::with_capacity(r.needs.len());
    for n in &r.needs {
        let mut candidates = Vec::with_capacity(n.candidates.len());
        for c in &n.candidates {
            candidates.push(provider_view(c)?);
        }
        let mut near_misses = Vec::with_capacity(n.near_misses.len());
        for m in &n.near_misses {
            near_misses.push(NearMissView {
                service_id: m.service_id.to_string(),
                organization_id: m.organization_id.to_string(),
                exclusion: m.exclusion.code().into(),
                exclusion_json: json::out(&m.exclusion)?,
                english: in_english(|l, en| render::render_exclusion(&m.exclusion, l, en)),
                score_if_included: m.score_if_included,
            });
        }
        needs.push(NeedMatchView {
            domain: n.domain.to_string(),
            considered: n.considered,
            eligible: n.eligible,
            candidates,
            near_misses,
            exclusions: n
                .exclusions
                .iter()
                .map(|e| ExclusionTally {
                    exclusion: e.code.into(),
                    count: e.count,
                })
                .collect(),
        });
    }
    Ok(CaseMatch {
        case_id: r.case_id.to_string(),
        at: r.at,
        consent_checked: r.consent_checked,
        needs,
    })
}

/// The serde tag (`basis`/`code`) of a tagged value.
///
/// INVARIANT: called on values serialised with `#[serde(tag = ...)]`, which always carry it;
/// anything else comes back as its JSON text, so a misuse shows instead of an empty code.
fn error_code<T: serde::Serialize>(value: &T, tag: &str) -> String {
    crate::error::tag_of(value, tag).unwrap_or_else(|| beside::core::json::to_text_for_words(value))
}

/// One step of a referral plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanStepView {
    /// 1-based step number.
    pub step: u32,
    /// The need.
    pub domain: String,
    /// The chosen provider, or none when no provider is eligible.
    pub choice: Option<MatchedProvider>,
    /// Why this choice (code: `best_score`, `same_provider_as_earlier_step`,
    /// `no_eligible_provider`).
    pub reason: String,
    /// Why, in English.
    pub english: String,
}

/// A need left out of a plan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LeftOutView {
    /// The need.
    pub domain: String,
    /// Why (code: `not_now`, `no_referral_needed`).
    pub reason: String,
    /// Why, in English.
    pub english: String,
}

/// A referral plan for several needs: foundational first, fewer providers preferred.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanView {
    /// The steps, in order.
    pub steps: Vec<PlanStepView>,
    /// Needs left out, with the reason.
    pub left_out: Vec<LeftOutView>,
    /// The distinct providers (organisation ids) chosen.
    pub providers: Vec<String>,
    /// Whether consent was checked.
    pub consent_checked: bool,
}

fn plan_view(p: &Plan) -> Result<PlanView, BesideError> {
    let mut steps = Vec::with_capacity(p.steps.len());
    for s in &p.steps {
        let choice = match &s.choice {
            Some(c) => Some(provider_view(c)?),
            None => None,
        };
        steps.push(PlanStepView {
            step: s.step,
            domain: s.domain.to_string(),
            choice,
            reason: error_code(&s.reason, "code"),
            english: in_english(|l, en| render::render_choice(&s.reason, l, en)),
        });
    }
    Ok(PlanView {
        steps,
        left_out: p
            .left_out
            .iter()
            .map(|l| LeftOutView {
                domain: l.domain.to_string(),
                reason: error_code(&l.reason, "code"),
                english: in_english(|lb, en| render::render_left_out(&l.reason, lb, en)),
            })
            .collect(),
        providers: p.providers.iter().map(ToString::to_string).collect(),
        consent_checked: p.consent_checked,
    })
}

/// One row of a gap table: an area and a need.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GapRow {
    /// The area, outermost first (`["BD", "Jessore"]`).
    pub area: Vec<String>,
    /// The need.
    pub domain: String,
    /// Active services listed for this need in the area.
    pub listed: u32,
    /// Of them, how many a person from the area could actually reach.
    pub reachable: u32,
    /// Services that exist on paper but cannot be reached: `(service id, reason codes)`.
    pub paper_only: Vec<PaperOnlyView>,
}

/// A service that exists but cannot be reached.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PaperOnlyView {
    /// The service.
    pub service_id: String,
    /// Why (`requires_court_order`, `no_capacity`, `no_shared_language`, ...).
    pub reasons: Vec<String>,
}

fn gap_row(g: &AreaNeedGap) -> GapRow {
    GapRow {
        area: g.area.0.iter().map(ToString::to_string).collect(),
        domain: g.domain.to_string(),
        listed: g.listed,
        reachable: g.reachable,
        paper_only: g
            .paper_only
            .iter()
            .map(|p| PaperOnlyView {
                service_id: p.service_id.to_string(),
                reasons: p.reasons.iter().map(key_of).collect(),
            })
            .collect(),
    }
}

/// An indexed service directory: match cases, build plans, tabulate gaps. Immutable and safe
/// to share between threads.
#[derive(uniffi::Object)]
pub struct ReferralDirectory {
    index: MatchIndex,
}

impl ReferralDirectory {
    fn new(directory: Directory) -> Result<Self, BesideError> {
        Ok(Self {
            index: MatchIndex::new(directory)?,
        })
    }

    fn request(request_json: &str) -> Result<MatchRequest, BesideError> {
        json::parse(request_json)
    }

    fn config(config_json: &str) -> Result<MatchConfig, BesideError> {
        json::parse_or_default(config_json)
    }

    fn run_match(
        &self,
        request_json: &str,
        config_json: &str,
        consent: Option<Arc<ConsentEngine>>,
    ) -> Result<MatchResult, BesideError> {
        let req = Self::request(request_json)?;
        let config = Self::config(config_json)?;
        with_gate(consent.as_deref(), &req, |gate| {
            Ok(self.index.match_case(&req, &config, gate)?)
        })
    }

    fn run_plan(
        &self,
        prioritisation_json: &str,
        request_json: &str,
        consent: Option<Arc<ConsentEngine>>,
    ) -> Result<Plan, BesideError> {
        let list: beside::needs::Prioritisation = json::parse(prioritisation_json)?;
        let req = Self::request(request_json)?;
        let config = MatchConfig::default();
        let plan_config = PlanConfig::default();
        with_gate(consent.as_deref(), &req, |gate| {
            Ok(self.index.plan(&list, &req, &config, &plan_config, gate)?)
        })
    }
}

/// Run `f` with the consent gate of `consent` (its ledger must be the request's case), or with
/// no consent check when `consent` is `None`.
fn with_gate<T>(
    consent: Option<&ConsentEngine>,
    req: &MatchRequest,
    f: impl FnOnce(&dyn ConsentGate) -> Result<T, BesideError>,
) -> Result<T, BesideError> {
    match consent {
        Some(engine) => {
            let ledger = engine.locked();
            let owner = &ledger.subject().case_id;
            if owner != &req.case_id {
                return Err(BesideError::Refused {
                    code: "different_cases".to_owned(),
                    detail: format!(
                        "the consent ledger is case `{owner}`'s, the request is case `{}`'s",
                        req.case_id
                    ),
                    error_json: serde_json::json!({
                        "code": "different_cases",
                        "ledger_case_id": owner,
                        "request_case_id": req.case_id,
                    })
                    .to_string(),
                });
            }
            f(&LedgerGate::referral(&ledger))
        }
        None => f(&ConsentNotChecked),
    }
}

#[uniffi::export]
impl ReferralDirectory {
    /// A directory from Beside's own JSON (the `Directory` schema), checked and indexed.
    #[uniffi::constructor]
    pub fn from_json(directory_json: String) -> Result<Self, BesideError> {
        Self::new(json::parse(&directory_json)?)
    }

    /// A directory from Open Referral HSDS 3.0 JSON (objects, lists, or tabular JSON); refused
    /// (`Refused`, code `incomplete`) when the import skipped directory records (`options_json`:
    /// `ImportOptions`, or empty for the defaults) — use
    /// [`hsds_import_json`] to see the full report first.
    #[uniffi::constructor]
    pub fn from_hsds_json(hsds_json: String, options_json: String) -> Result<Self, BesideError> {
        let options = hsds_options(&options_json)?;
        let import = hsds::import_json(&hsds_json, &options)?;
        Self::new(import.into_complete()?)
    }

    /// The bundled (synthetic) sample directory.
    #[uniffi::constructor]
    pub fn sample() -> Result<Self, BesideError> {
        Self::new(beside::samples::directory()?)
    }

    /// The directory as Beside JSON (the `Directory` schema).
    pub fn directory_json(&self) -> Result<String, BesideError> {
        json::out(self.index.directory())
    }

    /// The directory as HSDS 3.0 JSON, Beside's extra fields as HSDS attributes.
    pub fn hsds_json(&self) -> Result<String, BesideError> {
        Ok(hsds::export_json(self.index.directory())?)
    }

    /// How many services the directory lists.
    pub fn service_count(&self) -> u64 {
        self.index.directory().services.len() as u64
    }

    /// How many organisations the directory lists.
    pub fn organization_count(&self) -> u64 {
        self.index.directory().organizations.len() as u64
    }

    /// The need domains the directory's services serve, sorted.
    pub fn domains(&self) -> Vec<String> {
        self.index
            .domains()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Match one case (`MatchRequest` JSON; `config_json` a `MatchConfig`, or empty for the
    /// defaults). With `consent`, every provider is checked against that case's ledger
    /// (referral purpose; identity and contact data); without it the answer says
    /// `consent_checked: false`. Vetoes and safety flags always win.
    pub fn match_case(
        &self,
        request_json: String,
        config_json: String,
        consent: Option<Arc<ConsentEngine>>,
    ) -> Result<CaseMatch, BesideError> {
        case_match(&self.run_match(&request_json, &config_json, consent)?)
    }

    /// [`ReferralDirectory::match_case`], answered as `MatchResult` JSON.
    pub fn match_case_json(
        &self,
        request_json: String,
        config_json: String,
        consent: Option<Arc<ConsentEngine>>,
    ) -> Result<String, BesideError> {
        json::out(&self.run_match(&request_json, &config_json, consent)?)
    }

    /// A plan for several needs from a prioritisation (`Prioritisation` JSON, as
    /// `NeedsEngine.prioritise_json` returns it) and a request (its `needs` are replaced by the
    /// plannable needs): foundational needs first, fewer providers preferred, "not now" left out.
    pub fn plan(
        &self,
        prioritisation_json: String,
        request_json: String,
        consent: Option<Arc<ConsentEngine>>,
    ) -> Result<PlanView, BesideError> {
        plan_view(&self.run_plan(&prioritisation_json, &request_json, consent)?)
    }

    /// [`ReferralDirectory::plan`], answered as `Plan` JSON.
    pub fn plan_json(
        &self,
        prioritisation_json: String,
        request_json: String,
        consent: Option<Arc<ConsentEngine>>,
    ) -> Result<String, BesideError> {
        json::out(&self.run_plan(&prioritisation_json, &request_json, consent)?)
    }

    /// The gap table (`GapQuery` JSON): per area and need, services listed, reachable, and
    /// "paper-only" ones with the reasons.
    pub fn gaps(&self, query_json: String) -> Result<Vec<GapRow>, BesideError> {
        let q: GapQuery = json::parse(&query_json)?;
        Ok(self.index.gaps(&q)?.iter().map(gap_row).collect())
    }

    /// [`ReferralDirectory::gaps`], answered as a JSON array of `AreaNeedGap`.
    pub fn gaps_json(&self, query_json: String) -> Result<String, BesideError> {
        let q: GapQuery = json::parse(&query_json)?;
        json::out(&self.index.gaps(&q)?)
    }

    /// Unmet need in a cohort: a JSON array of `MatchRequest` in, a JSON array of `UnmetNeed`
    /// out (per area cut to `depth` levels and need: people, and those nobody can serve).
    /// Consent is not checked: this counts what the directory could offer.
    pub fn unmet_needs_json(
        &self,
        requests_json: String,
        depth: u32,
    ) -> Result<String, BesideError> {
        let reqs: Vec<MatchRequest> = json::parse(&requests_json)?;
        let rows = self.index.unmet_needs(
            &reqs,
            depth as usize,
            &MatchConfig::default(),
            &ConsentNotChecked,
        )?;
        json::out(&rows)
    }
}

fn hsds_options(options_json: &str) -> Result<ImportOptions, BesideError> {
    json::parse_or_default(options_json)
}

/// A match request for one case profile (`CaseProfile` JSON) and its needs (domain keys,
/// most urgent first), at `at`: no preferences, vetoes or safety flags yet. Answers
/// `MatchRequest` JSON to edit and pass to [`ReferralDirectory::match_case`].
#[uniffi::export]
pub fn match_request_json(
    case_json: String,
    needs: Vec<String>,
    at: Timestamp,
) -> Result<String, BesideError> {
    let case: beside::core::CaseProfile = json::parse(&case_json)?;
    let mut errors = Vec::new();
    let keys: Vec<beside::core::DomainKey> = needs
        .iter()
        .enumerate()
        .filter_map(|(i, k)| json::field(&mut errors, || format!("needs[{i}]"), k.as_str()))
        .collect();
    json::finish(errors)?;
    let mut req = MatchRequest::from_case(&case, keys, at);
    req.formally_identified = case.return_journey.route == beside::core::ReturnRoute::Formal;
    json::out(&req)
}

/// Import HSDS 3.0 JSON (objects, lists, arrays or tabular JSON): answers the `Import` JSON —
/// the directory and the report of what was carried, inferred, defaulted and skipped, and
/// whether the import is complete.
#[uniffi::export]
pub fn hsds_import_json(hsds_json: String, options_json: String) -> Result<String, BesideError> {
    let options = hsds_options(&options_json)?;
    json::out(&hsds::import_json(&hsds_json, &options)?)
}

/// Export a directory (`Directory` JSON) as HSDS 3.0 JSON.
#[uniffi::export]
pub fn hsds_export_json(directory_json: String) -> Result<String, BesideError> {
    let d: Directory = json::parse(&directory_json)?;
    Ok(hsds::export_json(&d)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_are_available() {
        assert!(english().is_some());
        assert_eq!(in_english(|_, en| en.as_str().to_owned()), "en");
    }

    fn case_json(id: &str) -> String {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(beside::samples::CASES_JSON).unwrap();
        cases
            .into_iter()
            .find(|c| c["case_id"] == id)
            .unwrap()
            .to_string()
    }

    #[test]
    fn sample_directory_matches_a_sample_case_with_consent() {
        let dir = ReferralDirectory::sample().unwrap();
        assert!(dir.service_count() > 50);
        let at = chrono::Utc::now();
        let req = match_request_json(case_json("case-01"), vec!["food".into()], at).unwrap();
        let consent = Arc::new(ConsentEngine::sample("case-01".into()).unwrap());
        let m = dir
            .match_case(req.clone(), String::new(), Some(consent))
            .unwrap();
        assert!(m.consent_checked);
        assert_eq!(m.needs.len(), 1);
        let raw = dir.match_case_json(req, String::new(), None).unwrap();
        assert!(raw.contains("\"consent_checked\":false"));
    }

    #[test]
    fn a_ledger_of_another_case_is_refused() {
        let dir = ReferralDirectory::sample().unwrap();
        let req = match_request_json(
            case_json("case-01"),
            vec!["food".into()],
            chrono::Utc::now(),
        )
        .unwrap();
        let other = Arc::new(ConsentEngine::sample("case-02".into()).unwrap());
        assert!(matches!(
            dir.match_case(req, String::new(), Some(other)),
            Err(BesideError::Refused { code, .. }) if code == "different_cases"
        ));
    }
}
