//! A directory indexed for matching.
//!
//! **The spatial index, chosen once:** one R-tree per need domain ([`rstar`]) over the service's
//! located places, each place a point on the unit sphere (`[x, y, z]`) carrying the service's
//! position in the directory. The straight-line (chord) distance between two such points grows
//! with the great-circle distance, so "within `km` of her home" is exactly "within the chord of
//! `km`", a ball query the R-tree answers directly, with no special case at the antimeridian or
//! the poles. A query asks the tree for the places within the near-miss reach (twice the
//! travel limit by default), then measures each exactly (`chord2`).
//!
//! A service's drawn shapes are prepared once here too, beside the trees (one
//! `geo::MultiPolygon` per service, `Listing::extent`), for the service-area rule.
//!
//! The tree holds the services with one located place that people travel to. The others are
//! measured one by one, beside it: those with no located place or several, and outreach that
//! reaches by area (`reaches_by_area`), which is looked at wherever she lives.

use crate::area::Extent;
use crate::directory::{Directory, Location, Organization, Service};
use beside_core::{place::EARTH_RADIUS_KM, AreaPath, Coordinates, DomainKey, LanguageCode};
use beside_core::{Validate, ValidationErrors};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use std::collections::HashMap;

use super::engine::MatchError;

/// A point on the unit sphere.
pub(crate) type UnitVector = [f64; 3];

/// A located place of a service in a domain's R-tree: the point and the service's position in
/// [`Directory::services`].
type Place = GeomWithData<UnitVector, usize>;

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

/// A service with what its ids refer to, resolved when the index is built.
#[derive(Debug, Clone)]
struct Links {
    /// Position of its organisation in [`Directory::organizations`].
    organization: usize,
    /// Positions of its locations in [`Directory::locations`].
    locations: Vec<usize>,
    /// Its named service areas ([`Service::service_areas`]), as ids.
    named_areas: Vec<AreaId>,
    /// Its drawn shapes ([`Service::service_extents`]) as one prepared `geo::MultiPolygon`,
    /// converted once when the index is built; `None` when it has none.
    extent: Option<Extent>,
}

/// A service of the directory with its organisation and locations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing<'a> {
    pub(crate) service: &'a Service,
    pub(crate) organization: &'a Organization,
    index: &'a MatchIndex,
    links: &'a Links,
}

impl<'a> Listing<'a> {
    /// Its named service areas, as ids ([`MatchIndex::home_areas`] resolves hers).
    pub(crate) fn named_areas(&self) -> &'a [AreaId] {
        &self.links.named_areas
    }

    /// Its drawn shapes, prepared; `None` when its area is not drawn.
    pub(crate) fn extent(&self) -> Option<&'a Extent> {
        self.links.extent.as_ref()
    }

    /// Its locations (those the directory holds; validation refuses an unknown one).
    pub(crate) fn locations(&self) -> Result<Vec<&'a Location>, MatchError> {
        self.links
            .locations
            .iter()
            .map(|&l| {
                // INVARIANT: `Links::locations` was resolved from this directory.
                self.index.directory.locations.get(l).ok_or_else(|| {
                    MatchError::internal("a service's location is not in the directory")
                })
            })
            .collect()
    }
}

/// The services serving one need domain.
#[derive(Debug, Clone, Default)]
struct DomainIndex {
    /// Every service serving it, by position in the directory.
    services: Vec<usize>,
    /// The place of each that people travel to with one located place.
    places: RTree<Place>,
    /// The others, measured one by one: no located place, several, or reaching by area.
    one_by_one: Vec<OneByOne>,
}

/// A service looked at for a person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    /// Its position in the directory.
    pub(crate) service: usize,
    /// The squared chord from her home to its nearest located place, when both are known.
    pub(crate) chord2: Option<f64>,
    /// Outreach that reaches by area ([`reaches_by_area`]): distance does not exclude it.
    pub(crate) by_area: bool,
}

/// A service measured one by one.
#[derive(Debug, Clone)]
struct OneByOne {
    /// Its position in the directory.
    service: usize,
    /// Its located places.
    places: Vec<UnitVector>,
    /// It is looked at wherever the person lives ([`reaches_by_area`]).
    by_area: bool,
}

/// A validated directory, indexed for matching. Build it once; query it many times.
#[derive(Debug, Clone)]
pub struct MatchIndex {
    pub(crate) directory: Directory,
    links: Vec<Links>,
    /// The need domains served, in first-seen order.
    domains: Vec<DomainKey>,
    by_domain: HashMap<DomainKey, DomainIndex>,
    /// Every named service area of the directory by its comparable form ([`area_key`]).
    area_ids: HashMap<Vec<String>, AreaId>,
}

impl MatchIndex {
    /// Validate `directory` and index it.
    pub fn new(directory: Directory) -> Result<Self, ValidationErrors> {
        directory.validate()?;
        let organizations: HashMap<&str, usize> = directory
            .organizations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i))
            .collect();
        let locations: HashMap<&str, usize> = directory
            .locations
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect();
        let missing = |path: String, id: &str| -> ValidationErrors {
            beside_core::FieldError::new(
                path,
                beside_core::Reason::MissingReference { id: id.to_owned() },
            )
            .into()
        };
        let mut area_ids: HashMap<Vec<String>, AreaId> = HashMap::new();
        let mut links = Vec::with_capacity(directory.services.len());
        let mut domains: Vec<DomainKey> = Vec::new();
        let mut building: HashMap<DomainKey, (DomainIndex, Vec<Place>)> = HashMap::new();
        for (i, s) in directory.services.iter().enumerate() {
            // Validation has checked every reference; these lookups cannot miss.
            let organization = *organizations
                .get(s.organization_id.as_str())
                .ok_or_else(|| {
                    missing(
                        format!("services[{i}].organization_id"),
                        s.organization_id.as_str(),
                    )
                })?;
            let mut locs = Vec::with_capacity(s.location_ids.len());
            let mut points: Vec<UnitVector> = Vec::new();
            for (j, l) in s.location_ids.iter().enumerate() {
                let at = *locations.get(l.as_str()).ok_or_else(|| {
                    missing(format!("services[{i}].location_ids[{j}]"), l.as_str())
                })?;
                locs.push(at);
                if let Some(c) = directory
                    .locations
                    .get(at)
                    .and_then(|l| l.coordinates.as_ref())
                {
                    points.push(unit_vector(c));
                }
            }
            for d in &s.domains {
                let (index, places) = building.entry(d.clone()).or_insert_with(|| {
                    domains.push(d.clone());
                    Default::default()
                });
                index.services.push(i);
                match points.as_slice() {
                    [one] if !reaches_by_area(s) => places.push(Place::new(*one, i)),
                    _ => index.one_by_one.push(OneByOne {
                        service: i,
                        places: points.clone(),
                        by_area: reaches_by_area(s),
                    }),
                }
            }
            let named_areas = s
                .service_areas
                .iter()
                .map(|a| {
                    let next = AreaId(area_ids.len());
                    *area_ids.entry(area_key(a, a.depth())).or_insert(next)
                })
                .collect();
            links.push(Links {
                organization,
                locations: locs,
                named_areas,
                extent: (!s.service_extents.is_empty()).then(|| Extent::new(&s.service_extents)),
            });
        }
        let by_domain = building
            .into_iter()
            .map(|(d, (index, places))| {
                let index = DomainIndex {
                    places: RTree::bulk_load(places),
                    ..index
                };
                (d, index)
            })
            .collect();
        Ok(Self {
            directory,
            links,
            domains,
            by_domain,
            area_ids,
        })
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

    /// The need domains the directory's services serve, in first-seen order.
    pub fn domains(&self) -> &[DomainKey] {
        &self.domains
    }

    /// The directory this index was built from.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// The service at `position` with its organisation and locations.
    pub(crate) fn listing(&self, position: usize) -> Result<Listing<'_>, MatchError> {
        // INVARIANT: `links` holds one entry per service, and each names its organisation's
        // position in this directory.
        let (Some(service), Some(links)) = (
            self.directory.services.get(position),
            self.links.get(position),
        ) else {
            return Err(MatchError::internal(
                "a service position outside the directory",
            ));
        };
        let organization = self
            .directory
            .organizations
            .get(links.organization)
            .ok_or_else(|| {
                MatchError::internal("a service's organisation is not in the directory")
            })?;
        Ok(Listing {
            service,
            organization,
            index: self,
            links,
        })
    }

    /// Every service serving `domain`, in directory order.
    pub(crate) fn serving(&self, domain: &DomainKey) -> &[usize] {
        self.by_domain
            .get(domain)
            .map_or(&[], |d| d.services.as_slice())
    }

    /// The services serving `domain` that are looked at for a person at `home` (`None`: her
    /// position is unknown, so all of them), each with the squared chord to its nearest located
    /// place when both positions are known: those with a place within `reach_chord2`, those
    /// with no located place, and outreach reaching by area, wherever it is.
    pub(crate) fn within_reach(
        &self,
        domain: &DomainKey,
        home: Option<&UnitVector>,
        reach_chord2: f64,
    ) -> Vec<Found> {
        let Some(d) = self.by_domain.get(domain) else {
            return Vec::new();
        };
        let Some(home) = home else {
            return d
                .services
                .iter()
                .map(|&service| Found {
                    service,
                    chord2: None,
                    by_area: false,
                })
                .collect();
        };
        // The tree is asked a hair wider than the reach, then each place is measured exactly.
        let mut found: Vec<Found> = d
            .places
            .locate_within_distance(*home, reach_chord2 * (1.0 + 1e-9) + 1e-15)
            .map(|p| (p.data, chord2(home, p.geom())))
            .filter(|&(_, c2)| c2 <= reach_chord2)
            .map(|(service, c2)| Found {
                service,
                chord2: Some(c2),
                by_area: false,
            })
            .collect();
        for one in &d.one_by_one {
            let nearest = one
                .places
                .iter()
                .map(|p| chord2(home, p))
                .min_by(f64::total_cmp);
            if one.by_area || nearest.is_none_or(|c2| c2 <= reach_chord2) {
                found.push(Found {
                    service: one.service,
                    chord2: nearest,
                    by_area: one.by_area,
                });
            }
        }
        found
    }
}
