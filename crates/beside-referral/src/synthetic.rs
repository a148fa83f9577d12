//! A deterministic synthetic service directory of any size, spread over Bangladesh's eight
//! divisions, for benchmarks and memory measurements. Invented data: no real provider.

use crate::directory::{
    Cost, Directory, Eligibility, GenderServed, Location, Organization, Service, ServiceStatus,
};
use beside_core::rng::SplitMix64;
use beside_core::{
    default_domain_keys, AreaPath, Coordinates, LanguageCode, LocationId, OrganizationId,
    OrganizationKind, ServiceId,
};

/// Divisions of Bangladesh with an approximate centre.
const DIVISIONS: [(&str, f64, f64); 8] = [
    ("Dhaka", 23.81, 90.41),
    ("Chattogram", 22.36, 91.78),
    ("Khulna", 22.85, 89.54),
    ("Rajshahi", 24.37, 88.60),
    ("Barishal", 22.70, 90.37),
    ("Sylhet", 24.89, 91.87),
    ("Rangpur", 25.74, 89.28),
    ("Mymensingh", 24.75, 90.41),
];

/// Build a directory with `services` services (four per organisation, one location each),
/// reproducibly from `seed`. Districts are `District 1`..`District 8` of each division.
pub fn directory(services: usize, seed: u64) -> Directory {
    let mut rng = SplitMix64::new(seed);
    let domains = default_domain_keys();
    let bn = LanguageCode::new("bn").ok();
    let en = LanguageCode::new("en").ok();
    let kinds = OrganizationKind::ALL;
    let orgs = services.div_ceil(4);
    let mut d = Directory {
        organizations: Vec::with_capacity(orgs),
        services: Vec::with_capacity(services),
        locations: Vec::with_capacity(orgs),
    };
    for o in 0..orgs {
        let (division, lat0, lon0) = *rng.pick(&DIVISIONS).unwrap_or(&DIVISIONS[0]);
        let district = format!("District {}", 1 + rng.below(8));
        let area = AreaPath(vec!["BD".into(), division.into(), district].into());
        let kind = *rng.pick(&kinds).unwrap_or(&OrganizationKind::Ngo);
        let (Ok(org_id), Ok(loc_id)) = (
            OrganizationId::new(format!("org-{o:06}")),
            LocationId::new(format!("loc-{o:06}")),
        ) else {
            continue;
        };
        d.organizations.push(Organization {
            id: org_id.clone(),
            name: format!("Provider {o}"),
            kind,
            survivor_led: kind == OrganizationKind::SurvivorLed,
            description: None,
            urls: Vec::new(),
        });
        d.locations.push(Location {
            id: loc_id.clone(),
            organization_id: org_id.clone(),
            name: format!("Office {o}"),
            area: area.clone(),
            address: None,
            confidential: None,
            coordinates: Coordinates::new(
                lat0 + rng.range_f64(-0.8, 0.8),
                lon0 + rng.range_f64(-0.8, 0.8),
            )
            .ok(),
        });
        for s in 0..4 {
            if d.services.len() >= services {
                break;
            }
            let Ok(id) = ServiceId::new(format!("svc-{o:06}-{s}")) else {
                continue;
            };
            let mut ds = Vec::new();
            for _ in 0..1 + rng.below(3) {
                if let Some(k) = rng.pick(&domains) {
                    if !ds.contains(k) {
                        ds.push(k.clone());
                    }
                }
            }
            let mut languages: Vec<LanguageCode> = bn.iter().cloned().collect();
            if rng.chance(0.2) {
                languages.extend(en.iter().cloned());
            }
            let service_areas = match rng.below(10) {
                0..=4 => vec![area.clone()],
                5 | 6 => vec![area.truncated(2)],
                _ => vec![],
            };
            d.services.push(Service {
                id,
                organization_id: org_id.clone(),
                name: format!("Service {o}-{s}"),
                domains: ds,
                status: if rng.chance(0.9) {
                    ServiceStatus::Active
                } else {
                    ServiceStatus::Inactive
                },
                eligibility: Eligibility {
                    min_age: rng.chance(0.2).then_some(18),
                    max_age: None,
                    genders: if rng.chance(0.25) {
                        vec![GenderServed::Female]
                    } else {
                        vec![]
                    },
                    nationalities: vec![],
                    requires_formal_identification: rng.chance(0.05),
                },
                languages,
                interpretation_available: rng.chance(0.1),
                cost: if rng.chance(0.7) {
                    Cost::Free
                } else {
                    Cost::Fee {
                        amount: 10_000 * (1 + rng.below(20)),
                        currency: "BDT".into(),
                    }
                },
                capacity: match rng.below(10) {
                    0..=2 => None,
                    3 => Some(0),
                    // Below 31: the conversion cannot fail.
                    _ => i64::try_from(1 + rng.below(30)).ok(),
                },
                respond_within_minutes: None,
                requires_court_order: rng.chance(0.03),
                requires_referral_letter: rng.chance(0.1),
                female_staff: rng.chance(0.5),
                trauma_informed: rng.chance(0.3),
                service_areas,
                service_extents: Vec::new(),
                location_ids: vec![loc_id.clone()],
                outreach: rng.chance(0.05),
                urls: Vec::new(),
            });
        }
    }
    d
}
