"""A gap map of the sample directory for a synthetic cohort: per district and need, the
services listed, those reachable, the "paper-only" ones (listed but unusable) and why, beside
how many people in the district have that need first.

    python examples/research/gap_map.py [--cases 2000] [--seed 16] [--out out/research]

The directory's side comes from ``ReferralDirectory.gaps`` (a paper-only service is listed
for the area and need but inactive, full, behind a court order or a formal identification,
or shares no language with the area's people). The people's side counts, per district, the
cases whose most pressing referable need is each domain, among the cases whose consent permits
statistics or de-identified research, suppressed with its totals through
``beside.suppress_table`` (k = 11). Writes ``gap_map.csv`` and ``gap_map.png``. Every case is
synthetic.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import pathlib
from collections import Counter, defaultdict

import beside
from beside import research

AS_OF = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.timezone.utc)
K = 11


def district_of(area) -> tuple:
    """The district of a home area: Bangladesh's third level (country, division, district),
    Cambodia's second (country, province)."""
    return tuple(area[:3] if area[0] == "BD" else area[:2])


def analyse(cases: int, seed: int):
    cohort = research.synthetic_cohort(cases, seed=seed, as_of=AS_OF)
    consent = research.synthetic_consent(cohort, as_of=AS_OF)
    kept = [c for c in cohort if consent.permits(c.profile.case_id)]
    needs_engine = beside.NeedsEngine()
    first_need = Counter()
    languages = defaultdict(set)
    for case in kept:
        district = district_of(case.profile.home_area)
        languages[district].update(case.profile.person.languages)
        top = next((i for i in needs_engine.prioritise(case.assessments[-1]).items
                    if i.referable), None)
        if top is not None:
            first_need[(district, top.domain)] += 1
    districts = sorted(languages)
    domains = list(needs_engine.domains())  # the 16 default domains, in the brief's order
    directory = beside.ReferralDirectory.sample()
    gaps = directory.gaps(beside.GapQuery(
        areas=[list(d) for d in districts],
        needs=list(domains),
        languages=[beside.AreaLanguages(area=list(d), languages=sorted(languages[d]))
                   for d in districts],
    ))
    people = beside.suppress_table(
        [[first_need[(d, n)] for n in domains] for d in districts], K)
    return districts, domains, gaps, people, len(cohort) - len(kept), len(kept)


def rows_of(districts, domains, gaps, people):
    by = {(tuple(g.area), g.domain): g for g in gaps}
    rows = []
    for i, d in enumerate(districts):
        for j, n in enumerate(domains):
            g = by[(d, n)]
            why = Counter(research.key(r) for p in g.paper_only for r in p.reasons)
            rows.append({
                "district": " / ".join(d),
                "need": n,
                "listed": g.listed,
                "reachable": g.reachable,
                "paper_only": len(g.paper_only),
                "why_paper_only": "; ".join(f"{k} {v}" for k, v in sorted(why.items())),
                "people_with_this_need_first": beside.render_cohort_count(
                    people.cells[i][j], "en"),
            })
    return rows


def write_csv(rows, path, left_out, used):
    with path.open("w", newline="") as f:
        f.write(f"# synthetic cohort; cases used {used}, left out by consent {left_out}; "
                f"people counts suppressed at k = {K}\n")
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def plot(rows, districts, domains, path, left_out, used):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [" / ".join(d) for d in districts]
    cell = {(r["district"], r["need"]): r for r in rows}
    grid = [[cell[(d, n)]["reachable"] for n in domains] for d in names]
    fig, ax = plt.subplots(figsize=(13, 4.8))
    image = ax.imshow(grid, cmap="Greens", aspect="auto", vmin=0)
    for i, d in enumerate(names):
        for j, n in enumerate(domains):
            r = cell[(d, n)]
            text = f"{r['reachable']}/{r['listed']}"
            colour = "#b2182b" if r["reachable"] == 0 else "black"
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color=colour)
    ax.set_xticks(range(len(domains)), [n.replace("_", " ") for n in domains], rotation=45,
                  ha="right")
    ax.set_yticks(range(len(names)), [n.split(" / ", 1)[1] for n in names])
    fig.colorbar(image, ax=ax, label="reachable services")
    ax.set_title(f"Gap map of the sample directory: reachable / listed services per district and "
                 f"need (red: none reachable); {used} synthetic cases, {left_out} left out",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path("out/research"))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    districts, domains, gaps, people, left_out, used = analyse(args.cases, args.seed)
    rows = rows_of(districts, domains, gaps, people)
    write_csv(rows, args.out / "gap_map.csv", left_out, used)
    plot(rows, districts, domains, args.out / "gap_map.png", left_out, used)
    none = sum(r["reachable"] == 0 for r in rows)
    print(f"gap map: {len(districts)} districts x {len(domains)} needs, {none} with no reachable "
          f"service; {used} cases used, {left_out} left out by consent; wrote gap_map.csv and "
          f"gap_map.png in {args.out}")


if __name__ == "__main__":
    main()
