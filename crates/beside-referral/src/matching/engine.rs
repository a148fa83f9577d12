//! Matching one case: hard constraints exclude (with reasons), soft scores rank the rest (with a
//! breakdown), near misses show where the system is a bridge to nowhere.

use super::config::MatchConfig;
use super::index::{
    cell_of, flag, normalise_area, unit, Cell, Facts, Grid, Hot, MatchIndex, Posting, Rec, Tally,
    CELL_DEG, LAT_CELLS, LON_CELLS, NO_AGE, NO_AREA, NO_FEE, NO_LIMIT,
};
use super::request::{MatchRequest, SafetyConcern, Veto};
use super::result::{
    Candidate, Exclusion, ExclusionCode, ExclusionCount, Factor, FactorBasis, MatchResult,
    NearMiss, NeedMatch, PathwayStep, ScoreFactor,
};
use crate::directory::Organization;
use beside_core::{
    place::EARTH_RADIUS_KM, Gender, OrganizationId, Timestamp, Validate, ValidationErrors,
};
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

    /// The organisations this gate's rules name, when the answer for every other organisation
    /// depends on its kind alone: matching then asks once per kind about those. `None` (the
    /// default): any organisation may be answered on its own, so each is asked.
    fn named_organizations(&self) -> Option<Vec<OrganizationId>> {
        None
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
    /// The sum of the factor weights.
    total_weight: f64,
    age: Option<u32>,
    gender: u8,
    home: Option<(f64, f64)>,
    home_unit: Option<[f64; 3]>,
    limit_km: f64,
    reach_km: f64,
    limit_chord2: f64,
    reach_chord2: f64,
    /// Chords (not squared) of the limit and the reach.
    limit_chord: f64,
    reach_chord: f64,
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
    /// No veto but by kind and no safety flag: [`Facts`] settle every common constraint.
    fast: bool,
    /// The [`Facts`] bits that exclude this person.
    static_keep: u16,
    /// The age compared with minimum ages (never below one when unknown).
    age_for_min: u32,
    /// The age compared with maximum ages (255 stands for no limit; 0 when unknown).
    age_for_max: u32,
    /// Per eligibility profile ([`MatchIndex::profiles`]): the age, gender and kind-veto bits
    /// that exclude this person.
    profile_masks: Vec<u16>,
    /// The ids of the person's home area and of the areas containing it, as a bit set over
    /// area ids: [`Ctx::in_home_area`].
    home_area_bits: Vec<u64>,
    /// The preferences factor's value by which of the person's preferences a service meets
    /// (bit 0 female staff, bit 1 survivor-led, bit 2 trauma-informed).
    pref_values: [f64; 8],
    /// The several-needs factor's value by how many of the requested needs a service covers
    /// (more than the request names cannot be covered).
    several_values: Vec<f64>,
    /// The highest cost factor's value by cost class ([`Facts::score`] bits 3-4).
    cost_bounds: [f64; 3],
}

impl Ctx<'_> {
    /// Whether area `id` is the person's home area or contains it ([`NO_AREA`] is not).
    #[inline(always)]
    fn in_home_area(&self, id: u32) -> bool {
        self.home_area_bits
            .get((id / 64) as usize)
            .is_some_and(|w| (w >> (id % 64)) & 1 == 1)
    }
}

/// One query's settings.
struct Query<'q, 'r> {
    ctx: &'q Ctx<'r>,
    config: &'q MatchConfig,
    gate: &'q dyn ConsentGate,
}

/// A margin (a chord of the unit sphere: about 6 µm) within which a whole-cell decision is not
/// trusted, so the cell's services are measured one by one.
const CELL_MARGIN: f64 = 1e-12;

/// A margin on a score's upper bound, against rounding.
const SCORE_MARGIN: f64 = 1e-9;

thread_local! {
    /// Scratch buffers reused from query to query on one thread: a query allocates none.
    static SCRATCH: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

/// Buffers of a query, reused from need to need.
#[derive(Default)]
struct Buffers {
    top: Vec<(f64, Option<f64>, u32)>,
    near: Vec<(f64, u32, ExclusionCode)>,
    deferred: Vec<(u32, u32)>,
}

/// The work of one need.
struct Scan<'c> {
    consent: &'c mut ConsentCache,
    considered: u32,
    /// Services beyond the travel limit (within the reach).
    beyond: u32,
    /// Exclusions within the travel limit, by code.
    counts: [u32; ExclusionCode::ALL.len()],
    eligible: u32,
    /// The best candidates so far, best first, at most `top_n`: (score, km, entry).
    top: Vec<(f64, Option<f64>, u32)>,
    /// Once `top` is full: a weighted sum of factor values (a score times the total weight)
    /// below this cannot place. Set a hair below the exact bar, so a bound tested against it
    /// rejects only what the exact comparison would.
    bar: f64,
    /// Once `top` is full: a service with a distance factor whose squared chord exceeds this
    /// cannot place, even with every other factor at its best.
    offer_cut: f64,
    /// Near-miss candidates: (squared chord, infinite when unknown; entry; the one constraint).
    near: Vec<(f64, u32, ExclusionCode)>,
    /// Candidates farther than this cannot be among the nearest `keep` any more.
    near_cut: f64,
    keep: usize,
    /// Cells (record ranges) holding services beyond the travel limit, for phase two.
    deferred: Vec<(u32, u32)>,
}

impl Scan<'_> {
    /// `top` is full: the bars a new candidate must pass follow its worst score.
    fn raise_bar(&mut self, ctx: &Ctx<'_>, config: &MatchConfig) {
        let Some(&(worst, _, _)) = self.top.last() else {
            return;
        };
        let (total, wd) = (ctx.total_weight, config.weights.distance);
        // A score is a weighted sum over the total weight; one within SCORE_MARGIN of the worst
        // may still place. The bar sits a further 1e-12 (relative) lower, far above rounding.
        self.bar = (worst - SCORE_MARGIN - 1e-12) * total;
        // The distance factor value below which even every other factor at 1 is too little,
        // as a squared chord (the value is 1 - km / limit, the km from the chord).
        self.offer_cut = f64::INFINITY;
        if wd > 0.0 && ctx.limit_km > 0.0 {
            let need = (self.bar - (total - wd)) / wd;
            if need > 1.0 {
                self.offer_cut = -1.0;
            } else if need > 0.0 {
                let chord = (1.0 - need) * ctx.limit_km / EARTH_RADIUS_KM;
                self.offer_cut = chord * chord * (1.0 + 1e-9);
            }
        }
    }

    /// Keep a near-miss candidate unless `keep` nearer ones are known; now and then drop those
    /// that can no longer be among the nearest `keep`, so the list stays short.
    #[inline(always)]
    fn push_near(&mut self, key: f64, entry: u32, code: ExclusionCode) {
        if key > self.near_cut || self.keep == 0 {
            return;
        }
        self.near.push((key, entry, code));
        if self.near.len() >= self.keep + 16 {
            self.compact_near();
        }
    }

    #[cold]
    #[inline(never)]
    fn compact_near(&mut self) {
        let kept = nearest_prefix(&mut self.near, self.keep);
        self.near.truncate(kept);
        // The nearest `keep` come first (in no order when there are no more than `keep`): the
        // farthest of them is the `keep`-th.
        if self.keep > 0 && self.near.len() >= self.keep {
            let kth = self
                .near
                .get(..self.keep)
                .unwrap_or(&[])
                .iter()
                .map(|n| n.0)
                .fold(f64::NEG_INFINITY, f64::max);
            self.near_cut = kth * (1.0 + 1e-9);
        }
    }
}

/// Reorder `near` so that its first `keep` (by key) come first, followed by every candidate
/// whose key ties the `keep`-th within rounding (its distance may equal the `keep`-th's);
/// returns how many those are. The `keep`-th key is at `keep - 1`.
fn nearest_prefix(near: &mut [(f64, u32, ExclusionCode)], keep: usize) -> usize {
    let Some(last) = keep.checked_sub(1) else {
        return 0;
    };
    if near.len() <= keep {
        return near.len();
    }
    near.select_nth_unstable_by(last, |a, b| a.0.total_cmp(&b.0));
    let kth = near.get(last).map_or(f64::INFINITY, |n| n.0);
    let (_, tail) = near.split_at_mut(keep);
    let mut ties = 0;
    for i in 0..tail.len() {
        if tail.get(i).is_some_and(|n| n.0 <= kth * (1.0 + 1e-9)) {
            tail.swap(ties, i);
            ties += 1;
        }
    }
    keep + ties
}

/// The bits of [`ExclusionCode::AgeOutsideRange`], [`ExclusionCode::GenderNotServed`] and
/// [`ExclusionCode::Vetoed`] (by kind) for a person (age compared with minimums, age compared with
/// maximums, gender bit, vetoed kinds) and a service's profile as [`Facts`] holds it.
fn profile_mask(
    (age_for_min, age_for_max, gender, veto_kinds): (u32, u32, u8, u16),
    min_age: u8,
    max_age: u8,
    genders: u8,
    kind: u8,
) -> u16 {
    let mut mask = 0;
    if age_for_min < u32::from(min_age) || age_for_max > u32::from(max_age) {
        mask |= ExclusionCode::AgeOutsideRange.bit();
    }
    if genders != 0 && genders & gender == 0 {
        mask |= ExclusionCode::GenderNotServed.bit();
    }
    if veto_kinds & 1u16.checked_shl(u32::from(kind)).unwrap_or(0) != 0 {
        mask |= ExclusionCode::Vetoed.bit();
    }
    mask
}

/// How many of the person's preferences a service meets, and how many the person has, given
/// whether it has female staff, is survivor-led and is trauma-informed.
fn preferences_met(p: &super::request::Preferences, has: [bool; 3]) -> (u32, u32) {
    let [female_staff, survivor_led, trauma_informed] = has;
    let wanted =
        u32::from(p.female_staff) + u32::from(p.survivor_led) + u32::from(p.trauma_informed);
    let met = u32::from(p.female_staff && female_staff)
        + u32::from(p.survivor_led && survivor_led)
        + u32::from(p.trauma_informed && trauma_informed);
    (met, wanted)
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
    /// checked through `gate` for every provider within the travel limit that passes, or fails
    /// only one, other constraint, and for providers beyond it that are examined as near misses.
    ///
    /// Per need, every service within `near_miss_reach` times the travel limit is counted
    /// (`considered`, and `exclusions`, where one beyond the limit counts once, as
    /// `beyond_travel_limit`); outreach services with a service area and services with no
    /// located place are always counted. At most `top_n` candidates are returned, best first
    /// (score, then distance, then service id). At most `max_near_misses` near misses (default 10) are listed: services
    /// excluded by exactly one constraint, never a veto or a safety flag, nearest first (unknown
    /// distance last), then by service id. Those beyond the travel limit rank after every near
    /// miss within it, so they are examined only when fewer than `max_near_misses` lie within.
    ///
    /// How it stays fast: whole grid cells are settled from one distance (too far; all beyond
    /// the limit, counted without reading their services); outreach outside the person's area
    /// is counted from per-area tallies when no consent is to be asked; services within the
    /// limit are
    /// tested from packed facts; a candidate is scored in full only when an upper bound of its
    /// score could still place it; explanations are built only for the returned candidates and
    /// near misses.
    pub fn match_case(
        &self,
        req: &MatchRequest,
        config: &MatchConfig,
        gate: &dyn ConsentGate,
    ) -> Result<MatchResult, MatchError> {
        req.validate_at(req.at)?;
        config.validate()?;
        let ctx = self.context(req, config);
        let q = Query {
            ctx: &ctx,
            config,
            gate,
        };
        let mut consent = ConsentCache::new(self, gate);
        let mut needs = Vec::with_capacity(req.needs.len());
        // The scratch buffers of this thread's previous query, when free (a gate that matched
        // again from inside `refusal` would find them taken and get fresh ones).
        let mut fresh = Buffers::default();
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut bufs) => {
                for need in &req.needs {
                    needs.push(self.match_need(need, &q, &mut consent, &mut bufs));
                }
            }
            Err(_) => {
                for need in &req.needs {
                    needs.push(self.match_need(need, &q, &mut consent, &mut fresh));
                }
            }
        });
        Ok(MatchResult {
            case_id: req.case_id.clone(),
            at: req.at,
            consent_checked: gate.checks_consent(),
            needs,
        })
    }

    #[inline(never)]
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
        let home_area_ids: Vec<u32> = (1..=home_parts.len())
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
        // On the calendar of the person's place: at 00:30 in Dhaka on her 18th birthday she
        // is 18, though the UTC date is the day before.
        let age = req.person.age_at(req.at, req.calendar());
        let fast = veto_orgs.is_empty()
            && veto_services.is_empty()
            && !area_vetoes
            && req.safety_flags.is_empty();
        let mut static_keep = ExclusionCode::Inactive.bit() | ExclusionCode::NoCapacity.bit();
        if !req.formally_identified {
            static_keep |= ExclusionCode::RequiresFormalIdentification.bit();
        }
        let age_for_min = age.unwrap_or(u32::MAX);
        let age_for_max = age.map_or(0, |a| a.min(255));
        let gender = match req.person.gender {
            Gender::Female => 1,
            Gender::Male => 2,
            Gender::ThirdGender => 4,
            Gender::SelfDescribed(_) | Gender::NotStated => 0,
        };
        let profile_masks = self
            .profiles
            .iter()
            .map(|&[min_age, max_age, genders, kind]| {
                profile_mask(
                    (age_for_min, age_for_max, gender, veto_kinds),
                    min_age,
                    max_age,
                    genders,
                    kind,
                )
            })
            .collect();
        let mut home_area_bits = vec![0u64; self.area_ids.len().div_ceil(64)];
        for &id in &home_area_ids {
            if let Some(w) = home_area_bits.get_mut((id / 64) as usize) {
                *w |= 1 << (id % 64);
            }
        }
        let mut pref_values = [1.0; 8];
        for (bits, v) in (0u8..).zip(pref_values.iter_mut()) {
            let (met, wanted) = preferences_met(
                &req.preferences,
                [bits & 1 != 0, bits & 2 != 0, bits & 4 != 0],
            );
            if wanted != 0 {
                *v = f64::from(met) / f64::from(wanted);
            }
        }
        let requested = u32::try_from(req.needs.len()).unwrap_or(u32::MAX);
        let several_values = (0..=need_mask.count_ones())
            .map(|covered| {
                if requested <= 1 {
                    1.0
                } else {
                    f64::from(covered.saturating_sub(1)) / f64::from(requested - 1)
                }
            })
            .collect();
        // A fee is worth 0.7 when affordable in a currency the person named, 0.4 when unknown.
        let fee_bound = if can_pay.is_some_and(|(_, currency)| currency.is_some()) {
            0.7
        } else {
            0.4
        };
        Ctx {
            cost_bounds: [1.0, 0.5, fee_bound],
            pref_values,
            several_values,
            profile_masks,
            home_area_bits,
            total_weight: config.total_weight(),
            fast,
            static_keep,
            age_for_min,
            age_for_max,
            req,
            age,
            gender,
            home,
            home_unit: home.map(|(la, lo)| unit(la, lo)),
            limit_km,
            reach_km,
            limit_chord2: chord2_of_km(limit_km),
            reach_chord2: chord2_of_km(reach_km),
            limit_chord: chord2_of_km(limit_km).sqrt(),
            reach_chord: chord2_of_km(reach_km).sqrt(),
            language_mask: languages
                .iter()
                .filter(|l| **l < 64)
                .fold(0u64, |m, l| m | (1u64 << l)),
            language_overflow: languages.iter().any(|l| *l >= 64),
            languages,
            need_mask,
            requested,
            can_pay,
            other_vetoes: !veto_orgs.is_empty() || !veto_services.is_empty() || area_vetoes,
            veto_orgs,
            veto_kinds,
            veto_services,
            area_vetoes,
            unsafe_orgs,
        }
    }

    /// The cells of `grid` within the bounding box of `radius_km` around `(lat, lon)`, row by
    /// row, nearest rows first.
    fn cells_near<'p>(
        grid: &'p Grid,
        radius_km: f64,
        (lat, lon): (f64, f64),
        mut f: impl FnMut(&'p Cell),
    ) {
        let dlat = radius_km / KM_PER_DEG;
        let (la0, _) = cell_of(lat - dlat, lon);
        let (la1, _) = cell_of(lat + dlat, lon);
        let max_abs_lat = (lat.abs() + dlat).min(89.9);
        let dlon = radius_km / (KM_PER_DEG * max_abs_lat.to_radians().cos());
        let mut ranges = [(0, LON_CELLS - 1), (1, 0)];
        if dlon < 180.0 {
            let lo = ((lon - dlon + 180.0) / CELL_DEG).floor();
            let hi = ((lon + dlon + 180.0) / CELL_DEG).floor();
            let cells = f64::from(LON_CELLS);
            // Wrap across the antimeridian into at most two ranges; values are small whole numbers.
            let (lo_w, hi_w) = (lo.rem_euclid(cells) as u32, hi.rem_euclid(cells) as u32);
            if hi - lo >= cells - 1.0 {
            } else if lo_w <= hi_w {
                ranges = [(lo_w, hi_w), (1, 0)];
            } else {
                ranges = [(lo_w, LON_CELLS - 1), (0, hi_w)];
            }
        }
        // Rows nearest the person first, so the best candidates and the nearest near misses
        // are found early and bound the rest.
        let la1 = la1.min(LAT_CELLS - 1);
        let (home_row, _) = cell_of(lat, lon);
        let home_row = home_row.clamp(la0, la1);
        let mut visit = |row: u32| {
            let in_row = grid
                .rows
                .get(row as usize)
                .zip(grid.rows.get(row as usize + 1))
                .and_then(|(&a, &b)| grid.cells.get(a as usize..b as usize))
                .unwrap_or(&[]);
            for &(a, b) in &ranges {
                if a > b {
                    continue;
                }
                let (k0, k1) = (row * LON_CELLS + a, row * LON_CELLS + b);
                let start = in_row.partition_point(|c| c.key < k0);
                for c in in_row.get(start..).unwrap_or(&[]) {
                    if c.key > k1 {
                        break;
                    }
                    f(c);
                }
            }
        };
        visit(home_row);
        for step in 1..=(la1 - la0) {
            if let Some(up) = home_row.checked_add(step).filter(|r| *r <= la1) {
                visit(up);
            }
            if let Some(down) = home_row.checked_sub(step).filter(|r| *r >= la0) {
                visit(down);
            }
        }
    }

    /// Phase one of a need: every service serving it within the near-miss reach is counted;
    /// those within the travel limit (or reaching people at home, or with no distance to go by)
    /// are examined in full. Services beyond the travel limit are counted as such and their
    /// cells remembered: they are examined as near misses only when phase two needs them.
    #[inline(never)]
    fn scan(&self, posting: &Posting, q: &Query<'_, '_>, s: &mut Scan<'_>) -> bool {
        let (Some(home), Some(at)) = (q.ctx.home_unit, q.ctx.home) else {
            for &entry in &posting.anywhere {
                self.one_by_one(entry, q, s);
            }
            for &Rec { entry, .. } in posting.grid.recs.iter().chain(&posting.outreach) {
                s.considered += 1;
                self.admit(entry, None, q, s);
            }
            return false;
        };
        let ctx = q.ctx;
        for &entry in &posting.anywhere {
            self.one_by_one(entry, q, s);
        }
        let pending = self.scan_outreach(posting, &home, q, s);
        let recs_of = |cell: &Cell| {
            posting
                .grid
                .recs
                .get(cell.start as usize..cell.end as usize)
        };
        // A cell's nearest and farthest points are its centre's chord minus and plus its
        // radius. Rather than wait for a square root per cell, the bounds are squared:
        // `dc2 > a²` for `dc > a` when `a >= 0`, and `dc2 < b²` for `dc < b` when `b > 0`.
        let beyond = |dc2: f64, a: f64| a < 0.0 || dc2 > a * a;
        let before = |dc2: f64, b: f64| b > 0.0 && dc2 < b * b;
        Self::cells_near(&posting.grid, ctx.reach_km, at, |cell| {
            let dc2 = chord2(&home, &cell.center);
            let r = cell.radius;
            // Its nearest point is beyond the reach.
            if beyond(dc2, ctx.reach_chord + CELL_MARGIN + r) {
                return;
            }
            let Some(recs) = recs_of(cell) else {
                return;
            };
            // Its nearest point is beyond the travel limit.
            let lo_beyond_limit = beyond(dc2, ctx.limit_chord + CELL_MARGIN + r);
            if lo_beyond_limit && before(dc2, ctx.reach_chord - CELL_MARGIN - r) {
                // Every service here is beyond the travel limit and within the reach.
                let n = cell.end - cell.start;
                s.considered += n;
                s.beyond += n;
                s.deferred.push((cell.start, cell.end));
                return;
            }
            // Its farthest point is within the travel limit.
            if before(dc2, ctx.limit_chord - CELL_MARGIN - r) {
                s.considered += cell.end - cell.start;
                for r in recs {
                    self.within(r, chord2(&home, &r.unit), q, s);
                }
                return;
            }
            if lo_beyond_limit {
                // All beyond the travel limit: only how many are within the reach is wanted.
                let far = posting.grid.count_within(
                    cell.start as usize,
                    cell.end as usize,
                    &home,
                    ctx.reach_chord2,
                );
                s.considered += far;
                if far > 0 {
                    s.beyond += far;
                    s.deferred.push((cell.start, cell.end));
                }
                return;
            }
            // Distances one by one: only those within the limit are read further.
            let (mut near, mut far) = (0u32, 0u32);
            for r in recs {
                let c2 = chord2(&home, &r.unit);
                if c2 > ctx.limit_chord2 {
                    far += u32::from(c2 <= ctx.reach_chord2);
                } else {
                    near += 1;
                    self.within(r, c2, q, s);
                }
            }
            s.considered += near + far;
            if far > 0 {
                s.beyond += far;
                s.deferred.push((cell.start, cell.end));
            }
        });
        pending
    }

    /// A gridded service within the travel limit.
    #[inline(always)]
    fn within(&self, r: &Rec, c2: f64, q: &Query<'_, '_>, s: &mut Scan<'_>) {
        match Self::fast_mask(&r.facts, q.ctx) {
            Some(mask) => {
                let outreach = r.facts.bits & Facts::OUTREACH != 0;
                self.settle(
                    mask,
                    r.facts.org,
                    r.entry,
                    outreach,
                    Some(c2),
                    Some(&r.facts),
                    q,
                    s,
                )
            }
            None => self.admit(r.entry, Some(c2), q, s),
        }
    }

    /// The outreach services of a need that reach by area. Distance does not bound them, so
    /// each is considered wherever it is. With the common constraints settled by [`Facts`] and
    /// no consent to ask, only those in the person's area (or with none) are read one by one; the rest are counted
    /// from their [`Tally`]s, all outside the service area, and their near misses are looked
    /// for later, by place ([`Self::near_outreach`]). Returns whether that is still to do.
    fn scan_outreach(
        &self,
        posting: &Posting,
        home: &[f64; 3],
        q: &Query<'_, '_>,
        s: &mut Scan<'_>,
    ) -> bool {
        let ctx = q.ctx;
        let one = |r: &Rec, s: &mut Scan<'_>| match Self::fast_mask(&r.facts, ctx) {
            Some(mask) => {
                s.considered += 1;
                self.settle(
                    mask,
                    r.facts.org,
                    r.entry,
                    true,
                    Some(chord2(home, &r.unit)),
                    Some(&r.facts),
                    q,
                    s,
                );
            }
            None => self.one_by_one(r.entry, q, s),
        };
        if !ctx.fast || s.consent.checks {
            for r in &posting.outreach {
                one(r, s);
            }
            return false;
        }
        let mut out = Self::tally_counts(&posting.outreach_tally, ctx);
        let mut out_n = posting.outreach_tally.n;
        for g in &posting.outreach_groups {
            if g.area != NO_AREA && !ctx.in_home_area(g.area) {
                continue;
            }
            for (o, i) in out.iter_mut().zip(Self::tally_counts(&g.tally, ctx)) {
                *o = o.saturating_sub(i);
            }
            out_n = out_n.saturating_sub(g.tally.n);
            for r in posting
                .outreach
                .get(g.start as usize..g.end as usize)
                .unwrap_or(&[])
            {
                one(r, s);
            }
        }
        if let Some(c) = out.get_mut(ExclusionCode::OutsideServiceArea as usize) {
            *c += out_n;
        }
        for (c, o) in s.counts.iter_mut().zip(out) {
            *c += o;
        }
        s.considered += out_n;
        out_n > 0
    }

    /// How many records of a tally fail each common constraint other than the service area,
    /// for this person: as [`Self::fast_mask`] would count them one by one.
    fn tally_counts(t: &Tally, ctx: &Ctx<'_>) -> [u32; ExclusionCode::ALL.len()] {
        let mut counts = [0u32; ExclusionCode::ALL.len()];
        let mut keep = ctx.static_keep;
        while keep != 0 {
            let bit = keep.trailing_zeros() as usize;
            if let (Some(c), Some(n)) = (counts.get_mut(bit), t.bits.get(bit)) {
                *c += n;
            }
            keep &= keep - 1;
        }
        let mut add = |code: ExclusionCode, n: u32| {
            if let Some(c) = counts.get_mut(code as usize) {
                *c += n;
            }
        };
        for &(min, max, n) in &t.ages {
            if ctx.age_for_min < u32::from(min) || ctx.age_for_max > u32::from(max) {
                add(ExclusionCode::AgeOutsideRange, n);
            }
        }
        for (g, &n) in (0u8..).zip(&t.genders) {
            if g != 0 && g & ctx.gender == 0 {
                add(ExclusionCode::GenderNotServed, n);
            }
        }
        if ctx.veto_kinds != 0 {
            for (k, &n) in (0u16..).zip(&t.kinds) {
                if ctx.veto_kinds & (1 << k) != 0 {
                    add(ExclusionCode::Vetoed, n);
                }
            }
        }
        counts
    }

    /// Near misses among the outreach services outside the person's area that were counted from
    /// their tallies: those that fail nothing else, with a squared chord in `(above, upto]` and
    /// no farther than the nearest near misses already known.
    fn near_outreach(
        &self,
        posting: &Posting,
        (above, upto): (f64, f64),
        q: &Query<'_, '_>,
        s: &mut Scan<'_>,
    ) {
        let (Some(home), Some(at)) = (q.ctx.home_unit, q.ctx.home) else {
            return;
        };
        if s.keep == 0 {
            return;
        }
        if s.near.len() >= s.keep {
            s.compact_near();
        }
        let area = ExclusionCode::OutsideServiceArea.bit();
        let cut = s.near_cut.min(upto);
        let look = |r: &Rec, s: &mut Scan<'_>| {
            let c2 = chord2(&home, &r.unit);
            if c2 > above
                && c2 <= cut
                && c2 <= s.near_cut
                && Self::fast_mask(&r.facts, q.ctx) == Some(area)
            {
                s.push_near(c2, r.entry, ExclusionCode::OutsideServiceArea);
            }
        };
        if cut.is_finite() {
            let radius = cut.sqrt();
            Self::cells_near(
                &posting.outreach_grid,
                km_of_chord2(cut) * (1.0 + 1e-9) + 1e-9,
                at,
                |cell| {
                    let dc = chord2(&home, &cell.center).sqrt();
                    if dc - cell.radius > radius + CELL_MARGIN {
                        return;
                    }
                    for r in posting
                        .outreach_grid
                        .recs
                        .get(cell.start as usize..cell.end as usize)
                        .unwrap_or(&[])
                    {
                        look(r, s);
                    }
                },
            );
        } else {
            for r in &posting.outreach_grid.recs {
                look(r, s);
            }
        }
    }

    /// Phase two of a need: the services of the deferred cells between the travel limit and the
    /// reach that fail no other constraint and have consent become near-miss candidates.
    #[inline(never)]
    fn scan_beyond(&self, posting: &Posting, q: &Query<'_, '_>, s: &mut Scan<'_>) {
        let Some(home) = q.ctx.home_unit else {
            return;
        };
        let deferred = std::mem::take(&mut s.deferred);
        for &(start, end) in &deferred {
            let (start, end) = (start as usize, end as usize);
            let Some(recs) = posting.grid.recs.get(start..end) else {
                continue;
            };
            for &Rec {
                unit: ref u,
                entry,
                facts: ref f,
            } in recs
            {
                let c2 = chord2(&home, u);
                if c2 > q.ctx.reach_chord2 || c2 <= q.ctx.limit_chord2 || c2 > s.near_cut {
                    continue;
                }
                match Self::fast_mask(f, q.ctx) {
                    Some(0) => {
                        if !s.consent.refused(self, f.org, q.gate, q.ctx.req.at) {
                            s.push_near(c2, entry, ExclusionCode::BeyondTravelLimit);
                        }
                    }
                    Some(_) => {}
                    None => {
                        if let Some(h) = self.hot(entry) {
                            self.near_beyond(h, c2, q, s);
                        }
                    }
                }
            }
        }
        s.deferred = deferred;
    }

    /// A service beyond the travel limit is a near miss when nothing else excludes it.
    fn near_beyond(&self, h: &Hot, c2: f64, q: &Query<'_, '_>, s: &mut Scan<'_>) {
        if self.constraints(h, q.ctx, true, true) != 0
            || s.consent.refused(self, h.org, q.gate, q.ctx.req.at)
        {
            return;
        }
        s.push_near(c2, h.entry, ExclusionCode::BeyondTravelLimit);
    }

    /// A service looked at on its own (no located place, several, or reaching by area with
    /// facts that need the directory): distance from
    /// its nearest place, then as in [`Self::scan`], near misses beyond the limit included.
    fn one_by_one(&self, entry: u32, q: &Query<'_, '_>, s: &mut Scan<'_>) {
        let Some(h) = self.hot(entry) else {
            return;
        };
        let c2 = self.chord2(h, q.ctx);
        let by_area = h.reaches_by_area();
        if !by_area && c2.is_some_and(|c| c > q.ctx.reach_chord2) {
            return;
        }
        s.considered += 1;
        match c2 {
            Some(c2) if !by_area && c2 > q.ctx.limit_chord2 => {
                s.beyond += 1;
                self.near_beyond(h, c2, q, s);
            }
            _ => self.admit(entry, c2, q, s),
        }
    }

    fn hot(&self, entry: u32) -> Option<&Hot> {
        self.cold.get(entry as usize).map(|c| &c.hot)
    }

    /// A service within the travel limit (or with no distance to go by): every constraint it
    /// fails is counted; it is offered as a candidate when it fails none, kept as a near-miss
    /// candidate when it fails exactly one that may be shown.
    #[inline(never)]
    fn admit(&self, entry: u32, c2: Option<f64>, q: &Query<'_, '_>, s: &mut Scan<'_>) {
        let Some(h) = self.hot(entry) else {
            return;
        };
        let mask = self.constraints(h, q.ctx, c2.is_some(), false);
        self.settle(mask, h.org, entry, h.has(flag::OUTREACH), c2, None, q, s);
    }

    /// The common hard constraints of a gridded service within the travel limit, from its
    /// [`Facts`] alone: the same bits as [`Self::constraints`], or `None` when the long way is
    /// needed (a veto other than by kind, a safety flag, nationalities, several areas).
    #[inline(always)]
    fn fast_mask(f: &Facts, ctx: &Ctx<'_>) -> Option<u16> {
        if !ctx.fast || f.bits & Facts::SLOW != 0 {
            return None;
        }
        Some(Self::mask_of(f, ctx))
    }

    /// [`Self::fast_mask`] for a record whose constraints [`Facts`] settle: the person's
    /// answer for the record's profile from a table, the service area from a bit set.
    #[inline(always)]
    fn mask_of(f: &Facts, ctx: &Ctx<'_>) -> u16 {
        let profile = match ctx.profile_masks.get(usize::from(f.profile)) {
            Some(&m) => m,
            None => profile_mask(
                (ctx.age_for_min, ctx.age_for_max, ctx.gender, ctx.veto_kinds),
                f.min_age,
                f.max_age,
                f.genders,
                f.kind,
            ),
        };
        // A gridded service has a located place, so with no service area it is in area.
        let away = !ctx.in_home_area(f.area) & (f.area != NO_AREA);
        (f.bits & ctx.static_keep)
            | profile
            | (u16::from(away) << ExclusionCode::OutsideServiceArea as u16)
    }

    /// Given the constraint bits of a service within the travel limit: consent when nothing
    /// else or one thing excludes it, the counts, then a candidate or a near-miss candidate.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &self,
        mut mask: u16,
        org: u32,
        entry: u32,
        outreach: bool,
        c2: Option<f64>,
        facts: Option<&Facts>,
        q: &Query<'_, '_>,
        s: &mut Scan<'_>,
    ) {
        // At most one bit (`count_ones` is slow without a POPCNT instruction).
        let at_most_one = |m: u16| m & m.wrapping_sub(1) == 0;
        if s.consent.checks
            && at_most_one(mask)
            && s.consent.refused(self, org, q.gate, q.ctx.req.at)
        {
            mask |= ExclusionCode::NoConsent.bit();
        }
        let mut bits = mask;
        while bits != 0 {
            if let Some(c) = s.counts.get_mut(bits.trailing_zeros() as usize) {
                *c += 1;
            }
            bits &= bits - 1;
        }
        match (mask, at_most_one(mask)) {
            (0, _) => {
                s.eligible += 1;
                // Too far to place even with every other factor at its best.
                if !outreach && c2.is_some_and(|c2| c2 > s.offer_cut) {
                    return;
                }
                self.offer(entry, outreach, c2, facts, q, s)
            }
            (_, true) => {
                let code = ExclusionCode::ALL
                    .get(mask.trailing_zeros() as usize)
                    .copied()
                    .unwrap_or(ExclusionCode::Vetoed);
                if code.may_be_near_miss() {
                    s.push_near(c2.unwrap_or(f64::INFINITY), entry, code);
                }
            }
            _ => {}
        }
    }

    /// An eligible service: scored in full only when upper bounds of its score could still
    /// place it among the best `top_n`. The distance factor is bounded from the chord (which
    /// never exceeds the arc); first every other factor is taken at its best, then preferences,
    /// cost and capacity are read from its [`Facts`] when it has them, and only then is the
    /// directory's record read for the language and several-needs factors.
    #[allow(clippy::too_many_arguments)]
    fn offer(
        &self,
        entry: u32,
        outreach: bool,
        c2: Option<f64>,
        facts: Option<&Facts>,
        q: &Query<'_, '_>,
        s: &mut Scan<'_>,
    ) {
        let (ctx, config) = (q.ctx, q.config);
        let w = &config.weights;
        let total = ctx.total_weight;
        let full = s.top.len() >= config.top_n as usize;
        let distance_bound = if outreach {
            1.0
        } else {
            match c2 {
                Some(c2) if ctx.limit_km > 0.0 => {
                    (1.0 - EARTH_RADIUS_KM * c2.max(0.0).sqrt() / ctx.limit_km).clamp(0.0, 1.0)
                }
                Some(_) => 1.0,
                None => 0.5,
            }
        };
        let distance_points = distance_bound * w.distance;
        if full {
            // Every other factor at most 1.
            if distance_points + (total - w.distance) < s.bar {
                return;
            }
            if let Some(f) = facts {
                let capacity = if f.capacity == u16::MAX {
                    1.0
                } else {
                    (f64::from(f.capacity) / f64::from(config.comfortable_capacity)).clamp(0.0, 1.0)
                };
                let bound = distance_points
                    + w.language
                    + ctx
                        .pref_values
                        .get(usize::from(f.score & 7))
                        .copied()
                        .unwrap_or(1.0)
                        * w.preferences
                    + ctx
                        .cost_bounds
                        .get(usize::from(f.score >> 3))
                        .copied()
                        .unwrap_or(1.0)
                        * w.cost
                    + capacity * w.capacity
                    + w.several_needs;
                if bound < s.bar {
                    return;
                }
            }
        }
        let Some(h) = self.hot(entry) else {
            return;
        };
        let rest = self.static_values(h, ctx, config);
        if full {
            let bound = distance_points
                + rest[0] * w.language
                + rest[1] * w.preferences
                + rest[2] * w.cost
                + rest[3] * w.capacity
                + rest[4] * w.several_needs;
            if bound < s.bar {
                return;
            }
        }
        let d = c2.map(km_of_chord2);
        let [l, p, c, cap, sev] = rest;
        let score = Self::score(
            &[Self::distance_value(h, d, ctx), l, p, c, cap, sev],
            config,
        );
        let item = (score, d, h.entry);
        let k = config.top_n as usize;
        // Where it ranks among at most `top_n`: counted from the worst, as most that get this
        // far place near the bottom.
        let mut at = s.top.len();
        while at > 0
            && s.top
                .get(at - 1)
                .is_some_and(|t| self.rank(t, &item) != Ordering::Less)
        {
            at -= 1;
        }
        if at < k {
            s.top.insert(at, item);
            s.top.truncate(k);
            if s.top.len() >= k {
                s.raise_bar(ctx, config);
            }
        }
    }

    /// The order of candidates: score, then distance (unknown last), then service id.
    fn rank(&self, a: &(f64, Option<f64>, u32), b: &(f64, Option<f64>, u32)) -> Ordering {
        b.0.total_cmp(&a.0)
            .then_with(|| match (a.1, b.1) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| self.service_id_cmp(a.2, b.2))
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
            ctx.in_home_area(h.area)
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
            return ctx.in_home_area(h.area);
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
        preferences_met(
            &ctx.req.preferences,
            [
                h.has(flag::FEMALE_STAFF),
                h.has(flag::SURVIVOR_LED),
                h.has(flag::TRAUMA_INFORMED),
            ],
        )
    }

    fn values(
        &self,
        h: &Hot,
        distance: Option<f64>,
        ctx: &Ctx<'_>,
        config: &MatchConfig,
    ) -> [f64; 6] {
        let [language, preferences, cost, capacity, several] = self.static_values(h, ctx, config);
        [
            Self::distance_value(h, distance, ctx),
            language,
            preferences,
            cost,
            capacity,
            several,
        ]
    }

    fn distance_value(h: &Hot, distance: Option<f64>, ctx: &Ctx<'_>) -> f64 {
        if h.has(flag::OUTREACH) {
            1.0
        } else {
            match distance {
                Some(d) if ctx.limit_km > 0.0 => (1.0 - d / ctx.limit_km).clamp(0.0, 1.0),
                Some(_) => 1.0,
                None => 0.5,
            }
        }
    }

    /// The factor values other than distance: language, preferences, cost, capacity, several
    /// needs.
    fn static_values(&self, h: &Hot, ctx: &Ctx<'_>, config: &MatchConfig) -> [f64; 5] {
        let shared = if h.has(flag::LANGUAGE_OVERFLOW) || ctx.language_overflow {
            matches!(self.language(h, ctx), LangFig::Shared(_))
        } else {
            h.langs & ctx.language_mask != 0
        };
        let language = if shared {
            1.0
        } else if h.has(flag::INTERPRETATION) {
            0.6
        } else if h.has(flag::NO_LANGUAGES) {
            0.5
        } else {
            0.0
        };
        let preferences = ctx
            .pref_values
            .get(usize::from(h.preference_bits()))
            .copied()
            .unwrap_or(1.0);
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
        let covered = (h.domains & ctx.need_mask).count_ones() as usize;
        let several = ctx.several_values.get(covered).copied().unwrap_or(1.0);
        [language, preferences, cost, capacity, several]
    }

    fn score(values: &[f64; 6], config: &MatchConfig) -> f64 {
        let total = config.total_weight();
        values
            .iter()
            .zip(config.weights.in_factor_order())
            .map(|(v, w)| v * w)
            .sum::<f64>()
            / total
    }

    #[inline(never)]
    fn match_need(
        &self,
        need: &beside_core::DomainKey,
        q: &Query<'_, '_>,
        consent: &mut ConsentCache,
        bufs: &mut Buffers,
    ) -> NeedMatch {
        let (ctx, config) = (q.ctx, q.config);
        bufs.top.clear();
        bufs.near.clear();
        bufs.deferred.clear();
        let mut s = Scan {
            consent,
            considered: 0,
            beyond: 0,
            counts: [0; ExclusionCode::ALL.len()],
            eligible: 0,
            top: std::mem::take(&mut bufs.top),
            bar: f64::NEG_INFINITY,
            offer_cut: f64::INFINITY,
            near: std::mem::take(&mut bufs.near),
            near_cut: f64::INFINITY,
            keep: config.max_near_misses as usize,
            deferred: std::mem::take(&mut bufs.deferred),
        };
        let keep = s.keep;
        let posting = self
            .domain_ids
            .get(need)
            .and_then(|&d| self.postings.get(d as usize));
        if let Some(posting) = posting {
            let pending = self.scan(posting, q, &mut s);
            if pending {
                let upto = ctx.limit_chord2;
                self.near_outreach(posting, (f64::NEG_INFINITY, upto), q, &mut s);
            }
            // Services beyond the travel limit rank after every near miss within it: look at
            // them only when fewer than `keep` near misses lie clearly within the limit.
            let clearly_within = ctx.limit_chord2 * (1.0 - 1e-9);
            let within = s.near.iter().filter(|n| n.0 <= clearly_within).count();
            if keep > 0 && within < keep {
                if !s.deferred.is_empty() {
                    self.scan_beyond(posting, q, &mut s);
                }
                if pending {
                    let above = ctx.limit_chord2;
                    self.near_outreach(posting, (above, f64::INFINITY), q, &mut s);
                }
            }
        }
        if let Some(c) = s.counts.get_mut(ExclusionCode::BeyondTravelLimit as usize) {
            *c += s.beyond;
        }
        let Scan {
            consent,
            considered,
            counts,
            eligible,
            top,
            mut near,
            deferred,
            ..
        } = s;
        let chosen = self.nearest_misses(&mut near, keep);
        let nearest = near.get(..chosen).unwrap_or(&[]);
        let result = NeedMatch {
            domain: need.clone(),
            considered,
            candidates: {
                let others = self.other_needs(need, ctx, top.is_empty());
                let mut v = Vec::with_capacity(top.len());
                v.extend(top.iter().filter_map(|&(_, d, ei)| {
                    self.candidate(ei as usize, d, ctx, config, &others)
                }));
                v
            },
            eligible,
            near_misses: {
                let mut v = Vec::with_capacity(nearest.len());
                v.extend(nearest.iter().filter_map(|&(km, ei, code)| {
                    let d = km.is_finite().then_some(km);
                    let c = self.cold.get(ei as usize)?;
                    let s = self.directory.services.get(ei as usize)?;
                    Some(NearMiss {
                        service_id: s.id.clone(),
                        organization_id: s.organization_id.clone(),
                        exclusion: self.exclusion(ei as usize, code, d, ctx, consent)?,
                        score_if_included: Self::score(
                            &self.values(&c.hot, d, ctx, config),
                            config,
                        ),
                    })
                }));
                v
            },
            exclusions: {
                let mut v = Vec::with_capacity(counts.iter().filter(|n| **n > 0).count());
                v.extend(
                    ExclusionCode::ALL
                        .iter()
                        .zip(counts)
                        .filter(|(_, n)| *n > 0)
                        .map(|(code, count)| ExclusionCount { code: *code, count }),
                );
                v
            },
        };
        *bufs = Buffers {
            top,
            near,
            deferred,
        };
        result
    }

    /// Puts the `keep` nearest near-miss candidates (then by service id) first in `near`, each
    /// keyed by its distance in km (infinite when unknown), and returns how many those are.
    /// Candidates are keyed by squared chord, which orders like the distance except where two
    /// chords round to one distance: those are settled on the distance itself.
    #[inline(never)]
    fn nearest_misses(&self, near: &mut [(f64, u32, ExclusionCode)], keep: usize) -> usize {
        let n = nearest_prefix(near, keep);
        let chosen = near.get_mut(..n).unwrap_or(&mut []);
        for m in chosen.iter_mut() {
            if m.0.is_finite() {
                m.0 = km_of_chord2(m.0);
            }
        }
        let km = |k: f64| k.is_finite().then_some(k);
        chosen.sort_by(|a, b| self.rank(&(0.0, km(a.0), a.1), &(0.0, km(b.0), b.1)));
        n.min(keep)
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

    /// The request's other needs (not `need`) that some service covers, in request order, with
    /// their bits in [`Hot::domains`]; none when `skip`.
    fn other_needs<'r>(
        &self,
        need: &beside_core::DomainKey,
        ctx: &Ctx<'r>,
        skip: bool,
    ) -> Vec<(u64, &'r beside_core::DomainKey)> {
        if skip {
            return Vec::new();
        }
        // A need's bit is among the request's (`need_mask`, a few bits): found by comparing keys,
        // cheaper than hashing each need.
        let bit_of = |n: &beside_core::DomainKey| {
            let mut bits = ctx.need_mask;
            while bits != 0 {
                let id = bits.trailing_zeros();
                if self.domains.get(id as usize) == Some(n) {
                    return Some(1u64 << id);
                }
                bits &= bits - 1;
            }
            None
        };
        ctx.req
            .needs
            .iter()
            .filter(|n| *n != need)
            .filter_map(|n| Some((bit_of(n)?, n)))
            .collect()
    }

    #[inline(never)]
    fn candidate(
        &self,
        ei: usize,
        distance: Option<f64>,
        ctx: &Ctx<'_>,
        config: &MatchConfig,
        others: &[(u64, &beside_core::DomainKey)],
    ) -> Option<Candidate> {
        let c = self.cold.get(ei)?;
        let h = &c.hot;
        let s = self.directory.services.get(ei)?;
        let values = self.values(h, distance, ctx, config);
        let total = ctx.total_weight;
        let factor = |factor, value: f64, weight: f64, basis| ScoreFactor {
            factor,
            value,
            weight: weight / total,
            points: value * weight / total,
            basis,
        };
        let [v0, v1, v2, v3, v4, v5] = values;
        let [w0, w1, w2, w3, w4, w5] = config.weights.in_factor_order();
        let [b0, b1, b2, b3, b4, b5] = self.bases(h, distance, ctx);
        let factors = [
            factor(Factor::Distance, v0, w0, b0),
            factor(Factor::Language, v1, w1, b1),
            factor(Factor::Preferences, v2, w2, b2),
            factor(Factor::Cost, v3, w3, b3),
            factor(Factor::Capacity, v4, w4, b4),
            factor(Factor::SeveralNeeds, v5, w5, b5),
        ];
        let mut pathway = Vec::new();
        if h.has(flag::COURT_ORDER) && !ctx.req.has_court_order {
            pathway.push(PathwayStep::ObtainCourtOrder);
        }
        if h.has(flag::REFERRAL_LETTER) && !ctx.req.has_referral_letter {
            pathway.push(PathwayStep::ObtainReferralLetter);
        }
        // The other requested needs it covers, from its domain bits (a service covers a need
        // exactly when the need's bit is set), in request order.
        let covered = others.iter().filter(|(bit, _)| h.domains & bit != 0);
        let mut also_covers = Vec::with_capacity(covered.clone().count());
        also_covers.extend(covered.map(|(_, n)| (*n).clone()));
        Some(Candidate {
            service_id: s.id.clone(),
            organization_id: s.organization_id.clone(),
            organization_kind: c.kind,
            score: Self::score(&values, config),
            factors,
            pathway,
            distance_km: distance,
            also_covers,
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
            // The id comes from the index's own table, so the lookup always succeeds.
            LangFig::Shared(l) => self
                .languages
                .get(l as usize)
                .map_or(FactorBasis::LanguageUnknown, |&language| {
                    FactorBasis::SharedLanguage { language }
                }),
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

    #[inline(never)]
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
                reasons: consent.reasons(self, h.org),
            },
        })
    }
}

/// Consent answers of one query, per organisation: asked at most once each, and at most once per
/// kind for organisations the gate's rules do not name ([`ConsentGate::named_organizations`]). Two bits
/// per organisation (asked, refused), so a query clears little memory.
struct ConsentCache {
    /// Whether the gate checks anything (false: nobody is refused, nothing is asked).
    checks: bool,
    asked: Vec<u64>,
    refused: Vec<u64>,
    /// Refusal reasons of organisations answered one by one.
    reasons: HashMap<u32, Vec<String>>,
    /// Answers by organisation kind, for organisations whose kind decides: `None` not yet
    /// asked, `Some(None)` permitted, `Some(Some(reasons))` refused.
    by_kind: Vec<Option<Option<Vec<String>>>>,
    /// The organisations (indices, sorted) the gate's rules name, when its other answers
    /// depend on kind alone; `None` when every organisation is asked.
    named: Option<Vec<u32>>,
}

impl ConsentCache {
    fn new(index: &MatchIndex, gate: &dyn ConsentGate) -> Self {
        let checks = gate.checks_consent();
        let words = if checks {
            index.directory.organizations.len().div_ceil(64)
        } else {
            0
        };
        let named = if checks {
            gate.named_organizations().map(|ids| {
                let mut named: Vec<u32> = ids.iter().filter_map(|id| index.org_of(id)).collect();
                named.sort_unstable();
                named
            })
        } else {
            None
        };
        Self {
            checks,
            asked: vec![0; words],
            refused: vec![0; words],
            reasons: HashMap::new(),
            by_kind: Vec::new(),
            named,
        }
    }

    /// Whether `org` may not receive the referral: asked of the gate the first time only.
    #[inline(always)]
    fn refused(
        &mut self,
        index: &MatchIndex,
        org: u32,
        gate: &dyn ConsentGate,
        at: Timestamp,
    ) -> bool {
        if !self.checks {
            return false;
        }
        let (word, bit) = ((org / 64) as usize, 1u64 << (org % 64));
        match self.asked.get(word) {
            Some(a) if a & bit != 0 => self.refused.get(word).is_some_and(|r| r & bit != 0),
            Some(_) => self.ask(index, org, gate, at),
            None => true,
        }
    }

    #[cold]
    #[inline(never)]
    fn ask(&mut self, index: &MatchIndex, org: u32, gate: &dyn ConsentGate, at: Timestamp) -> bool {
        let (word, bit) = ((org / 64) as usize, 1u64 << (org % 64));
        let kind_decides = self
            .named
            .as_ref()
            .is_some_and(|n| n.binary_search(&org).is_err());
        let refused = match index.directory.organizations.get(org as usize) {
            Some(o) if kind_decides => {
                let k = o.kind as usize;
                if self.by_kind.len() <= k {
                    self.by_kind.resize(k + 1, None);
                }
                match self.by_kind.get_mut(k) {
                    Some(Some(answer)) => answer.is_some(),
                    Some(slot) => {
                        let answer = gate.refusal(o, at);
                        let refused = answer.is_some();
                        *slot = Some(answer);
                        refused
                    }
                    None => true,
                }
            }
            Some(o) => match gate.refusal(o, at) {
                Some(reasons) => {
                    self.reasons.insert(org, reasons);
                    true
                }
                None => false,
            },
            None => true,
        };
        if let Some(a) = self.asked.get_mut(word) {
            *a |= bit;
        }
        if refused {
            if let Some(r) = self.refused.get_mut(word) {
                *r |= bit;
            }
        }
        refused
    }

    fn reasons(&self, index: &MatchIndex, org: u32) -> Vec<String> {
        if let Some(r) = self.reasons.get(&org) {
            return r.clone();
        }
        index
            .directory
            .organizations
            .get(org as usize)
            .and_then(|o| self.by_kind.get(o.kind as usize))
            .and_then(|a| a.as_ref())
            .and_then(|a| a.clone())
            .unwrap_or_default()
    }
}
