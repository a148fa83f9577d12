//! The consent record: who agreed (or refused) to what, for whom, when, and how.
//!
//! A consent and an explicit refusal ("never to the police") are the same kind of record with a
//! different [`RecordKind`]: both name purposes, recipients and data categories. A record is
//! checked on its own here; the checks that need the case (a child's consent must come from a
//! guardian of that case) live in [`crate::ledger`].

use beside_core::{
    CaseId, ConsentId, LanguageCode, OrganizationId, PersonId, Reason, Timestamp, Validate,
    Validator, WorkerId,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Longest free text accepted (a revocation reason, a justification), in characters.
pub const MAX_TEXT: usize = 2000;

/// Most recipients one record may name.
pub const MAX_RECIPIENTS: usize = 64;

/// Why data may be shared.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Referring the person to a service.
    ServiceReferral,
    /// Sharing information with another provider.
    InformationSharing,
    /// Coordinating the case among providers.
    CaseCoordination,
    /// Reporting to law enforcement.
    LawEnforcementReporting,
    /// Research with de-identified data.
    ResearchDeidentified,
    /// Aggregate statistics.
    Statistics,
    /// Media or storytelling.
    MediaStorytelling,
    /// Follow-up contact by a survivor group.
    SurvivorGroupFollowUp,
}

impl Purpose {
    /// Every purpose, in a stable order.
    pub const ALL: [Purpose; 8] = [
        Purpose::ServiceReferral,
        Purpose::InformationSharing,
        Purpose::CaseCoordination,
        Purpose::LawEnforcementReporting,
        Purpose::ResearchDeidentified,
        Purpose::Statistics,
        Purpose::MediaStorytelling,
        Purpose::SurvivorGroupFollowUp,
    ];

    /// Stable key (as serialised).
    pub fn key(self) -> &'static str {
        match self {
            Purpose::ServiceReferral => "service_referral",
            Purpose::InformationSharing => "information_sharing",
            Purpose::CaseCoordination => "case_coordination",
            Purpose::LawEnforcementReporting => "law_enforcement_reporting",
            Purpose::ResearchDeidentified => "research_deidentified",
            Purpose::Statistics => "statistics",
            Purpose::MediaStorytelling => "media_storytelling",
            Purpose::SurvivorGroupFollowUp => "survivor_group_follow_up",
        }
    }

    /// The label key of this purpose (`consent.purpose.statistics`).
    pub fn label_key(self) -> String {
        format!("consent.purpose.{}", self.key())
    }
}

/// A kind of data about the person.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    /// Name, identity documents, identifying numbers.
    Identity,
    /// Phone numbers and other ways to reach the person.
    Contact,
    /// Where the person lives or can be found.
    Location,
    /// What happened: recruitment, exploitation, the perpetrators.
    TraffickingHistory,
    /// Physical health.
    Health,
    /// Mental health.
    MentalHealth,
    /// Legal matters: cases, statements, status.
    Legal,
    /// Photographs and other images.
    Photos,
}

impl DataCategory {
    /// Every category, in a stable order.
    pub const ALL: [DataCategory; 8] = [
        DataCategory::Identity,
        DataCategory::Contact,
        DataCategory::Location,
        DataCategory::TraffickingHistory,
        DataCategory::Health,
        DataCategory::MentalHealth,
        DataCategory::Legal,
        DataCategory::Photos,
    ];

    /// Stable key (as serialised).
    pub fn key(self) -> &'static str {
        match self {
            DataCategory::Identity => "identity",
            DataCategory::Contact => "contact",
            DataCategory::Location => "location",
            DataCategory::TraffickingHistory => "trafficking_history",
            DataCategory::Health => "health",
            DataCategory::MentalHealth => "mental_health",
            DataCategory::Legal => "legal",
            DataCategory::Photos => "photos",
        }
    }

    /// The label key of this category (`consent.category.health`).
    pub fn label_key(self) -> String {
        format!("consent.category.{}", self.key())
    }
}

/// The kind of organisation a recipient is: the workspace's shared
/// [`beside_core::OrganizationKind`], so directory providers, vetoes and consent recipients
/// speak of the same kinds.
pub use beside_core::OrganizationKind as RecipientKind;

/// The label key of a recipient kind (`consent.recipient_kind.police`).
pub fn kind_label_key(kind: RecipientKind) -> String {
    format!("consent.recipient_kind.{}", kind.key())
}

/// The party a question is about: one organisation, of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// The organisation's id (as in the directory).
    pub organization_id: OrganizationId,
    /// The kind of organisation it is.
    pub kind: RecipientKind,
}

/// Whom a record covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum RecipientScope {
    /// One named organisation.
    Organization {
        /// The organisation's id.
        id: OrganizationId,
    },
    /// Every organisation of a kind.
    Kind {
        /// The kind.
        kind: RecipientKind,
    },
    /// Any recipient at all.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Any,
}

impl RecipientScope {
    /// Whether `recipient` falls within this scope.
    pub fn covers(&self, recipient: &Recipient) -> bool {
        match self {
            RecipientScope::Organization { id } => *id == recipient.organization_id,
            RecipientScope::Kind { kind } => *kind == recipient.kind,
            RecipientScope::Any => true,
        }
    }

    fn key(&self) -> String {
        match self {
            RecipientScope::Organization { id } => format!("organization:{id}"),
            RecipientScope::Kind { kind } => format!("kind:{}", kind.key()),
            RecipientScope::Any => "any".to_owned(),
        }
    }
}

/// Whether the record permits or refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A consent: the covered sharing may happen.
    Consent,
    /// An explicit refusal: the covered sharing must never happen. A refusal overrides any
    /// consent.
    Refusal,
}

/// A documented best-interest determination, standing in for a guardian who cannot consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct BestInterestDetermination {
    /// The case worker who made it; counts only if the policy lists them as authorised.
    pub worker_id: WorkerId,
    /// The day the determination was made.
    pub determined_at: Timestamp,
    /// Where the determination is documented (a file or form reference).
    pub document_ref: String,
    /// Why sharing is in the child's best interest.
    pub rationale: String,
}

/// Who gave the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum GivenBy {
    /// The person themselves.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Person,
    /// A guardian of the person (must be one of the case's guardians).
    Guardian {
        /// The guardian's person id.
        person_id: PersonId,
    },
    /// A legal representative.
    LegalRepresentative {
        /// The representative's person id.
        person_id: PersonId,
    },
    /// A case worker's documented best-interest determination, for a child whose guardians
    /// cannot consent (implicated in the harm, or absent).
    BestInterest {
        /// The determination.
        determination: BestInterestDetermination,
    },
}

impl GivenBy {
    /// Stable key.
    pub fn key(&self) -> &'static str {
        match self {
            GivenBy::Person => "person",
            GivenBy::Guardian { .. } => "guardian",
            GivenBy::LegalRepresentative { .. } => "legal_representative",
            GivenBy::BestInterest { .. } => "best_interest",
        }
    }
}

/// How consent (or assent) was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Signed on paper.
    Written,
    /// Said aloud.
    Verbal,
    /// A thumbprint.
    Thumbprint,
    /// In an app or online form.
    Digital,
}

impl Method {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Method::Written => "written",
            Method::Verbal => "verbal",
            Method::Thumbprint => "thumbprint",
            Method::Digital => "digital",
        }
    }
}

/// A child's own assent, given alongside a guardian's (or stand-in's) consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Assent {
    /// When the child assented.
    pub given_at: Timestamp,
    /// How.
    pub method: Method,
}

/// Someone who witnessed the record being given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "witness", rename_all = "snake_case")]
pub enum Witness {
    /// A staff member or volunteer.
    Worker {
        /// Their id.
        worker_id: WorkerId,
    },
    /// Another person (a relative, a community member).
    Person {
        /// Their id.
        person_id: PersonId,
    },
}

/// The withdrawal of a record. Takes effect at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// When it was revoked.
    pub at: Timestamp,
    /// Why, in the words recorded (may be the person's own).
    pub reason: String,
}

/// A consent or an explicit refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    /// The record's id.
    pub id: ConsentId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// Consent or refusal.
    pub kind: RecordKind,
    /// Who gave it.
    pub given_by: GivenBy,
    /// The child's own assent, when the person is a child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assent: Option<Assent>,
    /// The purposes covered (at least one).
    pub purposes: Vec<Purpose>,
    /// The recipients covered (at least one).
    pub recipients: Vec<RecipientScope>,
    /// The data categories covered (at least one).
    pub categories: Vec<DataCategory>,
    /// When it was given.
    pub granted_at: Timestamp,
    /// When it lapses, if ever (exclusive: at this moment it no longer holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// How it was given.
    pub method: Method,
    /// The language it was explained in.
    pub explained_in: LanguageCode,
    /// Who witnessed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness: Option<Witness>,
    /// Its revocation, if revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Revocation>,
    /// The app's own fields; Beside keeps them and never reads them. Any JSON, bounded only by
    /// the input size limit; every other unknown key is refused.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl ConsentRecord {
    /// Whether the record covers `purpose`.
    pub fn covers_purpose(&self, purpose: Purpose) -> bool {
        self.purposes.contains(&purpose)
    }

    /// Whether the record covers `recipient`.
    pub fn covers_recipient(&self, recipient: &Recipient) -> bool {
        self.recipients.iter().any(|s| s.covers(recipient))
    }

    /// Whether the record covers `category`.
    pub fn covers_category(&self, category: DataCategory) -> bool {
        self.categories.contains(&category)
    }

    /// Whether the record has been given by `at` and has not lapsed or been revoked by `at`.
    pub fn in_force_at(&self, at: Timestamp) -> bool {
        self.granted_at <= at
            && self.expires_at.is_none_or(|e| at < e)
            && self.revoked.as_ref().is_none_or(|r| at < r.at)
    }
}

impl Validate for ConsentRecord {
    /// Checks what needs no case: lists not empty and without repeats, times in order and not in
    /// the future, texts present and not oversize.
    fn validate_with(&self, v: &mut Validator) {
        v.not_future("granted_at", self.granted_at);
        for (name, len) in [
            ("purposes", self.purposes.len()),
            ("recipients", self.recipients.len()),
            ("categories", self.categories.len()),
        ] {
            if len == 0 {
                v.report_at(name, Reason::Empty);
            }
        }
        v.unique("purposes", self.purposes.iter().map(|p| p.key()));
        v.unique("categories", self.categories.iter().map(|c| c.key()));
        v.max_items("recipients", &self.recipients, MAX_RECIPIENTS);
        let keys: Vec<String> = self.recipients.iter().map(RecipientScope::key).collect();
        v.unique("recipients", keys.iter().map(String::as_str));
        if let Some(e) = self.expires_at {
            if e <= self.granted_at {
                v.report_at(
                    "expires_at",
                    Reason::OutOfOrder {
                        value: e.to_rfc3339(),
                        other_field: "granted_at".into(),
                        bound: self.granted_at.to_rfc3339(),
                    },
                );
            }
        }
        if let Some(r) = &self.revoked {
            v.field("revoked", |v| {
                if r.at < self.granted_at {
                    v.report_at(
                        "at",
                        Reason::OutOfOrder {
                            value: r.at.to_rfc3339(),
                            other_field: "granted_at".into(),
                            bound: self.granted_at.to_rfc3339(),
                        },
                    );
                }
                v.not_future("at", r.at);
                v.text("reason", &r.reason, MAX_TEXT);
            });
        }
        if let Some(a) = &self.assent {
            v.field("assent", |v| v.not_future("given_at", a.given_at));
        }
        if let GivenBy::BestInterest { determination: d } = &self.given_by {
            v.field("given_by", |v| {
                v.field("determination", |v| {
                    v.not_future("determined_at", d.determined_at);
                    v.text("document_ref", &d.document_ref, 256);
                    v.text("rationale", &d.rationale, MAX_TEXT);
                })
            });
        }
        if let (GivenBy::BestInterest { .. }, RecordKind::Refusal) = (&self.given_by, self.kind) {
            v.report_at(
                "given_by",
                Reason::Invalid {
                    expected: "a refusal given by the person, a guardian or a legal representative"
                        .into(),
                    value: "best_interest".into(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn t(y: i32, m: u32, d: u32) -> Timestamp {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).single().unwrap()
    }

    pub(crate) fn record() -> ConsentRecord {
        ConsentRecord {
            extra: std::collections::BTreeMap::new(),
            id: ConsentId::new("c-1").unwrap(),
            case_id: CaseId::new("case-01").unwrap(),
            kind: RecordKind::Consent,
            given_by: GivenBy::Person,
            assent: None,
            purposes: vec![Purpose::ServiceReferral],
            recipients: vec![RecipientScope::Kind {
                kind: RecipientKind::Ngo,
            }],
            categories: vec![DataCategory::Contact],
            granted_at: t(2025, 1, 1),
            expires_at: None,
            method: Method::Written,
            explained_in: LanguageCode::new("bn").unwrap(),
            witness: None,
            revoked: None,
        }
    }

    #[test]
    fn a_good_record_passes() {
        assert!(record().validate_at(t(2026, 1, 1)).is_ok());
    }

    #[test]
    fn expiry_before_grant_names_the_field() {
        let mut r = record();
        r.expires_at = Some(t(2024, 1, 1));
        let e = r.validate_at(t(2026, 1, 1)).unwrap_err();
        assert!(e.has_path("expires_at"), "{e}");
    }

    #[test]
    fn revocation_before_grant_names_the_field() {
        let mut r = record();
        r.revoked = Some(Revocation {
            at: t(2024, 1, 1),
            reason: "changed mind".into(),
        });
        let e = r.validate_at(t(2026, 1, 1)).unwrap_err();
        assert!(e.has_path("revoked.at"), "{e}");
    }

    #[test]
    fn empty_and_repeated_lists_are_rejected() {
        let mut r = record();
        r.purposes.clear();
        r.categories = vec![DataCategory::Health, DataCategory::Health];
        let e = r.validate_at(t(2026, 1, 1)).unwrap_err();
        assert!(e.has_path("purposes"), "{e}");
        assert!(e.has_path("categories[1]"), "{e}");
    }

    #[test]
    fn unknown_purpose_is_a_parse_error_naming_the_field() {
        let mut json = serde_json::to_value(record()).unwrap();
        json["purposes"] = serde_json::json!(["service_referral", "gossip"]);
        let e = beside_core::from_json_at::<ConsentRecord>(&json.to_string(), t(2026, 1, 1))
            .unwrap_err();
        let first = e.first().unwrap();
        assert_eq!(first.path, "purposes[1]");
        assert!(first.to_string().contains("service_referral"), "{first}");
    }

    #[test]
    fn in_force_boundaries() {
        let mut r = record();
        r.expires_at = Some(t(2025, 6, 1));
        assert!(!r.in_force_at(t(2024, 12, 31)));
        assert!(r.in_force_at(t(2025, 1, 1)));
        assert!(!r.in_force_at(t(2025, 6, 1)));
    }
}
