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
use beside::reintegration::timeline::{CaseTimeline, MAX_EVENTS, MAX_RISK_INPUTS};
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

/// The value at `pointer` replaced by `value`.
fn with_value(doc: &Value, pointer: &str, value: Value) -> String {
    let mut doc = doc.clone();
    *doc.pointer_mut(pointer).unwrap() = value;
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
    bound_with(path, max, Reason::TooMany { max, got: max + 1 }, at, check);
}

/// `check` accepts `at(max)`, and refuses `at(max + 1)` with `want` at `path`: `TooLong` for
/// a text of `max + 1` characters, `AboveMaximum` for a number one above `max`.
fn bound_with(
    path: &str,
    max: usize,
    want: Reason,
    at: impl Fn(usize) -> String,
    check: impl Fn(&str) -> Result<(), Vec<FieldError>>,
) {
    if let Err(e) = check(&at(max)) {
        panic!("{path}: {max} must be accepted, got {e:?}");
    }
    let errors = check(&at(max + 1)).expect_err(path);
    assert!(
        errors.iter().any(|e| e.path == path && e.reason == want),
        "{path}: {} must be refused with {want:?} at `{path}`, got {errors:?}",
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
fn timeline_events_risk_inputs_and_trajectory_assessments() {
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
    let inputs = timeline["risk_inputs"][0].clone();
    bound(
        "risk_inputs",
        MAX_RISK_INPUTS,
        |n| with_list(&timeline, "/risk_inputs", n, |_| inputs.clone()),
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
fn needs_catalogue_texts() {
    use beside::needs::catalogue::{MAX_ANCHOR_CHARS, MAX_LABEL_CHARS};
    use beside::needs::Catalogue;
    assert_eq!(
        (MAX_LABEL_CHARS, MAX_ANCHOR_CHARS),
        (120, 240),
        "docs/limits.md"
    );
    let catalogue = serde_json::to_value(Catalogue::default()).unwrap();
    // In characters, not bytes: each `é` is two bytes.
    for (path, pointer, max) in [
        ("domains[0].label", "/domains/0/label", MAX_LABEL_CHARS),
        (
            "domains[0].anchors[0].text",
            "/domains/0/anchors/0/text",
            MAX_ANCHOR_CHARS,
        ),
    ] {
        bound_with(
            path,
            max,
            Reason::TooLong { max, got: max + 1 },
            |n| with_value(&catalogue, pointer, json!("é".repeat(n))),
            validated::<Catalogue>,
        );
    }
}

/// A needs model whose catalogue holds `MAX_DOMAINS` domains (the default 16 first, which the
/// default red-flag rules name), with an empty graph.
fn full_needs_model() -> Value {
    use beside::needs::NeedsModel;
    let mut model = serde_json::to_value(NeedsModel::default()).unwrap();
    let domains = model["catalogue"]["domains"].as_array_mut().unwrap();
    let template = domains[0].clone();
    for i in domains.len()..MAX_DOMAINS {
        let mut d = template.clone();
        d["key"] = json!(format!("domain_{i}"));
        domains.push(d);
    }
    model["graph"] = json!({"foundational": [], "edges": []});
    model
}

#[test]
fn dependency_graph_edges() {
    use beside::needs::graph::MAX_EDGES;
    use beside::needs::NeedsModel;
    assert_eq!(MAX_EDGES, 4032, "docs/limits.md");
    let model = full_needs_model();
    let keys: Vec<Value> = model["catalogue"]["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].clone())
        .collect();
    assert_eq!(keys.len(), MAX_DOMAINS);
    let edge = |(a, b): (usize, usize)| json!({"domain": keys[a], "requires": keys[b]});
    // Every domain requiring every earlier one: the most edges a graph without a cycle can
    // have over 64 domains, 64 × 63 / 2 = 2,016, is accepted.
    let acyclic: Vec<(usize, usize)> = (0..MAX_DOMAINS)
        .flat_map(|a| (0..a).map(move |b| (a, b)))
        .collect();
    assert_eq!(acyclic.len(), MAX_EDGES / 2);
    let graph = |pairs: &[(usize, usize)]| {
        with_list(&model, "/graph/edges", pairs.len(), |i| edge(pairs[i]))
    };
    if let Err(e) = validated::<NeedsModel>(&graph(&acyclic)) {
        panic!("the largest graph without a cycle must be accepted, got {e:?}");
    }
    // Every ordered pair: exactly `MAX_EDGES` edges, refused for its cycle only, not its count.
    let all: Vec<(usize, usize)> = (0..MAX_DOMAINS)
        .flat_map(|a| {
            (0..MAX_DOMAINS)
                .filter(move |&b| b != a)
                .map(move |b| (a, b))
        })
        .collect();
    assert_eq!(all.len(), MAX_EDGES);
    let errors = validated::<NeedsModel>(&graph(&all)).unwrap_err();
    assert!(
        errors
            .iter()
            .all(|e| matches!(e.reason, Reason::Cycle { .. }) && e.path == "graph.edges"),
        "{MAX_EDGES} edges must be refused for the cycle alone, got {errors:?}"
    );
    // One edge more (a repeat, as every pair is taken) is one too many.
    let past: Vec<(usize, usize)> = all.iter().copied().chain([all[0]]).collect();
    let errors = validated::<NeedsModel>(&graph(&past)).unwrap_err();
    let want = Reason::TooMany {
        max: MAX_EDGES,
        got: MAX_EDGES + 1,
    };
    assert!(
        errors
            .iter()
            .any(|e| e.path == "graph.edges" && e.reason == want),
        "{} edges must be refused with {want:?} at `graph.edges`, got {errors:?}",
        MAX_EDGES + 1
    );
}

#[test]
fn needs_config_points_and_response_times() {
    use beside::needs::config::{MAX_POINTS, MAX_RESPONSE_MINUTES};
    use beside::needs::NeedsModel;
    assert_eq!(
        (MAX_POINTS, MAX_RESPONSE_MINUTES),
        (1_000_000, 527_040),
        "docs/limits.md"
    );
    let model = serde_json::to_value(NeedsModel::default()).unwrap();
    let points = MAX_POINTS as usize;
    for field in [
        "level_points.in_crisis",
        "level_points.vulnerable",
        "level_points.safe",
        "level_points.building_capacity",
        "level_points.thriving",
        "points_per_blocked_domain",
        "max_blocking_points",
        "foundational_points",
        "own_rank_points_after",
        "own_rank_points[0]",
    ] {
        let pointer = format!(
            "/config/{}",
            field.replace(['.', '['], "/").replace(']', "")
        );
        bound_with(
            &format!("config.{field}"),
            points,
            Reason::AboveMaximum {
                max: f64::from(MAX_POINTS),
                got: f64::from(MAX_POINTS + 1),
            },
            |n| with_value(&model, &pointer, json!(n)),
            validated::<NeedsModel>,
        );
    }
    let rules = model["config"]["red_flags"].as_array().unwrap().len();
    assert!(rules > 0);
    for i in 0..rules {
        bound_with(
            &format!("config.red_flags[{i}].respond_within_minutes"),
            MAX_RESPONSE_MINUTES as usize,
            Reason::AboveMaximum {
                max: f64::from(MAX_RESPONSE_MINUTES),
                got: f64::from(MAX_RESPONSE_MINUTES + 1),
            },
            |n| {
                with_value(
                    &model,
                    &format!("/config/red_flags/{i}/respond_within_minutes"),
                    json!(n),
                )
            },
            validated::<NeedsModel>,
        );
    }
}

#[test]
fn directory_service_extents() {
    use beside::referral::area::MAX_SHAPE_POSITIONS;
    use beside::referral::directory::{Directory, MAX_SHAPES};
    assert_eq!(
        (MAX_SHAPES, MAX_SHAPE_POSITIONS),
        (1000, 1_000_000),
        "docs/limits.md"
    );
    let mut directory: Value = serde_json::from_str(samples::DIRECTORY_JSON).unwrap();
    directory["services"][0]["service_extents"] = json!([]);
    let square = |x: usize| {
        let x = x as f64 * 0.01;
        json!({"type": "Polygon", "coordinates": [[[x, 0.0], [x + 0.01, 0.0], [x + 0.01, 0.01], [x, 0.01], [x, 0.0]]]})
    };
    bound(
        "services[0].service_extents",
        MAX_SHAPES,
        |n| with_list(&directory, "/services/0/service_extents", n, square),
        validated::<Directory>,
    );
    // Positions are counted over all the rings of a shape: an outline of 5 and a hole holding
    // the rest (a closed ring of one repeated position), its text written directly (a million
    // `Value`s would take longer than the check).
    bound(
        "services[0].service_extents[0].coordinates",
        MAX_SHAPE_POSITIONS,
        |n| {
            let outline = json!([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]);
            let shape = json!([{"type": "Polygon", "coordinates": [outline, "HOLE"]}]);
            let hole = format!("[{}]", vec!["[1,1]"; n - 5].join(","));
            with_value(&directory, "/services/0/service_extents", shape).replace("\"HOLE\"", &hole)
        },
        validated::<Directory>,
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
