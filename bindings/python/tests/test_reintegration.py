"""Reintegration, typed end to end: timeline -> journey; timeline + assessments -> trajectory ->
risk, follow-up, cohort case -> cohort summary; merges, words, JSON round trips, and one bad
input per operation with its typed error and field path."""

import copy
import datetime as dt
import json
import pathlib

import jsonschema
import pytest

import beside
from beside import BesideError, ReintegrationEngine

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SCHEMAS = pathlib.Path(__file__).resolve().parents[3] / "schemas"


@pytest.fixture()
def timeline():
    return beside.sample_journey("case-01")


@pytest.fixture()
def assessments():
    return beside.sample_assessments_of("case-01")


@pytest.fixture(scope="module")
def engine():
    return ReintegrationEngine()


def invalid_path(call):
    with pytest.raises(BesideError.Invalid) as info:
        call()
    return info.value.path


def test_typed_chain(engine, timeline, assessments):
    journey = engine.journey(timeline, NOW)
    assert journey.case_id == "case-01" and len(journey.phases) == 6
    assert journey.phases[0].phase == beside.Phase.RETURN
    assert journey.phases[0].status == beside.PhaseStatus.ACHIEVED

    t = engine.trajectory(timeline, assessments, NOW)
    assert t.case_id == "case-01" and len(t.points) == len(assessments)
    assert len(t.scores) == len(t.points) * len(t.trends)
    assert t.setbacks and all(s.is_DOMAIN() or s.is_OUTCOME() for s in t.setbacks)
    assert {p.phase for p in t.phases} == set(beside.Phase)

    risk = engine.risk(timeline.risk_inputs[-1])
    assert risk == t.risk and risk.level in set(beside.RiskLevel)
    assert all(f.points > 0 for f in risk.factors)

    latest = beside.sample_latest_assessment("case-01")
    follow_up = engine.follow_up(latest, risk.level, "")
    assert follow_up == t.follow_up and follow_up.days == follow_up.reason.days

    case = engine.cohort_case(t, True)
    assert len(case.outcomes) == 4 and len(case.phases) == 6 and case.risk == risk.level
    summary = beside.cohort_summary([case] * 12, beside.default_cohort_config())
    assert summary.total == beside.Count.PUBLISHED(value=12)
    assert len(summary.outcomes) == 4 and len(summary.phases) == 6
    small = beside.cohort_summary([case] * 3, beside.default_cohort_config())
    assert small.total.is_COHORT_TOO_SMALL() and small.total.k == 11

    iom = ReintegrationEngine.iom()
    assert len(iom.trajectory(timeline, assessments, NOW).trends) == 3
    same = ReintegrationEngine.with_config(iom.config())
    assert same.config() == iom.config()


def test_words_take_a_locale(engine, timeline, assessments):
    t = engine.trajectory(timeline, assessments, NOW)
    assert " fell from " in beside.render_setback(t.setbacks[0], "en")
    assert beside.render_follow_up_reason(t.follow_up.reason, "en")
    assert all("(+" in beside.render_risk_factor(f, "en") for f in t.risk.factors)
    assert all(beside.render_risk_basis(b, "en") for b in t.risk.basis)
    assert beside.render_cohort_count(beside.Count.BELOW_THRESHOLD(k=11), "en") == "<11"
    assert beside.render_phase(beside.Phase.JUSTICE, "en") == "Access to justice"
    assert beside.render_phase_status(beside.PhaseStatus.DECLINED, "en") == "declined by the person"
    assert beside.render_trend(beside.Trend.IMPROVING, "en") == "improving"
    assert beside.render_risk_level(beside.RiskLevel.HIGH, "en") == "high"
    assert beside.render_outcome_name("financial_health", "en") == "Financial health"
    with pytest.raises(BesideError.Invalid) as info:
        beside.render_trend(beside.Trend.STABLE, "xx")
    assert info.value.path == "locale" and "en" in str(info.value)


def test_json_round_trips(engine, timeline, assessments):
    t = engine.trajectory(timeline, assessments, NOW)
    text = beside.trajectory_to_json(t)
    assert json.loads(text)["case_id"] == "case-01"
    assert beside.trajectory_from_json(text) == t
    assert beside.case_timeline_from_json(beside.case_timeline_to_json(timeline)) == timeline
    journey = engine.journey(timeline, NOW)
    assert beside.journey_from_json(beside.journey_to_json(journey)) == journey
    case = engine.cohort_case(t, True)
    assert json.loads(beside.cohort_case_to_json(case))["statistics_consent"] is True
    assert beside.cohort_case_from_json(beside.cohort_case_to_json(case)) == case
    config = engine.config()
    assert beside.model_config_from_json(beside.model_config_to_json(config)) == config
    assert beside.risk_assessment_from_json(beside.risk_assessment_to_json(t.risk)) == t.risk
    assert beside.follow_up_from_json(beside.follow_up_to_json(t.follow_up)) == t.follow_up
    assert invalid_path(lambda: beside.cohort_config_from_json('{"k": "eleven"}')) == "k"


def test_to_json_matches_the_committed_schemas(engine, timeline, assessments):
    t = engine.trajectory(timeline, assessments, NOW)
    case = engine.cohort_case(t, True)
    answers = [
        (beside.model_config_to_json(engine.config()), "ModelConfig"),
        (beside.case_timeline_to_json(timeline), "CaseTimeline"),
        (beside.timeline_event_to_json(timeline.events[0]), "TimelineEvent"),
        (beside.journey_to_json(engine.journey(timeline, NOW)), "Journey"),
        (beside.trajectory_to_json(t), "Trajectory"),
        (beside.follow_up_to_json(t.follow_up), "FollowUp"),
        (beside.risk_inputs_to_json(timeline.risk_inputs[-1]), "RiskInputs"),
        (beside.risk_assessment_to_json(t.risk), "RiskAssessment"),
        (beside.cohort_case_to_json(case), "CohortCase"),
        (beside.cohort_config_to_json(beside.default_cohort_config()), "CohortConfig"),
        (beside.cohort_summary_to_json(beside.cohort_summary([case] * 12, beside.default_cohort_config())),
         "CohortSummary"),
        (beside.outcome_profile_to_json(engine.config().profile), "OutcomeProfile"),
        (beside.merged_journey_to_json(merged(timeline)), "MergedJourney"),
    ]
    for text, name in answers:
        schema = json.loads((SCHEMAS / f"{name}.json").read_text())
        jsonschema.Draft202012Validator(schema).validate(json.loads(text))


def versions(timeline):
    """Two phones' timelines of case-01 since a shared one, and who edited each when."""
    events = timeline.events
    base, ours, theirs = events[:3], events[:5], events[:3] + events[5:7]
    ours_edit = beside.Edit(by="worker-1", at=NOW - dt.timedelta(days=2))
    theirs_edit = beside.Edit(by=None, at=NOW - dt.timedelta(days=1))
    return base, ours, ours_edit, theirs, theirs_edit


def merged(timeline):
    return beside.merge_journeys("case-01", *versions(timeline), NOW, "")


def test_merge_journeys(timeline):
    base, ours, ours_edit, theirs, theirs_edit = versions(timeline)
    m = merged(timeline)
    assert m.journey.case_id == "case-01" and not m.conflicts
    assert m.journey == beside.ReintegrationEngine().journey(
        beside.CaseTimeline(case_id="case-01", events=timeline.events[:7], risk_inputs=[], time_zone=None), NOW)
    assert beside.merged_journey_from_json(beside.merged_journey_to_json(m)) == m
    bad = copy.deepcopy(ours)
    bad[0].id = ""
    path = invalid_path(
        lambda: beside.merge_journeys("case-01", base, bad, ours_edit, theirs, theirs_edit, NOW, "")
    )
    assert path == "ours[0].id"
    with pytest.raises(BesideError.Refused) as info:
        beside.merge_journeys("case-07", base, ours, ours_edit, theirs, theirs_edit, NOW, "")
    assert info.value.code == "different_records"


def test_bad_input_of_each_operation(engine, timeline, assessments):
    # A typed timeline is refused with the path its JSON would get.
    bad = copy.deepcopy(timeline)
    bad.events[1].id = ""
    as_json = json.loads(beside.case_timeline_to_json(timeline))
    as_json["events"][1]["id"] = ""
    assert invalid_path(lambda: beside.case_timeline_from_json(json.dumps(as_json))) == "events[1].id"
    assert invalid_path(lambda: engine.journey(bad, NOW)) == "events[1].id"
    assert invalid_path(lambda: engine.trajectory(bad, assessments, NOW)) == "timeline.events[1].id"
    assert invalid_path(lambda: engine.trajectory(timeline, [], NOW)) == "assessments"
    other = beside.sample_journey("case-07")
    assert invalid_path(lambda: engine.trajectory(other, assessments, NOW)) == "assessments[0].case_id"

    impossible = copy.deepcopy(timeline)
    impossible.events = [beside.TimelineEvent(
        id="ev-x", case_id="case-01", on="2025-01-20",
        event=beside.EventKind.SETBACK_OCCURRED(phase=beside.Phase.LIVELIHOOD, cause=beside.SetbackCause.LOST_INCOME),
        note=None, extra={})]
    impossible.risk_inputs = []
    with pytest.raises(BesideError.Refused) as info:
        engine.journey(impossible, NOW)
    assert info.value.code == "impossible_transition"

    future = copy.deepcopy(timeline.risk_inputs[-1])
    future.recorded_on = "2999-01-01"
    assert invalid_path(lambda: engine.risk(future)) == "recorded_on"

    latest = copy.deepcopy(assessments[-1])
    latest.ratings[0].domain = "Food!"
    assert invalid_path(lambda: engine.follow_up(latest, None, "")).startswith("assessment.ratings[0]")
    assert invalid_path(lambda: engine.follow_up(assessments[-1], None, "Dhaka")) == "time_zone"

    t = engine.trajectory(timeline, assessments, NOW)
    t.case_id = ""
    assert invalid_path(lambda: engine.cohort_case(t, True)) == "case_id"

    config = beside.default_cohort_config()
    config.k = 1
    assert invalid_path(lambda: beside.cohort_summary([], config)) == "config.k"
    case = engine.cohort_case(engine.trajectory(timeline, assessments, NOW), True)
    case.phases = case.phases[:5]
    with pytest.raises(Exception):  # a list of the wrong length cannot be a cohort case
        beside.cohort_summary([case], beside.default_cohort_config())

    model = engine.config()
    model.trend.domain_drop = 0
    assert invalid_path(lambda: ReintegrationEngine.with_config(model)) == "trend.domain_drop"

    with pytest.raises(BesideError.NotFound):
        beside.sample_journey("case-99")
