//! Property tests of prioritisation and of graph validation.
#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use beside_core::{AssessmentId, CaseId, DomainKey, Level, Rating, WorkerId, DEFAULT_DOMAINS};
use beside_needs::{
    AheadCause, Assessment, Catalogue, Dependency, DependencyGraph, DomainRating, NeedsConfig,
    NeedsModel, Prioritiser, PriorityReason, RedFlag,
};
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use proptest::sample::subsequence;
use std::collections::{BTreeSet, HashMap};

fn key(i: usize) -> DomainKey {
    DEFAULT_DOMAINS[i].0.clone()
}

fn rating_strategy() -> impl Strategy<Value = Rating> {
    prop_oneof![
        8 => (1u8..=5).prop_map(|n| Rating::Level(Level::from_number(n).unwrap())),
        1 => Just(Rating::Declined),
        1 => Just(Rating::NotAssessed),
    ]
}

/// A valid assessment over the default catalogue.
fn assessment_strategy() -> impl Strategy<Value = Assessment> {
    (
        subsequence((0..16usize).collect::<Vec<_>>(), 0..=16),
        proptest::collection::vec(rating_strategy(), 16),
        subsequence(RedFlag::ALL.to_vec(), 0..=4),
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(|(domains, ratings, flags, seed_rank, seed_not_now)| {
            let ratings: Vec<DomainRating> = domains
                .iter()
                .map(|&i| DomainRating {
                    domain: key(i),
                    rating: ratings[i],
                })
                .collect();
            let rated = rated_keys(&ratings);
            let pick = |seed: u64| pick_some(&rated, seed);
            Assessment {
                extra: std::collections::BTreeMap::new(),
                id: AssessmentId::new("a-1").unwrap(),
                case_id: CaseId::new("c-1").unwrap(),
                assessed_at: Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap(),
                assessed_by: WorkerId::new("w-1").unwrap(),
                ratings,
                red_flags: flags,
                own_priorities: pick(seed_rank),
                not_now: pick(seed_not_now),
            }
        })
}

/// A random acyclic graph over the default domains: edges only from later to earlier in a
/// random permutation.
fn dag_strategy() -> impl Strategy<Value = DependencyGraph> {
    (
        Just((0..16usize).collect::<Vec<_>>()).prop_shuffle(),
        proptest::collection::vec((0..16usize, 0..16usize), 0..40),
        subsequence((0..16usize).collect::<Vec<_>>(), 0..=6),
    )
        .prop_map(|(perm, pairs, foundational)| {
            let mut seen = BTreeSet::new();
            let mut edges = Vec::new();
            for (a, b) in pairs {
                let (pa, pb) = (perm[a], perm[b]);
                if a > b && seen.insert((pa, pb)) {
                    edges.push(Dependency {
                        domain: key(pa),
                        requires: key(pb),
                    });
                }
            }
            DependencyGraph {
                foundational: foundational.into_iter().map(key).collect(),
                edges,
            }
        })
}

fn shuffled(a: &Assessment, seed: u64) -> Assessment {
    let mut b = a.clone();
    let rot = |n: usize| if n == 0 { 0 } else { (seed as usize) % n };
    let n = b.ratings.len();
    b.ratings.rotate_left(rot(n));
    if seed & 1 == 1 {
        b.ratings.reverse();
        b.red_flags.reverse();
        b.not_now.reverse();
    }
    let n = b.not_now.len();
    b.not_now.rotate_left(rot(n));
    b
}

fn check_invariants(p: &Prioritiser, a: &Assessment) {
    let list = p.prioritise(a).unwrap();
    let cfg = &p.model().config;
    let flagged: BTreeSet<&str> = a
        .red_flags
        .iter()
        .map(|f| cfg.red_flag_rule(*f).unwrap().domain.as_str())
        .collect();

    // Every assessed domain appears exactly once (in the list or among the unrated).
    let mut count: HashMap<&str, usize> = HashMap::new();
    for d in list.items.iter().map(|i| i.domain.as_str()) {
        *count.entry(d).or_default() += 1;
    }
    for d in list.not_rated.iter().map(|i| i.domain.as_str()) {
        *count.entry(d).or_default() += 1;
    }
    for r in &a.ratings {
        assert_eq!(count.get(r.domain.as_str()), Some(&1), "{}", r.domain);
    }
    for (d, c) in &count {
        assert_eq!(*c, 1);
        assert!(
            a.rating(d).is_some() || flagged.contains(d),
            "{d} came from nowhere"
        );
    }
    for (i, item) in list.items.iter().enumerate() {
        assert_eq!(item.position as usize, i + 1);
        // The score is the sum of its reasons' points.
        assert_eq!(
            item.score,
            item.reasons.iter().map(PriorityReason::points).sum::<u32>()
        );
    }

    // Red flags always come first, and every flagged domain is flagged in the list.
    let first_unflagged = list
        .items
        .iter()
        .position(|i| i.respond_within_minutes.is_none())
        .unwrap_or(list.items.len());
    assert!(list.items[first_unflagged..]
        .iter()
        .all(|i| i.respond_within_minutes.is_none()));
    for d in &flagged {
        let item = list.item(d).unwrap();
        assert!(item.position as usize <= first_unflagged);
        assert!(item
            .reasons
            .iter()
            .any(|r| matches!(r, PriorityReason::RedFlag { .. })));
    }
    let minutes: Vec<u32> = list.items[..first_unflagged]
        .iter()
        .map(|i| i.respond_within_minutes.unwrap())
        .collect();
    assert!(minutes.windows(2).all(|w| w[0] <= w[1]));

    // "Not now" is never proposed.
    for item in &list.items {
        let not_now = a.not_now.contains(&item.domain);
        assert_eq!(item.referable, !not_now, "{}", item.domain);
        assert_eq!(
            not_now,
            item.reasons.contains(&PriorityReason::NotNow),
            "{}",
            item.domain
        );
    }
    assert!(list.referable().all(|i| !a.not_now.contains(&i.domain)));

    // A domain blocked by a lower-level domain never ranks above it unless the reasons say why.
    let rank = |d: &DomainKey| a.own_priorities.iter().position(|k| k == d);
    for item in &list.items {
        for r in &item.reasons {
            let PriorityReason::BlockedBy {
                blocker,
                blocker_level,
            } = r
            else {
                continue;
            };
            let b = list.item(blocker.as_str()).unwrap();
            assert!(Some(*blocker_level) <= item.level);
            let ahead = item.reasons.iter().find_map(|r| match r {
                PriorityReason::AheadOfBlocker { blocker: x, cause } if x == blocker => {
                    Some(*cause)
                }
                _ => None,
            });
            if item.position < b.position {
                let cause = ahead.unwrap_or_else(|| {
                    panic!(
                        "{} ranks above its blocker {blocker} without a reason",
                        item.domain
                    )
                });
                match cause {
                    AheadCause::OwnRank => {
                        let rd = rank(&item.domain).expect("ranked by the person");
                        assert!(rank(blocker).is_none_or(|rb| rd < rb));
                    }
                    AheadCause::RedFlag => {
                        assert!(item.respond_within_minutes.is_some());
                        assert!(b
                            .respond_within_minutes
                            .is_none_or(|m| item.respond_within_minutes.unwrap() < m));
                    }
                    AheadCause::BlockerNotNow => {
                        assert!(a.not_now.contains(blocker) && !a.not_now.contains(&item.domain));
                    }
                }
                if Some(*blocker_level) < item.level && cause == AheadCause::OwnRank {
                    // the person's choice, said in the reasons
                    assert!(item
                        .reasons
                        .iter()
                        .any(|r| matches!(r, PriorityReason::OwnRank { .. })));
                }
            } else {
                assert!(ahead.is_none());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn invariants_hold_with_the_default_model(a in assessment_strategy()) {
        check_invariants(&Prioritiser::standard(), &a);
    }

    #[test]
    fn invariants_hold_with_any_acyclic_graph(a in assessment_strategy(), g in dag_strategy()) {
        let model = NeedsModel { catalogue: Catalogue::standard(), graph: g, config: NeedsConfig::default() };
        let p = model.compile().unwrap();
        check_invariants(&p, &a);
    }

    #[test]
    fn output_is_deterministic_and_independent_of_input_order(
        a in assessment_strategy(), seed in any::<u64>(),
    ) {
        let p = Prioritiser::standard();
        let first = p.prioritise(&a).unwrap();
        prop_assert_eq!(&first, &p.prioritise(&a).unwrap());
        prop_assert_eq!(&first, &p.prioritise(&shuffled(&a, seed)).unwrap());
        // The index-based form agrees with the record.
        let mut ranking = beside_needs::Ranking::default();
        p.rank_into(&a, &mut ranking).unwrap();
        prop_assert_eq!(&first, &p.to_prioritisation(&a, &ranking).unwrap());
    }

    #[test]
    fn a_graph_with_a_cycle_is_refused_and_the_cycle_named(
        g in dag_strategy(), a in 0..16usize, b in 0..16usize,
    ) {
        // Close a two-node cycle on top of a random acyclic graph.
        prop_assume!(a != b);
        let mut g = g;
        g.edges.push(Dependency { domain: key(a), requires: key(b) });
        g.edges.push(Dependency { domain: key(b), requires: key(a) });
        let model = NeedsModel { catalogue: Catalogue::standard(), graph: g.clone(), config: NeedsConfig::default() };
        let err = model.compile().unwrap_err();
        let beside_needs::NeedsError::Invalid(errs) = err else { panic!("not invalid") };
        let cycle = errs.errors.iter().find_map(|e| match &e.reason {
            beside_core::Reason::Cycle { nodes } => Some((e.path.clone(), nodes.clone())),
            _ => None,
        });
        let (path, nodes) = cycle.expect("a cycle is reported");
        prop_assert_eq!(path, "graph.edges");
        prop_assert_eq!(nodes.first(), nodes.last());
        for w in nodes.windows(2) {
            prop_assert!(g.edges.iter().any(|e| e.domain.as_str() == w[0] && e.requires.as_str() == w[1]));
        }
    }
}

/// A custom model: `k` domains (a shuffle of the defaults, some renamed), a random acyclic
/// graph over them, random weights and red flags pointing anywhere (several at one domain).
fn custom_model_strategy() -> impl Strategy<Value = NeedsModel> {
    (
        1usize..=16,
        Just((0..16usize).collect::<Vec<_>>()).prop_shuffle(),
        any::<u16>(),
        proptest::collection::vec((0..16usize, 0..16usize), 0..40),
        subsequence((0..16usize).collect::<Vec<_>>(), 0..=6),
        (
            proptest::collection::vec(0u32..120, 5),
            1u8..=5,
            0u32..20,
            0u32..60,
            0u32..40,
            proptest::collection::vec(0u32..60, 0..6),
            0u32..10,
            (0u32..80, 0u32..80, 0u32..80),
        ),
        proptest::collection::vec(
            (
                0..16usize,
                prop_oneof![Just(60u32), Just(180), Just(1440), 1u32..5000],
            ),
            4,
        ),
    )
        .prop_map(|(k, perm, renamed, pairs, foundational, weights, flags)| {
            let standard = Catalogue::standard();
            let domains: Vec<_> = perm[..k]
                .iter()
                .enumerate()
                .map(|(i, &j)| {
                    let mut e = standard.domains[j].clone();
                    if renamed & (1 << i) != 0 {
                        e.key = DomainKey::new(&format!("custom_{i}_{}", e.key)).unwrap();
                    }
                    e
                })
                .collect();
            let key = |i: usize| domains[i % k].key.clone();
            let mut seen = BTreeSet::new();
            let mut edges = Vec::new();
            for (a, b) in pairs {
                let (a, b) = (a % k, b % k);
                if a > b && seen.insert((a, b)) {
                    edges.push(Dependency {
                        domain: key(a),
                        requires: key(b),
                    });
                }
            }
            let foundational = foundational
                .into_iter()
                .filter(|&i| i < k)
                .map(key)
                .collect();
            let (lp, blocking, per, max, found, own, after, (u1, u2, u3)) = weights;
            let mut t = [u1, u2, u3];
            t.sort();
            let mut config = NeedsConfig {
                level_points: beside_needs::LevelPoints {
                    in_crisis: lp[0],
                    vulnerable: lp[1],
                    safe: lp[2],
                    building_capacity: lp[3],
                    thriving: lp[4],
                },
                blocking_max_level: Level::from_number(blocking).unwrap(),
                points_per_blocked_domain: per,
                max_blocking_points: max,
                foundational_points: found,
                own_rank_points: own,
                own_rank_points_after: after,
                urgency: beside_needs::UrgencyThresholds {
                    urgent: t[2],
                    high: t[1],
                    medium: t[0],
                },
                ..NeedsConfig::default()
            };
            for (rule, (d, minutes)) in config.red_flags.iter_mut().zip(flags) {
                rule.domain = key(d);
                rule.respond_within_minutes = minutes;
            }
            NeedsModel {
                catalogue: Catalogue { domains },
                graph: DependencyGraph {
                    foundational,
                    edges,
                },
                config,
            }
        })
}

/// Assessments over a model's catalogue: any subset of domains, any ratings, red flags, an
/// own ranking and a "not now" list drawn independently (they may overlap).
fn assessments_for(model: &NeedsModel, seeds: &[(u64, u64, u64, u8)]) -> Vec<Assessment> {
    let keys: Vec<DomainKey> = model
        .catalogue
        .domains
        .iter()
        .map(|d| d.key.clone())
        .collect();
    seeds
        .iter()
        .enumerate()
        .map(|(n, &(present, ratings, order, flags))| {
            let ratings: Vec<DomainRating> = keys
                .iter()
                .enumerate()
                .filter(|(i, _)| (present >> i) & 3 != 0)
                .map(|(i, k)| DomainRating {
                    domain: k.clone(),
                    rating: match (ratings >> (i * 3)) & 7 {
                        0 => Rating::Declined,
                        6 => Rating::NotAssessed,
                        n => Rating::Level(Level::from_number(n.min(5) as u8).unwrap()),
                    },
                })
                .collect();
            let rated = rated_keys(&ratings);
            let pick = |seed: u64| pick_some(&rated, seed);
            Assessment {
                extra: std::collections::BTreeMap::new(),
                id: AssessmentId::new(format!("a-{n}")).unwrap(),
                case_id: CaseId::new(format!("c-{n}")).unwrap(),
                assessed_at: Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap(),
                assessed_by: WorkerId::new("w-1").unwrap(),
                ratings,
                red_flags: RedFlag::ALL
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| flags & (1 << i) != 0)
                    .map(|(_, f)| f)
                    .collect(),
                own_priorities: pick(order),
                not_now: pick(order.rotate_left(29) ^ 0x9E37_79B9_7F4A_7C15),
            }
        })
        .collect()
}

/// A table ranks exactly as its records do: the priorities table read back gives each
/// record's prioritisation, and the table's summary the records' summary.
fn check_table_equals_records(p: &Prioritiser, list: &[Assessment]) {
    use beside_needs::table::{assessments_ipc, read_priorities_table};
    // Each assessment its own id: a table groups its rows by assessment id.
    let list: Vec<Assessment> = list
        .iter()
        .enumerate()
        .map(|(i, a)| Assessment {
            id: beside_core::AssessmentId::new(format!("a-{i}")).unwrap(),
            ..a.clone()
        })
        .collect();
    let bytes = assessments_ipc(&list).unwrap();
    let (_, out) = beside_core::table::read_ipc_stream(&p.prioritise_ipc(&bytes).unwrap()).unwrap();
    let read = read_priorities_table(&out[0]).unwrap();
    // An assessment with no ratings has no rows, so it is not in the table.
    let want: Vec<_> = list
        .iter()
        .filter(|a| !a.ratings.is_empty())
        .map(|a| p.prioritise(a).unwrap())
        .collect();
    assert_eq!(read, want);
    let rated: Vec<Assessment> = list.into_iter().filter(|a| !a.ratings.is_empty()).collect();
    assert_eq!(p.summarise_ipc(&bytes).unwrap(), p.summarise(&rated));
    // The table reads back into its records; a "not now" list comes back in table order.
    let back: Vec<Assessment> = rated
        .into_iter()
        .map(|a| Assessment {
            not_now: a
                .ratings
                .iter()
                .map(|r| r.domain.clone())
                .filter(|k| a.not_now.contains(k))
                .collect(),
            ..a
        })
        .collect();
    assert_eq!(
        beside_needs::table::read_assessments_ipc(&bytes).unwrap(),
        back
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_table_ranks_as_its_records_with_the_default_model(
        list in proptest::collection::vec(assessment_strategy(), 1..8),
    ) {
        check_table_equals_records(&Prioritiser::standard(), &list);
    }

    #[test]
    fn a_table_ranks_as_its_records_with_custom_models(
        model in custom_model_strategy(),
        seeds in proptest::collection::vec(any::<(u64, u64, u64, u8)>(), 1..8),
    ) {
        let list = assessments_for(&model, &seeds);
        let p = model.compile().unwrap();
        check_table_equals_records(&p, &list);
    }
}

/// The domains of `ratings` that were assessed (the ones a person may rank or put off).
fn rated_keys(ratings: &[DomainRating]) -> Vec<DomainKey> {
    ratings
        .iter()
        .filter(|r| r.rating != Rating::NotAssessed)
        .map(|r| r.domain.clone())
        .collect()
}

/// About a quarter of `rated`, chosen and ordered by `seed`: an own ranking or a "not now" list.
fn pick_some(rated: &[DomainKey], seed: u64) -> Vec<DomainKey> {
    let mut chosen: Vec<(u64, DomainKey)> = rated
        .iter()
        .enumerate()
        .filter(|(i, _)| (seed >> (i * 2)) & 3 == 0)
        .map(|(i, k)| (seed.rotate_left(i as u32 * 7) ^ i as u64, k.clone()))
        .collect();
    chosen.sort();
    chosen.into_iter().map(|(_, k)| k).collect()
}
