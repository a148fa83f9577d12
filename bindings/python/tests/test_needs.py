"""Needs prioritisation, typed end to end: assessment -> prioritisation -> words; batches,
Arrow tables, comparison, merge; one bad-input error per operation; JSON round trips."""

import datetime as dt
import json

import pytest

import beside
from beside import (
    Assessment,
    Edit,
    BesideError,
    DomainRating,
    Level,
    NeedsEngine,
    PriorityReason,
    Rating,
    Reason,
    RedFlag,
    Urgency,
)

UTC = dt.timezone.utc
NOW = dt.datetime(2030, 1, 1, tzinfo=UTC)


def replace(record, **fields):
    """A copy of a uniffi record with some fields changed (records are plain classes)."""
    copy = type(record).__new__(type(record))
    copy.__dict__.update(record.__dict__)
    copy.__dict__.update(fields)
    return copy


@pytest.fixture()
def needs():
    return NeedsEngine()


@pytest.fixture()
def latest():
    return beside.sample_latest_assessment("case-01")


def made_here():
    """An assessment built field by field, as an app would."""
    return Assessment(
        id="a-new",
        case_id="case-77",
        assessed_at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        assessed_by="worker-1",
        ratings=[
            DomainRating(domain="food", rating=Rating.LEVEL(Level.IN_CRISIS)),
            DomainRating(domain="livelihood", rating=Rating.LEVEL(Level.VULNERABLE)),
            DomainRating(domain="legal", rating=Rating.DECLINED()),
        ],
        red_flags=[RedFlag.UNTREATED_INJURY],
        own_priorities=["livelihood"],
        not_now=[],
        extra={},
    )


def invalid(call):
    with pytest.raises(BesideError.Invalid) as info:
        call()
    return info.value


def test_the_typed_chain(needs):
    a = made_here()
    needs.validate_assessment(a, NOW)
    p = needs.prioritise(a)
    assert p.assessment_id == "a-new" and p.case_id == "case-77"
    first = p.items[0]
    assert first.urgency == Urgency.RED_FLAG and first.position == 1
    assert any(isinstance(r, PriorityReason.RED_FLAG) and r.flag == RedFlag.UNTREATED_INJURY
               and r.respond_within_minutes > 0 for r in first.reasons)
    livelihood = next(i for i in p.items if i.domain == "livelihood")
    assert any(isinstance(r, PriorityReason.OWN_RANK) and r.rank == 1 for r in livelihood.reasons)
    assert any(isinstance(r, PriorityReason.AHEAD_OF_BLOCKER) and r.blocker == "food"
               for r in livelihood.reasons)
    # Words are a separate call over the typed answer, in a locale.
    lines = beside.render_prioritisation(p, "en")
    assert len(lines) == len(p.items) and lines[0].startswith("1. ")
    assert beside.render_prioritisation(p, "en-GB") == lines


def test_batches_and_summaries(needs):
    samples = beside.sample_assessments()
    out = needs.prioritise_batch(samples)
    assert [p.assessment_id for p in out] == [a.id for a in samples]
    assert out[0] == needs.prioritise(samples[0])
    s = needs.summarise(samples)
    assert s.assessments == len(samples) and s.rejected == 0
    assert sum(c.count for c in s.first_referable) <= s.assessments


def test_tables_match_the_records(needs):
    samples = beside.sample_assessments()
    table = beside.assessments_table(samples)
    assert isinstance(table, bytes)  # an Arrow IPC stream: pyarrow.ipc.open_stream reads it
    assert needs.summarise_table(table) == needs.summarise(samples)
    assert beside.read_priorities_table(needs.prioritise_table(table)) == needs.prioritise_batch(samples)


def test_compare_and_render(needs):
    journey = beside.sample_assessments_of("case-01")
    c = needs.compare(journey[0], journey[1])
    assert c.case_id == "case-01" and c.before == journey[0].id
    assert all(isinstance(ch.change, beside.Change) for ch in c.changes)
    assert len(beside.render_comparison(c, "en")) == len(c.changes)


def test_merge_two_phones():
    journey = beside.sample_assessments_of("case-01")
    at = journey[0].assessed_at
    mine = replace(journey[0], ratings=[DomainRating(domain="food", rating=Rating.LEVEL(Level.THRIVING))])
    m = beside.merge_assessments(
        "case-01", [journey[0]],
        [mine], Edit(by="w1", at=at),
        journey, Edit(by="w2", at=at))
    assert [a.id for a in m.assessments] == [a.id for a in journey]


def test_models(needs):
    model = needs.model()
    again = NeedsEngine.with_model(model)
    assert again.domains() == needs.domains() and len(needs.domains()) == 16
    assert needs.domain_count() == 16


# --- one bad input per operation: typed errors with the JSON path ------------------------------

def test_bad_assessment_has_the_json_path(needs, latest):
    bad = replace(latest, assessed_by="")
    typed = invalid(lambda: needs.prioritise(bad))
    assert typed.path == "assessed_by" and "must not be empty" in typed.detail
    text = json.loads(beside.assessment_to_json(latest))
    text["assessed_by"] = ""
    as_json = invalid(lambda: beside.assessment_from_json(json.dumps(text)))
    assert as_json.path == typed.path
    assert type(as_json.errors[0].reason) is type(typed.errors[0].reason)


def test_each_operation_refuses_bad_input(needs, latest):
    unknown = replace(latest, ratings=[DomainRating(domain="unicorns", rating=Rating.LEVEL(Level.SAFE))])
    e = invalid(lambda: needs.prioritise(unknown))
    assert e.path == "ratings[0].domain"
    assert isinstance(e.errors[0].reason, Reason.UNKNOWN) and "food" in e.errors[0].reason.known
    assert invalid(lambda: needs.validate_assessment(latest, latest.assessed_at - dt.timedelta(days=1))).path == "assessed_at"
    bad_id = replace(latest, id="")
    assert invalid(lambda: needs.prioritise_batch([latest, bad_id])).path == "[1].id"
    assert invalid(lambda: needs.summarise([bad_id])).path == "[0].id"
    assert needs.summarise([unknown]).rejected == 1  # a catalogue rule: counted, as in JSON
    assert invalid(lambda: needs.compare(latest, bad_id)).path == "after.id"
    other = next(a for a in beside.sample_assessments() if a.case_id != latest.case_id)
    with pytest.raises(BesideError.Refused) as info:
        needs.compare(latest, other)
    assert info.value.code == "different_cases"
    # In a table, the row and column: the unknown domain is the first row of `unknown`.
    mixed = beside.assessments_table([latest, replace(unknown, id="a-unknown")])
    assert invalid(lambda: needs.prioritise_table(mixed)).path == f"rows[{len(latest.ratings)}].domain"
    assert invalid(lambda: beside.assessments_table([bad_id])).path == "[0].id"
    trailing = beside.assessments_table([latest]) + b"\0"
    assert invalid(lambda: needs.summarise_table(trailing)).path == ""
    model = needs.model()
    empty = replace(model, catalogue=replace(model.catalogue, domains=[]))
    assert invalid(lambda: NeedsEngine.with_model(empty)).path.startswith("catalogue")
    p = needs.prioritise(latest)
    e = invalid(lambda: beside.render_prioritisation(p, "xx"))
    assert e.path == "locale" and e.errors[0].reason.known == ["en", "bn", "km"]
    c = needs.compare(latest, latest)
    assert invalid(lambda: beside.render_comparison(c, "klingon")).path == "locale"
    at = latest.assessed_at
    with pytest.raises(BesideError.Refused) as info:
        beside.merge_assessments("case-02", [], [latest], Edit(by=None, at=at),
                                 [], Edit(by=None, at=at))
    assert info.value.code == "different_records"
    e = invalid(lambda: beside.merge_assessments(
        latest.case_id, [], [bad_id], Edit(by=None, at=at),
        [], Edit(by=None, at=at)))
    assert e.path == "ours[0].id"


# --- JSON: one from_json / to_json pair per record, matching schemas/ ---------------------------

def test_json_round_trips(needs, latest):
    a = beside.assessment_from_json(beside.assessment_to_json(latest))
    assert a == latest
    p = needs.prioritise(latest)
    assert beside.prioritisation_from_json(beside.prioritisation_to_json(p)) == p
    s = needs.summarise(beside.sample_assessments())
    assert beside.batch_summary_from_json(beside.batch_summary_to_json(s)) == s
    journey = beside.sample_assessments_of("case-01")
    c = needs.compare(journey[0], journey[1])
    assert beside.assessment_comparison_from_json(beside.assessment_comparison_to_json(c)) == c
    m = needs.model()
    assert beside.needs_model_from_json(beside.needs_model_to_json(m)) == m
    text = json.loads(beside.prioritisation_to_json(p))
    assert text["items"][0]["reasons"][0]["code"]  # reasons keep their JSON codes
    with pytest.raises(BesideError.Invalid) as info:
        beside.prioritisation_from_json("{not json")
    assert isinstance(info.value.errors[0].reason, Reason.MALFORMED)
