"""1,000,000 assessments through beside.research: from a pandas DataFrame, prioritised and
summarised in one process, and on PySpark local[2] (mapInArrow), end to end (conversion
included). Prints wall and CPU seconds and peak resident memory from process start; a
benchmark, not a test (issue 16's figures). Run with the release wheel installed:

    BESIDE_PROFILE=release ./bindings/python/test.sh   # or pip install ./bindings/python
    python bindings/python/bench_research.py [n] [--spark]

The cohort is generated here with numpy (seeded): 16 domains per assessment, levels 1-5 with
one in twelve "not assessed", a red flag in one in fifty, the person's first priority in one in
six. Every case is permitted (the generated cohort is synthetic; consent is asked per case all
the same)."""

import datetime as dt
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa

import beside
from beside import research


class Synthetic(research.Consent):
    """Every case of the synthetic cohort is permitted (still asked once per case)."""

    def __init__(self):
        self.asked = 0

    def permits(self, case_id):
        self.asked += 1
        return True


def cohort(n, seed=16):
    rng = np.random.default_rng(seed)
    domains = [str(k) for k in beside.NeedsEngine().domains()]
    w = len(domains)
    rows = n * w
    assessment = np.repeat(np.arange(n), w)
    ids = pa.array([f"a-{i}" for i in range(n)])
    cases = pa.array([f"case-{i // 2}" for i in range(n)])  # two assessments per case
    level = rng.integers(1, 6, rows).astype("float64")
    level[rng.random(rows) < 1 / 12] = np.nan
    first = (np.arange(rows) % w == 10) & (rng.random(rows) < 1 / 6) & ~np.isnan(level)
    own_rank = np.where(first, 1.0, np.nan)
    flag = np.repeat(rng.random(n) < 1 / 50, w)
    start = np.datetime64("2025-01-01T00:00:00", "us")
    at = start + np.repeat(rng.integers(0, 365 * 86400, n), w).astype("timedelta64[s]")
    return pd.DataFrame({
        "assessment_id": ids.take(pa.array(assessment)).to_pandas(),
        "case_id": cases.take(pa.array(assessment)).to_pandas(),
        "assessed_at": pd.to_datetime(at).tz_localize("UTC"),
        "domain": pd.Categorical.from_codes(np.tile(np.arange(w), n), domains),
        "level": level,
        "own_rank": own_rank,
        "red_flag_untreated_injury": flag,
    })


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label, fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    w, c = time.perf_counter() - w0, time.process_time() - c0
    print(f"{label}: {w:.2f} s wall, {c:.2f} s CPU (this process), peak RSS {rss_mb():.0f} MB")
    return out, w


def main():
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), 1_000_000))
    frame = cohort(n)
    mem = frame.memory_usage(deep=True).sum() / 1e6
    print(f"cohort: {n:,} assessments, {len(frame):,} rows, {mem:.0f} MB as a pandas DataFrame; "
          f"peak RSS so far {rss_mb():.0f} MB")
    (out, left_out), one = timed("prioritise (pandas in, pandas out)",
                                 lambda: research.prioritise(frame, Synthetic()))
    assert left_out == 0 and out["assessment_id"].nunique() == n
    (summary, _), _ = timed("summarise (pandas in)", lambda: research.summarise(frame, Synthetic()))
    assert summary.assessments == n
    print(f"priorities: {len(out):,} rows; with red flags {summary.with_red_flags:,}")
    if "--spark" in sys.argv:
        from pyspark.sql import SparkSession
        os.environ["PYSPARK_PYTHON"] = sys.executable
        spark = (SparkSession.builder.master("local[2]").appName("beside-bench")
                 .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
                 .config("spark.driver.memory", "8g")
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
        df, _ = timed("spark: createDataFrame from pandas", lambda: spark.createDataFrame(frame).cache())
        timed("spark: cache the input", df.count)

        def run():
            res, _ = research.spark_prioritise(df, Synthetic())
            return res.count()

        rows, spark_s = timed("spark local[2]: prioritise (count of rows)", run)
        assert rows == len(out), (rows, len(out))
        print(f"spark local[2] / one process: {spark_s / one:.2f}x the wall time")
        spark.stop()


if __name__ == "__main__":
    main()
