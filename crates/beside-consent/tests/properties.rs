//! Property tests for the invariants of the consent rules.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use beside_consent::*;
use proptest::prelude::*;
use support::*;

fn permitted(d: &Decision) -> Vec<DataCategory> {
    d.permitted_categories()
}

fn subset(a: &[DataCategory], b: &[DataCategory]) -> bool {
    a.iter().all(|c| b.contains(c))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No decision permits a category that no active, in-scope, unexpired, unrevoked consent
    /// covers; every record named as relied on is such a consent.
    #[test]
    fn permits_rest_on_consents_in_force((s, records, q) in arb_world()) {
        let l = ledger(&s, &records);
        let d = l.evaluate(&q);
        for p in &d.permitted {
            let PermitBasis::Consent { records: ids } = &p.basis else {
                panic!("plain evaluation never uses the emergency basis")
            };
            prop_assert!(!ids.is_empty());
            for id in ids {
                let r = l.record(id).unwrap();
                prop_assert_eq!(r.kind, RecordKind::Consent);
                prop_assert!(r.in_force_at(q.at), "{} not in force", id);
                prop_assert!(r.covers_purpose(q.purpose));
                prop_assert!(r.covers_recipient(&q.recipient));
                prop_assert!(r.covers_category(p.category));
            }
        }
        // And every category asked for is answered exactly once.
        let mut answered: Vec<DataCategory> = permitted(&d);
        answered.extend(d.denied.iter().map(|x| x.category));
        answered.sort();
        let mut asked = q.categories.clone();
        asked.sort();
        asked.dedup();
        prop_assert_eq!(answered, asked);
        prop_assert!(d.denied.iter().all(|x| !x.reasons.is_empty()));
    }

    /// A refusal in force that covers the purpose, recipient and category always wins.
    #[test]
    fn refusal_always_wins((s, records, q) in arb_world()) {
        let l = ledger(&s, &records);
        let d = l.evaluate(&q);
        for r in &records {
            if r.kind == RecordKind::Refusal && r.in_force_at(q.at)
                && r.covers_purpose(q.purpose) && r.covers_recipient(&q.recipient)
            {
                for c in &q.categories {
                    if r.covers_category(*c) {
                        prop_assert!(!d.permits(*c));
                        let named = d.reasons_for(*c).iter().any(|x| matches!(
                            x, DenyReason::ExplicitRefusal { record } if *record == r.id));
                        prop_assert!(named);
                    }
                }
            }
        }
    }

    /// Adding a refusal never widens an answer.
    #[test]
    fn adding_a_refusal_never_widens(
        (s, records, q) in arb_world(),
        extra in arb_raw(),
    ) {
        let before = ledger(&s, &records).evaluate(&q);
        let mut more = records.clone();
        let mut r = build(&s, &[extra]).pop().unwrap();
        r.id = cid("zz-refusal");
        r.kind = RecordKind::Refusal;
        if matches!(r.given_by, GivenBy::BestInterest { .. }) {
            r.given_by = GivenBy::Person;
        }
        more.push(r);
        let after = ledger(&s, &more).evaluate(&q);
        prop_assert!(subset(&permitted(&after), &permitted(&before)));
    }

    /// Revoking a consent never widens an answer, whenever the revocation is dated.
    #[test]
    fn revoking_never_widens(
        (s, records, q) in arb_world(),
        which in any::<prop::sample::Index>(),
        after_grant in 0i64..2000,
    ) {
        let consents: Vec<_> = records.iter()
            .filter(|r| r.kind == RecordKind::Consent && r.revoked.is_none())
            .collect();
        prop_assume!(!consents.is_empty());
        let target = which.get(&consents).id.clone();
        let mut l = ledger(&s, &records);
        let before = l.evaluate(&q);
        let granted = l.record(&target).unwrap().granted_at;
        let at = granted + chrono::Duration::days(after_grant);
        prop_assume!(at <= now());
        l.revoke(&target, at, "changed my mind", now()).unwrap();
        let after = l.evaluate(&q);
        prop_assert!(subset(&permitted(&after), &permitted(&before)));
        if at <= q.at {
            for p in &after.permitted {
                if let PermitBasis::Consent { records } = &p.basis {
                    prop_assert!(!records.contains(&target));
                }
            }
        }
    }

    /// The answer does not depend on the order of the records.
    #[test]
    fn order_does_not_matter(
        (s, records, q) in arb_world(),
        seed in any::<u64>(),
    ) {
        let a = ledger(&s, &records).evaluate(&q);
        let mut shuffled = records.clone();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let b = ledger(&s, &shuffled).evaluate(&q);
        prop_assert_eq!(a, b);
    }

    /// On and after the 18th birthday (from local midnight on the person's calendar), no
    /// consent given on the person's behalf counts, and such a covering consent says
    /// re-consent is due, or, for a guardian's consent given once she was an adult, that a
    /// guardian cannot consent for an adult.
    #[test]
    fn guardian_consents_stop_at_eighteen(
        (s, records, q) in arb_world(),
        days_after in 0i64..400,
    ) {
        let Some(birth) = s.birth else { return Ok(()) };
        let eighteenth = birth.birthday(18).unwrap();
        // Local midnight at the start of the 18th birthday, on the subject's calendar.
        let zone = s.calendar();
        let midnight = zone.start_of_day(eighteenth).unwrap();
        let at = midnight + chrono::Duration::days(days_after);
        prop_assert_eq!(birth.age_at(midnight, zone), Some(18));
        prop_assert_eq!(birth.age_at(midnight - chrono::Duration::seconds(1), zone), Some(17));
        let q = Question { at, ..q };
        let l = ledger(&s, &records);
        let d = l.evaluate(&q);
        for p in &d.permitted {
            if let PermitBasis::Consent { records } = &p.basis {
                for id in records {
                    let r = l.record(id).unwrap();
                    let on_behalf = match r.given_by {
                        GivenBy::Person => false,
                        GivenBy::LegalRepresentative { .. } =>
                            zone.local_date(r.granted_at) < eighteenth,
                        _ => true,
                    };
                    prop_assert!(!on_behalf, "{} given on behalf still counts", id);
                }
            }
        }
        for r in l.records() {
            let covering = r.kind == RecordKind::Consent && r.in_force_at(at)
                && r.covers_purpose(q.purpose) && r.covers_recipient(&q.recipient)
                && matches!(r.given_by, GivenBy::Guardian { .. } | GivenBy::BestInterest { .. });
            for c in &q.categories {
                if covering && r.covers_category(*c) && !d.permits(*c)
                    && !d.reasons_for(*c).iter().any(|x| x.code() == "explicit_refusal")
                {
                    // A guardian's consent given once she was an adult never counted: it is
                    // refused as such; any other given on her behalf is due for re-consent.
                    let for_adult = matches!(r.given_by, GivenBy::Guardian { .. })
                        && zone.local_date(r.granted_at) >= eighteenth;
                    let named = d.reasons_for(*c).iter().any(|x| match x {
                        DenyReason::ReConsentDueAtMajority { record, .. } => {
                            *record == r.id && !for_adult
                        }
                        DenyReason::GuardianForAdult { record, adult_since } => {
                            *record == r.id && for_adult && *adult_since == eighteenth
                        }
                        _ => false,
                    });
                    prop_assert!(named, "{} for adult: {}", r.id, for_adult);
                }
            }
        }
    }

    /// Below the age of majority on her calendar (or of unknown age), a category goes only on a
    /// consent from a guardian of the case not implicated in the harm, a legal representative
    /// or an authorised best-interest determination, with the child's own assent by then from
    /// the assent age.
    #[test]
    fn a_child_consents_only_through_those_who_can((s, records, q) in arb_world()) {
        let p = policy();
        let age = s.birth.and_then(|b| b.age_at(q.at, s.calendar()));
        if age.is_some_and(|a| a >= p.age_of_majority) {
            return Ok(());
        }
        let l = ledger(&s, &records);
        let d = l.evaluate(&q);
        for permitted in &d.permitted {
            let PermitBasis::Consent { records: ids } = &permitted.basis else {
                panic!("plain evaluation never uses the emergency basis")
            };
            for id in ids {
                let r = l.record(id).unwrap();
                let can_consent = match &r.given_by {
                    GivenBy::Person => false,
                    GivenBy::Guardian { person_id } => s
                        .guardians
                        .iter()
                        .any(|g| g.person_id == *person_id && !g.implicated_in_harm),
                    GivenBy::LegalRepresentative { .. } => true,
                    GivenBy::BestInterest { determination } => {
                        p.authorised_workers.contains(&determination.worker_id)
                    }
                };
                prop_assert!(can_consent, "{} given by {:?} counts for a child", id, r.given_by);
                if age.is_none_or(|a| a >= p.assent_from_age) {
                    prop_assert!(
                        r.assent.as_ref().is_some_and(|a| a.given_at <= q.at),
                        "{} counts without the child's assent", id
                    );
                }
            }
        }
    }

    /// Emergencies reach emergency services only, and (by default) never past a refusal.
    #[test]
    fn emergencies_reach_emergency_services_only((s, records, q) in arb_world()) {
        let l = ledger(&s, &records);
        let e = EmergencyDisclosure {
            id: beside_core::EventId::new("em-1").unwrap(),
            case_id: case_id(),
            declared_by: worker("w-auth"),
            declared_at: q.at - chrono::Duration::hours(1),
            justification: "unconscious after an assault; the ambulance needs her history".into(),
        };
        let plain = l.evaluate(&q);
        let d = l.evaluate_emergency(&e, &q, now()).unwrap();
        prop_assert!(subset(&permitted(&plain), &permitted(&d)));
        for p in &d.permitted {
            if let PermitBasis::Emergency { overrides, .. } = &p.basis {
                prop_assert_eq!(q.recipient.kind, RecipientKind::EmergencyServices);
                prop_assert!(overrides.is_empty());
                prop_assert!(!plain.reasons_for(p.category).iter()
                    .any(|x| x.code() == "explicit_refusal"));
            }
        }
    }
}

/// The category a field of the minimisation map below belongs to: that of the longest mapped
/// path leading to it.
fn mapped_category(map: &FieldMap, key_path: &str) -> Option<DataCategory> {
    map.rules
        .iter()
        .filter(|r| key_path == r.path || key_path.starts_with(&format!("{}.", r.path)))
        .max_by_key(|r| r.path.len())
        .map(|r| r.category)
}

/// Every leaf of `value` with its key path (arrays are transparent).
fn leaves(value: &serde_json::Value, key_path: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(fields) => {
            for (k, v) in fields {
                let child = if key_path.is_empty() {
                    k.clone()
                } else {
                    format!("{key_path}.{k}")
                };
                leaves(v, &child, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| leaves(v, key_path, out)),
        _ => out.push(key_path.to_owned()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Minimisation: every field a recipient sees belongs to a permitted category, and every
    /// field of a permitted category is seen.
    #[test]
    fn minimised_views_keep_exactly_the_permitted_fields(
        permitted in proptest::sample::subsequence(DataCategory::ALL.to_vec(), 0..=8),
    ) {
        let rule = |path: &str, category| FieldRule { path: path.into(), category };
        let map = FieldMap {
            rules: vec![
                rule("name", DataCategory::Identity),
                rule("phone", DataCategory::Contact),
                rule("address", DataCategory::Location),
                rule("history", DataCategory::TraffickingHistory),
                rule("history.injuries", DataCategory::Health),
                rule("history.injuries.photos", DataCategory::Photos),
                rule("counselling", DataCategory::MentalHealth),
                rule("household.members.age", DataCategory::Identity),
                rule("court", DataCategory::Legal),
            ],
        };
        let record = serde_json::json!({
            "name": "A", "phone": "017", "secret": "unmapped",
            "address": {"district": "Jessore", "village": "Benapole"},
            "history": {"route": "Jessore to Kolkata",
                        "injuries": {"arm": "broken", "photos": ["x.jpg"]}},
            "counselling": [{"date": "2024-01-02", "notes": "sleeps badly"}],
            "household": {"members": [{"age": 40, "job": "farmer"}, {"age": 12}]},
            "court": {"case_no": "J-12"}
        });
        let view = minimise_to(&record, &map, &permitted).unwrap().view;
        let mut seen = Vec::new();
        leaves(&view, "", &mut seen);
        for path in &seen {
            let category = mapped_category(&map, path);
            prop_assert!(
                category.is_some_and(|c| permitted.contains(&c)),
                "{} ({:?}) seen with {:?} permitted", path, category, permitted
            );
        }
        let mut all = Vec::new();
        leaves(&record, "", &mut all);
        for path in &all {
            if mapped_category(&map, path).is_some_and(|c| permitted.contains(&c)) {
                prop_assert!(seen.contains(path), "{} not seen with {:?} permitted", path, permitted);
            }
        }
    }
}

fn arb_event() -> impl Strategy<Value = AuditEvent> {
    (0u32..1000, 0i64..100).prop_map(|(n, d)| AuditEvent::RecordRevoked {
        id: cid(&format!("c-{n}")),
        revocation: Revocation {
            at: t(d),
            reason: format!("reason {n}"),
        },
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `verify` catches every single-entry mutation: an altered field, an insertion, a
    /// deletion (of the last entry too, against a checkpoint), a swap of neighbours.
    #[test]
    fn verify_catches_every_single_entry_mutation(
        events in proptest::collection::vec(arb_event(), 1..12),
        which in any::<prop::sample::Index>(),
        mutation in 0u8..9,
        forged in arb_event(),
    ) {
        let mut log = AuditLog::new();
        for (i, e) in events.iter().enumerate() {
            log.append(t(i as i64), Some(worker("w-1")), e.clone()).unwrap();
        }
        let cp = log.checkpoint();
        prop_assert!(verify(log.entries(), Some(&cp)).is_ok());
        let mut e = log.entries().to_vec();
        let i = which.index(e.len());
        match mutation {
            0 => { prop_assume!(e[i].event != forged); e[i].event = forged; }
            1 => e[i].at += chrono::Duration::seconds(1),
            2 => e[i].actor = None,
            3 => e[i].seq += 1,
            4 => e[i].prev_hash = "f".repeat(64),
            5 => e[i].hash = "0".repeat(64),
            6 => { e.remove(i); }
            7 => { let copy = e[i].clone(); e.insert(i, copy); }
            _ => { prop_assume!(e.len() > 1); let j = if i + 1 < e.len() { i + 1 } else { i - 1 }; e.swap(i, j); }
        }
        let result = verify(&e, Some(&cp));
        prop_assert!(result.is_err(), "mutation {} at {} not caught", mutation, i);
        if mutation <= 5 {
            prop_assert_eq!(result.unwrap_err().index, i as u64);
        }
    }
}

/// The generated worlds are not vacuous: every outcome and the main reasons occur.
#[test]
fn generated_worlds_reach_every_outcome() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..2000 {
        let (s, records, q) = arb_world().new_tree(&mut runner).unwrap().current();
        let d = ledger(&s, &records).evaluate(&q);
        seen.insert(d.outcome.key().to_owned());
        for x in &d.denied {
            for r in &x.reasons {
                seen.insert(r.code().to_owned());
            }
        }
    }
    for want in [
        "permit",
        "partial_permit",
        "deny",
        "explicit_refusal",
        "expired",
        "revoked",
        "out_of_scope",
        "none_given",
        "assent_missing",
        "guardian_implicated",
        "re_consent_due_at_majority",
        "best_interest_not_authorised",
    ] {
        assert!(seen.contains(want), "never saw {want}: {seen:?}");
    }
}
