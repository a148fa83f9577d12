//! Words an app shows, kept as data. Every decision in Beside carries a key (`domain.food`,
//! `reason.blocked_by`) and parameters; a [`Labels`] table turns them into text in the reader's
//! language, falling back to English. Apps and organisations supply their own tables (bn, km,
//! ne…) and their own choice of words ("survivor", "person with lived experience").

use crate::codes::LanguageCode;
use crate::domain::{Level, DEFAULT_DOMAINS};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Labels in one language: key to text. Text may hold `{name}` placeholders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LabelTable {
    /// The language of the texts.
    pub language: LanguageCode,
    /// Key to text.
    pub entries: BTreeMap<String, String>,
}

/// Label tables for several languages, with English as the fallback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// The tables; the first is the fallback.
    pub tables: Vec<LabelTable>,
}

impl Default for Labels {
    fn default() -> Self {
        Self::english()
    }
}

/// The English words for the shared vocabulary: domains, levels, and the person-facing term.
pub fn english_entries() -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for (key, label) in DEFAULT_DOMAINS.iter() {
        m.insert(key.label_key(), (*label).to_owned());
    }
    for level in Level::ALL {
        m.insert(format!("level.{}", level.key()), level.english().to_owned());
    }
    m.insert("term.person".into(), "survivor".into());
    for (key, text) in crate::merge::ENGLISH {
        m.insert((*key).to_owned(), (*text).to_owned());
    }
    m
}

impl Labels {
    /// The built-in English labels.
    pub fn english() -> Self {
        let language = LanguageCode::new("en").ok();
        Self {
            tables: language
                .map(|language| LabelTable {
                    language,
                    entries: english_entries(),
                })
                .into_iter()
                .collect(),
        }
    }

    /// Add or merge a table: entries for a language already present replace its entries of the
    /// same key.
    pub fn with_table(mut self, table: LabelTable) -> Self {
        if let Some(existing) = self
            .tables
            .iter_mut()
            .find(|t| t.language.same_language(&table.language))
        {
            existing.entries.extend(table.entries);
        } else {
            self.tables.push(table);
        }
        self
    }

    /// Add English entries (each crate adds its own reason texts).
    pub fn with_english(mut self, entries: BTreeMap<String, String>) -> Self {
        if let Some(first) = self.tables.first_mut() {
            first.entries.extend(entries);
        }
        self
    }

    /// The text for `key` in `language`, else in the fallback language, else `None`.
    pub fn get(&self, key: &str, language: &LanguageCode) -> Option<&str> {
        self.tables
            .iter()
            .find(|t| t.language.same_language(language))
            .and_then(|t| t.entries.get(key))
            .or_else(|| self.tables.first().and_then(|t| t.entries.get(key)))
            .map(String::as_str)
    }

    /// The text for `key` with its `{name}` placeholders filled from `params`; the key itself
    /// when no table has it, so nothing is ever silently blank.
    pub fn render(
        &self,
        key: &str,
        language: &LanguageCode,
        params: &BTreeMap<String, String>,
    ) -> String {
        match self.get(key, language) {
            Some(template) => fill(template, params),
            None => key.to_owned(),
        }
    }
}

/// The CLDR plural category of `count` in `language` (`one`, `few`, `many`, `other`…), the
/// suffix of a counted label's keys. A language CLDR has no rules for (Rohingya, say) has
/// only `other`, as CLDR defines for every language.
pub fn plural_category(language: &LanguageCode, count: u64) -> &'static str {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    // CLDR names languages by their ISO 639-1 code where there is one (`bn`, not `ben`).
    let code = match language.as_str().len() {
        3 => isolang::Language::from_639_3(language.as_str())
            .and_then(|l| l.to_639_1())
            .unwrap_or(language.as_str()),
        _ => language.as_str(),
    };
    let rules = code
        .parse::<unic_langid::LanguageIdentifier>()
        .ok()
        .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok());
    let Some(rules) = rules else {
        return "other";
    };
    match rules.select(count) {
        Ok(PluralCategory::ZERO) => "zero",
        Ok(PluralCategory::ONE) => "one",
        Ok(PluralCategory::TWO) => "two",
        Ok(PluralCategory::FEW) => "few",
        Ok(PluralCategory::MANY) => "many",
        Ok(PluralCategory::OTHER) | Err(_) => "other",
    }
}

impl Labels {
    /// The text for a count: the entry `{key}.{category}` for the count's CLDR plural category
    /// in the table's language (`referral.more.near_misses.one`, `….other`), else
    /// `{key}.other`, with `{count}` and `params` filled. The reader's language is tried first,
    /// then the fallback table with its own plural rules; the key itself when neither has it.
    pub fn render_count(
        &self,
        key: &str,
        language: &LanguageCode,
        count: u64,
        params: &BTreeMap<String, String>,
    ) -> String {
        let own = self
            .tables
            .iter()
            .find(|t| t.language.same_language(language));
        for table in own.into_iter().chain(self.tables.first()) {
            let category = plural_category(&table.language, count);
            let template = table
                .entries
                .get(&format!("{key}.{category}"))
                .or_else(|| table.entries.get(&format!("{key}.other")));
            if let Some(template) = template {
                let mut all = params.clone();
                all.insert("count".into(), count.to_string());
                return fill(template, &all);
            }
        }
        key.to_owned()
    }

    /// What a list cut short after `shown` of `total` items leaves out, in words ("… and 7 more
    /// near misses"), from the counted label `key` with `{count}` the number left out; `None`
    /// when nothing was left out.
    pub fn render_rest(
        &self,
        key: &str,
        language: &LanguageCode,
        total: usize,
        shown: usize,
    ) -> Option<String> {
        let rest = u64::try_from(total.saturating_sub(shown)).ok()?;
        (rest > 0).then(|| self.render_count(key, language, rest, &BTreeMap::new()))
    }
}

/// Fill `{name}` placeholders in `template` from `params`; unknown placeholders stay as they are.
pub fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after.find('}') {
            Some(close) => {
                let name = after.get(1..close).unwrap_or("");
                match params.get(name) {
                    Some(value) => out.push_str(value),
                    None => out.push_str(after.get(..=close).unwrap_or("")),
                }
                rest = after.get(close + 1..).unwrap_or("");
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english_and_fills() {
        let bn = LanguageCode::new("bn").ok();
        let Some(bn) = bn else { return };
        let labels = Labels::english()
            .with_english(BTreeMap::from([(
                "reason.blocked_by".to_owned(),
                "blocked by {blocker} at level {level}".to_owned(),
            )]))
            .with_table(LabelTable {
                language: bn,
                entries: BTreeMap::from([("domain.food".to_owned(), "খাদ্য".to_owned())]),
            });
        assert_eq!(labels.get("domain.food", &bn), Some("খাদ্য"));
        assert_eq!(
            labels.get("domain.shelter", &bn),
            Some("Shelter and housing")
        );
        let params = BTreeMap::from([
            ("blocker".to_owned(), "food".to_owned()),
            ("level".to_owned(), "1".to_owned()),
        ]);
        assert_eq!(
            labels.render("reason.blocked_by", &bn, &params),
            "blocked by food at level 1"
        );
        assert_eq!(labels.render("no.such.key", &bn, &params), "no.such.key");
        assert_eq!(fill("{a} {b} {", &params), "{a} {b} {");
    }

    #[test]
    fn counted_labels_follow_each_language_plural_rules() {
        let code = |c: &str| LanguageCode::new(c).unwrap();
        assert_eq!(plural_category(&code("en"), 1), "one");
        assert_eq!(plural_category(&code("en"), 0), "other");
        assert_eq!(plural_category(&code("en"), 7), "other");
        // Bengali: 0 and 1 take `one`; written as 639-3 too.
        assert_eq!(plural_category(&code("bn"), 0), "one");
        assert_eq!(plural_category(&code("ben"), 1), "one");
        assert_eq!(plural_category(&code("bn"), 2), "other");
        // Khmer has one form; Rohingya has no CLDR rules, so `other`.
        assert_eq!(plural_category(&code("km"), 1), "other");
        assert_eq!(plural_category(&code("rhg"), 1), "other");
        assert_eq!(plural_category(&code("ar"), 3), "few");

        let bn = code("bn");
        let labels = Labels::english()
            .with_english(BTreeMap::from([
                (
                    "more.x.one".to_owned(),
                    "… and {count} more near miss".to_owned(),
                ),
                (
                    "more.x.other".to_owned(),
                    "… and {count} more near misses".to_owned(),
                ),
            ]))
            .with_table(LabelTable {
                language: bn,
                entries: BTreeMap::from([("more.x.other".to_owned(), "আরও {count}টি".to_owned())]),
            });
        let en = code("en");
        let none = BTreeMap::new();
        assert_eq!(
            labels.render_count("more.x", &en, 1, &none),
            "… and 1 more near miss"
        );
        assert_eq!(
            labels.render_count("more.x", &en, 7, &none),
            "… and 7 more near misses"
        );
        // Bengali has no `one` entry here: its `other` form is used, not English.
        assert_eq!(labels.render_count("more.x", &bn, 1, &none), "আরও 1টি");
        // A language without a table falls back to English, with English rules.
        assert_eq!(
            labels.render_count("more.x", &code("km"), 1, &none),
            "… and 1 more near miss"
        );
        assert_eq!(labels.render_count("no.such", &en, 2, &none), "no.such");
        assert_eq!(
            labels.render_rest("more.x", &en, 9, 2).as_deref(),
            Some("… and 7 more near misses")
        );
        assert_eq!(labels.render_rest("more.x", &en, 2, 2), None);
        assert_eq!(labels.render_rest("more.x", &en, 1, 2), None);
    }
}
