"""The standard disaggregated table of a synthetic cohort: age band x sex by return route,
with row, column and grand totals, small cells suppressed (k = 11), as an M&E export has it.

    python examples/research/disaggregated.py [--cases 2000] [--seed 16] [--out out/research]

Counts the cases whose consent permits statistics or de-identified research, and suppresses
through ``beside.suppress_table`` (the rule ``cohort::suppress_two_way``): no published figure,
and no figure worked out from the published ones by adding or subtracting, describes 1 to 10
people. Writes ``disaggregated.csv`` (suppressed figures written as the message resources
render them, ``<11`` or ``suppressed``), ``disaggregated_long.csv`` (the same table in long
form, ``beside.suppressed/1``: a suppressed count empty, with the rule that suppressed it)
and ``disaggregated.png``. Every case is synthetic.
"""

from __future__ import annotations

from collections import Counter

import beside
from beside import research

from _common import K, arguments, consented_cohort, header, pyplot, save, write_csv

AGE_BANDS = ("12-17", "18-24", "25-34", "35+")
SEXES = ("female", "male", "other")
ROUTES = ("formal", "own_way", "unknown")


def analyse(cases: int, seed: int):
    """The rows (age band, sex), the suppressed table and the number left out by consent."""
    kept, left_out = consented_cohort(cases, seed)
    counts = Counter()
    for row in research.cases_table(kept, "pyarrow").to_pylist():
        sex = row["gender"] if row["gender"] in ("female", "male") else "other"
        counts[(row["age_band"], sex, row["return_route"])] += 1
    rows = [(a, s) for a in AGE_BANDS for s in SEXES]
    grid = [[counts[(a, s, r)] for r in ROUTES] for a, s in rows]
    return rows, beside.suppress_table(grid, K), grid, left_out, len(kept)


def shown(count) -> str:
    """A figure as the message resources write it: the number, ``<11`` or ``suppressed``."""
    return beside.render_cohort_count(count, "en")


def lines(rows, table):
    """The table's lines as written: a row per age band and sex with its total, then the
    totals."""
    out = [[age, sex, *map(shown, cells), shown(total)]
           for (age, sex), cells, total in zip(rows, table.cells, table.row_totals)]
    out.append(["total", "", *map(shown, table.column_totals), shown(table.total)])
    return out


def plot(rows, table, path, left_out, used):
    plt = pyplot()
    values = [[c.value if c.is_published() else None for c in r] for r in table.cells]
    fig, ax = plt.subplots(figsize=(6.5, 7))
    grid = [[v if v is not None else float("nan") for v in r] for r in values]
    image = ax.imshow(grid, cmap="Blues", aspect="auto")
    for i, r in enumerate(table.cells):
        for j, c in enumerate(r):
            ax.text(j, i, shown(c), ha="center", va="center", fontsize=9,
                    color="black" if c.is_published() else "#b2182b")
    ax.set_xticks(range(len(ROUTES)), [r.replace("_", " ") for r in ROUTES])
    ax.set_yticks(range(len(rows)), [f"{a}  {s}" for a, s in rows])
    ax.set_xlabel("return route")
    fig.colorbar(image, ax=ax, label="cases")
    ax.set_title(f"Synthetic cohort: age band x sex by return route\n{used} cases, "
                 f"{left_out} left out by consent; red: suppressed (k = {K})", fontsize=10)
    save(fig, path)


def main(argv=None):
    args = arguments(__doc__, argv)
    rows, table, grid, left_out, used = analyse(args.cases, args.seed)
    write_csv(args.out / "disaggregated.csv", header(used, left_out, f"k = {K}"),
              lines(rows, table), fields=["age_band", "sex", *ROUTES, "total"])
    # The same table in long form (``beside.suppressed/1``), for a machine to read: one row
    # per cell and total, a suppressed count empty and the rule that suppressed it in `why`.
    long = research.suppressed(grid, K)
    for column in ("row", "column", "count"):  # unsigned with nulls: whole numbers, not floats
        long[column] = long[column].astype("Int64")
    long.insert(0, "age_band", long["row"].map(lambda i: rows[int(i)][0], na_action="ignore"))
    long.insert(1, "sex", long["row"].map(lambda i: rows[int(i)][1], na_action="ignore"))
    long.insert(2, "return_route", long["column"].map(lambda j: ROUTES[int(j)],
                                                      na_action="ignore"))
    with (args.out / "disaggregated_long.csv").open("w", newline="") as f:
        f.write(header(used, left_out, f"k = {K}"))
        long.to_csv(f, index=False)
    plot(rows, table, args.out / "disaggregated.png", left_out, used)
    hidden = sum(not c.is_published() for r in table.cells for c in r)
    print(f"disaggregated: {used} cases used, {left_out} left out by consent, {hidden} of "
          f"{len(rows) * len(ROUTES)} cells suppressed; wrote disaggregated.csv and "
          f"disaggregated.png in {args.out}")


if __name__ == "__main__":
    main()
