//! Timing by the benchmark thread's CPU time: on a shared machine the wall clock also counts
//! the time spent waiting for a core, which says nothing about the code. Criterion reports
//! these lines like any other; their names end in "(thread CPU time)".

use cpu_time::ThreadTime;
use criterion::Bencher;
use std::hint::black_box;

/// Measure `f` by this thread's CPU time.
pub fn iter_cpu<O>(b: &mut Bencher<'_>, mut f: impl FnMut() -> O) {
    b.iter_custom(|iters| {
        let start = ThreadTime::now();
        for _ in 0..iters {
            black_box(f());
        }
        start.elapsed()
    })
}
