//! Golden answers of the trajectory engine and the cohort summary, recorded before the rewrite
//! of `trajectory.rs` (issue 14) so that the plain code must give the same answers.
//!
//! A seeded generator (no wall clock, fixed `now` per input) makes 10,000 trajectories and
//! 1,000 cohort summaries; each answer (the result or the error, through the public API) is
//! serialised to canonical JSON (keys sorted) and hashed with SHA-256 in chunks of 1,000. The
//! hashes are in `tests/golden/trajectory.sha256` (chunk, answers, hex) and a readable sample
//! of small inputs with their answers in `tests/golden/trajectory.sample.json`. What the
//! generator covers and how to re-record: `tests/golden/README.md`.
//!
//! - `BESIDE_GOLDEN_WRITE=1 cargo test -p beside-reintegration --test golden_trajectory`
//!   rewrites both files (and the full answers, see below).
//! - `BESIDE_GOLDEN_DUMP=1 …` only writes the full answers of this build to
//!   `<target>/tmp/golden/trajectory.recorded.jsonl` (one line each). On a mismatch the test
//!   reads that file, when its chunk matches the recorded hash, to print the recorded answer
//!   beside the new one; run it once on the commit that recorded the hashes to have it.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::large_enum_variant,
    missing_docs
)]

use beside_core::rng::SplitMix64;
use beside_core::{
    default_domain_keys, AssessmentId, CaseId, Creditor, Debt, DomainKey, EventId, Level, Rating,
    ReturnRoute, TimeZone, Timestamp, WorkerId,
};
use beside_needs::{Assessment, DomainRating, RedFlag};
use beside_reintegration::risk::{
    BrokerContact, FamilyPressure, Income, MigrationIntention, SocialSituation,
};
use beside_reintegration::timeline::{CaseResult, SetbackCause};
use beside_reintegration::{
    next_status, CohortCase, CohortConfig, CohortCounts, CohortSummary, DomainWeight, EventKind,
    FollowUpConfig, ModelConfig, OutcomeDefinition, OutcomeKey, OutcomeProfile, Phase, PhaseStatus,
    ReintegrationError, ReintegrationModel, RiskConfig, RiskInputs, RiskLevel, TimelineEvent,
    TrendConfig,
};
use chrono::{Duration, NaiveDate, TimeZone as _, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Trajectories in the corpus.
const TRAJECTORIES: usize = 10_000;
/// Cohort summaries in the corpus, after the trajectories.
const COHORTS: usize = 1_000;
/// Answers per hashed chunk.
const CHUNK: usize = 1_000;
/// The generator's seed; input `i` is generated from `SEED + i` alone.
const SEED: u64 = 0x7472_616a_0014;
/// Small inputs written to the sample: trajectories, then cohorts.
const SAMPLE_TRAJECTORIES: usize = 16;
const SAMPLE_COHORTS: usize = 4;

// ---------------------------------------------------------------------------------------------
// The generator.

/// The shared SplitMix64 with the few draws the generator needs.
struct Gen(SplitMix64);

impl Gen {
    fn new(seed: u64) -> Self {
        Self(SplitMix64::new(seed))
    }
    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }
    /// Uniform in `lo..=hi`.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.0.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.0.chance(p)
    }
    fn real(&mut self, lo: f64, hi: f64) -> f64 {
        self.0.range_f64(lo, hi)
    }
    fn weighted(&mut self, weights: &[f64]) -> usize {
        self.0.pick_weighted(weights)
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

fn key(k: &str) -> DomainKey {
    DomainKey::new(k).unwrap()
}

/// Domain keys outside the default catalogue that a custom catalogue knows (one sorts before
/// every default key, one after, two between).
const EXTRA_KNOWN: [&str; 4] = ["aa_extra", "zz_extra", "mid_extra", "wellbeing"];
/// Outcome keys for custom profiles (bundled and not).
const OUTCOME_NAMES: [&str; 10] = [
    "financial_health",
    "mental_health",
    "family_connection",
    "social_acceptance",
    "economic",
    "social",
    "psychosocial",
    "wellbeing",
    "safety_net",
    "belonging",
];
/// The zones trajectories are read in: UTC, east (Dhaka +6, Kathmandu +5:45, Kiritimati +14)
/// and west (Lima −5, Pago Pago −11, St John's −3:30 with DST), and London (DST).
const ZONES: [&str; 9] = [
    "UTC",
    "Asia/Dhaka",
    "Asia/Kathmandu",
    "Asia/Phnom_Penh",
    "Pacific/Kiritimati",
    "America/Lima",
    "Pacific/Pago_Pago",
    "America/St_Johns",
    "Europe/London",
];

/// One trajectory question: a model configuration (checked against `known`), the inputs and
/// the moment and place of the computation (`zone` absent: [`ReintegrationModel::trajectory`],
/// UTC days).
#[derive(Serialize)]
struct TrajectoryInput {
    config: ModelConfig,
    known: Vec<DomainKey>,
    assessments: Vec<Assessment>,
    events: Vec<TimelineEvent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    risk: Option<RiskInputs>,
    now: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    zone: Option<TimeZone>,
}

/// Where a cohort's cases come from.
#[derive(Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
enum CohortSource {
    /// Cases given directly.
    Cases { cases: Vec<CohortCase> },
    /// Cases made from trajectories ([`CohortCase::from_trajectory`]) with a consent each; a
    /// trajectory that is refused contributes no case.
    Trajectories {
        trajectories: Vec<TrajectoryInput>,
        consents: Vec<bool>,
    },
}

/// One cohort summary question.
#[derive(Serialize)]
struct CohortInput {
    config: CohortConfig,
    #[serde(flatten)]
    source: CohortSource,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Input {
    Trajectory(TrajectoryInput),
    Cohort(CohortInput),
}

fn input(i: usize) -> Input {
    let mut g = Gen::new(SEED.wrapping_add(i as u64));
    if i < TRAJECTORIES {
        Input::Trajectory(trajectory_input(&mut g, i, 60))
    } else {
        Input::Cohort(cohort_input(&mut g, i))
    }
}

/// Weights within an outcome: whole 0 to 6, fractional, or a mix.
fn domain_weight(g: &mut Gen, style: usize) -> f64 {
    match style {
        0 => g.int(0, 6) as f64,
        1 => g.real(0.0, 5.0),
        _ => {
            if g.chance(0.5) {
                g.int(0, 3) as f64
            } else {
                g.real(0.1, 3.0)
            }
        }
    }
}

/// A profile made up here: 1 to 6 outcomes (sometimes too many), each fed by a few domains of
/// the catalogue with whole or fractional weights, and now and then a mistake the model must
/// refuse (an unknown domain, a repeated key, weights summing to 0, a bad key).
fn custom_profile(g: &mut Gen, known: &[DomainKey]) -> OutcomeProfile {
    let n_outcomes = if g.chance(0.02) { 17 } else { 1 + g.below(6) };
    let style = g.below(3);
    let mut outcomes = Vec::new();
    for o in 0..n_outcomes {
        let name = match OUTCOME_NAMES.get(o) {
            Some(n) if !g.chance(0.02) => (*n).to_owned(),
            Some(_) => OUTCOME_NAMES[0].to_owned(),
            None => format!("outcome_{o}"),
        };
        let mut pool: Vec<DomainKey> = known.to_vec();
        g.shuffle(&mut pool);
        let n_domains = if g.chance(0.01) { 0 } else { 1 + g.below(8) };
        let mut domains: Vec<DomainWeight> = pool
            .into_iter()
            .take(n_domains)
            .map(|domain| DomainWeight {
                domain,
                weight: domain_weight(g, style),
            })
            .collect();
        if !domains.is_empty() {
            match g.below(100) {
                0 => domains.iter_mut().for_each(|d| d.weight = 0.0),
                1 => domains[0].weight = -1.0,
                2 => domains[0].domain = key("unknown_domain"),
                3 if domains.len() > 1 => {
                    let again = domains[0].domain.clone();
                    domains[1].domain = again;
                }
                _ => domains[0].weight += if style == 1 { 0.25 } else { 1.0 },
            }
        }
        let weight = match g.below(10) {
            0..=5 => 1.0,
            6 | 7 => g.int(0, 3) as f64,
            _ => g.real(0.0, 3.0),
        };
        outcomes.push(OutcomeDefinition {
            key: OutcomeKey::new(&name).unwrap(),
            domains,
            weight,
        });
    }
    if outcomes.iter().all(|o| o.weight <= 0.0) && !g.chance(0.1) {
        outcomes[0].weight = 1.0;
    }
    OutcomeProfile {
        key: if g.chance(0.02) {
            "Bad Key".into()
        } else {
            format!("custom_{}", g.below(1000))
        },
        outcomes,
    }
}

/// A model configuration: a bundled profile (sometimes reweighted) or a custom one, trend,
/// follow-up and risk settings default or varied (now and then out of range), and the domain
/// catalogue the profile is checked against.
fn model_config(g: &mut Gen) -> (ModelConfig, Vec<DomainKey>) {
    let mut known = default_domain_keys();
    if g.chance(0.3) {
        known.extend(EXTRA_KNOWN.iter().map(|k| key(k)));
    }
    let (mut profile, bundled) = match g.below(10) {
        0..=3 => (OutcomeProfile::kasper_chiang(), true),
        4 | 5 => (OutcomeProfile::iom_dimensions(), true),
        _ => (custom_profile(g, &known), false),
    };
    if bundled && g.chance(0.15) {
        let style = g.below(3);
        for o in &mut profile.outcomes {
            o.weight = g.int(0, 3) as f64 + 0.5;
            for d in &mut o.domains {
                d.weight = domain_weight(g, style) + 0.01;
            }
        }
    }
    let trend = if g.chance(0.5) {
        TrendConfig::default()
    } else {
        TrendConfig {
            stable_band: match g.below(7) {
                0 => 0.0,
                1 => 0.25,
                2 => 0.5,
                3 => 1.0,
                4 => 1.5,
                5 => 2.0,
                _ => g.real(0.0, 2.0),
            },
            domain_drop: if g.chance(0.01) {
                g.pick(&[0, 5])
            } else {
                g.pick(&[1, 1, 2, 3, 4])
            },
            outcome_drop: match g.below(8) {
                0 => 0.01,
                1 => 0.25,
                2 => 0.5,
                3 | 4 => 1.0,
                5 => 1.5,
                6 => 2.0,
                _ => g.real(0.01, 3.0),
            },
        }
    };
    let follow_up = if g.chance(0.7) {
        FollowUpConfig::default()
    } else {
        let mut days = || -> u32 {
            if g.chance(0.005) {
                0
            } else if g.chance(0.5) {
                g.pick(&[1, 7, 14, 30, 60, 90, 180, 365, 3650])
            } else {
                g.int(1, 400) as u32
            }
        };
        FollowUpConfig {
            in_crisis_days: days(),
            vulnerable_days: days(),
            safe_days: days(),
            building_capacity_days: days(),
            thriving_days: days(),
            nothing_rated_days: days(),
            red_flag_days: days(),
            high_risk_days: days(),
            moderate_risk_days: days(),
        }
    };
    let risk = if g.chance(0.8) {
        RiskConfig::default()
    } else {
        let mut p = || g.int(0, 4) as u32;
        let moderate_from = (p() + 1).min(4);
        let mut c = RiskConfig {
            debt_to_broker: p(),
            debt_to_family: p(),
            debt_to_lender: p(),
            no_income: p(),
            irregular_income: p(),
            some_family_pressure: p(),
            strong_family_pressure: p(),
            stigma: p(),
            isolation: p(),
            considering_migration: p(),
            planning_migration: p(),
            past_broker_contact: p(),
            recent_broker_contact: p(),
            broker_offer: p(),
            moderate_from,
            high_from: moderate_from + 1 + p(),
            max_unknown: p(),
        };
        if g.chance(0.03) {
            c.high_from = c.moderate_from;
        }
        c
    };
    (
        ModelConfig {
            profile,
            follow_up,
            trend,
            risk,
        },
        known,
    )
}

/// How a series lists its ratings.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// Every default domain in catalogue order.
    Catalogue,
    /// Every default domain, in one shuffled order throughout.
    Shuffled,
    /// Some default domains, in a new order each time.
    Subset,
    /// The defaults, then keys outside the default catalogue (known to a custom one or not).
    WithExtras,
    /// The defaults with some domains rated twice (the first rating at a level counts).
    Repeats,
    /// One to three domains.
    Few,
    /// 40 to 100 ratings over more than a hundred keys.
    Wide,
}

/// The next level of a domain's random walk: mostly the same, sometimes a level up, falls of
/// one to four levels (so setbacks at and around each threshold), now and then any level.
fn step(g: &mut Gen, level: u8) -> u8 {
    let l = i64::from(level);
    let next = match g.below(100) {
        0..=61 => l,
        62..=75 => l + 1,
        76..=87 => l - 1,
        88..=92 => l - 2,
        93..=95 => l - 3,
        96..=97 => l - 4,
        _ => g.int(1, 5),
    };
    next.clamp(1, 5) as u8
}

fn rating(g: &mut Gen, level: u8) -> Rating {
    match g.below(100) {
        0..=89 => Rating::Level(Level::from_number(level).unwrap()),
        90..=95 => Rating::NotAssessed,
        _ => Rating::Declined,
    }
}

/// A trajectory question with up to `max_n` assessments.
fn trajectory_input(g: &mut Gen, i: usize, max_n: usize) -> TrajectoryInput {
    let (config, known) = model_config(g);
    let case = CaseId::new(format!("case-{:02}", g.below(100))).unwrap();
    let n = if max_n == 60 && i % 2500 == 1234 {
        1001
    } else if g.chance(0.01) {
        0
    } else if g.chance(0.15) {
        1 + g.below(max_n)
    } else {
        // Mostly shorter series, so that the corpus runs quickly in debug builds.
        1 + g.below(max_n.min(12))
    };
    let layout = match g.weighted(&[55.0, 10.0, 10.0, 10.0, 5.0, 7.0, 3.0]) {
        0 => Layout::Catalogue,
        1 => Layout::Shuffled,
        2 => Layout::Subset,
        3 => Layout::WithExtras,
        4 => Layout::Repeats,
        5 => Layout::Few,
        _ => Layout::Wide,
    };
    let defaults = default_domain_keys();
    let mut universe = defaults.clone();
    match layout {
        Layout::WithExtras => {
            universe.extend(EXTRA_KNOWN.iter().map(|k| key(k)));
            universe.extend(["extra_a", "extra_b"].iter().map(|k| key(k)));
        }
        Layout::Wide => universe.extend((0..100).map(|e| key(&format!("extra_{e}")))),
        _ => {}
    }
    let mut order: Vec<usize> = (0..defaults.len()).collect();
    g.shuffle(&mut order);
    let mut levels: Vec<u8> = universe.iter().map(|_| g.int(1, 5) as u8).collect();

    // The first day and time: any time, or near midnight in UTC, Dhaka (18:00 UTC) or Lima
    // (05:00 UTC), where the day depends on the zone.
    let minute = match g.below(4) {
        0 | 1 => g.int(0, 1439),
        2 => (g.int(-60, 60) + 1440) % 1440,
        _ => g.pick(&[18 * 60, 5 * 60]) + g.int(-45, 45),
    };
    let mut at = Utc.with_ymd_and_hms(2019, 1, 1, 0, 0, 0).unwrap()
        + Duration::days(g.int(0, 700))
        + Duration::minutes(minute);
    let id_style = g.below(3);
    let letters = ["q", "b", "zz", "ka", "m"];
    let mut assessments = Vec::with_capacity(n);
    for j in 0..n {
        if j > 0 {
            at += match g.weighted(&[55.0, 10.0, 5.0, 5.0, 10.0, 5.0, 10.0]) {
                0 => Duration::days(g.int(20, 45)) + Duration::minutes(g.int(-300, 300)),
                1 => Duration::minutes(g.int(1, 600)),
                2 => Duration::zero(),
                3 => Duration::days(g.int(1, 6)),
                4 => Duration::days(g.int(60, 200)),
                5 => Duration::days(g.int(365, 900)),
                _ => Duration::days(30),
            };
            for l in &mut levels {
                *l = step(g, *l);
            }
        }
        let mut ratings: Vec<DomainRating> = Vec::new();
        let rate = |g: &mut Gen, d: usize| DomainRating {
            domain: universe[d].clone(),
            rating: rating(g, levels[d]),
        };
        match layout {
            Layout::Catalogue => ratings.extend((0..16).map(|d| rate(g, d))),
            Layout::Shuffled => ratings.extend(order.iter().map(|&d| rate(g, d))),
            Layout::Subset => {
                let mut ds: Vec<usize> = (0..16).filter(|_| g.chance(0.7)).collect();
                g.shuffle(&mut ds);
                ratings.extend(ds.into_iter().map(|d| rate(g, d)));
            }
            Layout::WithExtras => {
                ratings.extend((0..16).map(|d| rate(g, d)));
                for d in 16..universe.len() {
                    if g.chance(0.5) {
                        let r = rate(g, d);
                        let pos = g.below(ratings.len() + 1);
                        ratings.insert(pos, r);
                    }
                }
            }
            Layout::Repeats => {
                ratings.extend((0..16).map(|d| rate(g, d)));
                for _ in 0..1 + g.below(3) {
                    let d = g.below(16);
                    let level = g.int(1, 5) as u8;
                    let r = DomainRating {
                        domain: universe[d].clone(),
                        rating: rating(g, level),
                    };
                    let pos = g.below(ratings.len() + 1);
                    ratings.insert(pos, r);
                }
            }
            Layout::Few => {
                for _ in 0..1 + g.below(3) {
                    let d = g.below(16);
                    ratings.push(rate(g, d));
                }
            }
            Layout::Wide => {
                for _ in 0..g.int(40, 100) {
                    let d = g.below(universe.len());
                    ratings.push(rate(g, d));
                }
            }
        }
        let id = match id_style {
            0 => format!("a-{j:03}"),
            1 => format!("{case}-{j}"),
            _ => format!("{}-{j}", g.pick(&letters)),
        };
        let red_flags = if g.chance(0.05) {
            (0..1 + g.below(2)).map(|_| g.pick(&RedFlag::ALL)).collect()
        } else {
            Vec::new()
        };
        assessments.push(Assessment {
            id: AssessmentId::new(id).unwrap(),
            case_id: case.clone(),
            assessed_at: at,
            assessed_by: WorkerId::new(format!("w{}", g.below(4))).unwrap(),
            ratings,
            red_flags,
            own_priorities: Vec::new(),
            not_now: Vec::new(),
            extra: Default::default(),
        });
    }
    let last = assessments.iter().map(|a| a.assessed_at).max();
    let last = last.unwrap_or(at);
    let mut now = match g.below(5) {
        0 | 1 => last + Duration::minutes(g.int(0, 600)),
        2 | 3 => last + Duration::days(g.int(1, 400)),
        _ => last,
    };
    // Mistakes the trajectory must refuse: an assessment in the future, of another case,
    // repeated ids (two or three of one id).
    if n > 0 && g.chance(0.02) {
        now = last - Duration::minutes(g.int(1, 2000));
    }
    if n > 1 && g.chance(0.02) {
        let j = g.below(n);
        assessments[j].case_id = CaseId::new("case-other").unwrap();
    }
    if n > 1 && g.chance(0.03) {
        let (p, q) = (g.below(n), g.below(n));
        if p != q {
            assessments[q].id = assessments[p].id.clone();
        }
    }
    if n > 2 && g.chance(0.005) {
        let id = assessments[0].id.clone();
        for j in [n / 2, n - 1] {
            assessments[j].id = id.clone();
        }
    }
    if g.chance(0.3) {
        g.shuffle(&mut assessments);
    }
    let zone = if g.chance(0.3) {
        None
    } else {
        Some(TimeZone::new(g.pick(&ZONES)).unwrap())
    };
    let today = zone.unwrap_or(TimeZone::UTC).local_date(now);
    let first_day = at.date_naive() - Duration::days(30 * n as i64 + 60);
    let events = if g.chance(0.4) {
        events(g, &case, first_day, today)
    } else {
        Vec::new()
    };
    let risk = g
        .chance(0.4)
        .then(|| risk_inputs(g, &case, today, first_day));
    TrajectoryInput {
        config,
        known,
        assessments,
        events,
        risk,
        now,
        zone,
    }
}

fn event_kind(g: &mut Gen) -> EventKind {
    let phase = g.pick(&Phase::ALL);
    match g.below(12) {
        0 => EventKind::Returned {
            route: g.pick(&[
                ReturnRoute::Formal,
                ReturnRoute::OwnWay,
                ReturnRoute::Unknown,
            ]),
        },
        1 => EventKind::Assessed {
            assessment_id: AssessmentId::new("a-000").unwrap(),
        },
        2 => EventKind::Referred { phase },
        3 => EventKind::ServiceReceived { phase },
        4 => EventKind::CaseFiled,
        5 => EventKind::CaseClosed {
            result: g.pick(&[
                CaseResult::Conviction,
                CaseResult::Compensation,
                CaseResult::Settlement,
                CaseResult::Dismissed,
                CaseResult::WithdrawnByPerson,
            ]),
        },
        6 => EventKind::JoinedSurvivorGroup,
        7 => EventKind::TookLeadershipRole,
        8 => EventKind::PhaseAchieved { phase },
        9 => EventKind::SetbackOccurred {
            phase,
            cause: g.pick(&SetbackCause::ALL),
        },
        10 => EventKind::DeclinedByPerson { phase },
        _ => EventKind::Resumed { phase },
    }
}

/// A timeline of phase changes that replays (each event a change [`next_status`] allows),
/// dated from `first_day` up to `today` (sometimes on it), and now and then one mistake: an
/// impossible change, a date out of order or in the future, another case, a repeated id.
fn events(
    g: &mut Gen,
    case: &CaseId,
    first_day: NaiveDate,
    today: NaiveDate,
) -> Vec<TimelineEvent> {
    let n = 1 + g.below(15);
    let mut status = [PhaseStatus::NotStarted; 6];
    let impossible = g.chance(0.04).then(|| g.below(n));
    let mut day = first_day;
    let mut out = Vec::with_capacity(n);
    for e in 0..n {
        day += Duration::days(match g.below(10) {
            0 | 1 => 0,
            2..=6 => g.int(1, 30),
            _ => g.int(31, 200),
        });
        if day > today {
            day = today;
        }
        // Draw until the event is possible (or, once, impossible), at most eight times.
        let mut kind = event_kind(g);
        for _ in 0..8 {
            let possible = match kind.effect() {
                None => true,
                Some((p, effect)) => next_status(status[p.index()], effect).is_some(),
            };
            if possible != (impossible == Some(e)) {
                break;
            }
            kind = event_kind(g);
        }
        if let Some((p, effect)) = kind.effect() {
            if let Some(next) = next_status(status[p.index()], effect) {
                status[p.index()] = next;
            }
        }
        out.push(TimelineEvent {
            id: EventId::new(format!("e{e}")).unwrap(),
            case_id: case.clone(),
            on: day,
            event: kind,
            note: g.chance(0.1).then(|| "met at home".to_owned()),
            extra: Default::default(),
        });
    }
    if g.chance(0.05) {
        if let Some(last) = out.last_mut() {
            last.on = today;
        }
    }
    match g.below(100) {
        0 | 1 if n > 1 => {
            let (p, q) = (g.below(n), g.below(n));
            let d = out[p].on;
            out[p].on = out[q].on;
            out[q].on = d;
        }
        2 | 3 => {
            if let Some(last) = out.last_mut() {
                last.on = today + Duration::days(1);
            }
        }
        4 | 5 => {
            let j = g.below(n);
            out[j].case_id = CaseId::new("case-other").unwrap();
        }
        6 | 7 if n > 1 => {
            let id = out[0].id.clone();
            out[n - 1].id = id;
        }
        _ => {}
    }
    out
}

fn risk_inputs(g: &mut Gen, case: &CaseId, today: NaiveDate, first_day: NaiveDate) -> RiskInputs {
    let span = (today - first_day).num_days().max(0);
    let recorded_on = if g.chance(0.01) {
        today + Duration::days(g.int(1, 3))
    } else {
        today - Duration::days(g.int(0, span.min(300)))
    };
    let debts = match g.below(10) {
        0..=2 => None,
        3 | 4 => Some(Vec::new()),
        _ => Some(
            (0..1 + g.below(3))
                .map(|_| Debt {
                    creditor: g.pick(&[
                        Creditor::Family,
                        Creditor::Broker,
                        Creditor::Moneylender,
                        Creditor::Microfinance,
                        Creditor::Employer,
                        Creditor::Other,
                    ]),
                    amount: g.chance(0.5).then(|| g.int(1000, 90000) as u64),
                    currency: None,
                })
                .collect(),
        ),
    };
    RiskInputs {
        case_id: if g.chance(0.02) {
            CaseId::new("case-other").unwrap()
        } else {
            case.clone()
        },
        recorded_on,
        debts,
        income: g.pick(&[
            Income::Unknown,
            Income::None,
            Income::Irregular,
            Income::Regular,
        ]),
        family_pressure: g.pick(&[
            FamilyPressure::Unknown,
            FamilyPressure::None,
            FamilyPressure::Some,
            FamilyPressure::Strong,
        ]),
        stigma_or_isolation: g.pick(&[
            SocialSituation::Unknown,
            SocialSituation::Neither,
            SocialSituation::Stigma,
            SocialSituation::Isolation,
            SocialSituation::Both,
        ]),
        migration_intention: g.pick(&[
            MigrationIntention::Unknown,
            MigrationIntention::None,
            MigrationIntention::Considering,
            MigrationIntention::Planning,
        ]),
        broker_contact: g.pick(&[
            BrokerContact::Unknown,
            BrokerContact::None,
            BrokerContact::Past,
            BrokerContact::Recent,
            BrokerContact::OfferReceived,
        ]),
    }
}

/// A cohort case: levels correlated with a wellbeing figure, statuses and risk any.
fn cohort_case(g: &mut Gen) -> CohortCase {
    let wellbeing = g.int(1, 5);
    let mut c = CohortCase {
        statistics_consent: g.chance(0.9),
        risk: (!g.chance(0.1)).then(|| g.pick(&RiskLevel::ALL)),
        ..CohortCase::default()
    };
    for slot in &mut c.outcomes {
        *slot = (!g.chance(0.05))
            .then(|| Level::from_number((wellbeing + g.int(-1, 1)).clamp(1, 5) as u8).unwrap());
    }
    for slot in &mut c.phases {
        *slot = g.pick(&PhaseStatus::ALL);
    }
    c
}

/// A cohort question: a threshold `k` (usually valid, around 11) and outcome names, over
/// generated cases (any size from none to 20,000), a few kinds of case each repeated around
/// `k` times (so cells fall just below, at and above the threshold, and complementary
/// suppression has work to do), or the cases of small trajectories.
fn cohort_input(g: &mut Gen, i: usize) -> CohortInput {
    let any_k = g.int(2, 60) as u32;
    let k: u32 = match g.below(100) {
        0 => 0,
        1 => 1,
        2 => 1_000_001,
        _ => g.pick(&[2, 3, 5, 10, 11, 11, 11, 12, 20, 25, 50, 100, any_k]),
    };
    let outcomes: Vec<OutcomeKey> = match g.below(20) {
        0..=11 => CohortConfig::default().outcomes,
        12 | 13 => Vec::new(),
        // Refused: a repeated outcome, five outcomes.
        14 => vec![OutcomeKey::new("economic").unwrap(); 2],
        15 => (0..5)
            .map(|o| OutcomeKey::new(OUTCOME_NAMES[o]).unwrap())
            .collect(),
        _ => {
            let mut names = OUTCOME_NAMES.to_vec();
            g.shuffle(&mut names);
            names
                .into_iter()
                .take(1 + g.below(4))
                .map(|n| OutcomeKey::new(n).unwrap())
                .collect()
        }
    };
    let config = CohortConfig { k, outcomes };
    let threshold = i64::from(k.clamp(2, 200));
    let source = match g.below(10) {
        0..=3 => {
            let n = match g.below(16) {
                0 => 0,
                1 => 1,
                2 => (threshold - 1) as usize,
                3 => threshold as usize,
                4 => (threshold + 1) as usize,
                5 => 20_000,
                6 => 5_000,
                7 => 1_000,
                _ => g.below(3_000),
            };
            CohortSource::Cases {
                cases: (0..n).map(|_| cohort_case(g)).collect(),
            }
        }
        4..=7 => {
            let kinds: Vec<CohortCase> = (0..1 + g.below(6)).map(|_| cohort_case(g)).collect();
            let mut cases = Vec::new();
            for kind in kinds {
                let copies = match g.below(8) {
                    0 => 0,
                    1 => 1,
                    2 => threshold - 1,
                    3 => threshold,
                    4 => threshold + 1,
                    5 => 2 * threshold,
                    _ => g.int(1, 3 * threshold),
                };
                let consenting = CohortCase {
                    statistics_consent: true,
                    ..kind
                };
                cases.extend((0..copies).map(|_| consenting));
            }
            if g.chance(0.5) {
                g.shuffle(&mut cases);
            }
            CohortSource::Cases { cases }
        }
        _ => {
            let m = g.int(5, 30) as usize;
            let trajectories: Vec<TrajectoryInput> =
                (0..m).map(|_| trajectory_input(g, i, 6)).collect();
            let consents = (0..m).map(|_| g.chance(0.9)).collect();
            CohortSource::Trajectories {
                trajectories,
                consents,
            }
        }
    };
    CohortInput { config, source }
}

// ---------------------------------------------------------------------------------------------
// The answers, through the public API.

fn error_json(e: &ReintegrationError) -> Value {
    json!({ "message": e.to_string(), "detail": e })
}

/// The trajectory, or the error refusing it (of the model or of the inputs).
fn trajectory_result(t: &TrajectoryInput) -> Result<beside_reintegration::Trajectory, Value> {
    let model = ReintegrationModel::new(t.config.clone(), &t.known)
        .map_err(|e| json!({ "model_error": error_json(&e) }))?;
    let result = match t.zone {
        Some(zone) => model.trajectory_in(&t.assessments, &t.events, t.risk.as_ref(), t.now, zone),
        None => model.trajectory(&t.assessments, &t.events, t.risk.as_ref(), t.now),
    };
    result.map_err(|e| json!({ "error": error_json(&e) }))
}

/// The answer to `input` as canonical JSON: objects with their keys in sorted order (a
/// `serde_json::Value` keeps them sorted; the output records, which hold no maps, are written
/// straight from their fields, in their declared order, which is fixed).
fn answer(input: &Input) -> String {
    answer_of(input).text()
}

/// An answer: a trajectory, or any other JSON.
enum Answer {
    Trajectory(Box<beside_reintegration::Trajectory>),
    Other(Value),
}

impl Answer {
    /// The canonical JSON text. A trajectory is written directly rather than through a
    /// `Value` (the corpus runs in debug builds), with the keys of the wrapper in order.
    fn text(&self) -> String {
        match self {
            Answer::Trajectory(t) => format!(
                "{{\"cohort_case\":{},\"trajectory\":{}}}",
                serde_json::to_string(&CohortCase::from_trajectory(t, true)).unwrap(),
                serde_json::to_string(t).unwrap()
            ),
            Answer::Other(v) => canonical(v),
        }
    }

    /// The answer as a `Value`, for the sample: made from the records, not by reading the
    /// text back, which rounds some numbers unless serde_json's `float_roundtrip` is on (as it
    /// is in workspace builds).
    fn value(&self) -> Value {
        match self {
            Answer::Trajectory(t) => json!({
                "cohort_case": CohortCase::from_trajectory(t, true),
                "trajectory": t,
            }),
            Answer::Other(v) => v.clone(),
        }
    }
}

fn answer_of(input: &Input) -> Answer {
    match input {
        Input::Trajectory(t) => match trajectory_result(t) {
            Ok(t) => Answer::Trajectory(Box::new(t)),
            Err(e) => Answer::Other(e),
        },
        Input::Cohort(c) => {
            let (cases, refused) = match &c.source {
                CohortSource::Cases { cases } => (cases.clone(), 0usize),
                CohortSource::Trajectories {
                    trajectories,
                    consents,
                } => {
                    let mut cases = Vec::new();
                    let mut refused = 0;
                    for (t, &consent) in trajectories.iter().zip(consents) {
                        match trajectory_result(t) {
                            Ok(t) => cases.push(CohortCase::from_trajectory(&t, consent)),
                            Err(_) => refused += 1,
                        }
                    }
                    (cases, refused)
                }
            };
            let summary = match CohortSummary::from_cases(&cases, &c.config) {
                Ok(s) => json!({ "summary": s }),
                Err(e) => json!({ "error": error_json(&e) }),
            };
            let from_trajectories = match &c.source {
                CohortSource::Cases { .. } => Value::Null,
                CohortSource::Trajectories { .. } => json!({ "cases": cases, "refused": refused }),
            };
            Answer::Other(json!({
                "counts": CohortCounts::from_cases(&cases),
                "result": summary,
                "from_trajectories": from_trajectories,
            }))
        }
    }
}

/// Canonical JSON: `serde_json::Value` keeps object keys sorted (no `preserve_order`).
fn canonical(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// Whether input `i` is small enough for the readable sample.
fn small(input: &Input) -> bool {
    match input {
        Input::Trajectory(t) => t.assessments.len() <= 2,
        Input::Cohort(c) => match &c.source {
            CohortSource::Cases { cases } => cases.len() <= 12,
            CohortSource::Trajectories { .. } => false,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Recording and comparing.

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn dump_path() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden/trajectory.recorded.jsonl")
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash line of chunk `c` of `count` answers.
fn chunk_line(c: usize, count: usize, digest: &[u8]) -> String {
    format!("{c} {count} {}", hex(digest))
}

/// Text cut to `max` characters, saying so.
fn cut(s: &str, max: usize) -> String {
    if s.len() <= max {
        s.to_owned()
    } else {
        let end = (0..=max)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        format!("{}… ({} characters in all)", &s[..end], s.len())
    }
}

/// Explain the first differing chunk: the first differing answer, its input and both answers
/// when the recorded answers are at hand (see the module doc), else where to find them.
fn explain(chunk: usize, recorded_line: &str) -> String {
    let start = chunk * CHUNK;
    let end = (start + CHUNK).min(TRAJECTORIES + COHORTS);
    let current: Vec<String> = (start..end).map(|i| answer(&input(i))).collect();
    let mut out = format!(
        "golden answers differ: first differing chunk {chunk} (answers {start}..{end}); recorded `{recorded_line}`\n"
    );
    let recorded: Option<Vec<String>> = std::fs::File::open(dump_path()).ok().and_then(|f| {
        let lines: Vec<String> = std::io::BufReader::new(f)
            .lines()
            .skip(start)
            .take(end - start)
            .collect::<Result<_, _>>()
            .ok()?;
        let mut h = Sha256::new();
        for l in &lines {
            h.update(l.as_bytes());
            h.update(b"\n");
        }
        (chunk_line(chunk, lines.len(), &h.finalize()) == recorded_line).then_some(lines)
    });
    let Some(recorded) = recorded else {
        out.push_str(&format!(
            "the recorded answers are not at hand: check out the commit that recorded \
             tests/golden/trajectory.sha256 and run it with BESIDE_GOLDEN_DUMP=1 to write {}, \
             then run this test again\n",
            dump_path().display()
        ));
        return out;
    };
    if let Some((j, (old, new))) = recorded
        .iter()
        .zip(&current)
        .enumerate()
        .find(|(_, (old, new))| old != new)
    {
        let i = start + j;
        let full =
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("golden/trajectory.{i}.json"));
        let both = json!({
            "index": i,
            "input": input_json(i),
            "recorded": serde_json::from_str::<Value>(old).unwrap_or(Value::Null),
            "current": serde_json::from_str::<Value>(new).unwrap_or(Value::Null),
        });
        let _ = std::fs::write(&full, serde_json::to_string_pretty(&both).unwrap());
        out.push_str(&format!(
            "first differing answer: {i} (in full: {})\ninput: {}\nrecorded: {}\ncurrent:  {}\n",
            full.display(),
            cut(&canonical(&input_json(i)), 20_000),
            cut(old, 20_000),
            cut(new, 20_000),
        ));
    }
    out
}

fn input_json(i: usize) -> Value {
    serde_json::to_value(input(i)).unwrap()
}

#[test]
fn golden_trajectories_and_cohorts() {
    let write = std::env::var("BESIDE_GOLDEN_WRITE").is_ok_and(|v| v == "1");
    let dump = write || std::env::var("BESIDE_GOLDEN_DUMP").is_ok_and(|v| v == "1");
    let mut dump_file = dump.then(|| {
        std::fs::create_dir_all(dump_path().parent().unwrap()).unwrap();
        std::io::BufWriter::new(std::fs::File::create(dump_path()).unwrap())
    });
    let total = TRAJECTORIES + COHORTS;
    let mut lines = Vec::new();
    let mut sample = Vec::new();
    let (mut sampled_trajectories, mut sampled_cohorts) = (0, 0);
    let mut hasher = Sha256::new();
    let mut in_chunk = 0;
    for i in 0..total {
        let input = input(i);
        let answer = answer_of(&input);
        let text = answer.text();
        hasher.update(text.as_bytes());
        hasher.update(b"\n");
        if let Some(f) = dump_file.as_mut() {
            writeln!(f, "{text}").unwrap();
        }
        let wanted = match input {
            Input::Trajectory(_) => &mut sampled_trajectories,
            Input::Cohort(_) => &mut sampled_cohorts,
        };
        let limit = match input {
            Input::Trajectory(_) => SAMPLE_TRAJECTORIES,
            Input::Cohort(_) => SAMPLE_COHORTS,
        };
        if *wanted < limit && small(&input) {
            *wanted += 1;
            sample.push(json!({ "index": i, "input": input, "answer": answer.value() }));
        }
        in_chunk += 1;
        if in_chunk == CHUNK || i + 1 == total {
            lines.push(chunk_line(lines.len(), in_chunk, &hasher.finalize_reset()));
            in_chunk = 0;
        }
    }
    if let Some(mut f) = dump_file {
        f.flush().unwrap();
    }
    let hashes = lines.join("\n") + "\n";
    let sample = serde_json::to_string_pretty(&Value::Array(sample)).unwrap() + "\n";
    let (hash_path, sample_path) = (
        golden_dir().join("trajectory.sha256"),
        golden_dir().join("trajectory.sample.json"),
    );
    if write {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&hash_path, &hashes).unwrap();
        std::fs::write(&sample_path, &sample).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&hash_path).unwrap_or_default();
    let recorded_lines: Vec<&str> = recorded.lines().collect();
    if let Some(c) = (0..lines.len().max(recorded_lines.len()))
        .find(|&c| lines.get(c).map(String::as_str) != recorded_lines.get(c).copied())
    {
        let recorded_line = recorded_lines.get(c).copied().unwrap_or("(none)");
        if c < lines.len() {
            panic!("{}", explain(c, recorded_line));
        }
        panic!(
            "golden answers: {} chunks recorded, {} computed",
            recorded_lines.len(),
            lines.len()
        );
    }
    let recorded_sample = std::fs::read_to_string(&sample_path).unwrap_or_default();
    if recorded_sample != sample {
        let new = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden/trajectory.sample.json");
        std::fs::create_dir_all(new.parent().unwrap()).unwrap();
        std::fs::write(&new, &sample).unwrap();
        panic!(
            "the hashes match but the sample differs from {}: the new one is {}",
            sample_path.display(),
            new.display()
        );
    }
}
