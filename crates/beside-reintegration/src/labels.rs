//! English words for this crate's decisions, as [`beside_core::Labels`] entries with
//! `{param}` templates, and [`Explain`] to render any decision in the reader's language.

use crate::cohort::Count;
use crate::followup::FollowUpReason;
use crate::risk::{RiskBasis, RiskFactor};
use crate::trajectory::Setback;
use beside_core::{Labels, LanguageCode};
use std::collections::BTreeMap;

/// The English resource of reintegration (`locales/en/reintegration.ftl`), complete: every key this
/// crate renders. Add it to [`beside_core::Labels`] with `Labels::english().with_english(..)`.
pub fn english_labels() -> &'static str {
    ENGLISH
}

/// The English resource of reintegration, embedded.
pub const ENGLISH: &str = include_str!("../locales/en/reintegration.ftl");

/// A decision that explains itself: a label key plus its parameters.
pub trait Explain {
    /// The label key.
    fn label_key(&self) -> String;
    /// The parameters for the key's template.
    fn params(&self) -> BTreeMap<String, String>;
    /// The count a counted label's plural form follows (`{key}.one`, `{key}.other`, see
    /// [`Labels::render_count`]); `None` for a label with one form.
    fn count(&self) -> Option<u64> {
        None
    }
    /// The text in `language` (English fallback). A `domain` or `outcome` parameter is shown
    /// by its label (`domain.<key>`, `reintegration.outcome.<key>`) when the table has one.
    fn render(&self, labels: &Labels, language: &LanguageCode) -> String {
        let mut params = self.params();
        for (name, prefix) in [("domain", "domain."), ("outcome", "reintegration.outcome.")] {
            if let Some(key) = params.get(name) {
                if let Some(text) = labels.get(&format!("{prefix}{key}"), language) {
                    let text = text.to_owned();
                    params.insert(name.to_owned(), text);
                }
            }
        }
        match self.count() {
            Some(count) => labels.render_count(&self.label_key(), language, count, &params),
            None => labels.render(&self.label_key(), language, &params),
        }
    }
}

fn params<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn snake<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        _ => String::new(),
    }
}

impl Explain for RiskFactor {
    fn label_key(&self) -> String {
        format!("reintegration.risk.{}", self.code())
    }
    fn params(&self) -> BTreeMap<String, String> {
        let points = ("points", self.points().to_string());
        match self {
            RiskFactor::Debt {
                creditor, count, ..
            } => params([
                points,
                ("creditor", snake(creditor)),
                ("count", count.to_string()),
            ]),
            RiskFactor::FamilyPressure { strength, .. } => {
                params([points, ("strength", snake(strength))])
            }
            RiskFactor::IntendsToMigrate { intention, .. } => {
                params([points, ("intention", snake(intention))])
            }
            RiskFactor::BrokerContact { contact, .. } => {
                params([points, ("contact", snake(contact))])
            }
            _ => params([points]),
        }
    }
    fn count(&self) -> Option<u64> {
        match self {
            RiskFactor::Debt { count, .. } => Some(u64::from(*count)),
            _ => None,
        }
    }
}

impl Explain for RiskBasis {
    fn label_key(&self) -> String {
        format!("reintegration.basis.{}", self.code())
    }
    fn params(&self) -> BTreeMap<String, String> {
        match self {
            RiskBasis::Points {
                points,
                moderate_from,
                high_from,
                level,
            } => params([
                ("points", points.to_string()),
                ("moderate_from", moderate_from.to_string()),
                ("high_from", high_from.to_string()),
                ("level", level.key().to_owned()),
            ]),
            RiskBasis::MigrationWithBroker { intention, contact } => {
                params([("intention", snake(intention)), ("contact", snake(contact))])
            }
            RiskBasis::TooLittleKnown {
                unknown,
                max_unknown,
            } => params([
                ("unknown", unknown.to_string()),
                ("max_unknown", max_unknown.to_string()),
            ]),
        }
    }
}

impl Explain for FollowUpReason {
    fn label_key(&self) -> String {
        format!("reintegration.follow_up.{}", self.code())
    }
    fn params(&self) -> BTreeMap<String, String> {
        let days = ("days", self.days().to_string());
        match self {
            FollowUpReason::RedFlags { flags, .. } => params([
                days,
                (
                    "flags",
                    flags.iter().map(|f| f.key()).collect::<Vec<_>>().join(", "),
                ),
            ]),
            FollowUpReason::Risk { level, .. } => params([days, ("level", level.key().to_owned())]),
            FollowUpReason::WorstLevel { domain, level, .. } => params([
                days,
                ("domain", domain.to_string()),
                ("level", level.to_string()),
            ]),
            FollowUpReason::NothingRated { .. } => params([days]),
        }
    }
}

impl Explain for Setback {
    fn label_key(&self) -> String {
        format!("reintegration.setback.{}", self.code())
    }
    fn params(&self) -> BTreeMap<String, String> {
        match self {
            Setback::Domain {
                domain,
                from,
                to,
                on,
                ..
            } => params([
                ("domain", domain.to_string()),
                ("from", from.to_string()),
                ("to", to.to_string()),
                ("on", on.to_string()),
            ]),
            Setback::Outcome {
                outcome,
                from,
                to,
                on,
                ..
            } => params([
                ("outcome", outcome.to_string()),
                ("from", format!("{from:.2}")),
                ("to", format!("{to:.2}")),
                ("on", on.to_string()),
            ]),
        }
    }
}

impl Explain for Count {
    fn label_key(&self) -> String {
        format!("reintegration.count.{}", self.code())
    }
    fn params(&self) -> BTreeMap<String, String> {
        match *self {
            Count::Published { value } => params([("value", value.to_string())]),
            Count::BelowThreshold { k }
            | Count::Complementary { k }
            | Count::CohortTooSmall { k } => params([("k", k.to_string())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::Creditor;

    #[test]
    fn factors_render_in_english() {
        let labels = Labels::english().with_english(english_labels());
        let en = LanguageCode::new("en").unwrap();
        let f = RiskFactor::Debt {
            creditor: Creditor::Broker,
            count: 1,
            points: 3,
        };
        assert_eq!(f.render(&labels, &en), "owes 1 debt to broker (+3)");
        let two = RiskFactor::Debt {
            creditor: Creditor::Family,
            count: 2,
            points: 4,
        };
        assert_eq!(two.render(&labels, &en), "owes 2 debts to family (+4)");
        let c = Count::BelowThreshold { k: 11 };
        assert_eq!(c.render(&labels, &en), "<11");
    }

    #[test]
    fn every_key_used_has_an_entry() {
        let m = beside_core::labels::keys(&[english_labels()]).unwrap();
        for k in &m {
            assert!(k.starts_with("reintegration."), "{k}");
        }
        assert!(m.contains("reintegration.phase.peer_support"));
        assert!(m.contains("reintegration.status.declined"));
    }
}
