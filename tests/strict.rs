//! Strict JSON for every input record: a careless key anywhere is refused, naming the key, the
//! path of the record holding it and the keys that record knows; nothing may follow the
//! document; an app's own data has one named place, `extra`, which round-trips.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use beside::consent::{
    ActionRef, AuditEvent, AuditLog, ConsentLedger, ConsentRecord, DataCategory, Decision,
    DependentAction, FieldMap, FieldRule, Purpose, Question, Recipient,
};
use beside::core::json::DEFAULT_MAX_INPUT_BYTES;
use beside::core::{
    default_domain_keys, parse_json, AreaPath, CaseProfile, Labels, OrganizationKind, Person,
};
use beside::needs::{
    Assessment, Catalogue, DependencyGraph, NeedsConfig, NeedsModel, Prioritisation, Prioritiser,
};
use beside::referral::assign::synthetic::{generate, CaseloadSpec};
use beside::referral::assign::AssignmentProblem;
use beside::referral::gaps::{AreaLanguages, GapQuery};
use beside::referral::lifecycle::{DeclineReason, Referral, ReferralEvent};
use beside::referral::matching::{
    MatchConfig, MatchRequest, SafetyConcern, SafetyFlag, ScoreWeights, Veto,
};
use beside::referral::plan::PlanConfig;
use beside::referral::Directory;
use beside::reintegration::cohort::{CohortCase, CohortConfig};
use beside::reintegration::model::ModelConfig;
use beside::reintegration::risk::RiskInputs;
use beside::reintegration::timeline::{CaseTimeline, Journey, TimelineEvent};
use beside::samples;
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

const KEY: &str = "careless_key";

fn at() -> beside::core::Timestamp {
    Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap()
}

fn parse<T: DeserializeOwned>(input: &str) -> Result<(), String> {
    parse_json::<T>(input, DEFAULT_MAX_INPUT_BYTES)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn first(sample: &str) -> Value {
    let all: Value = serde_json::from_str(sample).unwrap();
    all[0].clone()
}

/// One kind of input record: a valid instance, how to parse it, and nested records (a JSON
/// pointer and the path an error there must name).
struct Kind {
    name: &'static str,
    valid: Value,
    parse: fn(&str) -> Result<(), String>,
    nested: &'static [(&'static str, &'static str)],
}

fn kind<T: DeserializeOwned>(
    name: &'static str,
    valid: impl serde::Serialize,
    nested: &'static [(&'static str, &'static str)],
) -> Kind {
    Kind {
        name,
        valid: serde_json::to_value(valid).unwrap(),
        parse: parse::<T>,
        nested,
    }
}

fn ledger() -> ConsentLedger {
    samples::consent::ledger("case-01").unwrap()
}

fn question() -> Question {
    Question {
        recipient: Recipient {
            organization_id: "org-bd-jsr-hlt-01".parse().unwrap(),
            kind: OrganizationKind::Health,
        },
        purpose: Purpose::ServiceReferral,
        categories: vec![DataCategory::Identity, DataCategory::Contact],
        at: at(),
    }
}

fn match_request() -> MatchRequest {
    let case = samples::cases().unwrap().remove(0);
    let mut req = MatchRequest::from_case(&case, default_domain_keys(), at());
    req.vetoes.push(Veto::Organization {
        id: "org-bd-jsr-gov-02".parse().unwrap(),
    });
    req.safety_flags.push(SafetyFlag {
        organization_id: "org-bd-jsr-pol-01".parse().unwrap(),
        concern: SafetyConcern::PriorHarm,
    });
    req
}

fn prioritisation() -> Prioritisation {
    let a = samples::needs::assessments().unwrap().remove(0);
    Prioritiser::default().prioritise(&a).unwrap()
}

fn audit_log() -> AuditLog {
    let mut log = AuditLog::new();
    let record = samples::consent::consents().unwrap().remove(0);
    log.append(
        at(),
        Some("worker-bd-cxb-01".parse().unwrap()),
        AuditEvent::RecordAdded { record },
    )
    .unwrap();
    log.append(
        at(),
        None,
        AuditEvent::Decided {
            decision: ledger().evaluate(&question()),
        },
    )
    .unwrap();
    log
}

fn referral() -> Referral {
    let mut r = Referral::propose(
        "ref-1".parse().unwrap(),
        "case-01".parse().unwrap(),
        beside::core::domains::SHELTER,
        "svc-1".parse().unwrap(),
        "org-1".parse().unwrap(),
        at(),
    );
    r.consent_ids.push("consent-01-referral".parse().unwrap());
    r.apply(&ReferralEvent::Send, at(), None).unwrap()
}

fn journey() -> Journey {
    let t: Vec<CaseTimeline> = serde_json::from_str(samples::journeys::JOURNEYS_JSON).unwrap();
    t[0].journey(at()).unwrap()
}

fn kinds() -> Vec<Kind> {
    let case: Value = first(samples::CASES_JSON);
    let assessment = first(samples::needs::ASSESSMENTS_JSON);
    let consent = first(samples::consent::CONSENTS_JSON);
    let directory: Value = serde_json::from_str(samples::DIRECTORY_JSON).unwrap();
    let timeline = first(samples::journeys::JOURNEYS_JSON);
    vec![
        kind::<CaseProfile>(
            "case",
            case.clone(),
            &[
                ("/person", "person"),
                ("/person/birth", "person.birth"),
                ("/return_journey", "return_journey"),
                ("/debts/0", "debts[0]"),
            ],
        ),
        kind::<Person>("person", case["person"].clone(), &[("/birth", "birth")]),
        kind::<Assessment>("assessment", assessment, &[("/ratings/0", "ratings[0]")]),
        kind::<ConsentLedger>(
            "ledger",
            ledger(),
            &[
                ("/subject", "subject"),
                ("/policy", "policy"),
                ("/records/0", "records[0]"),
                ("/records/0/given_by", "records[0].given_by"),
            ],
        ),
        kind::<ConsentRecord>(
            "consent record",
            consent,
            &[("/recipients/1", "recipients[1]"), ("/witness", "witness")],
        ),
        kind::<Question>("question", question(), &[("/recipient", "recipient")]),
        kind::<Decision>(
            "decision passed back",
            ledger().evaluate(&question()),
            &[
                ("/question", "question"),
                ("/permitted/0", "permitted[0]"),
                ("/permitted/0/basis", "permitted[0].basis"),
            ],
        ),
        kind::<Directory>(
            "directory",
            directory,
            &[
                ("/organizations/0", "organizations[0]"),
                ("/services/0", "services[0]"),
                ("/services/1/eligibility", "services[1].eligibility"),
                ("/services/1/cost", "services[1].cost"),
                ("/locations/0", "locations[0]"),
                ("/locations/0/coordinates", "locations[0].coordinates"),
            ],
        ),
        kind::<MatchRequest>(
            "match request",
            match_request(),
            &[
                ("/vetoes/0", "vetoes[0]"),
                ("/safety_flags/0", "safety_flags[0]"),
                ("/preferences", "preferences"),
                ("/person", "person"),
            ],
        ),
        kind::<MatchConfig>(
            "match config",
            MatchConfig::default(),
            &[("/weights", "weights")],
        ),
        kind::<ScoreWeights>("score weights", ScoreWeights::default(), &[]),
        kind::<PlanConfig>("plan config", PlanConfig::default(), &[]),
        kind::<Prioritisation>(
            "prioritisation passed to plan",
            prioritisation(),
            &[
                ("/items/0", "items[0]"),
                ("/items/0/reasons/0", "items[0].reasons[0]"),
            ],
        ),
        kind::<Prioritiser>(
            "needs model",
            NeedsModel::default(),
            &[
                ("/catalogue", "catalogue"),
                ("/catalogue/domains/0", "catalogue.domains[0]"),
                ("/config", "config"),
            ],
        ),
        kind::<NeedsConfig>("needs config", NeedsConfig::default(), &[]),
        kind::<Catalogue>(
            "catalogue",
            Catalogue::default(),
            &[("/domains/0", "domains[0]")],
        ),
        kind::<DependencyGraph>("dependency graph", DependencyGraph::default(), &[]),
        kind::<Labels>("labels", Labels::default(), &[("/locales/0", "locales[0]")]),
        kind::<GapQuery>(
            "gap query",
            GapQuery {
                areas: vec![AreaPath::new(["BD", "Khulna", "Jashore"]).unwrap()],
                needs: vec![],
                languages: vec![AreaLanguages {
                    area: AreaPath::new(["BD"]).unwrap(),
                    languages: vec![beside::core::LanguageCode::new("bn").unwrap()],
                }],
            },
            &[("/languages/0", "languages[0]")],
        ),
        kind::<AssignmentProblem>(
            "assignment problem",
            generate(&CaseloadSpec {
                cases: 3,
                services: 2,
                eligible_per_case: 2,
                capacity_min: 1,
                capacity_max: 2,
                seed: 7,
            }),
            &[
                ("/cases/0", "cases[0]"),
                ("/services/0", "services[0]"),
                ("/eligible/0", "eligible[0]"),
            ],
        ),
        kind::<CohortCase>("cohort case", CohortCase::default(), &[]),
        kind::<CohortConfig>("cohort config", CohortConfig::default(), &[]),
        kind::<ModelConfig>(
            "reintegration model config",
            ModelConfig::default(),
            &[("/profile", "profile"), ("/risk", "risk")],
        ),
        kind::<AuditLog>(
            "audit log",
            audit_log(),
            &[
                ("/entries/0", "entries[0]"),
                ("/entries/0/event", "entries[0].event"),
            ],
        ),
        kind::<CaseTimeline>(
            "case timeline",
            timeline.clone(),
            &[
                ("/events/0", "events[0]"),
                ("/events/0/event", "events[0].event"),
            ],
        ),
        kind::<TimelineEvent>("timeline event", timeline["events"][0].clone(), &[]),
        kind::<RiskInputs>(
            "risk inputs",
            timeline["risk_inputs"][0].clone(),
            &[("/debts/0", "debts[0]")],
        ),
        kind::<Journey>(
            "journey",
            journey(),
            &[
                ("/phases/0", "phases[0]"),
                ("/phases/0/past_days", "phases[0].past_days"),
                ("/events/0", "events[0]"),
            ],
        ),
        kind::<Referral>(
            "referral passed back",
            referral(),
            &[("/history/0", "history[0]")],
        ),
        kind::<ReferralEvent>(
            "referral event",
            ReferralEvent::Decline {
                reason: DeclineReason::NoCapacity,
            },
            &[],
        ),
        kind::<FieldMap>(
            "field map",
            FieldMap {
                rules: vec![FieldRule {
                    path: "person.phone".into(),
                    category: DataCategory::Contact,
                }],
            },
            &[("/rules/0", "rules[0]")],
        ),
        kind::<DependentAction>(
            "dependent action",
            DependentAction {
                action: ActionRef::Referral {
                    id: "ref-1".parse().unwrap(),
                },
                relied_on: vec!["consent-01-referral".parse().unwrap()],
                open: true,
            },
            &[("/action", "action")],
        ),
    ]
}

/// Insert the careless key into the object at `pointer`, parse, and check the error names the
/// key, `path` and one of the keys that object holds (they are known keys).
fn refused_at(k: &Kind, pointer: &str, path: &str) {
    let mut value = k.valid.clone();
    let target = value
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{}: no object at {pointer}", k.name));
    let object = target
        .as_object_mut()
        .unwrap_or_else(|| panic!("{}: {pointer} is not an object", k.name));
    let known: Vec<String> = object.keys().cloned().collect();
    object.insert(KEY.into(), json!(true));
    let err = (k.parse)(&value.to_string()).expect_err(k.name);
    let shown = if path.is_empty() { "input" } else { path };
    assert!(
        err.starts_with(&format!("{shown}: unknown field `{KEY}`")),
        "{}: {err}",
        k.name
    );
    // A unit variant of a tagged enum holds only its tag, and says so.
    let tag_only = known.len() == 1 && err.contains("takes no fields besides its tag");
    assert!(
        tag_only || known.iter().any(|key| err.contains(&format!("`{key}`"))),
        "{}: {err} names none of {known:?}",
        k.name
    );
}

#[test]
fn every_kind_of_record_refuses_a_careless_key() {
    let kinds = kinds();
    assert!(kinds.len() >= 30);
    for k in &kinds {
        (k.parse)(&k.valid.to_string()).unwrap_or_else(|e| panic!("{}: {e}", k.name));
        refused_at(k, "", "");
        for (pointer, path) in k.nested {
            refused_at(k, pointer, path);
        }
    }
}

#[test]
fn trailing_data_is_refused() {
    for k in kinds() {
        let valid = k.valid.to_string();
        let err = (k.parse)(&format!("{valid} garbage")).expect_err(k.name);
        assert!(
            err.starts_with("input: `garbage` follows the document"),
            "{}: {err}",
            k.name
        );
        let err = (k.parse)(&format!("{valid}\n{valid}")).expect_err(k.name);
        assert_eq!(
            err,
            "input: a second JSON document follows the first; send one document \
             (line 2, column 1)",
            "{}",
            k.name
        );
        (k.parse)(&format!("{valid}\n\n")).unwrap_or_else(|e| panic!("{}: {e}", k.name));
    }
}

#[test]
fn a_misspelled_veto_is_refused_not_ignored() {
    let mut req = serde_json::to_value(match_request()).unwrap();
    let vetoes = req.as_object_mut().unwrap().remove("vetoes").unwrap();
    req["vetos"] = vetoes;
    let err = parse::<MatchRequest>(&req.to_string()).unwrap_err();
    assert!(
        err.starts_with("input: unknown field `vetos`, expected one of "),
        "{err}"
    );
    assert!(err.contains("`vetoes`"), "{err}");
}

#[test]
fn a_not_now_with_a_space_is_refused_not_ignored() {
    let mut a = first(samples::needs::ASSESSMENTS_JSON);
    a["not now"] = json!(["shelter"]);
    let err = parse::<Assessment>(&a.to_string()).unwrap_err();
    assert!(
        err.starts_with("input: unknown field `not now`, expected one of "),
        "{err}"
    );
    assert!(err.contains("`not_now`"), "{err}");
}

#[test]
fn an_expires_without_at_is_refused_not_ignored() {
    let mut c = first(samples::consent::CONSENTS_JSON);
    c["expires"] = json!("2026-01-01T00:00:00Z");
    let err = parse::<ConsentRecord>(&c.to_string()).unwrap_err();
    assert!(
        err.starts_with("input: unknown field `expires`, expected one of "),
        "{err}"
    );
    assert!(err.contains("`expires_at`"), "{err}");
    // The same inside a ledger names the record.
    let mut l = serde_json::to_value(ledger()).unwrap();
    l["records"][2]["expires"] = json!("2026-01-01T00:00:00Z");
    let err = parse::<ConsentLedger>(&l.to_string()).unwrap_err();
    assert!(
        err.starts_with("records[2]: unknown field `expires`"),
        "{err}"
    );
}

#[test]
fn a_unit_variant_takes_only_its_tag() {
    let mut req = serde_json::to_value(match_request()).unwrap();
    req["vetoes"] = json!([{"veto": "kind", "kind": "police", "note": "x"}]);
    let err = parse::<MatchRequest>(&req.to_string()).unwrap_err();
    assert!(
        err.starts_with("vetoes[0]: unknown field `note`, expected `kind`"),
        "{err}"
    );
    let mut d: Value = serde_json::from_str(samples::DIRECTORY_JSON).unwrap();
    d["services"][0]["cost"] = json!({"kind": "free", "amount": 500});
    let err = parse::<Directory>(&d.to_string()).unwrap_err();
    assert!(
        err.starts_with(
            "services[0].cost: unknown field `amount`; this kind takes no fields besides its tag"
        ),
        "{err}"
    );
}

#[test]
fn a_rating_written_with_a_second_key_is_refused() {
    let mut a = first(samples::needs::ASSESSMENTS_JSON);
    a["ratings"][0]["rating"] = json!({"level": 3, "note": "x"});
    let err = parse::<Assessment>(&a.to_string()).unwrap_err();
    assert!(err.starts_with("ratings[0].rating"), "{err}");
    assert!(err.contains("`note`"), "{err}");
}

/// `extra` on each record that has it: kept, written back, equal after a round trip, and
/// absent from the JSON when empty.
fn extra_round_trips<T>(valid: Value)
where
    T: DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let plain: T = parse_json(&valid.to_string(), DEFAULT_MAX_INPUT_BYTES).unwrap();
    assert!(!serde_json::to_string(&plain).unwrap().contains("\"extra\""));
    let mut with = valid;
    with["extra"] = json!({"app_colour": "blue", "visits": [1, 2], "nested": {"any": null}});
    let read: T = parse_json(&with.to_string(), DEFAULT_MAX_INPUT_BYTES).unwrap();
    assert_ne!(read, plain);
    let written = serde_json::to_string(&read).unwrap();
    let again: T = parse_json(&written, DEFAULT_MAX_INPUT_BYTES).unwrap();
    assert_eq!(again, read);
    let back: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(back["extra"], with["extra"]);
}

#[test]
fn extra_round_trips_on_every_record_that_has_it() {
    extra_round_trips::<CaseProfile>(first(samples::CASES_JSON));
    extra_round_trips::<Assessment>(first(samples::needs::ASSESSMENTS_JSON));
    extra_round_trips::<ConsentRecord>(first(samples::consent::CONSENTS_JSON));
    extra_round_trips::<TimelineEvent>(
        first(samples::journeys::JOURNEYS_JSON)["events"][0].clone(),
    );
    extra_round_trips::<Referral>(serde_json::to_value(referral()).unwrap());
}

#[test]
fn extra_is_kept_through_a_ledger_and_covered_by_the_audit_hash() {
    let mut l = serde_json::to_value(ledger()).unwrap();
    l["records"][0]["extra"] = json!({"form": "v2"});
    let read: ConsentLedger = parse_json(&l.to_string(), DEFAULT_MAX_INPUT_BYTES).unwrap();
    let back = serde_json::to_value(&read).unwrap();
    let kept = back["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["extra"] == json!({"form": "v2"}));
    assert!(kept, "{back}");

    let mut log = AuditLog::new();
    let mut record = samples::consent::consents().unwrap().remove(0);
    record.extra.insert("form".into(), json!("v2"));
    log.append(at(), None, AuditEvent::RecordAdded { record })
        .unwrap();
    let mut json = serde_json::to_value(&log).unwrap();
    parse::<AuditLog>(&json.to_string()).unwrap();
    json["entries"][0]["event"]["record"]["extra"]["form"] = json!("v3");
    let err = parse::<AuditLog>(&json.to_string()).unwrap_err();
    assert!(err.starts_with("input: entry 0 was altered"), "{err}");
}

/// Every object inside `value`, as JSON pointers.
fn objects(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(at.clone());
            for (k, v) in map {
                objects(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                objects(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

struct Sample {
    name: &'static str,
    value: Value,
    objects: Vec<String>,
    parse: fn(&str) -> Result<(), String>,
}

fn sample_records() -> Vec<Sample> {
    let of = |name, text: &str, parse| {
        let value: Value = serde_json::from_str(text).unwrap();
        let mut objs = Vec::new();
        objects(&value, String::new(), &mut objs);
        Sample {
            name,
            value,
            objects: objs,
            parse,
        }
    };
    vec![
        of("cases", samples::CASES_JSON, parse::<Vec<CaseProfile>>),
        of(
            "assessments",
            samples::needs::ASSESSMENTS_JSON,
            parse::<Vec<Assessment>>,
        ),
        of(
            "consents",
            samples::consent::CONSENTS_JSON,
            parse::<Vec<ConsentRecord>>,
        ),
        of("directory", samples::DIRECTORY_JSON, parse::<Directory>),
        of(
            "journeys",
            samples::journeys::JOURNEYS_JSON,
            parse::<Vec<CaseTimeline>>,
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_unknown_key_at_any_object_of_a_sample_is_refused(
        which in 0usize..5,
        pick in any::<prop::sample::Index>(),
        key in "[a-z][a-z_ ]{0,11}",
        before in any::<bool>(),
    ) {
        thread_local! {
            static SAMPLES: Vec<Sample> = sample_records();
        }
        SAMPLES.with(|samples| {
            let s = &samples[which];
            // Sorted before or after the record's own keys (serde_json's map is ordered).
            let key = if before { format!("_{key}") } else { format!("zz{key}") };
            let pointer = &s.objects[pick.index(s.objects.len())];
            let mut value = s.value.clone();
            value
                .pointer_mut(pointer)
                .and_then(Value::as_object_mut)
                .unwrap()
                .insert(key.clone(), json!(1));
            let err = (s.parse)(&value.to_string());
            prop_assert!(err.is_err(), "{}: key {key:?} at {pointer} accepted", s.name);
            let err = err.unwrap_err();
            prop_assert!(err.contains(&format!("`{key}`")), "{}: {pointer}: {err}", s.name);
            Ok(())
        })?;
    }
}

#[test]
fn a_drawn_area_a_web_link_and_the_hsds_options_refuse_careless_keys() {
    let mut d: Value = serde_json::from_str(samples::DIRECTORY_JSON).unwrap();
    d["services"][0]["service_extents"] = json!([{
        "type": "Polygon",
        "coordinates": [[[89.0, 23.0], [89.5, 23.0], [89.5, 23.5], [89.0, 23.0]]],
        "bbox": [89.0, 23.0, 89.5, 23.5]
    }]);
    let err = parse::<Directory>(&d.to_string()).unwrap_err();
    assert!(err.starts_with("services[0].service_extents[0]"), "{err}");
    assert!(err.contains("`bbox`"), "{err}");

    let mut d: Value = serde_json::from_str(samples::DIRECTORY_JSON).unwrap();
    d["services"][0]["urls"] = json!([{"url": "https://example.org", "lable": "Website"}]);
    let err = parse::<Directory>(&d.to_string()).unwrap_err();
    assert!(
        err.starts_with("services[0].urls[0]: unknown field `lable`"),
        "{err}"
    );
    assert!(err.contains("`label`"), "{err}");

    // Beside's own import settings are strict; the HSDS records themselves are not.
    let err =
        parse::<beside::referral::hsds::ImportOptions>(r#"{"defualt_kind": "ngo"}"#).unwrap_err();
    assert!(err.contains("unknown field `defualt_kind`"), "{err}");
}
