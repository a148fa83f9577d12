//! Plain language: what a person has agreed to, and why a decision came out as it did, as
//! structured phrases (a label key plus parameters) that an app renders in the person's
//! language. English comes built in ([`crate::english_labels`]).

use crate::evaluate::{Decision, DenyReason, PermitBasis};
use crate::ledger::{given_while_a_child, ConsentLedger};
use crate::record::{ConsentRecord, GivenBy, RecipientScope, RecordKind};
use beside_core::{Arg, Labels, LanguageCode, TimeZone, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One item of a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParamItem {
    /// A label key, rendered in the reader's language.
    Key {
        /// The key.
        key: String,
    },
    /// Text shown as it is (an id, a number).
    Text {
        /// The text.
        text: String,
    },
    /// A day, written in the reader's locale ([`Labels::format_date`]).
    Date {
        /// The day.
        date: chrono::NaiveDate,
    },
    /// A whole number (an age, hours), written in the reader's digits.
    Number {
        /// The number.
        value: i64,
    },
}

/// A named parameter of a phrase: one or more items, rendered as a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PhraseParam {
    /// The placeholder name in the template (`{categories}`).
    pub name: String,
    /// The items.
    pub items: Vec<ParamItem>,
}

/// A sentence as data: a label key plus parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Phrase {
    /// The label key (`consent.summary.consent`).
    pub key: String,
    /// The parameters.
    pub params: Vec<PhraseParam>,
}

impl Phrase {
    fn new(key: &str) -> Self {
        Self {
            key: key.to_owned(),
            params: Vec::new(),
        }
    }

    fn keys(mut self, name: &str, keys: impl IntoIterator<Item = String>) -> Self {
        self.params.push(PhraseParam {
            name: name.to_owned(),
            items: keys.into_iter().map(|key| ParamItem::Key { key }).collect(),
        });
        self
    }

    fn text(mut self, name: &str, text: impl ToString) -> Self {
        self.params.push(PhraseParam {
            name: name.to_owned(),
            items: vec![ParamItem::Text {
                text: text.to_string(),
            }],
        });
        self
    }

    /// The day of `at` on the calendar of `zone` (the person's place).
    fn date(mut self, name: &str, zone: TimeZone, at: Timestamp) -> Self {
        self.params.push(PhraseParam {
            name: name.to_owned(),
            items: vec![ParamItem::Date {
                date: zone.local_date(at),
            }],
        });
        self
    }

    fn number(mut self, name: &str, value: impl Into<i64>) -> Self {
        self.params.push(PhraseParam {
            name: name.to_owned(),
            items: vec![ParamItem::Number {
                value: value.into(),
            }],
        });
        self
    }

    fn items(mut self, name: &str, items: Vec<ParamItem>) -> Self {
        self.params.push(PhraseParam {
            name: name.to_owned(),
            items,
        });
        self
    }

    /// Render in `language` (falling back to English) with `labels`: keys in the reader's
    /// words, days and numbers in the reader's form and digits, a list joined with commas. A
    /// parameter that is one number stays a number, so the text can select a plural on it.
    pub fn render(&self, labels: &Labels, language: &LanguageCode) -> String {
        let args: Vec<(&str, Arg)> = self
            .params
            .iter()
            .map(|p| {
                let arg = match p.items.as_slice() {
                    [ParamItem::Number { value }] => Arg::Number(*value),
                    items => Arg::Text(
                        items
                            .iter()
                            .map(|i| match i {
                                ParamItem::Key { key } => {
                                    labels.render(key, language, &BTreeMap::new())
                                }
                                ParamItem::Text { text } => text.clone(),
                                ParamItem::Date { date } => labels.format_date(*date, language),
                                ParamItem::Number { value } => {
                                    labels.format_number(*value, language)
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                };
                (p.name.as_str(), arg)
            })
            .collect();
        labels.render_args(&self.key, language, &args)
    }

    /// Render in English.
    pub fn english(&self) -> String {
        self.render(&crate::labels::labels(), &LanguageCode::ENGLISH)
    }
}

fn recipients(r: &ConsentRecord) -> Vec<ParamItem> {
    r.recipients
        .iter()
        .map(|s| match s {
            RecipientScope::Organization { id } => ParamItem::Text {
                text: id.to_string(),
            },
            RecipientScope::Kind { kind } => ParamItem::Key {
                key: crate::record::kind_label_key(*kind),
            },
            RecipientScope::Any => ParamItem::Key {
                key: "consent.recipient.any".into(),
            },
        })
        .collect()
}

fn scope(p: Phrase, r: &ConsentRecord) -> Phrase {
    p.items("recipients", recipients(r))
        .keys("categories", r.categories.iter().map(|c| c.label_key()))
        .keys("purposes", r.purposes.iter().map(|p| p.label_key()))
}

impl ConsentLedger {
    /// What the person has agreed to and refused, as of `at`, for reading back to them: one
    /// phrase per record (in id order), then what needs their attention. Days are those of
    /// the person's calendar ([`crate::ConsentSubject::calendar`]).
    pub fn summary(&self, at: Timestamp) -> Vec<Phrase> {
        let zone = self.subject.calendar();
        let adult = self
            .subject
            .birth
            .and_then(|b| b.age_at(at, zone))
            .is_some_and(|a| a >= self.policy.age_of_majority);
        let mut out = Vec::new();
        for r in &self.records {
            let for_adult = !given_while_a_child(r, &self.subject, &self.policy);
            let by_guardian = matches!(r.given_by, GivenBy::Guardian { .. });
            let on_behalf = match r.given_by {
                GivenBy::Person => false,
                GivenBy::LegalRepresentative { .. } => !for_adult,
                _ => true,
            };
            let phrase = if let Some(rev) = r.revoked.as_ref().filter(|rev| rev.at <= at) {
                scope(Phrase::new("consent.summary.revoked"), r).date("on", zone, rev.at)
            } else if let Some(e) = r.expires_at.filter(|e| *e <= at) {
                scope(Phrase::new("consent.summary.expired"), r).date("on", zone, e)
            } else if r.granted_at > at {
                continue;
            } else if r.kind == RecordKind::Refusal {
                scope(Phrase::new("consent.summary.refusal"), r)
            } else if adult && by_guardian && for_adult {
                scope(Phrase::new("consent.summary.guardian_for_adult"), r)
            } else if adult && on_behalf {
                scope(Phrase::new("consent.summary.reconsent_due"), r)
            } else {
                let p = scope(Phrase::new("consent.summary.consent"), r).keys(
                    "given_by",
                    [format!("consent.given_by.{}", r.given_by.key())],
                );
                match r.expires_at {
                    Some(e) => p.date("until", zone, e),
                    None => p.keys("until", ["consent.summary.no_end".to_owned()]),
                }
            };
            out.push(phrase.text("record", &r.id));
        }
        if out.is_empty() {
            out.push(Phrase::new("consent.summary.nothing"));
        }
        out
    }
}

/// A decision in phrases: the outcome, each category that may go and on what basis, and each
/// reason each other category may not.
pub fn explain(decision: &Decision) -> Vec<Phrase> {
    let zone = decision.calendar();
    let q = &decision.question;
    let mut out = vec![
        Phrase::new(&format!("consent.outcome.{}", decision.outcome.key()))
            .text("recipient", &q.recipient.organization_id)
            .keys("purpose", [q.purpose.label_key()]),
    ];
    for p in &decision.permitted {
        let phrase = match &p.basis {
            PermitBasis::Consent { records } => Phrase::new("consent.permit.consent")
                .keys("category", [p.category.label_key()])
                .text(
                    "records",
                    records
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            PermitBasis::Emergency { disclosure_id, .. } => Phrase::new("consent.permit.emergency")
                .keys("category", [p.category.label_key()])
                .text("disclosure", disclosure_id),
        };
        out.push(phrase);
    }
    for d in &decision.denied {
        for r in &d.reasons {
            out.push(reason_phrase(d.category, r, zone));
        }
    }
    out
}

fn reason_phrase(category: crate::record::DataCategory, r: &DenyReason, zone: TimeZone) -> Phrase {
    let p = Phrase::new(&format!("consent.reason.{}", r.code()))
        .keys("category", [category.label_key()]);
    let p = match r.record() {
        Some(id) => p.text("record", id),
        None => p,
    };
    match r {
        DenyReason::NoneGiven => p,
        DenyReason::OutOfScope { purpose, .. } => p.keys("purpose", [purpose.label_key()]),
        DenyReason::NotYetGranted { granted_at, .. } => p.date("on", zone, *granted_at),
        DenyReason::Expired { expired_at, .. } => p.date("on", zone, *expired_at),
        DenyReason::Revoked { revoked_at, .. } => p.date("on", zone, *revoked_at),
        DenyReason::ExplicitRefusal { .. } => p,
        DenyReason::GuardianConsentMissing { age, .. } => age_param(p, *age),
        DenyReason::GuardianImplicated { guardian, .. } => p.text("guardian", guardian),
        DenyReason::BestInterestNotAuthorised { worker_id, .. } => p.text("worker", worker_id),
        DenyReason::AssentMissing {
            age,
            assent_from_age,
            ..
        } => age_param(p, *age).number("assent_from_age", *assent_from_age),
        DenyReason::ReConsentDueAtMajority { majority_on, .. } => match majority_on {
            Some(d) => p.items("on", vec![ParamItem::Date { date: *d }]),
            None => p.keys("on", ["consent.summary.unknown_date".to_owned()]),
        },
        DenyReason::GuardianForAdult { adult_since, .. } => {
            p.items("on", vec![ParamItem::Date { date: *adult_since }])
        }
        DenyReason::NotEmergencyServices { kind } => {
            p.keys("kind", [crate::record::kind_label_key(*kind)])
        }
        DenyReason::EmergencyLapsed {
            disclosure_id,
            declared_at,
            valid_hours,
        } => p
            .text("disclosure", disclosure_id)
            .date("on", zone, *declared_at)
            .number("hours", *valid_hours),
    }
}

/// The age as a number, or the words for an unknown age.
fn age_param(p: Phrase, age: Option<u32>) -> Phrase {
    match age {
        Some(a) => p.number("age", a),
        None => p.keys("age", ["consent.reason.unknown_age".to_owned()]),
    }
}
