//! Walkthrough step: case-01 was edited on two phones offline. The survivor leader's phone
//! recorded her withdrawing a consent and changed the case summary; the case worker's phone
//! recorded a new refusal and changed the summary too. Merging keeps every record, lets the
//! revocation and the refusal win, and flags the one field both changed.

use beside::consent::merge::{merge_ledgers, merge_logs};
use beside::consent::{
    AuditEvent, AuditLog, ConsentLedger, DataCategory, GivenBy, Method, Purpose, RecipientScope,
    RecordKind,
};
use beside::core::merge::{merge_case_profiles, render_conflict, Version};
use beside::core::{ConsentId, Labels, LanguageCode, Timestamp, WorkerId};
use beside::samples;

type Error = Box<dyn std::error::Error>;

fn at(text: &str) -> Result<Timestamp, Error> {
    Ok(text.parse()?)
}

pub fn run(out: &mut String) -> Result<(), Error> {
    let now = crate::when()?;
    let (leader, worker) = (
        WorkerId::new("leader-jsr-01")?,
        WorkerId::new("worker-bd-jsr-01")?,
    );
    let shared = samples::consent::ledger("case-01")?;
    let shared_profile = samples::cases()?
        .into_iter()
        .find(|c| c.case_id.as_str() == "case-01")
        .ok_or("case-01 is in the sample cases")?;
    let mut shared_log = AuditLog::new();
    for r in shared.records() {
        shared_log.append(
            r.granted_at,
            None,
            AuditEvent::RecordAdded { record: r.clone() },
        )?;
    }

    // The leader's phone, 2025-11-20: she withdraws the consent for referrals.
    let leader_at = at("2025-11-20T06:00:00Z")?;
    let mut ours = shared.clone();
    let withdrawn = ConsentId::new("consent-01-referral")?;
    let revocation = ours.revoke(&withdrawn, leader_at, "she wants to pause referrals", now)?;
    let mut ours_log = shared_log.clone();
    ours_log.append(
        leader_at,
        Some(leader.clone()),
        AuditEvent::RecordRevoked {
            id: withdrawn.clone(),
            revocation,
        },
    )?;
    let mut ours_profile = shared_profile.clone();
    ours_profile.summary = Some("Paused referrals for now; meets the group weekly.".into());

    // The case worker's phone, 2025-11-22: she refuses any sharing for media stories.
    let worker_at = at("2025-11-22T09:30:00Z")?;
    let mut theirs = shared.clone();
    let refusal = beside::consent::ConsentRecord {
        id: ConsentId::new("refusal-01-media")?,
        case_id: shared.subject().case_id.clone(),
        kind: RecordKind::Refusal,
        given_by: GivenBy::Person,
        assent: None,
        purposes: vec![Purpose::MediaStorytelling],
        recipients: vec![RecipientScope::Any],
        categories: vec![DataCategory::Identity, DataCategory::TraffickingHistory],
        granted_at: worker_at,
        expires_at: None,
        method: Method::Verbal,
        explained_in: LanguageCode::new("bn")?,
        witness: None,
        revoked: None,
        extra: Default::default(),
    };
    theirs.add(refusal.clone(), now)?;
    let mut theirs_log = shared_log.clone();
    theirs_log.append(
        worker_at,
        Some(worker.clone()),
        AuditEvent::RecordAdded { record: refusal },
    )?;
    let mut theirs_profile = shared_profile.clone();
    theirs_profile.summary = Some("Wants no media contact; livelihood training next.".into());

    let version = |l: &ConsentLedger, by: &WorkerId, at| Version {
        value: l.to_data(),
        edited_by: Some(by.clone()),
        edited_at: at,
    };
    let merged = merge_ledgers(
        Some(&shared.to_data()),
        &version(&ours, &leader, leader_at),
        &version(&theirs, &worker, worker_at),
        now,
    )?;
    let log = merge_logs(&ours_log, &theirs_log)?;
    let profile = merge_case_profiles(
        Some(&shared_profile),
        &Version {
            value: ours_profile,
            edited_by: Some(leader),
            edited_at: leader_at,
        },
        &Version {
            value: theirs_profile,
            edited_by: Some(worker),
            edited_at: worker_at,
        },
        now,
    )?;

    let kept = merged.ledger.records.iter();
    let revoked = kept.clone().filter(|r| r.revoked.is_some()).count();
    let refusals = kept.filter(|r| r.kind == RecordKind::Refusal).count();
    say!(
        out,
        "case-01, edited on two phones: the merged ledger holds {} records ({} before), {} revoked and {} refusals; {} conflicts in it",
        merged.ledger.records.len(),
        shared.records().len(),
        revoked,
        refusals,
        merged.conflicts.len()
    );
    say!(
        out,
        "  audit log: {} entries from both phones, {} when checked",
        log.entries().len(),
        if log.verify().is_ok() {
            "intact"
        } else {
            "broken"
        }
    );
    let (words, en) = (Labels::english(), LanguageCode::new("en")?);
    say!(
        out,
        "  case profile: {} flagged",
        crate::count(
            u64::try_from(profile.conflicts.len())?,
            "conflict",
            "conflicts"
        )
    );
    for c in &profile.conflicts {
        say!(out, "    {}", render_conflict(c, &words, &en));
    }
    Ok(())
}
