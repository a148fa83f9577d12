//! Golden answers of referral matching, with plans and gap tables: a seeded generator builds
//! varied directories (0 to 3,000 services; outreach helplines and visiting groups, drawn
//! areas, no capacity, inactive and defunct services, every eligibility constraint, shared
//! places so distances tie, places around the antimeridian and near a pole) and asks each of
//! them hundreds of questions (every kind of veto, safety flags, consent ledgers and gates,
//! languages, travel limits from 0 to the whole Earth, near misses on and off, custom weights,
//! invalid requests and configurations). Every answer goes through the public API and is
//! written as canonical JSON (an error as its message); the answers are hashed with SHA-256, per
//! chunk of 1,000 and one by one, and compared with `tests/golden/`.
//!
//! `BESIDE_GOLDEN_WRITE=1 cargo test -p beside-referral --test golden_matching` records them
//! again; `BESIDE_GOLDEN_SHOW=<index>` prints one answer with its input. See
//! `tests/golden/README.md`.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use beside_consent::{ConsentLedger, ConsentPolicy, ConsentRecord, ConsentSubject, Purpose};
use beside_core::rng::SplitMix64;
use beside_core::{
    AreaPath, AssessmentId, Birth, CaseId, Coordinates, CountryCode, DomainKey, Gender,
    LanguageCode, Level, LocationId, OrganizationId, OrganizationKind, Person, PersonId, Rating,
    ServiceId, TimeZone, Timestamp,
};
use beside_needs::{Prioritisation, PriorityItem, PriorityReason, Urgency};
use beside_referral::area::AreaShape;
use beside_referral::directory::{
    Cost, Directory, Eligibility, GenderServed, Location, Organization, Service, ServiceStatus,
};
use beside_referral::gaps::{AreaLanguages, GapQuery};
use beside_referral::matching::{
    ConsentGate, ConsentNotChecked, LedgerGate, MatchConfig, MatchIndex, MatchRequest, Money,
    Preferences, SafetyConcern, SafetyFlag, ScoreWeights, Veto,
};
use beside_referral::plan::PlanConfig;
use chrono::{NaiveDate, TimeZone as _, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

const CHUNK: usize = 1000;
/// Hex digits kept of each answer's own hash: enough to find the first answer that differs.
const ANSWER_HEX: usize = 12;
const SAMPLE: usize = 20;

const DOMAINS: [&str; 7] = [
    "shelter",
    "mental_health",
    "food",
    "legal",
    "livelihood",
    "physical_health",
    "peer_support",
];

/// Administrative areas: where places are, what services cover, where people live. Some
/// names differ from others only in letter case (one area for `AreaPath::contains`).
const AREAS: [&[&str]; 12] = [
    &["BD"],
    &["BD", "Khulna"],
    &["BD", "Khulna", "Jashore"],
    &["BD", "Khulna", "Jashore", "Sadar"],
    &["BD", "Khulna", "Jashore", "Sharsha"],
    &["BD", "khulna", "JASHORE"],
    &["BD", "Khulna", "Satkhira"],
    &["BD", "Khulna", "Satkhira", "Kaliganj"],
    &["BD", "Dhaka", "Mirpur"],
    &["KH"],
    &["KH", "Banteay Meanchey", "Poipet"],
    &["NP", "Bagmati", "Kathmandu"],
];

/// Where the people of a world live and its services are placed: a district town, the
/// antimeridian (longitudes wrap), near the north pole, the equator at Greenwich, Lima.
const CENTRES: [(f64, f64); 5] = [
    (23.17, 89.21),
    (-17.8, 179.95),
    (89.7, 30.0),
    (0.0, 0.0),
    (-12.05, -77.04),
];

/// Offsets in degrees used again and again, so places coincide and distances tie.
const SHARED_OFFSETS: [(f64, f64); 7] = [
    (0.0, 0.0),
    (0.02, 0.0),
    (0.0, -0.02),
    (0.1, 0.1),
    (-0.3, 0.2),
    (0.45, -0.45),
    (0.9, 0.9),
];

/// Service counts of the worlds, cycled.
const SIZES: [usize; 15] = [0, 1, 2, 3, 5, 8, 13, 25, 50, 100, 200, 400, 800, 1500, 3000];
const WORLDS: usize = 45;

fn at_utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn now() -> Timestamp {
    at_utc(2026, 6, 1, 12, 0)
}

fn area(parts: &[&str]) -> AreaPath {
    AreaPath::new(parts.iter().copied()).unwrap()
}

fn pick<T: Copy>(rng: &mut SplitMix64, items: &[T]) -> T {
    *rng.pick(items).unwrap()
}

fn pick_ref<'a, T>(rng: &mut SplitMix64, items: &'a [T]) -> &'a T {
    rng.pick(items).unwrap()
}

fn wrap_lon(lon: f64) -> f64 {
    if lon > 180.0 {
        lon - 360.0
    } else if lon < -180.0 {
        lon + 360.0
    } else {
        lon
    }
}

fn place(rng: &mut SplitMix64, centre: (f64, f64), spread: f64) -> Coordinates {
    let (dla, dlo) = if rng.chance(0.3) {
        pick(rng, &SHARED_OFFSETS)
    } else {
        (
            rng.range_f64(-spread, spread),
            rng.range_f64(-spread, spread),
        )
    };
    Coordinates::new(
        (centre.0 + dla).clamp(-90.0, 90.0),
        wrap_lon(centre.1 + dlo),
    )
    .unwrap()
}

fn lang(code: &str) -> LanguageCode {
    LanguageCode::new(code).unwrap()
}

/// Language lists a service or a person may have: two- and three-letter codes of one language
/// (`bn`, `ben`), interpretation languages, none.
fn languages(rng: &mut SplitMix64) -> Vec<LanguageCode> {
    match rng.below(8) {
        0 => vec![],
        1 => vec![lang("en")],
        2 => vec![lang("ben")],
        3 => vec![lang("bn"), lang("en")],
        4 => vec![lang("km")],
        5 => vec![lang("en"), lang("ne")],
        _ => vec![lang("bn")],
    }
}

fn domains(rng: &mut SplitMix64) -> Vec<DomainKey> {
    let mut ds: Vec<DomainKey> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let k = DomainKey::new(pick(rng, &DOMAINS)).unwrap();
        if !ds.contains(&k) {
            ds.push(k);
        }
    }
    if rng.chance(0.03) {
        ds.push(DomainKey::new("rare_need").unwrap());
    }
    ds
}

/// A square drawn around a point, as GeoJSON positions (`[longitude, latitude]`).
fn square(c: (f64, f64), half: f64) -> AreaShape {
    let (la, lo) = (c.0.clamp(-89.0, 89.0), c.1.clamp(-179.0, 179.0));
    AreaShape::polygon(
        vec![
            [lo - half, la - half],
            [lo + half, la - half],
            [lo + half, la + half],
            [lo - half, la + half],
            [lo - half, la - half],
        ],
        vec![],
    )
}

/// One generated world: its directory and how its people and places are spread.
struct World {
    seed: u64,
    size: usize,
    centre: (f64, f64),
    spread: f64,
}

impl World {
    fn nth(w: usize) -> Self {
        Self {
            seed: 0x60_1d_e0 + w as u64,
            size: SIZES[w % SIZES.len()],
            centre: CENTRES[w % CENTRES.len()],
            spread: [0.05, 0.5, 1.5][w % 3],
        }
    }

    /// Queries asked of the world: many of the small ones, fewer as they grow, so the test runs
    /// in debug in well under a minute.
    fn queries(&self) -> usize {
        match self.size {
            0 => 20,
            1..=50 => 420,
            51..=100 => 200,
            101..=200 => 150,
            201..=400 => 60,
            401..=800 => 40,
            801..=1500 => 25,
            _ => 20,
        }
    }

    fn describe(&self) -> Value {
        json!({"seed": self.seed, "services": self.size, "centre": [self.centre.0, self.centre.1],
               "spread_degrees": self.spread})
    }

    fn directory(&self) -> Directory {
        let mut rng = SplitMix64::new(self.seed);
        let orgs = 1 + self.size / 3;
        let mut d = Directory::default();
        for o in 0..orgs {
            let id = OrganizationId::new(format!("o{o:04}")).unwrap();
            let kind = pick(&mut rng, &OrganizationKind::ALL);
            d.organizations.push(Organization {
                id: id.clone(),
                name: format!("Organisation {o}"),
                kind,
                survivor_led: rng.chance(0.2),
                description: None,
                urls: Vec::new(),
            });
            let places = if rng.chance(0.1) { 0 } else { 1 + rng.below(2) };
            for l in 0..places {
                d.locations.push(Location {
                    id: LocationId::new(format!("l{o:04}-{l}")).unwrap(),
                    organization_id: id.clone(),
                    name: "Office".into(),
                    area: area(pick(&mut rng, &AREAS[2..9])),
                    address: None,
                    confidential: None,
                    coordinates: rng
                        .chance(0.9)
                        .then(|| place(&mut rng, self.centre, self.spread)),
                });
            }
        }
        for s in 0..self.size {
            let o = rng.below(orgs as u64) as usize;
            let org = d.organizations[o].id.clone();
            let own: Vec<&Location> = d
                .locations
                .iter()
                .filter(|l| l.organization_id == org)
                .collect();
            let archetype = rng.below(20);
            let mut location_ids: Vec<LocationId> = own
                .iter()
                .filter(|_| rng.chance(0.75))
                .map(|l| l.id.clone())
                .collect();
            if rng.chance(0.05) && !d.locations.is_empty() {
                let other = pick_ref(&mut rng, &d.locations).id.clone();
                if !location_ids.contains(&other) {
                    location_ids.push(other);
                }
            }
            let mut service_areas = match rng.below(9) {
                0..=3 => vec![],
                4 | 5 => vec![area(pick(&mut rng, &AREAS))],
                6 => vec![area(pick(&mut rng, &AREAS)), area(pick(&mut rng, &AREAS))],
                7 => vec![area(&["BD", "KHULNA"])],
                _ => own
                    .first()
                    .map(|l| vec![l.area.truncated(3)])
                    .unwrap_or_default(),
            };
            let mut outreach = rng.chance(0.08);
            match archetype {
                // A national helpline: reaches everyone in the country, no place to go to.
                0 => {
                    outreach = true;
                    service_areas = vec![area(pick(&mut rng, &[&["BD"][..], &["KH"][..]]))];
                    location_ids.clear();
                }
                // A visiting group: its own district, from its office.
                1 => {
                    outreach = true;
                    if let Some(l) = own.first() {
                        service_areas = vec![l.area.truncated(3)];
                        location_ids = vec![l.id.clone()];
                    }
                }
                // Outreach with no named area: as far from its office as the person travels.
                2 => {
                    outreach = true;
                    service_areas.clear();
                }
                _ => {}
            }
            let genders = match rng.below(8) {
                0 => vec![GenderServed::Female],
                1 => vec![GenderServed::Male],
                2 => vec![GenderServed::Female, GenderServed::ThirdGender],
                _ => vec![],
            };
            let nationalities = match rng.below(10) {
                0 => vec![CountryCode::new("BD").unwrap()],
                1 => vec![
                    CountryCode::new("KH").unwrap(),
                    CountryCode::new("NP").unwrap(),
                ],
                _ => vec![],
            };
            let min_age = match rng.below(8) {
                0 => Some(18),
                1 => Some(16),
                2 => Some(0),
                _ => None,
            };
            let max_age = match rng.below(10) {
                0 => Some(17),
                1 => Some(25),
                2 => min_age.map(|m: u32| m.max(18)),
                _ => None,
            }
            .filter(|&max| min_age.is_none_or(|min| min <= max));
            d.services.push(Service {
                // A random prefix, so id order is not directory order; the suffix keeps ids unique.
                id: ServiceId::new(format!("s{:03}-{s}", rng.below(1000))).unwrap(),
                organization_id: org,
                name: format!("Service {s}"),
                domains: domains(&mut rng),
                status: match rng.below(20) {
                    0 | 1 => ServiceStatus::Inactive,
                    2 => ServiceStatus::Defunct,
                    _ => ServiceStatus::Active,
                },
                eligibility: Eligibility {
                    min_age,
                    max_age,
                    genders,
                    nationalities,
                    requires_formal_identification: rng.chance(0.08),
                },
                languages: languages(&mut rng),
                interpretation_available: rng.chance(0.2),
                cost: match rng.below(6) {
                    0 => Cost::Unknown,
                    1 => Cost::Fee {
                        amount: 100 * (1 + rng.below(4)),
                        currency: "BDT".into(),
                    },
                    2 => Cost::Fee {
                        amount: 5,
                        currency: "USD".into(),
                    },
                    _ => Cost::Free,
                },
                capacity: match rng.below(8) {
                    0 | 1 => None,
                    2 => Some(0),
                    3 => Some(1),
                    4 => Some(1000),
                    _ => Some(rng.below(30) as i64),
                },
                respond_within_minutes: None,
                requires_court_order: rng.chance(0.08),
                requires_referral_letter: rng.chance(0.15),
                female_staff: rng.chance(0.5),
                trauma_informed: rng.chance(0.4),
                service_areas,
                service_extents: if rng.chance(0.1) {
                    vec![square(self.centre, rng.range_f64(0.01, 1.0))]
                } else {
                    vec![]
                },
                location_ids,
                urls: Vec::new(),
                outreach,
            });
        }
        d
    }
}

/// Directories the index must refuse, each with a different fault.
fn invalid_directories() -> Vec<(&'static str, Directory)> {
    let good = World {
        seed: 7,
        size: 12,
        centre: CENTRES[0],
        spread: 0.5,
    }
    .directory();
    let mut dup = good.clone();
    dup.services[1].id = dup.services[0].id.clone();
    let mut missing_org = good.clone();
    missing_org.services[2].organization_id = OrganizationId::new("nobody").unwrap();
    let mut missing_location = good.clone();
    missing_location.services[3].location_ids = vec![LocationId::new("nowhere").unwrap()];
    let mut negative = good.clone();
    negative.services[4].capacity = Some(-2);
    let mut ages = good.clone();
    ages.services[5].eligibility.min_age = Some(30);
    ages.services[5].eligibility.max_age = Some(20);
    let mut many_domains = good.clone();
    many_domains.services[6].domains = (0..70)
        .map(|i| DomainKey::new(&format!("need_{i}")).unwrap())
        .collect();
    let mut no_domains = good;
    no_domains.services[7].domains.clear();
    vec![
        ("duplicate service id", dup),
        ("unknown organisation", missing_org),
        ("unknown location", missing_location),
        ("negative capacity", negative),
        ("ages in the wrong order", ages),
        ("70 need domains on one service", many_domains),
        ("a service with no domain", no_domains),
    ]
}

/// How consent is asked in one query.
enum Gate {
    NotChecked,
    Ledger(
        Box<ConsentLedger>,
        Option<(Purpose, Vec<beside_consent::DataCategory>)>,
    ),
    /// Refuses the listed organisations and names none (each organisation asked on its own).
    Each(Vec<OrganizationId>),
    /// Refuses the listed organisations, which it names, and every organisation of the listed
    /// kinds (so the kind decides for the others).
    Named(Vec<OrganizationId>, Vec<OrganizationKind>),
}

struct EachGate<'a>(&'a [OrganizationId]);
impl ConsentGate for EachGate<'_> {
    fn refusal(&self, o: &Organization, _: Timestamp) -> Option<Vec<String>> {
        self.0
            .contains(&o.id)
            .then(|| vec!["explicit_refusal".to_owned()])
    }
}

struct NamedGate<'a>(&'a [OrganizationId], &'a [OrganizationKind]);
impl ConsentGate for NamedGate<'_> {
    fn refusal(&self, o: &Organization, _: Timestamp) -> Option<Vec<String>> {
        if self.0.contains(&o.id) {
            Some(vec!["explicit_refusal".to_owned()])
        } else if self.1.contains(&o.kind) {
            Some(vec!["none_given".to_owned(), "out_of_scope".to_owned()])
        } else {
            None
        }
    }
    fn named_organizations(&self) -> Option<Vec<OrganizationId>> {
        Some(self.0.to_vec())
    }
}

impl Gate {
    fn with<R>(&self, f: impl FnOnce(&dyn ConsentGate) -> R) -> R {
        match self {
            Gate::NotChecked => f(&ConsentNotChecked),
            Gate::Ledger(l, None) => f(&LedgerGate::referral(l)),
            Gate::Ledger(l, Some((p, c))) => f(&LedgerGate::new(l, *p, c.clone())),
            Gate::Each(orgs) => f(&EachGate(orgs)),
            Gate::Named(orgs, kinds) => f(&NamedGate(orgs, kinds)),
        }
    }

    fn describe(&self) -> Value {
        match self {
            Gate::NotChecked => json!("not_checked"),
            Gate::Ledger(l, how) => json!({"ledger": l.records(),
                "purpose_and_categories": how.as_ref().map(|(p, c)| json!([p, c]))}),
            Gate::Each(o) => json!({"refuse_each": o}),
            Gate::Named(o, k) => json!({"refuse_named": o, "refuse_kinds": k}),
        }
    }
}

fn org_id(rng: &mut SplitMix64, d: &Directory) -> OrganizationId {
    if d.organizations.is_empty() || rng.chance(0.05) {
        OrganizationId::new("not-in-directory").unwrap()
    } else {
        pick_ref(rng, &d.organizations).id.clone()
    }
}

fn ledger(rng: &mut SplitMix64, d: &Directory) -> ConsentLedger {
    let subject: ConsentSubject = serde_json::from_value(json!({"case_id": "c"})).unwrap();
    let mut records = Vec::new();
    for i in 0..rng.below(5) {
        let recipients = match rng.below(4) {
            0 => json!([{"scope": "any"}]),
            1 => {
                let a = pick(rng, &OrganizationKind::ALL);
                let b = pick(rng, &OrganizationKind::ALL);
                if a == b {
                    json!([{"scope": "kind", "kind": a}])
                } else {
                    json!([{"scope": "kind", "kind": a}, {"scope": "kind", "kind": b}])
                }
            }
            _ => json!([{"scope": "organization", "id": org_id(rng, d)}]),
        };
        let categories = match rng.below(4) {
            0 => json!(["identity"]),
            1 => json!(["contact", "location"]),
            _ => json!(["identity", "contact"]),
        };
        let mut r = json!({
            "id": format!("r{i}"), "case_id": "c",
            "kind": if rng.chance(0.3) { "refusal" } else { "consent" },
            "given_by": {"by": "person"},
            "purposes": if rng.chance(0.85) { json!(["service_referral"]) } else { json!(["case_coordination"]) },
            "recipients": recipients, "categories": categories,
            "granted_at": "2025-01-10T09:00:00Z", "method": "written", "explained_in": "bn",
        });
        if rng.chance(0.2) {
            r["expires_at"] = json!(pick(
                rng,
                &[
                    "2026-05-31T23:00:00Z",
                    "2026-06-01T06:00:00Z",
                    "2027-01-01T00:00:00Z"
                ]
            ));
        }
        if rng.chance(0.1) {
            r["revoked"] = json!({"at": "2026-03-01T00:00:00Z", "reason": "asked to stop"});
        }
        records.push(serde_json::from_value::<ConsentRecord>(r).unwrap());
    }
    ConsentLedger::new(subject, ConsentPolicy::default(), records, now()).unwrap()
}

fn gate(rng: &mut SplitMix64, d: &Directory) -> Gate {
    let orgs = |rng: &mut SplitMix64| -> Vec<OrganizationId> {
        d.organizations
            .iter()
            .filter(|_| rng.chance(0.25))
            .map(|o| o.id.clone())
            .collect()
    };
    match rng.below(10) {
        0..=3 => Gate::NotChecked,
        4..=6 => {
            let how = rng.chance(0.2).then(|| {
                (
                    Purpose::ServiceReferral,
                    vec![
                        beside_consent::DataCategory::Identity,
                        beside_consent::DataCategory::Health,
                    ],
                )
            });
            Gate::Ledger(Box::new(ledger(rng, d)), how)
        }
        7 | 8 => Gate::Each(orgs(rng)),
        _ => {
            let kinds = OrganizationKind::ALL
                .iter()
                .filter(|_| rng.chance(0.2))
                .copied()
                .collect();
            Gate::Named(orgs(rng), kinds)
        }
    }
}

fn person(rng: &mut SplitMix64) -> Person {
    let birth = match rng.below(6) {
        0 => None,
        // Birthdays on 1 June, the day most questions are asked, around local midnight.
        1 => Some(Birth::DateOfBirth {
            date: NaiveDate::from_ymd_opt(2008, 6, 1).unwrap(),
        }),
        2 => Some(Birth::DateOfBirth {
            date: NaiveDate::from_ymd_opt(2010, 6, 1).unwrap(),
        }),
        _ => Some(Birth::ApproximateAge {
            years: pick(rng, &[15, 17, 19, 24, 40, 70]),
            recorded_on: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        }),
    };
    Person {
        id: PersonId::new("p").unwrap(),
        birth,
        gender: match rng.below(8) {
            0 => Gender::Male,
            1 => Gender::ThirdGender,
            2 => Gender::NotStated,
            3 => Gender::SelfDescribed("woman".into()),
            _ => Gender::Female,
        },
        languages: languages(rng),
        nationality: match rng.below(4) {
            0 => None,
            1 => Some(CountryCode::new("KH").unwrap()),
            _ => Some(CountryCode::new("BD").unwrap()),
        },
    }
}

fn needs(rng: &mut SplitMix64) -> Vec<DomainKey> {
    let mut needs: Vec<DomainKey> = DOMAINS
        .iter()
        .filter(|_| rng.chance(0.3))
        .map(|k| DomainKey::new(k).unwrap())
        .collect();
    if needs.is_empty() {
        needs.push(DomainKey::new(pick(rng, &DOMAINS)).unwrap());
    }
    if rng.chance(0.05) {
        needs.push(DomainKey::new("not_in_any_directory").unwrap());
    }
    if rng.chance(0.02) {
        needs.clear();
    }
    needs
}

fn request(rng: &mut SplitMix64, world: &World, d: &Directory) -> MatchRequest {
    let mut vetoes = Vec::new();
    for _ in 0..rng.below(3) {
        vetoes.push(match rng.below(5) {
            0 => Veto::Kind {
                kind: pick(rng, &OrganizationKind::ALL),
            },
            1 => Veto::Organization { id: org_id(rng, d) },
            2 if !d.services.is_empty() => Veto::Service {
                id: pick_ref(rng, &d.services).id.clone(),
            },
            2 => Veto::Service {
                id: ServiceId::new("no-such-service").unwrap(),
            },
            _ => Veto::Area {
                area: area(pick(rng, &AREAS[1..])),
            },
        });
    }
    let safety_flags = (0..rng.below(3))
        .map(|_| SafetyFlag {
            organization_id: org_id(rng, d),
            concern: pick(
                rng,
                &[
                    SafetyConcern::LinkedToPerpetrator,
                    SafetyConcern::PriorHarm,
                    SafetyConcern::ConfidentialityRisk,
                    SafetyConcern::Other,
                ],
            ),
        })
        .collect();
    let home_coordinates = match rng.below(7) {
        0 => None,
        1 => Some(Coordinates::new(world.centre.0, world.centre.1).unwrap()),
        _ => Some(
            Coordinates::new(
                (world.centre.0 + rng.range_f64(-0.05, 0.05)).clamp(-90.0, 90.0),
                wrap_lon(world.centre.1 + rng.range_f64(-0.05, 0.05)),
            )
            .unwrap(),
        ),
    };
    MatchRequest {
        case_id: CaseId::new("c").unwrap(),
        person: person(rng),
        home_area: area(pick(
            rng,
            &[
                &["BD", "Khulna", "Jashore", "Sadar"][..],
                &["BD", "khulna", "JASHORE", "Sharsha"],
                &["BD", "Khulna", "Satkhira", "Kaliganj"],
                &["BD", "Dhaka", "Mirpur"],
                &["KH", "Banteay Meanchey", "Poipet"],
                &["BD"],
            ],
        )),
        home_coordinates,
        travel_limit_km: pick(
            rng,
            &[
                None,
                None,
                Some(0.0),
                Some(2.0),
                Some(10.0),
                Some(30.0),
                Some(70.0),
                Some(150.0),
                Some(20_000.0),
            ],
        ),
        needs: needs(rng),
        preferences: Preferences {
            female_staff: rng.chance(0.4),
            survivor_led: rng.chance(0.3),
            trauma_informed: rng.chance(0.3),
        },
        vetoes,
        safety_flags,
        formally_identified: rng.chance(0.3),
        has_court_order: rng.chance(0.2),
        has_referral_letter: rng.chance(0.3),
        can_pay: match rng.below(4) {
            0 => Some(Money {
                amount: 200,
                currency: "BDT".into(),
            }),
            1 => Some(Money {
                amount: 10,
                currency: "USD".into(),
            }),
            _ => None,
        },
        at: pick(
            rng,
            &[
                now(),
                at_utc(2026, 5, 31, 18, 30),
                at_utc(2026, 6, 1, 4, 30),
            ],
        ),
        time_zone: pick(rng, &[None, Some("Asia/Dhaka"), Some("America/Lima")])
            .map(|z| TimeZone::new(z).unwrap()),
        viewer: Default::default(),
    }
}

fn config(rng: &mut SplitMix64) -> MatchConfig {
    let mut c = MatchConfig::default();
    if rng.chance(0.5) {
        return c;
    }
    c.top_n = pick(rng, &[1, 3, 10, 25]);
    c.max_near_misses = pick(rng, &[0, 1, 3, 10, 40]);
    c.near_miss_reach = pick(rng, &[1.0, 1.5, 2.0, 3.0]);
    c.comfortable_capacity = pick(rng, &[1, 5, 10, 40]);
    c.default_travel_limit_km = pick(rng, &[0.0, 20.0, 50.0, 300.0]);
    if rng.chance(0.4) {
        let mut w = || pick(rng, &[0.0, 0.1, 0.25, 1.0, 3.0]);
        c.weights = ScoreWeights {
            distance: w(),
            language: w(),
            preferences: w(),
            cost: w(),
            capacity: w(),
            several_needs: w(),
        };
        if c.weights.distance + c.weights.language == 0.0 {
            c.weights.distance = 0.5;
        }
    }
    c
}

/// A request or configuration the engine must refuse, each with a different fault.
fn spoil(rng: &mut SplitMix64, req: &mut MatchRequest, config: &mut MatchConfig) {
    match rng.below(8) {
        0 => req.travel_limit_km = Some(-1.0),
        1 => {
            req.needs = vec![
                DomainKey::new("food").unwrap(),
                DomainKey::new("food").unwrap(),
            ]
        }
        2 => {
            req.can_pay = Some(Money {
                amount: 1,
                currency: "bdt".into(),
            })
        }
        3 => config.top_n = 0,
        4 => {
            config.weights = ScoreWeights {
                distance: 0.0,
                language: 0.0,
                preferences: 0.0,
                cost: 0.0,
                capacity: 0.0,
                several_needs: 0.0,
            }
        }
        5 => config.near_miss_reach = 0.5,
        6 => {
            req.needs = (0..70)
                .map(|i| DomainKey::new(&format!("need_{i}")).unwrap())
                .collect()
        }
        _ => {
            req.person.birth = Some(Birth::DateOfBirth {
                date: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            })
        }
    }
}

fn prioritisation(rng: &mut SplitMix64, req: &MatchRequest) -> (Prioritisation, PlanConfig) {
    let levels = [
        Level::InCrisis,
        Level::Vulnerable,
        Level::Safe,
        Level::BuildingCapacity,
        Level::Thriving,
    ];
    let urgencies = [
        Urgency::RedFlag,
        Urgency::Urgent,
        Urgency::High,
        Urgency::Medium,
        Urgency::Low,
    ];
    let mut domains = req.needs.clone();
    if rng.chance(0.3) {
        domains.push(DomainKey::new(pick(rng, &DOMAINS)).unwrap());
        domains.dedup();
    }
    let items = domains
        .into_iter()
        .enumerate()
        .map(|(i, domain)| {
            let level = rng.chance(0.85).then(|| pick(rng, &levels));
            let reasons = match rng.below(4) {
                0 => vec![PriorityReason::OwnRank {
                    rank: 1 + i as u32,
                    points: 20,
                }],
                1 => vec![PriorityReason::NotNow],
                _ => level
                    .map(|level| {
                        vec![PriorityReason::OwnLevel {
                            level,
                            points: 10 * (6 - level as u32),
                        }]
                    })
                    .unwrap_or_default(),
            };
            PriorityItem {
                position: 1 + i as u32,
                domain,
                rating: level.map_or(Rating::NotAssessed, Rating::Level),
                level,
                urgency: pick(rng, &urgencies),
                score: rng.below(100) as u32,
                respond_within_minutes: None,
                referable: rng.chance(0.85),
                reasons,
            }
        })
        .collect();
    let p = Prioritisation {
        assessment_id: AssessmentId::new("a").unwrap(),
        case_id: req.case_id.clone(),
        assessed_at: req.at,
        items,
        not_rated: vec![],
    };
    let pc = PlanConfig {
        plan_up_to_level: pick(rng, &levels),
        same_provider_tolerance: pick(rng, &[0.0, 0.05, 0.1, 0.3, 1.0, 1.5]),
    };
    (p, pc)
}

fn gap_query(rng: &mut SplitMix64) -> GapQuery {
    let areas = if rng.chance(0.05) {
        vec![]
    } else {
        (0..1 + rng.below(4))
            .map(|_| area(pick(rng, &AREAS)))
            .collect()
    };
    let needs = if rng.chance(0.4) {
        vec![]
    } else {
        let mut n: Vec<DomainKey> = DOMAINS
            .iter()
            .filter(|_| rng.chance(0.4))
            .map(|k| DomainKey::new(k).unwrap())
            .collect();
        if rng.chance(0.2) {
            n.push(DomainKey::new("not_in_any_directory").unwrap());
        }
        n
    };
    let languages = (0..rng.below(3))
        .map(|_| AreaLanguages {
            area: area(pick(rng, &AREAS)),
            languages: languages(rng),
        })
        .collect();
    GapQuery {
        areas,
        needs,
        languages,
    }
}

/// An answer as canonical JSON: the value, or `{"error": message}`.
fn canonical<T: Serialize, E: std::fmt::Display>(r: &Result<T, E>) -> String {
    match r {
        Ok(v) => serde_json::to_string(v).unwrap(),
        Err(e) => serde_json::to_string(&json!({ "error": e.to_string() })).unwrap(),
    }
}

/// Collects the answers: their hashes, and the few kept whole (the sample, or one asked for).
struct Sink {
    answers: Vec<String>,
    chunks: Vec<(usize, usize, String)>,
    chunk: Sha256,
    in_chunk: usize,
    keep: Box<dyn Fn(usize, bool, usize) -> bool>,
    kept: Vec<(usize, Value, String)>,
}

impl Sink {
    fn new(keep: Box<dyn Fn(usize, bool, usize) -> bool>) -> Self {
        Self {
            answers: Vec::new(),
            chunks: Vec::new(),
            chunk: Sha256::new(),
            in_chunk: 0,
            keep,
            kept: Vec::new(),
        }
    }

    /// One answer; `small` when its input is small enough to show whole.
    fn answer(&mut self, small: bool, input: impl FnOnce() -> Value, output: String) {
        let i = self.answers.len();
        if (self.keep)(i, small, self.kept.len()) {
            self.kept.push((i, input(), output.clone()));
        }
        let hex = format!("{:x}", Sha256::digest(output.as_bytes()));
        self.answers.push(hex[..ANSWER_HEX].to_owned());
        self.chunk.update(output.as_bytes());
        self.chunk.update(b"\n");
        self.in_chunk += 1;
        if self.in_chunk == CHUNK {
            self.close_chunk();
        }
    }

    fn close_chunk(&mut self) {
        if self.in_chunk > 0 {
            let h = std::mem::replace(&mut self.chunk, Sha256::new()).finalize();
            self.chunks
                .push((self.chunks.len(), self.in_chunk, format!("{h:x}")));
            self.in_chunk = 0;
        }
    }
}

/// Generates every question, asks it, and hands the answer to `sink`. Returns how many match
/// queries were asked (plans and gap tables come on top).
fn corpus(sink: &mut Sink) -> usize {
    let mut match_queries = 0;
    for (fault, d) in invalid_directories() {
        let r = MatchIndex::new(d.clone());
        sink.answer(
            false,
            || json!({"invalid_directory": fault}),
            canonical(&r.map(|_| "indexed")),
        );
    }
    for w in 0..WORLDS {
        let world = World::nth(w);
        let d = world.directory();
        // Small enough to show whole in the sample, and not empty.
        let small = (2..=8).contains(&world.size);
        let describe_world = || {
            if small {
                json!({"world": world.describe(), "directory": d})
            } else {
                json!({"world": world.describe()})
            }
        };
        let index = match MatchIndex::new(d.clone()) {
            Ok(i) => i,
            Err(e) => {
                sink.answer(small, describe_world, canonical::<(), _>(&Err(e)));
                continue;
            }
        };
        let mut rng = SplitMix64::new(world.seed ^ 0x9e37_79b9);
        for q in 0..world.queries() {
            let mut req = request(&mut rng, &world, &d);
            let mut cfg = config(&mut rng);
            if rng.chance(0.03) {
                spoil(&mut rng, &mut req, &mut cfg);
            }
            let g = gate(&mut rng, &d);
            let result = g.with(|gate| index.match_case(&req, &cfg, gate));
            match_queries += 1;
            sink.answer(
                small,
                || json!({"query": q, "on": describe_world(), "request": req, "config": cfg, "gate": g.describe()}),
                canonical(&result),
            );
            if q % 6 == 0 {
                let (p, pc) = prioritisation(&mut rng, &req);
                let plan = g.with(|gate| index.plan(&p, &req, &cfg, &pc, gate));
                sink.answer(
                    small,
                    || json!({"plan_after_query": q, "on": describe_world(), "prioritisation": p,
                              "plan_config": pc, "request": req, "config": cfg, "gate": g.describe()}),
                    canonical(&plan),
                );
            }
        }
        for g in 0..10 {
            let query = gap_query(&mut rng);
            let rows = index.gaps(&query);
            sink.answer(
                small,
                || json!({"gaps": g, "on": describe_world(), "query": query}),
                canonical(&rows),
            );
        }
        for u in 0..3 {
            let cohort: Vec<MatchRequest> = (0..rng.below(12))
                .map(|_| request(&mut rng, &world, &d))
                .collect();
            let depth = 1 + rng.below(4) as usize;
            let cfg = config(&mut rng);
            let g = gate(&mut rng, &d);
            let rows = g.with(|gate| index.unmet_needs(&cohort, depth, &cfg, gate));
            sink.answer(
                small,
                || {
                    json!({"unmet_needs": u, "on": describe_world(), "cohort": cohort,
                          "depth": depth, "config": cfg, "gate": g.describe()})
                },
                canonical(&rows),
            );
        }
    }
    sink.close_chunk();
    match_queries
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The sample: small inputs spread over the corpus.
fn sample_keep() -> Box<dyn Fn(usize, bool, usize) -> bool> {
    Box::new(|i, small, kept| small && kept < SAMPLE && i % 37 == 0)
}

fn show(index: usize) -> (Value, String) {
    let mut sink = Sink::new(Box::new(move |i, _, _| i == index));
    corpus(&mut sink);
    let (_, input, output) = sink.kept.pop().expect("no answer with that index");
    (input, output)
}

#[test]
fn matching_answers_as_recorded() {
    if let Ok(i) = std::env::var("BESIDE_GOLDEN_SHOW") {
        let (input, output) = show(i.parse().unwrap());
        println!(
            "input:\n{}\nanswer:\n{output}",
            serde_json::to_string_pretty(&input).unwrap()
        );
        return;
    }
    let mut sink = Sink::new(sample_keep());
    let queries = corpus(&mut sink);
    assert!(queries >= 10_000, "only {queries} match queries");
    let dir = golden_dir();
    let chunks: String = sink
        .chunks
        .iter()
        .map(|(i, n, h)| format!("{i} {n} {h}\n"))
        .collect();
    let answers: String = sink.answers.iter().map(|h| format!("{h}\n")).collect();
    if std::env::var("BESIDE_GOLDEN_WRITE").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("matching.sha256"), &chunks).unwrap();
        std::fs::write(dir.join("matching.answers"), &answers).unwrap();
        let sample: Vec<Value> = sink
            .kept
            .iter()
            .map(|(i, input, output)| {
                json!({"answer": i, "input": input,
                       "output": serde_json::from_str::<Value>(output).unwrap()})
            })
            .collect();
        std::fs::write(
            dir.join("matching.sample.json"),
            serde_json::to_string_pretty(&sample).unwrap() + "\n",
        )
        .unwrap();
        println!(
            "recorded {} answers ({queries} match queries) in {} chunks",
            sink.answers.len(),
            sink.chunks.len()
        );
        return;
    }
    let want_chunks = std::fs::read_to_string(dir.join("matching.sha256")).unwrap();
    if want_chunks == chunks {
        return;
    }
    let want: Vec<String> = std::fs::read_to_string(dir.join("matching.answers"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let first_chunk = want_chunks
        .lines()
        .zip(chunks.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(want_chunks.lines().count().min(chunks.lines().count()));
    let differ: Vec<usize> = (0..want.len().max(sink.answers.len()))
        .filter(|&i| want.get(i) != sink.answers.get(i))
        .collect();
    let Some(&first) = differ.first() else {
        panic!("the chunk hashes differ (first at chunk {first_chunk}) but no answer does");
    };
    let (input, output) = show(first);
    let sample: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("matching.sample.json")).unwrap())
            .unwrap();
    let recorded = sample
        .iter()
        .find(|s| s["answer"] == json!(first))
        .map_or_else(
            || {
                format!(
                    "(not in the sample; its hash begins {}: run this test with \
                     BESIDE_GOLDEN_SHOW={first} at the commit that recorded it)",
                    want.get(first).map_or("(none)", String::as_str)
                )
            },
            |s| s["output"].to_string(),
        );
    panic!(
        "{} of {} answers differ from the golden record; first differing chunk {first_chunk}, \
         first differing answer {first}.\ninput:\n{}\nanswer now:\n{output}\nrecorded answer:\n{recorded}",
        differ.len(),
        want.len(),
        serde_json::to_string_pretty(&input).unwrap()
    );
}
