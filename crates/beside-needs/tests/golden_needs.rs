//! Golden answers of needs prioritisation: a seeded corpus of models (catalogues, dependency
//! graphs, weights) and assessments, every answer (a prioritised list, a batch summary, a
//! priorities table read back, or the error for an invalid input) serialised to canonical JSON and hashed with
//! SHA-256 in chunks of 1,000. A rewrite of the engine must give the same hashes.
//!
//! Two answer streams, each with its own file in `tests/golden/`:
//! - `needs.sha256`: the records: each model's compile answer, each assessment's
//!   `Prioritiser::prioritise`, and each model's `Prioritiser::summarise`;
//! - `needs_table.sha256`: the table form (`beside_needs::table`): per model, the priorities
//!   table of its valid assessments read back (and checked equal to the records' answers), its
//!   `summarise_table`, and each invalid assessment alone as a table, refused (the error names
//!   the row and column).
//!
//! `BESIDE_GOLDEN_WRITE=1 cargo test -p beside-needs --test golden_needs` rewrites the hashes
//! and the readable sample, and writes every answer to `target/golden/needs*.jsonl` (not
//! committed), against which a later mismatch is explained answer by answer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use beside_core::rng::SplitMix64;
use beside_core::{AssessmentId, CaseId, DomainKey, Level, Rating, WorkerId};
use beside_needs::{
    table, Assessment, Catalogue, Dependency, DependencyGraph, DomainEntry, DomainRating,
    LevelAnchor, LevelPoints, NeedsConfig, NeedsError, NeedsModel, RedFlag, UrgencyThresholds,
};
use chrono::{TimeZone, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::{BufRead, Write as _};
use std::path::PathBuf;

/// Answers per hashed chunk.
const CHUNK: usize = 1_000;
/// Models generated; about 130 assessments each.
const MODELS: u64 = 1_000;
/// Inputs kept, with their answers, in the readable sample.
const SAMPLE: usize = 20;

// ---------------------------------------------------------------------------------------------
// The generator.

struct Gen(SplitMix64);

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.0.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

fn key(s: &str) -> DomainKey {
    DomainKey::new(s).unwrap()
}

/// A catalogue: the standard one, a subset (shuffled or not, some keys renamed), or more than 16
/// domains (the defaults plus the organisation's own).
fn catalogue(g: &mut Gen) -> Catalogue {
    let standard = Catalogue::standard();
    match g.below(10) {
        0..=3 => standard,
        4..=6 => {
            let k = 1 + g.below(16);
            let mut domains = standard.domains;
            if g.chance(60) {
                g.shuffle(&mut domains);
            }
            domains.truncate(k);
            for (i, d) in domains.iter_mut().enumerate() {
                if g.chance(20) {
                    d.key = key(&format!("own_{i}_{}", d.key));
                    d.label = format!("Own {i}");
                }
            }
            Catalogue { domains }
        }
        _ => {
            let extra = 1 + g.below(24);
            let mut domains = standard.domains;
            for i in 0..extra {
                domains.push(DomainEntry {
                    key: key(&format!("org_domain_{i}")),
                    label: format!("Organisation domain {i}"),
                    anchors: Level::ALL
                        .iter()
                        .map(|l| LevelAnchor {
                            level: *l,
                            text: format!("Level {} of domain {i}.", l.number()),
                        })
                        .collect(),
                })
            }
            if g.chance(50) {
                g.shuffle(&mut domains);
            }
            domains.truncate(64);
            Catalogue { domains }
        }
    }
}

fn edge(keys: &[DomainKey], a: usize, b: usize) -> Dependency {
    Dependency {
        domain: keys[a].clone(),
        requires: keys[b].clone(),
    }
}

/// A graph over `keys`: the standard one (when its domains are there), empty, a chain, a
/// fan-in, a fan-out, a random acyclic graph; now and then a broken one (a cycle, a self-loop,
/// an unknown domain, a repeated edge or foundational entry).
fn graph(g: &mut Gen, keys: &[DomainKey]) -> DependencyGraph {
    let n = keys.len();
    let standard = DependencyGraph::standard();
    let all_known = standard
        .edges
        .iter()
        .all(|e| keys.contains(&e.domain) && keys.contains(&e.requires));
    let mut graph = match g.below(12) {
        0..=2 if all_known => standard,
        0 | 1 => DependencyGraph::empty(),
        3 => {
            // A chain: each domain requires the one before it (in a random order).
            let mut order: Vec<usize> = (0..n).collect();
            g.shuffle(&mut order);
            let edges = order.windows(2).map(|w| edge(keys, w[1], w[0])).collect();
            DependencyGraph {
                foundational: vec![keys[order[0]].clone()],
                edges,
            }
        }
        4 => {
            // Fan-in: many domains require one.
            let hub = g.below(n);
            let edges = (0..n)
                .filter(|&i| i != hub && g.chance(70))
                .map(|i| edge(keys, i, hub))
                .collect();
            DependencyGraph {
                foundational: vec![keys[hub].clone()],
                edges,
            }
        }
        5 => {
            // Fan-out: one domain requires many.
            let top = g.below(n);
            let edges = (0..n)
                .filter(|&i| i != top && g.chance(70))
                .map(|i| edge(keys, top, i))
                .collect();
            DependencyGraph {
                foundational: Vec::new(),
                edges,
            }
        }
        _ => {
            // Random acyclic: edges only from later to earlier in a random permutation.
            let mut perm: Vec<usize> = (0..n).collect();
            g.shuffle(&mut perm);
            let mut edges = Vec::new();
            let mut seen = std::collections::BTreeSet::new();
            let count = g.below(3 * n + 1);
            for _ in 0..count {
                let (a, b) = (g.below(n), g.below(n));
                if a > b && seen.insert((perm[a], perm[b])) {
                    edges.push(edge(keys, perm[a], perm[b]));
                }
            }
            let foundational = (0..n)
                .filter(|_| g.chance(25))
                .map(|i| keys[i].clone())
                .collect();
            DependencyGraph {
                foundational,
                edges,
            }
        }
    };
    if g.chance(7) && n >= 2 {
        // Broken: one of several faults.
        let (a, b) = (g.below(n), g.below(n));
        match g.below(6) {
            0 | 1 if a != b => {
                graph.edges.push(edge(keys, a, b));
                graph.edges.push(edge(keys, b, a));
            }
            0 | 1 => {
                // A longer cycle through three domains, when there are three.
                if n >= 3 {
                    let c = (0..n).find(|&c| c != a).unwrap();
                    let d = (0..n).find(|&d| d != a && d != c).unwrap();
                    graph.edges.push(edge(keys, a, c));
                    graph.edges.push(edge(keys, c, d));
                    graph.edges.push(edge(keys, d, a));
                }
            }
            2 => graph.edges.push(edge(keys, a, a)),
            3 => graph.edges.push(Dependency {
                domain: keys[a].clone(),
                requires: key("no_such_domain"),
            }),
            4 => {
                if let Some(e) = graph.edges.first().cloned() {
                    graph.edges.push(e);
                } else {
                    graph.foundational.push(key("unknown_foundation"));
                }
            }
            _ => {
                graph.foundational.push(keys[a].clone());
                graph.foundational.push(keys[a].clone());
            }
        }
    }
    graph
}

/// Weights: the defaults, or every knob varied; now and then an invalid value.
fn config(g: &mut Gen, keys: &[DomainKey]) -> NeedsConfig {
    let mut c = NeedsConfig::default();
    let standard_flags = c.red_flags.iter().all(|r| keys.contains(&r.domain));
    let vary = g.chance(70) || !standard_flags;
    if vary {
        let points = [0u32, 1, 5, 10, 25, 40, 60, 100, 250];
        let mut lp: Vec<u32> = (0..5).map(|_| *g.pick(&points)).collect();
        if g.chance(60) {
            lp.sort_unstable_by(|a, b| b.cmp(a));
        }
        c.level_points = LevelPoints {
            in_crisis: lp[0],
            vulnerable: lp[1],
            safe: lp[2],
            building_capacity: lp[3],
            thriving: lp[4],
        };
        c.blocking_max_level = Level::from_number(1 + g.below(5) as u8).unwrap();
        c.points_per_blocked_domain = *g.pick(&[0, 1, 6, 10, 30]);
        c.max_blocking_points = *g.pick(&[0, 6, 12, 36, 100, 1000]);
        c.foundational_points = *g.pick(&[0, 5, 15, 40]);
        let len = g.below(7);
        c.own_rank_points = (0..len).map(|_| *g.pick(&[0, 5, 10, 35, 50, 80])).collect();
        c.own_rank_points_after = *g.pick(&[0, 1, 5, 20]);
        let mut t = [*g.pick(&points), *g.pick(&points), *g.pick(&points)];
        t.sort_unstable();
        c.urgency = UrgencyThresholds {
            urgent: t[2],
            high: t[1],
            medium: t[0],
        };
        let minutes = [1u32, 60, 60, 180, 1440, 4320, 10_000, 527_040];
        for rule in &mut c.red_flags {
            if !standard_flags || g.chance(50) {
                rule.domain = g.pick(keys).clone();
            }
            if g.chance(50) {
                rule.respond_within_minutes = *g.pick(&minutes);
            }
        }
        c.setback_min_drop = 1 + g.below(4) as u8;
    }
    if g.chance(5) {
        match g.below(7) {
            0 => {
                c.red_flags.remove(g.below(4));
            }
            1 => c.red_flags[g.below(4)].respond_within_minutes = 0,
            2 => {
                c.urgency.high = c.urgency.medium.saturating_sub(1);
                c.urgency.medium = c.urgency.high + 1;
            }
            3 => c.level_points.safe = 2_000_000,
            4 => c.red_flags[0].domain = key("not_in_catalogue"),
            5 => c.setback_min_drop = 0,
            _ => {
                let dup = c.red_flags[0].clone();
                c.red_flags.push(dup);
            }
        }
    }
    c
}

fn model(g: &mut Gen, index: u64) -> NeedsModel {
    if index < 20 {
        return NeedsModel::default();
    }
    let catalogue = catalogue(g);
    let keys = catalogue.keys();
    let graph = graph(g, &keys);
    let config = config(g, &keys);
    let mut m = NeedsModel {
        catalogue,
        graph,
        config,
    };
    if g.chance(2) {
        // A broken catalogue: a repeated key or a missing anchor.
        if g.chance(50) && m.catalogue.domains.len() >= 2 {
            m.catalogue.domains[1].key = m.catalogue.domains[0].key.clone();
        } else {
            m.catalogue.domains[0].anchors.pop();
        }
    }
    m
}

fn rating(g: &mut Gen, flat: Option<Level>) -> Rating {
    if let Some(l) = flat {
        if g.chance(80) {
            return Rating::Level(l);
        }
    }
    match g.below(12) {
        0 => Rating::Declined,
        1 => Rating::NotAssessed,
        n => Rating::Level(Level::from_number(1 + (n % 5) as u8).unwrap()),
    }
}

/// An assessment over `keys`: any subset of domains in any order, ratings (often all at one
/// level, for ties), the person's ranking and "not now" list (they may overlap), red flags;
/// about one in twelve is invalid (unknown or repeated domains, a ranking of an unrated
/// domain, a repeated or unknown "not now" entry).
fn assessment(g: &mut Gen, keys: &[DomainKey], n: u64) -> Assessment {
    let mut chosen: Vec<usize> = match g.below(10) {
        0 => Vec::new(),
        1 => vec![g.below(keys.len())],
        2..=5 => (0..keys.len()).collect(),
        _ => (0..keys.len()).filter(|_| g.chance(60)).collect(),
    };
    if g.chance(50) {
        g.shuffle(&mut chosen);
    }
    let flat = g
        .chance(20)
        .then(|| Level::from_number(1 + g.below(5) as u8).unwrap());
    let ratings: Vec<DomainRating> = chosen
        .iter()
        .map(|&i| DomainRating {
            domain: keys[i].clone(),
            rating: rating(g, flat),
        })
        .collect();
    let rated: Vec<DomainKey> = ratings
        .iter()
        .filter(|r| r.rating != Rating::NotAssessed)
        .map(|r| r.domain.clone())
        .collect();
    let mut own: Vec<DomainKey> = match g.below(4) {
        0 | 1 => Vec::new(),
        2 => rated.iter().filter(|_| g.chance(30)).cloned().collect(),
        _ => rated.clone(),
    };
    g.shuffle(&mut own);
    let mut not_now: Vec<DomainKey> = if g.chance(40) {
        rated.iter().filter(|_| g.chance(25)).cloned().collect()
    } else {
        Vec::new()
    };
    g.shuffle(&mut not_now);
    let mut red_flags: Vec<RedFlag> = RedFlag::ALL.into_iter().filter(|_| g.chance(15)).collect();
    g.shuffle(&mut red_flags);
    if g.chance(3) {
        red_flags.push(RedFlag::UntreatedInjury);
    }
    let mut a = Assessment {
        extra: std::collections::BTreeMap::new(),
        id: AssessmentId::new(format!("a-{n}")).unwrap(),
        case_id: CaseId::new(format!("c-{}", n / 3)).unwrap(),
        assessed_at: Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap(),
        assessed_by: WorkerId::new("w-1").unwrap(),
        ratings,
        red_flags,
        own_priorities: own,
        not_now,
    };
    if g.chance(8) {
        match g.below(8) {
            0 => a.ratings.push(DomainRating {
                domain: key("unknown_domain"),
                rating: Rating::Level(Level::Safe),
            }),
            1 => {
                if let Some(r) = a.ratings.first().cloned() {
                    let at = g.below(a.ratings.len() + 1);
                    a.ratings.insert(at, r);
                }
            }
            2 => {
                let unrated = keys.iter().find(|k| !rated.contains(k)).cloned();
                if let Some(k) = unrated {
                    let at = g.below(a.own_priorities.len() + 1);
                    a.own_priorities.insert(at, k);
                }
            }
            3 => {
                if let Some(k) = a.not_now.first().cloned() {
                    a.not_now.push(k);
                } else if let Some(k) = rated.first().cloned() {
                    a.not_now = vec![k.clone(), k];
                }
            }
            4 => a.not_now.push(key("not_a_domain")),
            5 => a.own_priorities.insert(0, key("mystery")),
            6 => {
                if let Some(k) = a.own_priorities.first().cloned() {
                    a.own_priorities.push(k);
                }
            }
            _ => {
                // An unknown domain after a repeated one: the first problem is the answer.
                if let Some(r) = a.ratings.first().cloned() {
                    a.ratings.push(r);
                    a.ratings.push(DomainRating {
                        domain: key("zzz"),
                        rating: Rating::Declined,
                    });
                }
            }
        }
    }
    a
}

// ---------------------------------------------------------------------------------------------
// Answers.

/// An answer: the value, or the error (errors are answers too).
#[derive(Serialize)]
enum Answer<'a, T: Serialize> {
    Ok(&'a T),
    Err(&'a NeedsError),
}

fn answer<T: Serialize>(r: &Result<T, NeedsError>) -> String {
    let a = match r {
        Ok(v) => Answer::Ok(v),
        Err(e) => Answer::Err(e),
    };
    serde_json::to_string(&a).unwrap()
}

/// Bytes as lower-case hex.
/// One hashed stream of answers.
struct Stream {
    name: &'static str,
    chunk: Sha256,
    in_chunk: usize,
    count: usize,
    lines: Vec<String>,
    /// When set, the answers of these indices are kept (with their inputs) for a report.
    keep: Option<std::ops::Range<usize>>,
    kept: Vec<(usize, String, String)>,
    /// When writing: every answer, one per line.
    dump: Option<std::io::BufWriter<std::fs::File>>,
}

impl Stream {
    fn new(name: &'static str) -> Self {
        Stream {
            name,
            chunk: Sha256::new(),
            in_chunk: 0,
            count: 0,
            lines: Vec::new(),
            keep: None,
            kept: Vec::new(),
            dump: None,
        }
    }

    /// Add one answer; `input` describes the input (only called when the answer is kept).
    fn add(&mut self, input: impl FnOnce() -> String, answer: String) {
        self.chunk.update(answer.as_bytes());
        self.chunk.update(b"\n");
        if let Some(d) = &mut self.dump {
            writeln!(d, "{answer}").unwrap();
        }
        if self.keep.as_ref().is_some_and(|r| r.contains(&self.count)) {
            self.kept.push((self.count, input(), answer));
        }
        self.count += 1;
        self.in_chunk += 1;
        if self.in_chunk == CHUNK {
            self.close_chunk();
        }
    }

    fn close_chunk(&mut self) {
        if self.in_chunk == 0 {
            return;
        }
        let hash = std::mem::replace(&mut self.chunk, Sha256::new()).finalize();
        let mut hex = String::with_capacity(64);
        for b in hash {
            write!(hex, "{b:02x}").unwrap();
        }
        let index = self.lines.len();
        self.lines.push(format!("{index} {} {hex}", self.in_chunk));
        self.in_chunk = 0;
    }

    fn finish(mut self) -> Self {
        self.close_chunk();
        if let Some(mut d) = self.dump.take() {
            d.flush().unwrap();
        }
        self
    }
}

/// The sample: a few inputs with their answers, for reading.
#[derive(Serialize)]
struct SampleEntry {
    what: String,
    input: serde_json::Value,
    answer: serde_json::Value,
}

/// What the corpus held, to check that it covers what it promises.
#[derive(Debug, Default)]
struct Coverage {
    assessments: usize,
    invalid_assessments: usize,
    small_catalogues: usize,
    large_catalogues: usize,
    invalid_models: usize,
    cycles: usize,
    ranked_ahead_of_blocker: usize,
    not_now: usize,
    red_flags: usize,
}

/// Keep one input and its answer in the sample, while it has room.
fn keep_sample(
    sample: &mut Vec<SampleEntry>,
    what: String,
    input: &dyn Fn() -> String,
    answer: &str,
) {
    if sample.len() < SAMPLE {
        sample.push(SampleEntry {
            what,
            input: serde_json::from_str(&input()).unwrap(),
            answer: serde_json::from_str(answer).unwrap(),
        });
    }
}

/// Run the whole corpus, feeding the two streams (and the sample). Each model has its own
/// generator, seeded by its index, so a model's inputs do not depend on the models before it.
fn run(records: &mut Stream, tables: &mut Stream, sample: &mut Vec<SampleEntry>) -> Coverage {
    let mut cov = Coverage::default();
    let mut n = 0u64;
    for m in 0..MODELS {
        let mut g = Gen(SplitMix64::new(
            0x6e65_6564_7331_3400 ^ m.wrapping_mul(0x9E37_79B9),
        ));
        let model = model(&mut g, m);
        let size = model.catalogue.domains.len();
        cov.small_catalogues += usize::from(size < 16);
        cov.large_catalogues += usize::from(size > 16);
        let model_json = || serde_json::to_string(&model).unwrap();
        let compiled = model.clone().compile();
        let compiled_answer = match &compiled {
            Ok(p) => answer::<NeedsModel>(&Ok(p.model().clone())),
            Err(e) => answer::<NeedsModel>(&Err(e.clone())),
        };
        if compiled.is_err() && size <= 3 && sample.len() < 4 {
            keep_sample(
                sample,
                format!("model {m}: compile"),
                &model_json,
                &compiled_answer,
            );
        }
        records.add(|| format!("model {m}: {}", model_json()), compiled_answer);
        if let Err(NeedsError::Invalid(e)) = &compiled {
            cov.invalid_models += 1;
            cov.cycles += usize::from(
                e.errors
                    .iter()
                    .any(|f| matches!(f.reason, beside_core::Reason::Cycle { .. })),
            );
        }
        let Ok(p) = compiled else { continue };
        let keys = p.catalogue().keys();
        let count = 105 + g.below(31);
        let list: Vec<Assessment> = (0..count)
            .map(|_| {
                n += 1;
                assessment(&mut g, &keys, n)
            })
            .collect();
        let mut valid: Vec<Assessment> = Vec::with_capacity(list.len());
        for (i, a) in list.iter().enumerate() {
            let input = || {
                format!(
                    "model {m} ({}), assessment {i}: {}",
                    model_json(),
                    serde_json::to_string(a).unwrap()
                )
            };
            let result = p.prioritise(a);
            match &result {
                Ok(list) => {
                    let has = |code: &str| {
                        list.items
                            .iter()
                            .any(|i| i.reasons.iter().any(|r| r.code() == code))
                    };
                    cov.ranked_ahead_of_blocker += usize::from(has("ahead_of_blocker"));
                    cov.not_now += usize::from(has("not_now"));
                    cov.red_flags += usize::from(has("red_flag"));
                }
                Err(_) => cov.invalid_assessments += 1,
            }
            let ans = answer(&result);
            if i % 16 == 5 && keys.len() <= 6 && result.is_ok() {
                keep_sample(
                    sample,
                    format!("model {m}, assessment {i}: prioritise"),
                    &|| serde_json::to_string(a).unwrap(),
                    &ans,
                );
            }
            records.add(input, ans);
            cov.assessments += 1;
            if result.is_ok() {
                valid.push(a.clone());
            }
        }
        let some = &list[..list.len().min(30)];
        records.add(
            || format!("model {m}: summarise its first {} assessments", some.len()),
            answer::<beside_needs::BatchSummary>(&Ok(p.summarise(some))),
        );

        // The table form: the valid ones in one table, read back; each invalid one alone.
        let table = table::assessments_table(&valid).unwrap();
        let read = p
            .prioritise_table(&table.schema(), std::slice::from_ref(&table))
            .and_then(|out| table::read_priorities_table(&out));
        if let Ok(read) = &read {
            let want: Vec<_> = valid
                .iter()
                .filter(|a| !a.ratings.is_empty())
                .map(|a| p.prioritise(a).unwrap())
                .collect();
            assert_eq!(
                read, &want,
                "model {m}: the table ranks otherwise than the records"
            );
        }
        tables.add(
            || format!("model {m}: prioritise_table of the valid ones"),
            answer(&read),
        );
        tables.add(
            || format!("model {m}: summarise_table of the valid ones"),
            answer(&p.summarise_table(&table.schema(), std::slice::from_ref(&table))),
        );
        for (i, a) in list.iter().enumerate() {
            if p.prioritise(a).is_ok() || a.ratings.is_empty() {
                continue;
            }
            let alone = table::assessments_table(std::slice::from_ref(a)).unwrap();
            tables.add(
                || format!("model {m}, assessment {i} alone as a table"),
                answer(
                    &p.prioritise_table(&alone.schema(), std::slice::from_ref(&alone))
                        .map(|_| ()),
                ),
            );
        }
    }
    cov
}

// ---------------------------------------------------------------------------------------------
// The test.

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn dump_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("golden")
}

fn read_lines(path: &PathBuf) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (record with BESIDE_GOLDEN_WRITE=1)",
                path.display()
            )
        })
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn needs_answers_match_the_golden_hashes() {
    let write = std::env::var_os("BESIDE_GOLDEN_WRITE").is_some_and(|v| v == "1");
    let mut records = Stream::new("needs");
    let mut tables = Stream::new("needs_table");
    if write {
        std::fs::create_dir_all(dump_dir()).unwrap();
        for s in [&mut records, &mut tables] {
            let path = dump_dir().join(format!("{}.jsonl", s.name));
            s.dump = Some(std::io::BufWriter::new(
                std::fs::File::create(path).unwrap(),
            ));
        }
    }
    let mut sample = Vec::new();
    let cov = run(&mut records, &mut tables, &mut sample);
    let assessments = cov.assessments;
    assert!(assessments >= 100_000, "only {assessments} assessments");
    assert!(
        cov.invalid_assessments > 1_000
            && cov.small_catalogues > 50
            && cov.large_catalogues > 50
            && cov.invalid_models > 20
            && cov.cycles > 5
            && cov.ranked_ahead_of_blocker > 1_000
            && cov.not_now > 1_000
            && cov.red_flags > 1_000,
        "the corpus covers too little: {cov:?}"
    );
    let records = records.finish();
    let tables = tables.finish();
    let sample_json = serde_json::to_string_pretty(&sample).unwrap() + "\n";

    if write {
        std::fs::create_dir_all(golden_dir()).unwrap();
        for s in [&records, &tables] {
            let text = s.lines.join("\n") + "\n";
            std::fs::write(golden_dir().join(format!("{}.sha256", s.name)), text).unwrap();
        }
        std::fs::write(golden_dir().join("needs.sample.json"), &sample_json).unwrap();
        eprintln!(
            "recorded {} record answers ({assessments} assessments) and {} table answers",
            records.count, tables.count
        );
        return;
    }

    let recorded_sample = std::fs::read_to_string(golden_dir().join("needs.sample.json"))
        .expect("tests/golden/needs.sample.json (record with BESIDE_GOLDEN_WRITE=1)");
    let mut failures = Vec::new();
    for s in [&records, &tables] {
        let expected = read_lines(&golden_dir().join(format!("{}.sha256", s.name)));
        if expected == s.lines {
            continue;
        }
        let first = expected
            .iter()
            .zip(&s.lines)
            .position(|(a, b)| a != b)
            .unwrap_or(expected.len().min(s.lines.len()));
        failures.push((s.name, first, expected.len(), s.lines.len()));
    }
    if let Some(&(name, chunk, want, got)) = failures.first() {
        panic!("{}", explain(name, chunk, want, got));
    }
    assert_eq!(
        recorded_sample, sample_json,
        "the readable sample differs from tests/golden/needs.sample.json"
    );
}

/// Regenerate the corpus keeping the answers of the differing chunk, and compare them with the
/// answers recorded in `target/golden/<name>.jsonl` (when present) to name the first differing
/// answer, its input and both answers.
fn explain(name: &str, chunk: usize, want: usize, got: usize) -> String {
    let range = chunk * CHUNK..(chunk + 1) * CHUNK;
    let mut records = Stream::new("needs");
    let mut tables = Stream::new("needs_table");
    let target = if name == "needs" {
        &mut records
    } else {
        &mut tables
    };
    target.keep = Some(range.clone());
    let mut sample = Vec::new();
    run(&mut records, &mut tables, &mut sample);
    let kept = if name == "needs" {
        records.kept
    } else {
        tables.kept
    };
    let mut msg = format!(
        "golden {name}: chunk {chunk} (answers {}..{}) differs first ({want} chunks recorded, {got} now)\n",
        range.start, range.end
    );
    let dump = dump_dir().join(format!("{name}.jsonl"));
    match std::fs::File::open(&dump) {
        Ok(f) => {
            let old: Vec<String> = std::io::BufReader::new(f)
                .lines()
                .skip(range.start)
                .take(CHUNK)
                .map(Result::unwrap)
                .collect();
            let diff = kept
                .iter()
                .zip(old.iter().map(Some).chain(std::iter::repeat(None)))
                .find(|((_, _, new), old)| old.is_none_or(|o| o != new));
            match diff {
                Some(((i, input, new), old)) => {
                    let _ = write!(
                        msg,
                        "first differing answer: {i}\ninput: {input}\nrecorded: {}\nnow:      {new}\n",
                        old.map_or("(none)", String::as_str)
                    );
                }
                None => msg
                    .push_str("no answer of the chunk differs from the dump: the dump is stale\n"),
            }
        }
        Err(_) => {
            let _ = writeln!(
                msg,
                "no recorded answers at {} (BESIDE_GOLDEN_WRITE=1 at the recording commit writes them); first answer of the chunk:",
                dump.display()
            );
            if let Some((i, input, new)) = kept.first() {
                let _ = write!(msg, "{i}: input: {input}\nnow: {new}\n");
            }
        }
    }
    msg
}
