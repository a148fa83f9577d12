//! Property tests for the invariants of the issue.

use crate::cohort::{
    suppress, suppress_two_way, CohortCase, CohortConfig, CohortCounts, CohortSummary, Count,
};
use crate::followup::{next_follow_up, FollowUpConfig};
use crate::model::ReintegrationModel;
use crate::outcome::{outcomes_of, OutcomeProfile};
use crate::phase::PhaseStatus;
use crate::risk::RiskLevel;
use crate::trajectory::Setback;
use beside_core::{default_domain_keys, AssessmentId, CaseId, Level, Rating, Timestamp, WorkerId};
use beside_needs::{Assessment, DomainRating, RedFlag};
use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

/// 0 = absent, 1..=5 = a level, 6 = not assessed, 7 = declined.
fn ratings_strategy() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(0u8..8, 16)
}

fn assessment(id: usize, day: i64, codes: &[u8], flags: &[RedFlag]) -> Assessment {
    let keys = default_domain_keys();
    let ratings = keys
        .iter()
        .zip(codes)
        .filter(|(_, &c)| c != 0)
        .map(|(k, &c)| DomainRating {
            domain: k.clone(),
            rating: match c {
                1..=5 => Rating::Level(Level::from_number(c).unwrap()),
                6 => Rating::NotAssessed,
                _ => Rating::Declined,
            },
        })
        .collect();
    Assessment {
        extra: std::collections::BTreeMap::new(),
        id: AssessmentId::new(format!("a-{id}")).unwrap(),
        case_id: CaseId::new("case-01").unwrap(),
        assessed_at: Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap() + Duration::days(day),
        assessed_by: WorkerId::new("w").unwrap(),
        ratings,
        red_flags: flags.to_vec(),
        own_priorities: vec![],
        not_now: vec![],
    }
}

fn profile_strategy() -> impl Strategy<Value = OutcomeProfile> {
    (
        prop::bool::ANY,
        proptest::collection::vec(0.0f64..10.0, 4),
        proptest::collection::vec(0.0f64..5.0, 20),
    )
        .prop_map(|(iom, index_w, domain_w)| {
            let mut p = if iom {
                OutcomeProfile::iom_dimensions()
            } else {
                OutcomeProfile::kasper_chiang()
            };
            let mut it = domain_w.into_iter().cycle();
            for (o, w) in p.outcomes.iter_mut().zip(index_w) {
                o.weight = w + 0.01;
                for d in &mut o.domains {
                    d.weight = it.next().unwrap_or(1.0);
                }
                if let Some(d) = o.domains.first_mut() {
                    d.weight += 0.01;
                }
            }
            p
        })
}

fn cohort_case_strategy() -> impl Strategy<Value = CohortCase> {
    (
        proptest::collection::vec(0u8..6, 4),
        proptest::collection::vec(0usize..5, 6),
        0usize..4,
        prop::bool::weighted(0.9),
    )
        .prop_map(|(o, p, r, consent)| {
            let mut c = CohortCase {
                statistics_consent: consent,
                risk: RiskLevel::ALL.get(r).copied(),
                ..CohortCase::default()
            };
            for (slot, n) in c.outcomes.iter_mut().zip(o) {
                *slot = Level::from_number(n).ok();
            }
            for (slot, i) in c.phases.iter_mut().zip(p) {
                *slot = PhaseStatus::ALL[i];
            }
            c
        })
}

fn check_table(counts: &[u64], published: &[Count], k: u32) -> Result<(), TestCaseError> {
    let k = u64::from(k);
    let total: u64 = counts.iter().sum();
    let mut shown = 0u64;
    for (c, p) in counts.iter().zip(published) {
        if let Some(v) = p.value() {
            prop_assert_eq!(v, *c, "a published figure is the true count");
            prop_assert!(v == 0 || v >= k, "published cell {} below k {}", v, k);
            shown += v;
        }
    }
    if total >= k {
        let hidden = total - shown;
        prop_assert!(
            hidden == 0 || hidden >= k,
            "total minus published = {} below k {}",
            hidden,
            k
        );
    } else {
        prop_assert!(published.iter().all(|p| p.value().is_none()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn index_and_scores_stay_within_bounds(codes in ratings_strategy(), profile in profile_strategy()) {
        let a = assessment(0, 0, &codes, &[]);
        let (scores, index) = outcomes_of(&profile, &a);
        for s in scores.iter().filter_map(|s| s.score) {
            prop_assert!((1.0..=5.0).contains(&s), "score {}", s);
        }
        if let Some(i) = index {
            prop_assert!((1.0..=5.0).contains(&i), "index {}", i);
        }
    }

    #[test]
    fn raising_a_domain_never_lowers_an_outcome(
        codes in ratings_strategy(), profile in profile_strategy(), which in 0usize..16, up in 1u8..5,
    ) {
        let before = assessment(0, 0, &codes, &[]);
        let mut raised = codes.clone();
        if let Some(c) = raised.get_mut(which) {
            if (1..=5).contains(c) {
                *c = (*c + up).min(5);
            }
        }
        let after = assessment(0, 0, &raised, &[]);
        let (s0, i0) = outcomes_of(&profile, &before);
        let (s1, i1) = outcomes_of(&profile, &after);
        for (a, b) in s0.iter().zip(&s1) {
            match (a.score, b.score) {
                (Some(x), Some(y)) => prop_assert!(y >= x - 1e-9, "{} fell from {} to {}", a.outcome, x, y),
                (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
            }
        }
        if let (Some(x), Some(y)) = (i0, i1) {
            prop_assert!(y >= x - 1e-9, "index fell from {} to {}", x, y);
        }
    }

    #[test]
    fn follow_up_never_later_than_the_default_for_the_worst_level(
        codes in ratings_strategy(),
        flags in proptest::collection::vec(0usize..4, 0..3),
        risk in 0usize..4,
    ) {
        let flags: Vec<RedFlag> = flags.into_iter().map(|i| RedFlag::ALL[i]).collect();
        let a = assessment(0, 0, &codes, &flags);
        let config = FollowUpConfig::default();
        let f = next_follow_up(&a, RiskLevel::ALL.get(risk).copied(), &config);
        let worst = crate::followup::worst_level(&a).map(|(_, l)| l);
        let limit = worst.map_or(config.nothing_rated_days, |l| config.days_for(l));
        prop_assert!(f.days <= limit);
        prop_assert!(f.due_on <= a.assessed_at.date_naive() + Duration::days(i64::from(limit)));
        prop_assert!(f.due_on >= f.from);
    }

    #[test]
    fn suppression_never_reveals_a_small_cell(
        counts in proptest::collection::vec(prop_oneof![Just(0u64), 1u64..15, 1u64..200], 1..8),
        k in 2u32..25,
    ) {
        check_table(&counts, &suppress(&counts, k), k)?;
    }

    #[test]
    fn two_way_suppression_never_reveals_a_figure_or_a_small_sum(
        rows in 1usize..6,
        columns in 1usize..6,
        values in proptest::collection::vec(prop_oneof![Just(0u64), 1u64..12, 1u64..60], 36),
        k in 2u32..12,
    ) {
        let counts: Vec<Vec<u64>> = (0..rows)
            .map(|i| (0..columns).map(|j| values[i * 6 + j]).collect())
            .collect();
        let t = suppress_two_way(&counts, k).unwrap();
        prop_assert_eq!(&suppress_two_way(&counts, k).unwrap(), &t);
        // The extended table: cells and row totals, then the totals row.
        let mut figure: Vec<Vec<u64>> = counts.iter()
            .map(|r| { let mut r = r.clone(); r.push(r.iter().sum()); r })
            .collect();
        figure.push((0..=columns).map(|j| figure.iter().map(|r| r[j]).sum()).collect());
        let mut shown: Vec<Vec<Count>> = t.cells.iter().zip(&t.row_totals)
            .map(|(r, total)| { let mut r = r.clone(); r.push(*total); r })
            .collect();
        let mut last = t.column_totals.clone();
        last.push(t.total);
        shown.push(last);
        let grand = figure[rows][columns];
        let kk = u64::from(k);
        for (i, r) in shown.iter().enumerate() {
            for (j, c) in r.iter().enumerate() {
                let v = figure[i][j];
                match c.value() {
                    // What is published is the true figure, and never a small one.
                    Some(p) => prop_assert!(p == v && (p == 0 || p >= kk)),
                    // Outside a too-small table, a suppressed figure holds someone: so every
                    // suppressed figure can move by one along a cycle of suppressed figures
                    // (each line holds none or at least two), and none is given away exactly.
                    None => prop_assert!(
                        grand < kk || v > 0 || matches!(c, Count::Complementary { .. }),
                        "a suppressed zero at {i},{j}"
                    ),
                }
            }
        }
        if grand < kk {
            let too_small = |c: &Count| matches!(c, Count::CohortTooSmall { .. });
            prop_assert!(shown.iter().flatten().all(too_small));
            return Ok(());
        }
        let lines: Vec<Vec<(usize, usize)>> = (0..=rows)
            .map(|i| (0..=columns).map(|j| (i, j)).collect())
            .chain((0..=columns).map(|j| (0..=rows).map(|i| (i, j)).collect()))
            .collect();
        // No suppressed figure is a bridge: each is on a cycle of suppressed figures.
        let hidden: Vec<(usize, usize)> = (0..=rows)
            .flat_map(|i| (0..=columns).map(move |j| (i, j)))
            .filter(|&(i, j)| shown[i][j].value().is_none())
            .collect();
        for e in &hidden {
            // Nodes: rows 0..=rows, columns rows+1.. ; walk from e's row to e's column without e.
            let mut seen = vec![false; rows + columns + 2];
            let mut stack = vec![e.0];
            while let Some(n) = stack.pop() {
                if std::mem::replace(&mut seen[n], true) { continue; }
                for f in hidden.iter().filter(|f| *f != e) {
                    let (a, b) = (f.0, rows + 1 + f.1);
                    if a == n { stack.push(b) } else if b == n { stack.push(a) }
                }
            }
            prop_assert!(seen[rows + 1 + e.1], "{:?} is on no cycle: its lines give it away", e);
        }
        for line in &lines {
            let hidden: Vec<&(usize, usize)> =
                line.iter().filter(|(i, j)| shown[*i][*j].value().is_none()).collect();
            prop_assert!(hidden.len() != 1, "line {:?} gives {:?} away", line, hidden);
            let (total, cells) = line.split_last().unwrap();
            if shown[total.0][total.1].value().is_some() {
                let sum: u64 = cells.iter()
                    .filter(|(i, j)| shown[*i][*j].value().is_none())
                    .map(|(i, j)| figure[*i][*j]).sum();
                prop_assert!(sum == 0 || sum >= kk, "line {:?} gives a sum of {} away", line, sum);
            }
        }
    }

    #[test]
    fn cohort_summary_never_reveals_a_small_cell_and_ignores_order(
        cases in proptest::collection::vec(cohort_case_strategy(), 0..120),
        k in 2u32..20,
        seed in any::<u64>(),
    ) {
        let config = CohortConfig { k, ..CohortConfig::default() };
        let summary = CohortSummary::from_cases(&cases, &config).unwrap();
        let counts = CohortCounts::from_cases(&cases);
        let tables = summary.outcomes.iter().zip(counts.outcomes.iter().map(|r| r.to_vec()))
            .chain(summary.phases.iter().zip(counts.phases.iter().map(|r| r.to_vec())))
            .chain(std::iter::once((&summary.risk, counts.risk.to_vec())));
        for (t, c) in tables {
            let published: Vec<Count> = t.cells.iter().map(|c| c.count).collect();
            check_table(&c, &published, k)?;
        }
        let mut shuffled = cases.clone();
        shuffle(&mut shuffled, seed);
        prop_assert_eq!(CohortSummary::from_cases(&shuffled, &config).unwrap(), summary);
    }

    #[test]
    fn trajectory_ignores_input_order(
        series in proptest::collection::vec((ratings_strategy(), 0i64..400), 1..8),
        seed in any::<u64>(),
    ) {
        let assessments: Vec<Assessment> = series
            .iter()
            .enumerate()
            .map(|(i, (codes, day))| assessment(i, *day, codes, &[]))
            .collect();
        let model = ReintegrationModel::default();
        let t = model.trajectory(&assessments, &[], None, now()).unwrap();
        let mut shuffled = assessments.clone();
        shuffle(&mut shuffled, seed);
        prop_assert_eq!(model.trajectory(&shuffled, &[], None, now()).unwrap(), t);
    }

    #[test]
    fn setbacks_point_at_real_drops(
        series in proptest::collection::vec((ratings_strategy(), 0i64..400), 1..8),
        iom in prop::bool::ANY,
    ) {
        let assessments: Vec<Assessment> = series
            .iter()
            .enumerate()
            .map(|(i, (codes, day))| assessment(i, *day, codes, &[]))
            .collect();
        let model = if iom {
            ReintegrationModel::with_profile(OutcomeProfile::iom_dimensions()).unwrap()
        } else {
            ReintegrationModel::default()
        };
        let trend = &model.config().trend;
        let t = model.trajectory(&assessments, &[], None, now()).unwrap();
        prop_assert_eq!(t.scores.len(), t.points.len() * t.trends.len());
        let by_id = |i: usize| {
            let id = &t.points[i].assessment_id;
            assessments.iter().find(|a| &a.id == id).unwrap()
        };
        let mut last = 0;
        for s in &t.setbacks {
            let (point, previous) = (s.point(), s.previous());
            prop_assert!(previous < point && point < t.points.len(), "{:?}", s);
            prop_assert!(point >= last, "setbacks in point order");
            last = point;
            prop_assert_eq!(s.on(), t.points[point].assessed_at.date_naive());
            match s {
                Setback::Domain { domain, from, to, .. } => {
                    prop_assert_eq!(previous + 1, point);
                    prop_assert_eq!(by_id(previous).level(domain.as_str()), Some(*from));
                    prop_assert_eq!(by_id(point).level(domain.as_str()), Some(*to));
                    prop_assert!(from.number() >= to.number() + trend.domain_drop);
                }
                Setback::Outcome { outcome, from, to, .. } => {
                    let o = t.trends.iter().position(|tr| &tr.outcome == outcome).unwrap();
                    prop_assert_eq!(t.scores_at(previous)[o].score, Some(*from));
                    prop_assert_eq!(t.scores_at(point)[o].score, Some(*to));
                    prop_assert!(from - to >= trend.outcome_drop - 1e-9);
                    for between in previous + 1..point {
                        prop_assert_eq!(t.scores_at(between)[o].score, None);
                    }
                }
            }
        }
        // The table agrees with scoring each assessment on its own.
        for (i, p) in t.points.iter().enumerate() {
            let (scores, index) = outcomes_of(&model.config().profile, by_id(i));
            let row: Vec<Option<f64>> = t.scores_at(i).iter().map(|s| s.score).collect();
            let alone: Vec<Option<f64>> = scores.iter().map(|s| s.score).collect();
            prop_assert_eq!(row, alone);
            prop_assert_eq!(p.index, index);
        }
    }
}

/// A small deterministic Fisher–Yates shuffle.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = usize::try_from((seed >> 33) % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}
