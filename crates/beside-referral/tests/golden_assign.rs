//! Golden answers of the batch assignment: 2,000 generated problems, each answered through the
//! public API ([`solve`]), serialised to canonical JSON and hashed (SHA-256) in chunks of 1,000.
//!
//! The problems run from empty to a few hundred cases and cover ties everywhere (equal costs,
//! equal weights, equal demands), capacity 0, cases with no eligible service, priorities equal
//! and different (0 to 1,000), the input limits, ids whose text order differs from their input
//! order, shuffled input (the tie-break must not depend on it) and rejected problems (the
//! errors are hashed too). See `tests/golden/README.md`.
//!
//! - `cargo test -p beside-referral --test golden_assign` regenerates and compares; on a
//!   mismatch it prints the first differing chunk and answer, with its input and its new answer
//!   (and the recorded answer when the sample holds it).
//! - `BESIDE_GOLDEN_WRITE=1 cargo test -p beside-referral --test golden_assign` rewrites
//!   `tests/golden/assign.*`.
//! - `BESIDE_GOLDEN_SHOW=<index> cargo test -p beside-referral --test golden_assign` prints one
//!   problem and its answer (run it on two commits to see both sides of a difference).
//! - `BESIDE_GOLDEN_DUMP=<file> cargo test -p beside-referral --test golden_assign` also writes
//!   every problem and answer to `<file>`, one JSON line each (to diff two commits).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use beside_core::{CaseId, ServiceId};
use beside_referral::assign::{
    solve, AssignCase, AssignError, AssignService, AssignmentProblem, EligibleArc, MAX_CAPACITY,
    MAX_COST, MAX_DEMAND, MAX_WEIGHT,
};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Problems in the corpus.
const PROBLEMS: usize = 2_000;
/// Answers per hashed chunk.
const CHUNK: usize = 1_000;
/// Problems written to the readable sample (small ones).
const SAMPLE: usize = 20;

/// SplitMix64, written out here so the corpus never changes with the library's generators.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo) as u64 + 1;
        lo + (self.next() % span) as i64
    }

    /// True with probability `percent / 100`.
    fn percent(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// How a problem's ids are spelled: the solver orders by id text, so these make text order
/// and input order disagree in different ways.
fn id(style: u64, prefix: &str, i: usize, salt: u64) -> String {
    match style {
        // c0, c1, ..., c10 sorts before c2.
        0 => format!("{prefix}{i}"),
        // Zero-padded: text order is number order.
        1 => format!("{prefix}-{i:04}"),
        // Reversed numbering: text order is the reverse of input order.
        2 => format!("{prefix}-{:04}", 9_999 - i),
        // Scrambled hex, with a space and a non-ASCII letter inside.
        _ => format!(
            "{prefix} é{:08x}",
            (i as u64 + 1).wrapping_mul(0x9E37_79B9) ^ salt
        ),
    }
}

/// Problem `index` of the corpus.
fn problem(index: usize) -> AssignmentProblem {
    let mut rng = Rng(0x601D_A551_0000_0000 ^ index as u64);
    // A few fixed edge cases first, then sizes by index: mostly tiny (where ties and edge
    // cases are dense), some small, a few with a few hundred cases.
    let (n, m) = match index {
        0 => (0, 0),
        1 => (3, 0),
        2 => (0, 3),
        _ => match index % 40 {
            0..=23 => (rng.range(0, 8), rng.range(0, 5)),
            24..=35 => (rng.range(8, 40), rng.range(2, 12)),
            36..=38 => (rng.range(40, 120), rng.range(5, 30)),
            _ => (rng.range(120, 300), rng.range(20, 60)),
        },
    };
    let (n, m) = (n as usize, m as usize);
    let weights: &[i64] = match rng.next() % 6 {
        0 => &[1],
        1 => &[0],
        2 => &[0, 1, 2, 3],
        3 => &[1, MAX_WEIGHT],
        4 => &[1, 1, 1, 2, 3],
        _ => &[0, 1, 7, 500, MAX_WEIGHT],
    };
    let demand_max = match rng.next() % 8 {
        0..=3 => 1,
        4..=5 => 3,
        6 => 10,
        _ if n <= 8 => MAX_DEMAND,
        _ => 2,
    };
    let (cap_lo, cap_hi) = match rng.next() % 8 {
        0 => (0, 0),
        1..=2 => (0, 2),
        3..=4 => (0, 4),
        5 => (1, 10),
        6 if n <= 8 => (0, MAX_CAPACITY),
        _ => (1, 3),
    };
    // Costs: one value for every pair (all ties), a few values (many ties), a range, or the
    // limits.
    let cost_mode = rng.next() % 6;
    let one_cost = rng.pick(&[0, 1, 5, MAX_COST]);
    let cost = |rng: &mut Rng| match cost_mode {
        0 => one_cost,
        1 => rng.range(0, 2),
        2 => rng.range(0, 20),
        3 => rng.range(0, 1_000),
        4 => rng.pick(&[0, MAX_COST]),
        _ => rng.range(0, MAX_COST),
    };
    let density = rng.pick(&[0, 15, 40, 70, 100]);
    let lonely = rng.pick(&[0, 0, 10, 30]);
    let style = rng.next() % 4;
    let salt = rng.next();

    let case_ids: Vec<String> = (0..n).map(|k| id(style, "c", k, salt)).collect();
    let service_ids: Vec<String> = (0..m).map(|j| id(style, "s", j, !salt)).collect();
    let mut p = AssignmentProblem::default();
    for cid in &case_ids {
        p.cases.push(AssignCase {
            id: CaseId::new(cid.as_str()).unwrap(),
            weight: rng.pick(weights),
            demand: rng.range(1, demand_max),
        });
    }
    for sid in &service_ids {
        p.services.push(AssignService {
            id: ServiceId::new(sid.as_str()).unwrap(),
            capacity: rng.range(cap_lo, cap_hi),
        });
    }
    for cid in &case_ids {
        if rng.percent(lonely) {
            continue; // no eligible service
        }
        for sid in &service_ids {
            if rng.percent(density) {
                p.eligible.push(EligibleArc {
                    case: CaseId::new(cid.as_str()).unwrap(),
                    service: ServiceId::new(sid.as_str()).unwrap(),
                    cost: cost(&mut rng),
                });
            }
        }
    }
    if rng.percent(50) {
        rng.shuffle(&mut p.cases);
        rng.shuffle(&mut p.services);
        rng.shuffle(&mut p.eligible);
    }
    // About one problem in twelve is rejected, for one or two reasons.
    if index > 2 && rng.percent(8) {
        let faults = rng.range(1, 2);
        for _ in 0..faults {
            spoil(&mut p, &mut rng);
        }
    }
    p
}

/// Make `p` invalid in one way (or leave it when it has nothing to spoil).
fn spoil(p: &mut AssignmentProblem, rng: &mut Rng) {
    let n = p.cases.len();
    let m = p.services.len();
    let arcs = p.eligible.len();
    match rng.next() % 11 {
        0 if n > 0 => p.cases[rng.next() as usize % n].weight = rng.pick(&[-1, MAX_WEIGHT + 1]),
        1 if n > 0 => p.cases[rng.next() as usize % n].demand = rng.pick(&[0, -3, MAX_DEMAND + 1]),
        2 if m > 0 => {
            p.services[rng.next() as usize % m].capacity = rng.pick(&[-1, MAX_CAPACITY + 1])
        }
        3 if arcs > 0 => {
            p.eligible[rng.next() as usize % arcs].cost = rng.pick(&[-1, MAX_COST + 1])
        }
        4 if n > 0 => {
            let c = p.cases[rng.next() as usize % n].clone();
            p.cases.push(c);
        }
        5 if m > 0 => {
            let s = p.services[rng.next() as usize % m].clone();
            p.services.push(s);
        }
        6 if arcs > 0 => {
            let a = p.eligible[rng.next() as usize % arcs].clone();
            p.eligible.push(a);
        }
        7 if m > 0 => p.eligible.push(EligibleArc {
            case: CaseId::new("ghost case").unwrap(),
            service: p.services[0].id.clone(),
            cost: 1,
        }),
        8 if n > 0 => p.eligible.push(EligibleArc {
            case: p.cases[0].id.clone(),
            service: ServiceId::new("ghost service").unwrap(),
            cost: 1,
        }),
        _ => p.eligible.push(EligibleArc {
            case: CaseId::new("nobody").unwrap(),
            service: ServiceId::new("nowhere").unwrap(),
            cost: -5,
        }),
    }
}

/// The canonical JSON of one answer: the assignment (every case's decision with its figures
/// and placements, every service's load, the totals) or the errors, each with its path.
fn answer(p: &AssignmentProblem) -> String {
    match solve(p) {
        Ok(a) => serde_json::to_string(&serde_json::json!({ "ok": a })).unwrap(),
        Err(AssignError::Invalid(e)) => {
            let errors: Vec<String> = e.errors.iter().map(ToString::to_string).collect();
            serde_json::to_string(&serde_json::json!({ "invalid": errors })).unwrap()
        }
        #[allow(unreachable_patterns)]
        Err(other) => {
            serde_json::to_string(&serde_json::json!({ "error": other.to_string() })).unwrap()
        }
    }
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Chunk lines: `<first index> <count> <sha256 of the answers, one per line>`.
fn chunk_lines(answers: &[String]) -> Vec<String> {
    answers
        .chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut h = Sha256::new();
            for a in chunk {
                h.update(a.as_bytes());
                h.update(b"\n");
            }
            format!(
                "{} {} {}",
                c * CHUNK,
                chunk.len(),
                hex::encode(h.finalize())
            )
        })
        .collect()
}

/// Per answer: `<index> <first 16 hex digits of its sha256>`, to find the first difference.
fn answer_lines(answers: &[String]) -> Vec<String> {
    answers
        .iter()
        .enumerate()
        .map(|(i, a)| format!("{i} {}", &sha256(a.as_bytes())[..16]))
        .collect()
}

/// The first [`SAMPLE`] problems with at most 8 cases, with their answers, to read.
fn sample(problems: &[AssignmentProblem], answers: &[String]) -> String {
    let items: Vec<serde_json::Value> = (0..answers.len())
        .filter(|&i| problems[i].cases.len() <= 8)
        .take(SAMPLE)
        .map(|i| {
            serde_json::json!({
                "index": i,
                "problem": &problems[i],
                "answer": serde_json::from_str::<serde_json::Value>(&answers[i]).unwrap(),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap();
    s.push('\n');
    s
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

#[test]
fn the_assignment_gives_the_recorded_answers() {
    let dir = golden_dir();
    if let Some(i) = std::env::var("BESIDE_GOLDEN_SHOW")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let p = problem(i);
        println!("problem {i}: {}", serde_json::to_string(&p).unwrap());
        println!("answer  {i}: {}", answer(&p));
        return;
    }
    let problems: Vec<AssignmentProblem> = (0..PROBLEMS).map(problem).collect();
    let answers: Vec<String> = problems.iter().map(answer).collect();
    // The tie-break depends on the problem's content only: every fourth problem, shuffled,
    // gets the same answer byte for byte.
    for (i, p) in problems.iter().enumerate().step_by(4) {
        let mut rng = Rng(i as u64);
        let mut q = p.clone();
        rng.shuffle(&mut q.cases);
        rng.shuffle(&mut q.services);
        rng.shuffle(&mut q.eligible);
        if answers[i].starts_with("{\"ok\"") {
            assert_eq!(answer(&q), answers[i], "problem {i} shuffled");
        }
    }
    if let Some(path) = std::env::var_os("BESIDE_GOLDEN_DUMP") {
        let mut out = String::new();
        for (i, (p, a)) in problems.iter().zip(&answers).enumerate() {
            let p = serde_json::to_string(p).unwrap();
            let _ = writeln!(out, "{{\"index\":{i},\"problem\":{p},\"answer\":{a}}}");
        }
        std::fs::write(path, out).unwrap();
    }
    let chunks = chunk_lines(&answers);
    let each = answer_lines(&answers);
    if std::env::var_os("BESIDE_GOLDEN_WRITE").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("assign.sha256"), chunks.join("\n") + "\n").unwrap();
        std::fs::write(dir.join("assign.answers.sha256"), each.join("\n") + "\n").unwrap();
        std::fs::write(dir.join("assign.sample.json"), sample(&problems, &answers)).unwrap();
        return;
    }
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| {
            panic!("{name}: {e}; record with BESIDE_GOLDEN_WRITE=1 cargo test -p beside-referral --test golden_assign")
        })
    };
    let want_chunks = lines(&read("assign.sha256"));
    if want_chunks == chunks {
        return;
    }
    let want_each = lines(&read("assign.answers.sha256"));
    let mut report = String::new();
    let first_chunk = chunks
        .iter()
        .zip(&want_chunks)
        .position(|(a, b)| a != b)
        .unwrap_or(chunks.len().min(want_chunks.len()));
    let _ = writeln!(
        report,
        "golden answers differ from chunk {first_chunk} (got {} chunks, recorded {})",
        chunks.len(),
        want_chunks.len()
    );
    if let Some(i) = each.iter().zip(&want_each).position(|(a, b)| a != b) {
        let _ = writeln!(report, "first differing answer: index {i}");
        let _ = writeln!(
            report,
            "input: {}",
            serde_json::to_string(&problems[i]).unwrap()
        );
        let _ = writeln!(report, "new answer: {}", answers[i]);
        let recorded: Vec<serde_json::Value> =
            serde_json::from_str(&read("assign.sample.json")).unwrap();
        match recorded.iter().find(|r| r["index"] == i) {
            Some(r) => {
                let _ = writeln!(report, "recorded answer: {}", r["answer"]);
            }
            None => {
                let _ = writeln!(
                    report,
                    "recorded answer: not in the sample; run BESIDE_GOLDEN_SHOW={i} cargo test -p beside-referral --test golden_assign -- --nocapture on the recording commit"
                );
            }
        }
    }
    panic!("{report}");
}
