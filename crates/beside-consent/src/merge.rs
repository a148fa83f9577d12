//! Offline merge of a consent ledger and of its audit log (the brief's "Field realities": in
//! consent a refusal or a revocation from either side wins).
//!
//! The rules, each a named function:
//!
//! - [`merge_ledgers`]: the subject and the policy are merged field by field
//!   ([`beside_core::merge::merge_field`]: two different edits are a conflict, never settled
//!   silently); the records are the union of both sides' by id, so no record is ever lost;
//! - [`merge_record`], for a record both sides hold: [`revocation_wins`] (revoked on either side
//!   is revoked; of two revocations the earlier stands) and [`refusal_wins`] (two different
//!   versions of one record are a conflict, and where either is a refusal the refusal is kept);
//! - [`merge_logs`]: the entries both logs share (the longest common prefix, by hash) stay as
//!   they are; the entries each device appended since are put in time order (ties by their
//!   content), an entry both appended counted once, and chained again after the prefix, so the
//!   merged log verifies. The devices' own checkpoints then no longer match past the prefix: keep
//!   the merged log's.

use crate::audit::{AuditEntry, AuditLog};
use crate::ledger::{ConsentLedger, LedgerData};
use crate::record::{ConsentRecord, RecordKind, Revocation};
use beside_core::merge::{
    merge_typed, same_record, to_value, Conflict, Kept, MergeError, Sides, Version,
};
use beside_core::{ConsentId, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A merged ledger and the conflicts flagged in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MergedLedger {
    /// The merged ledger, checked as [`ConsentLedger::new`] checks.
    pub ledger: LedgerData,
    /// Two different edits of one field or record, each with both values, who and when, and
    /// which was kept until a person resolves it.
    pub conflicts: Vec<Conflict>,
}

/// **Merge two devices' versions of a case's consent ledger** (`base`: the version both last
/// shared, when known), checking the result against the case and the policy at `now`.
///
/// Errors: the versions are of different cases; or the merged ledger fails its checks (a
/// subject edit on one device that a record of the other contradicts, say), which names the
/// field.
pub fn merge_ledgers(
    base: Option<&LedgerData>,
    ours: &Version<LedgerData>,
    theirs: &Version<LedgerData>,
    now: Timestamp,
) -> Result<MergedLedger, MergeError> {
    let (o, t) = (&ours.value, &theirs.value);
    same_record(
        "subject.case_id",
        o.subject.case_id.as_str(),
        t.subject.case_id.as_str(),
        base.map(|b| b.subject.case_id.as_str()),
    )?;
    let sides = Sides::of(ours, theirs);
    let mut conflicts = Vec::new();
    let subject = merge_typed(
        "subject",
        base.map(|b| &b.subject),
        &o.subject,
        &t.subject,
        &sides,
        &mut conflicts,
    )?;
    let policy = merge_typed(
        "policy",
        base.map(|b| &b.policy),
        &o.policy,
        &t.policy,
        &sides,
        &mut conflicts,
    )?;
    let records = union_records(base, o, t, &sides, &mut conflicts)?;
    let ledger =
        ConsentLedger::new(subject, policy, records, now).map_err(|e| MergeError::Invalid {
            reason: e.to_string(),
        })?;
    Ok(MergedLedger {
        ledger: ledger.to_data(),
        conflicts,
    })
}

/// The union of the records of every version, by id: a record any version holds is in the
/// merge (a record is a fact recorded; a device that lacks it has not seen it yet).
fn union_records(
    base: Option<&LedgerData>,
    ours: &LedgerData,
    theirs: &LedgerData,
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Result<Vec<ConsentRecord>, MergeError> {
    let by_id = |d: &LedgerData| -> BTreeMap<ConsentId, ConsentRecord> {
        d.records
            .iter()
            .map(|r| (r.id.clone(), r.clone()))
            .collect()
    };
    let b = match base {
        Some(base) => by_id(base),
        None => BTreeMap::new(),
    };
    let (o, t) = (by_id(ours), by_id(theirs));
    let mut ids: Vec<&ConsentId> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let merged = match (o.get(id), t.get(id)) {
            (Some(or), Some(tr)) => merge_record(b.get(id), or, tr, sides, conflicts)?,
            (Some(one), None) | (None, Some(one)) => one.clone(),
            // INVARIANT: `id` came from one of the three maps, so it is in the base here.
            (None, None) => b.get(id).cloned().ok_or_else(|| MergeError::Invalid {
                reason: format!("record `{id}` is in no version"),
            })?,
        };
        out.push(merged);
    }
    Ok(out)
}

/// **One record both devices hold.** Its revocation by [`revocation_wins`]; the rest of it
/// (a record is a fact: it is not merged field by field) by [`refusal_wins`].
pub fn merge_record(
    base: Option<&ConsentRecord>,
    ours: &ConsentRecord,
    theirs: &ConsentRecord,
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Result<ConsentRecord, MergeError> {
    let path = format!("records[{}]", ours.id);
    let revoked = revocation_wins(
        &path,
        ours.revoked.as_ref(),
        theirs.revoked.as_ref(),
        sides,
        conflicts,
    )?;
    let unrevoked = |r: &ConsentRecord| ConsentRecord {
        revoked: None,
        ..r.clone()
    };
    let (o, t) = (unrevoked(ours), unrevoked(theirs));
    let b = base.map(unrevoked);
    let mut kept = if o == t || b.as_ref() == Some(&t) {
        o
    } else if b.as_ref() == Some(&o) {
        t
    } else {
        refusal_wins(&path, b.as_ref(), &o, &t, sides, conflicts)?
    };
    // A one-sided edit may not turn a refusal into a consent either.
    if kept.kind != RecordKind::Refusal {
        if let Some(refusal) = [&ours, &theirs]
            .into_iter()
            .find(|r| r.kind == RecordKind::Refusal)
        {
            conflicts.push(sides.conflict(
                &path,
                b.as_ref().map(to_value).transpose()?.as_ref(),
                Some(&to_value(&unrevoked(ours))?),
                Some(&to_value(&unrevoked(theirs))?),
                Kept::Refusal,
            ));
            kept = unrevoked(refusal);
        }
    }
    kept.revoked = revoked;
    Ok(kept)
}

/// **A revocation from either side wins**: revoked on either device is revoked; of two
/// different revocations the earlier stands (from then on the record no longer counted), and
/// the pair is flagged.
pub fn revocation_wins(
    path: &str,
    ours: Option<&Revocation>,
    theirs: Option<&Revocation>,
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Result<Option<Revocation>, MergeError> {
    Ok(match (ours, theirs) {
        (Some(o), Some(t)) if o != t => {
            conflicts.push(sides.conflict(
                &format!("{path}.revoked"),
                None,
                Some(&to_value(o)?),
                Some(&to_value(t)?),
                Kept::EarlierRevocation,
            ));
            // Ties in time: the smaller JSON text, so either device gets the same answer.
            let earlier = (o.at, to_value(o)?.to_string()) <= (t.at, to_value(t)?.to_string());
            Some(if earlier { o.clone() } else { t.clone() })
        }
        (Some(one), _) | (None, Some(one)) => Some(one.clone()),
        (None, None) => None,
    })
}

/// **A refusal from either side wins**: two different versions of one record are a conflict;
/// the refusal is kept where either is one, else the later edit's version.
pub fn refusal_wins(
    path: &str,
    base: Option<&ConsentRecord>,
    ours: &ConsentRecord,
    theirs: &ConsentRecord,
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Result<ConsentRecord, MergeError> {
    let (ov, tv) = (to_value(ours)?, to_value(theirs)?);
    // Two refusals: the smaller JSON text, so either device gets the same answer.
    let refusal = [(ours, &ov), (theirs, &tv)]
        .into_iter()
        .filter(|(r, _)| r.kind == RecordKind::Refusal)
        .min_by_key(|(_, v)| v.to_string());
    let (kept, rule) = match refusal {
        Some((r, _)) => (r.clone(), Kept::Refusal),
        None => {
            let later = beside_core::merge::settle(&ov, sides.ours.at, &tv, sides.theirs.at);
            (
                if later == &ov { ours } else { theirs }.clone(),
                Kept::LaterEdit,
            )
        }
    };
    conflicts.push(sides.conflict(
        path,
        base.map(to_value).transpose()?.as_ref(),
        Some(&ov),
        Some(&tv),
        rule,
    ));
    Ok(kept)
}

/// The content of an entry, without its place in a chain: what two devices appending the same
/// event share.
fn content(e: &AuditEntry) -> Result<String, MergeError> {
    serde_json::to_string(&(&e.at, &e.actor, &e.event)).map_err(|e| MergeError::Json {
        reason: e.to_string(),
    })
}

/// **Merge two devices' audit logs of one ledger**: the shared prefix kept as it is, then every
/// entry either device appended since, once, in time order (ties by content), chained again.
/// The result verifies. A log that is a prefix of the other merges to the other, unchanged.
pub fn merge_logs(ours: &AuditLog, theirs: &AuditLog) -> Result<AuditLog, MergeError> {
    let (o, t) = (ours.entries(), theirs.entries());
    let shared = o
        .iter()
        .zip(t.iter())
        .take_while(|(a, b)| a.hash == b.hash)
        .count();
    if shared == o.len() {
        return Ok(theirs.clone());
    }
    if shared == t.len() {
        return Ok(ours.clone());
    }
    let (Some(o_rest), Some(t_rest), Some(prefix)) =
        (o.get(shared..), t.get(shared..), o.get(..shared))
    else {
        return Err(MergeError::Invalid {
            reason: "the shared prefix is longer than a log".into(),
        });
    };
    let mut appended: BTreeMap<(Timestamp, String), &AuditEntry> = BTreeMap::new();
    for e in o_rest.iter().chain(t_rest) {
        appended.entry((e.at, content(e)?)).or_insert(e);
    }
    let mut log =
        AuditLog::from_entries(prefix.to_vec(), None).map_err(|e| MergeError::Invalid {
            reason: e.to_string(),
        })?;
    for e in appended.into_values() {
        log.append(e.at, e.actor.clone(), e.event.clone())
            .map_err(|e| MergeError::Invalid {
                reason: e.to_string(),
            })?;
    }
    Ok(log)
}
