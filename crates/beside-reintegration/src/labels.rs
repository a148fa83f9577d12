//! English words for this crate's decisions, as [`beside_core::Labels`] entries with
//! `{param}` templates, and [`Explain`] to render any decision in the reader's language.

use crate::cohort::Count;
use crate::followup::FollowUpReason;
use crate::outcome::outcomes;
use crate::phase::{Phase, PhaseStatus};
use crate::risk::{RiskBasis, RiskFactor, RiskLevel};
use crate::trajectory::{Setback, Trend};
use beside_core::{Labels, LanguageCode};
use std::collections::BTreeMap;

/// The English label entries of this crate.
pub fn english_labels() -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: &str| {
        m.insert(k.to_owned(), v.to_owned());
    };
    for (p, text) in [
        (Phase::Return, "Return"),
        (
            Phase::FamilyCommunityAcceptance,
            "Family and community acceptance",
        ),
        (Phase::Justice, "Access to justice"),
        (Phase::BasicServices, "Access to basic services"),
        (Phase::Livelihood, "Livelihoods and financial health"),
        (Phase::PeerSupport, "Peer support and leadership"),
    ] {
        put(&p.label_key(), text);
    }
    for (s, text) in [
        (PhaseStatus::NotStarted, "not started"),
        (PhaseStatus::InProgress, "in progress"),
        (PhaseStatus::Achieved, "achieved"),
        (PhaseStatus::Setback, "setback"),
        (PhaseStatus::Declined, "declined by the person"),
    ] {
        put(&s.label_key(), text);
    }
    for (o, text) in [
        (outcomes::FINANCIAL_HEALTH, "Financial health"),
        (outcomes::MENTAL_HEALTH, "Mental health"),
        (outcomes::FAMILY_CONNECTION, "Connection with family"),
        (outcomes::SOCIAL_ACCEPTANCE, "Acceptance within society"),
        (outcomes::ECONOMIC, "Economic"),
        (outcomes::SOCIAL, "Social"),
        (outcomes::PSYCHOSOCIAL, "Psychosocial"),
    ] {
        put(&o.label_key(), text);
    }
    for (r, text) in [
        (RiskLevel::Low, "low"),
        (RiskLevel::Moderate, "moderate"),
        (RiskLevel::High, "high"),
    ] {
        put(&format!("reintegration.risk_level.{}", r.key()), text);
    }
    for (t, text) in [
        (Trend::Improving, "improving"),
        (Trend::Stable, "stable"),
        (Trend::Worsening, "worsening"),
        (Trend::InsufficientData, "not enough assessments yet"),
    ] {
        put(&format!("reintegration.trend.{}", t.key()), text);
    }
    for (k, v) in [
        ("reintegration.risk.debt.one", "owes {count} debt to {creditor} (+{points})"),
        ("reintegration.risk.debt.other", "owes {count} debts to {creditor} (+{points})"),
        ("reintegration.risk.no_income", "no income (+{points})"),
        ("reintegration.risk.irregular_income", "irregular income (+{points})"),
        ("reintegration.risk.family_pressure", "{strength} pressure from family (+{points})"),
        ("reintegration.risk.stigma", "stigma or blame (+{points})"),
        ("reintegration.risk.isolation", "isolation (+{points})"),
        ("reintegration.risk.intends_to_migrate", "intends to migrate again: {intention} (+{points})"),
        ("reintegration.risk.broker_contact", "contact with a broker: {contact} (+{points})"),
        ("reintegration.basis.points", "{points} points (moderate from {moderate_from}, high from {high_from}): {level}"),
        ("reintegration.basis.migration_with_broker", "intends to migrate ({intention}) with broker contact ({contact}): high whatever the points"),
        ("reintegration.basis.too_little_known", "{unknown} risk inputs unknown (more than {max_unknown}): at least moderate"),
        ("reintegration.follow_up.red_flags", "red flags ({flags}): {days} day(s)"),
        ("reintegration.follow_up.risk", "{level} risk of re-trafficking: {days} days"),
        ("reintegration.follow_up.worst_level", "{domain} is {level}: {days} days"),
        ("reintegration.follow_up.nothing_rated", "no domain rated: {days} days"),
        ("reintegration.setback.domain", "{domain} fell from {from} to {to} on {on}"),
        ("reintegration.setback.outcome", "{outcome} fell from {from} to {to} on {on}"),
        ("reintegration.count.published", "{value}"),
        ("reintegration.count.below_threshold", "<{k}"),
        ("reintegration.count.complementary", "suppressed"),
        ("reintegration.count.cohort_too_small", "cohort <{k}"),
    ] {
        put(k, v);
    }
    m
}

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
        let code = match self {
            RiskFactor::Debt { .. } => "debt",
            RiskFactor::NoIncome { .. } => "no_income",
            RiskFactor::IrregularIncome { .. } => "irregular_income",
            RiskFactor::FamilyPressure { .. } => "family_pressure",
            RiskFactor::Stigma { .. } => "stigma",
            RiskFactor::Isolation { .. } => "isolation",
            RiskFactor::IntendsToMigrate { .. } => "intends_to_migrate",
            RiskFactor::BrokerContact { .. } => "broker_contact",
        };
        format!("reintegration.risk.{code}")
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
        let code = match self {
            RiskBasis::Points { .. } => "points",
            RiskBasis::MigrationWithBroker { .. } => "migration_with_broker",
            RiskBasis::TooLittleKnown { .. } => "too_little_known",
        };
        format!("reintegration.basis.{code}")
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
        let code = match self {
            FollowUpReason::RedFlags { .. } => "red_flags",
            FollowUpReason::Risk { .. } => "risk",
            FollowUpReason::WorstLevel { .. } => "worst_level",
            FollowUpReason::NothingRated { .. } => "nothing_rated",
        };
        format!("reintegration.follow_up.{code}")
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
        match self {
            Setback::Domain { .. } => "reintegration.setback.domain".into(),
            Setback::Outcome { .. } => "reintegration.setback.outcome".into(),
        }
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
        let code = match self {
            Count::Published { .. } => "published",
            Count::BelowThreshold { .. } => "below_threshold",
            Count::Complementary { .. } => "complementary",
            Count::CohortTooSmall { .. } => "cohort_too_small",
        };
        format!("reintegration.count.{code}")
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
        let m = english_labels();
        for k in m.keys() {
            assert!(k.starts_with("reintegration."), "{k}");
        }
        assert!(m.contains_key("reintegration.phase.peer_support"));
        assert!(m.contains_key("reintegration.status.declined"));
    }
}
