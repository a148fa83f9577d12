//! Walkthrough step: consent computed per purpose, recipient and category — a permit, a partial
//! permit, a refusal winning, a child who must assent, and a revocation reaching an open
//! referral, each recorded in a hash-chained audit log.

use beside::consent::{
    explain, minimise, ActionRef, AuditEvent, AuditLog, DataCategory, Decision, DependentAction,
    FieldMap, FieldRule, Phrase, Purpose, Question, Recipient, RecipientKind,
};
use beside::core::{ConsentId, LanguageCode, OrganizationId, ReferralId, Timestamp, WorkerId};
use beside::samples::consent as sample;

fn at(text: &str) -> Result<Timestamp, Box<dyn std::error::Error>> {
    Ok(text.parse()?)
}

fn ask(
    org: &str,
    kind: RecipientKind,
    purpose: Purpose,
    categories: &[DataCategory],
    when: &str,
) -> Result<Question, Box<dyn std::error::Error>> {
    Ok(Question {
        recipient: Recipient {
            organization_id: OrganizationId::new(org)?,
            kind,
        },
        purpose,
        categories: categories.to_vec(),
        at: at(when)?,
    })
}

fn show(out: &mut String, title: &str, d: &Decision) {
    say!(out, "\n  {title}");
    for line in explain(d) {
        say!(out, "    {}", line.english());
    }
}

pub fn run(out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    use DataCategory::*;
    let when = crate::WHEN;
    let worker = WorkerId::new("worker-bd-jsr-01")?;
    let mut audit = AuditLog::new();

    // case-01: an adult woman in Jashore.
    let case01 = sample::ledger("case-01")?;
    say!(out, "case-01, read back to her:");
    let summary = case01.summary(at(when)?);
    for line in &summary {
        say!(out, "  - {}", line.english());
    }
    // The same read-back in her language: Bengali words (a draft pack, for review by native
    // speakers), days and numbers in Bengali digits.
    let words = beside::consent::labels::labels();
    say!(out, "  and in Bengali, as she hears it (draft words):");
    for line in &summary {
        say!(out, "  - {}", line.render(&words, &LanguageCode::BENGALI));
    }

    let d = case01.evaluate(&ask(
        "org-bd-jsr-ngo-01",
        RecipientKind::Ngo,
        Purpose::ServiceReferral,
        &[Identity, Contact],
        when,
    )?);
    show(
        out,
        "1. A shelter asks for who she is and how to reach her:",
        &d,
    );
    audit.append(
        at(when)?,
        Some(worker.clone()),
        AuditEvent::Decided { decision: d },
    )?;

    let d = case01.evaluate(&ask(
        "org-bd-jsr-ngo-01",
        RecipientKind::Ngo,
        Purpose::ServiceReferral,
        &[Identity, Contact, TraffickingHistory],
        when,
    )?);
    show(out, "2. The shelter also asks what happened to her:", &d);
    // What the shelter may see of her file: only the permitted categories, nothing invented.
    let record = serde_json::json!({
        "name": "(synthetic) R.", "phone": "+880 1700 000000",
        "village": "Jhikargacha", "history": {"route": "Benapole to Kolkata", "broker": "B."},
        "notes": "unmapped field"
    });
    let map = FieldMap {
        rules: vec![
            FieldRule {
                path: "name".into(),
                category: Identity,
            },
            FieldRule {
                path: "phone".into(),
                category: Contact,
            },
            FieldRule {
                path: "village".into(),
                category: Location,
            },
            FieldRule {
                path: "history".into(),
                category: TraffickingHistory,
            },
        ],
    };
    let view = minimise(&record, &map, &d)?;
    say!(out, "    the shelter's view: {}", view.view);
    say!(
        out,
        "    removed: {}",
        view.removed
            .iter()
            .map(|r| r.path.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    audit.append(
        at(when)?,
        Some(worker.clone()),
        AuditEvent::Decided { decision: d },
    )?;

    let d = case01.evaluate(&ask(
        "org-bd-jsr-pol-01",
        RecipientKind::Police,
        Purpose::LawEnforcementReporting,
        &[Identity, Contact, TraffickingHistory],
        when,
    )?);
    show(
        out,
        "3. The police anti-trafficking desk asks; she said never to the police:",
        &d,
    );
    audit.append(
        at(when)?,
        Some(worker.clone()),
        AuditEvent::Decided { decision: d },
    )?;

    // case-03: a girl of 14; her mother consented, and for one purpose she did not assent.
    let case03 = sample::ledger("case-03")?;
    let d = case03.evaluate(&ask(
        "org-bd-jsr-ngo-03",
        RecipientKind::Ngo,
        Purpose::ServiceReferral,
        &[Identity, Contact],
        when,
    )?);
    show(
        out,
        "4a. case-03, a girl of 15: a school programme, mother's consent and her assent:",
        &d,
    );
    let d = case03.evaluate(&ask(
        "org-bd-jsr-slg-01",
        RecipientKind::SurvivorLed,
        Purpose::SurvivorGroupFollowUp,
        &[Contact],
        when,
    )?);
    show(
        out,
        "4b. case-03: a survivor group's follow-up, mother's consent only:",
        &d,
    );
    audit.append(
        at(when)?,
        Some(worker.clone()),
        AuditEvent::Decided { decision: d },
    )?;

    // case-04: her guardian is implicated; a best-interest determination stands in.
    let case04 = sample::ledger("case-04")?;
    let d = case04.evaluate(&ask(
        "org-bd-cxb-ngo-01",
        RecipientKind::Ngo,
        Purpose::ServiceReferral,
        &[Contact, Health, Location],
        when,
    )?);
    show(
        out,
        "4c. case-04 (about 17): the uncle who arranged the journey cannot consent:",
        &d,
    );

    // case-09: revocation reaches the open referral that relied on the consent.
    let mut case09 = sample::ledger("case-09")?;
    let consent = ConsentId::new("consent-09-referral")?;
    let revoked_at = at("2026-11-20T11:00:00Z")?;
    let revocation = case09.revoke(
        &consent,
        revoked_at,
        "They no longer want the shelter to hold their details.",
        chrono::Utc::now(),
    )?;
    audit.append(
        revoked_at,
        Some(worker.clone()),
        AuditEvent::RecordRevoked {
            id: consent.clone(),
            revocation,
        },
    )?;
    let referrals = vec![
        DependentAction {
            action: ActionRef::Referral {
                id: ReferralId::new("ref-09-01")?,
            },
            relied_on: vec![consent.clone()],
            open: true,
        },
        DependentAction {
            action: ActionRef::Referral {
                id: ReferralId::new("ref-09-00")?,
            },
            relied_on: vec![consent.clone()],
            open: false,
        },
    ];
    say!(
        out,
        "\n  5. case-09 revokes `{consent}`; to withdraw at once:"
    );
    for w in case09.actions_to_withdraw(&referrals, revoked_at) {
        let action = match &w.action {
            ActionRef::Referral { id } => format!("referral {id}"),
            ActionRef::Event { id } => format!("event {id}"),
        };
        let ids: Vec<&str> = w.because_of.iter().map(|c| c.as_str()).collect();
        say!(out, "    {action} (relied on {})", ids.join(", "));
    }
    let d = case09.evaluate(&ask(
        "org-bd-dhk-ngo-01",
        RecipientKind::Ngo,
        Purpose::ServiceReferral,
        &[Contact],
        "2026-11-20T11:00:00Z",
    )?);
    say!(
        out,
        "    {}",
        explain(&d)
            .iter()
            .map(Phrase::english)
            .collect::<Vec<_>>()
            .join(" ")
    );

    // The audit log: hash-chained; any change is found and named.
    let checkpoint = audit.checkpoint();
    say!(
        out,
        "\n  6. audit log: {} entries, head {}…: {}",
        checkpoint.len,
        checkpoint.head.get(..12).unwrap_or(""),
        match audit.verify() {
            Ok(()) => "the chain is whole".to_owned(),
            Err(broken) => broken.to_string(),
        }
    );
    let mut tampered = audit.entries().to_vec();
    if let Some(e) = tampered.get_mut(2) {
        e.actor = None;
    }
    if let Err(broken) = beside::consent::verify(&tampered, Some(&checkpoint)) {
        say!(out, "    someone erased who took decision 3: {broken}");
    }
    Ok(())
}
