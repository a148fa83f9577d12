//! Matching one case: hard constraints exclude (with reasons), soft scores rank the rest (with a
//! breakdown), near misses show where the system is a bridge to nowhere.

use super::config::MatchConfig;
use super::index::{cell_of, Entry, MatchIndex, CELL_DEG, LAT_CELLS, LON_CELLS};
use super::request::{MatchRequest, SafetyConcern, Veto};
use super::result::{
    Candidate, Exclusion, ExclusionCode, ExclusionCount, Factor, FactorBasis, MatchResult,
    NearMiss, NeedMatch, PathwayStep, ScoreFactor,
};
use crate::directory::{Organization, ServiceStatus};
use beside_core::{place::EARTH_RADIUS_KM, Gender, Timestamp, Validate, ValidationErrors};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Decides whether a provider may receive the data a referral needs. Matching asks it once per
/// organisation per query. Implemented for the consent engine's ledger in [`super::consent`].
pub trait ConsentGate {
    /// `None` when `organization` may receive the referral's data at `at`; otherwise the
    /// reason codes of the refusal.
    fn refusal(&self, organization: &Organization, at: Timestamp) -> Option<Vec<String>>;

    /// Whether this gate really checks consent (false for [`ConsentNotChecked`]).
    fn checks_consent(&self) -> bool {
        true
    }
}

/// A gate that checks nothing: for exploring a directory ("what exists near here?") with no
/// personal data. Results say `consent_checked: false`; a referral still needs consent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConsentNotChecked;

impl ConsentGate for ConsentNotChecked {
    fn refusal(&self, _: &Organization, _: Timestamp) -> Option<Vec<String>> {
        None
    }
    fn checks_consent(&self) -> bool {
        false
    }
}

/// The errors of matching.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatchError {
    /// The request or the configuration is invalid.
    #[error("invalid match request: {0}")]
    Invalid(#[from] ValidationErrors),
}

const KM_PER_DEG: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// Per-query facts about the person, resolved once.
struct Ctx<'a> {
    req: &'a MatchRequest,
    age: Option<u32>,
    gender: u8,
    home: Option<(f64, f64)>,
    limit_km: f64,
    reach_km: f64,
    languages: Vec<u16>,
    need_mask: u64,
    requested: u32,
    can_pay: Option<(u64, Option<u16>)>,
    veto_orgs: Vec<u32>,
    veto_kinds: u16,
    unsafe_orgs: Vec<(u32, SafetyConcern)>,
}

#[derive(Clone, Copy)]
enum LangFig {
    Shared(u16),
    Interpretation,
    Unknown,
    None,
}

#[derive(Clone, Copy)]
struct Figures {
    distance: Option<f64>,
    outreach: bool,
    language: LangFig,
    prefs_met: u32,
    prefs_wanted: u32,
    covered: u32,
}

fn haversine(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

impl MatchIndex {
    /// Match one case against the directory. Vetoes and safety flags always win; consent is
    /// checked through `gate` for every provider that passes, or fails only one, other
    /// constraint.
    pub fn match_case(
        &self,
        req: &MatchRequest,
        config: &MatchConfig,
        gate: &dyn ConsentGate,
    ) -> Result<MatchResult, MatchError> {
        req.validate_at(req.at)?;
        config.validate()?;
        let ctx = self.context(req, config);
        let mut consent_cache: HashMap<u32, Option<Vec<String>>> = HashMap::new();
        let mut needs = Vec::with_capacity(req.needs.len());
        for need in &req.needs {
            needs.push(self.match_need(need, &ctx, config, gate, &mut consent_cache));
        }
        Ok(MatchResult {
            case_id: req.case_id.clone(),
            at: req.at,
            consent_checked: gate.checks_consent(),
            needs,
        })
    }

    fn context<'a>(&self, req: &'a MatchRequest, config: &MatchConfig) -> Ctx<'a> {
        let limit_km = req
            .travel_limit_km
            .unwrap_or(config.default_travel_limit_km);
        let org_index = |id: &str| {
            self.directory
                .organizations
                .iter()
                .position(|o| o.id.as_str() == id)
                .and_then(|p| u32::try_from(p).ok())
        };
        let mut veto_orgs = Vec::new();
        let mut veto_kinds = 0u16;
        for v in &req.vetoes {
            match v {
                Veto::Organization { id } => veto_orgs.extend(org_index(id.as_str())),
                Veto::Kind { kind } => veto_kinds |= 1 << (*kind as u16),
                Veto::Service { .. } | Veto::Area { .. } => {}
            }
        }
        let unsafe_orgs = req
            .safety_flags
            .iter()
            .filter_map(|f| org_index(f.organization_id.as_str()).map(|o| (o, f.concern)))
            .collect();
        let mut need_mask = 0u64;
        for n in &req.needs {
            if let Some(id) = self.domain_ids.get(n) {
                need_mask |= 1u64 << id;
            }
        }
        let languages = req
            .person
            .languages
            .iter()
            .filter_map(|l| {
                self.language_ids
                    .get(&super::index::canonical_language(l))
                    .copied()
            })
            .collect();
        let can_pay = req.can_pay.as_ref().map(|m| {
            (
                m.amount,
                self.currencies
                    .iter()
                    .position(|c| *c == m.currency)
                    .and_then(|p| u16::try_from(p).ok()),
            )
        });
        Ctx {
            req,
            age: req.person.age_on(req.at.date_naive()),
            gender: match req.person.gender {
                Gender::Female => 1,
                Gender::Male => 2,
                Gender::ThirdGender => 4,
                Gender::SelfDescribed(_) | Gender::NotStated => 0,
            },
            home: req.home_coordinates.map(|c| (c.latitude, c.longitude)),
            limit_km,
            reach_km: limit_km * config.near_miss_reach,
            languages,
            need_mask,
            requested: u32::try_from(req.needs.len()).unwrap_or(u32::MAX),
            can_pay,
            veto_orgs,
            veto_kinds,
            unsafe_orgs,
        }
    }

    /// The entries to look at for one domain: near the person when their position is known.
    fn visit(&self, domain: u8, ctx: &Ctx<'_>, mut f: impl FnMut(u32)) {
        let Some(posting) = self.postings.get(domain as usize) else {
            return;
        };
        posting.anywhere.iter().for_each(|e| f(*e));
        let Some((lat, lon)) = ctx.home else {
            let mut last = u32::MAX;
            for &(_, e) in &posting.cells {
                // An entry with several locations may appear in several cells: visit it once.
                if e != last {
                    f(e);
                }
                last = e;
            }
            return;
        };
        let dlat = ctx.reach_km / KM_PER_DEG;
        let (la0, _) = cell_of(lat - dlat, lon);
        let (la1, _) = cell_of(lat + dlat, lon);
        let max_abs_lat = (lat.abs() + dlat).min(89.9);
        let dlon = ctx.reach_km / (KM_PER_DEG * max_abs_lat.to_radians().cos());
        let mut ranges: Vec<(u32, u32)> = Vec::with_capacity(2);
        if dlon >= 180.0 {
            ranges.push((0, LON_CELLS - 1));
        } else {
            let lo = ((lon - dlon + 180.0) / CELL_DEG).floor();
            let hi = ((lon + dlon + 180.0) / CELL_DEG).floor();
            let cells = f64::from(LON_CELLS);
            // Wrap across the antimeridian into at most two ranges; values are small whole numbers.
            let (lo_w, hi_w) = (lo.rem_euclid(cells) as u32, hi.rem_euclid(cells) as u32);
            if hi - lo >= cells - 1.0 {
                ranges.push((0, LON_CELLS - 1));
            } else if lo_w <= hi_w {
                ranges.push((lo_w, hi_w));
            } else {
                ranges.push((lo_w, LON_CELLS - 1));
                ranges.push((0, hi_w));
            }
        }
        let mut seen_multi: Vec<u32> = Vec::new();
        for row in la0..=la1.min(LAT_CELLS - 1) {
            for &(a, b) in &ranges {
                let (k0, k1) = (row * LON_CELLS + a, row * LON_CELLS + b);
                let start = posting.cells.partition_point(|(k, _)| *k < k0);
                for &(k, e) in posting.cells.get(start..).unwrap_or(&[]) {
                    if k > k1 {
                        break;
                    }
                    let multi = self
                        .entries
                        .get(e as usize)
                        .is_some_and(|x| x.places.len() > 1);
                    if multi {
                        if seen_multi.contains(&e) {
                            continue;
                        }
                        seen_multi.push(e);
                    }
                    f(e);
                }
            }
        }
    }

    fn distance(&self, e: &Entry, ctx: &Ctx<'_>) -> Option<f64> {
        let home = ctx.home?;
        e.places
            .iter()
            .map(|p| haversine(home, (p.lat, p.lon)))
            .min_by(f64::total_cmp)
    }

    /// The hard constraints other than consent, as bits of [`ExclusionCode`].
    fn constraints(&self, ei: usize, e: &Entry, ctx: &Ctx<'_>, distance: Option<f64>) -> u16 {
        let mut mask = 0u16;
        let mut set = |c: ExclusionCode| mask |= c.bit();
        if e.status != ServiceStatus::Active {
            set(ExclusionCode::Inactive);
        }
        if e.capacity.is_some_and(|c| c <= 0) {
            set(ExclusionCode::NoCapacity);
        }
        if let Some(age) = ctx.age {
            if e.min_age.is_some_and(|m| age < m) || e.max_age.is_some_and(|m| age > m) {
                set(ExclusionCode::AgeOutsideRange);
            }
        }
        if e.genders != 0 && e.genders & ctx.gender == 0 {
            set(ExclusionCode::GenderNotServed);
        }
        if let Some(s) = self.directory.services.get(ei) {
            let nat = &s.eligibility.nationalities;
            if !nat.is_empty()
                && !ctx
                    .req
                    .person
                    .nationality
                    .as_ref()
                    .is_some_and(|n| nat.contains(n))
            {
                set(ExclusionCode::NationalityNotServed);
            }
        }
        if e.requires_identification && !ctx.req.formally_identified {
            set(ExclusionCode::RequiresFormalIdentification);
        }
        let areas = self.service_areas(ei);
        let in_area = if !areas.is_empty() {
            areas.iter().any(|a| a.contains(&ctx.req.home_area))
        } else if distance.is_some() || e.outreach && e.locations.is_empty() {
            true
        } else {
            // No service area and no distance to go by: the person must live in the district
            // (the parent area) of one of its locations.
            e.locations.iter().any(|&li| {
                self.directory.locations.get(li as usize).is_some_and(|l| {
                    l.area
                        .truncated(l.area.depth().saturating_sub(1).max(1))
                        .contains(&ctx.req.home_area)
                })
            })
        };
        if !in_area {
            set(ExclusionCode::OutsideServiceArea);
        }
        if !e.outreach && distance.is_some_and(|d| d > ctx.limit_km) {
            set(ExclusionCode::BeyondTravelLimit);
        }
        if self.veto_for(ei, e, ctx).is_some() {
            set(ExclusionCode::Vetoed);
        }
        if ctx.unsafe_orgs.iter().any(|(o, _)| *o == e.org) {
            set(ExclusionCode::FlaggedUnsafe);
        }
        mask
    }

    fn veto_for<'r>(&self, ei: usize, e: &Entry, ctx: &Ctx<'r>) -> Option<&'r Veto> {
        if ctx.veto_orgs.is_empty() && ctx.veto_kinds == 0 && ctx.req.vetoes.is_empty() {
            return None;
        }
        let service = self.directory.services.get(ei);
        ctx.req.vetoes.iter().find(|v| match v {
            Veto::Organization { .. } => {
                ctx.veto_orgs.contains(&e.org)
                    && self
                        .directory
                        .organizations
                        .get(e.org as usize)
                        .is_some_and(|o| matches!(v, Veto::Organization { id } if *id == o.id))
            }
            Veto::Kind { kind } => *kind == e.kind,
            Veto::Service { id } => service.is_some_and(|s| s.id == *id),
            Veto::Area { area } => e.locations.iter().any(|&li| {
                self.directory
                    .locations
                    .get(li as usize)
                    .is_some_and(|l| area.contains(&l.area))
            }),
        })
    }

    fn figures(&self, e: &Entry, ctx: &Ctx<'_>, distance: Option<f64>) -> Figures {
        let language = match ctx.languages.iter().find(|l| e.languages.contains(l)) {
            Some(l) => LangFig::Shared(*l),
            None if e.interpretation => LangFig::Interpretation,
            None if e.languages.is_empty() => LangFig::Unknown,
            None => LangFig::None,
        };
        let p = &ctx.req.preferences;
        let wanted =
            u32::from(p.female_staff) + u32::from(p.survivor_led) + u32::from(p.trauma_informed);
        let met = u32::from(p.female_staff && e.female_staff)
            + u32::from(p.survivor_led && e.survivor_led)
            + u32::from(p.trauma_informed && e.trauma_informed);
        Figures {
            distance,
            outreach: e.outreach,
            language,
            prefs_met: met,
            prefs_wanted: wanted,
            covered: (e.domains & ctx.need_mask).count_ones(),
        }
    }

    fn values(&self, e: &Entry, f: &Figures, ctx: &Ctx<'_>, config: &MatchConfig) -> [f64; 6] {
        let distance = if f.outreach {
            1.0
        } else {
            match f.distance {
                Some(d) if ctx.limit_km > 0.0 => (1.0 - d / ctx.limit_km).clamp(0.0, 1.0),
                Some(_) => 1.0,
                None => 0.5,
            }
        };
        let language = match f.language {
            LangFig::Shared(_) => 1.0,
            LangFig::Interpretation => 0.6,
            LangFig::Unknown => 0.5,
            LangFig::None => 0.0,
        };
        let preferences = if f.prefs_wanted == 0 {
            1.0
        } else {
            f64::from(f.prefs_met) / f64::from(f.prefs_wanted)
        };
        let cost = match (e.fee, ctx.can_pay) {
            (None, _) if e.cost_known => 1.0,
            (None, _) => 0.5,
            (Some((fee, cur)), Some((pay, Some(pc)))) if cur == pc => {
                if fee <= pay {
                    0.7
                } else {
                    0.0
                }
            }
            (Some(_), _) => 0.4,
        };
        let capacity = match e.capacity {
            None => 1.0,
            Some(c) => {
                let comfortable = f64::from(config.comfortable_capacity);
                // Capacities are validated non-negative and far below 2^53.
                ((c as f64) / comfortable).clamp(0.0, 1.0)
            }
        };
        let several = if ctx.requested <= 1 {
            1.0
        } else {
            f64::from(f.covered.saturating_sub(1)) / f64::from(ctx.requested - 1)
        };
        [distance, language, preferences, cost, capacity, several]
    }

    fn score(values: &[f64; 6], config: &MatchConfig) -> f64 {
        let w = &config.weights;
        let ws = [
            w.distance,
            w.language,
            w.preferences,
            w.cost,
            w.capacity,
            w.several_needs,
        ];
        let total = config.total_weight();
        values.iter().zip(ws).map(|(v, w)| v * w).sum::<f64>() / total
    }

    fn match_need(
        &self,
        need: &beside_core::DomainKey,
        ctx: &Ctx<'_>,
        config: &MatchConfig,
        gate: &dyn ConsentGate,
        consent_cache: &mut HashMap<u32, Option<Vec<String>>>,
    ) -> NeedMatch {
        let mut considered = 0u32;
        let mut counts = [0u32; ExclusionCode::ALL.len()];
        let mut passing: Vec<(f64, Option<f64>, u32)> = Vec::new();
        let mut near: Vec<(f64, Option<f64>, u32, ExclusionCode)> = Vec::new();
        if let Some(&domain) = self.domain_ids.get(need) {
            self.visit(domain, ctx, |ei| {
                let Some(e) = self.entries.get(ei as usize) else {
                    return;
                };
                considered += 1;
                let distance = self.distance(e, ctx);
                let mut mask = self.constraints(ei as usize, e, ctx, distance);
                if mask.count_ones() <= 1 {
                    let refusal = consent_cache.entry(e.org).or_insert_with(|| {
                        self.directory
                            .organizations
                            .get(e.org as usize)
                            .and_then(|o| gate.refusal(o, ctx.req.at))
                    });
                    if refusal.is_some() {
                        mask |= ExclusionCode::NoConsent.bit();
                    }
                }
                for (i, code) in ExclusionCode::ALL.iter().enumerate() {
                    if mask & code.bit() != 0 {
                        if let Some(c) = counts.get_mut(i) {
                            *c += 1;
                        }
                    }
                }
                let ones = mask.count_ones();
                if ones > 1 {
                    return;
                }
                let figures = self.figures(e, ctx, distance);
                let score = Self::score(&self.values(e, &figures, ctx, config), config);
                if ones == 0 {
                    passing.push((score, distance, ei));
                } else if let Some(code) = ExclusionCode::ALL
                    .iter()
                    .find(|c| mask & c.bit() != 0 && c.may_be_near_miss())
                {
                    if *code != ExclusionCode::BeyondTravelLimit
                        || distance.is_some_and(|d| d <= ctx.reach_km)
                    {
                        near.push((score, distance, ei, *code));
                    }
                }
            });
        }
        let order = |a: &(f64, Option<f64>, u32), b: &(f64, Option<f64>, u32)| -> Ordering {
            b.0.total_cmp(&a.0)
                .then_with(|| match (a.1, b.1) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                })
                .then_with(|| self.service_id_cmp(a.2, b.2))
        };
        let eligible = u32::try_from(passing.len()).unwrap_or(u32::MAX);
        let top = config.top_n as usize;
        if passing.len() > top {
            passing.select_nth_unstable_by(top, order);
            passing.truncate(top);
        }
        passing.sort_by(order);
        near.sort_by(|a, b| order(&(a.0, a.1, a.2), &(b.0, b.1, b.2)));
        near.truncate(config.max_near_misses as usize);
        NeedMatch {
            domain: need.clone(),
            considered,
            candidates: passing
                .iter()
                .filter_map(|&(_, d, ei)| self.candidate(ei as usize, d, ctx, config, need))
                .collect(),
            eligible,
            near_misses: near
                .iter()
                .filter_map(|&(score, d, ei, code)| {
                    let s = self.directory.services.get(ei as usize)?;
                    Some(NearMiss {
                        service_id: s.id.clone(),
                        organization_id: s.organization_id.clone(),
                        exclusion: self.exclusion(ei as usize, code, d, ctx, consent_cache)?,
                        score_if_included: score,
                    })
                })
                .collect(),
            exclusions: ExclusionCode::ALL
                .iter()
                .zip(counts)
                .filter(|(_, n)| *n > 0)
                .map(|(code, count)| ExclusionCount { code: *code, count })
                .collect(),
        }
    }

    fn service_id_cmp(&self, a: u32, b: u32) -> Ordering {
        let id = |i: u32| {
            self.directory
                .services
                .get(i as usize)
                .map(|s| s.id.as_str())
        };
        id(a).cmp(&id(b))
    }

    fn candidate(
        &self,
        ei: usize,
        distance: Option<f64>,
        ctx: &Ctx<'_>,
        config: &MatchConfig,
        need: &beside_core::DomainKey,
    ) -> Option<Candidate> {
        let e = self.entries.get(ei)?;
        let s = self.directory.services.get(ei)?;
        let f = self.figures(e, ctx, distance);
        let values = self.values(e, &f, ctx, config);
        let w = &config.weights;
        let total = config.total_weight();
        let bases = self.bases(e, &f, ctx);
        let factors: Vec<ScoreFactor> = [
            Factor::Distance,
            Factor::Language,
            Factor::Preferences,
            Factor::Cost,
            Factor::Capacity,
            Factor::SeveralNeeds,
        ]
        .into_iter()
        .zip(values)
        .zip([
            w.distance,
            w.language,
            w.preferences,
            w.cost,
            w.capacity,
            w.several_needs,
        ])
        .zip(bases)
        .map(|(((factor, value), weight), basis)| ScoreFactor {
            factor,
            value,
            weight: weight / total,
            points: value * weight / total,
            basis,
        })
        .collect();
        let mut pathway = Vec::new();
        if e.court_order && !ctx.req.has_court_order {
            pathway.push(PathwayStep::ObtainCourtOrder);
        }
        if e.referral_letter && !ctx.req.has_referral_letter {
            pathway.push(PathwayStep::ObtainReferralLetter);
        }
        Some(Candidate {
            service_id: s.id.clone(),
            organization_id: s.organization_id.clone(),
            organization_kind: e.kind,
            score: Self::score(&values, config),
            factors,
            pathway,
            distance_km: distance,
            also_covers: ctx
                .req
                .needs
                .iter()
                .filter(|n| *n != need && s.domains.contains(n))
                .cloned()
                .collect(),
        })
    }

    fn bases(&self, e: &Entry, f: &Figures, ctx: &Ctx<'_>) -> [FactorBasis; 6] {
        let distance = if f.outreach {
            FactorBasis::Outreach
        } else {
            match f.distance {
                Some(d) => FactorBasis::Distance {
                    distance_km: d,
                    limit_km: ctx.limit_km,
                },
                None => FactorBasis::DistanceUnknown,
            }
        };
        let language = match f.language {
            LangFig::Shared(l) => FactorBasis::SharedLanguage {
                language: self.languages.get(l as usize).cloned().unwrap_or_default(),
            },
            LangFig::Interpretation => FactorBasis::Interpretation,
            LangFig::Unknown => FactorBasis::LanguageUnknown,
            LangFig::None => FactorBasis::NoSharedLanguage,
        };
        let preferences = if f.prefs_wanted == 0 {
            FactorBasis::NoPreferences
        } else {
            FactorBasis::PreferencesMet {
                met: f.prefs_met,
                wanted: f.prefs_wanted,
            }
        };
        let cost = match (e.fee, ctx.can_pay) {
            (None, _) if e.cost_known => FactorBasis::Free,
            (None, _) => FactorBasis::CostUnknown,
            (Some((fee, cur)), Some((pay, Some(pc)))) if cur == pc => {
                if fee <= pay {
                    FactorBasis::Affordable { fee, can_pay: pay }
                } else {
                    FactorBasis::Unaffordable { fee, can_pay: pay }
                }
            }
            (Some((fee, _)), _) => FactorBasis::FeeUnknownMeans { fee },
        };
        let capacity = match e.capacity {
            None => FactorBasis::NoFixedLimit,
            Some(places) => FactorBasis::OpenPlaces { places },
        };
        let several = FactorBasis::NeedsCovered {
            covered: f.covered,
            requested: ctx.requested,
        };
        [distance, language, preferences, cost, capacity, several]
    }

    fn exclusion(
        &self,
        ei: usize,
        code: ExclusionCode,
        distance: Option<f64>,
        ctx: &Ctx<'_>,
        consent_cache: &HashMap<u32, Option<Vec<String>>>,
    ) -> Option<Exclusion> {
        let e = self.entries.get(ei)?;
        let s = self.directory.services.get(ei)?;
        Some(match code {
            ExclusionCode::Inactive => Exclusion::Inactive { status: s.status },
            ExclusionCode::NoCapacity => Exclusion::NoCapacity {
                capacity: s.capacity.unwrap_or(0),
            },
            ExclusionCode::AgeOutsideRange => Exclusion::AgeOutsideRange {
                age: ctx.age.unwrap_or(0),
                min_age: e.min_age,
                max_age: e.max_age,
            },
            ExclusionCode::GenderNotServed => Exclusion::GenderNotServed {
                served: s.eligibility.genders.clone(),
            },
            ExclusionCode::NationalityNotServed => Exclusion::NationalityNotServed {
                served: s
                    .eligibility
                    .nationalities
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
            },
            ExclusionCode::RequiresFormalIdentification => Exclusion::RequiresFormalIdentification,
            ExclusionCode::OutsideServiceArea => Exclusion::OutsideServiceArea {
                home_area: ctx.req.home_area.clone(),
            },
            ExclusionCode::BeyondTravelLimit => Exclusion::BeyondTravelLimit {
                distance_km: distance.unwrap_or(0.0),
                limit_km: ctx.limit_km,
            },
            ExclusionCode::Vetoed => Exclusion::Vetoed {
                veto: self.veto_for(ei, e, ctx)?.clone(),
            },
            ExclusionCode::FlaggedUnsafe => Exclusion::FlaggedUnsafe {
                concern: ctx
                    .unsafe_orgs
                    .iter()
                    .find(|(o, _)| *o == e.org)
                    .map(|(_, c)| *c)?,
            },
            ExclusionCode::NoConsent => Exclusion::NoConsent {
                reasons: consent_cache
                    .get(&e.org)
                    .cloned()
                    .flatten()
                    .unwrap_or_default(),
            },
        })
    }
}
