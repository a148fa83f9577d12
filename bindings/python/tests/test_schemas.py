"""Every JSON answer of the library validates against the committed JSON Schema of its type
(schemas/*.json, generated from the Rust types and checked for drift in CI), and so do the
bundled samples the `sample_*_json` functions hand out."""

import datetime as dt
import json
import pathlib

import jsonschema
import pytest

import beside

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SCHEMAS = pathlib.Path(__file__).resolve().parents[3] / "schemas"


def validate(text, type_name, array=False):
    schema = json.loads((SCHEMAS / f"{type_name}.json").read_text())
    value = json.loads(text)
    items = value if array else [value]
    if array:
        assert isinstance(value, list) and value, f"expected a non-empty JSON array of {type_name}"
    for item in items:
        jsonschema.Draft202012Validator(schema).validate(item)


def needs_answers():
    engine = beside.NeedsEngine()
    history = json.loads(beside.sample_assessments_of_json("case-01"))
    first, last = json.dumps(history[0]), json.dumps(history[-1])
    yield engine.model_json(), "NeedsModel", False
    yield engine.prioritise_json(last), "Prioritisation", False
    yield engine.prioritise_batch_json(json.dumps(history)), "Prioritisation", True
    yield engine.summarise_json(beside.sample_assessments_json()), "BatchSummary", False
    yield engine.compare_json(first, last), "AssessmentComparison", False


def consent_answers():
    ledger = beside.ConsentEngine.sample("case-01")
    question = json.dumps({"recipient": {"organization_id": "org-bd-jsr-ngo-01", "kind": "ngo"},
                           "purpose": "service_referral", "categories": ["identity", "contact"],
                           "at": "2026-11-20T10:00:00Z"})
    decision = ledger.evaluate_json(question)
    yield ledger.ledger_json(), "ConsentLedger", False
    yield decision, "ConsentDecision", False
    yield ledger.summary_json(WHEN), "Phrase", True
    yield beside.consent_explain_json(decision), "Phrase", True
    trail = beside.AuditTrail()
    trail.record_decision_json(WHEN, "worker-1", decision)
    yield trail.entries_json(), "AuditEntry", True
    yield trail.checkpoint_json(), "Checkpoint", False


def reintegration_answers():
    engine = beside.ReintegrationEngine()
    assessments = beside.sample_assessments_of_json("case-01")
    trajectory = engine.trajectory_json(assessments, "", "", WHEN)
    journey = next(j for j in json.loads(beside.sample_journeys_json()) if j["case_id"] == "case-01")
    case = engine.cohort_case_json(trajectory, True)
    yield engine.config_json(), "ModelConfig", False
    yield trajectory, "Trajectory", False
    yield engine.journey_json(json.dumps(journey), WHEN), "Journey", False
    yield case, "CohortCase", False
    yield beside.cohort_summary_json(json.dumps([json.loads(case)] * 12), ""), "CohortSummary", False


def referral_answers():
    directory = beside.ReferralDirectory.sample()
    request = beside.match_request_json(beside.sample_case_json("case-01"), ["food", "shelter"], WHEN)
    prioritisation = beside.NeedsEngine().prioritise_json(beside.sample_latest_assessment_json("case-01"))
    ledger = beside.ConsentEngine.sample("case-01")
    referral = json.dumps({"id": "ref-1", "case_id": "case-01", "need": "food", "service_id": "svc-1",
                           "organization_id": "org-1", "consent_ids": ["consent-01-referral"],
                           "created_at": "2026-11-20T09:00:00Z", "state": {"state": "proposed"}})
    problem = json.dumps({"cases": [{"id": "c1"}], "services": [{"id": "s1", "capacity": 1}],
                          "eligible": [{"case": "c1", "service": "s1", "cost": 2}]})
    yield directory.directory_json(), "Directory", False
    yield request, "MatchRequest", False
    yield directory.match_case_json(request, "", ledger), "MatchResult", False
    yield directory.plan_json(prioritisation, request, ledger), "Plan", False
    yield directory.gaps_json('{"areas": [["BD", "Khulna"]]}'), "AreaNeedGap", True
    yield directory.unmet_needs_json(f"[{request}]", 2), "UnmetNeed", True
    yield beside.hsds_import_json(directory.hsds_json(), ""), "Import", False
    yield beside.referral_apply_json(referral, '{"event": "send"}', WHEN, None), "Referral", False
    yield beside.assign_solve_json(problem), "Assignment", False


def samples():
    yield beside.sample_cases_json(), "CaseProfile", True
    yield beside.sample_case_json("case-01"), "CaseProfile", False
    yield beside.sample_assessments_json(), "Assessment", True
    yield beside.sample_latest_assessment_json("case-01"), "Assessment", False
    yield beside.sample_consents_json(), "ConsentRecord", True
    yield beside.sample_journeys_json(), "CaseTimeline", True
    yield beside.sample_directory_json(), "Directory", False


@pytest.mark.parametrize("answers", [needs_answers, consent_answers, reintegration_answers,
                                     referral_answers, samples])
def test_json_answers_match_the_committed_schemas(answers):
    checked = 0
    for text, type_name, array in answers():
        validate(text, type_name, array)
        checked += 1
    assert checked >= 5


def test_a_wrong_answer_would_fail():
    """The check can fail: a prioritisation missing its items is rejected."""
    broken = json.loads(beside.NeedsEngine().prioritise_json(beside.sample_latest_assessment_json("case-01")))
    del broken["items"]
    with pytest.raises(jsonschema.ValidationError):
        validate(json.dumps(broken), "Prioritisation")
