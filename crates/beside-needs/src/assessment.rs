//! The assessment record: whose case, when, by whom; a rating per domain; red flags; the person's
//! own priority ranking and "not now" list.

use beside_core::{
    AssessmentId, CaseId, DomainKey, Level, Rating, Reason, Timestamp, Validate, Validator,
    WorkerId,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most domain entries accepted in one assessment.
pub const MAX_DOMAINS: usize = 64;

/// A red flag that demands a response within a set time.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RedFlag {
    /// Thoughts of suicide or self-harm.
    SuicidalThoughts,
    /// Immediate danger from a perpetrator.
    ImmediateDanger,
    /// An injury that has not been treated.
    UntreatedInjury,
    /// A child without a safe caregiver.
    ChildWithoutSafeCaregiver,
}

impl RedFlag {
    /// All red flags.
    pub const ALL: [RedFlag; 4] = [
        RedFlag::SuicidalThoughts,
        RedFlag::ImmediateDanger,
        RedFlag::UntreatedInjury,
        RedFlag::ChildWithoutSafeCaregiver,
    ];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            RedFlag::SuicidalThoughts => "suicidal_thoughts",
            RedFlag::ImmediateDanger => "immediate_danger",
            RedFlag::UntreatedInjury => "untreated_injury",
            RedFlag::ChildWithoutSafeCaregiver => "child_without_safe_caregiver",
        }
    }
}

/// One domain's rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DomainRating {
    /// The domain.
    pub domain: DomainKey,
    /// Its rating: a level, not assessed, or declined.
    pub rating: Rating,
}

/// A needs assessment of one person at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// The assessment's id.
    pub id: AssessmentId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// When it was made.
    pub assessed_at: Timestamp,
    /// Who made it (a case worker or a survivor leader).
    pub assessed_by: WorkerId,
    /// A rating per domain; each domain at most once.
    pub ratings: Vec<DomainRating>,
    /// Red flags raised.
    #[serde(default)]
    pub red_flags: Vec<RedFlag>,
    /// The person's own priorities, most important first.
    #[serde(default)]
    pub own_priorities: Vec<DomainKey>,
    /// Domains the person does not want to work on now.
    #[serde(default)]
    pub not_now: Vec<DomainKey>,
    /// The app's own fields; Beside keeps them and never reads them. Any JSON, bounded only by
    /// the input size limit; every other unknown key is refused.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Assessment {
    /// The rating of `domain`, if the assessment has an entry for it.
    pub fn rating(&self, domain: &str) -> Option<Rating> {
        self.ratings
            .iter()
            .find(|r| r.domain.as_str() == domain)
            .map(|r| r.rating)
    }

    /// The level of `domain`, if it was rated at a level.
    pub fn level(&self, domain: &str) -> Option<Level> {
        self.rating(domain).and_then(Rating::level)
    }

    /// Check the record against a catalogue of known domain keys.
    pub fn validate_against(&self, v: &mut Validator, known: &[DomainKey]) {
        self.validate_with(v);
        let known_names = || known.iter().map(|k| k.as_str().to_owned()).collect();
        let is_known = |k: &DomainKey| known.iter().any(|d| d == k);
        v.field("ratings", |v| {
            for (i, r) in self.ratings.iter().enumerate() {
                if !is_known(&r.domain) {
                    v.index(i, |v| {
                        v.report_at(
                            "domain",
                            Reason::Unknown {
                                value: r.domain.to_string(),
                                known: known_names(),
                            },
                        )
                    });
                }
            }
        });
        for (name, list) in [
            ("own_priorities", &self.own_priorities),
            ("not_now", &self.not_now),
        ] {
            v.field(name, |v| {
                for (i, k) in list.iter().enumerate() {
                    if !is_known(k) {
                        v.index(i, |v| {
                            v.report(Reason::Unknown {
                                value: k.to_string(),
                                known: known_names(),
                            })
                        });
                    }
                }
            });
        }
    }
}

impl Validate for Assessment {
    /// Checks what needs no catalogue: the date is not in the future, each domain appears at
    /// most once, rankings and "not now" name assessed domains only and hold no repeats.
    fn validate_with(&self, v: &mut Validator) {
        v.not_future("assessed_at", self.assessed_at);
        v.max_items("ratings", &self.ratings, MAX_DOMAINS);
        v.unique("ratings", self.ratings.iter().map(|r| r.domain.as_str()));
        v.unique("red_flags", self.red_flags.iter().map(|f| f.key()));
        for (name, list) in [
            ("own_priorities", &self.own_priorities),
            ("not_now", &self.not_now),
        ] {
            v.max_items(name, list, MAX_DOMAINS);
            v.unique(name, list.iter().map(DomainKey::as_str));
            v.field(name, |v| {
                for (i, k) in list.iter().enumerate() {
                    let assessed = self
                        .ratings
                        .iter()
                        .any(|r| &r.domain == k && r.rating != Rating::NotAssessed);
                    if !assessed {
                        v.index(i, |v| {
                            v.report(Reason::Invalid {
                                expected: "a domain rated in this assessment".into(),
                                value: k.to_string(),
                            })
                        });
                    }
                }
            });
        }
    }
}
