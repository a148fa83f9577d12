//! The benchmark's matching query, shared by `benches/referral.rs` and
//! `examples/match_output.rs` so that both measure the same request: a woman of 24 in a Khulna
//! district with five needs, a 40 km travel limit, two preferences and a veto of the police.

#![allow(dead_code)]

use beside::core::{
    AreaPath, CaseId, Coordinates, DomainKey, Gender, LanguageCode, Person, PersonId,
};
use beside::referral::matching::{MatchRequest, Preferences, Veto};
use chrono::{TimeZone, Utc};

/// The needs of the benchmark's query.
pub const NEEDS: [&str; 5] = ["shelter", "food", "mental_health", "legal", "livelihood"];

/// The benchmark's query.
pub fn request() -> MatchRequest {
    MatchRequest {
        case_id: CaseId::new("bench-case").unwrap(),
        person: Person {
            id: PersonId::new("bench-person").unwrap(),
            birth: Some(beside::core::Birth::ApproximateAge {
                years: 24,
                recorded_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            }),
            gender: Gender::Female,
            languages: vec![LanguageCode::new("bn").unwrap()],
            nationality: None,
        },
        home_area: AreaPath::new(["BD", "Khulna", "District 3"]).unwrap(),
        home_coordinates: Some(Coordinates::new(22.85, 89.54).unwrap()),
        travel_limit_km: Some(40.0),
        needs: NEEDS.iter().map(|n| DomainKey::new(n).unwrap()).collect(),
        preferences: Preferences {
            female_staff: true,
            survivor_led: false,
            trauma_informed: true,
        },
        vetoes: vec![Veto::Kind {
            kind: beside::core::OrganizationKind::Police,
        }],
        safety_flags: vec![],
        formally_identified: false,
        has_court_order: false,
        has_referral_letter: false,
        can_pay: None,
        at: Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap(),
        time_zone: None,
        viewer: Default::default(),
    }
}

/// The consent ledger of the first sample case that has one.
pub fn sample_ledger() -> beside::consent::ConsentLedger {
    beside::samples::cases()
        .unwrap()
        .iter()
        .find_map(|c| beside::samples::consent::ledger(c.case_id.as_str()).ok())
        .unwrap()
}
