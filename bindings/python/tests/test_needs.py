"""Needs prioritisation: typed and JSON forms, batches, comparison, typed errors."""

import datetime as dt
import json

import pytest

import beside
from beside import (
    AssessmentInput,
    BesideError,
    DomainRatingInput,
    NeedReason,
    NeedUrgency,
    RatingValue,
    RedFlagKind,
)

UTC = dt.timezone.utc


def typed(a):
    """A sample assessment (JSON dict) as the typed record."""

    def rating(r):
        if r == "declined":
            return RatingValue.DECLINED()
        if r == "not_assessed":
            return RatingValue.NOT_ASSESSED()
        return RatingValue.LEVEL(level=r["level"])

    return AssessmentInput(
        id=a["id"],
        case_id=a["case_id"],
        assessed_at=dt.datetime.fromisoformat(a["assessed_at"].replace("Z", "+00:00")),
        assessed_by=a["assessed_by"],
        ratings=[DomainRatingInput(domain=r["domain"], rating=rating(r["rating"])) for r in a["ratings"]],
        red_flags=[getattr(RedFlagKind, f.upper()) for f in a.get("red_flags", [])],
        own_priorities=a.get("own_priorities", []),
        not_now=a.get("not_now", []),
    )


def test_engine_basics(engine):
    assert engine.domain_count() == 16
    assert "food" in engine.domains() and len(engine.domains()) == 16
    model = engine.model_json()
    assert beside.NeedsEngine.from_json(model).domains() == engine.domains()


def test_prioritise_typed_matches_json(engine, assessments):
    for a in assessments:
        t = engine.prioritise(typed(a))
        j = json.loads(engine.prioritise_json(json.dumps(a)))
        assert [i.domain for i in t.items] == [i["domain"] for i in j["items"]]
        assert [i.score for i in t.items] == [i["score"] for i in j["items"]]
        assert t.case_id == a["case_id"]
        assert all(i.english for i in t.items)
        assert engine.english_lines_json(json.dumps(j)) == [i.english for i in t.items]


def test_reasons_are_typed(engine, assessments):
    t = engine.prioritise(typed(assessments[0]))
    first = t.items[0]
    assert first.position == 1
    assert isinstance(first.urgency, NeedUrgency)
    reasons = [r for i in t.items for r in i.reasons]
    assert any(isinstance(r, NeedReason.OWN_RANK) for r in reasons)
    # the person's "not now" domain is listed but not referable
    legal = [i for i in t.items if i.domain == "legal"]
    assert all(not i.referable for i in legal)


def test_batches(engine, assessments):
    out = json.loads(engine.prioritise_batch_json(json.dumps(assessments)))
    assert [p["assessment_id"] for p in out] == [a["id"] for a in assessments]
    typed_out = engine.prioritise_batch([typed(a) for a in assessments])
    assert [p.assessment_id for p in typed_out] == [a["id"] for a in assessments]
    s = json.loads(engine.summarise_json(json.dumps(assessments)))
    assert s["assessments"] == len(assessments) and s["rejected"] == 0
    st = engine.summarise_batch_json(json.dumps(assessments))
    assert st.assessments == len(assessments)
    assert sum(c.count for c in st.first_referable) == s["assessments"]
    st2 = engine.summarise([typed(a) for a in assessments])
    assert st2 == st


def test_validate_assessment(engine, assessments):
    now = dt.datetime(2030, 1, 1, tzinfo=UTC)
    engine.validate_assessment_json(json.dumps(assessments[0]), now)
    past = dt.datetime(2000, 1, 1, tzinfo=UTC)
    with pytest.raises(BesideError.Invalid) as info:
        engine.validate_assessment_json(json.dumps(assessments[0]), past)
    assert info.value.reason == "in_future"


def test_compare(engine):
    journey = json.loads(beside.sample_assessments_of_json("case-01"))
    before, after = journey[0], journey[1]
    c = engine.compare(typed(before), typed(after))
    j = json.loads(engine.compare_json(json.dumps(before), json.dumps(after)))
    assert c.days_between == j["days_between"]
    assert c.setbacks == j["setbacks"]
    assert {ch.change for ch in c.changes} <= {"improved", "worsened", "unchanged", "not_comparable"}


def test_compare_different_cases_is_refused(engine, assessments):
    other = next(a for a in assessments if a["case_id"] != assessments[0]["case_id"])
    with pytest.raises(BesideError.Refused) as info:
        engine.compare(typed(assessments[0]), typed(other))
    assert info.value.code == "different_cases"


def test_unknown_domain_is_a_typed_error(engine, assessments):
    bad = dict(assessments[0])
    bad["ratings"] = [{"domain": "unicorns", "rating": {"level": 1}}]
    with pytest.raises(BesideError.Invalid) as info:
        engine.prioritise_json(json.dumps(bad))
    assert info.value.path == "ratings[0].domain"
    assert info.value.reason == "unknown"
    errors = json.loads(info.value.errors_json)["errors"]
    assert "food" in errors[0]["reason"]["known"]


def test_bad_typed_input_names_fields(engine, assessments):
    t = typed(assessments[0])
    t.ratings[0] = DomainRatingInput(domain="food", rating=RatingValue.LEVEL(level=9))
    with pytest.raises(BesideError.Invalid) as info:
        engine.prioritise(t)
    assert info.value.path == "ratings[0].rating"


def test_malformed_json_and_bad_model():
    with pytest.raises(BesideError.Invalid) as info:
        beside.NeedsEngine().prioritise_json("{not json")
    assert info.value.reason == "malformed"
    with pytest.raises(BesideError.Invalid):
        beside.NeedsEngine.from_json('{"catalogue": {"domains": []}}')
    with pytest.raises(BesideError.Invalid) as info:
        beside.NeedsEngine().prioritise_batch_json(json.dumps([{"id": "x"}]))
    assert info.value.path.startswith("[0]")


def test_packed_batch_matches_the_record_path():
    engine = beside.NeedsEngine()
    samples = json.loads(beside.sample_assessments_json())
    packed = engine.pack_json(json.dumps(samples))
    assert isinstance(packed.ratings, bytes) and packed.width == 16
    assert len(packed.red_flags) == len(samples)
    ranked = engine.rank_packed(packed)
    assert ranked.rows == len(samples) and isinstance(ranked.entries, bytes)
    domains = engine.domains()
    for row, a in enumerate(samples):
        full = engine.prioritise(typed(a))
        start = row * ranked.width * 8
        order = [domains[ranked.entries[start + 8 * i]] for i in range(ranked.lens[row])]
        assert order == [i.domain for i in full.items]
        scores = [int.from_bytes(ranked.entries[start + 8 * i + 4:start + 8 * i + 8], "little")
                  for i in range(ranked.lens[row])]
        assert len(scores) == len(full.items)
        spelled = engine.prioritise_packed_row(packed, row, a["id"], a["case_id"], full.assessed_at)
        assert spelled == full
    summary = engine.summarise_packed(packed)
    assert summary == engine.summarise_batch_json(json.dumps(samples))


def test_packed_bytes_built_by_hand_and_their_errors():
    engine = beside.NeedsEngine()
    w = 16
    ratings = bytearray(2 * w)
    ratings[0], ratings[10] = 1, 2            # row 0: food in crisis, livelihood vulnerable
    ratings[w + 0], ratings[w + 10] = 1, 2    # row 1: the same, and she ranks livelihood first
    own = bytearray(2 * w)
    own[w + 10] = 1
    batch = beside.PackedAssessments(width=w, ratings=bytes(ratings), own_ranks=bytes(own),
                                     not_now=bytes(4), red_flags=bytes([0, 0b100]))
    ranked = engine.rank_packed(batch)
    assert list(ranked.lens) == [2, 3]
    assert [ranked.entries[8 * i] for i in range(2)] == [0, 10]          # food blocks livelihood
    assert [ranked.entries[w * 8 + 8 * i] for i in range(3)] == [3, 10, 0]  # red flag, her choice
    ratings[5] = 9
    bad = beside.PackedAssessments(width=w, ratings=bytes(ratings), own_ranks=bytes(own),
                                   not_now=bytes(4), red_flags=bytes([0, 0b100]))
    with pytest.raises(beside.BesideError.Invalid) as info:
        engine.rank_packed(bad)
    assert info.value.path == "rows[0].ratings[5]"
    with pytest.raises(beside.BesideError.Invalid) as info:
        engine.rank_packed(beside.PackedAssessments(width=w, ratings=b"", own_ranks=b"",
                                                    not_now=b"", red_flags=b"\x00"))
    assert info.value.path == "ratings"
    with pytest.raises(beside.BesideError.NotFound):
        engine.prioritise_packed_row(batch, 2, "a-1", "case-01", dt.datetime.now(dt.timezone.utc))
