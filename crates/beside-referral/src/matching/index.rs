//! A directory prepared for fast matching. Every service becomes a compact fixed-size `Hot`
//! record (flags, ages, capacity, a unit vector of its location, language and domain bit sets,
//! an interned service-area id); each domain keeps its records in a grid of 0.1° cells, sorted by
//! cell, so a query streams through the records near the person instead of chasing pointers.

use crate::directory::{Cost, Directory, GenderServed, ServiceStatus};
use beside_core::{
    AreaPath, DomainKey, LanguageCode, OrganizationKind, Reason, Validate, ValidationErrors,
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
}

impl Hot {
    pub(crate) fn has(&self, f: u16) -> bool {
        self.flags & f != 0
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

#[derive(Debug, Clone, Default)]
pub(crate) struct Posting {
    /// Cell keys, sorted; parallel to `hots`.
    pub(crate) keys: Vec<u32>,
    pub(crate) hots: Vec<Hot>,
    /// Records with no located place, or reaching people at home: looked at on every query.
    pub(crate) anywhere: Vec<Hot>,
}

/// A validated directory, indexed for matching. Build it once; query it many times.
#[derive(Debug, Clone)]
pub struct MatchIndex {
    pub(crate) directory: Directory,
    /// Interned domain keys, by id.
    pub(crate) domains: Vec<DomainKey>,
    pub(crate) domain_ids: HashMap<DomainKey, u8>,
    pub(crate) languages: Vec<String>,
    pub(crate) language_ids: HashMap<String, u16>,
    pub(crate) currencies: Vec<String>,
    /// Normalised service-area paths, by id.
    pub(crate) area_ids: HashMap<Vec<String>, u32>,
    pub(crate) cold: Vec<Cold>,
    pub(crate) postings: Vec<Posting>,
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
pub(crate) fn canonical_language(code: &LanguageCode) -> String {
    let s = code.as_str();
    if s.len() == 2 {
        isolang::Language::from_639_1(s)
            .map(|l| l.to_639_3().to_owned())
            .unwrap_or_else(|| s.to_owned())
    } else {
        s.to_owned()
    }
}

/// An area path normalised as [`AreaPath::contains`] compares it.
pub(crate) fn normalise_area(parts: &[String]) -> Vec<String> {
    parts
        .iter()
        .map(|p| p.trim().to_ascii_lowercase())
        .collect()
}

fn intern(table: &mut Vec<String>, ids: &mut HashMap<String, u16>, value: String) -> u16 {
    if let Some(id) = ids.get(&value) {
        return *id;
    }
    let id = u16::try_from(table.len()).unwrap_or(u16::MAX - 1);
    ids.insert(value.clone(), id);
    table.push(value);
    id
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
            let hot = Hot {
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
                min_age: small_age(s.eligibility.min_age),
                max_age: small_age(s.eligibility.max_age),
                genders: s
                    .eligibility
                    .genders
                    .iter()
                    .fold(0, |m, g| m | gender_bit(*g)),
                kind: kind as u8,
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
        let mut gridded: Vec<Vec<(u32, Hot)>> = vec![Vec::new(); domains.len()];
        for c in &cold {
            for (di, posting) in postings.iter_mut().enumerate() {
                if c.hot.domains & (1u64 << di) == 0 {
                    continue;
                }
                if c.hot.has(flag::OUTREACH) || c.places.is_empty() {
                    posting.anywhere.push(c.hot);
                    continue;
                }
                let mut keys: Vec<(u32, [f64; 3])> = Vec::with_capacity(c.places.len());
                for p in &c.places {
                    let lat = p[2].clamp(-1.0, 1.0).asin().to_degrees();
                    let lon = p[1].atan2(p[0]).to_degrees();
                    let (la, lo) = cell_of(lat, lon);
                    let key = la * LON_CELLS + lo;
                    if !keys.iter().any(|(k, _)| *k == key) {
                        keys.push((key, *p));
                    }
                }
                if let Some(g) = gridded.get_mut(di) {
                    g.extend(keys.into_iter().map(|(k, u)| (k, Hot { unit: u, ..c.hot })));
                }
            }
        }
        for (posting, mut g) in postings.iter_mut().zip(gridded) {
            g.sort_by_key(|(k, h)| (*k, h.entry));
            posting.keys = g.iter().map(|(k, _)| *k).collect();
            posting.hots = g.into_iter().map(|(_, h)| h).collect();
        }
        Ok(Self {
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

    /// The areas a service covers, from the directory.
    pub(crate) fn service_areas(&self, entry: usize) -> &[AreaPath] {
        self.directory
            .services
            .get(entry)
            .map_or(&[], |s| s.service_areas.as_slice())
    }
}
