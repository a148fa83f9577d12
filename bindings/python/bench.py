"""FFI overhead micro-benchmark: prints us or ns per call (informational; it never fails on a
number, but says whether the budget of issue 15 is met).

Both wall-clock time and this process's CPU time are printed: on a shared machine the wall
clock also counts the time spent waiting for a core, the CPU time does not.

  version()                    free function returning a String
  NeedsEngine.domain_count()   method returning a u32: the bare call cost
  prioritise(16 domains)       a typed Assessment in, a typed Prioritisation out (budget: 150 us
                               in a release build); the record crosses both ways and the input
                               is checked as JSON is (written and re-read in Rust)
  the Assessment crossing in / the Prioritisation crossing out
                               each side of that call alone (assessment_to_json,
                               prioritisation_from_json: the record crosses one way, plus JSON
                               work in Rust), to show where the time goes
  render_prioritisation        the same answer in English words: a separate call
  JSON path                    assessment_from_json + prioritise + prioritisation_to_json
  summarise / prioritise_batch 10,000 typed assessments in one call, per assessment
  prioritise_table / summarise_table  10,000 assessments as an Arrow table in one call, per assessment

Usage: python bench.py [N]
"""

import json
import sys
import time

import beside


def dataclass_replace(record, **fields):
    """A copy of a uniffi record with some fields changed (records are plain classes)."""
    copy = type(record).__new__(type(record))
    copy.__dict__.update(record.__dict__)
    copy.__dict__.update(fields)
    return copy

BUDGET_US = 150.0


def bench(label, fn, n, per=1):
    for _ in range(min(n, 1_000)):  # warm-up
        fn()
    start, cpu = time.perf_counter_ns(), time.process_time_ns()
    for _ in range(n):
        fn()
    elapsed, cpu = time.perf_counter_ns() - start, time.process_time_ns() - cpu
    unit = "assessment" if per > 1 else "call"
    wall, cpu_per = elapsed / n / per, cpu / n / per
    print(f"python bench: {label} x {n}: {wall:.0f} ns/{unit} wall, "
          f"{cpu_per:.0f} ns/{unit} cpu ({elapsed / 1e9:.3f} s total)")
    return wall, cpu_per


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    engine = beside.NeedsEngine()
    samples = beside.sample_assessments()
    # The sample with a rating in every one of the 16 domains.
    one = max(samples, key=lambda a: len(a.ratings))
    assert len(one.ratings) == 16, len(one.ratings)
    one_json = beside.assessment_to_json(one)
    bench("version()", beside.version, n)
    bench("NeedsEngine.domain_count()", engine.domain_count, n)
    wall, cpu = bench("prioritise(typed 16-domain assessment)", lambda: engine.prioritise(one),
                      max(n // 10, 1))
    p = engine.prioritise(one)
    p_json = beside.prioritisation_to_json(p)
    # Where the time goes: each side of the crossing alone (each also does some JSON in Rust).
    bench("  the Assessment crossing in (assessment_to_json)", lambda: beside.assessment_to_json(one),
          max(n // 10, 1))
    bench("  the Prioritisation crossing out (prioritisation_from_json)",
          lambda: beside.prioritisation_from_json(p_json), max(n // 10, 1))
    bench("render_prioritisation(16 items, en)", lambda: beside.render_prioritisation(p, "en"),
          max(n // 10, 1))
    bench("JSON path: from_json + prioritise + to_json", lambda: beside.prioritisation_to_json(
        engine.prioritise(beside.assessment_from_json(one_json))), max(n // 10, 1))
    batch = [samples[i % len(samples)] for i in range(10_000)]
    bench("summarise(10,000 typed)", lambda: engine.summarise(batch), 3, 10_000)
    bench("prioritise_batch(10,000 typed)", lambda: engine.prioritise_batch(batch), 2, 10_000)
    # As an Arrow table each assessment needs its own id (rows are grouped by it).
    table = beside.assessments_table(
        [dataclass_replace(samples[i % len(samples)], id=f"a-{i}") for i in range(10_000)])
    bench("prioritise_table(10,000 as Arrow IPC)", lambda: engine.prioritise_table(table), 5, 10_000)
    bench("summarise_table(10,000 as Arrow IPC)", lambda: engine.summarise_table(table), 5, 10_000)
    verdict = "within" if cpu / 1000 <= BUDGET_US else "OVER"
    print(f"python bench: typed 16-domain prioritise {wall / 1000:.1f} us wall, "
          f"{cpu / 1000:.1f} us cpu: {verdict} the {BUDGET_US:.0f} us budget (cpu; a release "
          f"build is what the budget is for)")


if __name__ == "__main__":
    main()
