"""Referral flow, typed end to end: propose -> send -> accept or decline -> withdrawal when the
consent behind it is revoked; deadlines and the list of overdue work; the merge of a referral
edited on two phones; batch assignment with its reasons. One bad-input error per operation
(with the field path of the argument's JSON) and JSON round trips."""

import datetime as dt
import json

import pytest

import beside
from beside import (
    AssignCase,
    AssignmentProblem,
    AssignService,
    Awaiting,
    BesideError,
    CaseOutcome,
    DeclineReason,
    EligibleArc,
    RedFlag,
    ReferralEvent,
    ReferralState,
    ReferralVersion,
    ResponseTime,
    Shortfall,
    WithdrawReason,
)

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def at(minutes):
    return T0 + dt.timedelta(minutes=minutes)


RED_FLAG = ResponseTime.RED_FLAG(
    flag=RedFlag.IMMEDIATE_DANGER, raised_at=T0, respond_within_minutes=180
)
OWN = ResponseTime.SERVICE(respond_within_minutes=24 * 60)


def proposed(response_times=(), consent_ids=("c1",)):
    return beside.referral_propose(
        "r1", "case-01", "safety", "s1", "o1", list(consent_ids), list(response_times), at(5)
    )


def copy(referral):
    return beside.referral_from_json(beside.referral_to_json(referral))


def invalid_path(call):
    with pytest.raises(BesideError.Invalid) as info:
        call()
    return info.value.path


def refused_code(call):
    with pytest.raises(BesideError.Refused) as info:
        call()
    return info.value.code


def test_the_lifecycle_chain_to_withdrawal_on_revocation():
    r = proposed([RED_FLAG, OWN])
    assert r.state == ReferralState.PROPOSED()
    sent = beside.referral_apply(r, ReferralEvent.SEND(), at(10), "w1")
    assert sent.state == ReferralState.SENT() and sent.history[0].by == "w1"
    accepted = beside.referral_apply(sent, ReferralEvent.ACCEPT(), at(20), None)
    declined = beside.referral_apply(
        sent, ReferralEvent.DECLINE(reason=DeclineReason.NO_CAPACITY), at(25), None
    )
    assert declined.state == ReferralState.DECLINED(reason=DeclineReason.NO_CAPACITY)
    # The ids ConsentEngine.revoked_at answers: every open referral relying on one is withdrawn.
    out = beside.referrals_withdraw_for_revoked([accepted, declined], ["c1"], at(30))
    assert [w.id for w in out] == ["r1"]
    assert out[0].state == ReferralState.WITHDRAWN(
        reason=WithdrawReason.CONSENT_REVOKED(consent_id="c1")
    )
    actions = beside.referral_dependent_actions([accepted, out[0]])
    assert [(a.relied_on, a.open) for a in actions] == [(["c1"], True), (["c1"], False)]


def test_lifecycle_refusals_carry_their_code():
    r = proposed()
    with pytest.raises(BesideError.Refused) as info:
        beside.referral_apply(r, ReferralEvent.COMPLETE(), at(10), None)
    assert info.value.code == "impossible_transition"
    assert json.loads(info.value.error_json)["state"] == "proposed"
    assert refused_code(lambda: beside.referral_apply(r, ReferralEvent.SEND(), at(1), None)) == (
        "out_of_order"
    )
    unconsented = proposed(consent_ids=())
    assert refused_code(
        lambda: beside.referral_apply(unconsented, ReferralEvent.SEND(), at(10), None)
    ) == "no_consent"


def test_overdue_work_and_its_words():
    r = proposed([RED_FLAG, OWN])
    late = beside.referrals_overdue([r], at(240))
    assert len(late) == 1
    item = late[0]
    assert item.referral_id == "r1" and item.awaiting == Awaiting.SEND
    assert item.late_by_minutes == 60 and item.due_at == at(180)
    assert isinstance(item.late[0].response_time, ResponseTime.RED_FLAG)
    assert beside.render_awaiting(item.awaiting, "en") == "not sent yet"
    words = beside.render_late_deadline(item.late[0], "en")
    assert words.startswith("immediate danger") and words.endswith("late"), words
    accepted = beside.referral_apply(
        beside.referral_apply(r, ReferralEvent.SEND(), at(10), None),
        ReferralEvent.ACCEPT(),
        at(20),
        None,
    )
    assert beside.referrals_overdue([accepted], at(10_000)) == []
    assert beside.overdue_referral_from_json(beside.overdue_referral_to_json(item)) == item


def test_response_times_compose_with_the_prioritisation_and_the_directory():
    # Needs the typed NeedsEngine.prioritise and sample_directory() of the needs and matching
    # modules.
    p = beside.NeedsEngine().prioritise(beside.sample_latest_assessment("case-01"))
    service = beside.sample_directory().services[0]
    need = p.items[0].domain
    times = beside.response_times_for(p, need, service)
    assert all(isinstance(t, (ResponseTime.RED_FLAG, ResponseTime.SERVICE)) for t in times)
    assert invalid_path(lambda: beside.response_times_for(p, "not_a_need", service)) == "need"


def test_merge_of_two_phones():
    sent = beside.referral_apply(proposed(), ReferralEvent.SEND(), at(10), None)
    accepted = beside.referral_apply(sent, ReferralEvent.ACCEPT(), at(20), None)
    withdrawn = beside.referral_apply(
        sent, ReferralEvent.WITHDRAW(reason=WithdrawReason.PERSON_CHANGED_MIND()), at(25), None
    )
    merged = beside.merge_referrals(
        sent,
        ReferralVersion(value=accepted, edited_by="w1", edited_at=at(20)),
        ReferralVersion(value=withdrawn, edited_by="w2", edited_at=at(25)),
        at(100),
    )
    # The person's "no" wins, and the two histories are flagged.
    assert merged.referral.state == withdrawn.state
    assert [c.path for c in merged.conflicts] == ["history"]
    assert beside.merged_referral_from_json(beside.merged_referral_to_json(merged)) == merged
    version = ReferralVersion(value=accepted, edited_by=None, edited_at=at(20))
    assert beside.referral_version_from_json(beside.referral_version_to_json(version)) == version


def problem():
    return AssignmentProblem(
        cases=[
            AssignCase(id="c1", weight=1, demand=1),
            AssignCase(id="c2", weight=2, demand=1),
            AssignCase(id="c3", weight=1, demand=1),
        ],
        services=[AssignService(id="shelter", capacity=1), AssignService(id="hostel", capacity=1)],
        eligible=[
            EligibleArc(case="c1", service="shelter", cost=5),
            EligibleArc(case="c2", service="shelter", cost=1),
            EligibleArc(case="c2", service="hostel", cost=9),
            EligibleArc(case="c3", service="hostel", cost=2),
        ],
    )


def test_batch_assignment_with_its_reasons():
    a = beside.assign_solve(problem())
    assert a.totals.units_placed == 2 and a.totals.cases_unassigned == 1
    unplaced = [c for c in a.cases if isinstance(c.outcome, CaseOutcome.UNASSIGNED)]
    assert len(unplaced) == 1
    shortfall = unplaced[0].outcome.shortfall
    assert isinstance(
        shortfall, (Shortfall.CAPACITY_EXHAUSTED, Shortfall.OUTRANKED_BY_HIGHER_PRIORITY)
    )
    assert shortfall.eligible_services == 1
    assert beside.render_case_outcome(unplaced[0].outcome, "en") == (
        "not assigned (1 place(s) needed)"
    )
    assert "eligible service" in beside.render_shortfall(shortfall, "en")
    solved = beside.assign_solve_with_stats(problem())
    assert solved.assignment == a and solved.stats.searches >= 1
    assert beside.assign_stats_from_json(beside.assign_stats_to_json(solved.stats)) == solved.stats
    assert beside.assignment_from_json(beside.assignment_to_json(a)) == a
    text = beside.assignment_problem_to_json(problem())
    assert json.loads(text)["cases"][1] == {"id": "c2", "weight": 2, "demand": 1}
    assert beside.assignment_problem_from_json(text) == problem()


def test_one_bad_input_per_operation():
    good = proposed()
    bad = copy(good)
    bad.consent_ids = ["c1", ""]
    assert invalid_path(lambda: beside.referral_to_json(bad)) == "consent_ids[1]"
    assert invalid_path(
        lambda: beside.referral_propose(
            "r1", "case-01", "safety", "s1", "o1", ["c1"],
            [ResponseTime.SERVICE(respond_within_minutes=0)], at(5),
        )
    ) == "response_times[0].respond_within_minutes"
    assert invalid_path(
        lambda: beside.referral_apply(bad, ReferralEvent.SEND(), at(10), None)
    ) == "consent_ids[1]"
    assert invalid_path(
        lambda: beside.referral_apply(good, ReferralEvent.SEND(), at(10), " w1")
    ) == "by"
    assert invalid_path(
        lambda: beside.referrals_withdraw_for_revoked([good], ["c1", ""], at(10))
    ) == "revoked[1]"
    assert invalid_path(lambda: beside.referral_dependent_actions([good, bad])) == (
        "[1].consent_ids[1]"
    )
    future = copy(good)
    future.created_at = at(100_000)
    assert invalid_path(lambda: beside.referrals_overdue([good, future], at(10))) == (
        "[1].created_at"
    )
    version = ReferralVersion(value=good, edited_by=None, edited_at=at(6))
    assert invalid_path(
        lambda: beside.merge_referrals(
            None, version, ReferralVersion(value=future, edited_by=None, edited_at=at(6)), at(10)
        )
    ) == "theirs.value.created_at"
    other = copy(good)
    other.id = "r2"
    other_version = ReferralVersion(value=other, edited_by=None, edited_at=at(6))
    assert refused_code(
        lambda: beside.merge_referrals(None, version, other_version, at(10))
    ) == "different_records"
    p = problem()
    p.eligible[3] = EligibleArc(case="c3", service="nowhere", cost=2)
    assert invalid_path(lambda: beside.assign_solve(p)) == "eligible[3].service"
    assert invalid_path(lambda: beside.assign_solve_with_stats(p)) == "eligible[3].service"
    # The same problem as JSON is refused with the same path.
    p_json = json.loads(beside.assignment_problem_to_json(problem()))
    p_json["eligible"][3]["service"] = "nowhere"
    from_json = beside.assignment_problem_from_json(json.dumps(p_json))
    assert invalid_path(lambda: beside.assign_solve(from_json)) == "eligible[3].service"
    for render in (
        lambda: beside.render_awaiting(Awaiting.SEND, "xx"),
        lambda: beside.render_shortfall(Shortfall.NO_ELIGIBLE_SERVICE(), "klingon"),
        lambda: beside.render_case_outcome(
            CaseOutcome.ASSIGNED(units=1, cost=0), ""
        ),
    ):
        with pytest.raises(BesideError.Invalid) as info:
            render()
        assert info.value.path == "locale" and "en" in info.value.detail


def test_json_pairs_read_what_they_write():
    r = proposed([RED_FLAG, OWN])
    assert beside.referral_from_json(beside.referral_to_json(r)) == r
    assert json.loads(beside.referral_to_json(r))["state"] == {"state": "proposed"}
    event = ReferralEvent.CLOSE(reason=beside.CloseReason.LOST_CONTACT)
    assert json.loads(beside.referral_event_to_json(event)) == {
        "event": "close",
        "reason": "lost_contact",
    }
    assert beside.referral_event_from_json('{"event": "send"}') == ReferralEvent.SEND()
    assert beside.response_time_from_json(beside.response_time_to_json(RED_FLAG)) == RED_FLAG
    with pytest.raises(BesideError.Invalid) as info:
        beside.referral_event_from_json('{"event": "send", "reason": "other"}')
    assert "reason" in info.value.detail


def test_a_batch_assignment_as_a_table():
    from beside import research
    a = beside.assign_solve(problem())
    rows = research.assignment_table(a, "pyarrow").to_pylist()
    assert [r["case_id"] for r in rows] == [c.case for c in a.cases]
    assert sum(r["units"] for r in rows) == a.totals.units_placed == 2
    unplaced = [r for r in rows if r["outcome"] == "unassigned"]
    assert len(unplaced) == 1 and unplaced[0]["service_id"] is None
    assert unplaced[0]["shortfall"] in ("capacity_exhausted", "outranked_by_higher_priority")
