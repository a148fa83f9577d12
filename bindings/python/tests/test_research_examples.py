"""The analyses under examples/research/ run on a seeded synthetic cohort, write their PNG
pictures and CSV tables, and their numbers are checked here against independent counts (the
pixels are not)."""

import csv
import datetime as dt
import importlib.util
import pathlib
import sys
from collections import Counter

import pytest

import beside
from beside import research

EXAMPLES = pathlib.Path(__file__).resolve().parents[3] / "examples" / "research"
AS_OF = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.timezone.utc)
N, SEED, K = 300, 16, 11
# The scripts import their shared helpers (`_common.py`) from their own folder, as they do
# when run as `python examples/research/<name>.py`.
sys.path.insert(0, str(EXAMPLES))


def script(name):
    spec = importlib.util.spec_from_file_location(f"research_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cohort():
    cases = research.synthetic_cohort(N, seed=SEED, as_of=AS_OF)
    consent = research.synthetic_consent(cases, as_of=AS_OF)
    return [c for c in cases if consent.permits(c.profile.case_id)]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("research")


def run(name, out):
    script(name).main(["--cases", str(N), "--seed", str(SEED), "--out", str(out)])


def table(path):
    """The comment line and the rows of a CSV the scripts write."""
    with path.open() as f:
        header = f.readline()
        return header, list(csv.DictReader(f))


def picture(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, path


def test_every_script_is_tested():
    names = {p.stem for p in EXAMPLES.glob("*.py") if not p.stem.startswith("_")}
    assert names == {"trajectories", "risk_factors", "disaggregated", "matching_gains",
                     "gap_map"}


def test_the_generator_is_seeded_and_labelled_synthetic(cohort):
    again = research.synthetic_cohort(N, seed=SEED, as_of=AS_OF)
    assert [c.profile.case_id for c in again[:5]] == [f"syn-{i:07d}" for i in range(5)]
    assert research.synthetic_cohort(5, seed=SEED, as_of=AS_OF) == again[:5]
    assert all(c.profile.summary.startswith("Synthetic.") for c in again)
    t = research.cases_table(again)
    assert list(t.columns) == list(research.CASE_COLUMNS) and len(t) == N
    assert (t["research_consent"] == "agreed").sum() > 0.7 * N
    with pytest.raises(beside.BesideError):
        beside.synthetic_cases(SEED, 0, 10_001, AS_OF)


def test_trajectories(cohort, out):
    run("trajectories", out)
    header, rows = table(out / "trajectories.csv")
    assert f"cases used {len(cohort)}, left out by consent {N - len(cohort)}" in header
    picture(out / "trajectories.png")
    shown = [r for r in rows if r["suppressed"] == "False"]
    assert shown and all(int(r["cases"]) >= K for r in shown)
    assert all(r["cases"] == "" for r in rows if r["suppressed"] == "True")
    # One cell recomputed here: women back on their own way, in their first three months.
    engine = beside.ReintegrationEngine()
    cases, total, scored = set(), 0.0, 0
    for c in cohort:
        if c.profile.person.gender != beside.Gender.FEMALE() or \
                c.profile.return_journey.route != beside.ReturnRoute.OWN_WAY:
            continue
        returned = dt.date.fromisoformat(c.profile.return_journey.returned_on)
        for p in engine.trajectory(c.timeline, c.assessments, AS_OF).points:
            if (p.assessed_at.date() - returned).days / 30.4375 < 3:
                cases.add(c.profile.case_id)
                if p.index is not None:
                    total, scored = total + p.index, scored + 1
    row = next(r for r in rows if (r["return_route"], r["gender"], r["months_since_return"])
               == ("own_way", "female", "0-3"))
    assert int(row["cases"]) == len(cases)
    assert float(row["mean_index"]) == pytest.approx(total / scored, abs=5e-4)


def test_disaggregated(cohort, out):
    run("disaggregated", out)
    header, _ = table(out / "disaggregated.csv")
    picture(out / "disaggregated.png")
    with (out / "disaggregated.csv").open() as f:
        lines = list(csv.reader(f))[1:]
    head, body = lines[0], lines[1:]
    assert head == ["age_band", "sex", "formal", "own_way", "unknown", "total"]
    t = research.cases_table(cohort)
    sex = t["gender"].where(t["gender"].isin(["female", "male"]), "other")
    want = Counter(zip(t["age_band"], sex, t["return_route"]))
    for row in body[:-1]:
        age, s, *cells, total = row
        for route, cell in zip(head[2:5], cells):
            if cell.isdigit():  # published: the true count, never a small one
                assert int(cell) == want[(age, s, route)]
                assert int(cell) == 0 or int(cell) >= K
        # Never exactly one figure of a row suppressed: it would be the total minus the rest.
        assert sum(not v.isdigit() for v in [*cells, total]) != 1, row
    assert body[-1][-1] == str(len(cohort))
    # The long form says the same: a published cell is the true count, a suppressed one empty.
    _, long = table(out / "disaggregated_long.csv")
    cells = [r for r in long if r["cell_kind"] == "cell"]
    assert len(cells) == len(body[:-1]) * 3 and len(long) == len(cells) + len(body) + 3
    for r in cells:
        n = want[(r["age_band"], r["sex"], r["return_route"])]
        assert r["count"] == ("" if r["suppressed"] == "True" else str(n)), r
        assert (r["why"] != "") == (r["suppressed"] == "True")
    assert sum(r["suppressed"] == "True" for r in cells) == sum(
        not v.isdigit() for row in body[:-1] for v in row[2:5])


def test_risk_factors(cohort, out):
    run("risk_factors", out)
    picture(out / "risk_factors.png")
    _, factors = table(out / "risk_factors.csv")
    _, levels = table(out / "risk_levels.csv")
    assert levels[-1]["return_route"] == "total" and levels[-1]["total"] == str(len(cohort))
    engine = beside.ReintegrationEngine()
    risks = [engine.risk(c.timeline.risk_inputs[-1]) for c in cohort]
    per_level = Counter(research.key(r.level) for r in risks)
    for level in ("low", "moderate", "high"):
        assert levels[-1][level] in (str(per_level[level]), "<11", "suppressed")
    broker = sum(any(f.is_debt() and f.creditor == beside.Creditor.BROKER for f in r.factors)
                 for r in risks)
    row = next(r for r in factors if r["factor"] == "debt_broker")
    assert row["cases"] in (str(broker), "")
    for r in factors:
        for level in ("low", "moderate", "high"):
            v = r[f"share_at_{level}"]
            assert v == "" or 0 <= float(v) <= 1


def test_matching_gains(cohort, out):
    run("matching_gains", out)
    picture(out / "matching_gains.png")
    header, rows = table(out / "matching_gains.csv")
    by = {r["method"]: r for r in rows}
    assert list(by) == ["exact", "first_come_greedy", "nearest_provider"]
    people = int(header.split("caseload of ")[1].split(" ")[0])
    assert 0 < people <= len(cohort)
    # The exact assignment maximises priority placed first: neither rule of thumb beats it.
    exact = int(by["exact"]["priority_served"])
    for other in ("first_come_greedy", "nearest_provider"):
        assert exact >= int(by[other]["priority_served"])
        assert float(by[other]["exact_gain_priority_pct"]) >= 0
    assert all(int(r["people_placed"]) <= people and int(r["places_idle"]) >= 0 for r in rows)


def test_gap_map(cohort, out):
    run("gap_map", out)
    picture(out / "gap_map.png")
    _, rows = table(out / "gap_map.csv")
    assert len(rows) == 6 * 16
    for r in rows:
        assert int(r["listed"]) == int(r["reachable"]) + int(r["paper_only"]), r
        assert (r["why_paper_only"] == "") == (r["paper_only"] == "0"), r
        n = r["people_with_this_need_first"]
        assert n in ("<11", "suppressed") or int(n) == 0 or int(n) >= K
