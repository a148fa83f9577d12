"""Outcome trajectories by return route and gender, setbacks marked, on a synthetic cohort.

    python examples/research/trajectories.py [--cases 2000] [--seed 16] [--out out/research]

Writes ``trajectories.csv`` (one row per return route x gender x three months since return:
cases, assessments, the mean overall reintegration index 1-5, outcome setbacks per 100
assessments; cells of fewer than 11 cases suppressed) and ``trajectories.png``. Only cases
whose consent permits statistics or de-identified research on health and mental health data
are used; the number left out is printed and written, never which ones.

Every case is synthetic (``beside.research.synthetic_cohort``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import beside
from beside import research

from _common import AS_OF, K, arguments, consented_cohort, header, pyplot, save, write_csv

#: Width of a time band, in months since return.
BAND_MONTHS = 3
ROUTES = ("formal", "own_way", "unknown")
GENDERS = ("female", "male", "other")


def points(case, trajectory):
    """(months since return, overall index or None, outcome setback here) per assessment."""
    returned = dt.date.fromisoformat(case.profile.return_journey.returned_on)
    fell = {s.point for s in trajectory.setbacks if s.is_outcome()}
    for i, p in enumerate(trajectory.points):
        months = (p.assessed_at.date() - returned).days / 30.4375
        yield months, p.index, i in fell


def analyse(cases: int, seed: int):
    """The table's rows and the number of cases left out by consent."""
    kept, left_out = consented_cohort(cases, seed)
    engine = beside.ReintegrationEngine()
    table = research.cases_table(kept, "pyarrow").to_pylist()
    cell = defaultdict(lambda: {"cases": set(), "assessments": 0, "scored": 0, "sum": 0.0,
                                "setbacks": 0})
    for case, row in zip(kept, table):
        route = row["return_route"]
        gender = row["gender"] if row["gender"] in ("female", "male") else "other"
        t = engine.trajectory(case.timeline, case.assessments, AS_OF)
        for months, index, setback in points(case, t):
            band = int(months // BAND_MONTHS) * BAND_MONTHS
            c = cell[(route, gender, band)]
            c["cases"].add(row["case_id"])
            c["assessments"] += 1
            c["setbacks"] += setback
            if index is not None:
                c["scored"] += 1
                c["sum"] += index
    rows = []
    for (route, gender, band), c in sorted(cell.items(), key=lambda kv: (
            ROUTES.index(kv[0][0]), GENDERS.index(kv[0][1]), kv[0][2])):
        shown = len(c["cases"]) >= K
        rows.append({
            "return_route": route,
            "gender": gender,
            "months_since_return": f"{band}-{band + BAND_MONTHS}",
            "band_start": band,
            "cases": len(c["cases"]) if shown else "",
            "assessments": c["assessments"] if shown else "",
            "mean_index": round(c["sum"] / c["scored"], 3) if shown and c["scored"] else "",
            "setbacks_per_100": round(100 * c["setbacks"] / c["assessments"], 1) if shown else "",
            "suppressed": not shown,
        })
    return rows, left_out, len(kept)


def plot(rows, path, left_out: int, used: int):
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True, sharey="row", height_ratios=(3, 2))
    colours = {"formal": "#1b7837", "own_way": "#762a83", "unknown": "#999999"}
    for col, gender in enumerate(("female", "male")):
        top, bottom = axes[0][col], axes[1][col]
        for route in ROUTES:
            cells = [r for r in rows if r["return_route"] == route and r["gender"] == gender
                     and not r["suppressed"]]
            x = [r["band_start"] + BAND_MONTHS / 2 for r in cells]
            top.plot(x, [r["mean_index"] for r in cells], marker="o", ms=3,
                     color=colours[route], label=route.replace("_", " "))
            bottom.bar([v + (ROUTES.index(route) - 1) * 0.9 for v in x],
                       [r["setbacks_per_100"] for r in cells], width=0.9,
                       color=colours[route])
        top.set_title(f"{gender.capitalize()}")
        top.set_ylabel("mean reintegration index (1-5)")
        top.set_ylim(1, 5)
        top.grid(alpha=0.3)
        bottom.set_ylabel("outcome setbacks\nper 100 assessments")
        bottom.set_xlabel("months since return")
        bottom.grid(alpha=0.3)
    axes[0][0].legend(title="return route")
    fig.suptitle(f"Synthetic cohort: outcomes after return ({used} cases with research "
                 f"consent, {left_out} left out; cells under {K} cases not shown)", fontsize=10)
    save(fig, path)


def main(argv=None):
    args = arguments(__doc__, argv)
    rows, left_out, used = analyse(args.cases, args.seed)
    write_csv(args.out / "trajectories.csv",
              header(used, left_out, f"cells under {K} cases suppressed"), rows)
    plot(rows, args.out / "trajectories.png", left_out, used)
    print(f"trajectories: {used} cases used, {left_out} left out by consent; wrote "
          f"{args.out / 'trajectories.csv'} and {args.out / 'trajectories.png'}")


if __name__ == "__main__":
    main()
