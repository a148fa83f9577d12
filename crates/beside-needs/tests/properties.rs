//! Property tests of prioritisation and of graph validation.
#![allow(
    clippy::unwrap_used,
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
            let rated: Vec<DomainKey> = ratings
                .iter()
                .filter(|r| r.rating != Rating::NotAssessed)
                .map(|r| r.domain.clone())
                .collect();
            let pick = |seed: u64| -> Vec<DomainKey> {
                let mut chosen: Vec<(u64, DomainKey)> = rated
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| (seed >> (i * 2)) & 3 == 0)
                    .map(|(i, k)| (seed.rotate_left(i as u32 * 7) ^ i as u64, k.clone()))
                    .collect();
                chosen.sort();
                chosen.into_iter().map(|(_, k)| k).collect()
            };
            Assessment {
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
        prop_assert_eq!(&first, &p.to_prioritisation(&a, &ranking));
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
