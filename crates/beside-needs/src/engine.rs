//! The prioritiser: a [`NeedsModel`] (catalogue, dependency graph, configuration) compiled into
//! an index-based form, so one assessment is ranked with bit sets and fixed arrays and no
//! allocation beyond the output.

use crate::assessment::{Assessment, RedFlag, MAX_DOMAINS};
use crate::catalogue::Catalogue;
use crate::config::NeedsConfig;
use crate::error::NeedsError;
use crate::graph::DependencyGraph;
use crate::packed::{PackedBatch, PackedEntry, PackedRankings};
use crate::priority::{
    AheadCause, NotRated, Prioritisation, PriorityItem, PriorityReason, Urgency,
};
use beside_core::{
    AssessmentId, CaseId, DomainKey, FieldError, Level, Rating, Reason, Timestamp, Validate,
    ValidationErrors, Validator,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Everything prioritisation depends on, as data: the catalogue, the dependency graph and the
/// weights. Compile it with [`NeedsModel::compile`].
/// The default is the brief's: 16 domains, its dependency graph, default weights.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

/// FNV-1a: a fast hash for short domain keys (the table is built from trusted catalogue data).
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

#[derive(Debug, Clone, Default)]
struct Index {
    keys: Vec<DomainKey>,
    lookup: HashMap<Box<str>, u8, BuildHasherDefault<Fnv>>,
    /// Bit `b` of `prereqs[d]`: domain `d` requires domain `b`.
    prereqs: Vec<u64>,
    foundational: u64,
    flag_domain: [Option<u8>; 4],
    flag_minutes: [u32; 4],
    /// `blocking_max_level` as a number.
    threshold: u8,
    /// By rating code: the highest level of a domain that can block it (0: none can).
    block_cap: [u8; 8],
    /// Points for the own level by rating code (0 for codes that are not levels).
    level_points: [u32; 8],
    /// Points for the person's rank `r` at `r - 1`.
    own_rank_points: Vec<u32>,
    own_rank_points_after: u32,
}

impl Index {
    /// Points for the person's rank `r` (1 first; 0 unranked, no points).
    #[inline]
    fn rank_points(&self, r: u8) -> u32 {
        match usize::from(r).checked_sub(1) {
            None => 0,
            Some(i) => self
                .own_rank_points
                .get(i)
                .copied()
                .unwrap_or(self.own_rank_points_after),
        }
    }
}

#[inline(always)]
fn bit(i: usize) -> u64 {
    if i < 64 {
        1u64 << i
    } else {
        0
    }
}

/// The set bits of `m`, lowest first.
#[inline(always)]
fn bits(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if m == 0 {
            None
        } else {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            Some(i)
        }
    })
}

fn flag_index(f: RedFlag) -> usize {
    match f {
        RedFlag::SuicidalThoughts => 0,
        RedFlag::ImmediateDanger => 1,
        RedFlag::UntreatedInjury => 2,
        RedFlag::ChildWithoutSafeCaregiver => 3,
    }
}

const DECLINED: u8 = 6;
/// Response times are at most a year (validated), which fits in 20 bits.
const MINUTES_MASK: u32 = (1 << 20) - 1;

/// The groups of the list, in order: red flags (by response time), the person's own ranking
/// (in their order), the rest (by score, blockers first), "not now" (by score, blockers first).
const GROUP_RED_FLAG: u8 = 0;
const GROUP_RANKED: u8 = 1;
const GROUP_REST: u8 = 2;
const GROUP_NOT_NOW: u8 = 3;
const NOT_ASSESSED: u8 = 7;

const LEVEL_OF: [Option<Level>; 8] = [
    None,
    Some(Level::InCrisis),
    Some(Level::Vulnerable),
    Some(Level::Safe),
    Some(Level::BuildingCapacity),
    Some(Level::Thriving),
    None,
    None,
];

#[inline(always)]
fn level_of(code: u8) -> Option<Level> {
    LEVEL_OF.get(usize::from(code)).copied().flatten()
}

pub(crate) fn rating_of(code: u8) -> Rating {
    match level_of(code) {
        Some(l) => Rating::Level(l),
        None if code == DECLINED => Rating::Declined,
        None => Rating::NotAssessed,
    }
}

/// One reason in index form (no strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
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
        domain: u8,
        level: Level,
        points: u32,
    },
    BlockedBy {
        blocker: u8,
        level: Level,
    },
    OwnRank {
        rank: u32,
        points: u32,
    },
    AheadOfBlocker {
        blocker: u8,
        cause: AheadCause,
    },
    NotNow,
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
    #[serde(skip)]
    reasons: (u32, u32),
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
    #[serde(skip)]
    reasons: Vec<Why>,
}

impl Ranking {
    fn clear(&mut self) {
        self.entries.clear();
        self.not_rated.clear();
        self.reasons.clear();
    }

    fn reasons_of(&self, e: &RankedEntry) -> &[Why] {
        let (start, len) = e.reasons;
        let start = start as usize;
        self.reasons
            .get(start..start.saturating_add(len as usize))
            .unwrap_or(&[])
    }
}

/// How many assessments put each domain first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainCount {
    /// The domain.
    pub domain: DomainKey,
    /// How many.
    pub count: u64,
}

/// A summary of a batch of assessments, for researchers and monitoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
    index: Index,
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
        self.index.keys.get(usize::from(index))
    }

    fn build(model: NeedsModel) -> Self {
        let keys: Vec<DomainKey> = model
            .catalogue
            .domains
            .iter()
            .take(MAX_DOMAINS)
            .map(|d| d.key.clone())
            .collect();
        let mut lookup =
            HashMap::with_capacity_and_hasher(keys.len(), BuildHasherDefault::default());
        for (i, k) in keys.iter().enumerate() {
            if let Ok(i) = u8::try_from(i) {
                lookup.entry(Box::from(k.as_str())).or_insert(i);
            }
        }
        let pos = |k: &DomainKey| lookup.get(k.as_str()).map(|&i| usize::from(i));
        let mut prereqs = vec![0u64; keys.len()];
        for e in &model.graph.edges {
            if let (Some(d), Some(r)) = (pos(&e.domain), pos(&e.requires)) {
                if d != r {
                    if let Some(p) = prereqs.get_mut(d) {
                        *p |= bit(r);
                    }
                }
            }
        }
        let mut foundational = 0;
        for k in &model.graph.foundational {
            if let Some(i) = pos(k) {
                foundational |= bit(i);
            }
        }
        let mut flag_domain = [None; 4];
        let mut flag_minutes = [u32::MAX; 4];
        for rule in &model.config.red_flags {
            let fi = flag_index(rule.flag);
            if let (Some(d), Some(slot), Some(m)) = (
                pos(&rule.domain),
                flag_domain.get_mut(fi),
                flag_minutes.get_mut(fi),
            ) {
                *slot = u8::try_from(d).ok();
                *m = rule.respond_within_minutes;
            }
        }
        let cfg = &model.config;
        let mut level_points = [0u32; 8];
        for level in Level::ALL {
            if let Some(p) = level_points.get_mut(usize::from(level.number())) {
                *p = cfg.level_points.get(level);
            }
        }
        let mut block_cap = [0u8; 8];
        for level in Level::ALL {
            if let Some(c) = block_cap.get_mut(usize::from(level.number())) {
                *c = level.number().min(cfg.blocking_max_level.number());
            }
        }
        let index = Index {
            keys,
            lookup,
            prereqs,
            foundational,
            flag_domain,
            flag_minutes,
            threshold: cfg.blocking_max_level.number(),
            block_cap,
            level_points,
            own_rank_points: cfg.own_rank_points.clone(),
            own_rank_points_after: cfg.own_rank_points_after,
        };
        Self { model, index }
    }

    #[inline]
    fn lookup(&self, key: &str, hint: usize) -> Option<usize> {
        if let Some(k) = self.index.keys.get(hint) {
            let k = k.as_str();
            // The same text (catalogue keys cloned into the assessment), or equal text.
            if k.len() == key.len() && (std::ptr::eq(k.as_ptr(), key.as_ptr()) || k == key) {
                return Some(hint);
            }
        }
        self.index.lookup.get(key).map(|&i| usize::from(i))
    }

    fn unknown(&self, key: &DomainKey) -> Reason {
        Reason::Unknown {
            value: key.to_string(),
            known: self.index.keys.iter().map(|k| k.to_string()).collect(),
        }
    }

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
        let row = self.read_assessment(assessment)?;
        let mut cx = Ctx::new();
        self.compute(&row, &mut cx);
        Ok(self.spell_out(
            &row,
            &cx,
            assessment.id.clone(),
            assessment.case_id.clone(),
            assessment.assessed_at,
        ))
    }

    /// Turn an index-based ranking of `assessment` into the record an app receives.
    pub fn to_prioritisation(&self, assessment: &Assessment, ranking: &Ranking) -> Prioritisation {
        self.prioritisation_from(
            ranking,
            assessment.id.clone(),
            assessment.case_id.clone(),
            assessment.assessed_at,
        )
    }

    /// Turn an index-based ranking into the record an app receives, given the assessment's id,
    /// case and date (a [`PackedBatch`] row carries none of them).
    pub fn prioritisation_from(
        &self,
        ranking: &Ranking,
        assessment_id: AssessmentId,
        case_id: CaseId,
        assessed_at: Timestamp,
    ) -> Prioritisation {
        let items = ranking
            .entries
            .iter()
            .enumerate()
            .map(|(pos, e)| PriorityItem {
                position: u32::try_from(pos).unwrap_or(u32::MAX).saturating_add(1),
                domain: self.key_of(usize::from(e.domain_index)),
                rating: e.rating,
                level: e.rating.level(),
                urgency: e.urgency,
                score: e.score,
                respond_within_minutes: e.respond_within_minutes,
                referable: e.referable,
                reasons: ranking
                    .reasons_of(e)
                    .iter()
                    .map(|w| self.spell(*w))
                    .collect(),
            })
            .collect();
        let not_rated = ranking
            .not_rated
            .iter()
            .map(|u| NotRated {
                domain: self.key_of(usize::from(u.domain_index)),
                rating: u.rating,
            })
            .collect();
        Prioritisation {
            assessment_id,
            case_id,
            assessed_at,
            items,
            not_rated,
        }
    }

    /// Rank every assessment, reusing one buffer, and hand each result to `f`.
    pub fn rank_each<'a, I, F>(&self, assessments: I, mut f: F)
    where
        I: IntoIterator<Item = &'a Assessment>,
        F: FnMut(&'a Assessment, Result<&Ranking, &NeedsError>),
    {
        let mut ranking = Ranking::default();
        for a in assessments {
            match self.rank_into(a, &mut ranking) {
                Ok(()) => f(a, Ok(&ranking)),
                Err(e) => f(a, Err(&e)),
            }
        }
    }

    /// Rank a batch and summarise it.
    pub fn summarise<'a, I>(&self, assessments: I) -> BatchSummary
    where
        I: IntoIterator<Item = &'a Assessment>,
    {
        let mut tally = Tally::new(self.index.keys.len());
        let mut cx = Ctx::new();
        for a in assessments {
            tally.seen += 1;
            match self.read_assessment(a) {
                Err(_) => tally.rejected += 1,
                Ok(row) => {
                    self.compute(&row, &mut cx);
                    tally.add(&row, &cx);
                }
            }
        }
        tally.finish(&self.index.keys)
    }

    /// Rank one assessment into `out` (cleared first), in index form. On error `out` is left
    /// empty.
    pub fn rank_into(&self, a: &Assessment, out: &mut Ranking) -> Result<(), NeedsError> {
        out.clear();
        let row = self.read_assessment(a)?;
        let mut cx = Ctx::new();
        self.compute(&row, &mut cx);
        self.emit_ranking(&row, &cx, out);
        Ok(())
    }

    /// Check that `batch` was packed for this model's catalogue.
    fn check_width(&self, batch: &PackedBatch) -> Result<(), NeedsError> {
        if batch.width() == self.index.keys.len() {
            Ok(())
        } else {
            Err(field_error(
                "width".into(),
                Reason::Invalid {
                    expected: format!(
                        "the catalogue's number of domains ({})",
                        self.index.keys.len()
                    ),
                    value: batch.width().to_string(),
                },
            ))
        }
    }

    /// Rank every row of `batch` into `out` (resized and overwritten; reuse it across batches
    /// to avoid allocating). Row `i` of `out` is the ranking of row `i` of `batch`, identical
    /// to what [`Prioritiser::rank_into`] gives for the same assessment as a record; see
    /// [`PackedRankings`] for the layout. The batch was validated when it was built, so the
    /// only error is a batch packed for a catalogue of another width.
    pub fn rank_packed(
        &self,
        batch: &PackedBatch,
        out: &mut PackedRankings,
    ) -> Result<(), NeedsError> {
        self.check_width(batch)?;
        let width = batch.width();
        out.reset(batch.rows(), width);
        let stride = width * PackedEntry::SIZE;
        let mut cx = Ctx::new();
        let (lens, entries) = out.parts_mut();
        for (i, (len, chunk)) in lens
            .iter_mut()
            .zip(entries.chunks_exact_mut(stride.max(1)))
            .enumerate()
        {
            let row = batch.row(i);
            self.compute(&row, &mut cx);
            *len = self.emit_packed(&row, &cx, chunk);
        }
        Ok(())
    }

    /// Summarise every row of `batch`: the same [`BatchSummary`] as [`Prioritiser::summarise`]
    /// over the same assessments as records (none is rejected: the batch was validated).
    pub fn summarise_packed(&self, batch: &PackedBatch) -> Result<BatchSummary, NeedsError> {
        self.check_width(batch)?;
        let mut tally = Tally::new(self.index.keys.len());
        let mut cx = Ctx::new();
        for i in 0..batch.rows() {
            let row = batch.row(i);
            tally.seen += 1;
            self.compute(&row, &mut cx);
            tally.add(&row, &cx);
        }
        Ok(tally.finish(&self.index.keys))
    }

    /// Rank row `row` of `batch` into `out` (cleared first) with every reason spelled out in
    /// index form, exactly as [`Prioritiser::rank_into`] ranks the same assessment as a record.
    /// Turn it into a [`Prioritisation`] with [`Prioritiser::prioritisation_from`].
    pub fn rank_packed_row(
        &self,
        batch: &PackedBatch,
        row: usize,
        out: &mut Ranking,
    ) -> Result<(), NeedsError> {
        out.clear();
        self.check_width(batch)?;
        let r = self.packed_row(batch, row)?;
        let mut cx = Ctx::new();
        self.compute(&r, &mut cx);
        self.emit_ranking(&r, &cx, out);
        Ok(())
    }

    /// The full [`Prioritisation`] of row `row` of `batch`, given the assessment's id, case and
    /// date: equal to [`Prioritiser::prioritise`] of the same assessment as a record.
    pub fn prioritise_packed_row(
        &self,
        batch: &PackedBatch,
        row: usize,
        assessment_id: AssessmentId,
        case_id: CaseId,
        assessed_at: Timestamp,
    ) -> Result<Prioritisation, NeedsError> {
        self.check_width(batch)?;
        let r = self.packed_row(batch, row)?;
        let mut cx = Ctx::new();
        self.compute(&r, &mut cx);
        Ok(self.spell_out(&r, &cx, assessment_id, case_id, assessed_at))
    }

    fn packed_row(&self, batch: &PackedBatch, row: usize) -> Result<Row, NeedsError> {
        if row < batch.rows() {
            Ok(batch.row(row))
        } else {
            Err(field_error(
                "row".into(),
                Reason::Invalid {
                    expected: format!("a row index below {}", batch.rows()),
                    value: row.to_string(),
                },
            ))
        }
    }

    /// The key of the domain at `i`.
    fn key_of(&self, i: usize) -> DomainKey {
        self.index
            .keys
            .get(i)
            .cloned()
            .unwrap_or_else(|| DomainKey::from_static("unknown"))
    }

    /// One index-form reason spelled out.
    #[inline(always)]
    fn spell(&self, w: Why) -> PriorityReason {
        match w {
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
                domain: self.key_of(usize::from(domain)),
                level,
                points,
            },
            Why::BlockedBy { blocker, level } => PriorityReason::BlockedBy {
                blocker: self.key_of(usize::from(blocker)),
                blocker_level: level,
            },
            Why::OwnRank { rank, points } => PriorityReason::OwnRank { rank, points },
            Why::AheadOfBlocker { blocker, cause } => PriorityReason::AheadOfBlocker {
                blocker: self.key_of(usize::from(blocker)),
                cause,
            },
            Why::NotNow => PriorityReason::NotNow,
        }
    }

    /// Read a record into index form, refusing unknown or repeated domains and rankings or
    /// "not now" entries naming domains without a rating. Paths are relative to the record.
    pub(crate) fn read_assessment(&self, a: &Assessment) -> Result<Row, NeedsError> {
        let mut row = Row::EMPTY;
        let mut rated = 0u64;
        for (i, r) in a.ratings.iter().enumerate() {
            let Some(d) = self.lookup(r.domain.as_str(), i) else {
                return Err(field_error(
                    format!("ratings[{i}].domain"),
                    self.unknown(&r.domain),
                ));
            };
            let b = bit(d);
            if row.present & b != 0 {
                return Err(field_error(
                    format!("ratings[{i}]"),
                    Reason::Duplicate {
                        value: r.domain.to_string(),
                    },
                ));
            }
            row.present |= b;
            let c = match r.rating {
                Rating::Level(l) => {
                    row.leveled |= b;
                    l.number()
                }
                Rating::Declined => DECLINED,
                Rating::NotAssessed => NOT_ASSESSED,
            };
            if c != NOT_ASSESSED {
                rated |= b;
            }
            if let Some(slot) = row.code.get_mut(d) {
                *slot = c;
            }
        }
        row.ranked = self.read_list("own_priorities", &a.own_priorities, rated, |d, j| {
            if let Some(r) = row.rank.get_mut(d) {
                *r = u8::try_from(j + 1).unwrap_or(u8::MAX);
            }
        })?;
        row.not_now = self.read_list("not_now", &a.not_now, rated, |_, _| {})?;
        for f in &a.red_flags {
            row.red_flags |= 1 << flag_index(*f);
        }
        Ok(row)
    }

    /// The domains of a ranking or "not now" list, each known, rated and listed once.
    fn read_list(
        &self,
        name: &str,
        list: &[DomainKey],
        rated: u64,
        mut each: impl FnMut(usize, usize),
    ) -> Result<u64, NeedsError> {
        let mut seen = 0u64;
        for (j, k) in list.iter().enumerate() {
            let Some(d) = self.lookup(k.as_str(), usize::MAX) else {
                return Err(field_error(format!("{name}[{j}]"), self.unknown(k)));
            };
            let b = bit(d);
            if seen & b != 0 {
                return Err(field_error(
                    format!("{name}[{j}]"),
                    Reason::Duplicate {
                        value: k.to_string(),
                    },
                ));
            }
            if rated & b == 0 {
                return Err(field_error(
                    format!("{name}[{j}]"),
                    Reason::Invalid {
                        expected: "a domain rated in this assessment".into(),
                        value: k.to_string(),
                    },
                ));
            }
            seen |= b;
            each(d, j);
        }
        Ok(seen)
    }

    /// Rank one row: blocking, scores, groups, and the order (into `cx`).
    fn compute(&self, row: &Row, cx: &mut Ctx) {
        let ix = &self.index;
        let at8 = |arr: &[u8; 64], i: usize| arr.get(i).copied().unwrap_or(0);
        // Red flags: which domains, which flags, the shortest response time.
        let mut flagged = 0u64;
        for fi in bits(u64::from(row.red_flags)) {
            let Some(d) = ix.flag_domain.get(fi).copied().flatten().map(usize::from) else {
                continue;
            };
            let m = ix.flag_minutes.get(fi).copied().unwrap_or(u32::MAX);
            if let (Some(f), Some(mm)) = (cx.flags_of.get_mut(d), cx.minutes.get_mut(d)) {
                if flagged & bit(d) == 0 {
                    *f = 0;
                    *mm = u32::MAX;
                }
                *f |= 1 << fi;
                *mm = (*mm).min(m);
            }
            flagged |= bit(d);
        }
        let items = row.leveled | flagged | row.ranked;

        // Blocking: a prerequisite at or below the blocking level, not above the dependent.
        // `at_most[l]`: the domains rated at level `l` or lower (`at_most[0]` is empty), and
        // `ix.block_cap[c]` picks the set that can block a domain of rating code `c`.
        let mut at_most = [0u64; 8];
        for d in bits(row.leveled) {
            if let Some(m) = at_most.get_mut(usize::from(at8(&row.code, d))) {
                *m |= bit(d);
            }
        }
        let mut acc = 0u64;
        for m in at_most.iter_mut() {
            acc |= *m;
            *m = acc;
        }
        let low = at_most.get(usize::from(ix.threshold)).copied().unwrap_or(0);
        for d in bits(low) {
            if let Some(slot) = cx.blocks.get_mut(d) {
                *slot = 0;
            }
        }
        let mut blocked = 0u64;
        for d in bits(items) {
            let cap = ix.block_cap.get(usize::from(at8(&row.code, d))).copied();
            let m = ix.prereqs.get(d).copied().unwrap_or(0)
                & at_most
                    .get(usize::from(cap.unwrap_or(0)))
                    .copied()
                    .unwrap_or(0);
            if let Some(slot) = cx.blocked_by.get_mut(d) {
                *slot = m;
            }
            if m != 0 {
                blocked |= bit(d);
                for b in bits(m) {
                    if let Some(slot) = cx.blocks.get_mut(b) {
                        *slot |= bit(d);
                    }
                }
            }
        }

        // Scores and sort keys.
        let cfg = &self.model.config;
        let keys = &mut cx.keys;
        let mut n = 0usize;
        for d in bits(items) {
            let b = bit(d);
            let c = at8(&row.code, d);
            let r = at8(&row.rank, d);
            let nblocks = if low & b != 0 {
                cx.blocks.get(d).copied().unwrap_or(0).count_ones()
            } else {
                0
            };
            let mut s = ix.level_points.get(usize::from(c)).copied().unwrap_or(0);
            s = s.saturating_add(
                nblocks
                    .saturating_mul(cfg.points_per_blocked_domain)
                    .min(cfg.max_blocking_points),
            );
            if ix.foundational & low & b != 0 {
                s = s.saturating_add(cfg.foundational_points);
            }
            s = s.saturating_add(ix.rank_points(r));
            let (g, m) = if flagged & b != 0 {
                (
                    GROUP_RED_FLAG,
                    cx.minutes.get(d).copied().unwrap_or(u32::MAX),
                )
            } else if row.not_now & b != 0 {
                (GROUP_NOT_NOW, 0)
            } else if r != 0 {
                (GROUP_RANKED, 0)
            } else {
                (GROUP_REST, 0)
            };
            // Within the person's ranked domains their order decides; elsewhere the score.
            let order_key = if g == GROUP_RANKED {
                u32::from(r)
            } else {
                u32::MAX - s
            };
            if let (Some(sc), Some(gr), Some(k)) =
                (cx.score.get_mut(d), cx.group.get_mut(d), keys.get_mut(n))
            {
                *sc = s;
                *gr = g;
                // group (2 bits) | minutes (20 bits) | order key (32 bits) | domain (6 bits)
                *k = (u64::from(g) << 58)
                    | (u64::from(m.min(MINUTES_MASK)) << 38)
                    | (u64::from(order_key) << 6)
                    | d as u64;
            }
            n += 1;
        }
        let sorted = keys.get_mut(..n).unwrap_or_default();
        sorted.sort_unstable();
        let pos_of = &mut cx.pos_of;
        for (i, k) in sorted.iter().enumerate() {
            if let Some(p) = pos_of.get_mut((k & 0x3f) as usize) {
                *p = i as u8;
            }
        }

        // Order constraints, between places in `sorted`: a blocker precedes what it blocks,
        // within the same group and response time, unless the person ranked the blocked
        // domain ahead of the blocker.
        let mins = &cx.minutes;
        let minutes = |d: usize| {
            if flagged & bit(d) != 0 {
                mins.get(d).copied().unwrap_or(u32::MAX)
            } else {
                u32::MAX
            }
        };
        let (succ, indeg) = (&mut cx.succ, &mut cx.indeg);
        succ.get_mut(..n).unwrap_or_default().fill(0);
        indeg.get_mut(..n).unwrap_or_default().fill(0);
        let mut waiting = 0u64;
        for d in bits(blocked) {
            let gd = at8(&cx.group, d);
            let md = minutes(d);
            let rd = at8(&row.rank, d);
            let pd = usize::from(at8(pos_of, d));
            for b in bits(cx.blocked_by.get(d).copied().unwrap_or(0)) {
                let same = gd == at8(&cx.group, b) && (gd != GROUP_RED_FLAG || md == minutes(b));
                let rb = at8(&row.rank, b);
                let person_first = rd != 0 && (rb == 0 || rd < rb);
                if same && !person_first {
                    if let (Some(s), Some(k)) =
                        (succ.get_mut(usize::from(at8(pos_of, b))), indeg.get_mut(pd))
                    {
                        *s |= bit(pd);
                        *k += 1;
                    }
                    waiting |= bit(pd);
                }
            }
        }
        // Kahn's algorithm: each step places the first candidate in key order whose
        // predecessors are all placed (the constraints are acyclic because the graph is; the
        // fallback, the first unplaced, only guards against a broken invariant).
        let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        let mut unplaced = all;
        let mut ready = all & !waiting;
        let mut remaining = items;
        let mut count = 0usize;
        while unplaced != 0 {
            let i = if ready != 0 {
                ready.trailing_zeros()
            } else {
                unplaced.trailing_zeros()
            } as usize;
            ready &= !bit(i);
            unplaced &= !bit(i);
            let d = (sorted.get(i).copied().unwrap_or(0) & 0x3f) as usize;
            // Blockers still to come: this domain is placed ahead of them.
            let ahead = cx.blocked_by.get(d).copied().unwrap_or(0) & remaining;
            remaining &= !bit(d);
            if let (Some(o), Some(a)) = (cx.order.get_mut(count), cx.ahead.get_mut(d)) {
                *o = d as u8;
                *a = ahead;
            }
            count += 1;
            for j in bits(succ.get(i).copied().unwrap_or(0) & unplaced) {
                if let Some(k) = indeg.get_mut(j) {
                    *k -= 1;
                    if *k == 0 {
                        ready |= bit(j);
                    }
                }
            }
        }
        cx.count = count;
        cx.items = items;
        cx.flagged = flagged;
        cx.low = low;
    }

    /// The urgency band of a domain.
    #[inline]
    fn urgency(&self, flagged: bool, s: u32) -> Urgency {
        let u = &self.model.config.urgency;
        if flagged {
            Urgency::RedFlag
        } else if s >= u.urgent {
            Urgency::Urgent
        } else if s >= u.high {
            Urgency::High
        } else if s >= u.medium {
            Urgency::Medium
        } else {
            Urgency::Low
        }
    }

    /// The reasons of domain `d`, in their fixed order, handed to `f`.
    #[inline(always)]
    fn each_reason(&self, row: &Row, cx: &Ctx, d: usize, mut f: impl FnMut(Why)) {
        let ix = &self.index;
        let cfg = &self.model.config;
        let b = bit(d);
        let code = |i: usize| row.code.get(i).copied().unwrap_or(0);
        let c = code(d);
        let fl = cx.flags(d);
        for fi in bits(u64::from(fl)) {
            if let Some(flag) = RedFlag::ALL.get(fi) {
                f(Why::RedFlag {
                    flag: *flag,
                    minutes: ix.flag_minutes.get(fi).copied().unwrap_or(u32::MAX),
                });
            }
        }
        let blocked_by = cx.blocked_by.get(d).copied().unwrap_or(0);
        match level_of(c) {
            Some(level) => {
                f(Why::OwnLevel {
                    level,
                    points: ix.level_points.get(usize::from(c)).copied().unwrap_or(0),
                });
                if ix.foundational & b != 0 && c <= ix.threshold {
                    f(Why::Foundational {
                        points: cfg.foundational_points,
                    });
                }
                let mut budget = cfg.max_blocking_points;
                for dep in bits(cx.blocks_of(d)) {
                    let points = cfg.points_per_blocked_domain.min(budget);
                    budget -= points;
                    if let Some(level) = level_of(code(dep)) {
                        f(Why::Blocks {
                            domain: dep as u8,
                            level,
                            points,
                        });
                    }
                }
                for blocker in bits(blocked_by) {
                    if let Some(level) = level_of(code(blocker)) {
                        f(Why::BlockedBy {
                            blocker: blocker as u8,
                            level,
                        });
                    }
                }
            }
            None => f(Why::Unrated {
                rating: rating_of(if c == 0 { NOT_ASSESSED } else { c }),
            }),
        }
        let r = row.rank.get(d).copied().unwrap_or(0);
        if r != 0 {
            f(Why::OwnRank {
                rank: u32::from(r),
                points: ix.rank_points(r),
            });
        }
        let ahead = cx.ahead.get(d).copied().unwrap_or(0);
        if ahead != 0 {
            let gd = cx.group.get(d).copied().unwrap_or(0);
            let md = cx.minutes_of(d);
            for blocker in bits(ahead) {
                let gb = cx.group.get(blocker).copied().unwrap_or(0);
                let mb = cx.minutes_of(blocker);
                let cause = if gd == GROUP_RED_FLAG && (gb != GROUP_RED_FLAG || md < mb) {
                    AheadCause::RedFlag
                } else if gb == GROUP_NOT_NOW && gd != GROUP_NOT_NOW {
                    AheadCause::BlockerNotNow
                } else {
                    AheadCause::OwnRank
                };
                f(Why::AheadOfBlocker {
                    blocker: blocker as u8,
                    cause,
                });
            }
        }
        if row.not_now & b != 0 {
            f(Why::NotNow);
        }
    }

    /// How many reasons [`Self::each_reason`] gives for `d`.
    #[inline]
    fn reason_count(&self, row: &Row, cx: &Ctx, d: usize) -> usize {
        let b = bit(d);
        let c = row.code.get(d).copied().unwrap_or(0);
        let ones = |m: u64| m.count_ones() as usize;
        let mut n = ones(u64::from(cx.flags(d))) + 1;
        if row.leveled & b != 0 {
            n += usize::from(self.index.foundational & b != 0 && c <= self.index.threshold);
            n += ones(cx.blocks_of(d));
            n += ones(cx.blocked_by.get(d).copied().unwrap_or(0));
        }
        n += usize::from(row.rank.get(d).copied().unwrap_or(0) != 0);
        n += ones(cx.ahead.get(d).copied().unwrap_or(0));
        n + usize::from(row.not_now & b != 0)
    }

    /// The placed domains, in order.
    #[inline]
    fn placed<'c>(cx: &'c Ctx) -> impl Iterator<Item = usize> + 'c {
        cx.order.iter().take(cx.count).map(|&d| usize::from(d))
    }

    /// The ranking of one computed row, in index form with its reasons.
    fn emit_ranking(&self, row: &Row, cx: &Ctx, out: &mut Ranking) {
        out.entries.reserve(cx.count);
        for d in Self::placed(cx) {
            let b = bit(d);
            let c = row.code.get(d).copied().unwrap_or(0);
            let start = out.reasons.len();
            self.each_reason(row, cx, d, |w| out.reasons.push(w));
            let s = cx.score.get(d).copied().unwrap_or(0);
            let flagged = cx.flagged & b != 0;
            let len = out.reasons.len() - start;
            out.entries.push(RankedEntry {
                domain_index: d as u8,
                rating: rating_of(if c == 0 { NOT_ASSESSED } else { c }),
                urgency: self.urgency(flagged, s),
                score: s,
                respond_within_minutes: flagged.then(|| cx.minutes.get(d).copied().unwrap_or(0)),
                referable: row.not_now & b == 0,
                reasons: (start as u32, len as u32),
            });
        }
        for d in bits(row.present & !cx.items) {
            out.not_rated.push(UnratedEntry {
                domain_index: d as u8,
                rating: rating_of(row.code.get(d).copied().unwrap_or(0)),
            });
        }
    }

    /// The record of one computed row, built directly (no index-form detour).
    fn spell_out(
        &self,
        row: &Row,
        cx: &Ctx,
        assessment_id: AssessmentId,
        case_id: CaseId,
        assessed_at: Timestamp,
    ) -> Prioritisation {
        let mut items = Vec::with_capacity(cx.count);
        for (pos, d) in Self::placed(cx).enumerate() {
            let b = bit(d);
            let c = row.code.get(d).copied().unwrap_or(0);
            let mut reasons = Vec::with_capacity(self.reason_count(row, cx, d));
            self.each_reason(row, cx, d, |w| reasons.push(self.spell(w)));
            let s = cx.score.get(d).copied().unwrap_or(0);
            let flagged = cx.flagged & b != 0;
            items.push(PriorityItem {
                position: pos as u32 + 1,
                domain: self.key_of(d),
                rating: rating_of(if c == 0 { NOT_ASSESSED } else { c }),
                level: level_of(c),
                urgency: self.urgency(flagged, s),
                score: s,
                respond_within_minutes: flagged.then(|| cx.minutes.get(d).copied().unwrap_or(0)),
                referable: row.not_now & b == 0,
                reasons,
            });
        }
        let unrated = row.present & !cx.items;
        let mut not_rated = Vec::with_capacity(unrated.count_ones() as usize);
        for d in bits(unrated) {
            not_rated.push(NotRated {
                domain: self.key_of(d),
                rating: rating_of(row.code.get(d).copied().unwrap_or(0)),
            });
        }
        Prioritisation {
            assessment_id,
            case_id,
            assessed_at,
            items,
            not_rated,
        }
    }

    /// Write the packed entries of one computed row into `chunk` (one row's slots; the unused
    /// tail is zeroed) and return how many there are.
    #[inline]
    fn emit_packed(&self, row: &Row, cx: &Ctx, chunk: &mut [u8]) -> u8 {
        let ix = &self.index;
        let mut slots = chunk.chunks_exact_mut(PackedEntry::SIZE);
        for (d, slot) in Self::placed(cx).zip(slots.by_ref()) {
            let b = bit(d);
            let c = row.code.get(d).copied().unwrap_or(0);
            let s = cx.score.get(d).copied().unwrap_or(0);
            let flagged = cx.flagged & b != 0;
            let mut why = 0u8;
            if flagged {
                why |= PackedEntry::RED_FLAG;
            }
            if row.leveled & b != 0 {
                why |= PackedEntry::OWN_LEVEL;
                if ix.foundational & b != 0 && c <= ix.threshold {
                    why |= PackedEntry::FOUNDATIONAL;
                }
            }
            if cx.blocks_of(d) != 0 {
                why |= PackedEntry::BLOCKS;
            }
            if cx.blocked_by.get(d).copied().unwrap_or(0) != 0 {
                why |= PackedEntry::BLOCKED_BY;
            }
            if row.rank.get(d).copied().unwrap_or(0) != 0 {
                why |= PackedEntry::OWN_RANK;
            }
            if cx.ahead.get(d).copied().unwrap_or(0) != 0 {
                why |= PackedEntry::AHEAD_OF_BLOCKER;
            }
            if row.not_now & b != 0 {
                why |= PackedEntry::NOT_NOW;
            }
            let [s0, s1, s2, s3] = s.to_le_bytes();
            slot.copy_from_slice(&[
                d as u8,
                if c == 0 { NOT_ASSESSED } else { c },
                urgency_code(self.urgency(flagged, s)),
                why,
                s0,
                s1,
                s2,
                s3,
            ]);
        }
        for slot in slots {
            slot.fill(0);
        }
        cx.count as u8
    }
}

/// One assessment in index form: what ranking reads, from a record or a packed row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// Rating code by domain: 0 no entry, 1–5 a level, 6 declined, 7 not assessed.
    pub(crate) code: [u8; 64],
    /// The person's rank by domain (1 first), 0 when unranked.
    pub(crate) rank: [u8; 64],
    /// Domains with an entry.
    pub(crate) present: u64,
    /// Domains rated at a level.
    pub(crate) leveled: u64,
    /// Domains the person ranked.
    pub(crate) ranked: u64,
    /// Domains on the "not now" list.
    pub(crate) not_now: u64,
    /// Bit `i`: red flag `RedFlag::ALL[i]` raised.
    pub(crate) red_flags: u8,
}

impl Row {
    pub(crate) const EMPTY: Row = Row {
        code: [0; 64],
        rank: [0; 64],
        present: 0,
        leveled: 0,
        ranked: 0,
        not_now: 0,
        red_flags: 0,
    };
}

/// Per-domain results of ranking one row (only the slots of the row's items are meaningful).
struct Ctx {
    /// The domains blocking each domain.
    blocked_by: [u64; 64],
    /// The domains each domain blocks.
    blocks: [u64; 64],
    /// The blockers each domain is placed ahead of.
    ahead: [u64; 64],
    score: [u32; 64],
    /// Shortest red-flag response time (only for flagged domains).
    minutes: [u32; 64],
    /// Bit `i`: red flag `RedFlag::ALL[i]` points at the domain (only for flagged domains).
    flags_of: [u8; 64],
    group: [u8; 64],
    /// The placed domains, in order.
    order: [u8; 64],
    /// Sort keys of the items, in key order after sorting.
    keys: [u64; 64],
    /// Place of each domain in `keys`.
    pos_of: [u8; 64],
    /// Order constraints between places in `keys`: successors and unplaced predecessors.
    succ: [u64; 64],
    indeg: [u8; 64],
    count: usize,
    items: u64,
    flagged: u64,
    /// Rated domains at a blocking level (only these have `blocks`).
    low: u64,
}

impl Ctx {
    /// The red flags pointing at `d`.
    #[inline]
    fn flags(&self, d: usize) -> u8 {
        if self.flagged & bit(d) != 0 {
            self.flags_of.get(d).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// The shortest response time of the red flags pointing at `d` (`u32::MAX` for none).
    #[inline]
    fn minutes_of(&self, d: usize) -> u32 {
        if self.flagged & bit(d) != 0 {
            self.minutes.get(d).copied().unwrap_or(u32::MAX)
        } else {
            u32::MAX
        }
    }

    /// The domains `d` blocks.
    #[inline]
    fn blocks_of(&self, d: usize) -> u64 {
        if self.low & bit(d) != 0 {
            self.blocks.get(d).copied().unwrap_or(0)
        } else {
            0
        }
    }

    fn new() -> Self {
        Ctx {
            blocked_by: [0; 64],
            blocks: [0; 64],
            ahead: [0; 64],
            score: [0; 64],
            minutes: [u32::MAX; 64],
            flags_of: [0; 64],
            group: [0; 64],
            order: [0; 64],
            keys: [0; 64],
            pos_of: [0; 64],
            succ: [0; 64],
            indeg: [0; 64],
            count: 0,
            items: 0,
            flagged: 0,
            low: 0,
        }
    }
}

/// Running counts of a batch summary.
struct Tally {
    seen: u64,
    rejected: u64,
    flagged: u64,
    first: Vec<u64>,
    blocking: Vec<u64>,
}

impl Tally {
    fn new(n: usize) -> Self {
        Tally {
            seen: 0,
            rejected: 0,
            flagged: 0,
            first: vec![0; n],
            blocking: vec![0; n],
        }
    }

    fn add(&mut self, row: &Row, cx: &Ctx) {
        if row.red_flags != 0 {
            self.flagged += 1;
        }
        if let Some(d) = Prioritiser::placed(cx).find(|&d| row.not_now & bit(d) == 0) {
            if let Some(c) = self.first.get_mut(d) {
                *c += 1;
            }
        }
        // A domain that blocks another (it has a `blocks` reason).
        for d in bits(cx.items) {
            if cx.blocks_of(d) != 0 {
                if let Some(c) = self.blocking.get_mut(d) {
                    *c += 1;
                }
            }
        }
    }

    fn finish(self, keys: &[DomainKey]) -> BatchSummary {
        let counts = |v: Vec<u64>| {
            v.into_iter()
                .zip(keys.iter())
                .filter(|(c, _)| *c > 0)
                .map(|(count, k)| DomainCount {
                    domain: k.clone(),
                    count,
                })
                .collect()
        };
        BatchSummary {
            assessments: self.seen,
            rejected: self.rejected,
            with_red_flags: self.flagged,
            first_referable: counts(self.first),
            blocking: counts(self.blocking),
        }
    }
}

/// The urgency band as a byte: 0 red flag, 1 urgent, 2 high, 3 medium, 4 low.
pub(crate) fn urgency_code(u: Urgency) -> u8 {
    match u {
        Urgency::RedFlag => 0,
        Urgency::Urgent => 1,
        Urgency::High => 2,
        Urgency::Medium => 3,
        Urgency::Low => 4,
    }
}

/// The urgency band of a byte written by [`urgency_code`].
pub(crate) fn urgency_of(code: u8) -> Option<Urgency> {
    Some(match code {
        0 => Urgency::RedFlag,
        1 => Urgency::Urgent,
        2 => Urgency::High,
        3 => Urgency::Medium,
        4 => Urgency::Low,
        _ => return None,
    })
}

fn field_error(path: String, reason: Reason) -> NeedsError {
    NeedsError::Invalid(FieldError::new(path, reason).into())
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
