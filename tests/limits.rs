//! Resource bounds (docs/limits.md): every count limit of every JSON entry point is accepted
//! exactly at the bound and refused one past it, with a typed error naming the field and the
//! bound (`Reason::TooMany { max, got }` at the field's path). The byte and nesting limits of
//! `parse_json` are tested beside it in `beside-core` (`json.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use beside::consent::ledger::MAX_RECORDS;
use beside::consent::minimise::MAX_FIELD_RULES;
use beside::consent::record::{MAX_RECIPIENTS, MAX_TEXT};
use beside::consent::{ConsentError, ConsentLedger, ConsentRecord, FieldMap};
use beside::core::case::{MAX_DEBTS, MAX_GUARDIANS};
use beside::core::id::MAX_ID_LEN;
use beside::core::person::MAX_LANGUAGES;
use beside::core::place::MAX_AREA_DEPTH;
use beside::core::{
    default_domain_keys, from_json_at, parse_json, AreaPath, CaseId, CaseProfile, FieldError,
    Reason, Timestamp, Validate,
};
use beside::needs::assessment::MAX_DOMAINS;
use beside::needs::Assessment;
use beside::referral::gaps::{GapQuery, MAX_GAP_AREAS};
use beside::referral::hsds::{self, HsdsError, ImportOptions};
use beside::referral::matching::request::{MAX_NEEDS, MAX_SAFETY_FLAGS, MAX_VETOES};
use beside::referral::matching::MatchRequest;
use beside::reintegration::timeline::{CaseTimeline, MAX_EVENTS};
use beside::reintegration::trajectory::MAX_ASSESSMENTS;
use beside::reintegration::{ReintegrationError, ReintegrationModel};
use beside::samples;
use chrono::{TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap()
}

/// The list at `pointer` replaced by `n` items, the `i`-th made by `item(i)`.
fn with_list(doc: &Value, pointer: &str, n: usize, item: impl Fn(usize) -> Value) -> String {
    let mut doc = doc.clone();
    *doc.pointer_mut(pointer).unwrap() = Value::Array((0..n).map(item).collect());
    doc.to_string()
}

/// `check` accepts `at(max)`, and refuses `at(max + 1)` with `TooMany { max, got: max + 1 }`
/// at `path`.
fn bound(
    path: &str,
    max: usize,
    at: impl Fn(usize) -> String,
    check: impl Fn(&str) -> Result<(), Vec<FieldError>>,
) {
    if let Err(e) = check(&at(max)) {
        panic!("{path}: {max} items must be accepted, got {e:?}");
    }
    let errors = check(&at(max + 1)).expect_err(path);
    let want = Reason::TooMany { max, got: max + 1 };
    assert!(
        errors.iter().any(|e| e.path == path && e.reason == want),
        "{path}: {} items must be refused with {want:?} at `{path}`, got {errors:?}",
        max + 1
    );
}

/// Read and validate `T` as `from_json` does.
fn validated<T: DeserializeOwned + Validate>(input: &str) -> Result<(), Vec<FieldError>> {
    from_json_at::<T>(input, now())
        .map(|_| ())
        .map_err(|e| e.errors)
}

fn consent_errors(e: ConsentError) -> Vec<FieldError> {
    match e {
        ConsentError::Invalid { errors } => errors.errors,
        other => panic!("expected an invalid input, got {other:?}"),
    }
}

fn first(all: &str) -> Value {
    serde_json::from_str::<Vec<Value>>(all).unwrap().remove(0)
}

#[test]
fn case_profile_lists() {
    let mut case = first(samples::CASES_JSON);
    case["guardians"] = json!([]);
    bound(
        "guardians",
        MAX_GUARDIANS,
        |n| {
            with_list(
                &case,
                "/guardians",
                n,
                |i| json!({"person_id": format!("g-{i}"), "relationship": "aunt", "implicated_in_harm": false}),
            )
        },
        validated::<CaseProfile>,
    );
    let debt = case["debts"][0].clone();
    bound(
        "debts",
        MAX_DEBTS,
        |n| with_list(&case, "/debts", n, |_| debt.clone()),
        validated::<CaseProfile>,
    );
    const CODES: [&str; 21] = [
        "bn", "en", "km", "ne", "hi", "ur", "th", "vi", "my", "fr", "de", "es", "pt", "ar", "zh",
        "ja", "ko", "ru", "it", "nl", "sw",
    ];
    assert!(CODES.len() > MAX_LANGUAGES);
    bound(
        "person.languages",
        MAX_LANGUAGES,
        |n| with_list(&case, "/person/languages", n, |i| json!(CODES[i])),
        validated::<CaseProfile>,
    );
}

#[test]
fn ids_and_area_paths() {
    let id = |n: usize| json!("x".repeat(n)).to_string();
    assert!(parse_json::<CaseId>(&id(MAX_ID_LEN), 1 << 20).is_ok());
    let err = parse_json::<CaseId>(&id(MAX_ID_LEN + 1), 1 << 20).unwrap_err();
    assert!(
        err.to_string().contains(&format!("at most {MAX_ID_LEN}")),
        "{err}"
    );
    assert!(
        CaseId::new("x".repeat(MAX_ID_LEN + 1)).is_err_and(|e| e.reason
            == Reason::TooLong {
                max: MAX_ID_LEN,
                got: MAX_ID_LEN + 1
            })
    );
    let path = |n: usize| -> Vec<String> {
        std::iter::once("BD".to_owned())
            .chain((1..n).map(|i| format!("Level {i}")))
            .collect()
    };
    assert!(AreaPath::new(path(MAX_AREA_DEPTH)).is_ok());
    assert_eq!(
        AreaPath::new(path(MAX_AREA_DEPTH + 1)).unwrap_err(),
        Reason::TooMany {
            max: MAX_AREA_DEPTH,
            got: MAX_AREA_DEPTH + 1
        }
    );
    // In a record read from JSON: the path of the area, the bound and the depth found.
    let query = json!({"areas": [["BD"]], "needs": []});
    bound(
        "areas[0]",
        MAX_AREA_DEPTH,
        |n| {
            with_list(&query, "/areas/0", n, |i| {
                json!(if i == 0 {
                    "BD".to_owned()
                } else {
                    format!("Level {i}")
                })
            })
        },
        validated::<GapQuery>,
    );
}

#[test]
fn assessment_ratings() {
    let a = first(samples::needs::ASSESSMENTS_JSON);
    let rating = a["ratings"][0]["rating"].clone();
    let strip = |mut a: Value| {
        a["own_priorities"] = json!([]);
        a["not_now"] = json!([]);
        a["red_flags"] = json!([]);
        a
    };
    let a = strip(a);
    bound(
        "ratings",
        MAX_DOMAINS,
        |n| {
            with_list(
                &a,
                "/ratings",
                n,
                |i| json!({"domain": format!("domain_{i}"), "rating": rating.clone()}),
            )
        },
        validated::<Assessment>,
    );
}

#[test]
fn consent_lists_and_texts() {
    let record = first(samples::consent::CONSENTS_JSON);
    bound(
        "recipients",
        MAX_RECIPIENTS,
        |n| {
            with_list(
                &record,
                "/recipients",
                n,
                |i| json!({"scope": "organization", "id": format!("org-{i}")}),
            )
        },
        validated::<ConsentRecord>,
    );
    // The ledger: its records, all of one case.
    let ledger = serde_json::to_value(samples::consent::ledger("case-01").unwrap()).unwrap();
    let one = ledger["records"][0].clone();
    bound(
        "records",
        MAX_RECORDS,
        |n| {
            with_list(&ledger, "/records", n, |i| {
                let mut r = one.clone();
                r["id"] = json!(format!("c-{i:04}"));
                r
            })
        },
        |text| {
            ConsentLedger::from_json_at(text, now())
                .map(|_| ())
                .map_err(consent_errors)
        },
    );
    bound(
        "rules",
        MAX_FIELD_RULES,
        |n| {
            json!({"rules": (0..n)
                .map(|i| json!({"path": format!("f{i}"), "category": "contact"}))
                .collect::<Vec<_>>()})
            .to_string()
        },
        validated::<FieldMap>,
    );
    // A revocation's reason, in characters.
    let reason = |n: usize| {
        let mut r = record.clone();
        r["revoked"] = json!({"at": r["granted_at"].clone(), "reason": "é".repeat(n)});
        r.to_string()
    };
    assert!(validated::<ConsentRecord>(&reason(MAX_TEXT)).is_ok());
    let errors = validated::<ConsentRecord>(&reason(MAX_TEXT + 1)).unwrap_err();
    assert!(
        errors.iter().any(|e| e.path == "revoked.reason"
            && e.reason
                == Reason::TooLong {
                    max: MAX_TEXT,
                    got: MAX_TEXT + 1
                }),
        "{errors:?}"
    );
}

#[test]
fn match_request_lists() {
    let case = samples::cases().unwrap().remove(0);
    let request =
        serde_json::to_value(MatchRequest::from_case(&case, default_domain_keys(), now())).unwrap();
    let need = request["needs"][0].clone();
    bound(
        "needs",
        MAX_NEEDS,
        |n| {
            with_list(&request, "/needs", n, |i| {
                let _ = &need;
                json!(format!("domain_{i}"))
            })
        },
        validated::<MatchRequest>,
    );
    bound(
        "vetoes",
        MAX_VETOES,
        |n| {
            with_list(
                &request,
                "/vetoes",
                n,
                |i| json!({"veto": "organization", "id": format!("org-{i}")}),
            )
        },
        validated::<MatchRequest>,
    );
    bound(
        "safety_flags",
        MAX_SAFETY_FLAGS,
        |n| {
            with_list(
                &request,
                "/safety_flags",
                n,
                |i| json!({"organization_id": format!("org-{i}"), "concern": "prior_harm"}),
            )
        },
        validated::<MatchRequest>,
    );
    let query = json!({"areas": [["BD"]], "needs": []});
    bound(
        "areas",
        MAX_GAP_AREAS,
        |n| with_list(&query, "/areas", n, |_| json!(["BD"])),
        validated::<GapQuery>,
    );
}

#[test]
fn timeline_events_and_trajectory_assessments() {
    let timeline = first(samples::journeys::JOURNEYS_JSON);
    let event = timeline["events"][0].clone();
    bound(
        "events",
        MAX_EVENTS,
        |n| {
            with_list(&timeline, "/events", n, |i| {
                let mut e = event.clone();
                e["id"] = json!(format!("ev-{i:05}"));
                e["event"] = json!({"kind": "joined_survivor_group"});
                e
            })
        },
        validated::<CaseTimeline>,
    );
    let a = samples::needs::assessments().unwrap().remove(0);
    let model = ReintegrationModel::default();
    let many = |n: usize| -> Vec<Assessment> {
        (0..n)
            .map(|i| {
                let mut x = a.clone();
                x.id = format!("asmt-{i:04}").parse().unwrap();
                x.assessed_at = a.assessed_at + chrono::Duration::hours(i as i64);
                x
            })
            .collect()
    };
    let check = |n: usize| {
        model
            .trajectory(&many(n), &[], None, now())
            .map(|_| ())
            .map_err(|e| match e {
                ReintegrationError::Invalid { errors } => errors.errors,
                other => panic!("expected an invalid input, got {other:?}"),
            })
    };
    assert!(check(MAX_ASSESSMENTS).is_ok());
    let errors = check(MAX_ASSESSMENTS + 1).unwrap_err();
    assert!(
        errors.iter().any(|e| e.path == "assessments"
            && e.reason
                == Reason::TooMany {
                    max: MAX_ASSESSMENTS,
                    got: MAX_ASSESSMENTS + 1
                }),
        "{errors:?}"
    );
}

#[test]
fn hsds_import_bytes_and_records() {
    let options = |max_input_bytes: usize, max_records: usize| ImportOptions {
        max_input_bytes,
        max_records,
        ..ImportOptions::default()
    };
    // Bytes: the fixture exactly at the limit, and one byte over it.
    let fixture = include_str!("fixtures/hsds/directory-3.1.json");
    let len = fixture.len();
    assert!(hsds::import_json(fixture, &options(len, usize::MAX)).is_ok());
    assert_eq!(
        hsds::import_json(fixture, &options(len - 1, usize::MAX)).unwrap_err(),
        HsdsError::TooLarge {
            max: len - 1,
            got: len
        }
    );
    // Records: a list of 50 organisations with a limit of 50, then of 49.
    let list = Value::Array(
        (0..50)
            .map(|i| json!({"id": format!("org-{i}"), "name": format!("Organisation {i}")}))
            .collect(),
    )
    .to_string();
    assert!(hsds::import_json(&list, &options(len, 50)).is_ok());
    assert_eq!(
        hsds::import_json(&list, &options(len, 49)).unwrap_err(),
        HsdsError::TooManyRecords { max: 49 }
    );
}

#[test]
fn assignment_problem_lists() {
    use beside::referral::assign::{AssignmentProblem, MAX_CASES, MAX_SERVICES};
    let problem = json!({"cases": [], "services": [], "eligible": []});
    bound(
        "cases",
        MAX_CASES,
        |n| with_list(&problem, "/cases", n, |i| json!({"id": format!("c{i}")})),
        validated::<AssignmentProblem>,
    );
    bound(
        "services",
        MAX_SERVICES,
        |n| {
            with_list(
                &problem,
                "/services",
                n,
                |i| json!({"id": format!("s{i}"), "capacity": 1}),
            )
        },
        validated::<AssignmentProblem>,
    );
}

#[test]
fn needs_catalogue_domains() {
    use beside::needs::Catalogue;
    let catalogue = serde_json::to_value(Catalogue::default()).unwrap();
    let domain = catalogue["domains"][0].clone();
    bound(
        "domains",
        MAX_DOMAINS,
        |n| {
            with_list(&catalogue, "/domains", n, |i| {
                let mut d = domain.clone();
                d["key"] = json!(format!("domain_{i}"));
                d
            })
        },
        validated::<Catalogue>,
    );
}

#[test]
fn outcome_profile_lists() {
    use beside::reintegration::outcome::{OutcomeProfile, MAX_OUTCOMES, MAX_OUTCOME_DOMAINS};
    let profile = serde_json::to_value(OutcomeProfile::default()).unwrap();
    let outcome = profile["outcomes"][0].clone();
    let weight = outcome["domains"][0].clone();
    bound(
        "outcomes",
        MAX_OUTCOMES,
        |n| {
            with_list(&profile, "/outcomes", n, |i| {
                let mut o = outcome.clone();
                o["key"] = json!(format!("outcome_{i}"));
                o
            })
        },
        validated::<OutcomeProfile>,
    );
    bound(
        "outcomes[0].domains",
        MAX_OUTCOME_DOMAINS,
        |n| {
            with_list(&profile, "/outcomes/0/domains", n, |i| {
                let mut d = weight.clone();
                d["domain"] = json!(format!("domain_{i}"));
                d
            })
        },
        validated::<OutcomeProfile>,
    );
}
