//! Words for the decisions of this crate, as label templates an app can translate, and helpers
//! that render priorities, reasons and changes through a [`Labels`] table.

use crate::assessment::RedFlag;
use crate::catalogue::Catalogue;
use crate::compare::{Change, DomainChange};
use crate::priority::{PriorityItem, PriorityReason, Urgency};
use beside_core::{DomainKey, Labels, LanguageCode, Level, Rating};
use std::collections::BTreeMap;

/// The English templates of this crate (`needs.*`), plus the default catalogue's labels and
/// anchors (`domain.<key>`, `anchor.<key>.<n>`).
pub fn english_labels() -> BTreeMap<String, String> {
    let mut m = Catalogue::standard().english_labels();
    let entries: &[(&str, &str)] = &[
        (
            "needs.item",
            "{position}. {domain}: {rating}, {urgency}. {reasons}",
        ),
        ("needs.item.not_referable", "not proposed for referral"),
        ("needs.level", "level {number}, {label}"),
        ("needs.rating.declined", "declined to answer"),
        ("needs.rating.not_assessed", "not assessed"),
        ("needs.urgency.red_flag", "red flag"),
        ("needs.urgency.urgent", "urgent"),
        ("needs.urgency.high", "high"),
        ("needs.urgency.medium", "medium"),
        ("needs.urgency.low", "low"),
        ("needs.red_flag.suicidal_thoughts", "thoughts of suicide"),
        (
            "needs.red_flag.immediate_danger",
            "immediate danger from a perpetrator",
        ),
        ("needs.red_flag.untreated_injury", "untreated injury"),
        (
            "needs.red_flag.child_without_safe_caregiver",
            "a child without a safe caregiver",
        ),
        ("needs.duration.minute", "1 minute"),
        ("needs.duration.minutes", "{n} minutes"),
        ("needs.duration.hour", "1 hour"),
        ("needs.duration.hours", "{n} hours"),
        ("needs.duration.day", "1 day"),
        ("needs.duration.days", "{n} days"),
        (
            "needs.reason.red_flag",
            "red flag: {flag}, respond within {within}",
        ),
        ("needs.reason.own_level", "own level: {level}"),
        ("needs.reason.unrated", "no level ({rating})"),
        ("needs.reason.foundational", "a foundational need"),
        ("needs.reason.blocks", "blocks {domain} ({level})"),
        (
            "needs.reason.blocks_many",
            "blocks {count} domains: {domains}",
        ),
        (
            "needs.reason.blocked_by",
            "blocked by {blocker} ({blocker_level})",
        ),
        (
            "needs.reason.own_rank",
            "the person's own priority no. {rank}",
        ),
        (
            "needs.reason.ahead_of_blocker.own_rank",
            "placed before {blocker} because the person ranked it higher",
        ),
        (
            "needs.reason.ahead_of_blocker.red_flag",
            "placed before {blocker} because of a red flag",
        ),
        (
            "needs.reason.ahead_of_blocker.blocker_not_now",
            "placed before {blocker}, which the person does not want to work on now",
        ),
        (
            "needs.reason.not_now",
            "the person said \"not now\": never proposed for referral",
        ),
        (
            "needs.change.improved",
            "{domain}: improved from {from} to {to}",
        ),
        (
            "needs.change.worsened",
            "{domain}: worsened from {from} to {to}",
        ),
        (
            "needs.change.worsened.setback",
            "{domain}: setback, from {from} to {to}",
        ),
        ("needs.change.unchanged", "{domain}: unchanged at {level}"),
        (
            "needs.change.not_comparable",
            "{domain}: not comparable ({before}, then {after})",
        ),
    ];
    for (k, v) in entries {
        m.insert((*k).to_owned(), (*v).to_owned());
    }
    m
}

/// The built-in English labels: the shared vocabulary plus this crate's.
pub fn labels() -> Labels {
    Labels::english().with_english(english_labels())
}

fn params<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn text(labels: &Labels, key: &str, lang: &LanguageCode) -> String {
    labels.render(key, lang, &BTreeMap::new())
}

/// A domain's label.
pub fn render_domain(domain: &DomainKey, labels: &Labels, lang: &LanguageCode) -> String {
    text(labels, &domain.label_key(), lang)
}

/// A level, such as "level 1, in crisis".
pub fn render_level(level: Level, labels: &Labels, lang: &LanguageCode) -> String {
    let label = text(labels, &format!("level.{}", level.key()), lang);
    labels.render(
        "needs.level",
        lang,
        &params([("number", level.number().to_string()), ("label", label)]),
    )
}

/// A rating: its level, or "declined to answer" / "not assessed".
pub fn render_rating(rating: Rating, labels: &Labels, lang: &LanguageCode) -> String {
    match rating {
        Rating::Level(l) => render_level(l, labels, lang),
        Rating::Declined => text(labels, "needs.rating.declined", lang),
        Rating::NotAssessed => text(labels, "needs.rating.not_assessed", lang),
    }
}

/// A response time, such as "3 hours".
pub fn render_minutes(minutes: u32, labels: &Labels, lang: &LanguageCode) -> String {
    let (unit, n) = if minutes.is_multiple_of(24 * 60) {
        ("day", minutes / (24 * 60))
    } else if minutes.is_multiple_of(60) {
        ("hour", minutes / 60)
    } else {
        ("minute", minutes)
    };
    if n == 1 {
        text(labels, &format!("needs.duration.{unit}"), lang)
    } else {
        labels.render(
            &format!("needs.duration.{unit}s"),
            lang,
            &params([("n", n.to_string())]),
        )
    }
}

/// A red flag's words.
pub fn render_flag(flag: RedFlag, labels: &Labels, lang: &LanguageCode) -> String {
    text(labels, &format!("needs.red_flag.{}", flag.key()), lang)
}

/// An urgency band's words.
pub fn render_urgency(urgency: Urgency, labels: &Labels, lang: &LanguageCode) -> String {
    text(labels, &format!("needs.urgency.{}", urgency.key()), lang)
}

/// One reason in words, such as "blocked by Food (level 1, in crisis)".
pub fn render_reason(reason: &PriorityReason, labels: &Labels, lang: &LanguageCode) -> String {
    let key = format!("needs.reason.{}", reason.code());
    match reason {
        PriorityReason::RedFlag {
            flag,
            respond_within_minutes,
        } => labels.render(
            &key,
            lang,
            &params([
                ("flag", render_flag(*flag, labels, lang)),
                (
                    "within",
                    render_minutes(*respond_within_minutes, labels, lang),
                ),
            ]),
        ),
        PriorityReason::OwnLevel { level, points } => labels.render(
            &key,
            lang,
            &params([
                ("level", render_level(*level, labels, lang)),
                ("points", points.to_string()),
            ]),
        ),
        PriorityReason::Unrated { rating } => labels.render(
            &key,
            lang,
            &params([("rating", render_rating(*rating, labels, lang))]),
        ),
        PriorityReason::Foundational { points } => {
            labels.render(&key, lang, &params([("points", points.to_string())]))
        }
        PriorityReason::Blocks {
            domain,
            level,
            points,
        } => labels.render(
            &key,
            lang,
            &params([
                ("domain", render_domain(domain, labels, lang)),
                ("level", render_level(*level, labels, lang)),
                ("points", points.to_string()),
            ]),
        ),
        PriorityReason::BlockedBy {
            blocker,
            blocker_level,
        } => labels.render(
            &key,
            lang,
            &params([
                ("blocker", render_domain(blocker, labels, lang)),
                ("blocker_level", render_level(*blocker_level, labels, lang)),
            ]),
        ),
        PriorityReason::OwnRank { rank, points } => labels.render(
            &key,
            lang,
            &params([("rank", rank.to_string()), ("points", points.to_string())]),
        ),
        PriorityReason::AheadOfBlocker { blocker, cause } => labels.render(
            &format!("{key}.{}", cause.key()),
            lang,
            &params([("blocker", render_domain(blocker, labels, lang))]),
        ),
        PriorityReason::NotNow => text(labels, &key, lang),
    }
}

/// One item in words: "2. Livelihood and employment: level 2, vulnerable, high. own level:
/// level 2, vulnerable; blocked by Food (level 1, in crisis); …". Several `blocks` reasons read
/// as one phrase.
pub fn render_item(item: &PriorityItem, labels: &Labels, lang: &LanguageCode) -> String {
    let blocked: Vec<String> = item
        .reasons
        .iter()
        .filter_map(|r| match r {
            PriorityReason::Blocks { domain, .. } => Some(render_domain(domain, labels, lang)),
            _ => None,
        })
        .collect();
    let mut reasons: Vec<String> = Vec::with_capacity(item.reasons.len());
    for r in &item.reasons {
        match r {
            // Several blocked domains read as one phrase.
            PriorityReason::Blocks { .. } if blocked.len() > 1 => {
                if !reasons.iter().any(|x| x.is_empty()) {
                    reasons.push(String::new());
                }
            }
            _ => reasons.push(render_reason(r, labels, lang)),
        }
    }
    if let Some(slot) = reasons.iter_mut().find(|x| x.is_empty()) {
        *slot = labels.render(
            "needs.reason.blocks_many",
            lang,
            &params([
                ("count", blocked.len().to_string()),
                ("domains", blocked.join(", ")),
            ]),
        );
    }
    labels.render(
        "needs.item",
        lang,
        &params([
            ("position", item.position.to_string()),
            ("domain", render_domain(&item.domain, labels, lang)),
            ("rating", render_rating(item.rating, labels, lang)),
            ("urgency", render_urgency(item.urgency, labels, lang)),
            ("reasons", reasons.join("; ")),
        ]),
    )
}

/// One domain's change in words.
pub fn render_change(change: &DomainChange, labels: &Labels, lang: &LanguageCode) -> String {
    let domain = render_domain(&change.domain, labels, lang);
    let lvl = |l: Level| render_level(l, labels, lang);
    match change.change {
        Change::Improved { from, to, .. } => labels.render(
            "needs.change.improved",
            lang,
            &params([("domain", domain), ("from", lvl(from)), ("to", lvl(to))]),
        ),
        Change::Worsened { from, to, .. } => labels.render(
            if change.setback {
                "needs.change.worsened.setback"
            } else {
                "needs.change.worsened"
            },
            lang,
            &params([("domain", domain), ("from", lvl(from)), ("to", lvl(to))]),
        ),
        Change::Unchanged { level } => labels.render(
            "needs.change.unchanged",
            lang,
            &params([("domain", domain), ("level", lvl(level))]),
        ),
        Change::NotComparable => labels.render(
            "needs.change.not_comparable",
            lang,
            &params([
                ("domain", domain),
                ("before", render_rating(change.before, labels, lang)),
                ("after", render_rating(change.after, labels, lang)),
            ]),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::PriorityItem;

    fn en() -> LanguageCode {
        LanguageCode::new("en").unwrap()
    }

    #[test]
    fn every_reason_renders_without_placeholders() {
        let labels = labels();
        let k = DomainKey::from_static("food");
        let reasons = [
            PriorityReason::RedFlag {
                flag: RedFlag::SuicidalThoughts,
                respond_within_minutes: 60,
            },
            PriorityReason::OwnLevel {
                level: Level::InCrisis,
                points: 100,
            },
            PriorityReason::Unrated {
                rating: Rating::Declined,
            },
            PriorityReason::Foundational { points: 15 },
            PriorityReason::Blocks {
                domain: k.clone(),
                level: Level::Safe,
                points: 6,
            },
            PriorityReason::BlockedBy {
                blocker: k.clone(),
                blocker_level: Level::InCrisis,
            },
            PriorityReason::OwnRank {
                rank: 1,
                points: 50,
            },
            PriorityReason::AheadOfBlocker {
                blocker: k.clone(),
                cause: crate::priority::AheadCause::OwnRank,
            },
            PriorityReason::AheadOfBlocker {
                blocker: k.clone(),
                cause: crate::priority::AheadCause::RedFlag,
            },
            PriorityReason::AheadOfBlocker {
                blocker: k,
                cause: crate::priority::AheadCause::BlockerNotNow,
            },
            PriorityReason::NotNow,
        ];
        for r in &reasons {
            let text = render_reason(r, &labels, &en());
            assert!(!text.contains('{') && !text.starts_with("needs."), "{text}");
        }
        assert_eq!(
            render_reason(&reasons[0], &labels, &en()),
            "red flag: thoughts of suicide, respond within 1 hour"
        );
        assert_eq!(
            render_reason(&reasons[5], &labels, &en()),
            "blocked by Food (level 1, in crisis)"
        );
        assert_eq!(render_minutes(3 * 24 * 60, &labels, &en()), "3 days");
        assert_eq!(render_minutes(180, &labels, &en()), "3 hours");
        assert_eq!(render_minutes(45, &labels, &en()), "45 minutes");
    }

    #[test]
    fn items_render_with_blocks_as_one_phrase() {
        let item = PriorityItem {
            position: 1,
            domain: DomainKey::from_static("mental_health"),
            rating: Rating::Level(Level::Vulnerable),
            level: Some(Level::Vulnerable),
            urgency: Urgency::High,
            score: 72,
            respond_within_minutes: None,
            referable: true,
            reasons: vec![
                PriorityReason::OwnLevel {
                    level: Level::Vulnerable,
                    points: 60,
                },
                PriorityReason::Blocks {
                    domain: DomainKey::from_static("food"),
                    level: Level::Safe,
                    points: 6,
                },
                PriorityReason::Blocks {
                    domain: DomainKey::from_static("shelter"),
                    level: Level::Safe,
                    points: 6,
                },
            ],
        };
        assert_eq!(
            render_item(&item, &labels(), &en()),
            "1. Mental health: level 2, vulnerable, high. own level: level 2, vulnerable; blocks 2 domains: Food, Shelter and housing"
        );
    }
}
