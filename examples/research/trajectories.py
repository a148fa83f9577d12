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

import pandas as pd

import beside
from beside import research

from _common import AS_OF, K, arguments, consented_cohort, header, pyplot, save, write_csv

#: Width of a time band, in months since return.
BAND_MONTHS = 3
ROUTES = ("formal", "own_way", "unknown")
GENDERS = ("female", "male", "other")


def analyse(cases: int, seed: int):
    """The table's rows and the number of cases left out by consent: the trajectories' points
    and setbacks tables (``beside.points/1``, ``beside.setbacks/1``) joined with the cases
    table, grouped in pandas."""
    kept, left_out = consented_cohort(cases, seed)
    engine = beside.ReintegrationEngine()
    tables = research.trajectory_tables(
        engine.trajectory(c.timeline, c.assessments, AS_OF) for c in kept)
    people = research.cases_table(kept)[["case_id", "return_route", "gender", "returned_on"]]
    pts = tables["points"].merge(people, on="case_id", validate="many_to_one")
    s = tables["setbacks"]
    fell = s.loc[s["kind"] == "outcome", ["case_id", "point"]].drop_duplicates()
    pts = pts.merge(fell.assign(setback=True), on=["case_id", "point"], how="left")
    pts["setback"] = pts["setback"].fillna(False).astype(bool)
    days = (pts["assessed_at"].dt.tz_convert(None).dt.normalize()
            - pd.to_datetime(pts["returned_on"])).dt.days
    pts["band"] = (days / 30.4375 // BAND_MONTHS * BAND_MONTHS).astype(int)
    pts["gender"] = pts["gender"].where(pts["gender"].isin(["female", "male"]), "other")
    cells = pts.groupby(["return_route", "gender", "band"]).agg(
        cases=("case_id", "nunique"), assessments=("point", "size"),
        mean_index=("index", "mean"), setbacks=("setback", "sum")).reset_index()
    cells = cells.sort_values(["return_route", "gender", "band"], key=lambda c: c.map(
        {**{r: i for i, r in enumerate(ROUTES)}, **{g: i for i, g in enumerate(GENDERS)}})
        if c.name != "band" else c)
    rows = []
    for c in cells.itertuples():
        shown = c.cases >= K
        rows.append({
            "return_route": c.return_route,
            "gender": c.gender,
            "months_since_return": f"{c.band}-{c.band + BAND_MONTHS}",
            "band_start": c.band,
            "cases": c.cases if shown else "",
            "assessments": c.assessments if shown else "",
            "mean_index": round(c.mean_index, 3) if shown and pd.notna(c.mean_index) else "",
            "setbacks_per_100": round(100 * c.setbacks / c.assessments, 1) if shown else "",
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
