//! Referral matching across the FFI, typed end to end: [`ReferralDirectory`] holds an indexed
//! service directory (from a [`Directory`], from Open Referral HSDS 3.0, or the bundled
//! sample) and answers match, plan, gap and unmet-need questions with the domain records
//! themselves, so one call's answer is the next one's input:
//!
//! `Prioritisation` (needs) + `CaseProfile` → [`match_request`] → `MatchRequest` →
//! [`ReferralDirectory::match_case`] / [`ReferralDirectory::plan`] (with the case's
//! [`ConsentEngine`]) → `MatchResult` / `Plan`.
//!
//! Exclusions, score factors, pathway steps and plan choices cross as enums with their
//! figures. Words for people are separate calls over one typed decision and a locale
//! (`render_*`). JSON stays the interchange format: one `<record>_from_json` /
//! `<record>_to_json` pair per top-level record, matching `schemas/`.
//!
//! Every typed input is checked as the same value written as JSON would be
//! ([`json::checked`]), then by the engine's own rules, so a typed input is refused with the
//! same field path and reason as JSON.

use crate::consent::ConsentEngine;
use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::core::{CaseProfile, DomainKey, FieldError, Labels, LanguageCode, Reason, Validate};
use beside::needs::Prioritisation;
use beside::referral::gaps::{AreaNeedGap, GapQuery, PaperReason, UnmetNeed};
use beside::referral::hsds::{self, ExportOptions, HsdsError, Import, ImportOptions, ImportReport};
use beside::referral::matching::{
    Candidate, ConsentGate, ConsentNotChecked, Exclusion, LedgerGate, MatchConfig, MatchError,
    MatchIndex, MatchRequest, MatchResult, PathwayStep, ScoreFactor,
};
use beside::referral::plan::{ChoiceReason, LeftOutReason, Plan, PlanConfig};
use beside::referral::whereabouts::{Viewer, Withheld};
use beside::referral::{render, Directory, Location};
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

impl From<HsdsError> for BesideError {
    /// Options or a directory that break a field rule are [`BesideError::Invalid`] with their
    /// paths; an import refused as a whole (too large, not HSDS, incomplete…) is
    /// [`BesideError::Refused`] with the `HsdsError` code and its figures.
    fn from(e: HsdsError) -> Self {
        match e {
            HsdsError::BadOptions(errors) | HsdsError::Invalid(errors) => errors.into(),
            other => BesideError::refused(&other, "hsds_error"),
        }
    }
}

/// The Beside directory as given (`directory`), checked as JSON input is, then indexed.
fn indexed(directory: Directory) -> Result<MatchIndex, BesideError> {
    Ok(MatchIndex::new(json::checked(directory)?)?)
}

/// Import options as given, checked as JSON input is; `None` is the documented default
/// ([`ImportOptions::default`]: keyword mapping, NGO as the organisation kind, no default
/// country, the standard size limits).
fn import_options(options: Option<ImportOptions>) -> Result<ImportOptions, BesideError> {
    match options {
        Some(o) => json::checked(o),
        None => Ok(ImportOptions::default()),
    }
}

/// A match configuration as given, checked as JSON input is; `None` is the documented default
/// ([`MatchConfig::default`]).
fn match_config(config: Option<MatchConfig>) -> Result<MatchConfig, BesideError> {
    match config {
        Some(c) => json::checked(c),
        None => Ok(MatchConfig::default()),
    }
}

/// `Refused` (code `different_cases`) unless `ours` (what `what` belongs to) is `theirs`.
fn same_case(
    what: &str,
    ours: &beside::core::CaseId,
    theirs: &beside::core::CaseId,
) -> Result<(), BesideError> {
    if ours == theirs {
        return Ok(());
    }
    Err(BesideError::Refused {
        code: "different_cases".to_owned(),
        detail: format!("the {what} is case `{ours}`'s, the request is case `{theirs}`'s"),
        error_json: serde_json::json!({
            "code": "different_cases",
            "what": what,
            "case_id": ours,
            "request_case_id": theirs,
        })
        .to_string(),
    })
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
            same_case("consent ledger", &ledger.subject().case_id, &req.case_id)?;
            f(&LedgerGate::referral(&ledger))
        }
        None => f(&ConsentNotChecked),
    }
}

/// An indexed service directory: match cases, build plans, tabulate gaps and unmet need.
/// Immutable and safe to share between threads.
#[derive(uniffi::Object)]
pub struct ReferralDirectory {
    index: MatchIndex,
}

#[uniffi::export]
impl ReferralDirectory {
    /// A directory, checked (the same paths and reasons as `directory_from_json`, then the
    /// directory's own rules: unique ids, known organisations and locations…) and indexed.
    #[uniffi::constructor]
    pub fn new(directory: Directory) -> Result<Self, BesideError> {
        Ok(Self {
            index: indexed(directory)?,
        })
    }

    /// A directory from Open Referral HSDS 3.0 JSON (objects, lists, arrays or tabular JSON),
    /// with `options` (`None`: the defaults). Refused (`Refused`, code `incomplete`) when the
    /// import skipped directory records: [`hsds_import`] answers the full report first.
    #[uniffi::constructor(default(options = None))]
    pub fn from_hsds(
        hsds_json: String,
        options: Option<ImportOptions>,
    ) -> Result<Self, BesideError> {
        let import = hsds::import_json(&hsds_json, &import_options(options)?)?;
        Ok(Self {
            index: MatchIndex::new(import.into_complete()?)?,
        })
    }

    /// The bundled (synthetic) sample directory: 80 providers in Bangladesh and Cambodia.
    #[uniffi::constructor]
    pub fn sample() -> Result<Self, BesideError> {
        Ok(Self {
            index: MatchIndex::new(beside::samples::directory()?)?,
        })
    }

    /// The directory itself (a copy).
    pub fn directory(&self) -> Directory {
        self.index.directory().clone()
    }

    /// The directory as HSDS 3.0 JSON (3.1 with `options`), Beside's extra fields as HSDS
    /// attributes: HSDS is JSON text by nature.
    #[uniffi::method(default(options = None))]
    pub fn hsds_export(&self, options: Option<ExportOptions>) -> Result<String, BesideError> {
        let options = match options {
            Some(o) => json::checked(o)?,
            // The documented default: HSDS 3.0, no capacity timestamp, for the public (a
            // confidential location's whereabouts withheld).
            None => ExportOptions::default(),
        };
        Ok(hsds::export_json_with(self.index.directory(), &options)?)
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
    pub fn domains(&self) -> Vec<DomainKey> {
        self.index.domains().to_vec()
    }

    /// Match one case. With `consent` (that case's ledger), every provider is checked against
    /// it (referral purpose; identity and contact data); with `None` the answer says
    /// `consent_checked: false`. Vetoes and safety flags always win. `config`: `None` for the
    /// defaults. A ledger of another case is `Refused` (`different_cases`).
    #[uniffi::method(default(config = None))]
    pub fn match_case(
        &self,
        request: MatchRequest,
        consent: Option<Arc<ConsentEngine>>,
        config: Option<MatchConfig>,
    ) -> Result<MatchResult, BesideError> {
        let req = json::checked(request)?;
        let config = match_config(config)?;
        with_gate(consent.as_deref(), &req, |gate| {
            Ok(self.index.match_case(&req, &config, gate)?)
        })
    }

    /// A plan for several needs from the case's prioritisation (what `NeedsEngine.prioritise`
    /// answers) and a request (its `needs` are replaced by the plannable needs): foundational
    /// needs first, fewer providers preferred, "not now" and needs at a good level left out
    /// with the reason. A prioritisation or ledger of another case is `Refused`
    /// (`different_cases`). `config`, `plan_config`: `None` for the defaults.
    #[uniffi::method(default(config = None, plan_config = None))]
    pub fn plan(
        &self,
        prioritisation: Prioritisation,
        request: MatchRequest,
        consent: Option<Arc<ConsentEngine>>,
        config: Option<MatchConfig>,
        plan_config: Option<PlanConfig>,
    ) -> Result<Plan, BesideError> {
        let list = json::checked(prioritisation)?;
        let req = json::checked(request)?;
        let config = match_config(config)?;
        let plan_config = match plan_config {
            Some(c) => json::checked(c)?,
            // The documented default: plan needs at `vulnerable` or worse, 0.10 tolerance.
            None => PlanConfig::default(),
        };
        same_case("prioritisation", &list.case_id, &req.case_id)?;
        with_gate(consent.as_deref(), &req, |gate| {
            Ok(self.index.plan(&list, &req, &config, &plan_config, gate)?)
        })
    }

    /// The gap table: per area and need of `query`, services listed, reachable, and the
    /// "paper-only" ones with their reasons, in the query's order.
    pub fn gaps(&self, query: GapQuery) -> Result<Vec<AreaNeedGap>, BesideError> {
        Ok(self.index.gaps(&json::checked(query)?)?)
    }

    /// Unmet need in a cohort: per area (home areas cut to `depth` levels) and need, the people
    /// with it and those no eligible provider can serve. Consent is not checked: this counts
    /// what the directory could offer. A bad request names its index (`[3].needs[0]`).
    #[uniffi::method(default(config = None))]
    pub fn unmet_needs(
        &self,
        requests: Vec<MatchRequest>,
        depth: u32,
        config: Option<MatchConfig>,
    ) -> Result<Vec<UnmetNeed>, BesideError> {
        let requests = json::checked(requests)?;
        // Each request is checked here, so a broken one names its index; the engine checks
        // them again (cheaply) as it matches.
        for (i, r) in requests.iter().enumerate() {
            r.validate_at(r.at)
                .map_err(|e| BesideError::from(e).at_index(i))?;
        }
        let config = match_config(config)?;
        Ok(self
            .index
            .unmet_needs(&requests, depth as usize, &config, &ConsentNotChecked)?)
    }
}

/// The bundled (synthetic) sample directory, as a record.
#[uniffi::export]
pub fn sample_directory() -> Result<Directory, BesideError> {
    Ok(beside::samples::directory()?)
}

/// The match request of a case for its prioritised needs: the referable ones (not those the
/// person said "not now" to), in priority order, at `at`; formally identified when the case's
/// return route was formal; no preferences, vetoes or safety flags yet (add them, then
/// [`ReferralDirectory::match_case`]). A prioritisation of another case is `Refused`
/// (`different_cases`).
#[uniffi::export]
pub fn match_request(
    case_profile: CaseProfile,
    prioritisation: Prioritisation,
    at: Timestamp,
) -> Result<MatchRequest, BesideError> {
    // Not named `case`: the argument names reach the C header of the Swift binding, where
    // `case` is a keyword.
    let case = json::checked(case_profile)?;
    let list = json::checked(prioritisation)?;
    same_case("prioritisation", &list.case_id, &case.case_id)?;
    let needs = list.referable().map(|i| i.domain.clone()).collect();
    let mut req = MatchRequest::from_case(&case, needs, at);
    req.formally_identified = case.return_journey.route == beside::core::ReturnRoute::Formal;
    Ok(req)
}

/// Import HSDS 3.0 JSON (objects, lists, arrays or tabular JSON) with `options` (`None`: the
/// defaults): the directory and the report of what was carried, inferred, defaulted and
/// skipped, and whether the import is complete.
#[uniffi::export(default(options = None))]
pub fn hsds_import(
    hsds_json: String,
    options: Option<ImportOptions>,
) -> Result<Import, BesideError> {
    Ok(hsds::import_json(&hsds_json, &import_options(options)?)?)
}

/// The default import options (to adjust before [`hsds_import`]).
#[uniffi::export]
pub fn default_import_options() -> ImportOptions {
    ImportOptions::default()
}

/// The default match configuration (weights, travel limit, list sizes), to adjust.
#[uniffi::export]
pub fn default_match_config() -> MatchConfig {
    MatchConfig::default()
}

/// The default plan configuration, to adjust.
#[uniffi::export]
pub fn default_plan_config() -> PlanConfig {
    PlanConfig::default()
}

json::json_pair! {
    Directory => directory_from_json, directory_to_json;
    MatchRequest => match_request_from_json, match_request_to_json;
    MatchConfig => match_config_from_json, match_config_to_json;
    MatchResult => match_result_from_json, match_result_to_json;
    Plan => plan_from_json, plan_to_json;
    PlanConfig => plan_config_from_json, plan_config_to_json;
    GapQuery => gap_query_from_json, gap_query_to_json;
    AreaNeedGap => area_need_gap_from_json, area_need_gap_to_json;
    UnmetNeed => unmet_need_from_json, unmet_need_to_json;
    ImportOptions => import_options_from_json, import_options_to_json;
    ImportReport => import_report_from_json, import_report_to_json;
    Import => import_from_json, import_to_json;
    ExportOptions => export_options_from_json, export_options_to_json;
}

/// The labels of the renderings: the shared vocabulary, the needs words and the referral
/// templates; built once.
fn labels() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS.get_or_init(render::labels)
}

/// The labels and language for `locale` (`en`, `bn`, `km`…), or [`BesideError::Invalid`] at
/// `locale` naming the locales the labels hold.
fn words(locale: &str) -> Result<(&'static Labels, LanguageCode), BesideError> {
    let labels = labels();
    let unknown = || -> BesideError {
        FieldError::new(
            "locale",
            Reason::Unknown {
                value: locale.to_owned(),
                known: labels
                    .locales
                    .iter()
                    .map(|t| t.language.as_str().to_owned())
                    .collect(),
            },
        )
        .into()
    };
    let language = LanguageCode::new(locale).map_err(|_| unknown())?;
    if labels
        .locales
        .iter()
        .any(|t| t.language.same_language(&language))
    {
        Ok((labels, language))
    } else {
        Err(unknown())
    }
}

/// `value` checked as JSON input is, rendered by `f` in `locale`.
fn rendered<T: serde::Serialize + serde::de::DeserializeOwned>(
    value: T,
    locale: &str,
    f: impl FnOnce(&T, &Labels, &LanguageCode) -> String,
) -> Result<String, BesideError> {
    let (labels, language) = words(locale)?;
    let value = json::checked(value)?;
    Ok(f(&value, labels, &language))
}

/// Why a service is excluded (a near miss), in words: "52.3 km away, beyond the 40.0 km the
/// person can travel". An unknown `locale` is `Invalid` at `locale`.
#[uniffi::export]
pub fn render_exclusion(exclusion: Exclusion, locale: String) -> Result<String, BesideError> {
    rendered(exclusion, &locale, render::render_exclusion)
}

/// One factor of a candidate's score, in words with its points: "distance 0.27: 4.2 km of a
/// 40.0 km limit".
#[uniffi::export]
pub fn render_score_factor(factor: ScoreFactor, locale: String) -> Result<String, BesideError> {
    rendered(factor, &locale, render::render_factor)
}

/// A step to take before a service takes the person, in words.
#[uniffi::export]
pub fn render_pathway_step(step: PathwayStep, locale: String) -> Result<String, BesideError> {
    rendered(step, &locale, |s, l, lang| {
        render::render_pathway(*s, l, lang)
    })
}

/// Why a candidate is where it is, in words: its score factor by factor, then its pathway
/// steps, one line each.
#[uniffi::export]
pub fn render_candidate(candidate: Candidate, locale: String) -> Result<Vec<String>, BesideError> {
    let (labels, language) = words(&locale)?;
    let c = json::checked(candidate)?;
    let factors = c
        .factors
        .iter()
        .map(|f| render::render_factor(f, labels, &language));
    let pathway = c
        .pathway
        .iter()
        .map(|p| render::render_pathway(*p, labels, &language));
    let withheld = c
        .withheld
        .iter()
        .map(|w| render::render_withheld(w, labels, &language));
    Ok(factors.chain(pathway).chain(withheld).collect())
}

/// Why a candidate's whereabouts are withheld, with its distance band: "a confidential place:
/// its address and exact distance are not shown (under 5 km)".
#[uniffi::export]
pub fn render_withheld(withheld: Withheld, locale: String) -> Result<String, BesideError> {
    rendered(withheld, &locale, render::render_withheld)
}

/// Whether `viewer` may see the address and coordinates of `location`: a public location
/// always; a confidential one only its own organisation, those it is disclosed to, and the
/// directory's keeper. The one rule every match, plan and export applies.
#[uniffi::export]
pub fn may_see_whereabouts(location: Location, viewer: Viewer) -> Result<bool, BesideError> {
    let location = json::checked(location)?;
    let viewer = json::checked(viewer)?;
    Ok(beside::referral::may_see_whereabouts(&location, &viewer))
}

/// Why a plan chose (or could not choose) a provider for a step, in words.
#[uniffi::export]
pub fn render_choice_reason(reason: ChoiceReason, locale: String) -> Result<String, BesideError> {
    rendered(reason, &locale, render::render_choice)
}

/// Why a need was left out of a plan, in words.
#[uniffi::export]
pub fn render_left_out_reason(
    reason: LeftOutReason,
    locale: String,
) -> Result<String, BesideError> {
    rendered(reason, &locale, render::render_left_out)
}

/// Why a listed service cannot be reached from an area, in words: "only with a court order".
#[uniffi::export]
pub fn render_paper_reason(reason: PaperReason, locale: String) -> Result<String, BesideError> {
    rendered(reason, &locale, |r, l, lang| {
        render::render_paper_reason(*r, l, lang)
    })
}

/// One row of a gap table, in words: "Food in BD › Jessore: 1 of the 3 services listed can be
/// reached".
#[uniffi::export]
pub fn render_area_need_gap(gap: AreaNeedGap, locale: String) -> Result<String, BesideError> {
    rendered(gap, &locale, render::render_gap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{sample_case, sample_latest_assessment};
    use beside::referral::matching::ExclusionCode;

    fn prioritisation(case_id: &str) -> Prioritisation {
        let assessment = sample_latest_assessment(case_id.into()).unwrap();
        beside::needs::Prioritiser::standard()
            .prioritise(&assessment)
            .unwrap()
    }

    fn at() -> Timestamp {
        crate::parse_timestamp("2026-11-20T10:00:00Z".into()).unwrap()
    }

    fn request(case_id: &str) -> MatchRequest {
        match_request(
            sample_case(case_id.into()).unwrap(),
            prioritisation(case_id),
            at(),
        )
        .unwrap()
    }

    /// A domain key as it comes from abroad: lifted unchecked.
    fn lifted_key(text: &str) -> DomainKey {
        let buf =
            <String as uniffi::Lower<crate::UniFfiTag>>::lower_into_rust_buffer(text.to_owned());
        <DomainKey as uniffi::Lift<crate::UniFfiTag>>::try_lift_from_rust_buffer(buf).unwrap()
    }

    /// The error's first path, or a panic naming what came instead.
    fn path_of(e: BesideError) -> String {
        match e {
            BesideError::Invalid { path, .. } => path,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_confidential_shelter_is_matched_without_its_whereabouts() {
        let dir = ReferralDirectory::sample().unwrap();
        let mut req = request("case-01");
        req.needs = vec![DomainKey::new("shelter").unwrap()];
        let shelter = |r: &MatchResult| {
            r.needs[0]
                .candidates
                .iter()
                .find(|c| c.service_id.as_str() == "svc-bd-jsr-ngo-01-1")
                .cloned()
                .unwrap()
        };
        let public = shelter(&dir.match_case(req.clone(), None, None).unwrap());
        assert_eq!(public.distance_km, None);
        let withheld = public.withheld.unwrap();
        let lines = render_candidate(public, "en".into()).unwrap();
        assert!(
            lines.last().unwrap().starts_with("a confidential place"),
            "{lines:?}"
        );
        assert!(!render_withheld(withheld, "en".into()).unwrap().is_empty());
        req.viewer = Viewer::Organization {
            id: beside::core::OrganizationId::new("org-bd-jsr-gov-01").unwrap(),
        };
        let entitled = shelter(&dir.match_case(req, None, None).unwrap());
        assert!(entitled.withheld.is_none() && entitled.distance_km.is_some());
        let d = dir.directory();
        let loc = d
            .locations
            .iter()
            .find(|l| l.confidential.is_some())
            .unwrap();
        assert!(!may_see_whereabouts(loc.clone(), Viewer::Public).unwrap());
        assert!(may_see_whereabouts(loc.clone(), Viewer::Keeper).unwrap());
        // The default export is for the public: no address, no coordinates.
        let export = dir.hsds_export(None).unwrap();
        assert!(!export.contains(loc.address.as_deref().unwrap()));
        let c = loc.coordinates.unwrap();
        assert!(!export.contains(&format!("{},{}", c.latitude, c.longitude)));
    }

    #[test]
    fn the_typed_chain_composes() {
        let dir = ReferralDirectory::sample().unwrap();
        assert!(dir.service_count() > 50 && dir.organization_count() > 50);
        let list = prioritisation("case-01");
        let req = request("case-01");
        let referable: Vec<DomainKey> = list.referable().map(|i| i.domain.clone()).collect();
        assert_eq!(req.needs, referable);
        let consent = Arc::new(ConsentEngine::sample("case-01".into()).unwrap());
        let m = dir
            .match_case(req.clone(), Some(consent.clone()), None)
            .unwrap();
        assert!(m.consent_checked);
        assert_eq!(m.needs.len(), req.needs.len());
        let best = m
            .needs
            .iter()
            .find_map(|n| n.candidates.first())
            .expect("a candidate");
        let lines = render_candidate(best.clone(), "en".into()).unwrap();
        assert!(lines.len() >= 6, "{lines:?}");
        let plan = dir
            .plan(list, req.clone(), Some(consent), None, None)
            .unwrap();
        assert!(plan.consent_checked && !plan.steps.is_empty());
        for s in &plan.steps {
            assert!(!render_choice_reason(s.reason.clone(), "en".into())
                .unwrap()
                .is_empty());
        }
        // JSON is the interchange format: the typed answer and its JSON agree.
        let text = plan_to_json(plan.clone()).unwrap();
        assert_eq!(plan_from_json(text).unwrap(), plan);
        let text = match_result_to_json(m.clone()).unwrap();
        assert_eq!(match_result_from_json(text).unwrap(), m);
        // Gaps and unmet need.
        let query = GapQuery {
            areas: vec![req.home_area.clone()],
            needs: req.needs.clone(),
            languages: Vec::new(),
        };
        let rows = dir.gaps(query).unwrap();
        assert_eq!(rows.len(), req.needs.len());
        let words = render_area_need_gap(rows[0].clone(), "en".into()).unwrap();
        assert!(words.contains(" in "), "{words}");
        let unmet = dir
            .unmet_needs(vec![req.clone(), request("case-02")], 2, None)
            .unwrap();
        assert!(!unmet.is_empty());
        // HSDS round trip, as the directory's keeper (the default export is for the public and
        // withholds the confidential shelter's whereabouts).
        let keeper = ExportOptions {
            viewer: Viewer::Keeper,
            ..ExportOptions::default()
        };
        let hsds = dir.hsds_export(Some(keeper)).unwrap();
        let import = hsds_import(hsds.clone(), None).unwrap();
        assert!(import.report.complete);
        assert_eq!(import.directory, dir.directory());
        let again = ReferralDirectory::from_hsds(hsds, Some(default_import_options())).unwrap();
        assert_eq!(again.service_count(), dir.service_count());
        assert_eq!(
            ReferralDirectory::new(sample_directory().unwrap())
                .unwrap()
                .domains(),
            dir.domains()
        );
    }

    #[test]
    fn exclusions_cross_with_their_figures() {
        let dir = ReferralDirectory::sample().unwrap();
        let mut req = request("case-01");
        req.travel_limit_km = Some(1.0);
        let m = dir.match_case(req, None, None).unwrap();
        assert!(!m.consent_checked);
        let miss = m
            .needs
            .iter()
            .flat_map(|n| &n.near_misses)
            .find(|n| n.exclusion.code() == ExclusionCode::BeyondTravelLimit)
            .expect("a near miss beyond 1 km");
        let Exclusion::BeyondTravelLimit {
            distance_km,
            limit_km,
        } = miss.exclusion
        else {
            panic!("{:?}", miss.exclusion)
        };
        assert!(distance_km > limit_km && limit_km == 1.0);
        let words = render_exclusion(miss.exclusion.clone(), "en".into()).unwrap();
        assert!(words.contains("1.0 km"), "{words}");
    }

    #[test]
    fn a_bad_typed_input_is_refused_as_its_json_is() {
        let dir = ReferralDirectory::sample().unwrap();
        // A domain key is lifted unchecked: the check names it as JSON does.
        let mut req = request("case-01");
        req.needs.push(lifted_key("Not A Key"));
        let text = serde_json::to_string(&req).unwrap();
        let typed = path_of(dir.match_case(req, None, None).unwrap_err());
        let from_json = path_of(match_request_from_json(text).unwrap_err());
        assert_eq!(typed, from_json);
        assert!(typed.starts_with("needs["), "{typed}");
        // A rule of the engine (a negative travel limit) names the same field.
        let mut req = request("case-01");
        req.travel_limit_km = Some(-1.0);
        let via_json = match_request_from_json(serde_json::to_string(&req).unwrap()).unwrap();
        let typed = path_of(dir.match_case(req, None, None).unwrap_err());
        let json = path_of(dir.match_case(via_json, None, None).unwrap_err());
        assert_eq!(
            (typed.as_str(), json.as_str()),
            ("travel_limit_km", "travel_limit_km")
        );
        // Batch items name their index.
        let mut bad = request("case-02");
        bad.travel_limit_km = Some(-1.0);
        let e = path_of(
            dir.unmet_needs(vec![request("case-01"), bad], 1, None)
                .unwrap_err(),
        );
        assert_eq!(e, "[1].travel_limit_km");
        // Options with an unknown `beside` code name it.
        let mut options = default_import_options();
        options.term_codes.push(hsds::TermCode {
            taxonomy: "mine".into(),
            code: "x".into(),
            beside_code: "no_such_code".into(),
            value: None,
        });
        let e = path_of(hsds_import("[]".into(), Some(options)).err().unwrap());
        assert_eq!(e, "term_codes[0].beside_code");
        // An empty gap query.
        let e = path_of(
            dir.gaps(GapQuery {
                areas: Vec::new(),
                needs: Vec::new(),
                languages: Vec::new(),
            })
            .unwrap_err(),
        );
        assert_eq!(e, "areas");
    }

    #[test]
    fn another_case_is_refused() {
        let dir = ReferralDirectory::sample().unwrap();
        let other = Arc::new(ConsentEngine::sample("case-02".into()).unwrap());
        assert!(matches!(
            dir.match_case(request("case-01"), Some(other), None),
            Err(BesideError::Refused { code, .. }) if code == "different_cases"
        ));
        assert!(matches!(
            match_request(sample_case("case-01".into()).unwrap(), prioritisation("case-02"), at()),
            Err(BesideError::Refused { code, .. }) if code == "different_cases"
        ));
        assert!(matches!(
            dir.plan(prioritisation("case-02"), request("case-01"), None, None, None),
            Err(BesideError::Refused { code, .. }) if code == "different_cases"
        ));
    }

    #[test]
    fn words_need_a_known_locale() {
        let e = render_pathway_step(PathwayStep::ObtainCourtOrder, "xx".into()).unwrap_err();
        match e {
            BesideError::Invalid { path, errors, .. } => {
                assert_eq!(path, "locale");
                assert!(matches!(&errors[0].reason,
                    Reason::Unknown { known, .. } if known.contains(&"en".to_owned())));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            !render_pathway_step(PathwayStep::ObtainCourtOrder, "en".into())
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            render_paper_reason(PaperReason::NoCapacity, "en".into()).unwrap(),
            "no open places"
        );
    }

    #[test]
    fn incomplete_hsds_is_refused_with_its_code() {
        let e = ReferralDirectory::from_hsds("{\"oops\": 1}".into(), None)
            .err()
            .unwrap();
        assert!(matches!(e, BesideError::Refused { .. }), "{e:?}");
    }
}
