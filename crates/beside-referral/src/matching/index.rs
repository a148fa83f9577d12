//! A directory prepared for fast matching: domains and languages interned to small integers,
//! each domain's services in a grid of 0.5° cells so a query looks only near the person.

use crate::directory::{Cost, Directory, GenderServed, ServiceStatus};
use beside_core::{
    AreaPath, DomainKey, LanguageCode, OrganizationKind, Reason, Validate, ValidationErrors,
};
use std::collections::HashMap;

/// Grid cell size in degrees.
pub(crate) const CELL_DEG: f64 = 0.5;
pub(crate) const LAT_CELLS: u32 = 360;
pub(crate) const LON_CELLS: u32 = 720;

/// Most distinct need domains one directory may use (they are kept as bits of a `u64`).
pub const MAX_DISTINCT_DOMAINS: usize = 64;

#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub(crate) lat: f64,
    pub(crate) lon: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) org: u32,
    pub(crate) kind: OrganizationKind,
    pub(crate) survivor_led: bool,
    pub(crate) domains: u64,
    pub(crate) status: ServiceStatus,
    pub(crate) capacity: Option<i64>,
    pub(crate) min_age: Option<u32>,
    pub(crate) max_age: Option<u32>,
    /// Bits of [`GenderServed`]; 0 serves everyone.
    pub(crate) genders: u8,
    pub(crate) requires_identification: bool,
    pub(crate) court_order: bool,
    pub(crate) referral_letter: bool,
    pub(crate) female_staff: bool,
    pub(crate) trauma_informed: bool,
    pub(crate) interpretation: bool,
    pub(crate) outreach: bool,
    pub(crate) fee: Option<(u64, u16)>,
    pub(crate) cost_known: bool,
    pub(crate) languages: Vec<u16>,
    pub(crate) places: Vec<Place>,
    /// Indices into the directory's locations.
    pub(crate) locations: Vec<u32>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Posting {
    /// (cell key, entry), sorted.
    pub(crate) cells: Vec<(u32, u32)>,
    /// Entries with no coordinates, or reaching people at home: looked at on every query.
    pub(crate) anywhere: Vec<u32>,
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
    pub(crate) entries: Vec<Entry>,
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

fn intern(table: &mut Vec<String>, ids: &mut HashMap<String, u16>, value: String) -> u16 {
    if let Some(id) = ids.get(&value) {
        return *id;
    }
    let id = u16::try_from(table.len()).unwrap_or(u16::MAX);
    ids.insert(value.clone(), id);
    table.push(value);
    id
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
        let mut entries = Vec::with_capacity(directory.services.len());
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
                        places.push(Place {
                            lat: c.latitude,
                            lon: c.longitude,
                        });
                    }
                }
            }
            let fee = match &s.cost {
                Cost::Fee { amount, currency } => Some((
                    *amount,
                    intern(&mut currencies, &mut currency_ids, currency.clone()),
                )),
                _ => None,
            };
            entries.push(Entry {
                org,
                kind,
                survivor_led,
                domains: mask,
                status: s.status,
                capacity: s.capacity,
                min_age: s.eligibility.min_age,
                max_age: s.eligibility.max_age,
                genders: s
                    .eligibility
                    .genders
                    .iter()
                    .fold(0, |m, g| m | gender_bit(*g)),
                requires_identification: s.eligibility.requires_formal_identification,
                court_order: s.requires_court_order,
                referral_letter: s.requires_referral_letter,
                female_staff: s.female_staff,
                trauma_informed: s.trauma_informed,
                interpretation: s.interpretation_available,
                outreach: s.outreach,
                fee,
                cost_known: !matches!(s.cost, Cost::Unknown),
                languages: s
                    .languages
                    .iter()
                    .map(|l| intern(&mut languages, &mut language_ids, canonical_language(l)))
                    .collect(),
                places,
                locations,
            });
        }
        let mut postings = vec![Posting::default(); domains.len()];
        for (ei, e) in entries.iter().enumerate() {
            let ei = u32::try_from(ei).unwrap_or(u32::MAX);
            for (di, posting) in postings.iter_mut().enumerate() {
                if e.domains & (1u64 << di) == 0 {
                    continue;
                }
                if e.outreach || e.places.is_empty() {
                    posting.anywhere.push(ei);
                } else {
                    let mut keys: Vec<u32> = e
                        .places
                        .iter()
                        .map(|p| {
                            let (la, lo) = cell_of(p.lat, p.lon);
                            la * LON_CELLS + lo
                        })
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    posting.cells.extend(keys.into_iter().map(|k| (k, ei)));
                }
            }
        }
        for p in &mut postings {
            p.cells.sort_unstable();
        }
        Ok(Self {
            directory,
            domains,
            domain_ids,
            languages,
            language_ids,
            currencies,
            entries,
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
