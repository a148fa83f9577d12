//! The prioritiser: a [`NeedsModel`] (catalogue, dependency graph, configuration) compiled into
//! an index-based form, so one assessment is ranked with bit sets and fixed arrays and no
//! allocation beyond the output.

use crate::assessment::{Assessment, RedFlag, MAX_DOMAINS};
use crate::catalogue::Catalogue;
use crate::config::NeedsConfig;
use crate::error::NeedsError;
use crate::graph::DependencyGraph;
use crate::priority::{
    AheadCause, NotRated, Prioritisation, PriorityItem, PriorityReason, Urgency,
};
use beside_core::{
    DomainKey, FieldError, Level, Rating, Reason, Timestamp, Validate, ValidationErrors, Validator,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Everything prioritisation depends on, as data: the catalogue, the dependency graph and the
/// weights. Compile it with [`NeedsModel::compile`].
/// The default is the brief's: 16 domains, its dependency graph, default weights.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

fn rating_of(code: u8) -> Rating {
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
pub struct UnratedEntry {
    /// Position of the domain in the model's catalogue.
    pub domain_index: u8,
    /// Its rating.
    pub rating: Rating,
}

/// A reusable, index-based ranking: what [`Prioritiser::rank_into`] writes. Turn it into a
/// [`Prioritisation`] with [`Prioritiser::to_prioritisation`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
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
pub struct DomainCount {
    /// The domain.
    pub domain: DomainKey,
    /// How many.
    pub count: u64,
}

/// A summary of a batch of assessments, for researchers and monitoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
        let index = Index {
            keys,
            lookup,
            prereqs,
            foundational,
            flag_domain,
            flag_minutes,
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
        let mut ranking = Ranking::default();
        self.rank_into(assessment, &mut ranking)?;
        Ok(self.to_prioritisation(assessment, &ranking))
    }

    /// Turn an index-based ranking of `assessment` into the record an app receives.
    pub fn to_prioritisation(&self, assessment: &Assessment, ranking: &Ranking) -> Prioritisation {
        let key = |i: u8| {
            self.domain_key(i)
                .cloned()
                .unwrap_or(DomainKey::from_static("unknown"))
        };
        let items = ranking
            .entries
            .iter()
            .enumerate()
            .map(|(pos, e)| PriorityItem {
                position: u32::try_from(pos).unwrap_or(u32::MAX).saturating_add(1),
                domain: key(e.domain_index),
                rating: e.rating,
                level: e.rating.level(),
                urgency: e.urgency,
                score: e.score,
                respond_within_minutes: e.respond_within_minutes,
                referable: e.referable,
                reasons: ranking
                    .reasons_of(e)
                    .iter()
                    .map(|w| match *w {
                        Why::RedFlag { flag, minutes } => PriorityReason::RedFlag {
                            flag,
                            respond_within_minutes: minutes,
                        },
                        Why::OwnLevel { level, points } => {
                            PriorityReason::OwnLevel { level, points }
                        }
                        Why::Unrated { rating } => PriorityReason::Unrated { rating },
                        Why::Foundational { points } => PriorityReason::Foundational { points },
                        Why::Blocks {
                            domain,
                            level,
                            points,
                        } => PriorityReason::Blocks {
                            domain: key(domain),
                            level,
                            points,
                        },
                        Why::BlockedBy { blocker, level } => PriorityReason::BlockedBy {
                            blocker: key(blocker),
                            blocker_level: level,
                        },
                        Why::OwnRank { rank, points } => PriorityReason::OwnRank { rank, points },
                        Why::AheadOfBlocker { blocker, cause } => PriorityReason::AheadOfBlocker {
                            blocker: key(blocker),
                            cause,
                        },
                        Why::NotNow => PriorityReason::NotNow,
                    })
                    .collect(),
            })
            .collect();
        let not_rated = ranking
            .not_rated
            .iter()
            .map(|u| NotRated {
                domain: key(u.domain_index),
                rating: u.rating,
            })
            .collect();
        Prioritisation {
            assessment_id: assessment.id.clone(),
            case_id: assessment.case_id.clone(),
            assessed_at: assessment.assessed_at,
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
        let n = self.index.keys.len();
        let mut first = vec![0u64; n];
        let mut blocking = vec![0u64; n];
        let (mut seen, mut rejected, mut flagged) = (0u64, 0u64, 0u64);
        self.rank_each(assessments, |a, r| {
            seen += 1;
            match r {
                Err(_) => rejected += 1,
                Ok(r) => {
                    if !a.red_flags.is_empty() {
                        flagged += 1;
                    }
                    if let Some(e) = r.entries.iter().find(|e| e.referable) {
                        if let Some(c) = first.get_mut(usize::from(e.domain_index)) {
                            *c += 1;
                        }
                    }
                    for e in &r.entries {
                        if r.reasons_of(e)
                            .iter()
                            .any(|w| matches!(w, Why::Blocks { .. }))
                        {
                            if let Some(c) = blocking.get_mut(usize::from(e.domain_index)) {
                                *c += 1;
                            }
                        }
                    }
                }
            }
        });
        let counts = |v: Vec<u64>| {
            v.into_iter()
                .zip(self.index.keys.iter())
                .filter(|(c, _)| *c > 0)
                .map(|(count, k)| DomainCount {
                    domain: k.clone(),
                    count,
                })
                .collect()
        };
        BatchSummary {
            assessments: seen,
            rejected,
            with_red_flags: flagged,
            first_referable: counts(first),
            blocking: counts(blocking),
        }
    }

    /// Rank one assessment into `out` (cleared first), in index form. On error `out` is left
    /// empty.
    pub fn rank_into(&self, a: &Assessment, out: &mut Ranking) -> Result<(), NeedsError> {
        out.clear();
        let cfg = &self.model.config;
        let ix = &self.index;
        let mut code = [0u8; 64];
        let (mut present, mut leveled) = (0u64, 0u64);
        for (i, r) in a.ratings.iter().enumerate() {
            let Some(d) = self.lookup(r.domain.as_str(), i) else {
                return Err(field_error(
                    format!("ratings[{i}].domain"),
                    self.unknown(&r.domain),
                ));
            };
            let b = bit(d);
            if present & b != 0 {
                return Err(field_error(
                    format!("ratings[{i}]"),
                    Reason::Duplicate {
                        value: r.domain.to_string(),
                    },
                ));
            }
            present |= b;
            let c = match r.rating {
                Rating::Level(l) => {
                    leveled |= b;
                    l.number()
                }
                Rating::Declined => DECLINED,
                Rating::NotAssessed => NOT_ASSESSED,
            };
            if let Some(slot) = code.get_mut(d) {
                *slot = c;
            }
        }
        let rated = present & !self.mask_with(&code, present, NOT_ASSESSED);
        let mut rank = [0u32; 64];
        let mut ranked = 0u64;
        let mut not_now = 0u64;
        for (name, list) in [
            ("own_priorities", &a.own_priorities),
            ("not_now", &a.not_now),
        ] {
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
                if name == "own_priorities" {
                    if let Some(r) = rank.get_mut(d) {
                        *r = u32::try_from(j).unwrap_or(u32::MAX).saturating_add(1);
                    }
                }
            }
            if name == "own_priorities" {
                ranked = seen;
            } else {
                not_now = seen;
            }
        }
        let mut flags = [0u8; 64];
        let mut minutes = [u32::MAX; 64];
        let mut flagged = 0u64;
        for f in &a.red_flags {
            let fi = flag_index(*f);
            let Some(d) = ix.flag_domain.get(fi).copied().flatten().map(usize::from) else {
                continue;
            };
            let m = ix.flag_minutes.get(fi).copied().unwrap_or(u32::MAX);
            if let (Some(fl), Some(mm)) = (flags.get_mut(d), minutes.get_mut(d)) {
                *fl |= 1 << fi;
                *mm = (*mm).min(m);
            }
            flagged |= bit(d);
        }

        // Blocking: a prerequisite at or below the blocking level, not above the dependent.
        let at = |arr: &[u8; 64], i: usize| arr.get(i).copied().unwrap_or(0);
        let threshold = cfg.blocking_max_level.number();
        let mut low = 0u64;
        for d in bits(leveled) {
            if at(&code, d) <= threshold {
                low |= bit(d);
            }
        }
        let mut blocked_by = [0u64; 64];
        let mut blocks = [0u64; 64];
        for d in bits(leveled) {
            let mut m = ix.prereqs.get(d).copied().unwrap_or(0) & low;
            for b in bits(m) {
                if at(&code, b) > at(&code, d) {
                    m &= !bit(b);
                }
            }
            if let Some(slot) = blocked_by.get_mut(d) {
                *slot = m;
            }
            for b in bits(m) {
                if let Some(slot) = blocks.get_mut(b) {
                    *slot |= bit(d);
                }
            }
        }
        let items = leveled | flagged | ranked;
        let get64 = |arr: &[u64; 64], i: usize| arr.get(i).copied().unwrap_or(0);
        let get32 = |arr: &[u32; 64], i: usize| arr.get(i).copied().unwrap_or(0);

        // Scores and sort keys.
        let rank_points = |r: u32| -> u32 {
            if r == 0 {
                0
            } else {
                cfg.own_rank_points
                    .get(r as usize - 1)
                    .copied()
                    .unwrap_or(cfg.own_rank_points_after)
            }
        };
        let mut score = [0u32; 64];
        let mut group = [0u8; 64];
        let mut key = [u64::MAX; 64];
        for d in bits(items) {
            let b = bit(d);
            let mut s = 0u32;
            if let Some(level) = level_of(at(&code, d)) {
                s = s.saturating_add(cfg.level_points.get(level));
                let n = get64(&blocks, d).count_ones();
                s = s.saturating_add(
                    n.saturating_mul(cfg.points_per_blocked_domain)
                        .min(cfg.max_blocking_points),
                );
                if ix.foundational & b != 0 && level.number() <= threshold {
                    s = s.saturating_add(cfg.foundational_points);
                }
            }
            s = s.saturating_add(rank_points(get32(&rank, d)));
            let r = get32(&rank, d);
            let g: u8 = if flagged & b != 0 {
                GROUP_RED_FLAG
            } else if not_now & b != 0 {
                GROUP_NOT_NOW
            } else if r != 0 {
                GROUP_RANKED
            } else {
                GROUP_REST
            };
            let m = if g == GROUP_RED_FLAG {
                get32(&minutes, d)
            } else {
                0
            };
            // Within the person's ranked domains their order decides; elsewhere the score.
            let order_key = if g == GROUP_RANKED { r } else { u32::MAX - s };
            if let (Some(sc), Some(gr), Some(k)) =
                (score.get_mut(d), group.get_mut(d), key.get_mut(d))
            {
                *sc = s;
                *gr = g;
                // group (2 bits) | minutes (20 bits) | order key (32 bits) | domain (6 bits)
                *k = (u64::from(g) << 58)
                    | (u64::from(m.min(MINUTES_MASK)) << 38)
                    | (u64::from(order_key) << 6)
                    | d as u64;
            }
        }

        // Order constraints: a blocker precedes what it blocks, within the same group and
        // response time, unless the person ranked the blocked domain ahead of the blocker.
        let mut pred = [0u64; 64];
        for d in bits(items) {
            let rd = get32(&rank, d);
            let mut p = 0u64;
            for b in bits(get64(&blocked_by, d)) {
                let same = at(&group, d) == at(&group, b)
                    && (at(&group, d) != GROUP_RED_FLAG
                        || get32(&minutes, d) == get32(&minutes, b));
                let rb = get32(&rank, b);
                let person_first = rd != 0 && (rb == 0 || rd < rb);
                if same && !person_first {
                    p |= bit(b);
                }
            }
            if let Some(slot) = pred.get_mut(d) {
                *slot = p;
            }
        }
        // Kahn's algorithm over the candidates sorted by key: each step takes the first
        // candidate whose predecessors are all placed (the constraints are acyclic because the
        // graph is; the fallback only guards against a broken invariant).
        let n = items.count_ones() as usize;
        let mut sorted = [u64::MAX; 64];
        for (slot, d) in sorted.iter_mut().zip(bits(items)) {
            *slot = key.get(d).copied().unwrap_or(u64::MAX);
        }
        let sorted = sorted.get_mut(..n).unwrap_or_default();
        sorted.sort_unstable();
        let mut order = [0u8; 64];
        let mut pos = [0u8; 64];
        let mut count = 0usize;
        let mut remaining = items;
        let mut taken = 0u64;
        let mut first_open = 0usize;
        while count < n {
            let mut pick: Option<(usize, usize)> = None;
            let mut fallback: Option<(usize, usize)> = None;
            for (i, k) in sorted.iter().enumerate().skip(first_open) {
                if taken & bit(i) != 0 {
                    continue;
                }
                let d = (k & 0x3f) as usize;
                if fallback.is_none() {
                    fallback = Some((i, d));
                }
                if get64(&pred, d) & remaining == 0 {
                    pick = Some((i, d));
                    break;
                }
            }
            let Some((i, d)) = pick.or(fallback) else {
                break;
            };
            taken |= bit(i);
            while first_open < n && taken & bit(first_open) != 0 {
                first_open += 1;
            }
            remaining &= !bit(d);
            if let (Some(o), Some(p)) = (order.get_mut(count), pos.get_mut(d)) {
                *o = d as u8;
                *p = count as u8;
            }
            count += 1;
        }

        // Emit entries with their reasons.
        out.entries.reserve(count);
        for &d in order.iter().take(count) {
            let d = usize::from(d);
            let b = bit(d);
            let c = at(&code, d);
            let start = out.reasons.len();
            let fl = at(&flags, d);
            for (fi, f) in RedFlag::ALL.iter().enumerate() {
                if fl & (1 << fi) != 0 {
                    out.reasons.push(Why::RedFlag {
                        flag: *f,
                        minutes: ix.flag_minutes.get(fi).copied().unwrap_or(u32::MAX),
                    });
                }
            }
            let level = level_of(c);
            match level {
                Some(level) => {
                    out.reasons.push(Why::OwnLevel {
                        level,
                        points: cfg.level_points.get(level),
                    });
                    if ix.foundational & b != 0 && c <= threshold {
                        out.reasons.push(Why::Foundational {
                            points: cfg.foundational_points,
                        });
                    }
                    let mut budget = cfg.max_blocking_points;
                    for dep in bits(get64(&blocks, d)) {
                        let points = cfg.points_per_blocked_domain.min(budget);
                        budget -= points;
                        if let Some(level) = level_of(at(&code, dep)) {
                            out.reasons.push(Why::Blocks {
                                domain: dep as u8,
                                level,
                                points,
                            });
                        }
                    }
                    for blocker in bits(get64(&blocked_by, d)) {
                        if let Some(level) = level_of(at(&code, blocker)) {
                            out.reasons.push(Why::BlockedBy {
                                blocker: blocker as u8,
                                level,
                            });
                        }
                    }
                }
                None => out.reasons.push(Why::Unrated {
                    rating: rating_of(if c == 0 { NOT_ASSESSED } else { c }),
                }),
            }
            let r = get32(&rank, d);
            if r != 0 {
                out.reasons.push(Why::OwnRank {
                    rank: r,
                    points: rank_points(r),
                });
            }
            for blocker in bits(get64(&blocked_by, d)) {
                if at(&pos, d) < at(&pos, blocker) {
                    let (gd, gb) = (at(&group, d), at(&group, blocker));
                    let cause = if gd == GROUP_RED_FLAG
                        && (gb != GROUP_RED_FLAG || get32(&minutes, d) < get32(&minutes, blocker))
                    {
                        AheadCause::RedFlag
                    } else if gb == GROUP_NOT_NOW && gd != GROUP_NOT_NOW {
                        AheadCause::BlockerNotNow
                    } else {
                        AheadCause::OwnRank
                    };
                    out.reasons.push(Why::AheadOfBlocker {
                        blocker: blocker as u8,
                        cause,
                    });
                }
            }
            if not_now & b != 0 {
                out.reasons.push(Why::NotNow);
            }
            let s = get32(&score, d);
            let urgency = if flagged & b != 0 {
                Urgency::RedFlag
            } else if s >= cfg.urgency.urgent {
                Urgency::Urgent
            } else if s >= cfg.urgency.high {
                Urgency::High
            } else if s >= cfg.urgency.medium {
                Urgency::Medium
            } else {
                Urgency::Low
            };
            let len = out.reasons.len() - start;
            out.entries.push(RankedEntry {
                domain_index: d as u8,
                rating: rating_of(if c == 0 { NOT_ASSESSED } else { c }),
                urgency,
                score: s,
                respond_within_minutes: (flagged & b != 0).then(|| get32(&minutes, d)),
                referable: not_now & b == 0,
                reasons: (start as u32, len as u32),
            });
        }
        for d in bits(present & !items) {
            out.not_rated.push(UnratedEntry {
                domain_index: d as u8,
                rating: rating_of(at(&code, d)),
            });
        }
        Ok(())
    }

    fn mask_with(&self, code: &[u8; 64], among: u64, value: u8) -> u64 {
        let mut m = 0;
        for d in bits(among) {
            if code.get(d).copied() == Some(value) {
                m |= bit(d);
            }
        }
        m
    }
}

fn field_error(path: String, reason: Reason) -> NeedsError {
    NeedsError::Invalid(FieldError::new(path, reason).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::DomainRating;
    use beside_core::{AssessmentId, CaseId, WorkerId};
    use chrono::{TimeZone, Utc};

    pub(crate) fn assessment(ratings: &[(&str, u8)]) -> Assessment {
        Assessment {
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
