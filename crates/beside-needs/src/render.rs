//! Words for the decisions of this crate, as label templates an app can translate, and helpers
//! that render priorities, reasons and changes through a [`Labels`] table.

use crate::assessment::RedFlag;
use crate::compare::{Change, DomainChange};
use crate::priority::{PriorityItem, PriorityReason, Urgency};
use beside_core::{Arg, DomainKey, Labels, LanguageCode, Level, Rating};

/// The English resource of needs (with the standard catalogue's domains and anchors) (`locales/en/needs.ftl`), complete: every key this
/// crate renders. Add it to [`beside_core::Labels`] with `Labels::english().with_english(..)`.
pub fn english_labels() -> &'static str {
    ENGLISH
}

/// The English resource of needs (with the standard catalogue's domains and anchors), embedded.
pub const ENGLISH: &str = include_str!("../locales/en/needs.ftl");

/// Draft packs (Bengali, Khmer) of the needs reasons, urgencies, levels and durations, for
/// review by native speakers; what they lack falls back to English.
pub const DRAFT_PACKS: &[(LanguageCode, &str)] = &[
    (
        LanguageCode::BENGALI,
        include_str!("../locales/bn/needs.ftl"),
    ),
    (LanguageCode::KHMER, include_str!("../locales/km/needs.ftl")),
];

/// The built-in labels: the shared vocabulary plus this crate's, in English and the draft
/// packs.
pub fn labels() -> Labels {
    Labels::with_drafts()
        .with_english(ENGLISH)
        .with_packs(DRAFT_PACKS)
}

fn text(labels: &Labels, key: &str, lang: &LanguageCode) -> String {
    labels.render_args(key, lang, &[])
}

/// A domain's label.
pub fn render_domain(domain: &DomainKey, labels: &Labels, lang: &LanguageCode) -> String {
    text(labels, &domain.label_key(), lang)
}

/// A level, such as "level 1, in crisis".
pub fn render_level(level: Level, labels: &Labels, lang: &LanguageCode) -> String {
    let label = text(labels, &format!("level.{}", level.key()), lang);
    labels.render_args(
        "needs.level",
        lang,
        &[
            ("number", Arg::number(level.number())),
            ("label", Arg::Text(label)),
        ],
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
    labels.render_args(
        &format!("needs.duration.{unit}s"),
        lang,
        &[("n", Arg::number(n))],
    )
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
        } => labels.render_args(
            &key,
            lang,
            &[
                ("flag", Arg::Text(render_flag(*flag, labels, lang))),
                (
                    "within",
                    Arg::Text(render_minutes(*respond_within_minutes, labels, lang)),
                ),
            ],
        ),
        PriorityReason::OwnLevel { level, points } => labels.render_args(
            &key,
            lang,
            &[
                ("level", Arg::Text(render_level(*level, labels, lang))),
                ("points", Arg::number(*points)),
            ],
        ),
        PriorityReason::Unrated { rating } => labels.render_args(
            &key,
            lang,
            &[("rating", Arg::Text(render_rating(*rating, labels, lang)))],
        ),
        PriorityReason::Foundational { points } => {
            labels.render_args(&key, lang, &[("points", Arg::number(*points))])
        }
        PriorityReason::Blocks {
            domain,
            level,
            points,
        } => labels.render_args(
            &key,
            lang,
            &[
                ("domain", Arg::Text(render_domain(domain, labels, lang))),
                ("level", Arg::Text(render_level(*level, labels, lang))),
                ("points", Arg::number(*points)),
            ],
        ),
        PriorityReason::BlockedBy {
            blocker,
            blocker_level,
        } => labels.render_args(
            &key,
            lang,
            &[
                ("blocker", Arg::Text(render_domain(blocker, labels, lang))),
                (
                    "blocker_level",
                    Arg::Text(render_level(*blocker_level, labels, lang)),
                ),
            ],
        ),
        PriorityReason::OwnRank { rank, points } => labels.render_args(
            &key,
            lang,
            &[
                ("rank", Arg::number(*rank)),
                ("points", Arg::number(*points)),
            ],
        ),
        PriorityReason::AheadOfBlocker { blocker, cause } => labels.render_args(
            &format!("{key}.{}", cause.key()),
            lang,
            &[("blocker", Arg::Text(render_domain(blocker, labels, lang)))],
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
        *slot = labels.render_args(
            "needs.reason.blocks_many",
            lang,
            &[
                ("count", Arg::count(blocked.len())),
                ("domains", Arg::Text(blocked.join(", "))),
            ],
        );
    }
    labels.render_args(
        "needs.item",
        lang,
        &[
            ("position", Arg::number(item.position)),
            (
                "domain",
                Arg::Text(render_domain(&item.domain, labels, lang)),
            ),
            (
                "rating",
                Arg::Text(render_rating(item.rating, labels, lang)),
            ),
            (
                "urgency",
                Arg::Text(render_urgency(item.urgency, labels, lang)),
            ),
            ("reasons", Arg::Text(reasons.join("; "))),
        ],
    )
}

/// One domain's change in words.
pub fn render_change(change: &DomainChange, labels: &Labels, lang: &LanguageCode) -> String {
    let domain = render_domain(&change.domain, labels, lang);
    let lvl = |l: Level| render_level(l, labels, lang);
    match change.change {
        Change::Improved { from, to, .. } => labels.render_args(
            "needs.change.improved",
            lang,
            &[
                ("domain", Arg::Text(domain)),
                ("from", Arg::Text(lvl(from))),
                ("to", Arg::Text(lvl(to))),
            ],
        ),
        Change::Worsened { from, to, .. } => labels.render_args(
            if change.setback {
                "needs.change.worsened.setback"
            } else {
                "needs.change.worsened"
            },
            lang,
            &[
                ("domain", Arg::Text(domain)),
                ("from", Arg::Text(lvl(from))),
                ("to", Arg::Text(lvl(to))),
            ],
        ),
        Change::Unchanged { level } => labels.render_args(
            "needs.change.unchanged",
            lang,
            &[
                ("domain", Arg::Text(domain)),
                ("level", Arg::Text(lvl(level))),
            ],
        ),
        Change::NotComparable => labels.render_args(
            "needs.change.not_comparable",
            lang,
            &[
                ("domain", Arg::Text(domain)),
                (
                    "before",
                    Arg::Text(render_rating(change.before, labels, lang)),
                ),
                (
                    "after",
                    Arg::Text(render_rating(change.after, labels, lang)),
                ),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
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
        assert_eq!(render_minutes(60, &labels, &en()), "1 hour");
        assert_eq!(render_minutes(1, &labels, &en()), "1 minute");
        assert_eq!(render_minutes(24 * 60, &labels, &en()), "1 day");

        // The draft packs: every reason has words, numbers in the locale's digits.
        for language in [LanguageCode::BENGALI, LanguageCode::KHMER] {
            for r in &reasons {
                let text = render_reason(r, &labels, &language);
                assert!(!text.contains('{') && !text.is_ascii(), "{text}");
                assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
            }
        }
        assert_eq!(
            render_reason(&reasons[5], &labels, &LanguageCode::BENGALI),
            "খাদ্য (স্তর ১, সংকটে)-এর কারণে আটকে আছে"
        );
        assert_eq!(
            render_reason(&reasons[0], &labels, &LanguageCode::KHMER),
            "សញ្ញាគ្រោះថ្នាក់៖ គំនិតចង់ធ្វើអត្តឃាត, ឆ្លើយតបក្នុងរយៈពេល ១ ម៉ោង"
        );
    }

    #[test]
    fn draft_packs_agree_with_english() {
        for (language, pack) in DRAFT_PACKS {
            let report = beside_core::labels::compare_locale(&[ENGLISH], &[pack]).unwrap();
            assert!(report.is_sound(), "{language:?}: {report:?}");
            // Only the catalogue's level anchors and the domain names (in the shared
            // vocabulary's packs) are left to other resources.
            assert!(
                report
                    .missing
                    .iter()
                    .all(|k| k.starts_with("anchor.") || k.starts_with("domain.")),
                "{language:?}: {:?}",
                report.missing
            );
            assert!(pack.contains("DRAFT"));
        }
    }

    #[test]
    fn the_resource_has_the_standard_catalogue_words() {
        // The standard catalogue's domain names and anchors are written in `needs.ftl` too:
        // they must say the same.
        let labels = labels();
        for (key, text) in Catalogue::standard().english_labels() {
            assert_eq!(
                labels.get(&key, &en()).as_deref(),
                Some(text.as_str()),
                "{key}"
            );
        }
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
