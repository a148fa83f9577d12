//! A directory indexed for matching.
//!
//! **The spatial index, chosen once:** one R-tree per need domain ([`rstar`]) over the service's
//! located places, each place a point on the unit sphere (`[x, y, z]`) carrying the service's
//! covering entry. The straight-line (chord) distance between two such points grows with the
//! great-circle distance, so "within `km` of her home" is exactly "within the chord of `km`", a
//! ball query the R-tree answers directly, with no special case at the antimeridian or the
//! poles. A query asks the tree for the places within the near-miss reach (twice the travel
//! limit by default), then measures each exactly (`chord2`).
//!
//! **The covering entry** (`Facts`): a query judges every service within reach (some 5,800
//! a need in a directory of 100,000), so what it reads for each decides its speed. As a
//! database's covering index holds the columns a query reads beside the key, each place in a
//! tree carries, as its data, exactly the facts the hard constraints and the score read,
//! resolved when the index is built: status, capacity, the organisation's position and kind,
//! the staff and outreach flags, and codes for the values many services repeat (an eligibility,
//! a list of languages in ISO 639-3 form, named service areas as ids, the domains, a cost), each
//! held once in a `Dictionary`. The leaf arrays of the tree hold the entries contiguously,
//! so judging a service reads the node the query is walking and a few small, hot dictionaries,
//! not the directory's services, organisations and locations scattered over the heap. The
//! directory is read only for what a query returns (the top candidates and near misses) and for
//! the rare tests that need more (a location's district, an area veto, the figures of a gender
//! or nationality exclusion). Ids a request names (vetoes, safety flags, the organisations a
//! consent gate names) are resolved to positions once per query, by binary search over the
//! positions sorted by id. Positions and codes are 32-bit (`narrow`).
//!
//! **Node size** (`PlaceParams`): up to 32 children a node instead of rstar's 6. Measured on
//! trees shaped like the benchmark's (12,700 places in Bangladesh, 80 km queries, 1,445 found a
//! query, release build): 22.1 µs a query with 6, 16.2 with 16, 14.9 with 24, 15.1 with 32,
//! 14.4 with 64; the walk is a small part of a match either way, and 32 needs a fifth as many
//! parent nodes as 6, each a separate allocation.
//!
//! A service's drawn shapes are prepared once here too, beside the trees (one
//! `geo::MultiPolygon` per service with shapes, `Listing::extent`), for the service-area rule.
//!
//! The tree holds the services with one located place that people travel to. The others are
//! measured one by one, beside it: those with no located place or several, and outreach that
//! reaches by area (`reaches_by_area`), which is looked at wherever she lives.

use crate::area::Extent;
use crate::directory::{
    Cost, Directory, Eligibility, Location, Organization, Service, ServiceStatus,
};
use beside_core::{place::EARTH_RADIUS_KM, AreaPath, Coordinates, DomainKey, LanguageCode};
use beside_core::{OrganizationKind, Validate, ValidationErrors};
use rstar::primitives::GeomWithData;
use rstar::{RStarInsertionStrategy, RTree, RTreeParams};
use std::collections::HashMap;

use super::engine::MatchError;

/// A point on the unit sphere.
pub(crate) type UnitVector = [f64; 3];

/// The unit vector of a position.
pub(crate) fn unit_vector(c: &Coordinates) -> UnitVector {
    let (la, lo) = (c.latitude.to_radians(), c.longitude.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// The squared chord between two points of the unit sphere.
pub(crate) fn chord2(a: &UnitVector, b: &UnitVector) -> f64 {
    let (dx, dy, dz) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    dx * dx + dy * dy + dz * dz
}

/// The squared chord of two points `km` apart on the Earth (half the Earth's circumference or
/// more: the antipode's).
pub(crate) fn chord2_of_km(km: f64) -> f64 {
    let half = (km / (2.0 * EARTH_RADIUS_KM)).clamp(0.0, std::f64::consts::FRAC_PI_2);
    let c = 2.0 * half.sin();
    c * c
}

/// The great-circle distance, in km, of a squared chord.
pub(crate) fn km_of_chord2(chord2: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord2.max(0.0).sqrt() / 2.0).min(1.0).asin()
}

/// The ISO 639-3 form of a language code, so `bn` and `ben` are one language.
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

/// Outreach with a service area (named or drawn) goes wherever its areas are: distance neither
/// excludes it nor bounds where it is looked at. Outreach with no service area is taken to go
/// as far from its base as the person would travel (see [`Service::outreach`]).
pub(crate) fn reaches_by_area(s: &Service) -> bool {
    s.outreach && (!s.service_areas.is_empty() || !s.service_extents.is_empty())
}

/// A named service area, resolved to a small id when the index is built, so the service-area
/// rule compares integers instead of strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AreaId(usize);

/// An area path's comparable form: each part trimmed and in ASCII lower case, as
/// [`AreaPath::contains`] compares them, for its first `depth` parts.
fn area_key(path: &AreaPath, depth: usize) -> Vec<String> {
    path.0
        .iter()
        .take(depth)
        .map(|p| p.trim().to_ascii_lowercase())
        .collect()
}

/// The named service areas that hold a person's home area, resolved once per query: the ids of
/// every ancestor of her home area (itself included) that some service names. An area path
/// has at most 8 parts, so this is a short list, searched in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct HomeAreas {
    within: Vec<AreaId>,
}

impl HomeAreas {
    /// Whether the named area `id` holds her home area.
    pub(crate) fn holds_home(&self, id: AreaId) -> bool {
        self.within.contains(&id)
    }
}

/// The R-trees' node size: up to 32 children a node (rstar's default is 6), so a tree has a
/// fifth as many parent nodes to hold and a query walks fewer of them to the same leaves
/// (measured in the module documentation).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlaceParams;

impl RTreeParams for PlaceParams {
    const MIN_SIZE: usize = 10;
    const MAX_SIZE: usize = 32;
    const REINSERTION_COUNT: usize = 8;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

/// Values many services repeat (an eligibility, a list of languages, a cost), each held once
/// and named by its position: a dictionary, as a column store encodes a repeated column. A
/// covering entry holds the position; the few distinct values stay in cache while a query
/// reads thousands of entries.
#[derive(Debug, Clone)]
struct Dictionary<T> {
    values: Vec<T>,
}

impl<T> Default for Dictionary<T> {
    fn default() -> Self {
        Self { values: Vec::new() }
    }
}

impl<T> Dictionary<T> {
    /// The value at `code`.
    fn get(&self, code: u32) -> Result<&T, MatchError> {
        // INVARIANT: every code of a covering entry was given by this dictionary's builder.
        self.values
            .get(code as usize)
            .ok_or_else(|| MatchError::internal("a covering entry's code is not in its dictionary"))
    }
}

/// A [`Dictionary`] being built: each value's position, to give a repeated value its first one.
#[derive(Debug)]
struct DictionaryBuilder<T> {
    values: Vec<T>,
    codes: HashMap<T, u32>,
}

impl<T> Default for DictionaryBuilder<T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            codes: HashMap::new(),
        }
    }
}

impl<T: Clone + Eq + std::hash::Hash> DictionaryBuilder<T> {
    /// The code of `value`: the position of the first equal value given.
    fn code(&mut self, value: T) -> Result<u32, ValidationErrors> {
        if let Some(&code) = self.codes.get(&value) {
            return Ok(code);
        }
        let code = narrow(self.values.len(), "services")?;
        self.values.push(value.clone());
        self.codes.insert(value, code);
        Ok(code)
    }

    fn finish(mut self) -> Dictionary<T> {
        self.values.shrink_to_fit();
        Dictionary {
            values: self.values,
        }
    }
}

/// **The covering index entry** of a service in a domain: exactly the facts the hard
/// constraints and the score read, resolved when the index is built, as a database's covering
/// index holds the columns a query reads. It is the R-trees' data, so a query reads the places
/// it finds and their facts from the same leaf arrays, and follows a position into the
/// directory only for what it returns (or for the rare tests that read more: a location's
/// district, an area veto, a restricted nationality, the figures of some exclusions). Repeated
/// values are codes into the index's [`Dictionary`]s. Positions and codes are held in 32 bits
/// ([`narrow`]), so an entry takes 48 bytes and a place of the tree (with its point) 72, no
/// more than rstar's parent node: a node of the tree takes 80 bytes with the entries, 72
/// without (the test `covering_entry_size` holds this).
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    /// Its position in [`Directory::services`].
    service: u32,
    /// Its place in the order of the directory's service ids, which orders services as their
    /// ids do (the ranking's last tie-break) without reading them.
    id_order: u32,
    /// Its organisation's position in [`Directory::organizations`].
    organization: u32,
    /// Its organisation's kind.
    pub(crate) kind: OrganizationKind,
    /// Its organisation is survivor-led (flagged so, or of that kind).
    pub(crate) survivor_led: bool,
    /// [`Service::status`].
    pub(crate) status: ServiceStatus,
    /// [`Service::outreach`].
    pub(crate) outreach: bool,
    /// [`Service::interpretation_available`].
    pub(crate) interpretation_available: bool,
    /// [`Service::female_staff`].
    pub(crate) female_staff: bool,
    /// [`Service::trauma_informed`].
    pub(crate) trauma_informed: bool,
    /// It has at least one location ([`Service::location_ids`]).
    pub(crate) has_locations: bool,
    /// Its area is drawn ([`Service::service_extents`]); the prepared shapes are in
    /// [`MatchIndex`]'s extents.
    pub(crate) drawn: bool,
    /// [`Service::eligibility`], as a code of [`MatchIndex`]'s eligibilities.
    eligibility: u32,
    /// Its languages in ISO 639-3 form where they have one ([`canonical_language`]), as a code.
    languages: u32,
    /// Its named service areas as ids ([`Service::service_areas`]), as a code.
    named_areas: u32,
    /// [`Service::domains`], as a code.
    domains: u32,
    /// [`Service::cost`], as a code.
    cost: u32,
    /// [`Service::capacity`], as a code.
    capacity: u32,
}

impl Facts {
    /// Its position in [`Directory::services`].
    pub(crate) fn service(&self) -> usize {
        self.service as usize
    }

    /// Its place in the order of the directory's service ids.
    pub(crate) fn id_order(&self) -> usize {
        self.id_order as usize
    }

    /// Its organisation's position in [`Directory::organizations`].
    pub(crate) fn organization(&self) -> usize {
        self.organization as usize
    }
}

/// A position in the directory, or a dictionary's code, in 32 bits: a directory holds at most
/// [`crate::directory::MAX_ENTRIES`] entries of each kind (validation refuses more), and so at
/// most as many distinct values, far below `u32::MAX`; an error names the list otherwise.
fn narrow(i: usize, list: &str) -> Result<u32, ValidationErrors> {
    u32::try_from(i).map_err(|_| {
        beside_core::FieldError::new(
            list.to_owned(),
            beside_core::Reason::TooMany {
                max: u32::MAX as usize,
                got: i,
            },
        )
        .into()
    })
}

/// A located place of a service in a domain's R-tree: the point on the unit sphere and the
/// service's covering entry.
type Place = GeomWithData<UnitVector, Facts>;

/// A service of the directory as the rules and the score read it: its covering entry with
/// the dictionary values it names, and the index for what the entry names by position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing<'a> {
    pub(crate) facts: &'a Facts,
    /// Who it is for.
    pub(crate) eligibility: &'a Eligibility,
    /// Its languages, in ISO 639-3 form where they have one.
    pub(crate) languages: &'a [LanguageCode],
    /// Its named service areas, as ids ([`MatchIndex::home_areas`] resolves hers).
    pub(crate) named_areas: &'a [AreaId],
    /// The need domains it serves.
    pub(crate) domains: &'a [DomainKey],
    /// What it costs.
    pub(crate) cost: &'a Cost,
    /// Open places now; `None` when it has no fixed limit ([`Service::capacity`]).
    pub(crate) capacity: Option<i64>,
    /// Its drawn shapes, prepared; `None` when its area is not drawn.
    pub(crate) extent: Option<&'a Extent>,
    index: &'a MatchIndex,
}

impl<'a> Listing<'a> {
    /// The service itself, from the directory (a read outside the index: for what is returned).
    pub(crate) fn service(&self) -> Result<&'a Service, MatchError> {
        // INVARIANT: a covering entry names a position of this directory.
        self.index
            .directory
            .services
            .get(self.facts.service())
            .ok_or_else(|| MatchError::internal("a service position outside the directory"))
    }

    /// Its organisation, from the directory.
    pub(crate) fn organization(&self) -> Result<&'a Organization, MatchError> {
        // INVARIANT: a covering entry names its organisation's position in this directory.
        self.index
            .directory
            .organizations
            .get(self.facts.organization())
            .ok_or_else(|| MatchError::internal("a service's organisation is not in the directory"))
    }

    /// Its locations (those the directory holds; validation refuses an unknown one).
    pub(crate) fn locations(&self) -> Result<Vec<&'a Location>, MatchError> {
        let directory = &self.index.directory;
        self.service()?
            .location_ids
            .iter()
            .map(|id| {
                // INVARIANT: validation refuses a service naming an unknown location.
                self.index
                    .location_by_id(id.as_str())
                    .and_then(|at| directory.locations.get(at))
                    .ok_or_else(|| {
                        MatchError::internal("a service's location is not in the directory")
                    })
            })
            .collect()
    }
}

/// The services serving one need domain, each with its covering entry.
#[derive(Debug, Clone, Default)]
struct DomainIndex {
    /// The place of each that people travel to with one located place.
    places: RTree<Place, PlaceParams>,
    /// The others, measured one by one: no located place, several, or reaching by area.
    one_by_one: Vec<OneByOne>,
}

/// A service looked at for a person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found<'a> {
    /// Its covering entry.
    pub(crate) facts: &'a Facts,
    /// The squared chord from her home to its nearest located place, when both are known.
    pub(crate) chord2: Option<f64>,
    /// Outreach that reaches by area ([`reaches_by_area`]): distance does not exclude it.
    pub(crate) by_area: bool,
}

/// A service measured one by one.
#[derive(Debug, Clone)]
struct OneByOne {
    /// Its covering entry.
    facts: Facts,
    /// Its located places.
    places: Vec<UnitVector>,
    /// It is looked at wherever the person lives ([`reaches_by_area`]).
    by_area: bool,
}

/// A validated directory, indexed for matching. Build it once; query it many times.
#[derive(Debug, Clone)]
pub struct MatchIndex {
    pub(crate) directory: Directory,
    /// The need domains served, in first-seen order.
    domains: Vec<DomainKey>,
    by_domain: HashMap<DomainKey, DomainIndex>,
    /// Every named service area of the directory by its comparable form ([`area_key`]).
    area_ids: HashMap<Vec<String>, AreaId>,
    /// Positions of [`Directory::organizations`], in the order of their ids.
    organizations_by_id: Vec<u32>,
    /// Positions of [`Directory::services`], in the order of their ids.
    services_by_id: Vec<u32>,
    /// Positions of [`Directory::locations`], in the order of their ids.
    locations_by_id: Vec<u32>,
    /// The prepared shapes of the services whose area is drawn, by position.
    extents: HashMap<usize, Extent>,
    /// The distinct values the covering entries name by code.
    eligibilities: Dictionary<Eligibility>,
    languages: Dictionary<Vec<LanguageCode>>,
    named_areas: Dictionary<Vec<AreaId>>,
    domain_lists: Dictionary<Vec<DomainKey>>,
    costs: Dictionary<Cost>,
    capacities: Dictionary<Option<i64>>,
    /// Whether any location is confidential ([`crate::whereabouts`]): when none is, no query
    /// asks whose whereabouts its viewer may see.
    any_confidential: bool,
}

/// Positions `0..ids.len()` of `list` in the order of `ids` (which validation has found
/// unique).
fn by_id<'a>(
    ids: impl ExactSizeIterator<Item = &'a str>,
    list: &str,
) -> Result<Vec<u32>, ValidationErrors> {
    let mut positions: Vec<(&str, usize)> = ids.enumerate().map(|(i, id)| (id, i)).collect();
    positions.sort_unstable();
    positions
        .into_iter()
        .map(|(_, i)| narrow(i, list))
        .collect()
}

/// The position among `positions` (in the order of `id_at`) whose id is `id`.
fn find_by_id<'a>(
    positions: &[u32],
    id: &str,
    id_at: impl Fn(usize) -> Option<&'a str>,
) -> Option<usize> {
    // Every position has an id, so no `None` (which orders first) is met.
    positions
        .binary_search_by(|&p| id_at(p as usize).cmp(&Some(id)))
        .ok()
        .and_then(|at| positions.get(at))
        .map(|&p| p as usize)
}

impl MatchIndex {
    /// Validate `directory` and index it.
    pub fn new(directory: Directory) -> Result<Self, ValidationErrors> {
        directory.validate()?;
        let organizations_by_id = by_id(
            directory.organizations.iter().map(|o| o.id.as_str()),
            "organizations",
        )?;
        let services_by_id = by_id(directory.services.iter().map(|s| s.id.as_str()), "services")?;
        let locations_by_id = by_id(
            directory.locations.iter().map(|l| l.id.as_str()),
            "locations",
        )?;
        let mut id_order = vec![0; services_by_id.len()];
        for (order, &position) in services_by_id.iter().enumerate() {
            if let Some(o) = id_order.get_mut(position as usize) {
                *o = order;
            }
        }
        // The services of each domain, counted first so that each list of places is allocated
        // once, at its size (a list grown by doubling holds up to twice what it needs).
        let mut domains: Vec<DomainKey> = Vec::new();
        let mut sizes: HashMap<&DomainKey, usize> = HashMap::new();
        for s in &directory.services {
            for d in &s.domains {
                let n = sizes.entry(d).or_insert_with(|| {
                    domains.push(d.clone());
                    0
                });
                *n += 1;
            }
        }
        let mut building: HashMap<DomainKey, (Vec<OneByOne>, Vec<Place>)> = sizes
            .iter()
            .map(|(&d, &n)| (d.clone(), (Vec::new(), Vec::with_capacity(n))))
            .collect();
        let missing = |path: String, id: &str| -> ValidationErrors {
            beside_core::FieldError::new(
                path,
                beside_core::Reason::MissingReference { id: id.to_owned() },
            )
            .into()
        };
        let mut area_ids: HashMap<Vec<String>, AreaId> = HashMap::new();
        let mut eligibilities = DictionaryBuilder::default();
        let mut languages = DictionaryBuilder::default();
        let mut named_areas = DictionaryBuilder::default();
        let mut domain_lists = DictionaryBuilder::default();
        let mut costs = DictionaryBuilder::default();
        let mut capacities = DictionaryBuilder::default();
        let mut extents = HashMap::new();
        for (i, s) in directory.services.iter().enumerate() {
            // Validation has checked every reference; these lookups cannot miss.
            let organization = find_by_id(&organizations_by_id, s.organization_id.as_str(), |p| {
                directory.organizations.get(p).map(|o| o.id.as_str())
            })
            .ok_or_else(|| {
                missing(
                    format!("services[{i}].organization_id"),
                    s.organization_id.as_str(),
                )
            })?;
            let org = directory.organizations.get(organization).ok_or_else(|| {
                missing(
                    format!("services[{i}].organization_id"),
                    s.organization_id.as_str(),
                )
            })?;
            let mut points: Vec<UnitVector> = Vec::new();
            for (j, l) in s.location_ids.iter().enumerate() {
                let at = find_by_id(&locations_by_id, l.as_str(), |p| {
                    directory.locations.get(p).map(|l| l.id.as_str())
                })
                .ok_or_else(|| missing(format!("services[{i}].location_ids[{j}]"), l.as_str()))?;
                if let Some(c) = directory
                    .locations
                    .get(at)
                    .and_then(|l| l.coordinates.as_ref())
                {
                    points.push(unit_vector(c));
                }
            }
            let areas: Vec<AreaId> = s
                .service_areas
                .iter()
                .map(|a| {
                    let next = AreaId(area_ids.len());
                    *area_ids.entry(area_key(a, a.depth())).or_insert(next)
                })
                .collect();
            if !s.service_extents.is_empty() {
                extents.insert(i, Extent::new(&s.service_extents));
            }
            // INVARIANT: `services_by_id` holds every position once, so each has its order.
            let Some(&order) = id_order.get(i) else {
                return Err(missing(format!("services[{i}].id"), s.id.as_str()));
            };
            let facts = Facts {
                service: narrow(i, "services")?,
                id_order: narrow(order, "services")?,
                organization: narrow(organization, "organizations")?,
                kind: org.kind,
                survivor_led: org.survivor_led || org.kind == OrganizationKind::SurvivorLed,
                status: s.status,
                outreach: s.outreach,
                interpretation_available: s.interpretation_available,
                female_staff: s.female_staff,
                trauma_informed: s.trauma_informed,
                has_locations: !s.location_ids.is_empty(),
                drawn: !s.service_extents.is_empty(),
                eligibility: eligibilities.code(s.eligibility.clone())?,
                languages: languages.code(s.languages.iter().map(canonical_language).collect())?,
                named_areas: named_areas.code(areas)?,
                domains: domain_lists.code(s.domains.clone())?,
                cost: costs.code(s.cost.clone())?,
                capacity: capacities.code(s.capacity)?,
            };
            for d in &s.domains {
                // Every domain was counted above: this finds its lists, allocated at their size.
                let (one_by_one, places) = building.entry(d.clone()).or_default();
                match points.as_slice() {
                    [one] if !reaches_by_area(s) => places.push(Place::new(*one, facts.clone())),
                    _ => one_by_one.push(OneByOne {
                        facts: facts.clone(),
                        places: points.clone(),
                        by_area: reaches_by_area(s),
                    }),
                }
            }
        }
        let by_domain = building
            .into_iter()
            .map(|(d, (one_by_one, places))| {
                let index = DomainIndex {
                    places: RTree::bulk_load_with_params(places),
                    one_by_one,
                };
                (d, index)
            })
            .collect();
        let directory_has_confidential =
            directory.locations.iter().any(|l| l.confidential.is_some());
        Ok(Self {
            directory,
            domains,
            by_domain,
            area_ids,
            organizations_by_id,
            services_by_id,
            locations_by_id,
            extents,
            eligibilities: eligibilities.finish(),
            languages: languages.finish(),
            named_areas: named_areas.finish(),
            domain_lists: domain_lists.finish(),
            costs: costs.finish(),
            capacities: capacities.finish(),
            any_confidential: directory_has_confidential,
        })
    }

    /// Whether any location of the directory is confidential.
    pub(crate) fn any_confidential(&self) -> bool {
        self.any_confidential
    }

    /// The named service areas holding `home` (every ancestor of it, itself included, that a
    /// service names), resolved once per query.
    pub(crate) fn home_areas(&self, home: &AreaPath) -> HomeAreas {
        HomeAreas {
            within: (1..=home.depth())
                .filter_map(|d| self.area_ids.get(&area_key(home, d)).copied())
                .collect(),
        }
    }

    /// The position of the organisation with `id`, if the directory holds it.
    pub(crate) fn organization_by_id(&self, id: &str) -> Option<usize> {
        find_by_id(&self.organizations_by_id, id, |p| {
            self.directory.organizations.get(p).map(|o| o.id.as_str())
        })
    }

    /// The position of the service with `id`, if the directory holds it.
    pub(crate) fn service_by_id(&self, id: &str) -> Option<usize> {
        find_by_id(&self.services_by_id, id, |p| {
            self.directory.services.get(p).map(|s| s.id.as_str())
        })
    }

    /// The position of the location with `id`, if the directory holds it.
    fn location_by_id(&self, id: &str) -> Option<usize> {
        find_by_id(&self.locations_by_id, id, |p| {
            self.directory.locations.get(p).map(|l| l.id.as_str())
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

    /// The service a covering entry describes, with the dictionary values it names.
    pub(crate) fn listing<'a>(&'a self, facts: &'a Facts) -> Result<Listing<'a>, MatchError> {
        let extent =
            if facts.drawn {
                // INVARIANT: a service whose area is drawn has its shapes prepared.
                Some(self.extents.get(&facts.service()).ok_or_else(|| {
                    MatchError::internal("a drawn service has no prepared shapes")
                })?)
            } else {
                None
            };
        Ok(Listing {
            facts,
            eligibility: self.eligibilities.get(facts.eligibility)?,
            languages: self.languages.get(facts.languages)?,
            named_areas: self.named_areas.get(facts.named_areas)?,
            domains: self.domain_lists.get(facts.domains)?,
            cost: self.costs.get(facts.cost)?,
            capacity: *self.capacities.get(facts.capacity)?,
            extent,
            index: self,
        })
    }

    /// Every service serving `domain`, in directory order.
    pub(crate) fn serving(&self, domain: &DomainKey) -> Result<Vec<Listing<'_>>, MatchError> {
        let Some(d) = self.by_domain.get(domain) else {
            return Ok(Vec::new());
        };
        let mut all: Vec<Listing<'_>> = d
            .places
            .iter()
            .map(|p| &p.data)
            .chain(d.one_by_one.iter().map(|o| &o.facts))
            .map(|facts| self.listing(facts))
            .collect::<Result<_, _>>()?;
        all.sort_by_key(|l| l.facts.service());
        Ok(all)
    }

    /// The services serving `domain` that are looked at for a person at `home` (`None`: her
    /// position is unknown, so all of them, in no particular order), each with the squared
    /// chord to its nearest located place when both positions are known: those with a place
    /// within `reach_chord2`, those with no located place, and outreach reaching by area,
    /// wherever it is.
    pub(crate) fn within_reach<'a>(
        &'a self,
        domain: &DomainKey,
        home: Option<&UnitVector>,
        reach_chord2: f64,
    ) -> Box<dyn Iterator<Item = Found<'a>> + 'a> {
        let Some(d) = self.by_domain.get(domain) else {
            return Box::new(std::iter::empty());
        };
        let Some(&home) = home else {
            let every = d.places.iter().map(|p| &p.data);
            let others = d.one_by_one.iter().map(|o| &o.facts);
            return Box::new(every.chain(others).map(|facts| Found {
                facts,
                chord2: None,
                by_area: false,
            }));
        };
        // The tree is asked a hair wider than the reach, then each place is measured exactly.
        let in_tree = d
            .places
            .locate_within_distance(home, reach_chord2 * (1.0 + 1e-9) + 1e-15)
            .map(move |p| (&p.data, chord2(&home, p.geom())))
            .filter(move |&(_, c2)| c2 <= reach_chord2)
            .map(|(facts, c2)| Found {
                facts,
                chord2: Some(c2),
                by_area: false,
            });
        let one_by_one = d.one_by_one.iter().filter_map(move |one| {
            let nearest = one
                .places
                .iter()
                .map(|p| chord2(&home, p))
                .min_by(f64::total_cmp);
            (one.by_area || nearest.is_none_or(|c2| c2 <= reach_chord2)).then_some(Found {
                facts: &one.facts,
                chord2: nearest,
                by_area: one.by_area,
            })
        });
        Box::new(in_tree.chain(one_by_one))
    }
}

#[cfg(test)]
mod covering_entry_size {
    use super::{Place, UnitVector};
    use rstar::primitives::GeomWithData;
    use rstar::RTreeNode;

    /// A node of the tree is as large as its largest kind: a place carrying its covering entry
    /// is no larger than a parent node (children and bounding box), so a node takes only its
    /// tag more than one holding a bare position (80 bytes against 72 on 64-bit targets).
    #[test]
    fn a_place_with_its_covering_entry_is_no_larger_than_a_parent_node() {
        let bare = std::mem::size_of::<RTreeNode<GeomWithData<UnitVector, u32>>>();
        assert!(std::mem::size_of::<Place>() <= bare);
        assert!(std::mem::size_of::<RTreeNode<Place>>() <= bare + 8);
    }
}
