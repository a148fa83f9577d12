//! The consent read-back and reasons in the draft Bengali and Khmer packs: every sentence the
//! summary and a decision can produce has words in each pack, numbers and days are written in
//! the locale's digits, and the packs agree with English (no extra key, no unknown placeable).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use beside_consent::labels::{labels, DRAFT_PACKS, ENGLISH};
use beside_consent::*;
use beside_core::labels::compare_locale;
use beside_core::{Birth, LanguageCode};
use support::*;

fn adult() -> Option<Birth> {
    Some(Birth::DateOfBirth {
        date: date(1990, 1, 1),
    })
}

fn is_ascii_digit_free(s: &str) -> bool {
    !s.chars().any(|c| c.is_ascii_digit())
}

#[test]
fn the_read_back_in_bengali_and_khmer() {
    let mut c = consent(
        "c-1",
        &[Purpose::ServiceReferral],
        vec![RecipientScope::Kind {
            kind: RecipientKind::Ngo,
        }],
        &[DataCategory::Contact, DataCategory::Health],
        0,
    );
    c.expires_at = Some(t(323));
    let r = refusal(
        "r-1",
        &[Purpose::LawEnforcementReporting],
        vec![RecipientScope::Kind {
            kind: RecipientKind::Police,
        }],
        &[DataCategory::Identity],
        0,
    );
    let l = ledger(&subject(adult(), vec![]), &[c, r]);
    let labels = labels();
    let summary = l.summary(t(10));
    let bn: Vec<String> = summary
        .iter()
        .map(|p| p.render(&labels, &LanguageCode::BENGALI))
        .collect();
    assert_eq!(
        bn[0],
        "আপনি সম্মতি দিয়েছেন যে এনজিও পেতে পারবে: আপনার সাথে যোগাযোগের উপায়, আপনার স্বাস্থ্য। \
         উদ্দেশ্য: একটি সেবায় রেফারেল। ১৯ নভেম্বর ২০২০ পর্যন্ত। [c-1]"
    );
    assert!(bn[1].starts_with("আপনি বলেছেন, পুলিশ"), "{}", bn[1]);
    let km: Vec<String> = summary
        .iter()
        .map(|p| p.render(&labels, &LanguageCode::KHMER))
        .collect();
    assert!(km[0].contains("រហូតដល់ ១៩ វិច្ឆិកា ២០២០"), "{}", km[0]);
    // The record ids stay as they are (they are looked up, not read).
    assert!(km[0].ends_with("[c-1]") && bn[1].ends_with("[r-1]"));
    // English is unchanged: ISO days, ASCII digits.
    assert!(summary[0].english().contains("until 2020-11-19. [c-1]"));
}

#[test]
fn every_reason_has_words_in_each_draft_pack() {
    let labels = labels();
    let english = [ENGLISH];
    for (language, pack) in DRAFT_PACKS {
        let report = compare_locale(&english, &[pack]).unwrap();
        assert!(report.is_sound(), "{language:?}: {report:?}");
        // Only the audit log's words are left to English.
        assert!(
            report
                .missing
                .iter()
                .all(|k| k.starts_with("consent.audit.")),
            "{language:?}: {:?}",
            report.missing
        );
        assert!(pack.contains("DRAFT"));
    }
    // A child's missing assent: the ages in the locale's digits, the record id as it is.
    let mut c = consent(
        "c-1",
        &Purpose::ALL,
        vec![RecipientScope::Any],
        &[DataCategory::Contact],
        0,
    );
    c.given_by = GivenBy::Guardian {
        person_id: person("g-0"),
    };
    let born_2006 = Some(Birth::DateOfBirth {
        date: date(2006, 6, 1),
    });
    let l = ledger(&subject(born_2006, vec![guardian("g-0", false)]), &[c]);
    let q = question(
        recipient("org-ngo", RecipientKind::Ngo),
        Purpose::ServiceReferral,
        &[DataCategory::Contact],
        10,
    );
    let phrases = explain(&l.evaluate(&q));
    let bn: Vec<String> = phrases
        .iter()
        .map(|p| p.render(&labels, &LanguageCode::BENGALI))
        .collect();
    assert_eq!(
        bn[1],
        "আপনার সাথে যোগাযোগের উপায়: শিশুটিকে (বয়স ১৩) ১২ বছর বয়স থেকে নিজেও সম্মতি দিতে হবে; \
         সম্মতি c-1-এ শিশুর সম্মতি নেই।"
    );
    for language in [LanguageCode::BENGALI, LanguageCode::KHMER] {
        for p in &phrases {
            let text = p.render(&labels, &language);
            assert!(!text.contains('{'), "{text}");
            assert!(is_ascii_digit_free(&text.replace("c-1", "")), "{text}");
        }
    }
}
