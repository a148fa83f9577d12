//! The bundled sample data loads, validates and says what it promises.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use beside::core::{AreaPath, Gender, OrganizationKind};
use beside::samples;
use std::collections::HashSet;

#[test]
fn the_directory_validates_and_covers_six_areas() {
    let d = samples::directory().unwrap();
    assert!(d.organizations.len() >= 60, "{}", d.organizations.len());
    let districts: HashSet<String> = d
        .locations
        .iter()
        .map(|l| {
            let depth = if l.area.country() == Some("BD") { 3 } else { 2 };
            l.area.truncated(depth).to_string()
        })
        .collect();
    let bd = districts.iter().filter(|a| a.starts_with("BD")).count();
    let kh = districts.iter().filter(|a| a.starts_with("KH")).count();
    assert!(bd >= 4 && kh >= 2, "{districts:?}");
    for kind in [
        OrganizationKind::Government,
        OrganizationKind::Police,
        OrganizationKind::Court,
        OrganizationKind::Ngo,
        OrganizationKind::SurvivorLed,
        OrganizationKind::Community,
        OrganizationKind::Religious,
        OrganizationKind::Employer,
        OrganizationKind::FamilyInformal,
    ] {
        assert!(d.organizations.iter().any(|o| o.kind == kind), "{kind:?}");
    }
    assert!(d.services.iter().any(|s| s.requires_court_order));
    assert!(d.services.iter().any(|s| s.capacity == Some(0)));
    assert!(d
        .services
        .iter()
        .any(|s| s.status != beside::referral::ServiceStatus::Active));
}

#[test]
fn the_cases_cover_the_situations_the_brief_names() {
    let cases = samples::cases().unwrap();
    assert!(cases.len() >= 12);
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let minors = cases
        .iter()
        .filter(|c| c.person.age_on(on).is_some_and(|a| a < 18))
        .count();
    assert!(minors >= 2);
    assert!(cases.iter().any(|c| c.person.gender == Gender::Male));
    assert!(cases
        .iter()
        .any(|c| c.guardians.iter().any(|g| g.implicated_in_harm)));
    assert!(cases.iter().any(|c| !c.debts.is_empty()));
    let kh = AreaPath::new(["KH"]).unwrap();
    assert!(cases.iter().any(|c| kh.contains(&c.home_area)));
    let ids: HashSet<&str> = cases.iter().map(|c| c.case_id.as_str()).collect();
    assert_eq!(ids.len(), cases.len());
}

#[test]
fn a_broken_sample_names_the_field() {
    let broken = samples::DIRECTORY_JSON.replacen("\"capacity\": ", "\"capacity\": -", 1);
    let err = beside::core::from_json::<beside::referral::Directory>(&broken).unwrap_err();
    let first = err.first().unwrap();
    assert!(first.path.starts_with("services["), "{err}");
    assert!(first.path.ends_with("].capacity"), "{err}");
}
