//! A differential test: the indexed query against a plain reference scan of the whole directory,
//! written from the rules (not from the engine's helpers), on random small directories built to
//! tie often (shared places, few distinct attribute values).

use super::index::canonical_language;
use super::*;
use crate::directory::{
    Cost, Directory, Eligibility, GenderServed, Location, Organization, Service, ServiceStatus,
};
use beside_core::rng::SplitMix64;
use beside_core::{
    place::EARTH_RADIUS_KM, AreaPath, Birth, CaseId, Coordinates, CountryCode, DomainKey, Gender,
    LanguageCode, LocationId, OrganizationId, OrganizationKind, Person, PersonId, ServiceId,
};
use chrono::{NaiveDate, TimeZone, Utc};

const DOMAINS: [&str; 3] = ["shelter", "food", "legal"];
const AREAS: [&[&str]; 5] = [
    &["BD"],
    &["BD", "Khulna"],
    &["BD", "Khulna", "Jashore"],
    &["BD", "Khulna", "Satkhira"],
    &["BD", "Dhaka", "Mirpur"],
];
/// Offsets from home in degrees: the same few places again and again, so distances tie.
const OFFSETS: [(f64, f64); 6] = [
    (0.0, 0.0),
    (0.02, 0.0),
    (0.0, -0.02),
    (0.2, 0.1),
    (-0.45, 0.3),
    (0.9, -0.9),
];
const HOME: (f64, f64) = (23.17, 89.21);

fn area(i: u64) -> AreaPath {
    AreaPath::new(AREAS[i as usize % AREAS.len()].iter().copied()).unwrap()
}

fn directory(rng: &mut SplitMix64) -> Directory {
    let orgs = 1 + rng.below(5) as usize;
    let mut d = Directory {
        organizations: Vec::new(),
        services: Vec::new(),
        locations: Vec::new(),
    };
    for o in 0..orgs {
        let kind = *rng.pick(&OrganizationKind::ALL).unwrap();
        let id = OrganizationId::new(format!("o{o}")).unwrap();
        d.organizations.push(Organization {
            id: id.clone(),
            name: format!("org {o}"),
            kind,
            survivor_led: rng.chance(0.3),
            description: None,
            urls: Vec::new(),
        });
        for l in 0..1 + rng.below(2) {
            let (dla, dlo) = OFFSETS[rng.below(OFFSETS.len() as u64) as usize];
            d.locations.push(Location {
                id: LocationId::new(format!("l{o}-{l}")).unwrap(),
                organization_id: id.clone(),
                name: "place".into(),
                area: AreaPath::new(["BD", "Khulna", "Jashore", "Sadar"]).unwrap(),
                coordinates: (!rng.chance(0.1))
                    .then(|| Coordinates::new(HOME.0 + dla, HOME.1 + dlo).unwrap()),
            });
        }
    }
    let services = 1 + rng.below(24);
    for s in 0..services {
        let o = rng.below(orgs as u64) as usize;
        let org = d.organizations[o].id.clone();
        let locs: Vec<LocationId> = d
            .locations
            .iter()
            .filter(|l| l.organization_id == org)
            .map(|l| l.id.clone())
            .filter(|_| rng.chance(0.7))
            .collect();
        let mut domains: Vec<DomainKey> = DOMAINS
            .iter()
            .filter(|_| rng.chance(0.5))
            .map(|k| DomainKey::new(k).unwrap())
            .collect();
        if domains.is_empty() {
            domains.push(DomainKey::new(DOMAINS[s as usize % 3]).unwrap());
        }
        let pick = |rng: &mut SplitMix64, p| rng.chance(p);
        d.services.push(Service {
            id: ServiceId::new(format!("s{:02}", rng.below(100) * 100 + s)).unwrap(),
            organization_id: org,
            name: "service".into(),
            domains,
            status: if pick(rng, 0.85) {
                ServiceStatus::Active
            } else {
                ServiceStatus::Inactive
            },
            eligibility: Eligibility {
                min_age: pick(rng, 0.2).then_some(18),
                max_age: pick(rng, 0.1).then_some(20),
                genders: if pick(rng, 0.2) {
                    vec![GenderServed::Female]
                } else {
                    vec![]
                },
                nationalities: if pick(rng, 0.1) {
                    vec![CountryCode::new("BD").unwrap()]
                } else {
                    vec![]
                },
                requires_formal_identification: pick(rng, 0.1),
            },
            languages: match rng.below(4) {
                0 => vec![],
                1 => vec![LanguageCode::new("en").unwrap()],
                _ => vec![LanguageCode::new("ben").unwrap()],
            },
            interpretation_available: pick(rng, 0.3),
            cost: match rng.below(4) {
                0 => Cost::Unknown,
                1 => Cost::Fee {
                    amount: 100 * (1 + rng.below(3)),
                    currency: "BDT".into(),
                },
                _ => Cost::Free,
            },
            capacity: match rng.below(4) {
                0 => None,
                1 => Some(0),
                2 => Some(5),
                _ => Some(20),
            },
            requires_court_order: pick(rng, 0.2),
            requires_referral_letter: pick(rng, 0.2),
            female_staff: pick(rng, 0.5),
            trauma_informed: pick(rng, 0.5),
            service_extents: Vec::new(),
            service_areas: match rng.below(6) {
                0 | 1 => vec![],
                2 => vec![area(rng.below(5)), area(rng.below(5))],
                _ => vec![area(rng.below(5))],
            },
            location_ids: locs,
            outreach: pick(rng, 0.15),
            urls: Vec::new(),
        });
    }
    d.services.sort_by(|a, b| a.id.cmp(&b.id));
    d.services.dedup_by(|a, b| a.id == b.id);
    d
}

fn request(rng: &mut SplitMix64, d: &Directory) -> (MatchRequest, MatchConfig, Vec<String>) {
    let org = |rng: &mut SplitMix64| {
        d.organizations[rng.below(d.organizations.len() as u64) as usize]
            .id
            .clone()
    };
    let mut vetoes = Vec::new();
    if rng.chance(0.3) {
        vetoes.push(Veto::Kind {
            kind: *rng.pick(&OrganizationKind::ALL).unwrap(),
        });
    }
    if rng.chance(0.2) {
        vetoes.push(Veto::Organization { id: org(rng) });
    }
    if rng.chance(0.1) {
        vetoes.push(Veto::Service {
            id: d.services[0].id.clone(),
        });
    }
    if rng.chance(0.1) {
        vetoes.push(Veto::Area {
            area: AreaPath::new(["BD", "Khulna", "Jashore", "Sadar"]).unwrap(),
        });
    }
    let safety_flags = if rng.chance(0.2) {
        vec![SafetyFlag {
            organization_id: org(rng),
            concern: SafetyConcern::PriorHarm,
        }]
    } else {
        vec![]
    };
    let mut needs: Vec<DomainKey> = DOMAINS
        .iter()
        .filter(|_| rng.chance(0.6))
        .map(|k| DomainKey::new(k).unwrap())
        .collect();
    if needs.is_empty() || rng.chance(0.1) {
        needs.push(DomainKey::new("not_in_directory").unwrap());
    }
    let req = MatchRequest {
        case_id: CaseId::new("c").unwrap(),
        person: Person {
            id: PersonId::new("p").unwrap(),
            birth: rng.chance(0.8).then(|| Birth::ApproximateAge {
                years: [16, 19, 40][rng.below(3) as usize],
                recorded_on: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            }),
            gender: [Gender::Female, Gender::Male, Gender::NotStated][rng.below(3) as usize]
                .clone(),
            languages: match rng.below(3) {
                0 => vec![LanguageCode::new("bn").unwrap()],
                1 => vec![
                    LanguageCode::new("en").unwrap(),
                    LanguageCode::new("bn").unwrap(),
                ],
                _ => vec![],
            },
            nationality: rng.chance(0.5).then(|| CountryCode::new("BD").unwrap()),
        },
        home_area: AreaPath::new(["BD", "Khulna", "Jashore", "Sadar"]).unwrap(),
        home_coordinates: (!rng.chance(0.15)).then(|| Coordinates::new(HOME.0, HOME.1).unwrap()),
        travel_limit_km: [None, Some(0.0), Some(3.0), Some(30.0), Some(70.0)]
            [rng.below(5) as usize],
        needs,
        preferences: Preferences {
            female_staff: rng.chance(0.5),
            survivor_led: rng.chance(0.3),
            trauma_informed: rng.chance(0.3),
        },
        vetoes,
        safety_flags,
        formally_identified: rng.chance(0.3),
        has_court_order: rng.chance(0.3),
        has_referral_letter: rng.chance(0.3),
        can_pay: rng.chance(0.5).then(|| Money {
            amount: 200,
            currency: ["BDT", "USD"][rng.below(2) as usize].into(),
        }),
        // On the birthdays (1 June: 17, 20, 41), and around their local midnight in Dhaka and
        // Lima.
        at: [
            Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 5, 31, 18, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 6, 1, 4, 30, 0).unwrap(),
        ][rng.below(3) as usize],
        time_zone: [None, Some("Asia/Dhaka"), Some("America/Lima")][rng.below(3) as usize]
            .map(|z| beside_core::TimeZone::new(z).unwrap()),
    };
    let mut config = MatchConfig {
        top_n: 1 + rng.below(6) as u32,
        max_near_misses: rng.below(5) as u32,
        ..MatchConfig::default()
    };
    if rng.chance(0.3) {
        config.weights.distance = 0.0;
    }
    let deny = d
        .organizations
        .iter()
        .filter(|_| rng.chance(0.2))
        .map(|o| o.id.as_str().to_owned())
        .collect();
    (req, config, deny)
}

struct Deny(Vec<String>);
impl ConsentGate for Deny {
    // Organisations not on the list are all permitted: their kind decides.
    fn named_organizations(&self) -> Option<Vec<OrganizationId>> {
        Some(
            self.0
                .iter()
                .map(|o| OrganizationId::new(o.as_str()).unwrap())
                .collect(),
        )
    }
    fn refusal(&self, o: &Organization, _: beside_core::Timestamp) -> Option<Vec<String>> {
        self.0
            .contains(&o.id.as_str().to_owned())
            .then(|| vec!["explicit_refusal".to_owned()])
    }
}

fn unit(c: &Coordinates) -> [f64; 3] {
    let (la, lo) = (c.latitude.to_radians(), c.longitude.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

fn chord2_of_km(km: f64) -> f64 {
    let c = 2.0
        * (km / (2.0 * EARTH_RADIUS_KM))
            .clamp(0.0, std::f64::consts::FRAC_PI_2)
            .sin();
    c * c
}

/// The reference: every service of the directory, every rule spelled out.
#[allow(clippy::type_complexity)]
fn reference(
    d: &Directory,
    req: &MatchRequest,
    config: &MatchConfig,
    deny: &[String],
) -> Vec<NeedMatch> {
    let limit = req
        .travel_limit_km
        .unwrap_or(config.default_travel_limit_km);
    let (limit2, reach2) = (
        chord2_of_km(limit),
        chord2_of_km(limit * config.near_miss_reach),
    );
    let age = req.person.age_on(req.calendar().local_date(req.at));
    let home = req.home_coordinates.as_ref().map(unit);
    let w = &config.weights;
    let ws = [
        w.distance,
        w.language,
        w.preferences,
        w.cost,
        w.capacity,
        w.several_needs,
    ];
    let total: f64 =
        w.distance + w.language + w.preferences + w.cost + w.capacity + w.several_needs;
    let person_langs: Vec<LanguageCode> = req
        .person
        .languages
        .iter()
        .map(canonical_language)
        .collect();
    let mut out = Vec::new();
    for need in &req.needs {
        let mut considered = 0;
        let mut counts = [0u32; 11];
        let mut passing: Vec<(f64, Option<f64>, &Service, [f64; 6], [FactorBasis; 6])> = vec![];
        let mut near: Vec<(Option<f64>, &Service, Exclusion, f64)> = vec![];
        for s in d.services.iter().filter(|s| s.domains.contains(need)) {
            let org = d
                .organizations
                .iter()
                .find(|o| o.id == s.organization_id)
                .unwrap();
            let locs: Vec<&Location> = s
                .location_ids
                .iter()
                .filter_map(|id| d.locations.iter().find(|l| l.id == *id))
                .collect();
            let c2 = home.and_then(|h| {
                locs.iter()
                    .filter_map(|l| l.coordinates.as_ref())
                    .map(|c| {
                        let u = unit(c);
                        (0..3).map(|i| (h[i] - u[i]) * (h[i] - u[i])).sum::<f64>()
                    })
                    .min_by(f64::total_cmp)
            });
            // Outreach with a service area goes wherever its areas are; with none, as far
            // from its base as the person would travel.
            let by_area = s.outreach && !s.service_areas.is_empty();
            if !by_area && c2.is_some_and(|c| c > reach2) {
                continue;
            }
            considered += 1;
            let km = c2.map(|c| 2.0 * EARTH_RADIUS_KM * (c.max(0.0).sqrt() / 2.0).min(1.0).asin());
            let veto = req.vetoes.iter().find(|v| match v {
                Veto::Organization { id } => *id == org.id,
                Veto::Kind { kind } => *kind == org.kind,
                Veto::Service { id } => *id == s.id,
                Veto::Area { area } => locs.iter().any(|l| area.contains(&l.area)),
            });
            let flag = req
                .safety_flags
                .iter()
                .find(|f| f.organization_id == org.id);
            let in_area = if !s.service_areas.is_empty() {
                s.service_areas.iter().any(|a| a.contains(&req.home_area))
            } else {
                c2.is_some()
                    || s.outreach && locs.is_empty()
                    || locs.iter().any(|l| {
                        l.area
                            .truncated(l.area.depth().saturating_sub(1).max(1))
                            .contains(&req.home_area)
                    })
            };
            let e = &s.eligibility;
            let mut fails: Vec<Exclusion> = vec![];
            if s.status != ServiceStatus::Active {
                fails.push(Exclusion::Inactive { status: s.status });
            }
            if s.capacity == Some(0) {
                fails.push(Exclusion::NoCapacity { capacity: 0 });
            }
            if let Some(a) = age {
                if e.min_age.is_some_and(|m| a < m) || e.max_age.is_some_and(|m| a > m) {
                    fails.push(Exclusion::AgeOutsideRange {
                        age: a,
                        min_age: e.min_age,
                        max_age: e.max_age,
                    });
                }
            }
            let served = |g: &Gender| match g {
                Gender::Female => e.genders.contains(&GenderServed::Female),
                Gender::Male => e.genders.contains(&GenderServed::Male),
                Gender::ThirdGender => e.genders.contains(&GenderServed::ThirdGender),
                _ => false,
            };
            if !e.genders.is_empty() && !served(&req.person.gender) {
                fails.push(Exclusion::GenderNotServed {
                    served: e.genders.clone(),
                });
            }
            if !e.nationalities.is_empty()
                && !req
                    .person
                    .nationality
                    .as_ref()
                    .is_some_and(|n| e.nationalities.contains(n))
            {
                fails.push(Exclusion::NationalityNotServed {
                    served: e.nationalities.iter().map(|c| c.to_string()).collect(),
                });
            }
            if e.requires_formal_identification && !req.formally_identified {
                fails.push(Exclusion::RequiresFormalIdentification);
            }
            if !in_area {
                fails.push(Exclusion::OutsideServiceArea {
                    home_area: req.home_area.clone(),
                });
            }
            if let Some(v) = veto {
                fails.push(Exclusion::Vetoed { veto: v.clone() });
            }
            if let Some(f) = flag {
                fails.push(Exclusion::FlaggedUnsafe { concern: f.concern });
            }
            let beyond = !by_area && c2.is_some_and(|c| c > limit2);
            let refused = deny.contains(&org.id.as_str().to_owned());
            if beyond {
                counts[ExclusionCode::BeyondTravelLimit as usize] += 1;
                if !fails.is_empty() || refused {
                    continue;
                }
                fails.push(Exclusion::BeyondTravelLimit {
                    distance_km: km.unwrap(),
                    limit_km: limit,
                });
            } else {
                if fails.len() <= 1 && refused {
                    fails.push(Exclusion::NoConsent {
                        reasons: vec!["explicit_refusal".into()],
                    });
                }
                for f in &fails {
                    counts[f.code() as usize] += 1;
                }
            }
            // The soft scores, factor by factor.
            let (vd, bd) = if s.outreach {
                (1.0, FactorBasis::Outreach)
            } else {
                match km {
                    Some(k) => (
                        if limit > 0.0 {
                            (1.0 - k / limit).clamp(0.0, 1.0)
                        } else {
                            1.0
                        },
                        FactorBasis::Distance {
                            distance_km: k,
                            limit_km: limit,
                        },
                    ),
                    None => (0.5, FactorBasis::DistanceUnknown),
                }
            };
            let speaks: Vec<LanguageCode> = s.languages.iter().map(canonical_language).collect();
            let (vl, bl) = match person_langs.iter().find(|l| speaks.contains(l)) {
                Some(l) => (1.0, FactorBasis::SharedLanguage { language: *l }),
                None if s.interpretation_available => (0.6, FactorBasis::Interpretation),
                None if s.languages.is_empty() => (0.5, FactorBasis::LanguageUnknown),
                None => (0.0, FactorBasis::NoSharedLanguage),
            };
            let p = &req.preferences;
            let wanted = p.female_staff as u32 + p.survivor_led as u32 + p.trauma_informed as u32;
            let met = (p.female_staff && s.female_staff) as u32
                + (p.survivor_led
                    && (org.survivor_led || org.kind == OrganizationKind::SurvivorLed))
                    as u32
                + (p.trauma_informed && s.trauma_informed) as u32;
            let (vp, bp) = if wanted == 0 {
                (1.0, FactorBasis::NoPreferences)
            } else {
                (
                    f64::from(met) / f64::from(wanted),
                    FactorBasis::PreferencesMet { met, wanted },
                )
            };
            let (vc, bc) = match &s.cost {
                Cost::Free => (1.0, FactorBasis::Free),
                Cost::Unknown => (0.5, FactorBasis::CostUnknown),
                Cost::Fee { amount, currency } => match &req.can_pay {
                    Some(m) if m.currency == *currency && *amount <= m.amount => (
                        0.7,
                        FactorBasis::Affordable {
                            fee: *amount,
                            can_pay: m.amount,
                        },
                    ),
                    Some(m) if m.currency == *currency => (
                        0.0,
                        FactorBasis::Unaffordable {
                            fee: *amount,
                            can_pay: m.amount,
                        },
                    ),
                    _ => (0.4, FactorBasis::FeeUnknownMeans { fee: *amount }),
                },
            };
            let (vk, bk) = match s.capacity {
                None => (1.0, FactorBasis::NoFixedLimit),
                Some(c) => (
                    (c as f64 / f64::from(config.comfortable_capacity)).clamp(0.0, 1.0),
                    FactorBasis::OpenPlaces { places: c },
                ),
            };
            let covered = req.needs.iter().filter(|n| s.domains.contains(n)).count() as u32;
            let requested = req.needs.len() as u32;
            let vs = if requested <= 1 {
                1.0
            } else {
                f64::from(covered - 1) / f64::from(requested - 1)
            };
            let values = [vd, vl, vp, vc, vk, vs];
            let score = values.iter().zip(ws).map(|(v, w)| v * w).sum::<f64>() / total;
            let bases = [
                bd,
                bl,
                bp,
                bc,
                bk,
                FactorBasis::NeedsCovered { covered, requested },
            ];
            match fails.as_slice() {
                [] => passing.push((score, km, s, values, bases)),
                [one] if one.code().may_be_near_miss() => near.push((km, s, one.clone(), score)),
                _ => {}
            }
        }
        let by_distance = |a: &Option<f64>, b: &Option<f64>| match (a, b) {
            (Some(x), Some(y)) => x.total_cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        passing.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(by_distance(&a.1, &b.1))
                .then(a.2.id.cmp(&b.2.id))
        });
        near.sort_by(|a, b| by_distance(&a.0, &b.0).then(a.1.id.cmp(&b.1.id)));
        let factors = [
            Factor::Distance,
            Factor::Language,
            Factor::Preferences,
            Factor::Cost,
            Factor::Capacity,
            Factor::SeveralNeeds,
        ];
        out.push(NeedMatch {
            domain: need.clone(),
            considered,
            eligible: passing.len() as u32,
            candidates: passing
                .iter()
                .take(config.top_n as usize)
                .map(|(score, km, s, values, bases)| {
                    let org = d
                        .organizations
                        .iter()
                        .find(|o| o.id == s.organization_id)
                        .unwrap();
                    let mut pathway = vec![];
                    if s.requires_court_order && !req.has_court_order {
                        pathway.push(PathwayStep::ObtainCourtOrder);
                    }
                    if s.requires_referral_letter && !req.has_referral_letter {
                        pathway.push(PathwayStep::ObtainReferralLetter);
                    }
                    Candidate {
                        service_id: s.id.clone(),
                        organization_id: s.organization_id.clone(),
                        organization_kind: org.kind,
                        score: *score,
                        factors: std::array::from_fn(|i| ScoreFactor {
                            factor: factors[i],
                            value: values[i],
                            weight: ws[i] / total,
                            points: values[i] * ws[i] / total,
                            basis: bases[i].clone(),
                        }),
                        pathway,
                        distance_km: *km,
                        also_covers: req
                            .needs
                            .iter()
                            .filter(|n| *n != need && s.domains.contains(n))
                            .cloned()
                            .collect(),
                    }
                })
                .collect(),
            near_misses: near
                .into_iter()
                .take(config.max_near_misses as usize)
                .map(|(_, s, exclusion, score)| NearMiss {
                    service_id: s.id.clone(),
                    organization_id: s.organization_id.clone(),
                    exclusion,
                    score_if_included: score,
                })
                .collect(),
            exclusions: ExclusionCode::ALL
                .iter()
                .zip(counts)
                .filter(|(_, n)| *n > 0)
                .map(|(code, count)| ExclusionCount { code: *code, count })
                .collect(),
        });
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// The indexed query answers exactly as the reference scan: same candidates in the same
    /// order (ties broken by distance, then service id) with the same scores and breakdowns,
    /// same near misses with the same reasons, same counts.
    #[test]
    fn the_index_answers_as_a_plain_scan(seed in proptest::prelude::any::<u64>()) {
        let mut rng = SplitMix64::new(seed);
        let d = directory(&mut rng);
        let index = MatchIndex::new(d.clone()).unwrap();
        for _ in 0..4 {
            let (req, config, deny) = request(&mut rng, &d);
            let got = index.match_case(&req, &config, &Deny(deny.clone())).unwrap();
            let want = reference(&d, &req, &config, &deny);
            proptest::prop_assert_eq!(got.needs, want);
            // With no consent to ask, outreach outside the person's area is counted from tallies.
            let got = index.match_case(&req, &config, &ConsentNotChecked).unwrap();
            let want = reference(&d, &req, &config, &[]);
            proptest::prop_assert_eq!(got.needs, want);
        }
    }
}
