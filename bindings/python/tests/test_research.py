"""beside.research: pandas, polars and pyarrow tables in, the same kind out; consent first;
errors that name the column or the row."""

import datetime as dt

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import beside
from beside import research

UTC = dt.timezone.utc
AT = dt.datetime(2026, 6, 1, tzinfo=UTC)


def consent(cases, categories=(beside.DataCategory.HEALTH,)):
    """The bundled sample ledgers, asked for a research organisation."""
    return research.Consent(
        [beside.sample_ledger(c) for c in cases],
        beside.Recipient(organization_id="org-research-01", kind=beside.OrganizationKind.RESEARCH),
        list(categories),
        at=AT,
    )


@pytest.fixture(scope="module")
def samples():
    return beside.sample_assessments()


@pytest.fixture(scope="module")
def table(samples):
    """The samples as a researcher's long-form table (one row per rating)."""
    return pa.ipc.open_stream(beside.assessments_table(samples)).read_all()


@pytest.fixture(scope="module")
def cases(samples):
    return sorted({a.case_id for a in samples})


def test_only_cases_whose_consent_permits_are_used(samples, table, cases):
    # Of the 14 sample cases only case-14 consented to statistics and de-identified research
    # (for health data, any recipient); the other 13 are left out and only counted.
    out, left_out = research.prioritise(table, consent(cases))
    assert isinstance(out, pa.Table) and left_out == 13
    assert set(out["case_id"].to_pylist()) == {"case-14"}
    mine = [a for a in samples if a.case_id == "case-14"]
    engine = beside.NeedsEngine()
    want = engine.prioritise_batch(mine)
    got = beside.read_priorities_table(_ipc(out))
    assert got == want
    summary, left_out = research.summarise(table, consent(cases))
    assert left_out == 13 and summary == engine.summarise(mine)
    # Asking for data the consent does not cover (mental health too) leaves case-14 out.
    out, left_out = research.prioritise(
        table, consent(cases, [beside.DataCategory.HEALTH, beside.DataCategory.MENTAL_HEALTH]))
    assert (out.num_rows, left_out) == (0, 14)


def _ipc(t):
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, t.schema) as w:
        w.write_table(t)
    return sink.getvalue().to_pybytes()


class Everyone(research.Consent):
    """A test double that permits every case (the bundled samples are synthetic)."""

    def __init__(self):
        pass

    def permits(self, case_id):
        return True


def test_pandas_polars_and_pyarrow_give_the_same_answers_in_their_own_kind(samples, table):
    want = beside.NeedsEngine().prioritise_batch(samples)
    out, left_out = research.prioritise(table, Everyone())
    assert left_out == 0 and beside.read_priorities_table(_ipc(out)) == want
    frame = table.to_pandas()  # levels with gaps arrive as float64, as from a CSV
    assert frame["level"].dtype == "float64"
    p, _ = research.prioritise(frame, Everyone())
    assert isinstance(p, pd.DataFrame) and len(p) == out.num_rows
    # The reasons stay Arrow-backed: no Python object per reason (a million assessments made
    # 40 million dicts, 130 s and 15 GB, before).
    assert isinstance(p["reasons"].dtype, pd.ArrowDtype)
    scores = [-1 if x is None else x for x in out["score"].to_pylist()]  # null: not listed
    assert p["score"].fillna(-1).astype(int).tolist() == scores
    # A categorical domain column, as pandas users keep it.
    frame["domain"] = frame["domain"].astype("category")
    p2, _ = research.prioritise(frame, Everyone())
    assert p2["domain"].astype(str).tolist() == p["domain"].astype(str).tolist()
    q, _ = research.prioritise(pl.from_arrow(table), Everyone())
    assert isinstance(q, pl.DataFrame) and q["score"].to_list() == out["score"].to_pylist()
    # The reasons, one row per reason, add up to each domain's score.
    rs = research.reasons(p)
    points = rs.groupby(["assessment_id", "domain"], observed=True)["points"].sum()
    listed = p[p["position"].notna()].set_index(["assessment_id", "domain"])["score"]
    assert (points.reindex(listed.index).fillna(0).astype(int) == listed.astype(int)).all()
    s, _ = research.summarise(frame, Everyone())
    assert s == beside.NeedsEngine().summarise(samples)


def invalid(fn):
    with pytest.raises(beside.BesideError.Invalid) as info:
        fn()
    return info.value


def test_bad_columns_and_values_are_named(table):
    frame = table.to_pandas()
    # A misspelled optional column is refused, not ignored: a "not now" must never be lost.
    e = invalid(lambda: research.prioritise(frame.rename(columns={"not_now": "notnow"}), Everyone()))
    assert e.path == "notnow" and "not_now" in e.errors[0].reason.known
    # Columns of one's own: drop them, or name them.
    with_district = frame.assign(district="Jashore")
    assert invalid(lambda: research.prioritise(with_district, Everyone())).path == "district"
    out, _ = research.prioritise(with_district, Everyone(), ignore_columns=["district"])
    assert len(out) > 0
    e = invalid(lambda: research.prioritise(frame.drop(columns=["domain"]), Everyone()))
    assert e.path == "domain"
    e = invalid(lambda: research.prioritise(frame.assign(level=frame["level"].astype(str)), Everyone()))
    assert e.path == "level" and "integers" in str(e)
    broken = frame.copy()
    broken.loc[3, "domain"] = None
    assert invalid(lambda: research.prioritise(broken, Everyone())).path == "rows[3].domain"
    broken = frame.copy()
    broken.loc[2, "level"] = 9
    assert invalid(lambda: research.prioritise(broken, Everyone())).path == "rows[2].level"
    broken = frame.copy()
    broken.loc[2, "level"] = 2.5
    with pytest.raises(ValueError, match="column `level`"):
        research.prioritise(broken, Everyone())
    # Two rows of one assessment that disagree on its case.
    broken = frame.copy()
    broken.loc[1, "case_id"] = "case-99"
    e = invalid(lambda: research.prioritise(broken, Everyone()))
    assert e.path == "rows[1].case_id"
    naive = frame.assign(assessed_at=frame["assessed_at"].dt.tz_localize(None))
    assert invalid(lambda: research.prioritise(naive, Everyone())).path == "assessed_at"
    with pytest.raises(TypeError):
        research.prioritise([{"case_id": "x"}], Everyone())
    with pytest.raises(ValueError):
        research.Consent([], beside.Recipient(organization_id="o", kind=beside.OrganizationKind.RESEARCH), [])


SYNTHETIC_AT = dt.datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def synthetic():
    cohort = research.synthetic_cohort(120, seed=16, as_of=SYNTHETIC_AT)
    return cohort, research.synthetic_consent(cohort, as_of=SYNTHETIC_AT)


def test_trajectory_tables_hold_what_the_records_say(synthetic):
    cohort, consent = synthetic
    result = research.trajectories(cohort, consent, as_of=SYNTHETIC_AT, kind="pyarrow")
    kept = [c for c in cohort if consent.permits(c.profile.case_id)]
    assert result.left_out == len(cohort) - len(kept) > 0
    engine = beside.ReintegrationEngine()
    records = [engine.trajectory(c.timeline, c.assessments, SYNTHETIC_AT) for c in kept]
    tables = result.table
    for name, schema in research.TRAJECTORY_TABLES.items():
        assert tables[name].schema.metadata[b"beside.schema"] == schema.encode()
    # Every point once, with its index; every setback once, at its point.
    points = tables["points"].to_pylist()
    want = [(str(t.case_id), i, p.index) for t in records for i, p in enumerate(t.points)]
    assert [(r["case_id"], r["point"], r["index"]) for r in points] == want
    setbacks = tables["setbacks"].to_pylist()
    assert [(r["case_id"], r["point"], r["kind"]) for r in setbacks] == [
        (str(t.case_id), s.point, "outcome" if s.is_outcome() else "domain")
        for t in records for s in t.setbacks]
    assert len(setbacks) > 0
    scores = tables["outcome_scores"]
    assert scores.num_rows == sum(len(t.scores) for t in records)
    assert tables["follow_ups"].num_rows == len(records)
    # Kinds: pandas and polars hold the same rows.
    as_pandas = research.trajectory_tables(records[:5])
    assert list(as_pandas["points"]["case_id"]) == [r["case_id"] for r in points
                                                     if r["case_id"] in
                                                     {str(t.case_id) for t in records[:5]}]
    assert research.trajectory_tables(records[:5], "polars")["points"].height == \
        len(as_pandas["points"])
    # A malformed record is named by its place in the batch.
    import copy
    bad = copy.copy(records[0])
    bad.case_id = ""
    with pytest.raises(beside.BesideError.Invalid) as e:
        research.trajectory_tables([records[1], bad])
    assert e.value.path == "trajectories[1].case_id"


def test_the_risk_table_lists_every_factor(synthetic):
    cohort, _ = synthetic
    engine = beside.ReintegrationEngine()
    risks = [engine.risk(c.timeline.risk_inputs[-1]) for c in cohort if c.timeline.risk_inputs]
    assert risks
    t = research.risk_table(risks, "pyarrow").to_pylist()
    assert [r["case_id"] for r in t] == [str(r.case_id) for r in risks]
    assert [r["level"] for r in t] == [research.key(r.level) for r in risks]
    assert [len(r["factors"]) for r in t] == [len(r.factors) for r in risks]


def test_a_suppressed_table_never_holds_a_suppressed_figure():
    counts = [[3, 40, 12], [25, 31, 2], [14, 15, 16]]
    t = research.suppressed(counts, 11, "pyarrow").to_pylist()
    cells = [r for r in t if r["cell_kind"] == "cell"]
    assert len(cells) == 9 and len(t) == 9 + 3 + 3 + 1
    for r in cells:
        original = counts[r["row"]][r["column"]]
        if r["suppressed"]:
            assert r["count"] is None and r["why"] is not None
        else:
            assert r["count"] == original
    # The two small cells are suppressed for being small, and at least one other beside each.
    small = {(r["row"], r["column"]) for r in cells if r["why"] == "below_threshold"}
    assert small == {(0, 0), (1, 2)}
    assert sum(r["suppressed"] for r in cells) > 2


def test_a_cohort_summary_table_says_what_the_summary_says(synthetic):
    cohort, _ = synthetic
    engine = beside.ReintegrationEngine()
    cases = [engine.cohort_case(engine.trajectory(c.timeline, c.assessments, SYNTHETIC_AT),
                                i % 4 != 0)
             for i, c in enumerate(cohort)]
    summary = beside.cohort_summary(cases, beside.default_cohort_config())
    t = research.cohort_summary_table(summary, "pyarrow").to_pylist()
    assert len(t) == 4 * 6 + 6 * 5 + 4 + 1
    total = t[-1]
    assert total["table"] == "total" and total["category"] is None
    assert total["count"] == sum(c.statistics_consent for c in cases)
    cells = [c for table in [*summary.outcomes, *summary.phases, summary.risk]
             for c in table.cells]
    for row, cell in zip(t, cells):
        if cell.count.is_PUBLISHED():
            assert row["count"] == cell.count.value and not row["suppressed"]
        else:
            assert row["count"] is None and row["suppressed"] and row["why"] is not None
    assert sum(r["suppressed"] for r in t[:-1]) == summary.suppressed_cells
    levels = [r["level"] for r in t if r["table"] == "outcome" and r["category"] != "not_scored"]
    assert levels == [1, 2, 3, 4, 5] * 4


def test_trajectories_from_tables_are_those_from_records(synthetic):
    cohort, consent = synthetic
    assessments = research.assessments_table(cohort)
    journeys = research.journeys_table(cohort)
    assert set(journeys["case_id"]) == {c.profile.case_id for c in cohort}
    result = research.trajectories_of(assessments, journeys, consent, as_of=SYNTHETIC_AT)
    kept = [c for c in cohort if consent.permits(c.profile.case_id)]
    assert result.left_out == len(cohort) - len(kept)
    # The journeys table holds the events, not the risk inputs: compare without them.
    engine = beside.ReintegrationEngine()
    records = []
    for c in kept:
        import copy
        timeline = copy.copy(c.timeline)  # the fixture's records stay as they are
        timeline.risk_inputs = []
        records.append(engine.trajectory(timeline, c.assessments, SYNTHETIC_AT))
    want = research.trajectory_tables(records)
    for name in research.TRAJECTORY_TABLES:
        got = result.table[name]
        assert list(got.columns) == list(want[name].columns), name
        assert got.astype(str).equals(want[name].astype(str)), name
    # A misspelled column is refused by name, with the known ones.
    with pytest.raises(beside.BesideError.Invalid) as e:
        research.trajectories_of(assessments, journeys.rename(columns={"phase": "phsae"}),
                                 consent, as_of=SYNTHETIC_AT)
    assert e.value.path == "journeys.phsae"
