"""FFI overhead micro-benchmark: prints ns per call (informational; it never fails on a number).

Both wall-clock time and this process's CPU time are printed: on a shared machine the wall
clock also counts the time spent waiting for a core, the CPU time does not.

  version()                   free function returning a String
  NeedsEngine.domain_count()  method returning a u32: the bare call cost
  prioritise(typed)           a typical assessment (16 domains) as typed records, both ways
  prioritise_json             the same assessment as JSON text in and out
  summarise_json / prioritise_batch_json   10,000 assessments in one call, per assessment
  rank_packed / summarise_packed           10,000 assessments as bytes in one call, per assessment

Usage: python bench.py [N]
"""

import datetime as dt
import json
import sys
import time

import beside


def bench(label, fn, n, per=1):
    for _ in range(min(n, 1_000)):  # warm-up
        fn()
    start, cpu = time.perf_counter_ns(), time.process_time_ns()
    for _ in range(n):
        fn()
    elapsed, cpu = time.perf_counter_ns() - start, time.process_time_ns() - cpu
    unit = "assessment" if per > 1 else "call"
    print(f"python bench: {label} x {n}: {elapsed / n / per:.0f} ns/{unit} wall, "
          f"{cpu / n / per:.0f} ns/{unit} cpu ({elapsed / 1e9:.3f} s total)")


def typed(a):
    def rating(r):
        if r == "declined":
            return beside.RatingValue.DECLINED()
        if r == "not_assessed":
            return beside.RatingValue.NOT_ASSESSED()
        return beside.RatingValue.LEVEL(level=r["level"])

    return beside.AssessmentInput(
        id=a["id"], case_id=a["case_id"], assessed_by=a["assessed_by"],
        assessed_at=dt.datetime.fromisoformat(a["assessed_at"].replace("Z", "+00:00")),
        ratings=[beside.DomainRatingInput(domain=r["domain"], rating=rating(r["rating"])) for r in a["ratings"]],
        red_flags=[getattr(beside.RedFlagKind, f.upper()) for f in a.get("red_flags", [])],
        own_priorities=a.get("own_priorities", []), not_now=a.get("not_now", []),
    )


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    engine = beside.NeedsEngine()
    samples = json.loads(beside.sample_assessments_json())
    one = samples[0]
    one_json, one_typed = json.dumps(one), typed(one)
    bench("version()", beside.version, n)
    bench("NeedsEngine.domain_count()", engine.domain_count, n)
    bench("prioritise_json(16-domain assessment)", lambda: engine.prioritise_json(one_json), n // 10)
    bench("prioritise(typed assessment)", lambda: engine.prioritise(one_typed), n // 10)
    batch = json.dumps([samples[i % len(samples)] for i in range(10_000)])
    bench("summarise_json(10,000)", lambda: engine.summarise_json(batch), 3, 10_000)
    bench("prioritise_batch_json(10,000)", lambda: engine.prioritise_batch_json(batch), 2, 10_000)
    packed = engine.pack_json(batch)
    bench("rank_packed(10,000 as bytes)", lambda: engine.rank_packed(packed), 20, 10_000)
    bench("summarise_packed(10,000 as bytes)", lambda: engine.summarise_packed(packed), 20, 10_000)
    bench("summarise_json(10,000) incl. json.dumps", lambda: engine.summarise_json(
        json.dumps([samples[i % len(samples)] for i in range(10_000)])), 2, 10_000)


if __name__ == "__main__":
    main()
