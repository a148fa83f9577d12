"""Referral: the directory (sample, Beside JSON, HSDS), matching with consent (typed and JSON),
plans, gap tables, unmet need, the referral lifecycle, batch assignment, and typed errors."""

import datetime as dt
import json

import pytest

import beside
from beside import BesideError, ConsentEngine, ReferralDirectory

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def directory():
    return ReferralDirectory.sample()


def request(case_id="case-01", needs=("food", "shelter", "mental_health")):
    return beside.match_request_json(beside.sample_case_json(case_id), list(needs), WHEN)


def test_directory_round_trips(directory):
    assert directory.service_count() == 100
    assert directory.organization_count() == 80
    assert "food" in directory.domains()
    again = ReferralDirectory.from_json(directory.directory_json())
    assert again.service_count() == directory.service_count()
    hsds = directory.hsds_json()
    imported = json.loads(beside.hsds_import_json(hsds, ""))
    assert imported["report"]["complete"] is True
    assert ReferralDirectory.from_hsds_json(hsds, "").service_count() == 100
    assert json.loads(beside.hsds_export_json(directory.directory_json())) == json.loads(hsds)


def test_match_typed_with_consent(directory):
    ledger = ConsentEngine.sample("case-01")
    m = directory.match_case(request(), "", ledger)
    assert m.case_id == "case-01" and m.consent_checked
    assert [n.domain for n in m.needs] == ["food", "shelter", "mental_health"]
    for need in m.needs:
        scores = [c.score for c in need.candidates]
        assert scores == sorted(scores, reverse=True)
        for c in need.candidates:
            assert abs(sum(f.points for f in c.factors) - c.score) < 1e-9
            assert all(f.english for f in c.factors)
        for miss in need.near_misses:
            assert isinstance(miss.exclusion, beside.ExclusionKind)
            assert json.loads(miss.exclusion_json)["code"]
    # the JSON form gives the same answer
    j = json.loads(directory.match_case_json(request(), "", ledger))
    assert [c["service_id"] for c in j["needs"][0]["candidates"]] == [
        c.service_id for c in m.needs[0].candidates
    ]


def test_veto_always_wins(directory):
    first = directory.match_case(request(needs=["food"]), "", None)
    assert not first.consent_checked
    top = first.needs[0].candidates[0]
    req = json.loads(request(needs=["food"]))
    req["vetoes"] = [{"veto": "organization", "id": top.organization_id}]
    again = directory.match_case(json.dumps(req), "", None)
    assert top.service_id not in [c.service_id for c in again.needs[0].candidates]
    vetoed = [t for t in again.needs[0].exclusions if t.exclusion == beside.ExclusionKind.VETOED]
    assert vetoed and vetoed[0].count >= 1


def test_ledger_of_another_case_is_refused(directory):
    with pytest.raises(BesideError.Refused) as info:
        directory.match_case(request("case-01"), "", ConsentEngine.sample("case-02"))
    assert info.value.code == "different_cases"


def test_plan_from_a_prioritisation(directory):
    needs = beside.NeedsEngine()
    prioritisation = needs.prioritise_json(beside.sample_latest_assessment_json("case-01"))
    plan = directory.plan(prioritisation, request(), ConsentEngine.sample("case-01"))
    assert plan.steps and plan.consent_checked
    assert [s.step for s in plan.steps] == list(range(1, len(plan.steps) + 1))
    assert all(s.reason and s.english for s in plan.steps)
    as_json = json.loads(directory.plan_json(prioritisation, request(), None))
    assert len(as_json["steps"]) == len(plan.steps)


def test_gaps_and_unmet_need(directory):
    query = json.dumps({"areas": [["BD", "Khulna", "Jashore"], ["KH", "Battambang"]],
                        "needs": ["food", "legal"]})
    rows = directory.gaps(query)
    assert [(r.area[-1], r.domain) for r in rows] == [
        ("Jashore", "food"), ("Jashore", "legal"), ("Battambang", "food"), ("Battambang", "legal")]
    assert all(r.reachable <= r.listed for r in rows)
    assert len(json.loads(directory.gaps_json(query))) == 4
    unmet = json.loads(directory.unmet_needs_json(
        json.dumps([json.loads(request(c)) for c in ("case-01", "case-02")]), 2))
    assert sum(r["people"] for r in unmet) == 6


def test_referral_lifecycle():
    referral = {"id": "ref-1", "case_id": "case-01", "need": "food", "service_id": "svc-1",
                "organization_id": "org-1", "consent_ids": ["consent-01-referral"],
                "created_at": "2026-11-20T09:00:00Z", "state": {"state": "proposed"}}
    sent = beside.referral_apply(json.dumps(referral), '{"event": "send"}', WHEN, "worker-1")
    assert sent.state == "sent" and sent.is_open
    accepted = beside.referral_apply(sent.referral_json, '{"event": "accept"}', WHEN, None)
    assert accepted.state == "accepted"
    withdrawn = json.loads(beside.referrals_withdraw_for_revoked_json(
        json.dumps([json.loads(accepted.referral_json)]), "consent-01-referral", WHEN))
    assert withdrawn[0]["state"]["state"] == "withdrawn"
    with pytest.raises(BesideError.Refused) as info:
        beside.referral_apply(accepted.referral_json, '{"event": "send"}', WHEN, None)
    assert info.value.code == "impossible_transition"


def test_batch_assignment():
    problem = {
        "cases": [{"id": "c1", "weight": 2}, {"id": "c2"}, {"id": "c3"}],
        "services": [{"id": "s1", "capacity": 1}, {"id": "s2", "capacity": 1}],
        "eligible": [{"case": "c1", "service": "s1", "cost": 5},
                     {"case": "c2", "service": "s1", "cost": 1},
                     {"case": "c3", "service": "s2", "cost": 3}],
    }
    a = beside.assign_solve(json.dumps(problem))
    assert a.units_placed == 2 and a.priority_value == 3 and a.total_cost == 8
    by_case = {p.case_id: p for p in a.placements}
    assert by_case["c1"].services == ["s1"]
    assert by_case["c2"].outcome == "unassigned" and by_case["c2"].shortfall
    assert json.loads(beside.assign_solve_json(json.dumps(problem)))["totals"]["total_cost"] == 8
    problem["services"][0]["capacity"] = -1
    with pytest.raises(BesideError.Invalid) as info:
        beside.assign_solve(json.dumps(problem))
    assert info.value.path == "services[0].capacity"


def test_unknown_sample_is_not_found():
    with pytest.raises(BesideError.NotFound) as info:
        beside.sample_case_json("case-99")
    assert info.value.what == "case" and info.value.id == "case-99"
