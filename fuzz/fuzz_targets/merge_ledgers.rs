//! Offline merge of two phones' consent ledgers, structure-aware: each phone applies arbitrary
//! changes to a sample case's ledger (revocations, new consents and refusals, edits of one
//! record), then the two are merged. Checked on every input: the merge succeeds, no record is
//! lost, a refusal or a revocation on either phone is in the merge, swapping the phones gives
//! the same ledger, and a ledger merged with itself is itself.

#![no_main]

use arbitrary::Arbitrary;
use beside::consent::merge::merge_ledgers;
use beside::consent::{
    ConsentLedger, ConsentRecord, DataCategory, GivenBy, LedgerData, Purpose, RecipientScope,
    RecordKind, Revocation,
};
use beside::core::merge::Version;
use beside::core::{ConsentId, Timestamp, WorkerId};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Change {
    Revoke {
        record: u8,
        minutes: u16,
    },
    Add {
        refusal: bool,
        purposes: u8,
        categories: u8,
        minutes: u16,
    },
    Refuse {
        record: u8,
    },
    Widen {
        record: u8,
        categories: u8,
    },
}

#[derive(Debug, Arbitrary)]
struct Input {
    ours: Vec<Change>,
    theirs: Vec<Change>,
    ours_minutes: u16,
    theirs_minutes: u16,
}

const PURPOSES: [Purpose; 4] = [
    Purpose::ServiceReferral,
    Purpose::CaseCoordination,
    Purpose::Statistics,
    Purpose::MediaStorytelling,
];
const CATEGORIES: [DataCategory; 4] = [
    DataCategory::Identity,
    DataCategory::Contact,
    DataCategory::Health,
    DataCategory::TraffickingHistory,
];

fn pick<T: Copy>(pool: &[T], mask: u8) -> Vec<T> {
    let out: Vec<T> = pool
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, x)| *x)
        .collect();
    if out.is_empty() {
        pool.iter().take(1).copied().collect()
    } else {
        out
    }
}

fn start() -> Timestamp {
    chrono::DateTime::from_timestamp(1_767_225_600, 0).expect("2026-01-01")
}

fn now() -> Timestamp {
    chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("a fixed now")
}

fn at(minutes: u16) -> Timestamp {
    start() + chrono::Duration::minutes(i64::from(minutes))
}

fn apply(shared: &ConsentLedger, changes: &[Change], side: &str) -> LedgerData {
    let mut data = shared.to_data();
    for (n, c) in changes.iter().take(8).enumerate() {
        let len = data.records.len().max(1);
        match *c {
            Change::Revoke { record, minutes } => {
                if let Some(r) = data.records.get_mut(usize::from(record) % len) {
                    if r.revoked.is_none() {
                        r.revoked = Some(Revocation {
                            at: at(minutes).max(r.granted_at),
                            reason: format!("{side} {n}"),
                        });
                    }
                }
            }
            Change::Add {
                refusal,
                purposes,
                categories,
                minutes,
            } => {
                let template = data.records.first().cloned();
                if let Some(t) = template {
                    data.records.push(ConsentRecord {
                        id: ConsentId::new(format!("{side}-{n}")).expect("an id"),
                        kind: if refusal {
                            RecordKind::Refusal
                        } else {
                            RecordKind::Consent
                        },
                        given_by: GivenBy::Person,
                        assent: None,
                        purposes: pick(&PURPOSES, purposes),
                        recipients: vec![RecipientScope::Any],
                        categories: pick(&CATEGORIES, categories),
                        granted_at: at(minutes),
                        expires_at: None,
                        revoked: None,
                        ..t
                    });
                }
            }
            Change::Refuse { record } => {
                if let Some(r) = data.records.get_mut(usize::from(record) % len) {
                    r.kind = RecordKind::Refusal;
                    r.given_by = GivenBy::Person;
                    r.assent = None;
                }
            }
            Change::Widen { record, categories } => {
                if let Some(r) = data.records.get_mut(usize::from(record) % len) {
                    r.categories = pick(&CATEGORIES, categories);
                }
            }
        }
    }
    data
}

fuzz_target!(|input: Input| {
    // case-01 is an adult with her own records: every change above keeps a ledger valid.
    static SHARED: std::sync::OnceLock<ConsentLedger> = std::sync::OnceLock::new();
    let shared =
        SHARED.get_or_init(|| beside::samples::consent::ledger("case-01").expect("sample ledger"));
    let (o, t) = (
        apply(shared, &input.ours, "o"),
        apply(shared, &input.theirs, "t"),
    );
    // A change may still make a side invalid (a refusal by the person where the policy wants a
    // witness, say): such a phone could not have recorded it, so it is not a merge input.
    let valid = |d: &LedgerData| {
        ConsentLedger::new(
            d.subject.clone(),
            d.policy.clone(),
            d.records.clone(),
            now(),
        )
        .map(|l| l.to_data())
    };
    let (Ok(o), Ok(t)) = (valid(&o), valid(&t)) else {
        return;
    };
    let v = |d: &LedgerData, who: &str, m: u16| Version {
        value: d.clone(),
        edited_by: Some(WorkerId::new(who).expect("an id")),
        edited_at: at(m),
    };
    let base = shared.to_data();
    let (vo, vt) = (
        v(&o, "w-o", input.ours_minutes),
        v(&t, "w-t", input.theirs_minutes),
    );
    let m = match merge_ledgers(Some(&base), &vo, &vt, now()) {
        Ok(m) => m,
        Err(e) => panic!("two valid phones' ledgers must merge: {e}"),
    };
    for r in o.records.iter().chain(&t.records) {
        let kept = m.ledger.records.iter().find(|x| x.id == r.id);
        let kept = kept.unwrap_or_else(|| panic!("record {} lost", r.id));
        if r.revoked.is_some() {
            assert!(kept.revoked.is_some(), "revocation of {} lost", r.id);
        }
        if r.kind == RecordKind::Refusal {
            assert_eq!(kept.kind, RecordKind::Refusal, "refusal {} lost", r.id);
        }
    }
    let swapped = merge_ledgers(Some(&base), &vt, &vo, now()).expect("the swapped merge");
    assert_eq!(swapped.ledger, m.ledger, "merging is commutative");
    let same = merge_ledgers(Some(&base), &vo, &v(&o, "w-t", input.theirs_minutes), now())
        .expect("a merge with itself");
    assert_eq!(same.ledger, o, "merging is idempotent");
    assert!(same.conflicts.is_empty());
});
