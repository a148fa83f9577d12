"""Re-trafficking risk factors across a synthetic cohort: how common each factor is at each
risk level, and the levels by return route and family reception.

    python examples/research/risk_factors.py [--cases 2000] [--seed 16] [--out out/research]

Each case's latest risk inputs go through ``ReintegrationEngine.risk``: a level with its
contributing factors (never a bare number). Writes ``risk_factors.csv`` (one row per factor:
cases with it, and its share among cases at each level), ``risk_levels.csv`` (cases per level
by return route x family, with totals; small cells suppressed) and ``risk_factors.png``. Only cases
whose consent permits statistics or de-identified research are used; the number left out is
written, never which ones. Every case is synthetic.

Factors overlap (a person has several), so their counts are not a partition: a count or share
is left blank when fewer than 11 people have the factor or fewer than 11 do not. The levels
table is suppressed as a two-way table with its totals (``beside.suppress_table``).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import beside
from beside import research

from _common import K, arguments, consented_cohort, header, pyplot, save, write_csv

LEVELS = ("low", "moderate", "high")


def factor_key(f) -> str:
    """A factor's stable key: its code, and for debts the creditor (``debt_broker``)."""
    if f.is_debt():
        return f"debt_{research.key(f.creditor)}"
    return research.key(f)


def analyse(cases: int, seed: int):
    kept, left_out = consented_cohort(cases, seed)
    engine = beside.ReintegrationEngine()
    table = research.cases_table(kept, "pyarrow").to_pylist()
    per_level = Counter()
    with_factor = defaultdict(Counter)
    by = Counter()
    for case, row in zip(kept, table):
        risk = engine.risk(case.timeline.risk_inputs[-1])
        level = research.key(risk.level)
        per_level[level] += 1
        for key in sorted({factor_key(f) for f in risk.factors}):
            with_factor[key][level] += 1
        by[(row["return_route"], row["family"], level)] += 1
    return kept, left_out, per_level, with_factor, by


def small(n: int, of: int) -> bool:
    """Whether a count of people with a factor, out of ``of``, describes too few: fewer than
    k with it, or fewer than k without it."""
    return n < K or of - n < K


def factor_rows(per_level, with_factor):
    """One row per factor: the cases with it and its share at each level; a share (or count)
    whose people with or without the factor are fewer than k is left blank."""
    used = sum(per_level.values())
    rows = []
    for key, counts in sorted(with_factor.items(), key=lambda kv: -sum(kv[1].values())):
        cases = sum(counts.values())
        row = {"factor": key, "cases": "" if small(cases, used) else cases}
        for level in LEVELS:
            n, of = counts[level], per_level[level]
            row[f"share_at_{level}"] = "" if small(n, of) else round(n / of, 3)
        rows.append(row)
    return rows


def level_rows(by):
    """Cases per risk level by return route x family, with totals, through
    ``beside.suppress_table`` (figures rendered by the message resources)."""
    routes = sorted({r for r, _, _ in by})
    families = sorted({f for _, f, _ in by})
    groups = [(r, f) for r in routes for f in families]
    table = beside.suppress_table([[by[(r, f, l)] for l in LEVELS] for r, f in groups], K)
    show = lambda c: beside.render_cohort_count(c, "en")  # noqa: E731
    rows = [{"return_route": r, "family": f, **dict(zip(LEVELS, map(show, cells))),
             "total": show(total)}
            for (r, f), cells, total in zip(groups, table.cells, table.row_totals)]
    rows.append({"return_route": "total", "family": "",
                 **dict(zip(LEVELS, map(show, table.column_totals))), "total": show(table.total)})
    return rows


def plot(rows, path, used, left_out):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 6))
    names = [r["factor"].replace("_", " ") for r in rows][::-1]
    colours = {"low": "#a6dba0", "moderate": "#fdae61", "high": "#d7191c", "critical": "#67001f"}
    height = 0.2
    for i, level in enumerate(LEVELS):
        shares = [r[f"share_at_{level}"] or 0 for r in rows][::-1]
        ax.barh([y + (i - 1.5) * height for y in range(len(rows))], shares, height=height,
                color=colours[level], label=level)
    ax.set_yticks(range(len(rows)), names)
    ax.set_xlabel("share of the cases at the level who have the factor")
    ax.set_xlim(0, 1)
    ax.legend(title="risk level", loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"Synthetic cohort: re-trafficking risk factors ({used} cases, "
                 f"{left_out} left out by consent)", fontsize=10)
    save(fig, path)


def main(argv=None):
    args = arguments(__doc__, argv)
    kept, left_out, per_level, with_factor, by = analyse(args.cases, args.seed)
    first_line = header(len(kept), left_out)
    factors = factor_rows(per_level, with_factor)
    write_csv(args.out / "risk_factors.csv", first_line, factors)
    write_csv(args.out / "risk_levels.csv", first_line, level_rows(by))
    plot(factors, args.out / "risk_factors.png", len(kept), left_out)
    print(f"risk factors: {len(kept)} cases used, {left_out} left out by consent; wrote risk_factors.csv, risk_levels.csv, risk_factors.png "
          f"in {args.out}")


if __name__ == "__main__":
    main()
