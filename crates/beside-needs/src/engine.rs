//! The prioritiser: a `NeedsModel` (catalogue, dependency graph, weights) compiled once into a
//! `Prioritiser`, which ranks assessments by the rules of `docs/rules.md` ("Needs
//! assessment"). Each rule is one function here, named after it:
//!
//! | rule (`docs/rules.md`)                                  | function                          |
//! |---------------------------------------------------------|-----------------------------------|
//! | which domains are listed, which are "not rated"         | `Need::is_listed`                |
//! | red flags: which domain, which response time            | `Prioritiser::raised_flags`      |
//! | severity: points for a domain's own level               | `Prioritiser::severity_points`   |
//! | dependencies: when a prerequisite blocks a dependent    | `Prioritiser::blocks`            |
//! | dependencies: points for what a domain blocks           | `Prioritiser::blocking_points`   |
//! | foundational domains                                    | `Prioritiser::foundational_points` |
//! | her voice: points for her own ranking                   | `Prioritiser::own_priority_points` |
//! | urgency bands                                           | `Prioritiser::urgency`           |
//! | the order: red flags, her priorities, the rest, "not now"; ties | `Place::of`             |
//! | a blocker before what it blocks, unless she chose otherwise | `must_follow`, `Prioritiser::order` |
//! | why a domain went ahead of its blocker                  | `ahead_cause`                    |
//! | every reason, with its figures                          | `Prioritiser::reasons`           |
//!
//! Data structures, chosen once:
//! - the catalogue as a `Vec` of `Domain` in catalogue order (a `DomainIndex` is a
//!   position in it). Reading a record's keys: rating `i` is first compared with catalogue
//!   domain `i` (records list their ratings in catalogue order, so this one key comparison
//!   usually finds it), else looked up in a `HashMap` from `DomainKey` to position, hashed
//!   with `foldhash` (the workspace's fast hasher, as in beside-reintegration): no key is
//!   chosen by an attacker to collide, so SipHash's protection buys nothing here;
//! - per domain, resolved from the graph once when the model is compiled: the domains it
//!   requires, in catalogue order, and whether it is foundational;
//! - per red flag, its rule, in a `BTreeMap`;
//! - per assessment, in `Tables` cleared (not freed) between the assessments of one call, so
//!   a batch allocates them once: a `Reading` (one entry per catalogue domain; the rows of
//!   an assessment in a table are read into the same form); the needs, by catalogue position; the blocking pairs
//!   (`Blocks`) twice, by dependent (walked from the compiled graph in catalogue order) and
//!   by blocker (regrouped from the first by a stable counting sort), with every domain's
//!   range in both lists (compressed rows), so a domain's blockers or dependents are one
//!   lookup; the listed needs' short sort keys `(Place, DomainIndex)` sorted once (a
//!   `Place` is three plain fields, so a comparison is cheap);
//! - the order is Kahn's algorithm over "a blocker before what it blocks", always placing
//!   the first ready need in `Place` order: it depends on each assessment's scores, so it
//!   runs per assessment, over candidates in a table by catalogue position and a binary heap
//!   of the ready needs' positions in place order (O(n log n) for n listed needs). The
//!   dependency graph has no cycle (refused when the model is compiled), so every need is
//!   placed.

use crate::assessment::{Assessment, RedFlag};
use crate::catalogue::Catalogue;
use crate::config::NeedsConfig;
use crate::error::NeedsError;
use crate::graph::DependencyGraph;
use crate::priority::{
    AheadCause, NotRated, Prioritisation, PriorityItem, PriorityReason, Urgency,
};
use crate::reading::{DomainIndex, Reading, Said};
use beside_core::{
    AssessmentId, CaseId, DomainKey, FieldError, Level, Rating, Reason, Timestamp, Validate,
    ValidationErrors, Validator,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashSet};
use std::ops::Range;

/// Everything prioritisation depends on, as data: the catalogue, the dependency graph and the
/// weights. Compile it with [`NeedsModel::compile`].
/// The default is the brief's: 16 domains, its dependency graph, default weights.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct NeedsModel {
    /// The domains.
    pub catalogue: Catalogue,
    /// Which domain requires which.
    #[serde(default)]
    pub graph: DependencyGraph,
    /// Weights and thresholds.
    #[serde(default)]
    pub config: NeedsConfig,
}

impl Validate for NeedsModel {
    fn validate_with(&self, v: &mut Validator) {
        v.field("catalogue", |v| self.catalogue.validate_with(v));
        v.field("graph", |v| self.graph.validate_against(v, &self.catalogue));
        v.field("config", |v| {
            self.config.validate_against(v, &self.catalogue)
        });
    }
}

impl NeedsModel {
    /// Validate the model and compile it. The model's dates play no part, so "now" is irrelevant.
    pub fn compile(self) -> Result<Prioritiser, NeedsError> {
        self.validate_at(Timestamp::MAX_UTC)?;
        Ok(Prioritiser::build(self))
    }
}

/// One catalogue domain, compiled: its key and what the dependency graph says about it.
#[derive(Debug, Clone)]
struct Domain {
    key: DomainKey,
    /// The domains it requires, in catalogue order.
    requires: Vec<DomainIndex>,
    /// Whether the graph lists it as foundational.
    foundational: bool,
}

/// A red flag's rule, compiled: the domain it puts first and how soon to respond.
#[derive(Debug, Clone, Copy)]
struct FlagRule {
    domain: DomainIndex,
    respond_within_minutes: u32,
}

/// One reason in index form (domains by catalogue position): what a [`Ranking`] keeps, spelled
/// out as a [`PriorityReason`] on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    RedFlag {
        flag: RedFlag,
        minutes: u32,
    },
    OwnLevel {
        level: Level,
        points: u32,
    },
    Unrated {
        rating: Rating,
    },
    Foundational {
        points: u32,
    },
    Blocks {
        domain: DomainIndex,
        level: Level,
        points: u32,
    },
    BlockedBy {
        blocker: DomainIndex,
        level: Level,
    },
    OwnRank {
        rank: u32,
        points: u32,
    },
    AheadOfBlocker {
        blocker: DomainIndex,
        cause: AheadCause,
    },
    NotNow,
}

impl Why {
    /// Points this reason adds to the score.
    fn points(&self) -> u32 {
        match self {
            Why::OwnLevel { points, .. }
            | Why::Foundational { points }
            | Why::Blocks { points, .. }
            | Why::OwnRank { points, .. } => *points,
            Why::RedFlag { .. }
            | Why::Unrated { .. }
            | Why::BlockedBy { .. }
            | Why::AheadOfBlocker { .. }
            | Why::NotNow => 0,
        }
    }
}

/// One ranked domain in index form, for batch work without strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankedEntry {
    /// Position of the domain in the model's catalogue.
    pub domain_index: u8,
    /// Its rating.
    pub rating: Rating,
    /// The urgency band.
    pub urgency: Urgency,
    /// The score.
    pub score: u32,
    /// The shortest response time of its red flags, in minutes.
    pub respond_within_minutes: Option<u32>,
    /// Whether it may be proposed for referral.
    pub referable: bool,
    /// Its reasons: `start..end` of the ranking's reasons (empty when read from JSON, which
    /// carries no reasons).
    #[serde(skip)]
    reasons: (usize, usize),
}

/// A domain with an entry but no place in the ranking, in index form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnratedEntry {
    /// Position of the domain in the model's catalogue.
    pub domain_index: u8,
    /// Its rating.
    pub rating: Rating,
}

/// A reusable, index-based ranking: what [`Prioritiser::rank_into`] writes. Turn it into a
/// [`Prioritisation`] with [`Prioritiser::to_prioritisation`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ranking {
    /// The ranked domains, most urgent first.
    pub entries: Vec<RankedEntry>,
    /// Entries with no place in the ranking, in catalogue order.
    pub not_rated: Vec<UnratedEntry>,
    /// The reasons of every entry, entry after entry (not serialised).
    #[serde(skip)]
    reasons: Vec<Why>,
}

impl Ranking {
    fn clear(&mut self) {
        self.entries.clear();
        self.not_rated.clear();
        self.reasons.clear();
    }

    /// The reasons of `entry`, one of this ranking's entries.
    pub(crate) fn reasons_of(&self, entry: &RankedEntry) -> Result<&[Why], NeedsError> {
        let (start, end) = entry.reasons;
        // INVARIANT: an entry's range was written with the reasons it names (a ranking read
        // from JSON has no reasons and empty ranges).
        self.reasons.get(start..end).ok_or_else(|| {
            internal(format!(
                "an entry's reasons {start}..{end} lie outside the ranking's {} reasons",
                self.reasons.len()
            ))
        })
    }
}

/// How many assessments put each domain first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DomainCount {
    /// The domain.
    pub domain: DomainKey,
    /// How many.
    pub count: u64,
}

/// A summary of a batch of assessments, for researchers and monitoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct BatchSummary {
    /// Assessments seen.
    pub assessments: u64,
    /// Assessments refused as invalid.
    pub rejected: u64,
    /// Assessments with at least one red flag.
    pub with_red_flags: u64,
    /// Per domain (catalogue order, zero counts left out): how many assessments have it as the
    /// first referable need.
    pub first_referable: Vec<DomainCount>,
    /// Per domain (catalogue order, zero counts left out): how many assessments rate it at a
    /// blocking level while it blocks another domain.
    pub blocking: Vec<DomainCount>,
}

/// A compiled [`NeedsModel`]: ranks assessments. Serialises as its model.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "NeedsModel", into = "NeedsModel")]
pub struct Prioritiser {
    model: NeedsModel,
    /// The catalogue, in order.
    domains: Vec<Domain>,
    /// The position of each catalogue key (hashed with foldhash: see the module docs).
    index_of: foldhash::HashMap<DomainKey, DomainIndex>,
    /// The rule of each red flag.
    red_flags: BTreeMap<RedFlag, FlagRule>,
}

impl Default for Prioritiser {
    fn default() -> Self {
        Self::standard()
    }
}

impl TryFrom<NeedsModel> for Prioritiser {
    type Error = NeedsError;
    fn try_from(model: NeedsModel) -> Result<Self, NeedsError> {
        model.compile()
    }
}

impl From<Prioritiser> for NeedsModel {
    fn from(p: Prioritiser) -> NeedsModel {
        p.model
    }
}

impl JsonSchema for Prioritiser {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        NeedsModel::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        NeedsModel::json_schema(g)
    }
}

/// One catalogue domain in one assessment: what the assessment says, and the red flags raised
/// for it.
#[derive(Debug, Clone, Copy)]
struct Need<'p> {
    index: DomainIndex,
    domain: &'p Domain,
    said: Said,
    /// The shortest response time of the raised flags whose rule names this domain (none: not
    /// flagged).
    respond_within_minutes: Option<u32>,
}

/// A red flag raised in one assessment, with the domain and response time of its rule.
#[derive(Debug, Clone, Copy)]
struct RaisedFlag {
    flag: RedFlag,
    domain: DomainIndex,
    minutes: u32,
}

impl Need<'_> {
    fn level(&self) -> Option<Level> {
        self.said.level()
    }

    /// The shortest response time of its red flags (none: not flagged).
    fn respond_within_minutes(&self) -> Option<u32> {
        self.respond_within_minutes
    }

    /// Rule: a domain is listed when it is rated at a level, carries a red flag or is ranked
    /// by the person. A domain with an entry but none of these (declined or not assessed) is
    /// "not rated": shown apart, never scored (`docs/rules.md`, "Her voice": declined domains
    /// are respected, not scored).
    fn is_listed(&self) -> bool {
        self.level().is_some()
            || self.respond_within_minutes.is_some()
            || self.said.own_rank.is_some()
    }

    /// The rating an item shows: its entry's, or "not assessed" for a red-flag domain the
    /// assessment has no entry for.
    fn shown_rating(&self) -> Rating {
        match self.said.rating {
            Some(rating) => rating,
            None => Rating::NotAssessed,
        }
    }
}

/// A prerequisite that blocks its dependent in one assessment (see [`Prioritiser::blocks`]).
#[derive(Debug, Clone, Copy)]
struct Blocking {
    dependent: DomainIndex,
    dependent_level: Level,
    blocker: DomainIndex,
    blocker_level: Level,
}

/// The blocking pairs of one assessment, listed twice: by dependent (dependents in catalogue
/// order, each one's blockers in catalogue order) and by blocker (blockers in catalogue order,
/// each one's dependents in catalogue order), with, per catalogue position, the range of its
/// pairs in each list (compressed rows), so either side of a domain is one lookup away. Both
/// list by dependent is written in its order by walking the compiled graph's `requires`; the
/// list by blocker is regrouped from it by a counting sort ([`Prioritiser::blocking`]); all
/// four are cleared, not freed, between assessments.
#[derive(Debug, Default)]
struct Blocks {
    by_dependent: Vec<Blocking>,
    /// Per catalogue position, its pairs as the dependent in `by_dependent`.
    as_dependent: Vec<Range<usize>>,
    by_blocker: Vec<Blocking>,
    /// Per catalogue position, its pairs as the blocker in `by_blocker`.
    as_blocker: Vec<Range<usize>>,
}

impl Blocks {
    fn clear(&mut self) {
        self.by_dependent.clear();
        self.as_dependent.clear();
        self.by_blocker.clear();
        self.as_blocker.clear();
    }

    /// The pairs in which `d` is blocked, its blockers in catalogue order.
    fn blockers_of(&self, d: DomainIndex) -> Result<&[Blocking], NeedsError> {
        row(&self.by_dependent, &self.as_dependent, d)
    }

    /// The pairs in which `b` blocks, its dependents in catalogue order.
    fn dependents_of(&self, b: DomainIndex) -> Result<&[Blocking], NeedsError> {
        row(&self.by_blocker, &self.as_blocker, b)
    }

    /// Every pair, by dependent.
    fn pairs(&self) -> impl Iterator<Item = &Blocking> {
        self.by_dependent.iter()
    }
}

/// The pairs of domain `d` in one of the lists of [`Blocks`], given its ranges.
fn row<'a>(
    pairs: &'a [Blocking],
    ranges: &[Range<usize>],
    d: DomainIndex,
) -> Result<&'a [Blocking], NeedsError> {
    let range = at(ranges, d)?;
    // INVARIANT: each range was written with the pairs it spans.
    pairs.get(range.clone()).ok_or_else(|| {
        internal(format!(
            "the pairs {range:?} of domain {} lie outside a list of {}",
            d.0,
            pairs.len()
        ))
    })
}

/// The part of the list a listed need goes in, in list order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// Red flags first.
    RedFlag,
    /// Then the person's own priorities.
    OwnPriority,
    /// Then the rest.
    ByScore,
    /// "Not now" last.
    NotNow,
}

/// Where a listed need goes, compared in the derived order: its part of the list, then
/// within the part `first` (a red flag's response time, the shortest first; her rank, in her
/// order; 0 in the other parts), then the higher score; ties between equal places go by
/// catalogue order ([`Candidate::sort_key`]). Three plain fields, so comparing two places is
/// three integer comparisons (this comparison is most of the sort).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    part: Part,
    /// Red flags: the response time in minutes; her priorities: her rank; otherwise 0.
    first: u32,
    /// The higher score first (her priorities: 0, her rank decides).
    score: Reverse<u32>,
}

impl Place {
    /// Rule (`docs/rules.md`, "Red flags" and "Her voice"): red flags come first, by response
    /// time; then the person's own priorities in her order (her ranking outranks any score);
    /// then the rest by score; the "not now" domains stay visible at the end. A red flag
    /// outranks "not now" and her ranking.
    fn of(need: &Need<'_>, score: u32) -> Place {
        let (part, first, score) = if let Some(minutes) = need.respond_within_minutes() {
            (Part::RedFlag, minutes, score)
        } else if need.said.not_now {
            (Part::NotNow, 0, score)
        } else if let Some(rank) = need.said.own_rank {
            (Part::OwnPriority, rank, 0)
        } else {
            (Part::ByScore, 0, score)
        };
        Place {
            part,
            first,
            score: Reverse(score),
        }
    }

    /// Whether two places are in the same part of the list (for red flags: the same response
    /// time), where "a blocker before what it blocks" applies.
    fn same_part(self, other: Place) -> bool {
        self.part == other.part && (self.part != Part::RedFlag || self.first == other.first)
    }
}

/// A listed need while the order is built.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    index: DomainIndex,
    place: Place,
    own_rank: Option<u32>,
    score: u32,
    /// How many of the blockers it must follow are not placed yet.
    waiting: usize,
    /// Whether it has been placed.
    placed: bool,
    /// Its position in place order ([`Candidate::sort_key`]) among the listed needs.
    position: usize,
}

/// The working tables of [`Prioritiser::order`] (Kahn's algorithm), kept between the
/// assessments of one call.
#[derive(Debug, Default)]
struct OrderTables {
    /// Each catalogue domain's candidate, by catalogue position; `None`: not listed.
    candidates: Vec<Option<Candidate>>,
    /// The listed needs' sort keys ([`Candidate::sort_key`]), sorted: place order. Short
    /// pairs, so the sort moves little.
    by_place: Vec<(Place, DomainIndex)>,
    /// The needs not yet placed whose blockers-to-follow are all placed, by their position in
    /// place order ([`Candidate::position`]), the first on top.
    ready: BinaryHeap<Reverse<usize>>,
    /// The needs in order, as placed.
    placed: Vec<Candidate>,
    /// Every need placed before one of its blockers.
    ahead: Vec<Ahead>,
}

/// Everything ranking one reading works in besides its [`Ranking`]: tables by catalogue
/// position and short lists, cleared (not freed) for each assessment, so a batch allocates
/// them once per call.
#[derive(Debug)]
pub(crate) struct Tables<'p> {
    flags: Vec<RaisedFlag>,
    needs: Vec<Need<'p>>,
    blocks: Blocks,
    listed: Vec<Candidate>,
    order: OrderTables,
}

impl Tables<'_> {
    /// Empty tables, those by catalogue position sized for a catalogue of `width` domains.
    pub(crate) fn new(width: usize) -> Self {
        Tables {
            flags: Vec::new(),
            needs: Vec::with_capacity(width),
            blocks: Blocks {
                as_dependent: Vec::with_capacity(width),
                as_blocker: Vec::with_capacity(width),
                ..Blocks::default()
            },
            listed: Vec::with_capacity(width),
            order: OrderTables {
                candidates: Vec::with_capacity(width),
                by_place: Vec::with_capacity(width),
                ready: BinaryHeap::with_capacity(width),
                placed: Vec::with_capacity(width),
                ahead: Vec::new(),
            },
        }
    }
}

/// [`Tables`] and the reading of a record, kept between the records of one call.
#[derive(Debug)]
struct RecordWork<'p> {
    reading: Reading,
    tables: Tables<'p>,
}

impl RecordWork<'_> {
    fn new(width: usize) -> Self {
        RecordWork {
            reading: Reading::empty(width),
            tables: Tables::new(width),
        }
    }
}

/// A need placed ahead of a domain that blocks it, and why.
#[derive(Debug, Clone, Copy)]
struct Ahead {
    need: DomainIndex,
    blocker: DomainIndex,
    cause: AheadCause,
}

impl Candidate {
    /// Rule (ties): equal places go by catalogue order.
    fn sort_key(&self) -> (Place, DomainIndex) {
        (self.place, self.index)
    }
}

/// Rule (`docs/rules.md`, "Dependencies"; "Her voice"): a blocker goes before what it blocks
/// when both are in the same part of the list (for red flags: with the same response time),
/// unless the person ranked the blocked domain ahead of its blocker (ranked it, and the blocker
/// lower or not at all).
fn must_follow(dependent: &Candidate, blocker: &Candidate) -> bool {
    let her_choice = dependent
        .own_rank
        .is_some_and(|d| blocker.own_rank.is_none_or(|b| d < b));
    dependent.place.same_part(blocker.place) && !her_choice
}

/// Rule: why a domain was placed ahead of a domain that blocks it: its red flag calls for a
/// sooner response; else the blocker is "not now" (and it is not); else the person ranked it
/// first.
fn ahead_cause(need: Place, blocker: Place) -> AheadCause {
    let red_flag = Part::RedFlag;
    if need.part == red_flag && (blocker.part != red_flag || need.first < blocker.first) {
        AheadCause::RedFlag
    } else if blocker.part == Part::NotNow && need.part != Part::NotNow {
        AheadCause::BlockerNotNow
    } else {
        AheadCause::OwnRank
    }
}

/// An internal error: a check of the engine's own invariants failed.
fn internal(detail: String) -> NeedsError {
    NeedsError::Internal { detail }
}

fn field_error(path: String, reason: Reason) -> NeedsError {
    NeedsError::Invalid(FieldError::new(path, reason).into())
}

/// The domain at `index` of a per-domain table (`needs`, a reading).
fn at<T>(table: &[T], index: DomainIndex) -> Result<&T, NeedsError> {
    // INVARIANT: tables are one entry per catalogue domain and indices are catalogue
    // positions of the same model.
    table.get(index.0).ok_or_else(|| {
        internal(format!(
            "domain position {} outside a table of {} domains",
            index.0,
            table.len()
        ))
    })
}

fn at_mut<T>(table: &mut [T], index: DomainIndex) -> Result<&mut T, NeedsError> {
    let len = table.len();
    // INVARIANT: as in `at`.
    table.get_mut(index.0).ok_or_else(|| {
        internal(format!(
            "domain position {} outside a table of {len} domains",
            index.0
        ))
    })
}

/// The candidate of the listed domain at `index` while the order is built.
fn candidate(
    candidates: &mut [Option<Candidate>],
    index: DomainIndex,
) -> Result<&mut Candidate, NeedsError> {
    // INVARIANT: both ends of a blocking pair are rated at a level, so listed.
    at_mut(candidates, index)?
        .as_mut()
        .ok_or_else(|| internal(format!("blocking domain {} is not listed", index.0)))
}

impl Prioritiser {
    /// The default model: 16 domains, the brief's graph, default weights (checked by a test).
    pub fn standard() -> Self {
        Self::build(NeedsModel::default())
    }

    /// The model it was compiled from.
    pub fn model(&self) -> &NeedsModel {
        &self.model
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.model.catalogue
    }

    /// The key of the domain at `index` in the catalogue.
    pub fn domain_key(&self, index: u8) -> Option<&DomainKey> {
        self.domains.get(usize::from(index)).map(|d| &d.key)
    }

    /// The number of domains in the catalogue.
    pub(crate) fn width(&self) -> usize {
        self.domains.len()
    }

    /// Compile a model. Every part is defined by the catalogue, so nothing can fail here: a
    /// domain requires the catalogue domains it has an edge to; a red flag names the catalogue
    /// domain of its rule. (An edge or rule naming a domain outside the catalogue matches none;
    /// [`NeedsModel::compile`] refuses such a model before it gets here.)
    fn build(model: NeedsModel) -> Self {
        let catalogue = &model.catalogue.domains;
        let edges: HashSet<(&DomainKey, &DomainKey)> = model
            .graph
            .edges
            .iter()
            .map(|e| (&e.domain, &e.requires))
            .collect();
        let domains = catalogue
            .iter()
            .map(|d| Domain {
                key: d.key.clone(),
                requires: catalogue
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| edges.contains(&(&d.key, &r.key)))
                    .map(|(i, _)| DomainIndex(i))
                    .collect(),
                foundational: model.graph.foundational.contains(&d.key),
            })
            .collect();
        let index_of = catalogue
            .iter()
            .enumerate()
            .map(|(i, d)| (d.key.clone(), DomainIndex(i)))
            .collect();
        let mut red_flags = BTreeMap::new();
        for (i, d) in catalogue.iter().enumerate() {
            for rule in model.config.red_flags.iter().filter(|r| r.domain == d.key) {
                red_flags.insert(
                    rule.flag,
                    FlagRule {
                        domain: DomainIndex(i),
                        respond_within_minutes: rule.respond_within_minutes,
                    },
                );
            }
        }
        Self {
            model,
            domains,
            index_of,
            red_flags,
        }
    }

    fn config(&self) -> &NeedsConfig {
        &self.model.config
    }

    // -----------------------------------------------------------------------------------------
    // The rules.

    /// Rule (`docs/rules.md`, "Prioritisation"; severity): a domain earns points for its own
    /// level, more the lower it is (`level_points`).
    fn severity_points(&self, level: Level) -> u32 {
        self.config().level_points.get(level)
    }

    /// Rule (`docs/rules.md`, "Dependencies"): a prerequisite blocks a domain that requires it
    /// when it is at or below the blocking level (`blocking_max_level`, default vulnerable) and
    /// not at a higher level than the dependent.
    fn blocks(&self, blocker: Level, dependent: Level) -> bool {
        blocker <= self.config().blocking_max_level && blocker <= dependent
    }

    /// Rule (`docs/rules.md`, "Prioritisation": what a domain blocks): points for each domain
    /// it blocks (`points_per_blocked_domain`), capped in total (`max_blocking_points`). The
    /// `Blocks` reasons spend the cap in catalogue order of the blocked domains.
    fn blocking_points(&self, blocked: usize) -> u32 {
        let cfg = self.config();
        let mut budget = cfg.max_blocking_points;
        let mut total = 0u32;
        for _ in 0..blocked {
            let points = cfg.points_per_blocked_domain.min(budget);
            budget -= points;
            total += points;
        }
        total
    }

    /// Rule (`docs/rules.md`, "Dependencies"): a foundational domain (food, shelter, safety,
    /// physical health by default) at a blocking level earns `foundational_points`.
    fn foundational_points(&self, domain: &Domain, level: Level) -> Option<u32> {
        (domain.foundational && level <= self.config().blocking_max_level)
            .then_some(self.config().foundational_points)
    }

    /// Rule (`docs/rules.md`, "Her voice"): her ranking earns points, the first entry of
    /// `own_rank_points` for her first priority and so on; a rank beyond that list earns
    /// `own_rank_points_after`.
    fn own_priority_points(&self, rank: u32) -> u32 {
        let cfg = self.config();
        let listed = usize::try_from(rank)
            .ok()
            .and_then(|r| r.checked_sub(1))
            .and_then(|i| cfg.own_rank_points.get(i));
        match listed {
            Some(points) => *points,
            None => cfg.own_rank_points_after,
        }
    }

    /// Rule (`docs/rules.md`, "Prioritisation"): a domain's score is the sum of its points: its
    /// own level, what it blocks, foundational, and the person's ranking. The reasons
    /// ([`Prioritiser::reasons`]) list the same terms.
    fn score(&self, need: &Need<'_>, blocks: &Blocks) -> Result<u32, NeedsError> {
        let mut score = 0;
        if let Some(level) = need.level() {
            let blocked = blocks.dependents_of(need.index)?.len();
            score += self.severity_points(level) + self.blocking_points(blocked);
            if let Some(points) = self.foundational_points(need.domain, level) {
                score += points;
            }
        }
        if let Some(rank) = need.said.own_rank {
            score += self.own_priority_points(rank);
        }
        Ok(score)
    }

    /// Rule (`docs/rules.md`, "Red flags"; urgency): a red flag is its own, highest band;
    /// otherwise the score's band by the `urgency` thresholds.
    fn urgency(&self, flagged: bool, score: u32) -> Urgency {
        let u = &self.config().urgency;
        if flagged {
            Urgency::RedFlag
        } else if score >= u.urgent {
            Urgency::Urgent
        } else if score >= u.high {
            Urgency::High
        } else if score >= u.medium {
            Urgency::Medium
        } else {
            Urgency::Low
        }
    }

    /// Rule (`docs/rules.md`, "Red flags"): each flag raised puts the domain of its rule first,
    /// with the rule's response time. Writes the flags of `reading` into `out`, in the order
    /// of [`RedFlag::ALL`].
    fn raised_flags(&self, reading: &Reading, out: &mut Vec<RaisedFlag>) -> Result<(), NeedsError> {
        out.clear();
        for &flag in &reading.red_flags {
            // INVARIANT: a compiled model has a rule for every flag (validated).
            let rule = self
                .red_flags
                .get(&flag)
                .ok_or_else(|| internal(format!("no rule for red flag `{}`", flag.key())))?;
            out.push(RaisedFlag {
                flag,
                domain: rule.domain,
                minutes: rule.respond_within_minutes,
            });
        }
        Ok(())
    }

    /// Every catalogue domain of `reading` as a need, with the shortest response time of the
    /// `flags` raised for it, written into `out` in catalogue order.
    fn needs<'p>(
        &'p self,
        reading: &Reading,
        flags: &[RaisedFlag],
        out: &mut Vec<Need<'p>>,
    ) -> Result<(), NeedsError> {
        // INVARIANT: a reading has one entry per catalogue domain (records and tables are
        // read against this catalogue).
        if reading.domains.len() != self.domains.len() {
            return Err(internal(format!(
                "a reading of {} domains for a catalogue of {}",
                reading.domains.len(),
                self.domains.len()
            )));
        }
        out.clear();
        out.extend(self.domains.iter().zip(&reading.domains).enumerate().map(
            |(i, (domain, said))| Need {
                index: DomainIndex(i),
                domain,
                said: *said,
                respond_within_minutes: None,
            },
        ));
        for f in flags {
            let need = at_mut(out, f.domain)?;
            need.respond_within_minutes = Some(match need.respond_within_minutes {
                Some(minutes) => minutes.min(f.minutes),
                None => f.minutes,
            });
        }
        Ok(())
    }

    /// The blocking pairs of one assessment into `out`. By dependent: walking each domain's
    /// `requires` in catalogue order, a pair where [`Prioritiser::blocks`] says so (both
    /// rated at a level). By blocker: the same pairs regrouped by a counting sort on the
    /// blocker (count each blocker's pairs, their ranges by running sum, then place each pair
    /// in its blocker's range in turn), which is stable, so each blocker's dependents stay in
    /// catalogue order; the graph is walked once.
    fn blocking(&self, needs: &[Need<'_>], out: &mut Blocks) -> Result<(), NeedsError> {
        out.clear();
        // `needs` is in catalogue order, so the ranges are pushed by catalogue position.
        for need in needs {
            let start = out.by_dependent.len();
            if let Some(dependent_level) = need.level() {
                for &blocker in &need.domain.requires {
                    let Some(blocker_level) = at(needs, blocker)?.level() else {
                        continue;
                    };
                    if self.blocks(blocker_level, dependent_level) {
                        out.by_dependent.push(Blocking {
                            dependent: need.index,
                            dependent_level,
                            blocker,
                            blocker_level,
                        });
                    }
                }
            }
            out.as_dependent.push(start..out.by_dependent.len());
        }
        // Each blocker's count, as the end of an empty range.
        out.as_blocker.resize(needs.len(), 0..0);
        for pair in &out.by_dependent {
            at_mut(&mut out.as_blocker, pair.blocker)?.end += 1;
        }
        // The ranges, empty at their start, by running sum.
        let mut start = 0;
        for range in &mut out.as_blocker {
            let count = range.end;
            *range = start..start;
            start += count;
        }
        // Each pair in its blocker's range, widening the range by one.
        out.by_blocker.extend_from_slice(&out.by_dependent);
        for pair in &out.by_dependent {
            let range = at_mut(&mut out.as_blocker, pair.blocker)?;
            // INVARIANT: the ranges were sized by counting these pairs.
            let slot = out.by_blocker.get_mut(range.end).ok_or_else(|| {
                internal(format!(
                    "blocking pair {} outside its blocker's range",
                    range.end
                ))
            })?;
            *slot = *pair;
            range.end += 1;
        }
        Ok(())
    }

    /// Rule (the order): the listed needs by [`Place`], each blocker before what it blocks
    /// where [`must_follow`] says so. Kahn's algorithm with the ready needs in a binary heap:
    /// each step places the first need in place order whose blockers-to-follow are all
    /// placed. `listed` is in catalogue order; it is sorted into place order
    /// ([`Candidate::sort_key`]) once, here. Writes the needs in order and every need placed
    /// before one of its blockers into `t`.
    fn order(
        &self,
        listed: &[Candidate],
        blocks: &Blocks,
        t: &mut OrderTables,
    ) -> Result<(), NeedsError> {
        t.candidates.clear();
        t.candidates.resize(self.domains.len(), None);
        t.ready.clear();
        t.placed.clear();
        t.ahead.clear();
        t.by_place.clear();
        for c in listed {
            *at_mut(&mut t.candidates, c.index)? = Some(*c);
            t.by_place.push(c.sort_key());
        }
        t.by_place.sort_unstable();
        for (position, &(_, index)) in t.by_place.iter().enumerate() {
            candidate(&mut t.candidates, index)?.position = position;
        }
        for pair in blocks.pairs() {
            let blocker = *candidate(&mut t.candidates, pair.blocker)?;
            let dependent = candidate(&mut t.candidates, pair.dependent)?;
            if must_follow(dependent, &blocker) {
                dependent.waiting += 1;
            }
        }
        t.ready.extend(
            t.candidates
                .iter()
                .flatten()
                .filter(|c| c.waiting == 0)
                .map(|c| Reverse(c.position)),
        );
        while let Some(Reverse(position)) = t.ready.pop() {
            // INVARIANT: the heap holds positions in `by_place`.
            let (_, index) = *t
                .by_place
                .get(position)
                .ok_or_else(|| internal(format!("no listed need at position {position}")))?;
            let next = candidate(&mut t.candidates, index)?;
            next.placed = true;
            let next = *next;
            // Its blockers still to come: it goes ahead of them.
            for pair in blocks.blockers_of(index)? {
                let b = candidate(&mut t.candidates, pair.blocker)?;
                if !b.placed {
                    t.ahead.push(Ahead {
                        need: index,
                        blocker: b.index,
                        cause: ahead_cause(next.place, b.place),
                    });
                }
            }
            // The needs still to come that must follow it wait for one blocker fewer (one
            // already placed went ahead of it and waits for nothing).
            for pair in blocks.dependents_of(index)? {
                let d = candidate(&mut t.candidates, pair.dependent)?;
                if !d.placed && must_follow(d, &next) {
                    d.waiting = d
                        .waiting
                        .checked_sub(1)
                        .ok_or_else(|| internal("a need waited for too few blockers".into()))?;
                    if d.waiting == 0 {
                        t.ready.push(Reverse(d.position));
                    }
                }
            }
            t.placed.push(next);
        }
        // INVARIANT: the constraints follow edges of an acyclic graph, so every need is placed.
        if t.placed.len() != listed.len() {
            return Err(internal(
                "the order constraints have a cycle, yet the graph has none".into(),
            ));
        }
        Ok(())
    }

    /// Rule (`docs/rules.md`, "Prioritisation": every item says why it is where it is): the
    /// reasons of one placed need, in a fixed order: its red flags; its own level (or that it
    /// has none), foundational, what it blocks, what blocks it; the person's rank; the blockers
    /// it was placed ahead of, and why; "not now".
    fn reasons(
        &self,
        need: &Need<'_>,
        flags: &[RaisedFlag],
        blocks: &Blocks,
        ahead: &[Ahead],
        out: &mut Vec<Why>,
    ) -> Result<(), NeedsError> {
        for f in flags.iter().filter(|f| f.domain == need.index) {
            out.push(Why::RedFlag {
                flag: f.flag,
                minutes: f.minutes,
            });
        }
        match need.level() {
            Some(level) => {
                out.push(Why::OwnLevel {
                    level,
                    points: self.severity_points(level),
                });
                if let Some(points) = self.foundational_points(need.domain, level) {
                    out.push(Why::Foundational { points });
                }
                let cfg = self.config();
                let mut budget = cfg.max_blocking_points;
                for b in blocks.dependents_of(need.index)? {
                    let points = cfg.points_per_blocked_domain.min(budget);
                    budget -= points;
                    out.push(Why::Blocks {
                        domain: b.dependent,
                        level: b.dependent_level,
                        points,
                    });
                }
                for b in blocks.blockers_of(need.index)? {
                    out.push(Why::BlockedBy {
                        blocker: b.blocker,
                        level: b.blocker_level,
                    });
                }
            }
            None => out.push(Why::Unrated {
                rating: need.shown_rating(),
            }),
        }
        if let Some(rank) = need.said.own_rank {
            out.push(Why::OwnRank {
                rank,
                points: self.own_priority_points(rank),
            });
        }
        for a in ahead.iter().filter(|a| a.need == need.index) {
            out.push(Why::AheadOfBlocker {
                blocker: a.blocker,
                cause: a.cause,
            });
        }
        if need.said.not_now {
            out.push(Why::NotNow);
        }
        Ok(())
    }

    /// Rank one reading into `out` (cleared first), working in `t`: every rule above, in turn.
    pub(crate) fn rank_reading<'p>(
        &'p self,
        reading: &Reading,
        t: &mut Tables<'p>,
        out: &mut Ranking,
    ) -> Result<(), NeedsError> {
        out.clear();
        self.raised_flags(reading, &mut t.flags)?;
        self.needs(reading, &t.flags, &mut t.needs)?;
        self.blocking(&t.needs, &mut t.blocks)?;
        t.listed.clear();
        for n in t.needs.iter().filter(|n| n.is_listed()) {
            let score = self.score(n, &t.blocks)?;
            t.listed.push(Candidate {
                index: n.index,
                place: Place::of(n, score),
                own_rank: n.said.own_rank,
                score,
                waiting: 0,
                placed: false,
                position: 0,
            });
        }
        self.order(&t.listed, &t.blocks, &mut t.order)?;
        out.entries.reserve(t.order.placed.len());
        for c in &t.order.placed {
            let need = at(&t.needs, c.index)?;
            let start = out.reasons.len();
            self.reasons(need, &t.flags, &t.blocks, &t.order.ahead, &mut out.reasons)?;
            let reasons = (start, out.reasons.len());
            // INVARIANT: the reasons' points add up to the score.
            let points: u32 = out.reasons.iter().skip(start).map(Why::points).sum();
            if points != c.score {
                return Err(internal(format!(
                    "the reasons of domain {} add up to {points}, its score is {}",
                    c.index.0, c.score
                )));
            }
            let respond_within_minutes = need.respond_within_minutes();
            out.entries.push(RankedEntry {
                domain_index: small_index(c.index)?,
                rating: need.shown_rating(),
                urgency: self.urgency(respond_within_minutes.is_some(), c.score),
                score: c.score,
                respond_within_minutes,
                referable: !need.said.not_now,
                reasons,
            });
        }
        for need in t.needs.iter().filter(|n| !n.is_listed()) {
            if let Some(rating) = need.said.rating {
                out.not_rated.push(UnratedEntry {
                    domain_index: small_index(need.index)?,
                    rating,
                });
            }
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Reading records.

    fn unknown(&self, key: &DomainKey) -> Reason {
        Reason::Unknown {
            value: key.to_string(),
            known: self.domains.iter().map(|d| d.key.to_string()).collect(),
        }
    }

    /// Read a record against the catalogue, refusing unknown or repeated domains and rankings
    /// or "not now" entries naming domains not assessed (the first problem, in the order
    /// ratings, own priorities, "not now"). Paths are relative to the record. `reading` is
    /// overwritten (reuse it across records to avoid allocating).
    fn read_assessment_into(
        &self,
        a: &Assessment,
        reading: &mut Reading,
    ) -> Result<(), NeedsError> {
        reading.domains.clear();
        reading.domains.resize(self.domains.len(), Said::default());
        reading.red_flags.clear();
        for (i, r) in a.ratings.iter().enumerate() {
            let Some(d) = self.position_of(&r.domain, DomainIndex(i)) else {
                return Err(field_error(
                    format!("ratings[{i}].domain"),
                    self.unknown(&r.domain),
                ));
            };
            let said = at_mut(&mut reading.domains, d)?;
            if said.rating.is_some() {
                return Err(field_error(
                    format!("ratings[{i}]"),
                    Reason::Duplicate {
                        value: r.domain.to_string(),
                    },
                ));
            }
            said.rating = Some(r.rating);
        }
        for (j, k) in a.own_priorities.iter().enumerate() {
            let said =
                self.listed_domain(reading, "own_priorities", j, k, |s| s.own_rank.is_some())?;
            // INVARIANT: a list naming each of at most 64 domains once is short.
            let rank = u32::try_from(j + 1)
                .map_err(|_| internal(format!("own priority {j} is past u32")))?;
            said.own_rank = Some(rank);
        }
        for (j, k) in a.not_now.iter().enumerate() {
            self.listed_domain(reading, "not_now", j, k, |s| s.not_now)?
                .not_now = true;
        }
        reading.red_flags.extend_from_slice(&a.red_flags);
        reading.red_flags.sort_unstable();
        reading.red_flags.dedup();
        Ok(())
    }

    /// The catalogue position of `key`, looked for
    /// first at `expected` (records list their ratings in catalogue order, so rating `i` is
    /// usually catalogue domain `i`: one key comparison), else in the position map.
    fn position_of(&self, key: &DomainKey, expected: DomainIndex) -> Option<DomainIndex> {
        if self.domains.get(expected.0).is_some_and(|d| d.key == *key) {
            return Some(expected);
        }
        self.index_of.get(key).copied()
    }

    /// Entry `j` of a ranking or "not now" list: known, not listed before (`seen`), assessed.
    fn listed_domain<'r>(
        &self,
        reading: &'r mut Reading,
        name: &str,
        j: usize,
        k: &DomainKey,
        seen: impl Fn(&Said) -> bool,
    ) -> Result<&'r mut Said, NeedsError> {
        let Some(&d) = self.index_of.get(k) else {
            return Err(field_error(format!("{name}[{j}]"), self.unknown(k)));
        };
        let said = at_mut(&mut reading.domains, d)?;
        if seen(said) {
            return Err(field_error(
                format!("{name}[{j}]"),
                Reason::Duplicate {
                    value: k.to_string(),
                },
            ));
        }
        if !said.assessed() {
            return Err(field_error(
                format!("{name}[{j}]"),
                Reason::Invalid {
                    expected: "a domain rated in this assessment".into(),
                    value: k.to_string(),
                },
            ));
        }
        Ok(said)
    }

    // -----------------------------------------------------------------------------------------
    // The public calls.

    /// Check an assessment against this model's catalogue, judging dates against `now`.
    pub fn validate_assessment(
        &self,
        assessment: &Assessment,
        now: Timestamp,
    ) -> Result<(), ValidationErrors> {
        self.model.catalogue.validate_assessment(assessment, now)
    }

    /// Parse an assessment from JSON and check it against this model's catalogue.
    pub fn parse_assessment(
        &self,
        json: &str,
        now: Timestamp,
    ) -> Result<Assessment, ValidationErrors> {
        let a: Assessment =
            beside_core::parse_json(json, beside_core::json::DEFAULT_MAX_INPUT_BYTES)?;
        self.validate_assessment(&a, now)?;
        Ok(a)
    }

    /// Prioritise one assessment. Refuses unknown or repeated domains and rankings or "not now"
    /// entries naming domains without a rating (dates are checked by
    /// [`Prioritiser::validate_assessment`], which needs a "now").
    pub fn prioritise(&self, assessment: &Assessment) -> Result<Prioritisation, NeedsError> {
        let mut ranking = Ranking::default();
        self.rank_into(assessment, &mut ranking)?;
        self.to_prioritisation(assessment, &ranking)
    }

    /// Turn an index-based ranking of `assessment` into the record an app receives.
    pub fn to_prioritisation(
        &self,
        assessment: &Assessment,
        ranking: &Ranking,
    ) -> Result<Prioritisation, NeedsError> {
        self.prioritisation_from(
            ranking,
            assessment.id.clone(),
            assessment.case_id.clone(),
            assessment.assessed_at,
        )
    }

    /// Turn an index-based ranking into the record an app receives, given the assessment's id,
    /// case and date. A domain position outside the
    /// catalogue is refused, naming the entry.
    pub fn prioritisation_from(
        &self,
        ranking: &Ranking,
        assessment_id: AssessmentId,
        case_id: CaseId,
        assessed_at: Timestamp,
    ) -> Result<Prioritisation, NeedsError> {
        // The path of a bad position is only written when there is one.
        let key_at = |list: &str, i: usize, index: u8| {
            self.domain_key(index).cloned().ok_or_else(|| {
                field_error(
                    format!("{list}[{i}].domain_index"),
                    Reason::Invalid {
                        expected: format!(
                            "a domain position in the catalogue, below {}",
                            self.domains.len()
                        ),
                        value: index.to_string(),
                    },
                )
            })
        };
        let mut items = Vec::with_capacity(ranking.entries.len());
        for (i, e) in ranking.entries.iter().enumerate() {
            let reasons = ranking
                .reasons_of(e)?
                .iter()
                .map(|w| self.spell(*w))
                .collect::<Result<_, _>>()?;
            items.push(PriorityItem {
                position: u32::try_from(i + 1)
                    .map_err(|_| internal(format!("position {i} is past u32")))?,
                domain: key_at("entries", i, e.domain_index)?,
                rating: e.rating,
                level: e.rating.level(),
                urgency: e.urgency,
                score: e.score,
                respond_within_minutes: e.respond_within_minutes,
                referable: e.referable,
                reasons,
            });
        }
        let not_rated = ranking
            .not_rated
            .iter()
            .enumerate()
            .map(|(i, u)| {
                Ok(NotRated {
                    domain: key_at("not_rated", i, u.domain_index)?,
                    rating: u.rating,
                })
            })
            .collect::<Result<_, NeedsError>>()?;
        Ok(Prioritisation {
            assessment_id,
            case_id,
            assessed_at,
            items,
            not_rated,
        })
    }

    /// The key of the domain at `index`, which the engine itself wrote.
    fn key(&self, index: DomainIndex) -> Result<DomainKey, NeedsError> {
        at(&self.domains, index).map(|d| d.key.clone())
    }

    /// One index-form reason spelled out.
    fn spell(&self, w: Why) -> Result<PriorityReason, NeedsError> {
        Ok(match w {
            Why::RedFlag { flag, minutes } => PriorityReason::RedFlag {
                flag,
                respond_within_minutes: minutes,
            },
            Why::OwnLevel { level, points } => PriorityReason::OwnLevel { level, points },
            Why::Unrated { rating } => PriorityReason::Unrated { rating },
            Why::Foundational { points } => PriorityReason::Foundational { points },
            Why::Blocks {
                domain,
                level,
                points,
            } => PriorityReason::Blocks {
                domain: self.key(domain)?,
                level,
                points,
            },
            Why::BlockedBy { blocker, level } => PriorityReason::BlockedBy {
                blocker: self.key(blocker)?,
                blocker_level: level,
            },
            Why::OwnRank { rank, points } => PriorityReason::OwnRank { rank, points },
            Why::AheadOfBlocker { blocker, cause } => PriorityReason::AheadOfBlocker {
                blocker: self.key(blocker)?,
                cause,
            },
            Why::NotNow => PriorityReason::NotNow,
        })
    }

    /// Rank every assessment, reusing one buffer, and hand each result to `f`.
    pub fn rank_each<'a, I, F>(&self, assessments: I, mut f: F)
    where
        I: IntoIterator<Item = &'a Assessment>,
        F: FnMut(&'a Assessment, Result<&Ranking, &NeedsError>),
    {
        let mut ranking = Ranking::default();
        let mut work = RecordWork::new(self.width());
        for a in assessments {
            match self.rank_record(a, &mut work, &mut ranking) {
                Ok(()) => f(a, Ok(&ranking)),
                Err(e) => f(a, Err(&e)),
            }
        }
    }

    /// Rank a batch and summarise it. An assessment that cannot be ranked (invalid; or, never
    /// expected, failing an internal check) is counted as rejected.
    pub fn summarise<'a, I>(&self, assessments: I) -> BatchSummary
    where
        I: IntoIterator<Item = &'a Assessment>,
    {
        let mut tally = Tally::new(self.width());
        let mut ranking = Ranking::default();
        let mut work = RecordWork::new(self.width());
        for a in assessments {
            tally.seen += 1;
            let counted = self
                .rank_record(a, &mut work, &mut ranking)
                .and_then(|()| tally.add(!a.red_flags.is_empty(), &ranking));
            if counted.is_err() {
                tally.rejected += 1;
            }
        }
        tally.finish(self)
    }

    /// Rank one assessment into `out` (cleared first), in index form. On error `out` is left
    /// empty.
    pub fn rank_into(&self, a: &Assessment, out: &mut Ranking) -> Result<(), NeedsError> {
        self.rank_record(a, &mut RecordWork::new(self.width()), out)
    }

    /// [`Prioritiser::rank_into`], working in `work` (reused across the records of a call).
    fn rank_record<'p>(
        &'p self,
        a: &Assessment,
        work: &mut RecordWork<'p>,
        out: &mut Ranking,
    ) -> Result<(), NeedsError> {
        let ranked = self
            .read_assessment_into(a, &mut work.reading)
            .and_then(|()| self.rank_reading(&work.reading, &mut work.tables, out));
        if ranked.is_err() {
            out.clear();
        }
        ranked
    }
}

/// A catalogue position as the byte of the index form.
pub(crate) fn small_index(index: DomainIndex) -> Result<u8, NeedsError> {
    // INVARIANT: a catalogue has at most 64 domains (validated).
    u8::try_from(index.0).map_err(|_| internal(format!("domain position {} past 255", index.0)))
}

/// Running counts of a batch summary, by catalogue position (a `Vec` of one count per
/// catalogue domain, sized once per call).
pub(crate) struct Tally {
    pub(crate) seen: u64,
    pub(crate) rejected: u64,
    with_red_flags: u64,
    first_referable: Vec<u64>,
    blocking: Vec<u64>,
}

impl Tally {
    /// No assessment counted yet, for a catalogue of `width` domains.
    pub(crate) fn new(width: usize) -> Self {
        Tally {
            seen: 0,
            rejected: 0,
            with_red_flags: 0,
            first_referable: vec![0; width],
            blocking: vec![0; width],
        }
    }

    /// Count one ranking (of an assessment with or without red flags).
    pub(crate) fn add(&mut self, red_flags: bool, ranking: &Ranking) -> Result<(), NeedsError> {
        self.with_red_flags += u64::from(red_flags);
        if let Some(first) = ranking.entries.iter().find(|e| e.referable) {
            *count_at(&mut self.first_referable, first.domain_index)? += 1;
        }
        for e in &ranking.entries {
            let blocks = ranking
                .reasons_of(e)?
                .iter()
                .any(|w| matches!(w, Why::Blocks { .. }));
            if blocks {
                *count_at(&mut self.blocking, e.domain_index)? += 1;
            }
        }
        Ok(())
    }

    /// The summary, counts in catalogue order (a domain with no count is left out).
    pub(crate) fn finish(self, p: &Prioritiser) -> BatchSummary {
        let counts = |m: &[u64]| {
            p.domains
                .iter()
                .zip(m)
                .filter(|(_, &count)| count > 0)
                .map(|(d, &count)| DomainCount {
                    domain: d.key.clone(),
                    count,
                })
                .collect()
        };
        BatchSummary {
            assessments: self.seen,
            rejected: self.rejected,
            with_red_flags: self.with_red_flags,
            first_referable: counts(&self.first_referable),
            blocking: counts(&self.blocking),
        }
    }
}

/// The count of the domain at catalogue position `index` in a [`Tally`].
fn count_at(counts: &mut [u64], index: u8) -> Result<&mut u64, NeedsError> {
    at_mut(counts, DomainIndex(usize::from(index)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::assessment::DomainRating;
    use beside_core::{AssessmentId, CaseId, WorkerId};
    use chrono::{TimeZone, Utc};

    pub(crate) fn assessment(ratings: &[(&str, u8)]) -> Assessment {
        Assessment {
            extra: std::collections::BTreeMap::new(),
            id: AssessmentId::new("a-1").unwrap(),
            case_id: CaseId::new("c-1").unwrap(),
            assessed_at: Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap(),
            assessed_by: WorkerId::new("w-1").unwrap(),
            ratings: ratings
                .iter()
                .map(|(k, n)| DomainRating {
                    domain: DomainKey::new(k).unwrap(),
                    rating: match n {
                        0 => Rating::NotAssessed,
                        9 => Rating::Declined,
                        n => Rating::Level(Level::from_number(*n).unwrap()),
                    },
                })
                .collect(),
            red_flags: vec![],
            own_priorities: vec![],
            not_now: vec![],
        }
    }
    fn keys(list: &[&str]) -> Vec<DomainKey> {
        list.iter().map(|k| DomainKey::new(k).unwrap()).collect()
    }

    fn order(p: &Prioritisation) -> Vec<&str> {
        p.items.iter().map(|i| i.domain.as_str()).collect()
    }

    #[test]
    fn standard_model_validates() {
        assert!(NeedsModel::default().compile().is_ok());
    }

    #[test]
    fn livelihood_is_blocked_by_food_and_says_so() {
        let a = assessment(&[("livelihood", 1), ("food", 1), ("mental_health", 3)]);
        let p = Prioritiser::standard().prioritise(&a).unwrap();
        assert_eq!(order(&p), ["food", "livelihood", "mental_health"]);
        let food = p.item("food").unwrap();
        assert_eq!(food.urgency, Urgency::Urgent);
        assert!(food
            .reasons
            .contains(&PriorityReason::Foundational { points: 15 }));
        assert!(food.reasons.contains(&PriorityReason::Blocks {
            domain: DomainKey::from_static("livelihood"),
            level: Level::InCrisis,
            points: 6
        }));
        let liv = p.item("livelihood").unwrap();
        assert!(liv.reasons.contains(&PriorityReason::BlockedBy {
            blocker: DomainKey::from_static("food"),
            blocker_level: Level::InCrisis
        }));
        assert_eq!(p.item("mental_health").unwrap().urgency, Urgency::Medium);
    }

    #[test]
    fn the_persons_first_choice_goes_ahead_of_its_blocker_and_says_so() {
        let mut a = assessment(&[("livelihood", 2), ("food", 1), ("shelter", 4)]);
        a.own_priorities = keys(&["livelihood"]);
        let p = Prioritiser::standard().prioritise(&a).unwrap();
        assert_eq!(order(&p), ["livelihood", "food", "shelter"]);
        let liv = &p.items[0];
        assert!(liv.reasons.contains(&PriorityReason::OwnRank {
            rank: 1,
            points: 50
        }));
        assert!(liv.reasons.contains(&PriorityReason::AheadOfBlocker {
            blocker: DomainKey::from_static("food"),
            cause: AheadCause::OwnRank
        }));
        // Without the person's ranking, food comes first.
        a.own_priorities.clear();
        let p = Prioritiser::standard().prioritise(&a).unwrap();
        assert_eq!(order(&p), ["food", "livelihood", "shelter"]);
    }

    #[test]
    fn blocker_goes_first_even_when_the_blocked_domain_scores_higher() {
        // Mental health at 2 blocks everything rated at 2 or more; legal is ranked 2nd by the
        // person, but mental health is not ranked at all... so the person's choice wins.
        let mut a = assessment(&[("mental_health", 2), ("legal", 2), ("debt", 2)]);
        a.own_priorities = keys(&["debt", "legal"]);
        let p = Prioritiser::standard().prioritise(&a).unwrap();
        assert_eq!(order(&p), ["debt", "legal", "mental_health"]);
        // Rank mental health above legal: it must precede legal.
        a.own_priorities = keys(&["debt", "mental_health", "legal"]);
        let p = Prioritiser::standard().prioritise(&a).unwrap();
        assert_eq!(order(&p), ["debt", "mental_health", "legal"]);
    }

    #[test]
    fn red_flags_first_by_response_time_and_not_now_never_referable() {
        let mut a = assessment(&[
            ("food", 1),
            ("physical_health", 2),
            ("mental_health", 2),
            ("legal", 1),
            ("family", 9),
            ("peer_support", 0),
        ]);
        a.red_flags = vec![RedFlag::UntreatedInjury, RedFlag::SuicidalThoughts];
        a.not_now = keys(&["legal"]);
        let p = Prioritiser::standard().prioritise(&a).unwrap();
        assert_eq!(
            order(&p),
            ["mental_health", "physical_health", "food", "legal"]
        );
        assert_eq!(p.items[0].respond_within_minutes, Some(60));
        assert_eq!(p.items[1].respond_within_minutes, Some(24 * 60));
        assert_eq!(p.items[0].urgency, Urgency::RedFlag);
        let legal = p.item("legal").unwrap();
        assert!(!legal.referable);
        assert!(legal.reasons.contains(&PriorityReason::NotNow));
        assert_eq!(p.referable().count(), 3);
        assert_eq!(
            p.not_rated,
            vec![
                NotRated {
                    domain: DomainKey::from_static("family"),
                    rating: Rating::Declined
                },
                NotRated {
                    domain: DomainKey::from_static("peer_support"),
                    rating: Rating::NotAssessed
                }
            ]
        );
    }

    #[test]
    fn a_red_flag_without_a_rating_is_still_listed_first() {
        let mut a = assessment(&[("food", 1)]);
        a.red_flags = vec![RedFlag::ImmediateDanger];
        let p = Prioritiser::standard().prioritise(&a).unwrap();
        assert_eq!(order(&p), ["safety", "food"]);
        assert_eq!(p.items[0].rating, Rating::NotAssessed);
        assert_eq!(p.items[0].respond_within_minutes, Some(180));
        assert!(p.items[0].reasons.contains(&PriorityReason::Unrated {
            rating: Rating::NotAssessed
        }));
    }

    #[test]
    fn bad_assessments_are_refused_with_the_field_named() {
        let p = Prioritiser::standard();
        let a = assessment(&[("food", 1), ("fod", 2)]);
        let err = p.prioritise(&a).unwrap_err().to_string();
        assert!(
            err.starts_with(
                "ratings[1].domain: unknown value `fod`; known values: food, basic_items"
            ),
            "{err}"
        );
        let a = assessment(&[("food", 1), ("food", 2)]);
        assert_eq!(
            p.prioritise(&a).unwrap_err().to_string(),
            "ratings[1]: duplicate `food`"
        );
        let mut a = assessment(&[("food", 1), ("shelter", 0)]);
        a.own_priorities = keys(&["shelter"]);
        assert_eq!(
            p.prioritise(&a).unwrap_err().to_string(),
            "own_priorities[0]: must be a domain rated in this assessment, got `shelter`"
        );
        let mut a = assessment(&[("food", 1)]);
        a.not_now = keys(&["food", "food"]);
        assert_eq!(
            p.prioritise(&a).unwrap_err().to_string(),
            "not_now[1]: duplicate `food`"
        );
    }

    #[test]
    fn json_input_errors_name_the_field() {
        let p = Prioritiser::standard();
        let now = Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap();
        let base = |ratings: &str, at: &str| {
            format!(
                r#"{{"id": "a", "case_id": "c", "assessed_at": "{at}", "assessed_by": "w", "ratings": [{ratings}]}}"#
            )
        };
        let err = p
            .parse_assessment(
                &base(
                    r#"{"domain": "food", "rating": {"level": 6}}"#,
                    "2025-06-01T00:00:00Z",
                ),
                now,
            )
            .unwrap_err();
        assert_eq!(err.first().unwrap().path, "ratings[0].rating.level");
        let err = p
            .parse_assessment(
                &base(
                    r#"{"domain": "food", "rating": {"level": 2}}"#,
                    "2025-08-01T00:00:00Z",
                ),
                now,
            )
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("assessed_at: must not be in the future"),
            "{err}"
        );
        let err = p
            .parse_assessment(
                &base(
                    r#"{"domain": "housing", "rating": "declined"}"#,
                    "2025-06-01T00:00:00Z",
                ),
                now,
            )
            .unwrap_err();
        assert!(err.has_path("ratings[0].domain"), "{err}");
        assert!(err.to_string().contains("known values: food"), "{err}");
        assert!(p
            .parse_assessment(
                &base(
                    r#"{"domain": "food", "rating": "declined"}"#,
                    "2025-06-01T00:00:00Z"
                ),
                now
            )
            .is_ok());
    }

    #[test]
    fn batch_summary_counts() {
        let p = Prioritiser::standard();
        let mut flagged = assessment(&[("food", 2)]);
        flagged.red_flags = vec![RedFlag::SuicidalThoughts];
        let list = vec![
            assessment(&[("food", 1), ("livelihood", 2)]),
            assessment(&[("food", 1), ("food", 1)]),
            flagged,
        ];
        let s = p.summarise(&list);
        assert_eq!((s.assessments, s.rejected, s.with_red_flags), (3, 1, 1));
        assert_eq!(
            s.first_referable,
            vec![
                DomainCount {
                    domain: DomainKey::from_static("food"),
                    count: 1
                },
                DomainCount {
                    domain: DomainKey::from_static("mental_health"),
                    count: 1
                },
            ]
        );
        assert_eq!(
            s.blocking,
            vec![DomainCount {
                domain: DomainKey::from_static("food"),
                count: 1
            }]
        );
    }

    #[test]
    fn prioritiser_round_trips_as_its_model() {
        let p = Prioritiser::standard();
        let json = serde_json::to_string(&p).unwrap();
        let back: Prioritiser = serde_json::from_str(&json).unwrap();
        assert_eq!(back.model(), p.model());
        let mut bad: serde_json::Value = serde_json::from_str(&json).unwrap();
        bad["graph"]["edges"][0]["requires"] = "food".into();
        bad["graph"]["edges"][0]["domain"] = "food".into();
        assert!(serde_json::from_value::<Prioritiser>(bad).is_err());
    }

    #[test]
    fn custom_catalogue_with_its_own_graph() {
        let mut model = NeedsModel::default();
        model.catalogue.domains.truncate(3); // food, basic_items, shelter
        model.graph = DependencyGraph::empty();
        model
            .config
            .red_flags
            .iter_mut()
            .for_each(|r| r.domain = DomainKey::from_static("shelter"));
        let p = model.compile().unwrap();
        let a = assessment(&[("shelter", 3), ("food", 2)]);
        let list = p.prioritise(&a).unwrap();
        assert_eq!(order(&list), ["food", "shelter"]);
        assert!(p.prioritise(&assessment(&[("livelihood", 1)])).is_err());
    }
}
