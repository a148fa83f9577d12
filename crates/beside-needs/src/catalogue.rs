//! The domain catalogue as data: each domain's stable key, English label and a one-line anchor
//! description for each of the five levels, in the spirit of the Self-Sufficiency Matrix.
//!
//! Organisations can supply their own catalogue (more, fewer or other domains). Labels and
//! anchors are also available as label keys (`domain.<key>`, `anchor.<key>.<level>`), so an app
//! can translate them with a [`beside_core::Labels`] table.

use crate::assessment::{Assessment, MAX_DOMAINS};
use beside_core::{
    domains, DomainKey, Level, Reason, Timestamp, Validate, ValidationErrors, Validator,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest label accepted, in characters.
pub const MAX_LABEL_CHARS: usize = 120;
/// Longest anchor description accepted, in characters.
pub const MAX_ANCHOR_CHARS: usize = 240;

/// What one level of one domain looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LevelAnchor {
    /// The level described.
    pub level: Level,
    /// One line in English describing a person at this level of this domain.
    pub text: String,
}

/// One domain of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DomainEntry {
    /// Stable key.
    pub key: DomainKey,
    /// English label (an app translates `domain.<key>`).
    pub label: String,
    /// One anchor per level, 1 to 5.
    pub anchors: Vec<LevelAnchor>,
}

impl DomainEntry {
    /// The anchor text of `level`, when present.
    pub fn anchor(&self, level: Level) -> Option<&str> {
        self.anchors
            .iter()
            .find(|a| a.level == level)
            .map(|a| a.text.as_str())
    }
}

/// The label key of the anchor of `level` in `domain`: `anchor.<domain>.<level number>`.
pub fn anchor_label_key(domain: &DomainKey, level: Level) -> String {
    format!("anchor.{}.{}", domain.as_str(), level.number())
}

/// A list of need domains, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The domains; keys are unique; at most 64.
    pub domains: Vec<DomainEntry>,
}

impl Default for Catalogue {
    fn default() -> Self {
        Self::standard()
    }
}

impl Catalogue {
    /// The 16 default domains of the domain brief, with anchors for every level.
    pub fn standard() -> Self {
        let domains = DEFAULT_ANCHORS
            .iter()
            .map(|(key, label, texts)| DomainEntry {
                key: key.clone(),
                label: (*label).to_owned(),
                anchors: Level::ALL
                    .iter()
                    .zip(texts.iter())
                    .map(|(level, text)| LevelAnchor {
                        level: *level,
                        text: (*text).to_owned(),
                    })
                    .collect(),
            })
            .collect();
        Self { domains }
    }

    /// The keys, in catalogue order.
    pub fn keys(&self) -> Vec<DomainKey> {
        self.domains.iter().map(|d| d.key.clone()).collect()
    }

    /// The entry of `key`.
    pub fn get(&self, key: &str) -> Option<&DomainEntry> {
        self.domains.iter().find(|d| d.key.as_str() == key)
    }

    /// The position of `key` in the catalogue.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.domains.iter().position(|d| d.key.as_str() == key)
    }

    /// English label entries for this catalogue: `domain.<key>` and `anchor.<key>.<n>`.
    pub fn english_labels(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        for d in &self.domains {
            m.insert(d.key.label_key(), d.label.clone());
            for a in &d.anchors {
                m.insert(anchor_label_key(&d.key, a.level), a.text.clone());
            }
        }
        m
    }

    /// Check an assessment against this catalogue: the record's own rules (no future date, no
    /// duplicates, rankings naming rated domains) plus every domain key known here.
    pub fn validate_assessment(
        &self,
        assessment: &Assessment,
        now: Timestamp,
    ) -> Result<(), ValidationErrors> {
        let mut v = Validator::new(now);
        assessment.validate_against(&mut v, &self.keys());
        v.finish()
    }
}

impl Validate for Catalogue {
    fn validate_with(&self, v: &mut Validator) {
        if self.domains.is_empty() {
            v.report_at("domains", Reason::Empty);
        }
        v.max_items("domains", &self.domains, MAX_DOMAINS);
        v.unique("domains", self.domains.iter().map(|d| d.key.as_str()));
        v.field("domains", |v| {
            for (i, d) in self.domains.iter().enumerate() {
                v.index(i, |v| {
                    v.text("label", &d.label, MAX_LABEL_CHARS);
                    v.unique("anchors", d.anchors.iter().map(|a| a.level.key()));
                    v.field("anchors", |v| {
                        for (j, a) in d.anchors.iter().enumerate() {
                            v.index(j, |v| v.text("text", &a.text, MAX_ANCHOR_CHARS));
                        }
                        for level in Level::ALL {
                            if d.anchor(level).is_none() {
                                v.report(Reason::Required {
                                    what: format!("an anchor for level {}", level.number()),
                                });
                            }
                        }
                    });
                });
            }
        });
    }
}

type AnchorRow = (DomainKey, &'static str, [&'static str; 5]);

/// The default anchors: level 1 (in crisis) to 5 (thriving) for each default domain.
static DEFAULT_ANCHORS: [AnchorRow; 16] = [
    (
        domains::FOOD,
        "Food",
        [
            "No reliable food; skips meals most days or depends on emergency handouts.",
            "Food on some days but not others; relies on people who may stop helping.",
            "Enough food most days, with occasional help.",
            "Buys or grows enough food from own means.",
            "Secure food for self and dependants, with a reserve for lean times.",
        ],
    ),
    (
        domains::BASIC_ITEMS,
        "Clothing and basic items",
        [
            "Lacks the clothing, bedding or hygiene items needed to get through the day.",
            "Has some basic items but cannot replace what wears out.",
            "Has the clothing and basic items needed day to day.",
            "Replaces basic items from own means when needed.",
            "Fully provided for, and can help others with basic items.",
        ],
    ),
    (
        domains::SHELTER,
        "Shelter and housing",
        [
            "Homeless, in an unsafe place, or about to be evicted.",
            "Temporary shelter, or staying with others on sufferance.",
            "A stable and safe place to stay for now, not yet secure for the long term.",
            "Secure housing, paid for or arranged from own means.",
            "A safe, stable and adequate home of own choosing.",
        ],
    ),
    (
        domains::PHYSICAL_HEALTH,
        "Physical health",
        [
            "An untreated injury or illness that needs care now.",
            "Health problems with irregular or no access to care.",
            "Health problems managed; can reach care when needed.",
            "In good health most of the time; seeks care on own initiative.",
            "Good health, with regular care and the means to pay for it.",
        ],
    ),
    (
        domains::MENTAL_HEALTH,
        "Mental health",
        [
            "Severe distress: a danger to self, or unable to manage daily life.",
            "Frequent fear, sleeplessness or flashbacks that limit daily life.",
            "Distress at times, but manages daily life with support.",
            "Copes well most of the time and knows where to find help.",
            "Emotionally well and able to support others.",
        ],
    ),
    (
        domains::SAFETY,
        "Safety from perpetrators",
        [
            "In immediate danger from a perpetrator or their associates.",
            "Threatened by, or in contact with, people linked to the trafficking.",
            "No current threat; a safety plan is in place.",
            "Feels safe and knows how to respond to a risk.",
            "Safe, with protection and networks that last.",
        ],
    ),
    (
        domains::DOCUMENTS,
        "Identity documents and formal identification",
        [
            "No identity documents and no way to obtain them.",
            "Documents lost or held by others; replacement blocked.",
            "Basic identity documents in hand; formal identification pending or not sought.",
            "Identity documents and, where wanted, formal identification as a victim.",
            "All documents in own hands, and knows how to renew them.",
        ],
    ),
    (
        domains::LEGAL,
        "Legal aid and justice",
        [
            "Facing charges, detention or legal threats with no legal help.",
            "Has a legal need (a case, a claim, a status) but no access to legal aid.",
            "Has legal information or aid; any case follows the person's chosen course.",
            "Legal matters progressing with steady support.",
            "Legal matters resolved, or settled as the person chose.",
        ],
    ),
    (
        domains::FAMILY,
        "Family connection",
        [
            "Rejected, blamed or harmed by family; no safe family contact.",
            "Strained contact with family, with blame or pressure.",
            "Accepted by some family members; contact is safe.",
            "Good relations with family, who support the person's plans.",
            "Strong and mutual family relationships.",
        ],
    ),
    (
        domains::COMMUNITY,
        "Community acceptance",
        [
            "Shunned, threatened or isolated by the community.",
            "Gossip or stigma limits going out and taking part.",
            "Tolerated; takes part in some community life.",
            "Accepted, and takes part in community life.",
            "Respected and active in community life.",
        ],
    ),
    (
        domains::LIVELIHOOD,
        "Livelihood and employment",
        [
            "No income and no way to earn.",
            "Irregular, unsafe or exploitative work.",
            "Some regular income, not yet enough to live on.",
            "Steady income that covers basic needs.",
            "Secure income, with savings or a growing business.",
        ],
    ),
    (
        domains::EDUCATION,
        "Skills and education",
        [
            "Cannot read or count enough for daily tasks, with no access to learning.",
            "Wants to learn or train but cannot start (cost, distance, care duties).",
            "In school, literacy classes or vocational training.",
            "Has completed training and uses the skills.",
            "Skills lead to chosen work or further study.",
        ],
    ),
    (
        domains::DEBT,
        "Debt and financial stability",
        [
            "A debt that cannot be repaid, with threats or pressure to migrate again.",
            "Repayments leave too little to live on.",
            "Debt manageable under a repayment plan.",
            "Little debt, paid on time from own income.",
            "Free of harmful debt and managing money with confidence.",
        ],
    ),
    (
        domains::EMERGENCY_FUNDS,
        "Emergency funds",
        [
            "No money, and no one to borrow from safely.",
            "Could borrow only from a moneylender or broker in an emergency.",
            "Could borrow safely from family or a group in an emergency.",
            "Some savings put aside for emergencies.",
            "Savings enough for several months of need.",
        ],
    ),
    (
        domains::CHILDCARE,
        "Childcare and dependants",
        [
            "A child or dependant without safe care.",
            "Care for children or dependants is unreliable or sometimes unsafe.",
            "Safe care most of the time, with gaps.",
            "Reliable care arranged; dependants' needs are met.",
            "Dependants thrive; care is stable and shared.",
        ],
    ),
    (
        domains::PEER_SUPPORT,
        "Peer support",
        [
            "Isolated: no one who understands what the person has been through.",
            "Knows other survivors but has no regular contact.",
            "In touch with a survivor group or a peer now and then.",
            "A regular member of a survivor group.",
            "Leads or mentors others in a survivor group.",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn standard_catalogue_matches_core_defaults_and_validates() {
        let c = Catalogue::standard();
        assert_eq!(c.domains.len(), 16);
        for (entry, (key, label)) in c.domains.iter().zip(beside_core::DEFAULT_DOMAINS.iter()) {
            assert_eq!(&entry.key, key);
            assert_eq!(entry.label, *label);
            for level in Level::ALL {
                assert!(entry.anchor(level).is_some_and(|t| !t.is_empty()));
            }
        }
        assert!(c.validate_at(Utc::now()).is_ok());
        let labels = c.english_labels();
        assert_eq!(labels.len(), 16 * 6);
        assert_eq!(
            labels.get("anchor.food.1").map(String::as_str),
            Some("No reliable food; skips meals most days or depends on emergency handouts.")
        );
    }

    #[test]
    fn bad_catalogues_name_the_field() {
        let mut c = Catalogue::standard();
        c.domains[1].key = DomainKey::from_static("food");
        c.domains[2].anchors.pop();
        c.domains[3].label = " ".into();
        let err = c.validate_at(Utc::now()).unwrap_err();
        assert!(err.has_path("domains[1]"), "{err}");
        assert!(err.has_path("domains[2].anchors"), "{err}");
        assert!(err.has_path("domains[3].label"), "{err}");
        let empty = Catalogue { domains: vec![] };
        assert!(empty
            .validate_at(Utc::now())
            .unwrap_err()
            .has_path("domains"));
    }
}
