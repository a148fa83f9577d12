//! Unit tests of matching on a small hand-made directory.

use super::*;
use crate::directory::Directory;
use crate::whereabouts::Viewer;
use beside_core::{from_json_at, AreaPath, CaseId, Coordinates, DomainKey, OrganizationId, Person};
use chrono::{TimeZone, Utc};

fn now() -> beside_core::Timestamp {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

const DIR: &str = r#"{
  "organizations": [
    {"id": "ngo", "name": "Shelter NGO", "kind": "ngo"},
    {"id": "gov", "name": "Safe Home", "kind": "government"},
    {"id": "pol", "name": "Police", "kind": "police"},
    {"id": "slg", "name": "Survivor group", "kind": "survivor_led", "survivor_led": true},
    {"id": "far", "name": "Far NGO", "kind": "ngo"}
  ],
  "locations": [
    {"id": "l-ngo", "organization_id": "ngo", "name": "a", "area": ["BD", "Khulna", "Jashore", "Sadar"],
     "coordinates": {"latitude": 23.17, "longitude": 89.21}},
    {"id": "l-gov", "organization_id": "gov", "name": "b", "area": ["BD", "Khulna", "Jashore", "Sadar"],
     "coordinates": {"latitude": 23.16, "longitude": 89.20}},
    {"id": "l-pol", "organization_id": "pol", "name": "c", "area": ["BD", "Khulna", "Jashore", "Sadar"],
     "coordinates": {"latitude": 23.165, "longitude": 89.205}},
    {"id": "l-slg", "organization_id": "slg", "name": "d", "area": ["BD", "Khulna", "Jashore", "Sharsha"],
     "coordinates": {"latitude": 23.06, "longitude": 88.96}},
    {"id": "l-far", "organization_id": "far", "name": "e", "area": ["BD", "Dhaka", "Dhaka", "Mirpur"],
     "coordinates": {"latitude": 23.82, "longitude": 90.36}}
  ],
  "services": [
    {"id": "s-ngo-shelter", "organization_id": "ngo", "name": "Shelter", "domains": ["shelter", "food"],
     "status": "active", "cost": {"kind": "free"}, "capacity": 3, "languages": ["bn"],
     "female_staff": true, "requires_referral_letter": true, "location_ids": ["l-ngo"]},
    {"id": "s-gov-shelter", "organization_id": "gov", "name": "Safe home", "domains": ["shelter"],
     "status": "active", "cost": {"kind": "free"}, "capacity": 20, "languages": ["bn"],
     "requires_court_order": true, "location_ids": ["l-gov"]},
    {"id": "s-pol-safety", "organization_id": "pol", "name": "Protection", "domains": ["safety", "shelter"],
     "status": "active", "cost": {"kind": "free"}, "languages": ["bn"], "location_ids": ["l-pol"]},
    {"id": "s-slg-peer", "organization_id": "slg", "name": "Peer support", "domains": ["peer_support", "shelter"],
     "status": "active", "cost": {"kind": "free"}, "languages": ["ben"], "outreach": true,
     "service_areas": [["BD", "Khulna", "Jashore"]], "location_ids": ["l-slg"]},
    {"id": "s-far-shelter", "organization_id": "far", "name": "Far shelter", "domains": ["shelter"],
     "status": "active", "cost": {"kind": "free"}, "capacity": 0, "languages": ["bn"], "location_ids": ["l-far"]},
    {"id": "s-ngo-closed", "organization_id": "ngo", "name": "Closed", "domains": ["shelter"],
     "status": "inactive", "cost": {"kind": "free"}, "languages": ["bn"], "location_ids": ["l-ngo"]}
  ]
}"#;

fn index() -> MatchIndex {
    let d: Directory = from_json_at(DIR, now()).unwrap();
    MatchIndex::new(d).unwrap()
}

fn request(needs: &[&str]) -> MatchRequest {
    let person: Person = serde_json::from_str(
        r#"{"id": "p1", "gender": "female", "languages": ["bn"],
            "birth": {"kind": "date_of_birth", "date": "2000-01-01"}}"#,
    )
    .unwrap();
    MatchRequest {
        case_id: CaseId::new("c1").unwrap(),
        person,
        home_area: AreaPath::new(["BD", "Khulna", "Jashore", "Sadar"]).unwrap(),
        home_coordinates: Some(Coordinates::new(23.17, 89.21).unwrap()),
        travel_limit_km: Some(30.0),
        needs: needs.iter().map(|n| DomainKey::new(n).unwrap()).collect(),
        preferences: Preferences::default(),
        vetoes: vec![],
        safety_flags: vec![],
        formally_identified: false,
        has_court_order: false,
        has_referral_letter: false,
        can_pay: None,
        at: now(),
        time_zone: None,
        viewer: Viewer::Public,
    }
}

fn ids(m: &NeedMatch) -> Vec<&str> {
    m.candidates.iter().map(|c| c.service_id.as_str()).collect()
}

#[test]
fn ranks_with_pathways_and_breakdown() {
    let r = index()
        .match_case(
            &request(&["shelter", "food"]),
            &MatchConfig::default(),
            &ConsentNotChecked,
        )
        .unwrap();
    assert!(!r.consent_checked);
    let shelter = &r.needs[0];
    assert_eq!(
        ids(shelter),
        // By hand: the NGO covers both needs at distance 0 but has 3 places (0.93); police at
        // 0.7 km (0.893); the safe home at 1.5 km (0.885); the outreach group covers one need
        // and scores 0.5 for reaching her area (0.75).
        vec![
            "s-ngo-shelter",
            "s-pol-safety",
            "s-gov-shelter",
            "s-slg-peer"
        ]
    );
    let ngo = &shelter.candidates[0];
    assert_eq!(ngo.pathway, vec![PathwayStep::ObtainReferralLetter]);
    assert_eq!(ngo.also_covers, vec![DomainKey::new("food").unwrap()]);
    let gov = &shelter.candidates[2];
    assert_eq!(gov.pathway, vec![PathwayStep::ObtainCourtOrder]);
    for c in &shelter.candidates {
        let sum: f64 = c.factors.iter().map(|f| f.points).sum();
        assert!((sum - c.score).abs() < 1e-9);
        assert!((0.0..=1.0).contains(&c.score));
    }
    // The closed service is a near miss; the far one with no capacity is not looked at.
    assert_eq!(shelter.near_misses.len(), 1);
    assert_eq!(shelter.near_misses[0].service_id.as_str(), "s-ngo-closed");
    assert_eq!(
        shelter.near_misses[0].exclusion.code(),
        ExclusionCode::Inactive
    );
}

#[test]
fn vetoes_and_safety_flags_always_win_and_are_never_near_misses() {
    let mut req = request(&["shelter"]);
    req.vetoes.push(Veto::Kind {
        kind: beside_core::OrganizationKind::Police,
    });
    req.safety_flags.push(SafetyFlag {
        organization_id: OrganizationId::new("slg").unwrap(),
        concern: SafetyConcern::LinkedToPerpetrator,
    });
    let r = index()
        .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
        .unwrap();
    let shelter = &r.needs[0];
    // One need: the safe home's 20 places outweigh the NGO's 3 (0.98 against 0.93).
    assert_eq!(ids(shelter), vec!["s-gov-shelter", "s-ngo-shelter"]);
    assert!(shelter
        .near_misses
        .iter()
        .all(|n| n.exclusion.code().may_be_near_miss()));
    let codes: Vec<ExclusionCode> = shelter.exclusions.iter().map(|e| e.code).collect();
    assert!(codes.contains(&ExclusionCode::Vetoed));
    assert!(codes.contains(&ExclusionCode::FlaggedUnsafe));
}

struct DenyOrg(&'static str);
impl ConsentGate for DenyOrg {
    fn refusal(
        &self,
        o: &crate::directory::Organization,
        _: beside_core::Timestamp,
    ) -> Option<Vec<String>> {
        (o.id.as_str() == self.0).then(|| vec!["explicit_refusal".to_owned()])
    }
}

#[test]
fn no_consent_excludes_and_says_why() {
    let r = index()
        .match_case(
            &request(&["shelter"]),
            &MatchConfig::default(),
            &DenyOrg("ngo"),
        )
        .unwrap();
    assert!(r.consent_checked);
    let shelter = &r.needs[0];
    assert!(!ids(shelter).contains(&"s-ngo-shelter"));
    let miss = shelter
        .near_misses
        .iter()
        .find(|n| n.service_id.as_str() == "s-ngo-shelter")
        .unwrap();
    assert_eq!(
        miss.exclusion,
        Exclusion::NoConsent {
            reasons: vec!["explicit_refusal".into()]
        }
    );
}

#[test]
fn travel_limit_and_eligibility() {
    let mut req = request(&["shelter"]);
    req.travel_limit_km = Some(0.5);
    req.person.gender = beside_core::Gender::Male;
    let r = index()
        .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
        .unwrap();
    // Outreach still reaches home; the rest are beyond 0.5 km except the NGO at the door.
    let got = ids(&r.needs[0]);
    assert!(got.contains(&"s-slg-peer"));
    assert!(!got.contains(&"s-gov-shelter"));
}

/// A girls' shelter for under-18s, and a girl who turns 18 on 15 March 2026.
const CHILDREN: &str = r#"{
  "organizations": [{"id": "kids", "name": "Children's shelter", "kind": "ngo"}],
  "locations": [{"id": "l-kids", "organization_id": "kids", "name": "a",
    "area": ["BD", "Khulna", "Jashore", "Sadar"], "coordinates": {"latitude": 23.17, "longitude": 89.21}}],
  "services": [{"id": "s-kids", "organization_id": "kids", "name": "Shelter", "domains": ["shelter"],
    "status": "active", "cost": {"kind": "free"}, "languages": ["bn"],
    "eligibility": {"max_age": 17}, "location_ids": ["l-kids"]}]
}"#;

fn girl_at(at: beside_core::Timestamp, zone: Option<&str>) -> MatchRequest {
    let mut req = request(&["shelter"]);
    req.person.birth = Some(beside_core::Birth::DateOfBirth {
        date: chrono::NaiveDate::from_ymd_opt(2008, 3, 15).unwrap(),
    });
    req.at = at;
    req.time_zone = zone.map(|z| beside_core::TimeZone::new(z).unwrap());
    req
}

fn served(req: &MatchRequest) -> bool {
    let d: Directory = from_json_at(CHILDREN, now()).unwrap();
    let r = MatchIndex::new(d)
        .unwrap()
        .match_case(req, &MatchConfig::default(), &ConsentNotChecked)
        .unwrap();
    let need = &r.needs[0];
    let served = ids(need) == ["s-kids"];
    let excluded = need.near_misses.iter().any(|m| {
        m.service_id.as_str() == "s-kids"
            && matches!(
                m.exclusion,
                Exclusion::AgeOutsideRange {
                    age: 18,
                    max_age: Some(17),
                    ..
                }
            )
    });
    assert!(served != excluded, "{need:?}");
    served
}

/// The age limit of a service (max_age 17) is judged on the person's calendar: east of UTC
/// (Dhaka, taken from the home country BD) she ages at local midnight, 18:00 UTC the day
/// before; west of UTC (Lima) 23:30 on the eve is already the birthday in UTC, but she is
/// still 17.
#[test]
fn age_eligibility_across_local_midnight() {
    let utc = |d, h, m| Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap();
    // Dhaka: 23:59 on the eve, then 00:30 on the birthday (18:30 UTC on the 14th).
    assert!(served(&girl_at(utc(14, 17, 59), None)));
    assert!(!served(&girl_at(utc(14, 18, 30), None)));
    assert!(!served(&girl_at(utc(14, 18, 30), Some("Asia/Dhaka"))));
    // Read in UTC, 18:30 on the 14th is still the eve.
    assert!(served(&girl_at(utc(14, 18, 30), Some("UTC"))));
    // Lima: 23:30 on the eve is 04:30 UTC on the birthday.
    assert!(served(&girl_at(utc(15, 4, 30), Some("America/Lima"))));
    assert!(!served(&girl_at(utc(15, 4, 30), Some("UTC"))));
    assert!(!served(&girl_at(utc(15, 5, 0), Some("America/Lima"))));
    // A request built from a case carries the case's calendar.
    let case: beside_core::CaseProfile = from_json_at(
        r#"{"case_id": "c1", "person": {"id": "p1", "gender": "female"},
            "opened_on": "2025-01-01", "home_area": ["BD", "Khulna", "Jashore", "Sadar"],
            "return_journey": {"route": "own_way"}, "family": "mixed"}"#,
        now(),
    )
    .unwrap();
    let req = MatchRequest::from_case(&case, vec![], now());
    assert_eq!(req.time_zone.map(|z| z.name()), Some("Asia/Dhaka"));
}

#[test]
fn an_unknown_time_zone_in_a_request_says_how_to_write_one() {
    let mut json = serde_json::to_value(request(&["shelter"])).unwrap();
    json["time_zone"] = "Dhaka".into();
    let e = beside_core::from_json_at::<MatchRequest>(&json.to_string(), now())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(
            "time_zone: unknown time zone `Dhaka`; write an IANA id such as `Asia/Dhaka`"
        ),
        "{e}"
    );
}

#[test]
fn bad_requests_are_typed_errors() {
    let mut req = request(&["shelter", "shelter"]);
    req.travel_limit_km = Some(-1.0);
    let err = index()
        .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("travel_limit_km: must be >= 0, got -1"),
        "{err}"
    );
    assert!(err.contains("needs[1]: duplicate `shelter`"), "{err}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Whatever the vetoes, flags and preferences, no vetoed or unsafe provider is ever
    /// proposed, the output is deterministic, and scores stay within 0..1.
    #[test]
    fn vetoes_always_win(veto_org in proptest::sample::select(vec!["ngo", "gov", "pol", "slg", "far"]),
                          flag_org in proptest::sample::select(vec!["ngo", "gov", "pol", "slg", "far"]),
                          kind in proptest::sample::select(beside_core::OrganizationKind::ALL.to_vec()),
                          female in proptest::bool::ANY, limit in 0.0f64..300.0) {
        let idx = index();
        let mut req = request(&["shelter", "food", "safety", "peer_support"]);
        req.travel_limit_km = Some(limit);
        req.preferences.female_staff = female;
        req.vetoes = vec![
            Veto::Organization { id: OrganizationId::new(veto_org).unwrap() },
            Veto::Kind { kind },
        ];
        req.safety_flags = vec![SafetyFlag {
            organization_id: OrganizationId::new(flag_org).unwrap(),
            concern: SafetyConcern::PriorHarm,
        }];
        let a = idx.match_case(&req, &MatchConfig::default(), &ConsentNotChecked).unwrap();
        let b = idx.match_case(&req, &MatchConfig::default(), &ConsentNotChecked).unwrap();
        proptest::prop_assert_eq!(&a, &b);
        for need in &a.needs {
            for c in &need.candidates {
                proptest::prop_assert_ne!(c.organization_id.as_str(), veto_org);
                proptest::prop_assert_ne!(c.organization_id.as_str(), flag_org);
                proptest::prop_assert_ne!(c.organization_kind, kind);
                proptest::prop_assert!((0.0..=1.0).contains(&c.score));
            }
            for n in &need.near_misses {
                proptest::prop_assert_ne!(n.organization_id.as_str(), veto_org);
                proptest::prop_assert_ne!(n.organization_id.as_str(), flag_org);
            }
        }
    }
}

/// Issue 14, point 6: a national helpline (outreach, the whole country as its service area)
/// used to get full distance points wherever the person lived, so it outranked the local
/// in-person NGO for mental health. Outreach that reaches her area now scores
/// `outreach_reach` (0.5 by default) for distance.
#[test]
fn the_local_ngo_outranks_the_national_line_for_mental_health() {
    let d: Directory = from_json_at(
        r#"{
      "organizations": [
        {"id": "line", "name": "National helpline", "kind": "ngo"},
        {"id": "local", "name": "Jashore counselling", "kind": "ngo"}],
      "locations": [
        {"id": "l-local", "organization_id": "local", "name": "Office",
         "area": ["BD", "Khulna", "Jashore", "Sadar"],
         "coordinates": {"latitude": 23.18, "longitude": 89.22}}],
      "services": [
        {"id": "s-line", "organization_id": "line", "name": "Helpline", "domains": ["mental_health"],
         "status": "active", "cost": {"kind": "free"}, "languages": ["bn"], "outreach": true,
         "service_areas": [["BD"]]},
        {"id": "s-local", "organization_id": "local", "name": "Counselling",
         "domains": ["mental_health"], "status": "active", "cost": {"kind": "free"},
         "languages": ["bn"], "location_ids": ["l-local"]}]
    }"#,
        now(),
    )
    .unwrap();
    let index = MatchIndex::new(d).unwrap();
    let req = request(&["mental_health"]);
    let r = index
        .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
        .unwrap();
    assert_eq!(ids(&r.needs[0]), vec!["s-local", "s-line"]);
    let line = &r.needs[0].candidates[1].factors[0];
    assert_eq!(line.basis, FactorBasis::Outreach);
    assert_eq!(line.value, 0.5);
    // The NGO 1.5 km away, against a 30 km limit: 0.95 for distance.
    assert!(r.needs[0].candidates[0].factors[0].value > 0.94);
    // With full distance points for outreach, as before the change, the line comes first.
    let before = MatchConfig {
        outreach_reach: 1.0,
        ..MatchConfig::default()
    };
    let r = index.match_case(&req, &before, &ConsentNotChecked).unwrap();
    assert_eq!(ids(&r.needs[0]), vec!["s-line", "s-local"]);
}

/// Jashore district drawn as a rectangle (about 88.9–89.4 E, 22.9–23.4 N), with a hole
/// where the publisher says it does not go; Narail, the next district, lies east of 89.4.
const DRAWN: &str = r#"{
  "organizations": [{"id": "ngo", "name": "Legal NGO", "kind": "ngo"},
                    {"id": "slg", "name": "Survivor group", "kind": "survivor_led"}],
  "locations": [
    {"id": "l-ngo", "organization_id": "ngo", "name": "a", "area": ["BD", "Khulna", "Jashore", "Sadar"],
     "coordinates": {"latitude": 23.17, "longitude": 89.21}},
    {"id": "l-slg", "organization_id": "slg", "name": "b", "area": ["BD", "Khulna", "Jashore", "Sadar"],
     "coordinates": {"latitude": 23.16, "longitude": 89.20}}
  ],
  "services": [
    {"id": "s-legal", "organization_id": "ngo", "name": "Legal aid", "domains": ["legal"],
     "status": "active", "cost": {"kind": "free"}, "languages": ["bn"], "location_ids": ["l-ngo"],
     "service_extents": [{"type": "Polygon", "coordinates": [
       [[88.9, 22.9], [89.4, 22.9], [89.4, 23.4], [88.9, 23.4], [88.9, 22.9]],
       [[89.0, 23.0], [89.1, 23.0], [89.1, 23.1], [89.0, 23.1], [89.0, 23.0]]]}]},
    {"id": "s-visits", "organization_id": "slg", "name": "Home visits", "domains": ["peer_support"],
     "status": "active", "cost": {"kind": "free"}, "languages": ["bn"], "location_ids": ["l-slg"],
     "outreach": true, "service_areas": [["BD", "Khulna", "Jashore"]],
     "service_extents": [{"type": "MultiPolygon", "coordinates": [
       [[[88.9, 22.9], [89.4, 22.9], [89.4, 23.4], [88.9, 23.4], [88.9, 22.9]]],
       [[[90.3, 23.7], [90.5, 23.7], [90.5, 23.9], [90.3, 23.9], [90.3, 23.7]]]]}]}
  ]
}"#;

fn drawn() -> MatchIndex {
    MatchIndex::new(from_json_at(DRAWN, now()).unwrap()).unwrap()
}

fn at_home(needs: &[&str], area: &[&str], home: Option<(f64, f64)>) -> MatchRequest {
    MatchRequest {
        home_area: AreaPath::new(area.iter().copied()).unwrap(),
        home_coordinates: home.map(|(la, lo)| Coordinates::new(la, lo).unwrap()),
        ..request(needs)
    }
}

fn outside_by(m: &NeedMatch) -> Vec<(&str, AreaTest)> {
    m.near_misses
        .iter()
        .filter_map(|n| match &n.exclusion {
            Exclusion::OutsideServiceArea { decided_by, .. } => {
                Some((n.service_id.as_str(), *decided_by))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_person_in_the_next_district_is_not_offered_a_service_drawn_elsewhere() {
    let index = drawn();
    let config = MatchConfig::default();
    let narail = ["BD", "Khulna", "Narail", "Sadar"];
    // 24 km east of the office, within her 30 km, but outside the drawn district.
    let r = index
        .match_case(
            &at_home(&["legal"], &narail, Some((23.17, 89.44))),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    let legal = &r.needs[0];
    assert!(legal.candidates.is_empty(), "{:?}", ids(legal));
    assert_eq!(outside_by(legal), [("s-legal", AreaTest::Shape)]);
    assert_eq!(
        legal.exclusions,
        [ExclusionCount {
            code: ExclusionCode::OutsideServiceArea,
            count: 1
        }]
    );
    // Her neighbour across the line, inside the shape, is offered it.
    let r = index
        .match_case(
            &at_home(&["legal"], &narail, Some((23.17, 89.39))),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    assert_eq!(ids(&r.needs[0]), ["s-legal"]);
    // In the hole: outside.
    let jashore = ["BD", "Khulna", "Jashore", "Sadar"];
    let r = index
        .match_case(
            &at_home(&["legal"], &jashore, Some((23.05, 89.05))),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    assert_eq!(outside_by(&r.needs[0]), [("s-legal", AreaTest::Shape)]);
    // Coordinates unknown and no named area: outside, and the figures say why.
    let r = index
        .match_case(
            &at_home(&["legal"], &jashore, None),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    assert!(r.needs[0].candidates.is_empty());
    assert_eq!(
        outside_by(&r.needs[0]),
        [("s-legal", AreaTest::ShapeWithoutCoordinates)]
    );
}

#[test]
fn a_named_area_or_a_shape_suffices_for_outreach() {
    let index = drawn();
    let config = MatchConfig::default();
    // In Mirpur, 140 km away, inside the outreach service's second polygon: outreach goes
    // wherever its areas are, so distance does not exclude it.
    let r = index
        .match_case(
            &at_home(
                &["peer_support"],
                &["BD", "Dhaka", "Dhaka", "Mirpur"],
                Some((23.8, 90.36)),
            ),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    assert_eq!(ids(&r.needs[0]), ["s-visits"]);
    // In Jashore without coordinates: the named area places her.
    let r = index
        .match_case(
            &at_home(&["peer_support"], &["BD", "Khulna", "Jashore"], None),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    assert_eq!(ids(&r.needs[0]), ["s-visits"]);
    // In Narail, outside both: the shape decided (the named area said no too).
    let r = index
        .match_case(
            &at_home(
                &["peer_support"],
                &["BD", "Khulna", "Narail"],
                Some((23.17, 89.5)),
            ),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    assert_eq!(outside_by(&r.needs[0]), [("s-visits", AreaTest::Shape)]);
}

#[test]
fn gaps_list_a_drawn_service_where_its_office_lies_inside_its_shape() {
    let mut d: Directory = from_json_at(DRAWN, now()).unwrap();
    // The same office, its area drawn over Narail only.
    let mut narail_only = d.services[0].clone();
    narail_only.id = beside_core::ServiceId::new("s-narail").unwrap();
    narail_only.service_extents = vec![crate::area::AreaShape::polygon(
        vec![
            [89.4, 22.9],
            [89.8, 22.9],
            [89.8, 23.4],
            [89.4, 23.4],
            [89.4, 22.9],
        ],
        vec![],
    )];
    d.services.push(narail_only);
    let index = MatchIndex::new(d).unwrap();
    let rows = index
        .gaps(&crate::gaps::GapQuery {
            areas: vec![AreaPath::new(["BD", "Khulna", "Jashore"]).unwrap()],
            needs: vec![DomainKey::new("legal").unwrap()],
            languages: vec![],
        })
        .unwrap();
    // The Narail-only service's office lies in Jashore, outside its shape: not listed there.
    assert_eq!((rows[0].listed, rows[0].reachable), (1, 1));
    let rows = index
        .gaps(&crate::gaps::GapQuery {
            areas: vec![AreaPath::new(["BD", "Khulna", "Narail"]).unwrap()],
            needs: vec![DomainKey::new("legal").unwrap()],
            languages: vec![],
        })
        .unwrap();
    assert_eq!(rows[0].listed, 0);
}

#[test]
fn outreach_with_only_a_drawn_area_reaches_her_by_her_coordinates() {
    let mut d: Directory = from_json_at(DRAWN, now()).unwrap();
    // Home visits with no named area: only its two polygons say where it goes.
    d.services[1].service_areas.clear();
    let index = MatchIndex::new(d).unwrap();
    let config = MatchConfig::default();
    let mirpur = ["BD", "Dhaka", "Dhaka", "Mirpur"];
    let r = index
        .match_case(
            &at_home(&["peer_support"], &mirpur, Some((23.8, 90.36))),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    assert_eq!(ids(&r.needs[0]), ["s-visits"]);
    // 140 km from its base, it scores outreach_reach for distance, as a named area would.
    let distance = r.needs[0].candidates[0]
        .factors
        .iter()
        .find(|f| f.factor == Factor::Distance)
        .unwrap();
    assert_eq!(distance.value, config.outreach_reach);
    // Her coordinates unknown: the shapes cannot place her, and nothing else can.
    let r = index
        .match_case(
            &at_home(&["peer_support"], &mirpur, None),
            &config,
            &ConsentNotChecked,
        )
        .unwrap();
    assert!(r.needs[0].candidates.is_empty());
    assert_eq!(
        outside_by(&r.needs[0]),
        [("s-visits", AreaTest::ShapeWithoutCoordinates)]
    );
}

/// The small directory with the safe home's location confidential, disclosed to the NGO.
fn index_with_confidential_safe_home() -> MatchIndex {
    let text = DIR.replace(
        r#"{"id": "l-gov", "organization_id": "gov", "name": "b","#,
        r#"{"id": "l-gov", "organization_id": "gov", "name": "b", "address": "7 Hidden Lane",
            "confidential": {"disclosed_to": ["ngo"]},"#,
    );
    let d: Directory = from_json_at(&text, now()).unwrap();
    assert!(d.locations[1].confidential.is_some());
    MatchIndex::new(d).unwrap()
}

fn viewer(id: &str) -> Viewer {
    Viewer::Organization {
        id: OrganizationId::new(id).unwrap(),
    }
}

#[test]
fn a_confidential_place_is_matched_with_a_band_for_the_unentitled_only() {
    let index = index_with_confidential_safe_home();
    let run = |v: Viewer| {
        let mut req = request(&["shelter", "food"]);
        req.viewer = v;
        index
            .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
            .unwrap()
    };
    let exact = run(Viewer::Keeper);
    for v in [Viewer::Public, viewer("pol"), viewer("far")] {
        let shown = run(v.clone());
        // The same services are eligible (the travel limit used the true distance), ranked by
        // the scores shown.
        assert_eq!(shown.needs[0].eligible, exact.needs[0].eligible, "{v:?}");
        let mut sorted = ids(&shown.needs[0]);
        sorted.sort_unstable();
        let mut exact_sorted = ids(&exact.needs[0]);
        exact_sorted.sort_unstable();
        assert_eq!(sorted, exact_sorted);
        let scores: Vec<f64> = shown.needs[0].candidates.iter().map(|c| c.score).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        let gov = shown.needs[0]
            .candidates
            .iter()
            .find(|c| c.service_id.as_str() == "s-gov-shelter")
            .unwrap();
        assert_eq!(gov.distance_km, None);
        assert_eq!(
            gov.withheld,
            Some(crate::whereabouts::Withheld {
                reason: crate::whereabouts::WithheldReason::ConfidentialLocation,
                distance_band: Some(crate::whereabouts::DistanceBand::Under5Km),
            })
        );
        assert!(
            matches!(
                gov.factors[0].basis,
                FactorBasis::DistanceBand { limit_km, .. } if limit_km == 30.0
            ),
            "{:?}",
            gov.factors[0].basis
        );
        // The score shown is the sum of the points shown, with the band's 2.5 km.
        let sum: f64 = gov.factors.iter().map(|f| f.points).sum();
        assert!((gov.score - sum).abs() < 1e-12);
        assert!((gov.factors[0].value - (1.0 - 2.5 / 30.0)).abs() < 1e-12);
        // Everything else is as the keeper sees it.
        let ngo = &shown.needs[0].candidates[0];
        assert_eq!(ngo, &exact.needs[0].candidates[0]);
        assert!(ngo.withheld.is_none() && ngo.distance_km.is_some());
    }
    // Its own organisation and the one it is disclosed to see the exact distance.
    for v in [viewer("gov"), viewer("ngo")] {
        assert_eq!(run(v), exact);
    }
    let gov = exact.needs[0]
        .candidates
        .iter()
        .find(|c| c.service_id.as_str() == "s-gov-shelter")
        .unwrap();
    assert!(gov.withheld.is_none() && gov.distance_km.is_some_and(|km| km > 1.0));
}

#[test]
fn a_confidential_near_miss_beyond_the_limit_gives_its_band() {
    let index = index_with_confidential_safe_home();
    let mut req = request(&["shelter"]);
    req.travel_limit_km = Some(1.0);
    let public = index
        .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
        .unwrap();
    let gov = public.needs[0]
        .near_misses
        .iter()
        .find(|n| n.service_id.as_str() == "s-gov-shelter")
        .unwrap();
    assert_eq!(
        gov.exclusion,
        Exclusion::BeyondTravelLimitBand {
            distance_band: crate::whereabouts::DistanceBand::Under5Km,
            limit_km: 1.0
        }
    );
    assert_eq!(gov.exclusion.code(), ExclusionCode::BeyondTravelLimit);
    assert!(gov.withheld.is_some());
    req.viewer = Viewer::Keeper;
    let keeper = index
        .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
        .unwrap();
    let gov = keeper.needs[0]
        .near_misses
        .iter()
        .find(|n| n.service_id.as_str() == "s-gov-shelter")
        .unwrap();
    assert!(
        matches!(gov.exclusion, Exclusion::BeyondTravelLimit { distance_km, .. } if distance_km > 1.0)
    );
}

#[test]
fn a_disclosure_to_an_unknown_organisation_is_refused_with_its_path() {
    let text = DIR.replace(
        r#"{"id": "l-gov", "organization_id": "gov", "name": "b","#,
        r#"{"id": "l-gov", "organization_id": "gov", "name": "b",
            "confidential": {"disclosed_to": ["ngo", "nobody"]},"#,
    );
    let err = from_json_at::<Directory>(&text, now()).unwrap_err();
    assert!(
        err.has_path("locations[1].confidential.disclosed_to[1]"),
        "{err}"
    );
    let unknown = DIR.replace(r#""name": "b","#, r#""name": "b", "confidental": {},"#);
    let err = from_json_at::<Directory>(&unknown, now())
        .unwrap_err()
        .to_string();
    assert!(err.contains("`confidential`"), "{err}");
}
