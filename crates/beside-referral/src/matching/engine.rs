//! Matching one case: hard constraints exclude (with reasons), soft scores rank the rest (with a
//! breakdown), near misses show where the system is a bridge to nowhere.

use super::config::MatchConfig;
use super::index::{
    cell_of, flag, normalise_area, unit, Hot, MatchIndex, CELL_DEG, LAT_CELLS, LON_CELLS, NO_AGE,
    NO_AREA, NO_FEE, NO_LIMIT,
};
use super::request::{MatchRequest, SafetyConcern, Veto};
use super::result::{
    Candidate, Exclusion, ExclusionCode, ExclusionCount, Factor, FactorBasis, MatchResult,
    NearMiss, NeedMatch, PathwayStep, ScoreFactor,
};
use crate::directory::Organization;
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

/// Squared chord length between two points `km` apart on the sphere.
fn chord2_of_km(km: f64) -> f64 {
    let half = (km / (2.0 * EARTH_RADIUS_KM)).clamp(0.0, std::f64::consts::FRAC_PI_2);
    let c = 2.0 * half.sin();
    c * c
}

/// Great-circle distance for a squared chord length.
fn km_of_chord2(chord2: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord2.max(0.0).sqrt() / 2.0).min(1.0).asin()
}

fn chord2(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let (dx, dy, dz) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    dx * dx + dy * dy + dz * dz
}

/// Per-query facts about the person, resolved once.
struct Ctx<'a> {
    req: &'a MatchRequest,
    age: Option<u32>,
    gender: u8,
    home: Option<(f64, f64)>,
    home_unit: Option<[f64; 3]>,
    limit_km: f64,
    reach_km: f64,
    limit_chord2: f64,
    reach_chord2: f64,
    home_area_ids: Vec<u32>,
    languages: Vec<u16>,
    language_mask: u64,
    language_overflow: bool,
    need_mask: u64,
    requested: u32,
    can_pay: Option<(u64, Option<u16>)>,
    veto_orgs: Vec<u32>,
    veto_kinds: u16,
    veto_services: Vec<u32>,
    area_vetoes: bool,
    /// Any veto other than by kind.
    other_vetoes: bool,
    unsafe_orgs: Vec<(u32, SafetyConcern)>,
}

#[derive(Clone, Copy)]
enum LangFig {
    Shared(u16),
    Interpretation,
    Unknown,
    None,
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
        let mut consent = ConsentCache::new(self.directory.organizations.len());
        let mut needs = Vec::with_capacity(req.needs.len());
        for need in &req.needs {
            needs.push(self.match_need(need, &ctx, config, gate, &mut consent));
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
        let reach_km = limit_km * config.near_miss_reach;
        let org_index = |id: &str| {
            self.directory
                .organizations
                .iter()
                .position(|o| o.id.as_str() == id)
                .and_then(|p| u32::try_from(p).ok())
        };
        let mut veto_orgs = Vec::new();
        let mut veto_kinds = 0u16;
        let mut veto_services = Vec::new();
        let mut area_vetoes = false;
        for v in &req.vetoes {
            match v {
                Veto::Organization { id } => veto_orgs.extend(org_index(id.as_str())),
                Veto::Kind { kind } => veto_kinds |= 1 << (*kind as u16),
                Veto::Service { id } => veto_services.extend(
                    self.directory
                        .services
                        .iter()
                        .position(|s| s.id == *id)
                        .and_then(|p| u32::try_from(p).ok()),
                ),
                Veto::Area { .. } => area_vetoes = true,
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
        let languages: Vec<u16> = req
            .person
            .languages
            .iter()
            .filter_map(|l| {
                self.language_ids
                    .get(&super::index::canonical_language(l))
                    .copied()
            })
            .collect();
        let home_parts = normalise_area(&req.home_area.0);
        let home_area_ids = (1..=home_parts.len())
            .filter_map(|depth| {
                home_parts
                    .get(..depth)
                    .and_then(|prefix| self.area_ids.get(prefix).copied())
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
        let home = req.home_coordinates.map(|c| (c.latitude, c.longitude));
        Ctx {
            req,
            age: req.person.age_on(req.at.date_naive()),
            gender: match req.person.gender {
                Gender::Female => 1,
                Gender::Male => 2,
                Gender::ThirdGender => 4,
                Gender::SelfDescribed(_) | Gender::NotStated => 0,
            },
            home,
            home_unit: home.map(|(la, lo)| unit(la, lo)),
            limit_km,
            reach_km,
            limit_chord2: chord2_of_km(limit_km),
            reach_chord2: chord2_of_km(reach_km),
            home_area_ids,
            language_mask: languages
                .iter()
                .filter(|l| **l < 64)
                .fold(0u64, |m, l| m | (1u64 << l)),
            language_overflow: languages.iter().any(|l| *l >= 64),
            languages,
            need_mask,
            requested: u32::try_from(req.needs.len()).unwrap_or(u32::MAX),
            can_pay,
            other_vetoes: !veto_orgs.is_empty() || !veto_services.is_empty() || area_vetoes,
            veto_orgs,
            veto_kinds,
            veto_services,
            area_vetoes,
            unsafe_orgs,
        }
    }

    /// The records to look at for one domain: near the person when their position is known.
    fn visit(&self, domain: u8, ctx: &Ctx<'_>, mut f: impl FnMut(&Hot)) {
        let Some(posting) = self.postings.get(domain as usize) else {
            return;
        };
        posting.anywhere.iter().for_each(&mut f);
        let Some((lat, lon)) = ctx.home else {
            let mut last = u32::MAX;
            for h in &posting.hots {
                // A service with several places may stand in several cells: visit it once.
                if h.entry != last || !h.has(flag::MULTI_PLACE) {
                    f(h);
                }
                last = h.entry;
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
                let start = posting.keys.partition_point(|k| *k < k0);
                let end = posting.keys.partition_point(|k| *k <= k1);
                for h in posting.hots.get(start..end).unwrap_or(&[]) {
                    if h.has(flag::MULTI_PLACE) {
                        if seen_multi.contains(&h.entry) {
                            continue;
                        }
                        seen_multi.push(h.entry);
                    }
                    f(h);
                }
            }
        }
    }

    /// Squared chord to the nearest located place, when both sides have a position.
    #[inline(always)]
    fn chord2(&self, h: &Hot, ctx: &Ctx<'_>) -> Option<f64> {
        let home = ctx.home_unit.as_ref()?;
        if !h.has(flag::HAS_PLACE) {
            return None;
        }
        if h.has(flag::MULTI_PLACE) {
            return self
                .cold
                .get(h.entry as usize)?
                .places
                .iter()
                .map(|p| chord2(home, p))
                .min_by(f64::total_cmp);
        }
        Some(chord2(home, &h.unit))
    }

    /// The hard constraints other than distance and consent, as bits of [`ExclusionCode`].
    /// With `first_only`, stops at the first one found (enough to rule out a near miss).
    #[inline(always)]
    fn constraints(&self, h: &Hot, ctx: &Ctx<'_>, distance_known: bool, first_only: bool) -> u16 {
        let mut mask = 0u16;
        macro_rules! check {
            ($cond:expr, $code:expr) => {
                if $cond {
                    mask |= $code.bit();
                    if first_only {
                        return mask;
                    }
                }
            };
        }
        check!(!h.has(flag::ACTIVE), ExclusionCode::Inactive);
        check!(h.capacity == 0, ExclusionCode::NoCapacity);
        check!(
            ctx.age.is_some_and(|age| {
                (h.min_age != NO_AGE && age < u32::from(h.min_age))
                    || (h.max_age != NO_AGE && age > u32::from(h.max_age))
            }),
            ExclusionCode::AgeOutsideRange
        );
        check!(
            h.genders != 0 && h.genders & ctx.gender == 0,
            ExclusionCode::GenderNotServed
        );
        check!(
            h.has(flag::REQUIRES_ID) && !ctx.req.formally_identified,
            ExclusionCode::RequiresFormalIdentification
        );
        check!(
            ctx.veto_kinds & (1 << h.kind) != 0
                || ctx.other_vetoes
                    && (ctx.veto_orgs.contains(&h.org)
                        || ctx.veto_services.contains(&h.entry)
                        || ctx.area_vetoes && self.veto_for(h, ctx).is_some()),
            ExclusionCode::Vetoed
        );
        check!(
            !ctx.unsafe_orgs.is_empty() && ctx.unsafe_orgs.iter().any(|(o, _)| *o == h.org),
            ExclusionCode::FlaggedUnsafe
        );
        let in_area = if h.area != NO_AREA {
            ctx.home_area_ids.contains(&h.area)
        } else {
            self.in_service_area(h, ctx, distance_known)
        };
        check!(!in_area, ExclusionCode::OutsideServiceArea);
        check!(
            h.has(flag::NATIONALITY_LIMIT) && !self.serves_nationality(h, ctx),
            ExclusionCode::NationalityNotServed
        );
        mask
    }

    fn serves_nationality(&self, h: &Hot, ctx: &Ctx<'_>) -> bool {
        let Some(s) = self.directory.services.get(h.entry as usize) else {
            return false;
        };
        ctx.req
            .person
            .nationality
            .as_ref()
            .is_some_and(|n| s.eligibility.nationalities.contains(n))
    }

    fn in_service_area(&self, h: &Hot, ctx: &Ctx<'_>, distance_known: bool) -> bool {
        if h.area != NO_AREA {
            return ctx.home_area_ids.contains(&h.area);
        }
        if h.has(flag::MULTI_AREA) {
            return self
                .service_areas(h.entry as usize)
                .iter()
                .any(|a| a.contains(&ctx.req.home_area));
        }
        let Some(cold) = self.cold.get(h.entry as usize) else {
            return false;
        };
        if distance_known || h.has(flag::OUTREACH) && cold.locations.is_empty() {
            return true;
        }
        // No service area and no distance to go by: the person must live in the district
        // (the parent area) of one of its locations.
        cold.locations.iter().any(|&li| {
            self.directory.locations.get(li as usize).is_some_and(|l| {
                l.area
                    .truncated(l.area.depth().saturating_sub(1).max(1))
                    .contains(&ctx.req.home_area)
            })
        })
    }

    fn veto_for<'r>(&self, h: &Hot, ctx: &Ctx<'r>) -> Option<&'r Veto> {
        let service = self.directory.services.get(h.entry as usize);
        let org = self.directory.organizations.get(h.org as usize);
        ctx.req.vetoes.iter().find(|v| match v {
            Veto::Organization { id } => org.is_some_and(|o| o.id == *id),
            Veto::Kind { kind } => *kind as u8 == h.kind,
            Veto::Service { id } => service.is_some_and(|s| s.id == *id),
            Veto::Area { area } => self.cold.get(h.entry as usize).is_some_and(|c| {
                c.locations.iter().any(|&li| {
                    self.directory
                        .locations
                        .get(li as usize)
                        .is_some_and(|l| area.contains(&l.area))
                })
            }),
        })
    }

    fn language(&self, h: &Hot, ctx: &Ctx<'_>) -> LangFig {
        let shared = if h.has(flag::LANGUAGE_OVERFLOW) || ctx.language_overflow {
            let langs = self
                .cold
                .get(h.entry as usize)
                .map_or(&[][..], |c| c.languages.as_slice());
            ctx.languages.iter().find(|l| langs.contains(l)).copied()
        } else if h.langs & ctx.language_mask != 0 {
            ctx.languages
                .iter()
                .find(|l| h.langs & (1u64 << **l) != 0)
                .copied()
        } else {
            None
        };
        match shared {
            Some(l) => LangFig::Shared(l),
            None if h.has(flag::INTERPRETATION) => LangFig::Interpretation,
            None if h.has(flag::NO_LANGUAGES) => LangFig::Unknown,
            None => LangFig::None,
        }
    }

    fn prefs(h: &Hot, ctx: &Ctx<'_>) -> (u32, u32) {
        let p = &ctx.req.preferences;
        let wanted =
            u32::from(p.female_staff) + u32::from(p.survivor_led) + u32::from(p.trauma_informed);
        let met = u32::from(p.female_staff && h.has(flag::FEMALE_STAFF))
            + u32::from(p.survivor_led && h.has(flag::SURVIVOR_LED))
            + u32::from(p.trauma_informed && h.has(flag::TRAUMA_INFORMED));
        (met, wanted)
    }

    fn values(
        &self,
        h: &Hot,
        distance: Option<f64>,
        ctx: &Ctx<'_>,
        config: &MatchConfig,
    ) -> [f64; 6] {
        let distance = if h.has(flag::OUTREACH) {
            1.0
        } else {
            match distance {
                Some(d) if ctx.limit_km > 0.0 => (1.0 - d / ctx.limit_km).clamp(0.0, 1.0),
                Some(_) => 1.0,
                None => 0.5,
            }
        };
        let language = match self.language(h, ctx) {
            LangFig::Shared(_) => 1.0,
            LangFig::Interpretation => 0.6,
            LangFig::Unknown => 0.5,
            LangFig::None => 0.0,
        };
        let (met, wanted) = Self::prefs(h, ctx);
        let preferences = if wanted == 0 {
            1.0
        } else {
            f64::from(met) / f64::from(wanted)
        };
        let cost = if h.currency == NO_FEE {
            if h.has(flag::COST_UNKNOWN) {
                0.5
            } else {
                1.0
            }
        } else {
            match ctx.can_pay {
                Some((pay, Some(pc))) if pc == h.currency => {
                    if h.fee <= pay {
                        0.7
                    } else {
                        0.0
                    }
                }
                _ => 0.4,
            }
        };
        let capacity = if h.capacity == NO_LIMIT {
            1.0
        } else {
            (f64::from(h.capacity) / f64::from(config.comfortable_capacity)).clamp(0.0, 1.0)
        };
        let covered = (h.domains & ctx.need_mask).count_ones();
        let several = if ctx.requested <= 1 {
            1.0
        } else {
            f64::from(covered.saturating_sub(1)) / f64::from(ctx.requested - 1)
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
        consent: &mut ConsentCache,
    ) -> NeedMatch {
        let mut considered = 0u32;
        let mut counts = [0u32; ExclusionCode::ALL.len()];
        let mut passing: Vec<(f64, Option<f64>, u32)> = Vec::new();
        let mut near: Vec<(f64, Option<f64>, u32, ExclusionCode)> = Vec::new();
        if let Some(&domain) = self.domain_ids.get(need) {
            self.visit(domain, ctx, |h| {
                let c2 = self.chord2(h, ctx);
                let outreach = h.has(flag::OUTREACH);
                if !outreach && c2.is_some_and(|c| c > ctx.reach_chord2) {
                    // Beyond the near-miss reach: not looked at.
                    return;
                }
                considered += 1;
                let beyond = !outreach && c2.is_some_and(|c| c > ctx.limit_chord2);
                let mut mask = if beyond {
                    // Between the travel limit and the reach: a near miss only when nothing
                    // else excludes it, so the first other constraint found settles it, and it
                    // counts once, as beyond the travel limit.
                    if let Some(c) = counts.get_mut(ExclusionCode::BeyondTravelLimit as usize) {
                        *c += 1;
                    }
                    if self.constraints(h, ctx, true, true) != 0 {
                        return;
                    }
                    ExclusionCode::BeyondTravelLimit.bit()
                } else {
                    self.constraints(h, ctx, c2.is_some(), false)
                };
                if mask.count_ones() <= 1 && consent.refused(self, h.org, gate, ctx.req.at) {
                    mask |= ExclusionCode::NoConsent.bit();
                    if beyond {
                        return;
                    }
                }
                if !beyond {
                    let mut bits = mask;
                    while bits != 0 {
                        let i = bits.trailing_zeros() as usize;
                        if let Some(c) = counts.get_mut(i) {
                            *c += 1;
                        }
                        bits &= bits - 1;
                    }
                }
                let ones = mask.count_ones();
                if ones > 1 {
                    return;
                }
                let d = c2.map(km_of_chord2);
                if ones == 0 {
                    let score = Self::score(&self.values(h, d, ctx, config), config);
                    passing.push((score, d, h.entry));
                } else {
                    let code = ExclusionCode::ALL
                        .get(mask.trailing_zeros() as usize)
                        .copied()
                        .unwrap_or(ExclusionCode::Vetoed);
                    if code.may_be_near_miss() {
                        near.push((0.0, d, h.entry, code));
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
        // Near misses: nearest first (then by service id), scored only once chosen.
        let keep = config.max_near_misses as usize;
        let near_order = |a: &(f64, Option<f64>, u32, ExclusionCode),
                          b: &(f64, Option<f64>, u32, ExclusionCode)| {
            order(&(0.0, a.1, a.2), &(0.0, b.1, b.2))
        };
        if near.len() > keep {
            if keep == 0 {
                near.clear();
            } else {
                near.select_nth_unstable_by(keep, near_order);
                near.truncate(keep);
            }
        }
        near.sort_by(near_order);
        for n in &mut near {
            if let Some(c) = self.cold.get(n.2 as usize) {
                n.0 = Self::score(&self.values(&c.hot, n.1, ctx, config), config);
            }
        }
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
                        exclusion: self.exclusion(ei as usize, code, d, ctx, consent)?,
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
        let c = self.cold.get(ei)?;
        let h = &c.hot;
        let s = self.directory.services.get(ei)?;
        let values = self.values(h, distance, ctx, config);
        let w = &config.weights;
        let total = config.total_weight();
        let bases = self.bases(h, distance, ctx);
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
        if h.has(flag::COURT_ORDER) && !ctx.req.has_court_order {
            pathway.push(PathwayStep::ObtainCourtOrder);
        }
        if h.has(flag::REFERRAL_LETTER) && !ctx.req.has_referral_letter {
            pathway.push(PathwayStep::ObtainReferralLetter);
        }
        Some(Candidate {
            service_id: s.id.clone(),
            organization_id: s.organization_id.clone(),
            organization_kind: c.kind,
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

    fn bases(&self, h: &Hot, distance: Option<f64>, ctx: &Ctx<'_>) -> [FactorBasis; 6] {
        let distance = if h.has(flag::OUTREACH) {
            FactorBasis::Outreach
        } else {
            match distance {
                Some(d) => FactorBasis::Distance {
                    distance_km: d,
                    limit_km: ctx.limit_km,
                },
                None => FactorBasis::DistanceUnknown,
            }
        };
        let language = match self.language(h, ctx) {
            LangFig::Shared(l) => FactorBasis::SharedLanguage {
                language: self.languages.get(l as usize).cloned().unwrap_or_default(),
            },
            LangFig::Interpretation => FactorBasis::Interpretation,
            LangFig::Unknown => FactorBasis::LanguageUnknown,
            LangFig::None => FactorBasis::NoSharedLanguage,
        };
        let (met, wanted) = Self::prefs(h, ctx);
        let preferences = if wanted == 0 {
            FactorBasis::NoPreferences
        } else {
            FactorBasis::PreferencesMet { met, wanted }
        };
        let cost = if h.currency == NO_FEE {
            if h.has(flag::COST_UNKNOWN) {
                FactorBasis::CostUnknown
            } else {
                FactorBasis::Free
            }
        } else {
            match ctx.can_pay {
                Some((pay, Some(pc))) if pc == h.currency => {
                    if h.fee <= pay {
                        FactorBasis::Affordable {
                            fee: h.fee,
                            can_pay: pay,
                        }
                    } else {
                        FactorBasis::Unaffordable {
                            fee: h.fee,
                            can_pay: pay,
                        }
                    }
                }
                _ => FactorBasis::FeeUnknownMeans { fee: h.fee },
            }
        };
        let capacity = if h.capacity == NO_LIMIT {
            FactorBasis::NoFixedLimit
        } else {
            FactorBasis::OpenPlaces {
                places: i64::from(h.capacity),
            }
        };
        let several = FactorBasis::NeedsCovered {
            covered: (h.domains & ctx.need_mask).count_ones(),
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
        consent: &ConsentCache,
    ) -> Option<Exclusion> {
        let h = &self.cold.get(ei)?.hot;
        let s = self.directory.services.get(ei)?;
        Some(match code {
            ExclusionCode::Inactive => Exclusion::Inactive { status: s.status },
            ExclusionCode::NoCapacity => Exclusion::NoCapacity {
                capacity: s.capacity.unwrap_or(0),
            },
            ExclusionCode::AgeOutsideRange => Exclusion::AgeOutsideRange {
                age: ctx.age.unwrap_or(0),
                min_age: s.eligibility.min_age,
                max_age: s.eligibility.max_age,
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
                veto: self.veto_for(h, ctx)?.clone(),
            },
            ExclusionCode::FlaggedUnsafe => Exclusion::FlaggedUnsafe {
                concern: ctx
                    .unsafe_orgs
                    .iter()
                    .find(|(o, _)| *o == h.org)
                    .map(|(_, c)| *c)?,
            },
            ExclusionCode::NoConsent => Exclusion::NoConsent {
                reasons: consent.reasons(h.org),
            },
        })
    }
}

/// Consent answers of one query, per organisation: asked at most once each.
struct ConsentCache {
    state: Vec<u8>,
    reasons: HashMap<u32, Vec<String>>,
}

impl ConsentCache {
    const UNKNOWN: u8 = 0;
    const PERMITTED: u8 = 1;
    const REFUSED: u8 = 2;

    fn new(organizations: usize) -> Self {
        Self {
            state: vec![Self::UNKNOWN; organizations],
            reasons: HashMap::new(),
        }
    }

    fn refused(
        &mut self,
        index: &MatchIndex,
        org: u32,
        gate: &dyn ConsentGate,
        at: Timestamp,
    ) -> bool {
        let Some(state) = self.state.get_mut(org as usize) else {
            return true;
        };
        if *state == Self::UNKNOWN {
            let refusal = index
                .directory
                .organizations
                .get(org as usize)
                .and_then(|o| gate.refusal(o, at));
            *state = match refusal {
                Some(reasons) => {
                    self.reasons.insert(org, reasons);
                    Self::REFUSED
                }
                None => Self::PERMITTED,
            };
        }
        *state == Self::REFUSED
    }

    fn reasons(&self, org: u32) -> Vec<String> {
        self.reasons.get(&org).cloned().unwrap_or_default()
    }
}
