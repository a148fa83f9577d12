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

from collections import Counter, defaultdict

import beside
from beside import research

from _common import K, arguments, consented_cohort, header, pyplot, save, write_csv



def district_of(area) -> tuple:
    """The district of a home area: Bangladesh's third level (country, division, district),
    Cambodia's second (country, province)."""
    return tuple(area[:3] if area[0] == "BD" else area[:2])


def analyse(cases: int, seed: int):
    kept, left_out = consented_cohort(cases, seed)
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
    return districts, domains, gaps, people, left_out, len(kept)


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


def plot(rows, districts, domains, path, left_out, used):
    plt = pyplot()
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
    save(fig, path)


def main(argv=None):
    args = arguments(__doc__, argv)
    districts, domains, gaps, people, left_out, used = analyse(args.cases, args.seed)
    rows = rows_of(districts, domains, gaps, people)
    write_csv(args.out / "gap_map.csv",
              header(used, left_out, f"people counts suppressed at k = {K}"), rows)
    plot(rows, districts, domains, args.out / "gap_map.png", left_out, used)
    none = sum(r["reachable"] == 0 for r in rows)
    print(f"gap map: {len(districts)} districts x {len(domains)} needs, {none} with no reachable "
          f"service; {used} cases used, {left_out} left out by consent; wrote gap_map.csv and "
          f"gap_map.png in {args.out}")


if __name__ == "__main__":
    main()
