# Consent: read-back summary, decisions, reasons, audit log — English, the complete reference locale and every other locale's fallback.
#
# Ids are the label keys of Beside with `.` written `-` (`consent.summary.consent` is
# `consent-summary-consent`); reason codes in data keep their dotted keys. Placeables are
# `{ $name }`; counted texts select on the plural category of `$count` (CLDR rules, through
# Fluent). `cargo run -p xtask -- locales --check` compares every other locale with this file.

consent-audit-altered = entry { $index } was altered: its hash is { $found }, recomputed { $computed }
consent-audit-broken_link = entry { $index } does not follow the entry before it: it points to { $found }, that entry's hash is { $expected }
consent-audit-head_mismatch = entry { $index } is not the one the checkpoint recorded: its hash should be { $expected }
consent-audit-truncated =
    { $count ->
        [one] the log holds only { $count } entry; its checkpoint recorded { $expected_len }: entries were removed from the end
       *[other] the log holds only { $count } entries; its checkpoint recorded { $expected_len }: entries were removed from the end
    }
consent-audit-unhashable = entry { $index } could not be read for hashing
consent-audit-wrong_position = entry { $index } is out of place: it claims position { $claimed }
consent-category-contact = how to reach you
consent-category-health = your health
consent-category-identity = who you are
consent-category-legal = legal matters
consent-category-location = where you live
consent-category-mental_health = your mental health
consent-category-photos = photos
consent-category-trafficking_history = what happened to you
consent-given_by-best_interest = A case worker, in your best interest,
consent-given_by-guardian = Your guardian
consent-given_by-legal_representative = your legal representative
consent-given_by-person = You
consent-outcome-deny = { $recipient } may not receive what was asked for { $purpose }.
consent-outcome-partial_permit = { $recipient } may receive only part of what was asked for { $purpose }.
consent-outcome-permit = { $recipient } may receive everything asked for { $purpose }.
consent-permit-consent = { $category }: may go, by consent { $records }.
consent-permit-emergency = { $category }: may go to emergency services under emergency { $disclosure }.
consent-purpose-case_coordination = coordinating your case
consent-purpose-information_sharing = sharing information with a provider
consent-purpose-law_enforcement_reporting = reporting to the police or prosecutors
consent-purpose-media_storytelling = media or telling your story
consent-purpose-research_deidentified = research without your name
consent-purpose-service_referral = referral to a service
consent-purpose-statistics = statistics
consent-purpose-survivor_group_follow_up = follow-up by a survivor group
consent-reason-assent_missing = { $category }: the child (age { $age }) must also assent from age { $assent_from_age }; consent { $record } has no assent.
consent-reason-best_interest_not_authorised = { $category }: the best-interest determination in { $record } was made by { $worker }, who is not authorised.
consent-reason-emergency_lapsed = { $category }: emergency { $disclosure } declared on { $on } permits disclosure for { $hours } hours only.
consent-reason-expired = { $category }: consent { $record } expired on { $on }.
consent-reason-explicit_refusal = { $category }: refused by { $record }; a refusal always wins.
consent-reason-guardian_consent_missing = { $category }: the person is a child (age { $age }); consent { $record } needs a guardian's consent.
consent-reason-guardian_for_adult = { $category }: consent { $record } was given by a guardian on behalf of an adult (of age since { $on }); only a legal representative can consent for an adult.
consent-reason-guardian_implicated = { $category }: consent { $record } was given by guardian { $guardian }, who is implicated in the harm; only a best-interest determination can stand in.
consent-reason-none_given = { $category }: no consent has been given.
consent-reason-not_emergency_services = { $category }: the emergency exception allows disclosure to emergency services only, not to { $kind }.
consent-reason-not_yet_granted = { $category }: consent { $record } was only given on { $on }.
consent-reason-out_of_scope = { $category }: no consent covers this recipient and { $purpose }.
consent-reason-re_consent_due_at_majority = { $category }: consent { $record } was given for the person as a child; they came of age on { $on } and must consent themselves.
consent-reason-revoked = { $category }: consent { $record } was withdrawn on { $on }.
consent-recipient-any = anyone
consent-recipient_kind-community = community groups
consent-recipient_kind-court = courts
consent-recipient_kind-emergency_services = emergency services
consent-recipient_kind-employer = employers
consent-recipient_kind-family_informal = family and informal helpers
consent-recipient_kind-government = government offices
consent-recipient_kind-health = health services
consent-recipient_kind-international_organization = international organisations
consent-recipient_kind-ngo = NGOs
consent-recipient_kind-police = the police
consent-recipient_kind-religious = religious groups
consent-recipient_kind-research = researchers
consent-recipient_kind-survivor_led = survivor groups
consent-summary-consent = { $given_by } agreed that { $recipients } may receive { $categories } for { $purposes }, until { $until }. [{ $record }]
consent-summary-expired = Your agreement that { $recipients } may receive { $categories } for { $purposes } ended on { $on }. [{ $record }]
consent-summary-guardian_for_adult = Your guardian agreed for you, when you were already an adult, that { $recipients } may receive { $categories } for { $purposes }. This does not count: only you, or a legal representative, can agree for an adult. [{ $record }]
consent-summary-no_end = you withdraw it
consent-summary-nothing = You have not agreed to share anything.
consent-summary-reconsent_due = Someone agreed for you, while you were a child, that { $recipients } may receive { $categories } for { $purposes }. You are now an adult: this no longer counts unless you agree yourself. [{ $record }]
consent-summary-refusal = You said { $recipients } must never receive { $categories } for { $purposes }. [{ $record }]
consent-summary-revoked = You withdrew your agreement that { $recipients } may receive { $categories } for { $purposes }, on { $on }. [{ $record }]
consent-summary-unknown_date = an unknown date
consent-reason-unknown_age = unknown
