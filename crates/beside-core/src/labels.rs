//! Words an app shows, kept as data, in [Project Fluent](https://projectfluent.org/) resources.
//! Every decision in Beside carries a key (`domain.food`, `needs.reason.blocked_by`) and
//! parameters; [`Labels`] turns them into text in the reader's language, falling back to
//! English.
//!
//! - **Resources**: each locale is a [`LocalePack`] of `.ftl` texts. The English ones are
//!   embedded in each crate (`crates/<crate>/locales/en/*.ftl`), so nothing is read from disk at
//!   run time; apps and organisations add or override a locale with [`Labels::with_resource`]
//!   (their own words: "survivor", "person with lived experience"), and a malformed resource is
//!   a [`LabelsError`] naming its line and column.
//! - **Keys and ids**: Fluent ids cannot hold `.`, so the key `consent.summary.consent` is the
//!   message `consent-summary-consent` ([`fluent_id`]: each `.` becomes `-`; keys are written
//!   with lower-case letters, digits and `_`, so the mapping is one to one). Data keeps the
//!   dotted keys.
//! - **Plurals**: a counted text selects on `$count` (`{ $count -> [one] … *[other] … }`) with
//!   the CLDR plural rules of the pack's language, through Fluent (`intl_pluralrules`).
//! - **Numbers**: a number placeable is written in the digits of the language's CLDR default
//!   numbering system ([`NumberingSystem`]: Bengali ০-৯ for `bn`, Khmer ០-៩ for `km`,
//!   Devanagari ०-९ for `ne`), without grouping. Text parameters (ids) are left as they are.
//! - **Dates**: [`Labels::format_date`] writes a day as the locale's `date-style` message says:
//!   `iso` (`2026-11-20`, English's) or `day-month-year` (`২০ নভেম্বর ২০২৬`) with the month
//!   names `date-month-1` … `date-month-12` of the locale, digits shaped as numbers are.
//! - **Checking**: [`compare_locale`] compares a locale's resource with English: missing ids,
//!   extra ids, and placeables English does not have (`cargo run -p xtask -- locales --check`).

use crate::codes::LanguageCode;
use crate::error::{FieldError, Reason};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

/// The English resource of the shared vocabulary: need domains, levels, merge conflicts, dates.
pub const ENGLISH_CORE: &str = include_str!("../locales/en/core.ftl");

/// Draft packs of the shared vocabulary (Bengali, Khmer), for review by native speakers.
pub const DRAFT_PACKS: &[(LanguageCode, &str)] = &[
    (
        LanguageCode::BENGALI,
        include_str!("../locales/bn/core.ftl"),
    ),
    (LanguageCode::KHMER, include_str!("../locales/km/core.ftl")),
];

/// One locale's Fluent resources (`.ftl` texts), later ones overriding earlier ones' messages
/// of the same id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LocalePack {
    /// The language of the texts.
    pub language: LanguageCode,
    /// The `.ftl` texts, in the order they were added.
    pub resources: Vec<String>,
}

/// The words of every locale an app reads, with English (the first pack) as the fallback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// The packs; the first is the fallback.
    pub locales: Vec<LocalePack>,
}

impl Default for Labels {
    fn default() -> Self {
        Self::english()
    }
}

/// A resource that is not valid Fluent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum LabelsError {
    /// The Fluent parser stopped at `line`, `column` (both from 1).
    #[error("ftl: line {line}, column {column}: {message}")]
    Malformed {
        /// The parser's message.
        message: String,
        /// The line of the resource, from 1.
        line: usize,
        /// The column of that line in characters, from 1.
        column: usize,
    },
}

impl From<LabelsError> for FieldError {
    fn from(e: LabelsError) -> Self {
        match e {
            LabelsError::Malformed {
                message,
                line,
                column,
            } => FieldError::new(
                "ftl",
                Reason::Malformed {
                    message,
                    line,
                    column,
                },
            ),
        }
    }
}

/// A parameter of a message: text shown as it is (an id, a word already rendered) or a number
/// (selects a plural form, written in the locale's digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Arg {
    /// Text as it is.
    Text(String),
    /// A whole number.
    Number(i64),
}

impl Arg {
    /// A number parameter from any integer that fits in `i64` (counts, ages, hours).
    pub fn number(n: impl Into<i64>) -> Self {
        Arg::Number(n.into())
    }

    /// A number parameter from a count of items in memory. INVARIANT: such a count fits in
    /// `i64` (`usize` is at most 64 bits wide on every target Rust supports, and a count of
    /// items held is below `isize::MAX`); it would read `i64::MAX` otherwise.
    pub fn count(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// The Fluent message id of a label key: each `.` becomes `-`
/// (`consent.summary.consent` → `consent-summary-consent`).
pub fn fluent_id(key: &str) -> String {
    key.replace('.', "-")
}

/// The label key of a Fluent message id, the inverse of [`fluent_id`].
pub fn label_key(id: &str) -> String {
    id.replace('-', ".")
}

/// A numbering system of CLDR: the digits numbers are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NumberingSystem {
    /// ASCII digits 0-9 (`latn`).
    Latn,
    /// Bengali digits ০-৯ (`beng`).
    Beng,
    /// Devanagari digits ०-९ (`deva`).
    Deva,
    /// Khmer digits ០-៩ (`khmr`).
    Khmr,
    /// Myanmar digits ၀-၉ (`mymr`).
    Mymr,
}

impl NumberingSystem {
    /// The CLDR default numbering system of `language`: `beng` for Bengali and Assamese,
    /// `deva` for Nepali and Marathi, `khmr` for Khmer, `mymr` for Burmese, else `latn`
    /// (CLDR `defaultNumberingSystem`).
    pub fn of(language: &LanguageCode) -> Self {
        match cldr_code(language).as_str() {
            "bn" | "as" => Self::Beng,
            "ne" | "mr" => Self::Deva,
            "km" => Self::Khmr,
            "my" => Self::Mymr,
            _ => Self::Latn,
        }
    }

    /// The digit zero of this system; the others follow it in Unicode.
    fn zero(self) -> u32 {
        match self {
            Self::Latn => '0' as u32,
            Self::Beng => 0x09E6,
            Self::Deva => 0x0966,
            Self::Khmr => 0x17E0,
            Self::Mymr => 0x1040,
        }
    }

    /// `text` with each ASCII digit written in this system's digit.
    pub fn shape(self, text: &str) -> String {
        text.chars()
            .map(|c| match c.to_digit(10) {
                // INVARIANT: each system's ten digits are consecutive code points from its zero,
                // all assigned characters, so `from_u32` always succeeds.
                Some(d) if c.is_ascii_digit() => char::from_u32(self.zero() + d).unwrap_or(c),
                _ => c,
            })
            .collect()
    }
}

/// The CLDR name of a language: its ISO 639-1 code where there is one (`bn`, not `ben`).
fn cldr_code(language: &LanguageCode) -> String {
    let code = language.as_str();
    match code.len() {
        // A language with no two-letter code (Rohingya, `rhg`) is named by its three letters.
        3 => isolang::Language::from_639_3(code)
            .and_then(|l| l.to_639_1())
            .unwrap_or(code)
            .to_owned(),
        _ => code.to_owned(),
    }
}

/// The CLDR plural category of `count` in `language` (`one`, `few`, `many`, `other`…). A
/// language CLDR has no rules for (Rohingya, say) has only `other`, as CLDR defines for every
/// language.
pub fn plural_category(language: &LanguageCode, count: u64) -> &'static str {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    let rules = cldr_code(language)
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

type Bundle = FluentBundle<FluentResource>;

/// How many compiled bundles the process keeps (each is one pack's parsed resources).
const CACHE_SIZE: usize = 32;

/// The compiled bundle of `pack`, from a process-wide cache of the packs last used (compared by
/// content: a length check, then a byte comparison, much cheaper than parsing), so a [`Labels`]
/// value stays plain data (serde, uniffi) and each pack is parsed once.
fn bundle(pack: &LocalePack) -> Option<Arc<Bundle>> {
    static CACHE: OnceLock<Mutex<Vec<Cached>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    // A panic while the lock was held cannot leave the cache half-written (entries are pushed
    // whole), so a poisoned lock's data is still sound.
    let mut entries = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, b)) = entries.iter().find(|(p, _)| p == pack) {
        return Some(Arc::clone(b));
    }
    let built = Arc::new(build(pack)?);
    if entries.len() >= CACHE_SIZE {
        entries.remove(0);
    }
    entries.push((pack.clone(), Arc::clone(&built)));
    Some(built)
}

/// A compiled bundle and the pack it was built from.
type Cached = (LocalePack, Arc<Bundle>);

/// The bundle of `pack`; `None` if its language is not a BCP 47 language subtag (never, for a
/// checked ISO 639 code: the pack's messages then render as their keys, visibly).
fn build(pack: &LocalePack) -> Option<Bundle> {
    let id = cldr_code(&pack.language)
        .parse::<unic_langid::LanguageIdentifier>()
        .ok()?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Text goes into apps' own layouts: no Unicode isolation marks around placeables.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match NumberingSystem::of(&pack.language) {
        NumberingSystem::Latn => format_latn,
        NumberingSystem::Beng => format_beng,
        NumberingSystem::Deva => format_deva,
        NumberingSystem::Khmr => format_khmr,
        NumberingSystem::Mymr => format_mymr,
    }));
    for source in &pack.resources {
        // INVARIANT: resources are checked when they come in ([`Labels::with_resource`],
        // [`Labels::check`] for a pack read as data; built-in ones by each crate's tests). A
        // pack assembled by hand with a malformed resource renders its well-formed messages;
        // the others render as their key, so nothing is silently blank.
        let resource = match FluentResource::try_new(source.clone()) {
            Ok(r) | Err((r, _)) => r,
        };
        bundle.add_resource_overriding(resource);
    }
    Some(bundle)
}

fn shaped(value: &FluentValue<'_>, system: NumberingSystem) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(system.shape(&n.as_string())),
        _ => None,
    }
}

fn format_latn<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    shaped(value, NumberingSystem::Latn)
}
fn format_beng<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    shaped(value, NumberingSystem::Beng)
}
fn format_deva<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    shaped(value, NumberingSystem::Deva)
}
fn format_khmr<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    shaped(value, NumberingSystem::Khmr)
}
fn format_mymr<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    shaped(value, NumberingSystem::Mymr)
}

/// Line and column (from 1, in characters) of byte `offset` of `source`.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    // INVARIANT: the parser reports byte offsets at character boundaries within the source;
    // any other offset is taken as the end of the source.
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, last)| last)
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Parse `source` as Fluent, refusing it at the first error with its line and column.
pub fn parse_resource(source: &str) -> Result<FluentResource, LabelsError> {
    FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
        let first = errors.iter().min_by_key(|e| e.pos.start);
        match first {
            Some(e) => {
                let (line, column) = line_column(source, e.pos.start);
                LabelsError::Malformed {
                    message: e.kind.to_string(),
                    line,
                    column,
                }
            }
            // INVARIANT: Fluent reports an error with every failed parse; none reported still
            // refuses the resource, at its start.
            None => LabelsError::Malformed {
                message: "not a Fluent resource".into(),
                line: 1,
                column: 1,
            },
        }
    })
}

impl Labels {
    /// The built-in English words of the shared vocabulary.
    pub fn english() -> Self {
        Self {
            locales: vec![LocalePack {
                language: LanguageCode::ENGLISH,
                resources: vec![ENGLISH_CORE.to_owned()],
            }],
        }
    }

    /// English plus the draft packs of the shared vocabulary ([`DRAFT_PACKS`]).
    pub fn with_drafts() -> Self {
        Self::english().with_packs(DRAFT_PACKS)
    }

    /// Add a built-in English resource (each crate adds its own).
    pub fn with_english(self, ftl: &str) -> Self {
        self.with_pack(LanguageCode::ENGLISH, ftl)
    }

    /// Add built-in resources, one per language (a crate's draft packs).
    pub fn with_packs(self, packs: &[(LanguageCode, &str)]) -> Self {
        packs.iter().fold(self, |labels, (language, ftl)| {
            labels.with_pack(*language, ftl)
        })
    }

    /// Add a resource of `language` whose syntax is already known to be sound (built-in
    /// resources are checked by tests); its messages override those of the same id.
    fn with_pack(mut self, language: LanguageCode, ftl: &str) -> Self {
        match self
            .locales
            .iter_mut()
            .find(|p| p.language.same_language(&language))
        {
            Some(pack) => pack.resources.push(ftl.to_owned()),
            None => self.locales.push(LocalePack {
                language,
                resources: vec![ftl.to_owned()],
            }),
        }
        self
    }

    /// Add or override a locale at run time from `.ftl` text: its messages replace those of
    /// the same id in `language` (a new language is added). A malformed resource is refused
    /// with the line and column where parsing stopped.
    pub fn with_resource(self, language: LanguageCode, ftl: &str) -> Result<Self, LabelsError> {
        parse_resource(ftl)?;
        Ok(self.with_pack(language, ftl))
    }

    /// Check every resource of every pack (for labels read as data).
    pub fn check(&self) -> Result<(), LabelsError> {
        for pack in &self.locales {
            for source in &pack.resources {
                parse_resource(source)?;
            }
        }
        Ok(())
    }

    /// The pack of `language`, then the fallback pack.
    fn packs(&self, language: &LanguageCode) -> impl Iterator<Item = &LocalePack> {
        self.locales
            .iter()
            .find(|p| p.language.same_language(language))
            .into_iter()
            .chain(self.locales.first())
    }

    /// The message `key` formatted with `args`, in `language` else in the fallback language.
    fn format(
        &self,
        key: &str,
        language: &LanguageCode,
        args: Option<&FluentArgs>,
    ) -> Option<String> {
        let id = fluent_id(key);
        self.packs(language).find_map(|pack| {
            let bundle = bundle(pack)?;
            let pattern = bundle.get_message(&id)?.value()?;
            let mut errors = Vec::new();
            Some(
                bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned(),
            )
        })
    }

    /// The text of `key` without parameters, in `language` else in the fallback language, else
    /// `None`.
    pub fn get(&self, key: &str, language: &LanguageCode) -> Option<String> {
        self.format(key, language, None)
    }

    /// The text for `key` with its placeables filled from `params` (text, shown as it is); the
    /// key itself when no pack has it, so nothing is ever silently blank.
    pub fn render(
        &self,
        key: &str,
        language: &LanguageCode,
        params: &BTreeMap<String, String>,
    ) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in params {
            args.set(name.as_str(), value.as_str());
        }
        self.format(key, language, Some(&args))
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for `key` with typed parameters: numbers select plural forms and are written in
    /// the locale's digits. The key itself when no pack has it.
    pub fn render_args(
        &self,
        key: &str,
        language: &LanguageCode,
        params: &[(&str, Arg)],
    ) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in params {
            match value {
                Arg::Text(t) => args.set(*name, t.as_str()),
                Arg::Number(n) => args.set(*name, *n),
            }
        }
        self.format(key, language, Some(&args))
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for a count: the message `key` with `$count` (which its variants select on by
    /// the CLDR plural category in the pack's language) and `params`. The reader's language is
    /// tried first, then the fallback with its own plural rules; the key itself when neither
    /// has it.
    pub fn render_count(
        &self,
        key: &str,
        language: &LanguageCode,
        count: u64,
        params: &BTreeMap<String, String>,
    ) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in params {
            args.set(name.as_str(), value.as_str());
        }
        args.set("count", count);
        self.format(key, language, Some(&args))
            .unwrap_or_else(|| key.to_owned())
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

    /// A whole number in the digits of `language` ([`NumberingSystem::of`]).
    pub fn format_number(&self, n: i64, language: &LanguageCode) -> String {
        NumberingSystem::of(language).shape(&n.to_string())
    }

    /// A day in `language`: as its `date-style` message says, `iso` (`2026-11-20`) or
    /// `day-month-year` (`20 November 2026`, month names `date-month-<n>`), in the language's
    /// digits. The style and month names come from the reader's pack, else from English.
    pub fn format_date(&self, date: chrono::NaiveDate, language: &LanguageCode) -> String {
        use chrono::Datelike;
        let digits = NumberingSystem::of(language);
        let style = self.get("date.style", language);
        let month = self.get(&format!("date.month.{}", date.month()), language);
        match (style.as_deref(), month) {
            (Some("day-month-year"), Some(month)) => format!(
                "{} {month} {}",
                digits.shape(&date.day().to_string()),
                digits.shape(&date.year().to_string())
            ),
            // `iso`, and a pack without the style or a month name: the ISO form, which is
            // unambiguous in every language.
            _ => digits.shape(&date.format("%Y-%m-%d").to_string()),
        }
    }
}

/// What [`compare_locale`] finds in a locale's resources, against English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LocaleReport {
    /// Label keys English has and the locale does not (a note for a draft pack).
    pub missing: Vec<String>,
    /// Label keys the locale has and English does not (an error: nothing would show them).
    pub extra: Vec<String>,
    /// `key: $name` for each placeable of the locale that English's message does not have (an
    /// error: it would never be filled).
    pub unknown_placeables: Vec<String>,
}

impl LocaleReport {
    /// Neither extra keys nor unknown placeables (missing keys are allowed: English shows).
    pub fn is_sound(&self) -> bool {
        self.extra.is_empty() && self.unknown_placeables.is_empty()
    }
}

/// Each message's id and the variables its value and attributes use.
fn messages(resources: &[&str]) -> Result<BTreeMap<String, BTreeSet<String>>, LabelsError> {
    let mut out = BTreeMap::new();
    for source in resources {
        let resource = parse_resource(source)?;
        for entry in resource.entries() {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                for a in &m.attributes {
                    pattern_vars(&a.value, &mut vars);
                }
                out.insert(m.id.name.to_owned(), vars);
            }
        }
    }
    Ok(out)
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
            for a in &arguments.named {
                inline_vars(&a.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        _ => {}
    }
}

/// The label keys of the messages of `resources` (`consent.summary.consent`).
pub fn keys(resources: &[&str]) -> Result<BTreeSet<String>, LabelsError> {
    Ok(messages(resources)?
        .keys()
        .map(|id| label_key(id))
        .collect())
}

/// Each message of `resources` by label key, as its Fluent text (the value and attributes as
/// written in a `.ftl` file, without the id): for apps that show or translate the words.
pub fn message_texts(resources: &[&str]) -> Result<BTreeMap<String, String>, LabelsError> {
    let mut out = BTreeMap::new();
    for source in resources {
        let resource = parse_resource(source)?;
        for entry in resource.entries() {
            if let ast::Entry::Message(m) = entry {
                let one = ast::Resource {
                    body: vec![ast::Entry::Message(m.clone())],
                };
                let text = fluent_syntax::serializer::serialize(&one);
                let prefix = format!("{} =", m.id.name);
                // The serializer writes a message as `id = …`; the id is dropped.
                let body = text.strip_prefix(&prefix).unwrap_or(&text);
                out.insert(label_key(m.id.name), body.trim().to_owned());
            }
        }
    }
    Ok(out)
}

/// Compare a locale's resources with English's: the keys it lacks, the keys English does not
/// have, and the placeables English's message of the same key does not have. A malformed
/// resource is a [`LabelsError`] with its line.
pub fn compare_locale(english: &[&str], locale: &[&str]) -> Result<LocaleReport, LabelsError> {
    let english = messages(english)?;
    let locale = messages(locale)?;
    let mut report = LocaleReport::default();
    for id in english.keys() {
        if !locale.contains_key(id) {
            report.missing.push(label_key(id));
        }
    }
    for (id, vars) in &locale {
        match english.get(id) {
            None => report.extra.push(label_key(id)),
            Some(known) => {
                for v in vars.difference(known) {
                    report
                        .unknown_placeables
                        .push(format!("{}: ${v}", label_key(id)));
                }
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> LanguageCode {
        LanguageCode::new(c).unwrap()
    }

    #[test]
    fn falls_back_to_english_and_fills() {
        let bn = code("bn");
        let labels = Labels::english()
            .with_english("reason-blocked_by = blocked by { $blocker } at level { $level }\n")
            .with_resource(bn, "domain-food = খাদ্য\n")
            .unwrap();
        assert_eq!(labels.get("domain.food", &bn).as_deref(), Some("খাদ্য"));
        assert_eq!(
            labels.get("domain.shelter", &bn).as_deref(),
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
        // An app overrides English words at run time.
        let labels = labels
            .with_resource(
                LanguageCode::ENGLISH,
                "term-person = person with lived experience\n",
            )
            .unwrap();
        assert_eq!(
            labels.get("term.person", &code("en")).as_deref(),
            Some("person with lived experience")
        );
    }

    #[test]
    fn a_malformed_resource_names_its_line_and_column() {
        let err = Labels::english()
            .with_resource(code("bn"), "domain-food = খাদ্য\ndomain-shelter = আশ্রয় }\n")
            .unwrap_err();
        let LabelsError::Malformed { line, column, .. } = &err;
        // Columns count characters, not bytes.
        assert_eq!((*line, *column), (2, 25), "{err}");
        assert!(
            err.to_string().starts_with("ftl: line 2, column 25: "),
            "{err}"
        );
        let field = FieldError::from(err);
        assert_eq!(field.path, "ftl");
        let err = parse_resource("no equals sign here\n").unwrap_err();
        assert!(err.to_string().starts_with("ftl: line 1, column "), "{err}");
        assert!(Labels::english().check().is_ok());
        let mut broken = Labels::english();
        broken.locales[0].resources.push("x = {".into());
        assert!(broken.check().is_err());
    }

    #[test]
    fn counted_labels_follow_each_language_plural_rules() {
        assert_eq!(plural_category(&code("en"), 1), "one");
        assert_eq!(plural_category(&code("en"), 0), "other");
        assert_eq!(plural_category(&code("bn"), 0), "one");
        assert_eq!(plural_category(&code("ben"), 1), "one");
        assert_eq!(plural_category(&code("bn"), 2), "other");
        assert_eq!(plural_category(&code("km"), 1), "other");
        assert_eq!(plural_category(&code("rhg"), 1), "other");
        assert_eq!(plural_category(&code("ar"), 3), "few");

        let bn = code("bn");
        let labels = Labels::english()
            .with_english(
                "more-x = { $count ->\n    [one] … and { $count } more near miss\n   *[other] … and { $count } more near misses\n}\n",
            )
            .with_resource(bn, "more-x = আরও { $count }টি\n")
            .unwrap();
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
        // Bengali has its own text, in Bengali digits.
        assert_eq!(labels.render_count("more.x", &bn, 17, &none), "আরও ১৭টি");
        // A language without a pack falls back to English, with English rules.
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

    #[test]
    fn numbers_and_dates_in_the_locale_digits() {
        let labels = Labels::with_drafts();
        assert_eq!(NumberingSystem::of(&code("bn")), NumberingSystem::Beng);
        assert_eq!(NumberingSystem::of(&code("ben")), NumberingSystem::Beng);
        assert_eq!(NumberingSystem::of(&code("km")), NumberingSystem::Khmr);
        assert_eq!(NumberingSystem::of(&code("en")), NumberingSystem::Latn);
        assert_eq!(labels.format_number(2026, &code("bn")), "২০২৬");
        assert_eq!(labels.format_number(-19, &code("km")), "-១៩");
        assert_eq!(labels.format_number(1057, &code("ne")), "१०५७");
        assert_eq!(labels.format_number(42, &code("en")), "42");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(labels.format_date(day, &code("en")), "2026-11-20");
        assert_eq!(labels.format_date(day, &code("bn")), "২০ নভেম্বর ২০২৬");
        assert_eq!(labels.format_date(day, &code("km")), "២០ វិច្ឆិកា ២០២៦");
        // A language without a pack: ISO, in its own digits.
        assert_eq!(labels.format_date(day, &code("ne")), "२०२६-११-२०");
        let args = [("n", Arg::number(3)), ("id", Arg::Text("c-12".into()))];
        let labels = labels
            .with_resource(code("bn"), "x = { $n } দিন [{ $id }]\n")
            .unwrap();
        // Numbers are shaped, ids are not.
        assert_eq!(labels.render_args("x", &code("bn"), &args), "৩ দিন [c-12]");
    }

    #[test]
    fn keys_and_texts_of_a_resource() {
        let ftl = "a-b = A { $x }\nc = { $n ->\n [one] one\n *[other] many\n}\n";
        let keys = keys(&[ftl]).unwrap();
        assert_eq!(keys.into_iter().collect::<Vec<_>>(), ["a.b", "c"]);
        let texts = message_texts(&[ftl]).unwrap();
        assert_eq!(texts["a.b"], "A { $x }");
        assert!(texts["c"].contains("*[other] many"), "{texts:?}");
    }

    #[test]
    fn keys_map_to_fluent_ids_and_back() {
        assert_eq!(
            fluent_id("consent.summary.consent"),
            "consent-summary-consent"
        );
        assert_eq!(
            label_key("consent-reason-none_given"),
            "consent.reason.none_given"
        );
    }

    #[test]
    fn the_checker_finds_missing_extra_and_unknown_placeables() {
        let en =
            "a = A { $x }\nb = { $count ->\n [one] one\n *[other] { $count } { $y }\n}\nc = C\n";
        let xx = "a = A { $x } { $z }\nb = { $count -> \n *[other] { $y }\n}\nd = D\n";
        let report = compare_locale(&[en], &[xx]).unwrap();
        assert_eq!(report.missing, vec!["c".to_owned()]);
        assert_eq!(report.extra, vec!["d".to_owned()]);
        assert_eq!(report.unknown_placeables, vec!["a: $z".to_owned()]);
        assert!(!report.is_sound());
        let err = compare_locale(&[en], &["a = A\nb = {\n"]).unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
    }

    #[test]
    fn built_in_packs_are_sound() {
        let report = compare_locale(&[ENGLISH_CORE], &[]).unwrap();
        assert!(report.missing.len() > 20);
        for (language, ftl) in DRAFT_PACKS {
            let report = compare_locale(&[ENGLISH_CORE], &[ftl]).unwrap();
            assert!(report.is_sound(), "{language:?}: {report:?}");
            assert!(ftl.contains("DRAFT"), "{language:?} is marked as a draft");
        }
        assert!(Labels::with_drafts().check().is_ok());
    }
}
