"""Reintegration: trajectories (typed and JSON), journeys, risk, cohorts, typed errors."""

import datetime as dt
import json

import pytest

import beside
from beside import BesideError, ReintegrationEngine

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def case01():
    journey = next(j for j in json.loads(beside.sample_journeys_json()) if j["case_id"] == "case-01")
    return beside.sample_assessments_of_json("case-01"), journey


def test_trajectory(case01):
    assessments, journey = case01
    engine = ReintegrationEngine()
    risk = json.dumps(journey["risk_inputs"][-1]) if journey.get("risk_inputs") else ""
    events = json.dumps(journey["events"])
    t = engine.trajectory(assessments, events, risk, NOW)
    j = json.loads(engine.trajectory_json(assessments, events, risk, NOW))
    assert t.case_id == "case-01" and t.points == len(j["points"])
    assert t.follow_up_days == j["follow_up"]["days"]
    assert t.setbacks == len(j["setbacks"]) and t.setbacks >= 1
    assert {tr.outcome for tr in t.trends} == {tr["outcome"] for tr in j["trends"]}
    assert json.loads(t.trajectory_json) == j
    assert engine.trajectory(assessments, "", "", NOW).risk_level is None
    if risk:
        assert t.risk_level in {"low", "moderate", "high"}
        r = json.loads(engine.risk_json(risk))
        assert r["level"] == t.risk_level and "factors" in r
    iom = ReintegrationEngine.iom().trajectory(assessments, "", "", NOW)
    assert len(iom.trends) == 3


def test_config_round_trip():
    e = ReintegrationEngine()
    assert json.loads(ReintegrationEngine.from_json(e.config_json()).config_json()) == json.loads(e.config_json())
    with pytest.raises(BesideError.Invalid):
        ReintegrationEngine.from_json('{"follow_up": {"in_crisis_days": -1}}')


def test_journey(case01):
    _, journey = case01
    j = json.loads(ReintegrationEngine().journey_json(json.dumps(journey), NOW))
    assert j
    broken = dict(journey)
    broken["events"] = [
        {"id": "ev-x", "case_id": "case-01", "on": "2025-01-20",
         "event": {"kind": "setback", "phase": "livelihood", "cause": "lost_income"}},
    ]
    with pytest.raises(BesideError) as info:
        ReintegrationEngine().journey_json(json.dumps(broken), NOW)
    assert isinstance(info.value, (BesideError.Refused, BesideError.Invalid))


def test_cohort(case01):
    assessments, _ = case01
    e = ReintegrationEngine()
    t = e.trajectory_json(assessments, "", "", NOW)
    case = json.loads(e.cohort_case_json(t, True))
    summary = json.loads(beside.cohort_summary_json(json.dumps([case] * 12), ""))
    assert summary
    with pytest.raises(BesideError.Invalid):
        beside.cohort_summary_json("[]", '{"k": "eleven"}')


def test_empty_trajectory_is_invalid():
    with pytest.raises(BesideError.Invalid) as info:
        ReintegrationEngine().trajectory("[]", "", "", NOW)
    assert info.value.path == "assessments"
