//! English texts for this crate's label keys. Other languages are supplied as
//! [`beside_core::LabelTable`]s with the same keys.

use crate::record::{DataCategory, Purpose, RecipientKind};
use std::collections::BTreeMap;

/// The English label entries of this crate, with `{param}` templates.
pub fn english_labels() -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: &str| {
        m.insert(k.to_owned(), v.to_owned());
    };
    for p in Purpose::ALL {
        put(
            &p.label_key(),
            match p {
                Purpose::ServiceReferral => "referral to a service",
                Purpose::InformationSharing => "sharing information with a provider",
                Purpose::CaseCoordination => "coordinating your case",
                Purpose::LawEnforcementReporting => "reporting to the police or prosecutors",
                Purpose::ResearchDeidentified => "research without your name",
                Purpose::Statistics => "statistics",
                Purpose::MediaStorytelling => "media or telling your story",
                Purpose::SurvivorGroupFollowUp => "follow-up by a survivor group",
            },
        );
    }
    for c in DataCategory::ALL {
        put(
            &c.label_key(),
            match c {
                DataCategory::Identity => "who you are",
                DataCategory::Contact => "how to reach you",
                DataCategory::Location => "where you live",
                DataCategory::TraffickingHistory => "what happened to you",
                DataCategory::Health => "your health",
                DataCategory::MentalHealth => "your mental health",
                DataCategory::Legal => "legal matters",
                DataCategory::Photos => "photos",
            },
        );
    }
    for k in RecipientKind::ALL {
        put(
            &crate::record::kind_label_key(k),
            match k {
                RecipientKind::Government => "government offices",
                RecipientKind::Police => "the police",
                RecipientKind::Court => "courts",
                RecipientKind::Ngo => "NGOs",
                RecipientKind::InternationalOrganization => "international organisations",
                RecipientKind::SurvivorLed => "survivor groups",
                RecipientKind::Community => "community groups",
                RecipientKind::Religious => "religious groups",
                RecipientKind::Employer => "employers",
                RecipientKind::FamilyInformal => "family and informal helpers",
                RecipientKind::Health => "health services",
                RecipientKind::EmergencyServices => "emergency services",
                RecipientKind::Research => "researchers",
            },
        );
    }
    put("consent.recipient.any", "anyone");
    put("consent.given_by.person", "You");
    put("consent.given_by.guardian", "Your guardian");
    put(
        "consent.given_by.legal_representative",
        "your legal representative",
    );
    put(
        "consent.given_by.best_interest",
        "A case worker, in your best interest,",
    );
    put("consent.summary.no_end", "you withdraw it");
    put("consent.summary.unknown_date", "an unknown date");
    put(
        "consent.summary.consent",
        "{given_by} agreed that {recipients} may receive {categories} for {purposes}, until {until}. [{record}]",
    );
    put(
        "consent.summary.refusal",
        "You said {recipients} must never receive {categories} for {purposes}. [{record}]",
    );
    put(
        "consent.summary.revoked",
        "You withdrew your agreement that {recipients} may receive {categories} for {purposes}, on {on}. [{record}]",
    );
    put(
        "consent.summary.expired",
        "Your agreement that {recipients} may receive {categories} for {purposes} ended on {on}. [{record}]",
    );
    put(
        "consent.summary.reconsent_due",
        "Someone agreed for you, while you were a child, that {recipients} may receive {categories} for {purposes}. You are now an adult: this no longer counts unless you agree yourself. [{record}]",
    );
    put(
        "consent.summary.guardian_for_adult",
        "Your guardian agreed for you, when you were already an adult, that {recipients} may receive {categories} for {purposes}. This does not count: only you, or a legal representative, can agree for an adult. [{record}]",
    );
    put(
        "consent.summary.nothing",
        "You have not agreed to share anything.",
    );
    put(
        "consent.outcome.permit",
        "{recipient} may receive everything asked for {purpose}.",
    );
    put(
        "consent.outcome.partial_permit",
        "{recipient} may receive only part of what was asked for {purpose}.",
    );
    put(
        "consent.outcome.deny",
        "{recipient} may not receive what was asked for {purpose}.",
    );
    put(
        "consent.permit.consent",
        "{category}: may go, by consent {records}.",
    );
    put(
        "consent.permit.emergency",
        "{category}: may go to emergency services under emergency {disclosure}.",
    );
    put(
        "consent.reason.none_given",
        "{category}: no consent has been given.",
    );
    put(
        "consent.reason.out_of_scope",
        "{category}: no consent covers this recipient and {purpose}.",
    );
    put(
        "consent.reason.not_yet_granted",
        "{category}: consent {record} was only given on {on}.",
    );
    put(
        "consent.reason.expired",
        "{category}: consent {record} expired on {on}.",
    );
    put(
        "consent.reason.revoked",
        "{category}: consent {record} was withdrawn on {on}.",
    );
    put(
        "consent.reason.explicit_refusal",
        "{category}: refused by {record}; a refusal always wins.",
    );
    put(
        "consent.reason.guardian_consent_missing",
        "{category}: the person is a child (age {age}); consent {record} needs a guardian's consent.",
    );
    put(
        "consent.reason.guardian_implicated",
        "{category}: consent {record} was given by guardian {guardian}, who is implicated in the harm; only a best-interest determination can stand in.",
    );
    put(
        "consent.reason.best_interest_not_authorised",
        "{category}: the best-interest determination in {record} was made by {worker}, who is not authorised.",
    );
    put(
        "consent.reason.assent_missing",
        "{category}: the child (age {age}) must also assent from age {assent_from_age}; consent {record} has no assent.",
    );
    put(
        "consent.reason.re_consent_due_at_majority",
        "{category}: consent {record} was given for the person as a child; they came of age on {on} and must consent themselves.",
    );
    put(
        "consent.reason.guardian_for_adult",
        "{category}: consent {record} was given by a guardian on behalf of an adult (of age since {on}); only a legal representative can consent for an adult.",
    );
    put(
        "consent.reason.not_emergency_services",
        "{category}: the emergency exception allows disclosure to emergency services only, not to {kind}.",
    );
    put(
        "consent.reason.emergency_lapsed",
        "{category}: emergency {disclosure} declared on {on} permits disclosure for {hours} hours only.",
    );
    put(
        "consent.audit.wrong_position",
        "entry {index} is out of place: it claims position {claimed}",
    );
    put(
        "consent.audit.broken_link",
        "entry {index} does not follow the entry before it: it points to {found}, that entry's hash is {expected}",
    );
    put(
        "consent.audit.altered",
        "entry {index} was altered: its hash is {found}, recomputed {computed}",
    );
    put(
        "consent.audit.unhashable",
        "entry {index} could not be read for hashing",
    );
    put(
        "consent.audit.truncated.one",
        "the log holds only {count} entry; its checkpoint recorded {expected_len}: entries were removed from the end",
    );
    put(
        "consent.audit.truncated.other",
        "the log holds only {count} entries; its checkpoint recorded {expected_len}: entries were removed from the end",
    );
    put(
        "consent.audit.head_mismatch",
        "entry {index} is not the one the checkpoint recorded: its hash should be {expected}",
    );
    m
}
