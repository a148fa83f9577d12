"""Typed answers written with their `<record>_to_json` validate against the committed JSON Schema
of their type (schemas/*.json, generated from the Rust types and checked for drift in CI): the
JSON pairs and the schemas describe the same records."""

import datetime as dt
import json
import pathlib

import jsonschema
import pytest

import beside

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SCHEMAS = pathlib.Path(__file__).resolve().parents[3] / "schemas"


def validate(text, type_name):
    schema = json.loads((SCHEMAS / f"{type_name}.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(text))


def answers():
    engine = beside.NeedsEngine()
    history = beside.sample_assessments_of("case-01")
    prioritisation = engine.prioritise(history[-1])
    yield beside.needs_model_to_json(engine.model()), "NeedsModel"
    yield beside.prioritisation_to_json(prioritisation), "Prioritisation"
    yield beside.batch_summary_to_json(engine.summarise(beside.sample_assessments())), "BatchSummary"
    yield beside.assessment_comparison_to_json(engine.compare(history[0], history[-1])), "AssessmentComparison"

    ledger = beside.ConsentEngine.sample("case-01")
    yield beside.consent_ledger_to_json(ledger.ledger()), "ConsentLedger"

    reint = beside.ReintegrationEngine()
    timeline = beside.sample_journey("case-01")
    trajectory = reint.trajectory(timeline, history, WHEN)
    yield beside.trajectory_to_json(trajectory), "Trajectory"
    yield beside.model_config_to_json(reint.config()), "ModelConfig"

    directory = beside.ReferralDirectory.sample()
    request = beside.match_request(beside.sample_case("case-01"), prioritisation, WHEN)
    yield beside.match_request_to_json(request), "MatchRequest"
    yield beside.match_result_to_json(directory.match_case(request, ledger, None)), "MatchResult"
    yield beside.plan_to_json(directory.plan(prioritisation, request, ledger, None, None)), "Plan"
    yield beside.directory_to_json(beside.sample_directory()), "Directory"
    for case in beside.sample_cases():
        yield beside.case_profile_to_json(case), "CaseProfile"


def test_typed_answers_match_the_committed_schemas():
    checked = 0
    for text, type_name in answers():
        validate(text, type_name)
        checked += 1
    assert checked >= 12


def test_a_wrong_answer_would_fail():
    """The check can fail: a prioritisation missing its items is rejected."""
    p = beside.NeedsEngine().prioritise(beside.sample_latest_assessment("case-01"))
    broken = json.loads(beside.prioritisation_to_json(p))
    del broken["items"]
    with pytest.raises(jsonschema.ValidationError):
        validate(json.dumps(broken), "Prioritisation")
