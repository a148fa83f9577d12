//! The hard constraints of matching, one function per rule (`docs/rules.md`, "Referral
//! matching"): each says whether it excludes a provider and, when it does, the figures behind
//! it. A prerequisite (a court order, a referral letter) is not an exclusion but a pathway step.

use super::index::{Found, HomeAreas, Listing, MatchIndex};
use super::request::{MatchRequest, SafetyConcern, Veto};
use super::result::{AreaTest, Exclusion, PathwayStep};
use crate::directory::{GenderServed, Service, ServiceStatus};
use beside_core::{Gender, OrganizationKind};

use super::engine::MatchError;

/// What the rules know about the person and her request, resolved once per query.
pub(crate) struct Person<'r> {
    pub(crate) req: &'r MatchRequest,
    /// Her age on her own calendar at the moment of the match, when her birth is known.
    pub(crate) age: Option<u32>,
    /// The directory's named service areas that hold her home area.
    pub(crate) home_areas: HomeAreas,
    /// Her vetoes in her order, each with what it names resolved in the directory.
    pub(crate) vetoes: Vec<(&'r Veto, Vetoes<'r>)>,
    /// The safety flags in their order, each with the position of the organisation it names
    /// (`None`: one the directory does not hold, so it excludes nothing).
    pub(crate) flags: Vec<(Option<usize>, SafetyConcern)>,
}

/// What a veto names, with ids resolved to positions in the directory once per query (`None`:
/// an id the directory does not hold, so it excludes nothing).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Vetoes<'r> {
    /// An organisation, by position.
    Organization(Option<usize>),
    /// A service, by position.
    Service(Option<usize>),
    /// A kind of organisation.
    Kind(OrganizationKind),
    /// An area holding one of its locations.
    Area(&'r beside_core::AreaPath),
}

impl<'r> Person<'r> {
    /// The person of `req`, aged `age`, with her home area, vetoes and safety flags resolved
    /// in `index`.
    pub(crate) fn new(req: &'r MatchRequest, age: Option<u32>, index: &MatchIndex) -> Self {
        let vetoes = req
            .vetoes
            .iter()
            .map(|veto| {
                let names = match veto {
                    Veto::Organization { id } => {
                        Vetoes::Organization(index.organization_by_id(id.as_str()))
                    }
                    Veto::Service { id } => Vetoes::Service(index.service_by_id(id.as_str())),
                    Veto::Kind { kind } => Vetoes::Kind(*kind),
                    Veto::Area { area } => Vetoes::Area(area),
                };
                (veto, names)
            })
            .collect();
        let flags = req
            .safety_flags
            .iter()
            .map(|f| {
                (
                    index.organization_by_id(f.organization_id.as_str()),
                    f.concern,
                )
            })
            .collect();
        Person {
            req,
            age,
            home_areas: index.home_areas(&req.home_area),
            vetoes,
            flags,
        }
    }
}

/// **Inactive**: a service that is not running is excluded.
pub(crate) fn inactive(l: &Listing<'_>) -> Option<Exclusion> {
    (l.facts.status != ServiceStatus::Active).then_some(Exclusion::Inactive {
        status: l.facts.status,
    })
}

/// **No capacity**: a service with no open places is excluded (no figure means no fixed limit).
pub(crate) fn no_capacity(l: &Listing<'_>) -> Option<Exclusion> {
    match l.capacity {
        Some(0) => Some(Exclusion::NoCapacity { capacity: 0 }),
        _ => None,
    }
}

/// **Eligibility, age**: her age (when known) below the youngest or above the oldest served.
pub(crate) fn age_outside_range(l: &Listing<'_>, p: &Person<'_>) -> Option<Exclusion> {
    let e = l.eligibility;
    let age = p.age?;
    let outside = e.min_age.is_some_and(|m| age < m) || e.max_age.is_some_and(|m| age > m);
    outside.then_some(Exclusion::AgeOutsideRange {
        age,
        min_age: e.min_age,
        max_age: e.max_age,
    })
}

/// **Eligibility, gender**: a service serving only some genders excludes anyone else, and
/// anyone whose gender is not stated or self-described.
pub(crate) fn gender_not_served(l: &Listing<'_>, p: &Person<'_>) -> Option<Exclusion> {
    let served = &l.eligibility.genders;
    let hers = match p.req.person.gender {
        Gender::Female => Some(GenderServed::Female),
        Gender::Male => Some(GenderServed::Male),
        Gender::ThirdGender => Some(GenderServed::ThirdGender),
        Gender::SelfDescribed(_) | Gender::NotStated => None,
    };
    let ok = served.is_empty() || hers.is_some_and(|g| served.contains(&g));
    (!ok).then(|| Exclusion::GenderNotServed {
        served: served.clone(),
    })
}

/// **Eligibility, nationality**: a service serving only some nationalities excludes anyone
/// else, and anyone whose nationality is not known.
pub(crate) fn nationality_not_served(l: &Listing<'_>, p: &Person<'_>) -> Option<Exclusion> {
    let served = &l.eligibility.nationalities;
    let ok = served.is_empty()
        || p.req
            .person
            .nationality
            .as_ref()
            .is_some_and(|n| served.contains(n));
    (!ok).then(|| Exclusion::NationalityNotServed {
        served: served.iter().map(|c| c.to_string()).collect(),
    })
}

/// **Eligibility, identification**: a service for formally identified victims only excludes
/// a person who is not.
pub(crate) fn requires_formal_identification(l: &Listing<'_>, p: &Person<'_>) -> Option<Exclusion> {
    (l.eligibility.requires_formal_identification && !p.req.formally_identified)
        .then_some(Exclusion::RequiresFormalIdentification)
}

/// **Service area** (`docs/rules.md`, "Referral matching": outside the service area is a hard
/// constraint): whether the service serves her where she lives.
///
/// - One of its named areas (`service_areas`) holds her home area: yes.
/// - Otherwise, when its area is drawn as shapes (`service_extents`): yes exactly when her home
///   coordinates are known and lie inside one of them (on an edge counts). Either test
///   suffices; with her coordinates unknown only a named area can place her: a shape is never
///   read as "everywhere".
/// - Otherwise, when it has named areas: no.
/// - With no service area at all, a service is where its locations are: yes when the distance
///   to a located place is known (the travel limit then decides), or it is outreach with no
///   location at all; else she must live in the district (the parent area) of one of its
///   locations.
pub(crate) fn serves_home(
    l: &Listing<'_>,
    p: &Person<'_>,
    distance_known: bool,
) -> Result<bool, MatchError> {
    let home = &p.req.home_area;
    if l.named_areas.iter().any(|&a| p.home_areas.holds_home(a)) {
        return Ok(true);
    }
    if let Some(extent) = l.extent {
        return Ok(p
            .req
            .home_coordinates
            .as_ref()
            .is_some_and(|c| extent.contains(c)));
    }
    // One id per named area: it has named areas exactly when it has ids.
    if !l.named_areas.is_empty() {
        return Ok(false);
    }
    if distance_known || l.facts.outreach && !l.facts.has_locations {
        return Ok(true);
    }
    Ok(l.locations()?.iter().any(|loc| {
        loc.area
            .truncated(loc.area.depth().saturating_sub(1).max(1))
            .contains(home)
    }))
}

/// Which test of [`serves_home`] found her outside the service's area, for the exclusion's
/// figures: its shapes (with or without her coordinates), else its named areas, else the
/// district of its locations.
pub(crate) fn area_test(l: &Listing<'_>, p: &Person<'_>) -> AreaTest {
    if l.extent.is_some() {
        if p.req.home_coordinates.is_some() {
            AreaTest::Shape
        } else {
            AreaTest::ShapeWithoutCoordinates
        }
    } else if !l.named_areas.is_empty() {
        AreaTest::Path
    } else {
        AreaTest::LocationDistrict
    }
}

/// **Outside the service area**: excluded when [`serves_home`] says no, naming her home area
/// and the test that decided (never her coordinates).
pub(crate) fn outside_service_area(
    l: &Listing<'_>,
    p: &Person<'_>,
    distance_known: bool,
) -> Result<Option<Exclusion>, MatchError> {
    let inside = serves_home(l, p, distance_known)?;
    Ok((!inside).then(|| Exclusion::OutsideServiceArea {
        home_area: p.req.home_area.clone(),
        decided_by: area_test(l, p),
    }))
}

/// **Vetoes always win**: the first of her vetoes (in her order) that names the organisation,
/// its kind, the service, or an area holding one of its locations.
pub(crate) fn vetoed(l: &Listing<'_>, p: &Person<'_>) -> Result<Option<Exclusion>, MatchError> {
    for &(veto, names) in &p.vetoes {
        let applies = match names {
            Vetoes::Organization(at) => at == Some(l.facts.organization()),
            Vetoes::Kind(kind) => kind == l.facts.kind,
            Vetoes::Service(at) => at == Some(l.facts.service()),
            Vetoes::Area(area) => l.locations()?.iter().any(|loc| area.contains(&loc.area)),
        };
        if applies {
            return Ok(Some(Exclusion::Vetoed { veto: veto.clone() }));
        }
    }
    Ok(None)
}

/// **Safety**: an organisation flagged unsafe for this case is excluded (the first flag naming
/// it gives the concern).
pub(crate) fn flagged_unsafe(l: &Listing<'_>, p: &Person<'_>) -> Option<Exclusion> {
    p.flags
        .iter()
        .find(|(at, _)| *at == Some(l.facts.organization()))
        .map(|&(_, concern)| Exclusion::FlaggedUnsafe { concern })
}

/// **Travel limit**: the squared chord to the nearest place when it is beyond her travel
/// limit (`limit_chord2`, the limit's). Outreach that reaches by area goes wherever its areas
/// are: distance does not exclude it.
pub(crate) fn beyond_travel_limit(found: &Found, limit_chord2: f64) -> Option<f64> {
    if found.by_area {
        return None;
    }
    found.chord2.filter(|&c2| c2 > limit_chord2)
}

/// Every hard constraint but distance and consent, judged in the order of
/// [`super::result::ExclusionCode::ALL`]: each exclusion that applies to `l` is handed to
/// `excluded` as it is found (so no list of outcomes is built for the thousands of services a
/// query judges).
pub(crate) fn hard_constraints(
    l: &Listing<'_>,
    p: &Person<'_>,
    distance_known: bool,
    mut excluded: impl FnMut(Exclusion) -> Result<(), MatchError>,
) -> Result<(), MatchError> {
    let mut judged = |outcome: Option<Exclusion>| outcome.map_or(Ok(()), &mut excluded);
    judged(inactive(l))?;
    judged(no_capacity(l))?;
    judged(age_outside_range(l, p))?;
    judged(gender_not_served(l, p))?;
    judged(nationality_not_served(l, p))?;
    judged(requires_formal_identification(l, p))?;
    judged(outside_service_area(l, p, distance_known)?)?;
    judged(vetoed(l, p)?)?;
    judged(flagged_unsafe(l, p))
}

/// **Prerequisites are pathways**: a court order or a referral letter she does not hold yet is a
/// step to take, not an exclusion.
pub(crate) fn pathway(s: &Service, req: &MatchRequest) -> Vec<PathwayStep> {
    let mut steps = Vec::new();
    if s.requires_court_order && !req.has_court_order {
        steps.push(PathwayStep::ObtainCourtOrder);
    }
    if s.requires_referral_letter && !req.has_referral_letter {
        steps.push(PathwayStep::ObtainReferralLetter);
    }
    steps
}
