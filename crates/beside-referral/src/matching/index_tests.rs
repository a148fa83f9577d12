//! The spatial index against a scan of the whole directory: for random directories and homes
//! (around the antimeridian and a pole too) and reaches from 0 to the whole Earth, the R-tree
//! finds exactly the services a scan finds, each with the distance to its nearest place. The
//! golden answers (`tests/golden_matching.rs`) pin the rules; this pins the index on inputs
//! drawn afresh on every run, services drawn as shapes among them.

use super::index::{chord2, chord2_of_km, reaches_by_area, unit_vector, MatchIndex};
use crate::area::AreaShape;
use crate::directory::{Cost, Directory, Location, Organization, Service, ServiceStatus};
use beside_core::rng::SplitMix64;
use beside_core::{
    AreaPath, Coordinates, DomainKey, LocationId, OrganizationId, OrganizationKind, ServiceId,
};

const CENTRES: [(f64, f64); 3] = [(23.17, 89.21), (-17.8, 179.95), (89.7, 30.0)];

fn coordinates(rng: &mut SplitMix64, (la, lo): (f64, f64), spread: f64) -> Coordinates {
    let mut lon = lo + rng.range_f64(-spread, spread);
    if lon > 180.0 {
        lon -= 360.0;
    } else if lon < -180.0 {
        lon += 360.0;
    }
    Coordinates::new(
        (la + rng.range_f64(-spread, spread)).clamp(-90.0, 90.0),
        lon,
    )
    .unwrap()
}

/// A small square around `centre` (clear of the antimeridian and the pole).
fn square((la, lo): (f64, f64)) -> AreaShape {
    let (a, b) = (la - 0.04, la + 0.04);
    let (c, d) = (lo - 0.04, lo + 0.04);
    AreaShape::polygon(vec![[c, a], [d, a], [d, b], [c, b], [c, a]], vec![])
}

fn directory(rng: &mut SplitMix64, centre: (f64, f64)) -> Directory {
    let area = AreaPath::new(["BD", "Khulna"]).unwrap();
    let mut d = Directory::default();
    let orgs = 1 + rng.below(6) as usize;
    for o in 0..orgs {
        let id = OrganizationId::new(format!("o{o}")).unwrap();
        d.organizations.push(Organization {
            id: id.clone(),
            name: "o".into(),
            kind: OrganizationKind::Ngo,
            survivor_led: false,
            description: None,
            urls: vec![],
        });
        for l in 0..rng.below(3) {
            d.locations.push(Location {
                id: LocationId::new(format!("l{o}-{l}")).unwrap(),
                organization_id: id.clone(),
                name: "l".into(),
                area: area.clone(),
                address: None,
                confidential: None,
                coordinates: if rng.chance(0.9) {
                    let spread = [0.01, 0.5, 3.0][rng.below(3) as usize];
                    Some(coordinates(rng, centre, spread))
                } else {
                    None
                },
            });
        }
    }
    for s in 0..rng.below(40) {
        let o = rng.below(orgs as u64) as usize;
        let org = d.organizations[o].id.clone();
        let location_ids = d
            .locations
            .iter()
            .filter(|l| l.organization_id == org && rng.chance(0.8))
            .map(|l| l.id.clone())
            .collect();
        d.services.push(Service {
            id: ServiceId::new(format!("s{s}")).unwrap(),
            organization_id: org,
            name: "s".into(),
            domains: vec![DomainKey::new(["food", "shelter"][rng.below(2) as usize]).unwrap()],
            status: ServiceStatus::Active,
            eligibility: Default::default(),
            languages: vec![],
            interpretation_available: false,
            cost: Cost::Free,
            capacity: None,
            respond_within_minutes: None,
            requires_court_order: false,
            requires_referral_letter: false,
            female_staff: false,
            trauma_informed: false,
            service_areas: if rng.chance(0.3) {
                vec![area.clone()]
            } else {
                vec![]
            },
            // A drawn area makes outreach reach by area, as a named one does.
            service_extents: if rng.chance(0.3) {
                vec![square(centre)]
            } else {
                vec![]
            },
            location_ids,
            urls: vec![],
            outreach: rng.chance(0.3),
        });
    }
    d
}

/// Every service serving `need` that a scan would look at, with its nearest place's chord.
fn scan(
    d: &Directory,
    need: &DomainKey,
    home: Option<&[f64; 3]>,
    reach2: f64,
) -> Vec<(usize, Option<f64>)> {
    let mut out = Vec::new();
    for (i, s) in d.services.iter().enumerate() {
        if !s.domains.contains(need) {
            continue;
        }
        let nearest = home.and_then(|h| {
            s.location_ids
                .iter()
                .filter_map(|id| d.locations.iter().find(|l| l.id == *id))
                .filter_map(|l| l.coordinates.as_ref())
                .map(|c| chord2(h, &unit_vector(c)))
                .min_by(f64::total_cmp)
        });
        let has_place = nearest.is_some();
        if home.is_none()
            || !has_place
            || reaches_by_area(s)
            || nearest.is_some_and(|c| c <= reach2)
        {
            out.push((i, nearest));
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn the_r_tree_finds_what_a_scan_finds(seed in proptest::prelude::any::<u64>()) {
        let mut rng = SplitMix64::new(seed);
        let centre = CENTRES[rng.below(3) as usize];
        let d = directory(&mut rng, centre);
        let index = MatchIndex::new(d.clone()).unwrap();
        for _ in 0..8 {
            let home = rng.chance(0.9).then(|| unit_vector(&coordinates(&mut rng, centre, 0.5)));
            let km = [0.0, 1.0, 30.0, 150.0, 1000.0, 25_000.0][rng.below(6) as usize];
            let reach2 = chord2_of_km(km);
            for need in ["food", "shelter", "legal"] {
                let need = DomainKey::new(need).unwrap();
                let mut got: Vec<(usize, Option<f64>)> = index
                    .within_reach(&need, home.as_ref(), reach2)
                    .map(|f| (f.facts.service(), f.chord2))
                    .collect();
                got.sort_by_key(|g| g.0);
                proptest::prop_assert_eq!(got, scan(&d, &need, home.as_ref(), reach2));
            }
        }
    }
}
