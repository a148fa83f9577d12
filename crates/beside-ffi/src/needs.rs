//! Needs prioritisation across the FFI: [`NeedsEngine`] holds a compiled
//! [`beside::needs::Prioritiser`]; typed records mirror an assessment and a prioritised list.

use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::core::{AssessmentId, CaseId, FieldError, Labels, LanguageCode, Level, Rating};
use beside::needs::{
    render, AheadCause, Assessment, DomainRating, PackedBatch, PackedRankings, Prioritisation,
    Prioritiser, PriorityReason, RedFlag, Urgency,
};

/// A domain's rating: a level 1 (in crisis) to 5 (thriving), not assessed, or declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RatingValue {
    /// Rated at a level, 1 to 5.
    Level {
        /// 1 in crisis, 2 vulnerable, 3 safe, 4 building capacity, 5 thriving.
        level: u8,
    },
    /// Not assessed.
    NotAssessed,
    /// The person declined to answer.
    Declined,
}

impl From<Rating> for RatingValue {
    fn from(r: Rating) -> Self {
        match r {
            Rating::Level(l) => RatingValue::Level { level: l.number() },
            Rating::NotAssessed => RatingValue::NotAssessed,
            Rating::Declined => RatingValue::Declined,
        }
    }
}

/// A red flag that demands a response within a set time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RedFlagKind {
    /// Thoughts of suicide or self-harm.
    SuicidalThoughts,
    /// Immediate danger from a perpetrator.
    ImmediateDanger,
    /// An injury that has not been treated.
    UntreatedInjury,
    /// A child without a safe caregiver.
    ChildWithoutSafeCaregiver,
}

impl From<RedFlagKind> for RedFlag {
    fn from(f: RedFlagKind) -> Self {
        match f {
            RedFlagKind::SuicidalThoughts => RedFlag::SuicidalThoughts,
            RedFlagKind::ImmediateDanger => RedFlag::ImmediateDanger,
            RedFlagKind::UntreatedInjury => RedFlag::UntreatedInjury,
            RedFlagKind::ChildWithoutSafeCaregiver => RedFlag::ChildWithoutSafeCaregiver,
        }
    }
}

impl From<RedFlag> for RedFlagKind {
    fn from(f: RedFlag) -> Self {
        match f {
            RedFlag::SuicidalThoughts => RedFlagKind::SuicidalThoughts,
            RedFlag::ImmediateDanger => RedFlagKind::ImmediateDanger,
            RedFlag::UntreatedInjury => RedFlagKind::UntreatedInjury,
            RedFlag::ChildWithoutSafeCaregiver => RedFlagKind::ChildWithoutSafeCaregiver,
        }
    }
}

/// One domain's rating in an [`AssessmentInput`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DomainRatingInput {
    /// The domain key (`food`, `mental_health`, ...).
    pub domain: String,
    /// Its rating.
    pub rating: RatingValue,
}

/// A needs assessment, typed (the JSON form is the `Assessment` schema).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AssessmentInput {
    /// The assessment's id.
    pub id: String,
    /// The case it belongs to.
    pub case_id: String,
    /// When it was made.
    pub assessed_at: Timestamp,
    /// Who made it.
    pub assessed_by: String,
    /// A rating per domain, each domain at most once.
    pub ratings: Vec<DomainRatingInput>,
    /// Red flags raised.
    pub red_flags: Vec<RedFlagKind>,
    /// The person's own priorities, most important first.
    pub own_priorities: Vec<String>,
    /// Domains the person does not want to work on now.
    pub not_now: Vec<String>,
}

impl AssessmentInput {
    /// The domain record, or every malformed field (ids, keys, levels) with its path.
    pub(crate) fn to_domain(&self) -> Result<Assessment, BesideError> {
        let mut errors: Vec<FieldError> = Vec::new();
        let id = json::field(&mut errors, || "id".into(), self.id.as_str());
        let case_id = json::field(&mut errors, || "case_id".into(), self.case_id.as_str());
        let assessed_by = json::field(
            &mut errors,
            || "assessed_by".into(),
            self.assessed_by.as_str(),
        );
        let mut ratings = Vec::with_capacity(self.ratings.len());
        for (i, r) in self.ratings.iter().enumerate() {
            let domain = json::field(
                &mut errors,
                || format!("ratings[{i}].domain"),
                r.domain.as_str(),
            );
            let rating = match r.rating {
                RatingValue::Level { level } => match Level::try_from(level) {
                    Ok(l) => Some(Rating::Level(l)),
                    Err(reason) => {
                        errors.push(FieldError::new(format!("ratings[{i}].rating"), reason));
                        None
                    }
                },
                RatingValue::NotAssessed => Some(Rating::NotAssessed),
                RatingValue::Declined => Some(Rating::Declined),
            };
            if let (Some(domain), Some(rating)) = (domain, rating) {
                ratings.push(DomainRating { domain, rating });
            }
        }
        let keys = |errors: &mut Vec<FieldError>, name: &str, list: &[String]| {
            list.iter()
                .enumerate()
                .filter_map(|(i, k)| json::field(errors, || format!("{name}[{i}]"), k.as_str()))
                .collect::<Vec<_>>()
        };
        let own_priorities = keys(&mut errors, "own_priorities", &self.own_priorities);
        let not_now = keys(&mut errors, "not_now", &self.not_now);
        json::finish(errors)?;
        match (id, case_id, assessed_by) {
            (Some(id), Some(case_id), Some(assessed_by)) => Ok(Assessment {
                extra: std::collections::BTreeMap::new(),
                id,
                case_id,
                assessed_at: self.assessed_at,
                assessed_by,
                ratings,
                red_flags: self.red_flags.iter().map(|f| RedFlag::from(*f)).collect(),
                own_priorities,
                not_now,
            }),
            _ => Err(FieldError::new("", beside::core::Reason::Empty).into()),
        }
    }
}

impl From<&Assessment> for AssessmentInput {
    fn from(a: &Assessment) -> Self {
        AssessmentInput {
            id: a.id.to_string(),
            case_id: a.case_id.to_string(),
            assessed_at: a.assessed_at,
            assessed_by: a.assessed_by.to_string(),
            ratings: a
                .ratings
                .iter()
                .map(|r| DomainRatingInput {
                    domain: r.domain.to_string(),
                    rating: r.rating.into(),
                })
                .collect(),
            red_flags: a.red_flags.iter().map(|f| (*f).into()).collect(),
            own_priorities: a.own_priorities.iter().map(|k| k.to_string()).collect(),
            not_now: a.not_now.iter().map(|k| k.to_string()).collect(),
        }
    }
}

/// How soon a need calls for action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum NeedUrgency {
    /// A red flag: respond within the flag's response time.
    RedFlag,
    /// Score at or above the urgent threshold.
    Urgent,
    /// Score at or above the high threshold.
    High,
    /// Score at or above the medium threshold.
    Medium,
    /// Below the medium threshold.
    Low,
}

impl From<Urgency> for NeedUrgency {
    fn from(u: Urgency) -> Self {
        match u {
            Urgency::RedFlag => NeedUrgency::RedFlag,
            Urgency::Urgent => NeedUrgency::Urgent,
            Urgency::High => NeedUrgency::High,
            Urgency::Medium => NeedUrgency::Medium,
            Urgency::Low => NeedUrgency::Low,
        }
    }
}

/// One reason behind a need's place in the list, with its figures (the `PriorityReason` schema).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum NeedReason {
    /// A red flag was raised for this domain.
    RedFlagRaised {
        /// The flag.
        flag: RedFlagKind,
        /// Respond within this many minutes.
        respond_within_minutes: u32,
    },
    /// The domain's own level.
    OwnLevel {
        /// The level, 1 to 5.
        level: u8,
        /// Points for it.
        points: u32,
    },
    /// Listed without a level, because of a red flag or the person's own ranking.
    Unrated {
        /// The rating given.
        rating: RatingValue,
    },
    /// A foundational domain at a blocking level.
    Foundational {
        /// Points for it.
        points: u32,
    },
    /// This domain blocks `domain`, which requires it.
    Blocks {
        /// The blocked domain.
        domain: String,
        /// Its level.
        level: u8,
        /// Points for it.
        points: u32,
    },
    /// A domain this one requires is at a blocking level.
    BlockedBy {
        /// The blocking domain.
        blocker: String,
        /// Its level.
        blocker_level: u8,
    },
    /// The person's own ranking.
    OwnRank {
        /// 1 for their first priority.
        rank: u32,
        /// Points for it.
        points: u32,
    },
    /// Placed ahead of a domain that blocks it; `cause` is `own_rank`, `red_flag` or
    /// `blocker_not_now`.
    AheadOfBlocker {
        /// The blocking domain placed lower.
        blocker: String,
        /// Why.
        cause: String,
    },
    /// The person does not want to work on this now.
    NotNow,
}

fn ahead(cause: AheadCause) -> String {
    cause.key().to_owned()
}

impl From<&PriorityReason> for NeedReason {
    fn from(r: &PriorityReason) -> Self {
        match r {
            PriorityReason::RedFlag {
                flag,
                respond_within_minutes,
            } => NeedReason::RedFlagRaised {
                flag: (*flag).into(),
                respond_within_minutes: *respond_within_minutes,
            },
            PriorityReason::OwnLevel { level, points } => NeedReason::OwnLevel {
                level: level.number(),
                points: *points,
            },
            PriorityReason::Unrated { rating } => NeedReason::Unrated {
                rating: (*rating).into(),
            },
            PriorityReason::Foundational { points } => NeedReason::Foundational { points: *points },
            PriorityReason::Blocks {
                domain,
                level,
                points,
            } => NeedReason::Blocks {
                domain: domain.to_string(),
                level: level.number(),
                points: *points,
            },
            PriorityReason::BlockedBy {
                blocker,
                blocker_level,
            } => NeedReason::BlockedBy {
                blocker: blocker.to_string(),
                blocker_level: blocker_level.number(),
            },
            PriorityReason::OwnRank { rank, points } => NeedReason::OwnRank {
                rank: *rank,
                points: *points,
            },
            PriorityReason::AheadOfBlocker { blocker, cause } => NeedReason::AheadOfBlocker {
                blocker: blocker.to_string(),
                cause: ahead(*cause),
            },
            PriorityReason::NotNow => NeedReason::NotNow,
        }
    }
}

/// One need in the prioritised list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NeedItem {
    /// Place in the list, 1 first.
    pub position: u32,
    /// The domain.
    pub domain: String,
    /// Its rating.
    pub rating: RatingValue,
    /// The urgency band.
    pub urgency: NeedUrgency,
    /// The score: the sum of the reasons' points.
    pub score: u32,
    /// The shortest response time of its red flags, in minutes.
    pub respond_within_minutes: Option<u32>,
    /// Whether it may be proposed for referral (false when the person said "not now").
    pub referable: bool,
    /// Why it is where it is.
    pub reasons: Vec<NeedReason>,
    /// The item in one English line ("Livelihood: vulnerable; blocked by food (in crisis)").
    pub english: String,
}

/// A domain with an entry but no place in the list (declined or not assessed).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnratedNeed {
    /// The domain.
    pub domain: String,
    /// Its rating.
    pub rating: RatingValue,
}

/// The prioritised needs of one assessment (the `Prioritisation` schema, typed).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PrioritisedNeeds {
    /// The assessment.
    pub assessment_id: String,
    /// Its case.
    pub case_id: String,
    /// When it was made.
    pub assessed_at: Timestamp,
    /// The needs in order.
    pub items: Vec<NeedItem>,
    /// Entries with no place in the list.
    pub not_rated: Vec<UnratedNeed>,
}

/// One domain's change between two assessments.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NeedChange {
    /// The domain.
    pub domain: String,
    /// Rating before.
    pub before: RatingValue,
    /// Rating after.
    pub after: RatingValue,
    /// `improved`, `worsened`, `unchanged` or `not_comparable`.
    pub change: String,
    /// Whether it is a setback (a drop of one level or more).
    pub setback: bool,
}

/// How a case changed between two assessments (the `AssessmentComparison` schema, typed).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NeedsComparison {
    /// Days between the assessments.
    pub days_between: i64,
    /// Domains improved.
    pub improved: u32,
    /// Domains worsened.
    pub worsened: u32,
    /// Domains unchanged.
    pub unchanged: u32,
    /// Setbacks.
    pub setbacks: u32,
    /// Every domain's change.
    pub changes: Vec<NeedChange>,
}

/// How many assessments of a batch put a domain first, or rate it as blocking.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DomainTally {
    /// The domain.
    pub domain: String,
    /// How many.
    pub count: u64,
}

/// A summary of a batch of assessments (the `BatchSummary` schema, typed).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NeedsBatchSummary {
    /// Assessments seen.
    pub assessments: u64,
    /// Assessments refused as invalid.
    pub rejected: u64,
    /// Assessments with at least one red flag.
    pub with_red_flags: u64,
    /// Per domain, how many assessments have it as the first referable need.
    pub first_referable: Vec<DomainTally>,
    /// Per domain, how many assessments rate it at a blocking level while it blocks another.
    pub blocking: Vec<DomainTally>,
}

/// Many assessments in packed byte form: one call and no per-assessment record or JSON, for
/// batches of thousands (Python `bytes`, Kotlin `ByteArray`, Swift `Data`). With `w` = `width`
/// (the engine's number of domains, [`NeedsEngine::domains`] order) and `n` rows:
///
/// - `ratings`, `n × w` bytes: 0 no entry, 1–5 the level, 6 declined, 7 "not assessed";
/// - `own_ranks`, `n × w` bytes: the person's own rank of the domain (1 first), 0 none; the
///   ranks of a row are 1..k, each once, on rated or declined domains only;
/// - `not_now`, `n × ⌈w/8⌉` bytes: bit `d mod 8` (least significant first) of byte `⌊d/8⌋`
///   marks domain `d` "not now";
/// - `red_flags`, `n` bytes: bit 0 suicidal thoughts, 1 immediate danger, 2 untreated
///   injury, 3 child without a safe caregiver.
///
/// Every row is checked; the first problem is a [`BesideError::Invalid`] naming it
/// (`rows[3].own_ranks[5]`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PackedAssessments {
    /// Domains per row: the engine's domain count.
    pub width: u32,
    /// `n × width` rating bytes.
    pub ratings: Vec<u8>,
    /// `n × width` own-rank bytes.
    pub own_ranks: Vec<u8>,
    /// `n × ⌈width/8⌉` "not now" bit sets.
    pub not_now: Vec<u8>,
    /// `n` red-flag bit sets; their number is the number of rows.
    pub red_flags: Vec<u8>,
}

/// The rankings of a [`PackedAssessments`] batch, packed. Row `r` has `lens[r]` ranked
/// domains, most urgent first, at `entries[r·width·8 ..]`, 8 bytes each: byte 0 the domain's
/// position, byte 1 its rating (1–5, 6 declined, 7 not assessed), byte 2 the urgency (0 red
/// flag, 1 urgent, 2 high, 3 medium, 4 low), byte 3 the reason bits (bit 0 red flag, 1 own
/// level, 2 foundational, 3 blocks another, 4 blocked by another, 5 own rank, 6 ahead of its
/// blocker by the person's choice, 7 not now), bytes 4–7 the score (little-endian `u32`).
/// [`NeedsEngine::prioritise_packed_row`] spells out any row with every reason's figures.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PackedNeedsRankings {
    /// Domains per row.
    pub width: u32,
    /// Rows.
    pub rows: u32,
    /// Per row, how many domains are ranked.
    pub lens: Vec<u8>,
    /// `rows × width × 8` entry bytes.
    pub entries: Vec<u8>,
}

impl PackedAssessments {
    /// The checked batch; the byte vectors are moved, not copied.
    fn into_domain(self) -> Result<PackedBatch, BesideError> {
        Ok(PackedBatch::new(
            self.width as usize,
            self.ratings,
            self.own_ranks,
            self.not_now,
            self.red_flags,
        )?)
    }
}

/// Needs prioritisation: a compiled model (catalogue, dependency graph, weights).
#[derive(uniffi::Object)]
pub struct NeedsEngine {
    prioritiser: Prioritiser,
    labels: Labels,
    english: Option<LanguageCode>,
}

impl NeedsEngine {
    fn with(prioritiser: Prioritiser) -> Self {
        NeedsEngine {
            prioritiser,
            labels: render::labels(),
            english: LanguageCode::new("en").ok(),
        }
    }

    fn typed(&self, p: &Prioritisation) -> PrioritisedNeeds {
        PrioritisedNeeds {
            assessment_id: p.assessment_id.to_string(),
            case_id: p.case_id.to_string(),
            assessed_at: p.assessed_at,
            items: p
                .items
                .iter()
                .map(|i| NeedItem {
                    position: i.position,
                    domain: i.domain.to_string(),
                    rating: i.rating.into(),
                    urgency: i.urgency.into(),
                    score: i.score,
                    respond_within_minutes: i.respond_within_minutes,
                    referable: i.referable,
                    reasons: i.reasons.iter().map(NeedReason::from).collect(),
                    // INVARIANT: `english` is `Some` (`en` is a well-formed language code).
                    english: self
                        .english
                        .as_ref()
                        .map_or_else(String::new, |en| render::render_item(i, &self.labels, en)),
                })
                .collect(),
            not_rated: p
                .not_rated
                .iter()
                .map(|n| UnratedNeed {
                    domain: n.domain.to_string(),
                    rating: n.rating.into(),
                })
                .collect(),
        }
    }

    fn parse_batch(&self, assessments_json: &str) -> Result<Vec<Assessment>, BesideError> {
        json::parse(assessments_json)
    }
}

impl Default for NeedsEngine {
    fn default() -> Self {
        Self::with(Prioritiser::standard())
    }
}

#[uniffi::export]
impl NeedsEngine {
    /// The default model: 16 domains, the brief's dependency graph, default weights.
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// A model from JSON (the `NeedsModel` schema); a cycle in the graph or an unknown domain
    /// is a [`BesideError::Invalid`] naming the field.
    #[uniffi::constructor]
    pub fn from_json(model_json: String) -> Result<Self, BesideError> {
        let model: beside::needs::NeedsModel = json::parse(&model_json)?;
        Ok(Self::with(model.compile()?))
    }

    /// The model as JSON (the `NeedsModel` schema).
    pub fn model_json(&self) -> Result<String, BesideError> {
        json::out(self.prioritiser.model())
    }

    /// The domain keys of the catalogue, in catalogue order.
    pub fn domains(&self) -> Vec<String> {
        self.prioritiser
            .catalogue()
            .domains
            .iter()
            .map(|d| d.key.to_string())
            .collect()
    }

    /// Check an assessment (JSON, the `Assessment` schema) against the catalogue, judging
    /// dates against `now`.
    pub fn validate_assessment_json(
        &self,
        assessment_json: String,
        now: Timestamp,
    ) -> Result<(), BesideError> {
        self.prioritiser
            .parse_assessment(&assessment_json, now)
            .map(|_| ())
            .map_err(BesideError::from)
    }

    /// Prioritise one assessment (typed).
    pub fn prioritise(&self, assessment: AssessmentInput) -> Result<PrioritisedNeeds, BesideError> {
        let a = assessment.to_domain()?;
        Ok(self.typed(&self.prioritiser.prioritise(&a)?))
    }

    /// Prioritise one assessment: `Assessment` JSON in, `Prioritisation` JSON out.
    pub fn prioritise_json(&self, assessment_json: String) -> Result<String, BesideError> {
        let a: Assessment = json::parse(&assessment_json)?;
        json::out(&self.prioritiser.prioritise(&a)?)
    }

    /// Prioritise many assessments in one call (typed); fails on the first invalid one, its
    /// path prefixed with its index (`[3].ratings[0].domain`).
    pub fn prioritise_batch(
        &self,
        assessments: Vec<AssessmentInput>,
    ) -> Result<Vec<PrioritisedNeeds>, BesideError> {
        assessments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let a = a.to_domain().map_err(|e| prefix(e, i))?;
                let p = self
                    .prioritiser
                    .prioritise(&a)
                    .map_err(|e| prefix(e.into(), i))?;
                Ok(self.typed(&p))
            })
            .collect()
    }

    /// Prioritise many assessments in one call: a JSON array of `Assessment` in, a JSON array
    /// of `Prioritisation` out (same order); fails on the first invalid one (path `[i]...`).
    pub fn prioritise_batch_json(&self, assessments_json: String) -> Result<String, BesideError> {
        let all = self.parse_batch(&assessments_json)?;
        let mut out = Vec::with_capacity(all.len());
        for (i, a) in all.iter().enumerate() {
            out.push(
                self.prioritiser
                    .prioritise(a)
                    .map_err(|e| prefix(e.into(), i))?,
            );
        }
        json::out(&out)
    }

    /// Rank a batch and summarise it (typed input); invalid assessments are counted as
    /// rejected, not raised.
    pub fn summarise(&self, assessments: Vec<AssessmentInput>) -> NeedsBatchSummary {
        let mut rejected = 0u64;
        let valid: Vec<Assessment> = assessments
            .iter()
            .filter_map(|a| {
                let r = a.to_domain().ok();
                rejected += u64::from(r.is_none());
                r
            })
            .collect();
        let s = self.prioritiser.summarise(&valid);
        summary_view(s, rejected)
    }

    /// Rank a batch and summarise it: a JSON array of `Assessment` in, `BatchSummary` JSON out.
    /// One crossing for the whole batch: the cheap way to rank 10,000 assessments.
    pub fn summarise_json(&self, assessments_json: String) -> Result<String, BesideError> {
        let all = self.parse_batch(&assessments_json)?;
        json::out(&self.prioritiser.summarise(&all))
    }

    /// The same batch summary, typed, from JSON input.
    pub fn summarise_batch_json(
        &self,
        assessments_json: String,
    ) -> Result<NeedsBatchSummary, BesideError> {
        let all = self.parse_batch(&assessments_json)?;
        Ok(summary_view(self.prioritiser.summarise(&all), 0))
    }

    /// Compare two assessments of one case (typed); assessments of different cases are a
    /// [`BesideError::Refused`] with code `different_cases`.
    pub fn compare(
        &self,
        before: AssessmentInput,
        after: AssessmentInput,
    ) -> Result<NeedsComparison, BesideError> {
        let c = self
            .prioritiser
            .compare(&before.to_domain()?, &after.to_domain()?)?;
        Ok(NeedsComparison {
            days_between: c.days_between,
            improved: c.improved,
            worsened: c.worsened,
            unchanged: c.unchanged,
            setbacks: c.setbacks,
            changes: c
                .changes
                .iter()
                .map(|d| NeedChange {
                    domain: d.domain.to_string(),
                    before: d.before.into(),
                    after: d.after.into(),
                    change: crate::error::code_of(&d.change, "not_comparable"),
                    setback: d.setback,
                })
                .collect(),
        })
    }

    /// Compare two assessments: two `Assessment` JSON in, `AssessmentComparison` JSON out.
    pub fn compare_json(
        &self,
        before_json: String,
        after_json: String,
    ) -> Result<String, BesideError> {
        let before: Assessment = json::parse(&before_json)?;
        let after: Assessment = json::parse(&after_json)?;
        json::out(&self.prioritiser.compare(&before, &after)?)
    }

    /// Every item of a prioritisation (`Prioritisation` JSON) as one English line.
    pub fn english_lines_json(
        &self,
        prioritisation_json: String,
    ) -> Result<Vec<String>, BesideError> {
        let p: Prioritisation = json::parse(&prioritisation_json)?;
        Ok(self
            .typed(&p)
            .items
            .into_iter()
            .map(|i| i.english)
            .collect())
    }

    /// Pack assessments (a JSON array of `Assessment`) into the byte form of
    /// [`PackedAssessments`], checked against this engine's catalogue; an error's path starts
    /// with the assessment's index (`[3].ratings[0].domain`).
    pub fn pack_json(&self, assessments_json: String) -> Result<PackedAssessments, BesideError> {
        let all = self.parse_batch(&assessments_json)?;
        let b = PackedBatch::from_assessments(&self.prioritiser, &all)?;
        Ok(PackedAssessments {
            width: u32::try_from(b.width()).unwrap_or(u32::MAX),
            ratings: b.ratings().to_vec(),
            own_ranks: b.own_ranks().to_vec(),
            not_now: b.not_now().to_vec(),
            red_flags: b.red_flags().to_vec(),
        })
    }

    /// Rank a packed batch in one call: the fast way across the boundary (no record and no
    /// JSON per assessment). Fails on the first malformed row, naming it.
    pub fn rank_packed(
        &self,
        batch: PackedAssessments,
    ) -> Result<PackedNeedsRankings, BesideError> {
        let b = batch.into_domain()?;
        let mut out = PackedRankings::new();
        self.prioritiser.rank_packed(&b, &mut out)?;
        Ok(PackedNeedsRankings {
            width: u32::try_from(out.width()).unwrap_or(u32::MAX),
            rows: u32::try_from(out.rows()).unwrap_or(u32::MAX),
            lens: out.lens().to_vec(),
            entries: out.entries().to_vec(),
        })
    }

    /// Rank and summarise a packed batch (typed summary).
    pub fn summarise_packed(
        &self,
        batch: PackedAssessments,
    ) -> Result<NeedsBatchSummary, BesideError> {
        let b = batch.into_domain()?;
        Ok(summary_view(self.prioritiser.summarise_packed(&b)?, 0))
    }

    /// One row of a packed batch spelled out in full (every reason with its figures), as
    /// [`NeedsEngine::prioritise`] would answer for the same assessment; the ids and date are
    /// the caller's, since the packed form holds none. A row out of range is `NotFound`.
    pub fn prioritise_packed_row(
        &self,
        batch: PackedAssessments,
        row: u32,
        assessment_id: String,
        case_id: String,
        assessed_at: Timestamp,
    ) -> Result<PrioritisedNeeds, BesideError> {
        let b = batch.into_domain()?;
        let aid = AssessmentId::new(assessment_id)
            .map_err(|e| FieldError::new("assessment_id", e.reason))?;
        let cid = CaseId::new(case_id).map_err(|e| FieldError::new("case_id", e.reason))?;
        if row as usize >= b.rows() {
            return Err(BesideError::NotFound {
                what: "packed_row".to_owned(),
                id: row.to_string(),
                detail: format!("row {row} of a batch of {} rows", b.rows()),
            });
        }
        let p = self
            .prioritiser
            .prioritise_packed_row(&b, row as usize, aid, cid, assessed_at)?;
        Ok(self.typed(&p))
    }

    /// A trivial method (returns the number of domains): measures the bare call overhead.
    pub fn domain_count(&self) -> u32 {
        u32::try_from(self.prioritiser.catalogue().domains.len()).unwrap_or(u32::MAX)
    }
}

fn summary_view(s: beside::needs::BatchSummary, extra_rejected: u64) -> NeedsBatchSummary {
    let tally = |v: Vec<beside::needs::DomainCount>| {
        v.into_iter()
            .map(|c| DomainTally {
                domain: c.domain.to_string(),
                count: c.count,
            })
            .collect()
    };
    NeedsBatchSummary {
        assessments: s.assessments + extra_rejected,
        rejected: s.rejected + extra_rejected,
        with_red_flags: s.with_red_flags,
        first_referable: tally(s.first_referable),
        blocking: tally(s.blocking),
    }
}

/// Prefix the paths of an invalid-input error with the item's index in a batch.
fn prefix(e: BesideError, index: usize) -> BesideError {
    e.at_index(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        r#"{"id":"a-1","case_id":"case-01","assessed_at":"2025-03-01T09:00:00Z",
            "assessed_by":"worker-1","ratings":[{"domain":"food","rating":{"level":1}},
            {"domain":"livelihood","rating":{"level":2}}],"red_flags":["untreated_injury"]}"#
            .to_owned()
    }

    #[test]
    fn json_and_typed_forms_agree() {
        let e = NeedsEngine::new();
        let json_out: Prioritisation =
            serde_json::from_str(&e.prioritise_json(sample()).unwrap()).unwrap();
        let a: Assessment = serde_json::from_str(&sample()).unwrap();
        let typed = e.prioritise(AssessmentInput::from(&a)).unwrap();
        assert_eq!(typed.items.len(), json_out.items.len());
        for (t, j) in typed.items.iter().zip(&json_out.items) {
            assert_eq!(t.domain, j.domain.as_str());
            assert_eq!(t.score, j.score);
            assert!(!t.english.is_empty());
        }
    }

    #[test]
    fn bad_typed_input_names_every_field() {
        let e = NeedsEngine::new();
        let a: Assessment = serde_json::from_str(&sample()).unwrap();
        let mut bad = AssessmentInput::from(&a);
        bad.id = String::new();
        bad.ratings[0].rating = RatingValue::Level { level: 9 };
        match e.prioritise(bad) {
            Err(BesideError::Invalid { path, errors, .. }) => {
                assert_eq!(path, "id");
                assert!(errors.iter().any(|e| e.path == "ratings[0].rating"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn batch_errors_name_the_index() {
        let e = NeedsEngine::new();
        let batch = format!("[{}, {{\"id\": \"x\"}}]", sample());
        match e.prioritise_batch_json(batch) {
            Err(BesideError::Invalid { path, .. }) => assert!(path.starts_with("[1]")),
            other => panic!("unexpected {other:?}"),
        }
        let s = e.summarise_batch_json(format!("[{}]", sample())).unwrap();
        assert_eq!(s.assessments, 1);
    }
}
