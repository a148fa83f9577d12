"""1,000,000 assessments through beside.research, end to end (conversion included), against
the same scoring written in pandas and in polars; and on PySpark local[2] (mapInArrow). Prints
wall and CPU seconds and peak resident memory from process start, each tool in a process of
its own, and checks that the tools give identical answers (a hash of every listed domain's
score and urgency); a benchmark, not a test (issue 16's figures). Run with the release wheel
installed:

    BESIDE_PROFILE=release ./bindings/python/test.sh   # or pip install ./bindings/python
    python bindings/python/bench_research.py [n] [--spark]
    python bindings/python/bench_research.py [n] --tool beside|pandas|polars   # one tool

The cohort is generated here with numpy (seeded): 16 domains per assessment, levels 1-5 with
one in twelve "not assessed", a red flag in one in fifty, the person's first priority in one in
six. Every case is permitted (the generated cohort is synthetic; consent is asked per case all
the same).

The pandas and polars versions score as a researcher would write it from `docs/rules.md`, with
the figures read from the engine's model (`NeedsEngine().model()`): points for the level, for
each domain it blocks (capped), for a foundational domain at a blocking level and for her
ranking; a red flag's band first, then the urgency thresholds. They give the score and the
urgency of every listed domain, not the order (placing blockers first is a graph walk per
assessment, which neither library has); Beside gives both, and the reasons.
"""

import datetime as dt
import hashlib
import os
import resource
import subprocess
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


LEVELS = {"IN_CRISIS": 1, "VULNERABLE": 2, "SAFE": 3, "BUILDING_CAPACITY": 4, "THRIVING": 5}
FLAG_COLUMNS = {
    "SUICIDAL_THOUGHTS": "red_flag_suicidal_thoughts",
    "IMMEDIATE_DANGER": "red_flag_immediate_danger",
    "UNTREATED_INJURY": "red_flag_untreated_injury",
    "CHILD_WITHOUT_SAFE_CAREGIVER": "red_flag_child_without_safe_caregiver",
}


def rules(model):
    """The figures of the scoring rules, from the engine's model (so all three tools score
    with the same configuration)."""
    c = model.config
    lp = c.level_points
    return {
        "level_points": {1: lp.in_crisis, 2: lp.vulnerable, 3: lp.safe,
                         4: lp.building_capacity, 5: lp.thriving},
        "blocking_max": LEVELS[c.blocking_max_level.name],
        "per_blocked": c.points_per_blocked_domain,
        "max_blocking": c.max_blocking_points,
        "foundational": [str(d) for d in model.graph.foundational],
        "foundational_points": c.foundational_points,
        "own_rank_points": list(c.own_rank_points),
        "own_rank_after": c.own_rank_points_after,
        "edges": [(str(e.domain), str(e.requires)) for e in model.graph.edges],
        "flags": [(FLAG_COLUMNS[r.flag.name], str(r.domain), r.respond_within_minutes)
                  for r in c.red_flags],
        "urgency": (c.urgency.urgent, c.urgency.high, c.urgency.medium),
    }


def pandas_scores(frame, r):
    """Score and urgency of every listed domain, in pandas."""
    df = frame.copy()
    df["domain"] = df["domain"].astype(str)
    for column, _, _ in r["flags"]:
        if column not in df:
            df[column] = False
    # What each domain blocks: pairs (dependent, blocker), both at a level, the blocker at a
    # blocking level and not above the dependent.
    rated = df.loc[df["level"].notna(), ["assessment_id", "domain", "level"]]
    edges = pd.DataFrame(r["edges"], columns=["domain", "blocker"])
    pairs = rated.merge(edges, on="domain").merge(
        rated.rename(columns={"domain": "blocker", "level": "blocker_level"}),
        on=["assessment_id", "blocker"])
    pairs = pairs[(pairs["blocker_level"] <= r["blocking_max"])
                  & (pairs["blocker_level"] <= pairs["level"])]
    blocked = pairs.groupby(["assessment_id", "blocker"]).size().rename("blocked")
    df = df.merge(blocked, left_on=["assessment_id", "domain"], right_index=True, how="left")
    blocked_n = df["blocked"].fillna(0)
    level = df["level"]
    score = (level.map(r["level_points"]).fillna(0)
             + (blocked_n * r["per_blocked"]).clip(upper=r["max_blocking"])
             + np.where(df["domain"].isin(r["foundational"]) & (level <= r["blocking_max"]),
                        r["foundational_points"], 0))
    ranks = r["own_rank_points"]
    own = df["own_rank"].map(lambda k: ranks[int(k) - 1] if k <= len(ranks) else r["own_rank_after"],
                             na_action="ignore")
    score = score + own.fillna(0)
    flagged = np.zeros(len(df), dtype=bool)
    for column, domain, _ in r["flags"]:
        flagged |= df[column].to_numpy(dtype=bool) & (df["domain"] == domain).to_numpy()
    urgent, high, medium = r["urgency"]
    urgency = np.select([flagged, score >= urgent, score >= high, score >= medium],
                        ["red_flag", "urgent", "high", "medium"], "low")
    listed = level.notna().to_numpy() | flagged | df["own_rank"].notna().to_numpy()
    return pd.DataFrame({"assessment_id": df["assessment_id"], "domain": df["domain"],
                         "score": score.astype("int64"), "urgency": urgency})[listed]


def polars_scores(df, r):
    """Score and urgency of every listed domain, in polars."""
    import polars as pl
    df = df.with_columns(pl.col("domain").cast(pl.String))
    df = df.with_columns([pl.lit(False).alias(c) for c, _, _ in r["flags"] if c not in df.columns])
    rated = df.filter(pl.col("level").is_not_null()).select("assessment_id", "domain", "level")
    edges = pl.DataFrame(r["edges"], schema=["domain", "blocker"], orient="row")
    blocked = (rated.join(edges, on="domain")
               .join(rated.rename({"domain": "blocker", "level": "blocker_level"}),
                     on=["assessment_id", "blocker"])
               .filter((pl.col("blocker_level") <= r["blocking_max"])
                       & (pl.col("blocker_level") <= pl.col("level")))
               .group_by("assessment_id", "blocker").agg(pl.len().alias("blocked")))
    df = df.join(blocked, left_on=["assessment_id", "domain"],
                 right_on=["assessment_id", "blocker"], how="left")
    ranks = r["own_rank_points"]
    level = pl.col("level").cast(pl.Int64)
    own = pl.col("own_rank").cast(pl.Int64)
    own_points = pl.when(own.is_null()).then(0).when(own <= len(ranks)).then(
        own.replace_strict({i + 1: p for i, p in enumerate(ranks)}, default=0,
                           return_dtype=pl.Int64)).otherwise(r["own_rank_after"])
    level_points = level.replace_strict(r["level_points"], default=0, return_dtype=pl.Int64)
    score = (level_points.fill_null(0)
             + (pl.col("blocked").fill_null(0) * r["per_blocked"]).clip(upper_bound=r["max_blocking"])
             + pl.when(pl.col("domain").is_in(r["foundational"]) & (level <= r["blocking_max"]))
             .then(r["foundational_points"]).otherwise(0)
             + own_points.fill_null(0))
    flagged = pl.lit(False)
    for column, domain, _ in r["flags"]:
        flagged = flagged | (pl.col(column) & (pl.col("domain") == domain))
    urgent, high, medium = r["urgency"]
    out = df.with_columns(score.alias("score"), flagged.alias("flagged"))
    urgency = (pl.when(pl.col("flagged")).then(pl.lit("red_flag"))
               .when(pl.col("score") >= urgent).then(pl.lit("urgent"))
               .when(pl.col("score") >= high).then(pl.lit("high"))
               .when(pl.col("score") >= medium).then(pl.lit("medium")).otherwise(pl.lit("low")))
    return (out.filter(pl.col("level").is_not_null() | pl.col("flagged")
                       | pl.col("own_rank").is_not_null())
            .select("assessment_id", "domain", "score", urgency.alias("urgency")))


def answer_hash(t):
    """A hash of (assessment, domain, score, urgency) over the listed domains, sorted: equal
    for equal answers whatever tool gave them."""
    t = pa.table({
        "assessment_id": t["assessment_id"].cast(pa.string()),
        "domain": t["domain"].cast(pa.string()),
        "score": t["score"].cast(pa.int64()),
        "urgency": t["urgency"].cast(pa.string()),
    })
    t = t.sort_by([("assessment_id", "ascending"), ("domain", "ascending")]).combine_chunks()
    h = hashlib.sha256()
    for column in t.columns:
        for buf in column.chunks[0].buffers():
            if buf is not None:
                h.update(buf)
    return f"{t.num_rows} rows, sha256 {h.hexdigest()[:16]}"


def run_tool(tool, n):
    """One tool in this process: the cohort, the timed call, the answer's hash."""
    frame = cohort(n)
    mem = frame.memory_usage(deep=True).sum() / 1e6
    print(f"cohort: {n:,} assessments, {len(frame):,} rows, {mem:.0f} MB as a pandas DataFrame; "
          f"peak RSS so far {rss_mb():.0f} MB", flush=True)
    r = rules(beside.NeedsEngine().model())
    if tool == "beside":
        (out, left_out), wall = timed("beside.research.prioritise (pandas in, pandas out)",
                                      lambda: research.prioritise(frame, Synthetic()))
        assert left_out == 0 and out["assessment_id"].nunique() == n
        (summary, _), w2 = timed("beside.research.summarise (pandas in)",
                                 lambda: research.summarise(frame, Synthetic()))
        assert summary.assessments == n
        print(f"prioritised and summarised: {wall + w2:.2f} s")
        listed = pa.Table.from_pandas(out[out["position"].notna()], preserve_index=False)
    elif tool == "pandas":
        out, wall = timed("pandas scoring", lambda: pandas_scores(frame, r))
        listed = pa.Table.from_pandas(out, preserve_index=False)
    elif tool == "polars":
        import polars as pl
        df = pl.from_pandas(frame)
        out, wall = timed("polars scoring (from a polars DataFrame)", lambda: polars_scores(df, r))
        listed = out.to_arrow()
    else:
        raise SystemExit(f"unknown tool {tool!r}: beside, pandas or polars")
    digest = answer_hash(listed)
    print(f"RESULT {tool} {wall:.3f} {rss_mb():.0f} {digest}", flush=True)


def compare(n):
    """Each tool in its own process (memory from process start); identical answers checked."""
    results = {}
    for tool in ("beside", "pandas", "polars"):
        print(f"\n-- {tool}", flush=True)
        p = subprocess.run([sys.executable, __file__, str(n), "--tool", tool],
                           capture_output=True, text=True)
        print(p.stdout, end="")
        if p.returncode != 0:
            raise SystemExit(f"{tool} failed:\n{p.stderr}")
        line = next(x for x in p.stdout.splitlines() if x.startswith("RESULT "))
        _, _, wall, rss, digest = line.split(" ", 4)
        results[tool] = (float(wall), float(rss), digest)
    digests = {d for _, _, d in results.values()}
    assert len(digests) == 1, f"the tools disagree: {results}"
    base = results["beside"][0]
    print(f"\nidentical answers ({digests.pop()})")
    print("| tool | wall s | peak RSS MB | time / beside |")
    print("|---|---:|---:|---:|")
    for tool, (wall, rss, _) in results.items():
        print(f"| {tool} | {wall:.2f} | {rss:.0f} | {wall / base:.2f}x |")


def main():
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), 1_000_000))
    if "--tool" in sys.argv:
        run_tool(sys.argv[sys.argv.index("--tool") + 1], n)
        return
    if "--spark" not in sys.argv:
        compare(n)
        return
    frame = cohort(n)
    (out, left_out), one = timed("prioritise (pandas in, pandas out)",
                                 lambda: research.prioritise(frame, Synthetic()))
    assert left_out == 0 and out["assessment_id"].nunique() == n
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
