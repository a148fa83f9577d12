"""What the analyses under examples/research/ share: the moment they are made, the
suppression threshold, their command line, the consented synthetic cohort, and writing CSV
tables and PNG pictures. Not an analysis itself."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import pathlib

from beside import research

#: The moment every analysis is made (fixed, so a seed gives the same numbers every day).
AS_OF = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.timezone.utc)
#: Small cells: no count of fewer people than this is published (as the cohort summaries).
K = 11


def arguments(doc: str, argv=None) -> argparse.Namespace:
    """``--cases`` (default 2,000), ``--seed`` (16) and ``--out`` (``out/research``, made)."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path("out/research"))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def consented_cohort(cases: int, seed: int):
    """The synthetic cases whose own ledger permits statistics or de-identified research on
    health and mental health data, and how many were left out (never which)."""
    cohort = research.synthetic_cohort(cases, seed=seed, as_of=AS_OF)
    consent = research.synthetic_consent(cohort, as_of=AS_OF)
    kept = [c for c in cohort if consent.permits(c.profile.case_id)]
    return kept, len(cohort) - len(kept)


def header(used: int, left_out: int, note: str = f"counts under {K} people suppressed") -> str:
    """The comment line every CSV starts with."""
    return f"# synthetic cohort; cases used {used}, left out by consent {left_out}; {note}\n"


def write_csv(path: pathlib.Path, first_line: str, rows: list, fields=None):
    """``rows`` (dicts, or lists under ``fields``) after the comment line."""
    with path.open("w", newline="") as f:
        f.write(first_line)
        if fields is None:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
        else:
            w = csv.writer(f)
            w.writerow(fields)
        w.writerows(rows)


def pyplot():
    """matplotlib's pyplot, drawing to files only."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save(fig, path: pathlib.Path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    pyplot().close(fig)
