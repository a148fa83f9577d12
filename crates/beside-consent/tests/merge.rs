//! Offline merge of consent ledgers and audit logs: the brief's properties (a refusal or a
//! revocation from either side wins; nothing is lost; commutative and idempotent; the merged log
//! verifies), and the rules by example.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use beside_consent::merge::{merge_ledgers, merge_logs, MergedLedger};
use beside_consent::*;
use beside_core::merge::{Conflict, Kept, MergeError, Version};
use beside_core::{CaseId, ConsentId};
use proptest::prelude::*;
use support::*;

fn version(data: LedgerData, by: &str, day: i64) -> Version<LedgerData> {
    Version {
        value: data,
        edited_by: Some(worker(by)),
        edited_at: t(day),
    }
}

fn data(s: &ConsentSubject, records: Vec<ConsentRecord>) -> LedgerData {
    ledger(s, &records).to_data()
}

fn revoked(mut r: ConsentRecord, day: i64) -> ConsentRecord {
    r.revoked = Some(Revocation {
        at: t(day),
        reason: format!("asked on day {day}"),
    });
    r
}

fn sorted(conflicts: &[Conflict]) -> Vec<String> {
    let mut v: Vec<String> = conflicts
        .iter()
        .map(|c| serde_json::to_string(&c.unordered()).unwrap())
        .collect();
    v.sort();
    v
}

fn all() -> Vec<RecipientScope> {
    vec![RecipientScope::Any]
}

#[test]
fn a_refusal_on_one_phone_wins_over_the_same_record_as_a_consent_on_the_other() {
    let s = subject(None, vec![]);
    let s = ConsentSubject {
        birth: Some(beside_core::Birth::DateOfBirth {
            date: date(1990, 1, 1),
        }),
        ..s
    };
    let c = consent(
        "c-1",
        &[Purpose::ServiceReferral],
        all(),
        &[DataCategory::Health],
        10,
    );
    let base = data(&s, vec![c.clone()]);
    let mut as_refusal = c.clone();
    as_refusal.kind = RecordKind::Refusal;
    let ours = version(data(&s, vec![as_refusal]), "w-1", 20);
    let theirs = version(base.clone(), "w-2", 30);
    let m = merge_ledgers(Some(&base), &ours, &theirs, now()).unwrap();
    assert_eq!(m.ledger.records[0].kind, RecordKind::Refusal);
    // A one-sided edit: taken, with no conflict (the refusal was ours alone).
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);

    // Edited differently on both: a conflict, the refusal kept.
    let mut wider = c.clone();
    wider.categories.push(DataCategory::Legal);
    let theirs = version(data(&s, vec![wider]), "w-2", 30);
    let m = merge_ledgers(Some(&base), &ours, &theirs, now()).unwrap();
    assert_eq!(m.ledger.records[0].kind, RecordKind::Refusal);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].path, "records[c-1]");
    assert_eq!(m.conflicts[0].kept, Kept::Refusal);
    assert_eq!(m.conflicts[0].theirs_edit.by, Some(worker("w-2")));
}

#[test]
fn a_revocation_on_either_phone_wins_and_the_earlier_of_two_stands() {
    let s = ConsentSubject {
        birth: Some(beside_core::Birth::DateOfBirth {
            date: date(1990, 1, 1),
        }),
        ..subject(None, vec![])
    };
    let c = consent(
        "c-1",
        &[Purpose::ServiceReferral],
        all(),
        &[DataCategory::Health],
        10,
    );
    let base = data(&s, vec![c.clone()]);
    let ours = version(data(&s, vec![revoked(c.clone(), 40)]), "w-1", 40);
    let theirs = version(base.clone(), "w-2", 50);
    let m = merge_ledgers(Some(&base), &ours, &theirs, now()).unwrap();
    assert_eq!(
        m.ledger.records[0].revoked.as_ref().map(|r| r.at),
        Some(t(40))
    );
    assert!(m.conflicts.is_empty());
    let theirs = version(data(&s, vec![revoked(c, 35)]), "w-2", 50);
    let m = merge_ledgers(Some(&base), &ours, &theirs, now()).unwrap();
    assert_eq!(
        m.ledger.records[0].revoked.as_ref().map(|r| r.at),
        Some(t(35))
    );
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].path, "records[c-1].revoked");
    assert_eq!(m.conflicts[0].kept, Kept::EarlierRevocation);
}

#[test]
fn records_added_on_each_phone_are_all_kept_and_a_subject_edit_on_both_is_flagged() {
    let s = ConsentSubject {
        birth: Some(beside_core::Birth::DateOfBirth {
            date: date(1990, 1, 1),
        }),
        ..subject(None, vec![])
    };
    let base = data(&s, vec![]);
    let a = consent(
        "a",
        &[Purpose::CaseCoordination],
        all(),
        &[DataCategory::Contact],
        10,
    );
    let b = refusal(
        "b",
        &[Purpose::MediaStorytelling],
        all(),
        &[DataCategory::Identity],
        11,
    );
    let ours_subject = ConsentSubject {
        time_zone: Some(beside_core::TimeZone::new("Asia/Dhaka").unwrap()),
        ..s.clone()
    };
    let theirs_subject = ConsentSubject {
        time_zone: Some(beside_core::TimeZone::new("Asia/Kolkata").unwrap()),
        ..s.clone()
    };
    let ours = version(data(&ours_subject, vec![a]), "w-1", 20);
    let theirs = version(data(&theirs_subject, vec![b]), "w-2", 30);
    let m = merge_ledgers(Some(&base), &ours, &theirs, now()).unwrap();
    let ids: Vec<_> = m.ledger.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(m.conflicts.len(), 1);
    let c = &m.conflicts[0];
    assert_eq!(c.path, "subject.time_zone");
    assert_eq!(
        (c.ours.as_str(), c.theirs.as_str()),
        (Some("Asia/Dhaka"), Some("Asia/Kolkata"))
    );
    assert_eq!(c.kept, Kept::LaterEdit);
    assert_eq!(
        m.ledger.subject.time_zone.map(|z| z.to_string()).as_deref(),
        Some("Asia/Kolkata"),
        "the later edit (theirs, day 30) is held until resolved"
    );
}

#[test]
fn ledgers_of_two_cases_are_not_merged() {
    let s = subject(None, vec![]);
    let other = ConsentSubject {
        case_id: CaseId::new("case-y").unwrap(),
        ..s.clone()
    };
    let e = merge_ledgers(
        None,
        &version(data(&s, vec![]), "w-1", 1),
        &version(
            LedgerData {
                subject: other,
                policy: policy(),
                records: vec![],
            },
            "w-2",
            1,
        ),
        now(),
    )
    .unwrap_err();
    assert!(
        matches!(e, MergeError::DifferentRecords { ref field, .. } if field == "subject.case_id")
    );
}

/// One phone's changes since the shared version: records added, records revoked, records
/// turned into refusals.
#[derive(Debug, Clone)]
struct Changes {
    added: Vec<RawRecordSeed>,
    revoke: Vec<(usize, i64)>,
    refuse: Vec<usize>,
}

type RawRecordSeed = (u8, u32, u32, i64);

fn arb_changes() -> impl Strategy<Value = Changes> {
    (
        proptest::collection::vec((0u8..10, 1u32..8, 1u32..16, 0i64..3000), 0..4),
        proptest::collection::vec((0usize..8, 3000i64..3100), 0..3),
        proptest::collection::vec(0usize..8, 0..2),
    )
        .prop_map(|(added, revoke, refuse)| Changes {
            added,
            revoke,
            refuse,
        })
}

/// Apply `ch` to the shared records; new records get ids `<side>-<n>`, and each phone also
/// adds `both`, the same record recorded on each.
fn apply(base: &[ConsentRecord], ch: &Changes, side: &str) -> Vec<ConsentRecord> {
    let mut out = base.to_vec();
    for (i, day) in &ch.revoke {
        if let Some(r) = out.get_mut(*i) {
            if r.revoked.is_none() {
                *r = revoked(r.clone(), *day);
            }
        }
    }
    for i in &ch.refuse {
        if let Some(r) = out.get_mut(*i) {
            // A refusal is the person's; keep the record valid for an adult.
            r.kind = RecordKind::Refusal;
            r.given_by = GivenBy::Person;
            r.assent = None;
        }
    }
    for (n, (k, p, c, day)) in ch.added.iter().enumerate() {
        let purposes = pick(&PURPOSES, *p);
        let cats = pick(&CATEGORIES, *c);
        let rec = if *k < 3 {
            refusal(&format!("{side}-{n}"), &purposes, all(), &cats, *day)
        } else {
            consent(&format!("{side}-{n}"), &purposes, all(), &cats, *day)
        };
        out.push(rec);
    }
    out.push(consent(
        "both",
        &[Purpose::Statistics],
        all(),
        &[DataCategory::Health],
        5,
    ));
    out
}

fn adult() -> ConsentSubject {
    ConsentSubject {
        birth: Some(beside_core::Birth::DateOfBirth {
            date: date(1980, 1, 1),
        }),
        ..subject(None, vec![])
    }
}

fn arb_merge() -> impl Strategy<Value = (Vec<ConsentRecord>, Changes, Changes, i64, i64, Question)>
{
    (
        proptest::collection::vec((0u8..10, 1u32..8, 1u32..16, 0i64..3000), 0..6),
        arb_changes(),
        arb_changes(),
        3100i64..3200,
        3100i64..3200,
        arb_question(),
    )
        .prop_map(|(seeds, o, t, od, td, q)| {
            let base = seeds
                .iter()
                .enumerate()
                .map(|(n, (k, p, c, day))| {
                    let (purposes, cats) = (pick(&PURPOSES, *p), pick(&CATEGORIES, *c));
                    if *k < 3 {
                        refusal(&format!("c-{n}"), &purposes, all(), &cats, *day)
                    } else {
                        consent(&format!("c-{n}"), &purposes, all(), &cats, *day)
                    }
                })
                .collect();
            (base, o, t, od, td, q)
        })
}

/// Merge two phones' ledgers, each given with who edited it and on which day.
fn merged(
    base: &LedgerData,
    ours: (&LedgerData, &str, i64),
    theirs: (&LedgerData, &str, i64),
) -> MergedLedger {
    merge_ledgers(
        Some(base),
        &version(ours.0.clone(), ours.1, ours.2),
        &version(theirs.0.clone(), theirs.1, theirs.2),
        now(),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Nothing is lost; a revocation or a refusal on either phone is in the merge, and a
    /// question refused on either phone by a refusal neither phone revoked is refused after it; swapping the phones changes
    /// nothing but the naming of the sides; a ledger merged with itself is itself.
    #[test]
    fn merge_keeps_every_no((base, oc, tc, od, td, q) in arb_merge()) {
        let s = adult();
        let b = data(&s, base.clone());
        let o = data(&s, apply(&base, &oc, "o"));
        let th = data(&s, apply(&base, &tc, "t"));
        let m = merged(&b, (&o, "w-o", od), (&th, "w-t", td));
        let find = |id: &ConsentId| m.ledger.records.iter().find(|r| r.id == *id);
        for r in o.records.iter().chain(&th.records) {
            let kept = find(&r.id);
            prop_assert!(kept.is_some(), "record {} lost", r.id);
            let kept = kept.unwrap();
            if r.revoked.is_some() {
                prop_assert!(kept.revoked.is_some(), "revocation of {} lost", r.id);
                prop_assert!(kept.revoked.as_ref().map(|x| x.at) <= r.revoked.as_ref().map(|x| x.at));
            }
            if r.kind == RecordKind::Refusal {
                prop_assert_eq!(kept.kind, RecordKind::Refusal);
            }
        }
        let ml = ledger(&m.ledger.subject, &m.ledger.records);
        let answer = ml.evaluate(&q);
        for side in [&o, &th] {
            let d = ledger(&side.subject, &side.records).evaluate(&q);
            for c in &q.categories {
                // Refused by a refusal that neither phone revoked (revoking her refusal is the
                // person changing her mind, recorded on that phone).
                let refused = d.reasons_for(*c).iter().any(|x| matches!(
                    x,
                    DenyReason::ExplicitRefusal { record }
                        if [&o, &th].iter().all(|v| v.records.iter().all(|r| r.id != *record || r.revoked.is_none()))
                ));
                if refused {
                    prop_assert!(!answer.permits(*c), "{:?} refused on one phone, permitted after the merge", c);
                }
            }
        }
        let swapped = merged(&b, (&th, "w-t", td), (&o, "w-o", od));
        prop_assert_eq!(&swapped.ledger, &m.ledger);
        prop_assert_eq!(sorted(&swapped.conflicts), sorted(&m.conflicts));
        let same = merged(&b, (&o, "w-o", od), (&o, "w-t", td));
        prop_assert_eq!(&same.ledger, &o);
        prop_assert!(same.conflicts.is_empty());
    }

    /// The merged audit log verifies, keeps the shared entries as they were, holds every entry
    /// either phone appended (once), and is the same whichever phone merges.
    #[test]
    fn merged_logs_verify_and_lose_nothing((base, oc, tc, _od, _td, _q) in arb_merge()) {
        let mut shared = AuditLog::new();
        for r in &base {
            shared.append(t(3000), Some(worker("w-0")), AuditEvent::RecordAdded { record: r.clone() }).unwrap();
        }
        let grow = |records: Vec<ConsentRecord>, who: &str, day: i64| {
            let mut log = shared.clone();
            for (n, r) in records.into_iter().enumerate() {
                log.append(t(day + n as i64), Some(worker(who)), AuditEvent::RecordAdded { record: r }).unwrap();
            }
            log
        };
        let new = |ch: &Changes, side: &str| apply(&base, ch, side).split_off(base.len());
        let o = grow(new(&oc, "o"), "w-o", 3100);
        let th = grow(new(&tc, "t"), "w-t", 3102);
        let m = merge_logs(&o, &th).unwrap();
        prop_assert!(m.verify().is_ok());
        prop_assert_eq!(&m.entries()[..shared.entries().len()], shared.entries());
        let content = |e: &AuditEntry| serde_json::to_string(&(&e.at, &e.actor, &e.event)).unwrap();
        let mut all: Vec<String> = o.entries().iter().chain(th.entries()).map(content).collect();
        all.sort();
        all.dedup();
        let mut got: Vec<String> = m.entries().iter().map(content).collect();
        got.sort();
        prop_assert_eq!(got, all);
        prop_assert_eq!(merge_logs(&th, &o).unwrap(), m.clone());
        prop_assert_eq!(merge_logs(&o, &o).unwrap(), o.clone());
        prop_assert_eq!(merge_logs(&shared, &o).unwrap(), o);
    }
}
