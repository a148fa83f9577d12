"""Referral matching and the directory, typed end to end: a case and its prioritisation make a
match request; the directory (sample, record, HSDS) matches it with the case's consent ledger
and plans; gap tables and unmet need; exclusions and score factors as enums with their
figures; words as separate calls with a locale; JSON pairs; one bad input per operation."""

import copy
import datetime as dt
import json

import pytest

import beside
from beside import BesideError, ConsentEngine, NeedsEngine, ReferralDirectory
from beside.beside_referral import (
    ChoiceReason,
    Exclusion,
    ExclusionCode,
    GapQuery,
    PaperReason,
    PathwayStep,
    TermCode,
    Veto,
    Viewer,
)

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def directory():
    return ReferralDirectory.sample()


def prioritisation(case_id):
    return NeedsEngine().prioritise(beside.sample_latest_assessment(case_id))


def request(case_id="case-01"):
    return beside.match_request(beside.sample_case(case_id), prioritisation(case_id), WHEN)


def test_the_typed_chain(directory):
    assert directory.service_count() == 100 and directory.organization_count() == 80
    assert "food" in directory.domains()
    prio = prioritisation("case-01")
    req = beside.match_request(beside.sample_case("case-01"), prio, WHEN)
    assert req.case_id == "case-01"
    assert req.needs == [i.domain for i in prio.items if i.referable]
    ledger = ConsentEngine.sample("case-01")
    result = directory.match_case(req, ledger)
    assert result.consent_checked
    assert [n.domain for n in result.needs] == req.needs
    for need in result.needs:
        scores = [c.score for c in need.candidates]
        assert scores == sorted(scores, reverse=True)
        for c in need.candidates:
            assert len(c.factors) == 6
            assert abs(sum(f.points for f in c.factors) - c.score) < 1e-9
        for miss in need.near_misses:
            # a near miss is a place to look: never a veto or a safety flag
            assert not isinstance(miss.exclusion, (Exclusion.VETOED, Exclusion.FLAGGED_UNSAFE))
    best = next(c for n in result.needs for c in n.candidates)
    lines = beside.render_candidate(best, "en")
    assert len(lines) >= 6 and all(lines)
    plan = directory.plan(prio, req, ledger)
    assert plan.steps and plan.consent_checked
    assert [s.step for s in plan.steps] == list(range(1, len(plan.steps) + 1))
    assert all(beside.render_choice_reason(s.reason, "en") for s in plan.steps)
    for left in plan.left_out:
        assert beside.render_left_out_reason(left.reason, "en")


def test_exclusions_cross_with_their_figures(directory):
    req = request()
    req.travel_limit_km = 1.0
    result = directory.match_case(req, None)
    assert not result.consent_checked
    misses = [m for n in result.needs for m in n.near_misses
              if isinstance(m.exclusion, Exclusion.BEYOND_TRAVEL_LIMIT)]
    assert misses
    e = misses[0].exclusion
    assert e.limit_km == 1.0 and e.distance_km > 1.0
    assert "1.0 km" in beside.render_exclusion(e, "en")
    counted = {t.code for n in result.needs for t in n.exclusions}
    assert ExclusionCode.BEYOND_TRAVEL_LIMIT in counted


def test_a_confidential_shelter_is_matched_without_its_whereabouts(directory):
    shelter = next(l for l in directory.directory().locations if l.confidential is not None)
    assert shelter.address and shelter.coordinates
    req = request()
    req.needs = ["shelter"]
    assert req.viewer == Viewer.PUBLIC()  # the safe default
    result = directory.match_case(req, None)
    text = beside.match_result_to_json(result)
    # Neither its coordinates nor its address come back, and the distance is a band.
    for secret in (repr(shelter.coordinates.latitude), repr(shelter.coordinates.longitude),
                   shelter.address):
        assert secret not in text
    c = next(c for c in result.needs[0].candidates
             if c.organization_id == shelter.organization_id)
    assert c.distance_km is None and c.withheld is not None
    assert c.withheld.distance_band is not None
    assert beside.render_candidate(c, "en")[-1].startswith("a confidential place")
    assert not beside.may_see_whereabouts(shelter, Viewer.PUBLIC())
    # The organisation it is disclosed to sees the exact distance.
    office = shelter.confidential.disclosed_to[0]
    req.viewer = Viewer.ORGANIZATION(id=office)
    assert beside.may_see_whereabouts(shelter, req.viewer)
    entitled = directory.match_case(req, None)
    e = next(c for c in entitled.needs[0].candidates
             if c.organization_id == shelter.organization_id)
    assert e.withheld is None and e.distance_km > 0
    # The default HSDS export is for the public.
    assert shelter.address not in directory.hsds_export()


def test_a_veto_always_wins(directory):
    req = request()
    req.needs = ["food"]
    top = directory.match_case(req, None).needs[0].candidates[0]
    vetoed = copy.copy(req)
    vetoed.vetoes = [Veto.ORGANIZATION(id=top.organization_id)]
    again = directory.match_case(vetoed, None).needs[0]
    assert top.service_id not in [c.service_id for c in again.candidates]
    assert any(t.code == ExclusionCode.VETOED and t.count >= 1 for t in again.exclusions)


def test_gaps_and_unmet_need(directory):
    query = GapQuery(areas=[["BD", "Khulna", "Jashore"], ["KH", "Battambang"]],
                     needs=["food", "legal"], languages=[])
    rows = directory.gaps(query)
    assert [(r.area[-1], r.domain) for r in rows] == [
        ("Jashore", "food"), ("Jashore", "legal"), ("Battambang", "food"), ("Battambang", "legal")]
    assert all(r.reachable <= r.listed for r in rows)
    assert " in " in beside.render_area_need_gap(rows[0], "en")
    for row in rows:
        for paper in row.paper_only:
            assert all(beside.render_paper_reason(r, "en") for r in paper.reasons)
    assert beside.render_paper_reason(PaperReason.REQUIRES_COURT_ORDER, "en") == "only with a court order"
    unmet = directory.unmet_needs([request("case-01"), request("case-02")], 2)
    assert unmet and all(u.unmet <= u.people for u in unmet)


def test_hsds_round_trip(directory):
    # The keeper's export: the confidential shelter whole (the default export is for the public).
    keeper = beside.export_options_from_json('{"viewer": {"viewer": "keeper"}}')
    assert keeper.viewer == Viewer.KEEPER()
    hsds = directory.hsds_export(keeper)
    imported = beside.hsds_import(hsds)
    assert imported.report.complete
    assert imported.directory == directory.directory()
    again = ReferralDirectory.from_hsds(hsds, beside.default_import_options())
    assert again.service_count() == directory.service_count()
    assert ReferralDirectory(beside.sample_directory()).domains() == directory.domains()


def test_json_pairs_round_trip(directory):
    req = request()
    assert beside.match_request_from_json(beside.match_request_to_json(req)) == req
    result = directory.match_case(req, None)
    text = beside.match_result_to_json(result)
    assert json.loads(text)["case_id"] == "case-01"
    assert beside.match_result_from_json(text) == result
    plan = directory.plan(prioritisation("case-01"), req, None)
    assert beside.plan_from_json(beside.plan_to_json(plan)) == plan
    d = beside.sample_directory()
    assert beside.directory_from_json(beside.directory_to_json(d)) == d
    config = beside.default_match_config()
    assert beside.match_config_from_json(beside.match_config_to_json(config)) == config


# One bad input per operation: the typed error names the field.

def test_bad_match_request_names_the_field(directory):
    req = request()
    req.travel_limit_km = -1.0
    with pytest.raises(BesideError.Invalid) as info:
        directory.match_case(req, None)
    assert info.value.path == "travel_limit_km"
    req = request()
    req.needs = ["food", "Not A Key"]
    with pytest.raises(BesideError.Invalid) as typed:
        directory.match_case(req, None)
    assert typed.value.path == "needs[1]"
    text = json.loads(beside.match_request_to_json(request()))
    text["needs"] = ["food", "Not A Key"]
    with pytest.raises(BesideError.Invalid) as from_json:
        beside.match_request_from_json(json.dumps(text))
    assert from_json.value.path == typed.value.path


def test_bad_plan_inputs_are_refused(directory):
    req = request()
    req.travel_limit_km = -1.0
    with pytest.raises(BesideError.Invalid) as info:
        directory.plan(prioritisation("case-01"), req, None)
    assert info.value.path == "travel_limit_km"
    with pytest.raises(BesideError.Refused) as other:
        directory.plan(prioritisation("case-02"), request("case-01"), None)
    assert other.value.code == "different_cases"


def test_a_ledger_of_another_case_is_refused(directory):
    with pytest.raises(BesideError.Refused) as info:
        directory.match_case(request("case-01"), ConsentEngine.sample("case-02"))
    assert info.value.code == "different_cases"


def test_bad_match_request_inputs():
    with pytest.raises(BesideError.Refused) as info:
        beside.match_request(beside.sample_case("case-01"), prioritisation("case-02"), WHEN)
    assert info.value.code == "different_cases"


def test_bad_gap_query_and_cohort(directory):
    with pytest.raises(BesideError.Invalid) as info:
        directory.gaps(GapQuery(areas=[], needs=[], languages=[]))
    assert info.value.path == "areas"
    bad = request("case-02")
    bad.travel_limit_km = -1.0
    with pytest.raises(BesideError.Invalid) as cohort:
        directory.unmet_needs([request("case-01"), bad], 1)
    assert cohort.value.path == "[1].travel_limit_km"


def test_bad_directory_and_hsds():
    d = beside.sample_directory()
    d.services[0].domains = ["Not A Key"]
    with pytest.raises(BesideError.Invalid) as info:
        ReferralDirectory(d)
    assert info.value.path == "services[0].domains[0]"
    options = beside.default_import_options()
    options.term_codes = [TermCode(taxonomy="mine", code="x", beside_code="no_such_code", value=None)]
    with pytest.raises(BesideError.Invalid) as bad_options:
        beside.hsds_import("[]", options)
    assert bad_options.value.path == "term_codes[0].beside_code"
    with pytest.raises(BesideError.Refused):
        ReferralDirectory.from_hsds('{"oops": 1}')
    with pytest.raises(BesideError.Invalid) as malformed:
        beside.directory_from_json('{"organizations": []')
    assert malformed.value.errors


def test_words_need_a_known_locale():
    with pytest.raises(BesideError.Invalid) as info:
        beside.render_pathway_step(PathwayStep.OBTAIN_COURT_ORDER, "xx")
    assert info.value.path == "locale"
    assert "en" in info.value.detail
    assert beside.render_pathway_step(PathwayStep.OBTAIN_COURT_ORDER, "en")
    assert beside.render_choice_reason(ChoiceReason.BEST_SCORE(score=0.5), "en")


def test_match_results_and_gaps_as_tables(directory):
    from beside import research
    results = [directory.match_case(request(c), None) for c in ("case-01", "case-02", "case-03")]
    t = research.match_tables(results, "pyarrow")
    rows = t["matches"].to_pylist()
    want = [(str(r.case_id), n.domain, i + 1, c.service_id, c.score)
            for r in results for n in r.needs for i, c in enumerate(n.candidates)]
    assert rows and [(x["case_id"], x["domain"], x["rank"], x["service_id"], x["score"])
                     for x in rows] == want
    assert all(len(x["factors"]) == 6 for x in rows)
    counts = [x for x in t["exclusions"].to_pylist() if not x["near_miss"]]
    assert sum(x["count"] for x in counts) == sum(
        e.count for r in results for n in r.needs for e in n.exclusions)
    query = GapQuery(areas=[["BD", "Khulna", "Jashore"], ["KH", "Battambang"]],
                     needs=["food", "legal"], languages=[])
    gaps = directory.gaps(query)
    g = research.gaps_table(gaps)
    assert list(g["listed"]) == [r.listed for r in gaps]
    assert list(g["reachable"]) == [r.reachable for r in gaps]
    assert list(g["paper_only_count"]) == [r.listed - r.reachable for r in gaps]
