//! The bundled sample assessments, checked against the default catalogue and the sample cases.
#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use beside::needs::{Change, Prioritiser};
use beside::samples;
use std::collections::BTreeSet;

#[test]
fn every_sample_assessment_validates_and_names_a_sample_case() {
    let cases = samples::cases().unwrap();
    let assessments = samples::needs::assessments().unwrap();
    let case_ids: BTreeSet<&str> = cases.iter().map(|c| c.case_id.as_str()).collect();
    let catalogue = beside::needs::Catalogue::standard();
    for a in &assessments {
        catalogue
            .validate_assessment(a, chrono::Utc::now())
            .unwrap();
        assert!(
            case_ids.contains(a.case_id.as_str()),
            "{} names {}",
            a.id,
            a.case_id
        );
        let case = cases.iter().find(|c| c.case_id == a.case_id).unwrap();
        assert!(a.assessed_at.date_naive() >= case.opened_on, "{}", a.id);
        assert!(a.assessed_at.date_naive() < chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    }
    // At least one assessment per sample case.
    for id in &case_ids {
        assert!(
            assessments.iter().any(|a| a.case_id.as_str() == *id),
            "{id}"
        );
    }
    // Every one prioritises.
    let p = Prioritiser::standard();
    for a in &assessments {
        let list = p.prioritise(a).unwrap();
        assert!(!list.items.is_empty(), "{}", a.id);
    }
}

#[test]
fn case_01_journey_has_three_dated_assessments_and_a_setback() {
    let journey = samples::needs::assessments_of("case-01").unwrap();
    let ids: Vec<&str> = journey.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["asmt-01-1", "asmt-01-2", "asmt-01-3"]);
    let span = journey[2].assessed_at - journey[0].assessed_at;
    assert!(
        (240..=300).contains(&span.num_days()),
        "{}",
        span.num_days()
    );
    let p = Prioritiser::standard();
    let c = p.compare(&journey[1], &journey[2]).unwrap();
    assert!(c.setbacks >= 1);
    assert!(matches!(
        c.change("debt").unwrap().change,
        Change::Worsened { .. }
    ));
    let c = p.compare(&journey[0], &journey[1]).unwrap();
    assert!(c.improved > c.worsened);
}

#[test]
fn red_flag_cases_put_the_flag_first() {
    let p = Prioritiser::standard();
    for a in samples::needs::assessments().unwrap() {
        let list = p.prioritise(&a).unwrap();
        if !a.red_flags.is_empty() {
            assert!(list.items[0].respond_within_minutes.is_some(), "{}", a.id);
        }
        for item in list.items.iter().filter(|i| a.not_now.contains(&i.domain)) {
            assert!(!item.referable);
        }
    }
}
