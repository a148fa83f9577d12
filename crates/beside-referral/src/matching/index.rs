//! A directory prepared for fast matching. Every service becomes a compact fixed-size `Hot`
//! record (flags, ages, capacity, a unit vector of its location, language and domain bit sets,
//! an interned service-area id). Each need domain keeps the services serving it in a grid of
//! 0.1° cells: per cell a centre and a bounding radius, and per service only its unit vector and
//! entry, sorted by cell. A query settles whole cells from one distance (too far, all beyond the
//! travel limit, all within it) and reads a service's `Hot` record only when it is within the
//! travel limit.

use super::result::ExclusionCode;
use crate::directory::{Cost, Directory, GenderServed, ServiceStatus};
use beside_core::{
    AreaPath, DomainKey, LanguageCode, OrganizationId, OrganizationKind, Reason, Validate,
    ValidationErrors,
};
use std::collections::HashMap;

/// Grid cell size in degrees (about 11 km): small enough that the cells a query visits hug its
/// circle, large enough that a row of cells is one contiguous run of records.
pub(crate) const CELL_DEG: f64 = 0.1;
pub(crate) const LAT_CELLS: u32 = 1800;
pub(crate) const LON_CELLS: u32 = 3600;

/// Most distinct need domains one directory may use (they are kept as bits of a `u64`).
pub const MAX_DISTINCT_DOMAINS: usize = 64;

pub(crate) const NO_AREA: u32 = u32::MAX;
pub(crate) const NO_LIMIT: i32 = -1;
pub(crate) const NO_AGE: u8 = u8::MAX;
pub(crate) const NO_FEE: u16 = u16::MAX;

/// Flags of a [`Hot`] record.
pub(crate) mod flag {
    pub const ACTIVE: u16 = 1;
    pub const REQUIRES_ID: u16 = 1 << 1;
    pub const COURT_ORDER: u16 = 1 << 2;
    pub const REFERRAL_LETTER: u16 = 1 << 3;
    pub const FEMALE_STAFF: u16 = 1 << 4;
    pub const TRAUMA_INFORMED: u16 = 1 << 5;
    pub const INTERPRETATION: u16 = 1 << 6;
    pub const OUTREACH: u16 = 1 << 7;
    pub const SURVIVOR_LED: u16 = 1 << 8;
    /// Serves only some nationalities: checked against the directory.
    pub const NATIONALITY_LIMIT: u16 = 1 << 9;
    /// Several service areas: checked against the directory.
    pub const MULTI_AREA: u16 = 1 << 10;
    /// A language id beyond the bit set: checked against the full list.
    pub const LANGUAGE_OVERFLOW: u16 = 1 << 11;
    pub const NO_LANGUAGES: u16 = 1 << 12;
    pub const COST_UNKNOWN: u16 = 1 << 13;
    /// Several located places: the nearest is found from the full list.
    pub const MULTI_PLACE: u16 = 1 << 14;
    pub const HAS_PLACE: u16 = 1 << 15;
}

/// The facts of one service that the hot loop of a match reads: 80 bytes, no pointers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hot {
    pub(crate) entry: u32,
    pub(crate) org: u32,
    /// Unit vector of the (first) located place; zero when none.
    pub(crate) unit: [f64; 3],
    pub(crate) langs: u64,
    pub(crate) domains: u64,
    pub(crate) fee: u64,
    pub(crate) area: u32,
    pub(crate) capacity: i32,
    pub(crate) currency: u16,
    pub(crate) flags: u16,
    pub(crate) min_age: u8,
    pub(crate) max_age: u8,
    pub(crate) genders: u8,
    pub(crate) kind: u8,
    /// Its eligibility profile: an index into [`MatchIndex::profiles`].
    pub(crate) profile: u16,
}

impl Hot {
    pub(crate) fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }

    /// Outreach with a service area: it goes wherever its areas are, so distance neither
    /// excludes it nor bounds where it is considered. Outreach with no service area is taken to
    /// go as far from its base as the person would travel.
    pub(crate) fn reaches_by_area(&self) -> bool {
        self.has(flag::OUTREACH) && (self.area != NO_AREA || self.has(flag::MULTI_AREA))
    }

    /// Which preferences it can meet, as the index of a query's preferences values: bit 0
    /// female staff, bit 1 survivor-led, bit 2 trauma-informed.
    pub(crate) fn preference_bits(&self) -> u8 {
        u8::from(self.has(flag::FEMALE_STAFF))
            | u8::from(self.has(flag::SURVIVOR_LED)) << 1
            | u8::from(self.has(flag::TRAUMA_INFORMED)) << 2
    }
}

/// What the rare checks need beyond the hot record.
#[derive(Debug, Clone)]
pub(crate) struct Cold {
    pub(crate) hot: Hot,
    pub(crate) kind: OrganizationKind,
    pub(crate) languages: Vec<u16>,
    pub(crate) places: Vec<[f64; 3]>,
    /// Indices into the directory's locations.
    pub(crate) locations: Vec<u32>,
}

/// One non-empty grid cell of a [`Posting`]: its records are `start..end`, and every one of them
/// lies within `radius` (a chord of the unit sphere) of `center`, so a query can settle a whole
/// cell (all too far, all beyond the travel limit, all within it) from one distance.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    pub(crate) key: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) center: [f64; 3],
    pub(crate) radius: f64,
}

/// The facts of a gridded record that the hard constraints read, in 16 bytes, so a query can
/// test a service within the travel limit without its [`Hot`] record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    /// The service-area id, [`NO_AREA`] when it has none (several are [`Facts::SLOW`]).
    pub(crate) area: u32,
    pub(crate) org: u32,
    /// Exclusion bits that hold whoever asks (inactive, no capacity), the bit of
    /// [`ExclusionCode::RequiresFormalIdentification`] when it requires it,
    /// [`Facts::SLOW`] when a check needs the directory (nationalities, several areas), and
    /// [`Facts::OUTREACH`] for outreach.
    pub(crate) bits: u16,
    /// Youngest served, 0 when no limit.
    pub(crate) min_age: u8,
    /// Oldest served, 255 when no limit.
    pub(crate) max_age: u8,
    pub(crate) genders: u8,
    pub(crate) kind: u8,
    /// The index of (`min_age`, `max_age`, `genders`, `kind`) in [`MatchIndex::profiles`]: a
    /// query answers the person's constraints once per profile, then once per record by lookup.
    pub(crate) profile: u16,
    /// Open places, `u16::MAX` for no fixed limit (or at least that many).
    pub(crate) capacity: u16,
    /// What bounds its score with no look at the directory: the person's preferences it can
    /// meet in bits 0-2 (female staff, survivor-led, trauma-informed: the index of the
    /// preferences value), its cost class in bits 3-4 ([`Facts::FREE`], [`Facts::COST_UNKNOWN`],
    /// [`Facts::FEE`]).
    pub(crate) score: u8,
}

impl Facts {
    /// A bit no exclusion code uses: check this record the long way.
    pub(crate) const SLOW: u16 = 1 << 15;
    /// A bit no exclusion code uses: an outreach service (distance does not lower its score).
    pub(crate) const OUTREACH: u16 = 1 << 14;

    /// Cost class: free of charge.
    pub(crate) const FREE: u8 = 0;
    /// Cost class: no fee is recorded, nor that it is free.
    pub(crate) const COST_UNKNOWN: u8 = 1 << 3;
    /// Cost class: charges a fee.
    pub(crate) const FEE: u8 = 2 << 3;

    fn of(h: &Hot) -> Self {
        let mut bits = 0;
        if !h.has(flag::ACTIVE) {
            bits |= ExclusionCode::Inactive.bit();
        }
        if h.capacity == 0 {
            bits |= ExclusionCode::NoCapacity.bit();
        }
        if h.has(flag::REQUIRES_ID) {
            bits |= ExclusionCode::RequiresFormalIdentification.bit();
        }
        if h.has(flag::NATIONALITY_LIMIT) || h.has(flag::MULTI_AREA) {
            bits |= Self::SLOW;
        }
        if h.has(flag::OUTREACH) {
            bits |= Self::OUTREACH;
        }
        Self {
            area: h.area,
            org: h.org,
            bits,
            min_age: if h.min_age == NO_AGE { 0 } else { h.min_age },
            max_age: h.max_age,
            genders: h.genders,
            kind: h.kind,
            profile: h.profile,
            capacity: if h.capacity == NO_LIMIT {
                u16::MAX
            } else {
                u16::try_from(h.capacity).unwrap_or(u16::MAX)
            },
            score: h.preference_bits()
                | if h.currency != NO_FEE {
                    Self::FEE
                } else if h.has(flag::COST_UNKNOWN) {
                    Self::COST_UNKNOWN
                } else {
                    Self::FREE
                },
        }
    }
}

/// A gridded service in a [`Posting`]: 48 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rec {
    /// Unit vector of its one located place.
    pub(crate) unit: [f64; 3],
    /// Its entry (index into the directory's services).
    pub(crate) entry: u32,
    /// What the hard constraints read.
    pub(crate) facts: Facts,
}

const _: () = assert!(std::mem::size_of::<Rec>() == 48);

/// Services with one located place in a grid of cells, by row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    /// Non-empty cells, by key.
    pub(crate) cells: Vec<Cell>,
    /// Where each row of cells starts in `cells` (`LAT_CELLS + 1` entries when any).
    pub(crate) rows: Vec<u32>,
    /// The services, sorted by (cell, entry).
    pub(crate) recs: Vec<Rec>,
    /// The x, y and z of each record's unit vector again, as three columns in the order of
    /// `recs`: counting a cell's services within a distance is then one loop in vector
    /// instructions.
    pub(crate) xs: Vec<f64>,
    pub(crate) ys: Vec<f64>,
    pub(crate) zs: Vec<f64>,
}

impl Grid {
    /// A grid of `g` (cell key, entry, unit vector), taking each record's facts from `cold`.
    fn new(mut g: Vec<(u32, u32, [f64; 3])>, cold: &[Cold]) -> Self {
        g.sort_by_key(|(k, e, _)| (*k, *e));
        let mut grid = Grid::default();
        let mut i = 0;
        while let Some(&(key, _, _)) = g.get(i) {
            let run = g
                .get(i..)
                .map_or(0, |r| r.iter().take_while(|x| x.0 == key).count());
            grid.cells.push(cell(
                key,
                u32::try_from(i).unwrap_or(u32::MAX),
                u32::try_from(i + run).unwrap_or(u32::MAX),
            ));
            i += run.max(1);
        }
        grid.rows = (0..=LAT_CELLS)
            .map(|row| {
                let first = row * LON_CELLS;
                u32::try_from(grid.cells.partition_point(|c| c.key < first)).unwrap_or(u32::MAX)
            })
            .collect();
        grid.recs = g
            .iter()
            .filter_map(|&(_, entry, unit)| {
                cold.get(entry as usize).map(|c| Rec {
                    unit,
                    entry,
                    facts: Facts::of(&c.hot),
                })
            })
            .collect();
        grid.xs = grid.recs.iter().map(|r| r.unit[0]).collect();
        grid.ys = grid.recs.iter().map(|r| r.unit[1]).collect();
        grid.zs = grid.recs.iter().map(|r| r.unit[2]).collect();
        grid
    }

    /// How many of records `start..end` lie within `chord2` (a squared chord) of `home`: the
    /// same arithmetic as a distance measured one by one, without a branch per record.
    pub(crate) fn count_within(
        &self,
        start: usize,
        end: usize,
        home: &[f64; 3],
        chord2: f64,
    ) -> u32 {
        let (Some(xs), Some(ys), Some(zs)) = (
            self.xs.get(start..end),
            self.ys.get(start..end),
            self.zs.get(start..end),
        ) else {
            return 0;
        };
        let [hx, hy, hz] = *home;
        let mut n = 0u32;
        for ((x, y), z) in xs.iter().zip(ys).zip(zs) {
            let (dx, dy, dz) = (hx - x, hy - y, hz - z);
            n += u32::from(dx * dx + dy * dy + dz * dz <= chord2);
        }
        n
    }
}

/// How many of a set of records carry each fact that decides a common hard constraint, so a
/// query counts the exclusions of the whole set without reading its records.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    /// Records in the set.
    pub(crate) n: u32,
    /// Records by [`Facts::bits`] bit (inactive, no capacity, requires identification).
    pub(crate) bits: [u32; 16],
    /// Records by organisation kind.
    pub(crate) kinds: [u32; 16],
    /// Records by served-genders mask (0: everyone).
    pub(crate) genders: [u32; 8],
    /// Records with an age limit, by (youngest, oldest) as in [`Facts`].
    pub(crate) ages: Vec<(u8, u8, u32)>,
}

impl Tally {
    fn add(&mut self, f: &Facts) {
        self.n += 1;
        let mut bits = f.bits;
        while bits != 0 {
            if let Some(c) = self.bits.get_mut(bits.trailing_zeros() as usize) {
                *c += 1;
            }
            bits &= bits - 1;
        }
        if let Some(c) = self.kinds.get_mut(usize::from(f.kind)) {
            *c += 1;
        }
        if let Some(c) = self.genders.get_mut(usize::from(f.genders & 7)) {
            *c += 1;
        }
        if f.min_age != 0 || f.max_age != NO_AGE {
            match self
                .ages
                .iter_mut()
                .find(|a| a.0 == f.min_age && a.1 == f.max_age)
            {
                Some(a) => a.2 += 1,
                None => self.ages.push((f.min_age, f.max_age, 1)),
            }
        }
    }
}

/// The outreach services of a [`Posting`] with one service area: `start..end` of
/// [`Posting::outreach`], with their [`Tally`].
#[derive(Debug, Clone)]
pub(crate) struct AreaGroup {
    /// The service-area id ([`NO_AREA`] for those with none).
    pub(crate) area: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) tally: Tally,
}

/// The services serving one need domain.
#[derive(Debug, Clone, Default)]
pub(crate) struct Posting {
    /// Services with one located place that people travel to.
    pub(crate) grid: Grid,
    /// Outreach services with one located place and one service area
    /// ([`Hot::reaches_by_area`], facts that [`Facts`] settle): distance does not exclude them,
    /// their service area does. Sorted by (area, entry), grouped in `outreach_groups`.
    pub(crate) outreach: Vec<Rec>,
    /// The groups of `outreach`, by area.
    pub(crate) outreach_groups: Vec<AreaGroup>,
    /// The tally of all of `outreach`.
    pub(crate) outreach_tally: Tally,
    /// `outreach` again, by place: to find the nearest near misses among those outside the
    /// person's area without reading them all.
    pub(crate) outreach_grid: Grid,
    /// Entries of services with no located place, with several, or reaching by area with facts
    /// that need the directory (nationalities, several areas): looked at one by one on every
    /// query.
    pub(crate) anywhere: Vec<u32>,
}

/// A validated directory, indexed for matching. Build it once; query it many times.
#[derive(Debug, Clone)]
pub struct MatchIndex {
    pub(crate) directory: Directory,
    /// Interned domain keys, by id.
    pub(crate) domains: Vec<DomainKey>,
    pub(crate) domain_ids: HashMap<DomainKey, u8>,
    pub(crate) languages: Vec<LanguageCode>,
    pub(crate) language_ids: HashMap<LanguageCode, u16>,
    pub(crate) currencies: Vec<String>,
    /// Normalised service-area paths, by id.
    pub(crate) area_ids: HashMap<Vec<String>, u32>,
    pub(crate) cold: Vec<Cold>,
    pub(crate) postings: Vec<Posting>,
    /// Organisation indices sorted by id, to find an organisation by id.
    pub(crate) orgs_by_id: Vec<u32>,
    /// The distinct eligibility profiles of the services, as [`Facts`] holds them:
    /// (youngest, oldest, served genders, organisation kind).
    pub(crate) profiles: Vec<[u8; 4]>,
}

pub(crate) fn gender_bit(g: GenderServed) -> u8 {
    match g {
        GenderServed::Female => 1,
        GenderServed::Male => 2,
        GenderServed::ThirdGender => 4,
    }
}

pub(crate) fn cell_of(lat: f64, lon: f64) -> (u32, u32) {
    let la = ((lat + 90.0) / CELL_DEG)
        .floor()
        .clamp(0.0, f64::from(LAT_CELLS - 1));
    let lo = ((lon + 180.0) / CELL_DEG)
        .floor()
        .clamp(0.0, f64::from(LON_CELLS - 1));
    // Both are clamped to small non-negative whole numbers, so the casts are exact.
    (la as u32, lo as u32)
}

/// The unit vector of a position on the sphere.
pub(crate) fn unit(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// The ISO 639-3 form of a code, so `bn` and `ben` intern to one id.
pub(crate) fn canonical_language(code: &LanguageCode) -> LanguageCode {
    let s = code.as_str();
    if s.len() == 2 {
        isolang::Language::from_639_1(s)
            .and_then(|l| LanguageCode::new(l.to_639_3()).ok())
            .unwrap_or(*code)
    } else {
        *code
    }
}

/// An area path normalised as [`AreaPath::contains`] compares it.
pub(crate) fn normalise_area(parts: &[String]) -> Vec<String> {
    parts
        .iter()
        .map(|p| p.trim().to_ascii_lowercase())
        .collect()
}

fn intern<T: Clone + Eq + std::hash::Hash>(
    table: &mut Vec<T>,
    ids: &mut HashMap<T, u16>,
    value: T,
) -> u16 {
    if let Some(id) = ids.get(&value) {
        return *id;
    }
    let id = u16::try_from(table.len()).unwrap_or(u16::MAX - 1);
    ids.insert(value.clone(), id);
    table.push(value);
    id
}

/// The cell `key` with its records at `start..end`: its centre, and a radius (a chord) that
/// holds every point of it. The farthest point of a latitude/longitude cell from its centre is
/// a corner; the radius is widened a little for rounding.
fn cell(key: u32, start: u32, end: u32) -> Cell {
    let (la, lo) = (key / LON_CELLS, key % LON_CELLS);
    let south = f64::from(la) * CELL_DEG - 90.0;
    let west = f64::from(lo) * CELL_DEG - 180.0;
    let center = unit(south + CELL_DEG / 2.0, west + CELL_DEG / 2.0);
    let radius = [
        (south, west),
        (south, west + CELL_DEG),
        (south + CELL_DEG, west),
        (south + CELL_DEG, west + CELL_DEG),
    ]
    .into_iter()
    .map(|(la, lo)| {
        let c = unit(la, lo);
        let (dx, dy, dz) = (c[0] - center[0], c[1] - center[1], c[2] - center[2]);
        (dx * dx + dy * dy + dz * dz).sqrt()
    })
    .fold(0.0, f64::max);
    Cell {
        key,
        start,
        end,
        center,
        radius: radius * (1.0 + 1e-9) + 1e-12,
    }
}

fn small_age(age: Option<u32>) -> u8 {
    age.map_or(NO_AGE, |a| u8::try_from(a.min(254)).unwrap_or(254))
}

impl MatchIndex {
    /// Validate `directory` and index it.
    pub fn new(directory: Directory) -> Result<Self, ValidationErrors> {
        directory.validate()?;
        Self::build(directory)
    }

    fn build(directory: Directory) -> Result<Self, ValidationErrors> {
        let org_pos: HashMap<&str, u32> = directory
            .organizations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let loc_pos: HashMap<&str, u32> = directory
            .locations
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let mut domains: Vec<DomainKey> = Vec::new();
        let mut domain_ids: HashMap<DomainKey, u8> = HashMap::new();
        let mut languages = Vec::new();
        let mut language_ids = HashMap::new();
        let mut currencies = Vec::new();
        let mut currency_ids = HashMap::new();
        let mut area_ids: HashMap<Vec<String>, u32> = HashMap::new();
        let mut profiles: Vec<[u8; 4]> = Vec::new();
        let mut profile_ids: HashMap<[u8; 4], u16> = HashMap::new();
        let mut cold = Vec::with_capacity(directory.services.len());
        for (si, s) in directory.services.iter().enumerate() {
            let mut mask = 0u64;
            for d in &s.domains {
                let id = match domain_ids.get(d) {
                    Some(id) => *id,
                    None => {
                        if domains.len() >= MAX_DISTINCT_DOMAINS {
                            return Err(beside_core::FieldError::new(
                                format!("services[{si}].domains"),
                                Reason::TooMany {
                                    max: MAX_DISTINCT_DOMAINS,
                                    got: domains.len() + 1,
                                },
                            )
                            .into());
                        }
                        let id = u8::try_from(domains.len()).unwrap_or(u8::MAX);
                        domains.push(d.clone());
                        domain_ids.insert(d.clone(), id);
                        id
                    }
                };
                mask |= 1u64 << id;
            }
            let org = org_pos
                .get(s.organization_id.as_str())
                .copied()
                .unwrap_or(0);
            let (kind, survivor_led) = directory
                .organizations
                .get(org as usize)
                .map(|o| {
                    (
                        o.kind,
                        o.survivor_led || o.kind == OrganizationKind::SurvivorLed,
                    )
                })
                .unwrap_or((OrganizationKind::Ngo, false));
            let mut places = Vec::new();
            let mut locations = Vec::new();
            for l in &s.location_ids {
                if let Some(&li) = loc_pos.get(l.as_str()) {
                    locations.push(li);
                    if let Some(c) = directory
                        .locations
                        .get(li as usize)
                        .and_then(|l| l.coordinates)
                    {
                        places.push(unit(c.latitude, c.longitude));
                    }
                }
            }
            let langs: Vec<u16> = s
                .languages
                .iter()
                .map(|l| intern(&mut languages, &mut language_ids, canonical_language(l)))
                .collect();
            let mut flags = 0u16;
            let mut set = |cond: bool, f: u16| {
                if cond {
                    flags |= f;
                }
            };
            set(s.status == ServiceStatus::Active, flag::ACTIVE);
            set(
                s.eligibility.requires_formal_identification,
                flag::REQUIRES_ID,
            );
            set(s.requires_court_order, flag::COURT_ORDER);
            set(s.requires_referral_letter, flag::REFERRAL_LETTER);
            set(s.female_staff, flag::FEMALE_STAFF);
            set(s.trauma_informed, flag::TRAUMA_INFORMED);
            set(s.interpretation_available, flag::INTERPRETATION);
            set(s.outreach, flag::OUTREACH);
            set(survivor_led, flag::SURVIVOR_LED);
            set(
                !s.eligibility.nationalities.is_empty(),
                flag::NATIONALITY_LIMIT,
            );
            set(s.service_areas.len() > 1, flag::MULTI_AREA);
            set(langs.iter().any(|l| *l >= 64), flag::LANGUAGE_OVERFLOW);
            set(langs.is_empty(), flag::NO_LANGUAGES);
            set(matches!(s.cost, Cost::Unknown), flag::COST_UNKNOWN);
            set(places.len() > 1, flag::MULTI_PLACE);
            set(!places.is_empty(), flag::HAS_PLACE);
            let area = match s.service_areas.as_slice() {
                [one] => {
                    let key = normalise_area(&one.0);
                    let next = u32::try_from(area_ids.len()).unwrap_or(NO_AREA - 1);
                    *area_ids.entry(key).or_insert(next)
                }
                _ => NO_AREA,
            };
            let (fee, currency) = match &s.cost {
                Cost::Fee { amount, currency } => (
                    *amount,
                    intern(&mut currencies, &mut currency_ids, currency.clone()),
                ),
                _ => (0, NO_FEE),
            };
            let (min_age, max_age) = (
                small_age(s.eligibility.min_age),
                small_age(s.eligibility.max_age),
            );
            let genders = s
                .eligibility
                .genders
                .iter()
                .fold(0, |m, g| m | gender_bit(*g));
            let mut hot = Hot {
                entry: u32::try_from(si).unwrap_or(u32::MAX),
                org,
                unit: places.first().copied().unwrap_or([0.0; 3]),
                langs: langs
                    .iter()
                    .filter(|l| **l < 64)
                    .fold(0u64, |m, l| m | (1u64 << l)),
                domains: mask,
                fee,
                area,
                capacity: s
                    .capacity
                    .map_or(NO_LIMIT, |c| i32::try_from(c).unwrap_or(i32::MAX)),
                currency,
                flags,
                min_age,
                max_age,
                genders,
                kind: kind as u8,
                profile: 0,
            };
            // The profile as `Facts` holds it.
            let f = Facts::of(&hot);
            let key = [f.min_age, f.max_age, f.genders, f.kind];
            hot.profile = match profile_ids.get(&key) {
                Some(&p) => p,
                None => {
                    // At most 255 × 255 × 8 × 16 keys could exist; past u16 (never seen in
                    // practice) the last id has no table entry, and `mask_of` then answers from the fields.
                    let p = u16::try_from(profiles.len()).unwrap_or(u16::MAX);
                    if p < u16::MAX {
                        profiles.push(key);
                        profile_ids.insert(key, p);
                    }
                    p
                }
            };
            cold.push(Cold {
                hot,
                kind,
                languages: langs,
                places,
                locations,
            });
        }
        let mut postings = vec![Posting::default(); domains.len()];
        let mut gridded: Vec<Vec<(u32, u32, [f64; 3])>> = vec![Vec::new(); domains.len()];
        let mut outreach: Vec<Vec<(u32, u32, [f64; 3])>> = vec![Vec::new(); domains.len()];
        for c in &cold {
            for (di, posting) in postings.iter_mut().enumerate() {
                if c.hot.domains & (1u64 << di) == 0 {
                    continue;
                }
                let by_area = c.hot.reaches_by_area();
                match c.places.as_slice() {
                    [one] if !by_area || Facts::of(&c.hot).bits & Facts::SLOW == 0 => {
                        let lat = one[2].clamp(-1.0, 1.0).asin().to_degrees();
                        let lon = one[1].atan2(one[0]).to_degrees();
                        let (la, lo) = cell_of(lat, lon);
                        let to = if by_area { &mut outreach } else { &mut gridded };
                        if let Some(g) = to.get_mut(di) {
                            g.push((la * LON_CELLS + lo, c.hot.entry, *one));
                        }
                    }
                    _ => posting.anywhere.push(c.hot.entry),
                }
            }
        }
        for ((posting, g), o) in postings.iter_mut().zip(gridded).zip(outreach) {
            posting.grid = Grid::new(g, &cold);
            posting.outreach_grid = Grid::new(o, &cold);
            let mut by_area = posting.outreach_grid.recs.clone();
            by_area.sort_by_key(|r| (r.facts.area, r.entry));
            let mut i = 0;
            while let Some(first) = by_area.get(i) {
                let area = first.facts.area;
                let mut tally = Tally::default();
                let start = i;
                while let Some(r) = by_area.get(i).filter(|r| r.facts.area == area) {
                    tally.add(&r.facts);
                    posting.outreach_tally.add(&r.facts);
                    i += 1;
                }
                posting.outreach_groups.push(AreaGroup {
                    area,
                    start: u32::try_from(start).unwrap_or(u32::MAX),
                    end: u32::try_from(i).unwrap_or(u32::MAX),
                    tally,
                });
            }
            posting.outreach = by_area;
        }
        let mut orgs_by_id: Vec<u32> = (0..directory.organizations.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        orgs_by_id.sort_by(|&a, &b| {
            let id = |i: u32| directory.organizations.get(i as usize).map(|o| &o.id);
            id(a).cmp(&id(b))
        });
        Ok(Self {
            profiles,
            orgs_by_id,
            directory,
            domains,
            domain_ids,
            languages,
            language_ids,
            currencies,
            area_ids,
            cold,
            postings,
        })
    }

    /// The need domains the directory's services serve, in first-seen order.
    pub fn domains(&self) -> &[DomainKey] {
        &self.domains
    }

    /// The directory this index was built from.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// The index of the organisation with `id`.
    pub(crate) fn org_of(&self, id: &OrganizationId) -> Option<u32> {
        let orgs = &self.directory.organizations;
        self.orgs_by_id
            .binary_search_by(|&i| {
                orgs.get(i as usize)
                    .map_or(std::cmp::Ordering::Less, |o| o.id.cmp(id))
            })
            .ok()
            .and_then(|p| self.orgs_by_id.get(p).copied())
    }

    /// The areas a service covers, from the directory.
    pub(crate) fn service_areas(&self, entry: usize) -> &[AreaPath] {
        self.directory
            .services
            .get(entry)
            .map_or(&[], |s| s.service_areas.as_slice())
    }
}
