//! Many assessments packed into a few flat byte vectors, and their rankings in the same flat
//! form: for batches (a million assessments on one core) and for crossing a language boundary
//! without a record or a JSON text per assessment (Python `bytes`, Kotlin `ByteArray`). The
//! byte form stays until the Arrow batch replaces it.
//!
//! This is a thin layer over the engine: a row is decoded into the same plain reading a record
//! is read into, and ranked by the same rules ([`crate::engine`]); the ranking is then written
//! as bytes. The engine knows nothing of this module.
//!
//! A [`PackedBatch`] holds no ids, dates or strings: a row is an assessment's ratings, the
//! person's own ranking and "not now" list, and its red flags, by catalogue position. Build it
//! from records with [`PackedBatch::from_assessments`] or from bytes with [`PackedBatch::new`];
//! either way every row is checked once. Rank it with
//! [`Prioritiser::rank_packed`] into a reusable [`PackedRankings`], summarise it with
//! [`Prioritiser::summarise_packed`], and spell out any row's full [`Prioritisation`] (every
//! reason with its figures) on demand with [`Prioritiser::prioritise_packed_row`]: the result
//! equals [`Prioritiser::prioritise`] of the same assessment as a record.
//!
//! ```
//! use beside_needs::{Assessment, PackedBatch, PackedEntry, PackedRankings, Prioritiser};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let p = Prioritiser::standard();
//! // Two rows over the 16 default domains: food (0) in crisis and livelihood (10) vulnerable;
//! // the second row also ranks livelihood first and raises "untreated injury" (bit 2).
//! let w = p.catalogue().domains.len();
//! let mut ratings = vec![0u8; 2 * w];
//! let mut own_ranks = vec![0u8; 2 * w];
//! for row in 0..2 {
//!     ratings[row * w] = 1;
//!     ratings[row * w + 10] = 2;
//! }
//! own_ranks[w + 10] = 1;
//! let not_now = vec![0u8; 2 * w.div_ceil(8)];
//! let red_flags = vec![0b0000, 0b0100];
//! let batch = PackedBatch::new(w, ratings, own_ranks, not_now, red_flags)?;
//! let mut out = PackedRankings::default();
//! p.rank_packed(&batch, &mut out)?;
//! let first: Vec<u8> = out.entries_of(0).map(|e| e.domain_index).collect();
//! assert_eq!(first, [0, 10]); // food blocks livelihood
//! let second: Vec<u8> = out.entries_of(1).map(|e| e.domain_index).collect();
//! assert_eq!(second, [3, 10, 0]); // the red flag, then the person's first choice
//! let e = out.entries_of(1).nth(1).ok_or("missing")?;
//! assert!(e.has(PackedEntry::OWN_RANK) && e.has(PackedEntry::AHEAD_OF_BLOCKER));
//! # Ok(()) }
//! ```

use crate::assessment::{Assessment, RedFlag, MAX_DOMAINS};
use crate::engine::{Prioritiser, RankedEntry, Ranking, Tables, Tally, Why};
use crate::error::NeedsError;
use crate::priority::{Prioritisation, Urgency};
use crate::reading::{Reading, Said};
use beside_core::{AssessmentId, CaseId, FieldError, Level, Rating, Reason, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::num::NonZeroUsize;

/// Many assessments in flat form, checked: one row per assessment, one byte (or bit) per
/// catalogue domain. Build it with [`PackedBatch::new`] (bytes),
/// [`PackedBatch::from_slices`] (borrowed bytes, copied) or [`PackedBatch::from_assessments`]
/// (records).
///
/// # Byte layout
///
/// `w` is the width: the number of domains in the catalogue of the [`Prioritiser`] that will
/// rank the batch (1 to 64; 16 for the default catalogue), domain `d` is the domain at
/// position `d` of that catalogue (0 first), and `n` is the number of rows, set by the length
/// of `red_flags`. Row `r` is:
///
/// | vector      | length        | row `r`, domain `d`                                        |
/// |-------------|---------------|------------------------------------------------------------|
/// | `ratings`   | `n × w`       | byte `r·w + d`: 0 no entry; 1–5 the level (1 in crisis … 5 thriving); 6 declined to answer; 7 an entry saying "not assessed" |
/// | `own_ranks` | `n × w`       | byte `r·w + d`: the person's own rank of the domain, 1 their first priority; 0 not ranked |
/// | `not_now`   | `n × ⌈w/8⌉`   | bit `d mod 8` (least significant first) of byte `r·⌈w/8⌉ + ⌊d/8⌋`: the domain is on the person's "not now" list |
/// | `red_flags` | `n`           | byte `r`: bit 0 suicidal thoughts, bit 1 immediate danger, bit 2 untreated injury, bit 3 child without a safe caregiver (the order of [`RedFlag::ALL`]) |
///
/// A row must read as a valid assessment: ratings 0–7; in `own_ranks` the non-zero ranks of a
/// row are exactly 1, 2, …, k (each once) and only on domains rated 1–6 (a level or
/// declined), like `not_now` bits; `not_now` bits at or past `w` and `red_flags` bits 4–7
/// are zero. A byte 0 and a byte 7 rank alike; they differ only in the ranking's not-rated
/// entries, which list 7 ("not assessed") and not 0 (no entry), as records do.
///
/// # Errors
///
/// [`NeedsError::Invalid`] with one [`FieldError`] for the first problem: `width`; `ratings`,
/// `own_ranks` or `not_now` of the wrong length; `rows[r].ratings[d]`,
/// `rows[r].own_ranks[d]`, `rows[r].own_ranks` (a gap in the ranks), `rows[r].not_now[d]`,
/// `rows[r].not_now` (a bit past the width) or `rows[r].red_flags`, where `r` is the row and
/// `d` the domain's catalogue position. Building from records, the path is the record's,
/// prefixed with its index: `[3].own_priorities[0]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PackedBatchData", into = "PackedBatchData")]
pub struct PackedBatch {
    /// Domains per row (1 to 64).
    width: NonZeroUsize,
    rows: usize,
    ratings: Vec<u8>,
    own_ranks: Vec<u8>,
    not_now: Vec<u8>,
    red_flags: Vec<u8>,
}

/// The serialised form of a [`PackedBatch`] (checked when read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PackedBatch")]
pub struct PackedBatchData {
    /// The number of domains in the catalogue (1 to 64).
    pub width: usize,
    /// `rows × width` bytes: 0 no entry, 1–5 a level, 6 declined, 7 not assessed.
    pub ratings: Vec<u8>,
    /// `rows × width` bytes: the person's rank of each domain (1 first), 0 not ranked.
    pub own_ranks: Vec<u8>,
    /// `rows × ⌈width/8⌉` bytes: bit `d mod 8` of byte `⌊d/8⌋` of a row marks domain `d` "not now".
    pub not_now: Vec<u8>,
    /// One byte per row: bit `i` marks red flag `i` (suicidal thoughts, immediate danger,
    /// untreated injury, child without a safe caregiver).
    pub red_flags: Vec<u8>,
}

// `PackedBatchData` is also how a batch crosses to Kotlin, Swift and Python (its byte vectors
// are `ByteArray`, `Data` and `bytes` there): unchecked until it becomes a `PackedBatch` by
// `PackedBatch::try_from`, which checks every row as `PackedBatch::new` does. (Its doc comment
// is the committed schema's description, so the note lives here.)
impl TryFrom<PackedBatchData> for PackedBatch {
    type Error = NeedsError;
    fn try_from(d: PackedBatchData) -> Result<Self, NeedsError> {
        PackedBatch::new(d.width, d.ratings, d.own_ranks, d.not_now, d.red_flags)
    }
}

impl From<PackedBatch> for PackedBatchData {
    fn from(b: PackedBatch) -> Self {
        PackedBatchData {
            width: b.width.get(),
            ratings: b.ratings,
            own_ranks: b.own_ranks,
            not_now: b.not_now,
            red_flags: b.red_flags,
        }
    }
}

impl JsonSchema for PackedBatch {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PackedBatch".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        PackedBatchData::json_schema(g)
    }
}

fn invalid(path: String, expected: impl Into<String>, value: impl ToString) -> NeedsError {
    NeedsError::Invalid(
        FieldError::new(
            path,
            Reason::Invalid {
                expected: expected.into(),
                value: value.to_string(),
            },
        )
        .into(),
    )
}

/// The reading of a rating byte: `Ok(None)` for 0 (no entry), the rating for 1 to 7, the byte
/// itself as the error above 7.
fn rating_from_byte(byte: u8) -> Result<Option<Rating>, u8> {
    match byte {
        PackedBatch::NO_ENTRY => Ok(None),
        PackedBatch::DECLINED => Ok(Some(Rating::Declined)),
        PackedBatch::NOT_ASSESSED => Ok(Some(Rating::NotAssessed)),
        level => match Level::from_number(level) {
            Ok(l) => Ok(Some(Rating::Level(l))),
            Err(_) => Err(level),
        },
    }
}

/// The rating byte of a rating (`None`: no entry).
fn rating_byte(rating: Option<Rating>) -> u8 {
    match rating {
        None => PackedBatch::NO_ENTRY,
        Some(Rating::Level(l)) => l.number(),
        Some(Rating::Declined) => PackedBatch::DECLINED,
        Some(Rating::NotAssessed) => PackedBatch::NOT_ASSESSED,
    }
}

/// The bits of `bytes`, least significant first: bit `d mod 8` of byte `⌊d/8⌋` is bit `d`.
fn bits(bytes: &[u8]) -> impl Iterator<Item = bool> + '_ {
    bytes
        .iter()
        .flat_map(|&b| (0..8).map(move |i| (b >> i) & 1 == 1))
}

/// One row's bytes: its ratings, own ranks, "not now" bytes and red-flag byte.
struct RowBytes<'b> {
    ratings: &'b [u8],
    own_ranks: &'b [u8],
    not_now: &'b [u8],
    red_flags: u8,
}

impl RowBytes<'_> {
    /// Decode row `r` into a reading, checking it as [`PackedBatch`] describes; the first
    /// problem is the error.
    fn read(&self, r: usize) -> Result<Reading, NeedsError> {
        let mut domains = self
            .ratings
            .iter()
            .enumerate()
            .map(|(d, &byte)| match rating_from_byte(byte) {
                Ok(rating) => Ok(Said {
                    rating,
                    own_rank: None,
                    not_now: false,
                }),
                Err(c) => Err(invalid(
                    format!("rows[{r}].ratings[{d}]"),
                    "0 (no entry), 1 to 5 (a level), 6 (declined) or 7 (not assessed)",
                    c,
                )),
            })
            .collect::<Result<Vec<Said>, NeedsError>>()?;
        let ranked = self.own_ranks.iter().filter(|&&k| k != 0).count();
        for (d, (said, &rank)) in domains.iter_mut().zip(self.own_ranks).enumerate() {
            if rank == 0 {
                continue;
            }
            if !said.assessed() {
                return Err(invalid(
                    format!("rows[{r}].own_ranks[{d}]"),
                    "0 for a domain not rated in this row",
                    rank,
                ));
            }
            if usize::from(rank) > ranked {
                return Err(invalid(
                    format!("rows[{r}].own_ranks"),
                    format!("ranks 1 to {ranked} (one per ranked domain), each once"),
                    format!("rank {rank} at domain {d}"),
                ));
            }
            if self.own_ranks.iter().take(d).any(|&k| k == rank) {
                return Err(NeedsError::Invalid(
                    FieldError::new(
                        format!("rows[{r}].own_ranks[{d}]"),
                        Reason::Duplicate {
                            value: format!("rank {rank}"),
                        },
                    )
                    .into(),
                ));
            }
            said.own_rank = Some(u32::from(rank));
        }
        let width = domains.len();
        if bits(self.not_now).skip(width).any(|set| set) {
            // The row's "not now" bytes as one little-endian number, as the message shows it.
            let value = self
                .not_now
                .iter()
                .rev()
                .fold(0u64, |v, &b| (v << 8) | u64::from(b));
            return Err(invalid(
                format!("rows[{r}].not_now"),
                format!("no bit at or past the width ({width})"),
                format!("{value:#x}"),
            ));
        }
        for (d, (said, not_now)) in domains.iter_mut().zip(bits(self.not_now)).enumerate() {
            if not_now && !said.assessed() {
                return Err(invalid(
                    format!("rows[{r}].not_now[{d}]"),
                    "a domain rated in this row",
                    format!("domain {d} with rating byte {}", rating_byte(said.rating)),
                ));
            }
            said.not_now = not_now;
        }
        if self.red_flags >> RedFlag::ALL.len() != 0 {
            return Err(invalid(
                format!("rows[{r}].red_flags"),
                "bits 0 to 3 only",
                format!("{:#04x}", self.red_flags),
            ));
        }
        let red_flags = RedFlag::ALL
            .into_iter()
            .zip(bits(std::slice::from_ref(&self.red_flags)))
            .filter_map(|(flag, raised)| raised.then_some(flag))
            .collect();
        Ok(Reading { domains, red_flags })
    }
}

impl PackedBatch {
    /// Rating byte: no entry for the domain.
    pub const NO_ENTRY: u8 = 0;
    /// Rating byte: the person declined to answer.
    pub const DECLINED: u8 = 6;
    /// Rating byte: an entry saying "not assessed".
    pub const NOT_ASSESSED: u8 = 7;

    /// An empty batch for a catalogue of `width` domains.
    pub fn empty(width: usize) -> Result<Self, NeedsError> {
        Self::new(width, Vec::new(), Vec::new(), Vec::new(), Vec::new())
    }

    /// A batch from its byte vectors (taken, not copied), laid out as described on
    /// [`PackedBatch`]; the number of rows is `red_flags.len()`. Every row is checked.
    pub fn new(
        width: usize,
        ratings: Vec<u8>,
        own_ranks: Vec<u8>,
        not_now: Vec<u8>,
        red_flags: Vec<u8>,
    ) -> Result<Self, NeedsError> {
        let Some(width) = NonZeroUsize::new(width).filter(|w| w.get() <= MAX_DOMAINS) else {
            return Err(invalid(
                "width".into(),
                format!("a number of domains from 1 to {MAX_DOMAINS}"),
                width,
            ));
        };
        let rows = red_flags.len();
        let w = width.get();
        for (name, got, want) in [
            ("ratings", ratings.len(), rows.checked_mul(w)),
            ("own_ranks", own_ranks.len(), rows.checked_mul(w)),
            ("not_now", not_now.len(), rows.checked_mul(w.div_ceil(8))),
        ] {
            if Some(got) != want {
                return Err(invalid(
                    name.into(),
                    format!(
                        "{} bytes ({rows} rows, one per red_flags byte)",
                        want.map_or_else(|| "more".to_owned(), |w| w.to_string())
                    ),
                    format!("{got} bytes"),
                ));
            }
        }
        let batch = PackedBatch {
            width,
            rows,
            ratings,
            own_ranks,
            not_now,
            red_flags,
        };
        for row in batch.readings() {
            row?;
        }
        Ok(batch)
    }

    /// A batch from borrowed byte slices (copied once), laid out as described on
    /// [`PackedBatch`].
    pub fn from_slices(
        width: usize,
        ratings: &[u8],
        own_ranks: &[u8],
        not_now: &[u8],
        red_flags: &[u8],
    ) -> Result<Self, NeedsError> {
        Self::new(
            width,
            ratings.to_vec(),
            own_ranks.to_vec(),
            not_now.to_vec(),
            red_flags.to_vec(),
        )
    }

    /// A batch of `assessments` for `prioritiser`'s catalogue, each checked as
    /// [`Prioritiser::rank_into`] checks it; an error's path is prefixed with the record's
    /// index (`[3].ratings[1].domain`).
    pub fn from_assessments(
        prioritiser: &Prioritiser,
        assessments: &[Assessment],
    ) -> Result<Self, NeedsError> {
        let mut batch = Self::empty(prioritiser.width())?;
        batch.reserve(assessments.len());
        for (i, a) in assessments.iter().enumerate() {
            batch.push(prioritiser, a).map_err(|e| prefix(e, i))?;
        }
        Ok(batch)
    }

    /// Reserve room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        let w = self.width.get();
        self.ratings.reserve(rows.saturating_mul(w));
        self.own_ranks.reserve(rows.saturating_mul(w));
        self.not_now.reserve(rows.saturating_mul(w.div_ceil(8)));
        self.red_flags.reserve(rows);
    }

    /// Append one assessment as a row, checked as [`Prioritiser::rank_into`] checks it (paths
    /// relative to the record). The batch is unchanged on error.
    pub fn push(
        &mut self,
        prioritiser: &Prioritiser,
        assessment: &Assessment,
    ) -> Result<(), NeedsError> {
        if prioritiser.width() != self.width.get() {
            return Err(invalid(
                "width".into(),
                format!("the catalogue's number of domains ({})", self.width),
                prioritiser.width(),
            ));
        }
        let reading = prioritiser.read_assessment(assessment)?;
        let ratings: Vec<u8> = reading
            .domains
            .iter()
            .map(|s| rating_byte(s.rating))
            .collect();
        let own_ranks = reading
            .domains
            .iter()
            .map(|s| match s.own_rank {
                None => Ok(0),
                // INVARIANT: a rank is at most the number of domains, at most 64.
                Some(rank) => u8::try_from(rank).map_err(|_| NeedsError::Internal {
                    detail: format!("own rank {rank} past 255"),
                }),
            })
            .collect::<Result<Vec<u8>, NeedsError>>()?;
        let not_now = reading.domains.chunks(8).map(|eight| {
            eight
                .iter()
                .zip(0..8)
                .fold(0u8, |byte, (s, i)| byte | (u8::from(s.not_now) << i))
        });
        let red_flags = RedFlag::ALL
            .iter()
            .zip(0..8)
            .filter(|(f, _)| reading.red_flags.contains(f))
            .fold(0u8, |byte, (_, i)| byte | (1 << i));
        self.ratings.extend_from_slice(&ratings);
        self.own_ranks.extend_from_slice(&own_ranks);
        self.not_now.extend(not_now);
        self.red_flags.push(red_flags);
        self.rows += 1;
        Ok(())
    }

    /// The number of domains per row (the catalogue's length).
    pub fn width(&self) -> usize {
        self.width.get()
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Whether the batch has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The `ratings` bytes (`rows × width`).
    pub fn ratings(&self) -> &[u8] {
        &self.ratings
    }

    /// The `own_ranks` bytes (`rows × width`).
    pub fn own_ranks(&self) -> &[u8] {
        &self.own_ranks
    }

    /// The `not_now` bytes (`rows × ⌈width/8⌉`).
    pub fn not_now(&self) -> &[u8] {
        &self.not_now
    }

    /// The `red_flags` bytes (one per row).
    pub fn red_flags(&self) -> &[u8] {
        &self.red_flags
    }

    /// Every row, decoded into the engine's reading (checked as it is decoded).
    pub(crate) fn readings(&self) -> impl Iterator<Item = Result<Reading, NeedsError>> + '_ {
        let w = self.width.get();
        // INVARIANT: the vectors hold `rows` rows each (checked by `new`, kept by `push`).
        self.ratings
            .chunks_exact(w)
            .zip(self.own_ranks.chunks_exact(w))
            .zip(self.not_now.chunks_exact(w.div_ceil(8)))
            .zip(&self.red_flags)
            .enumerate()
            .map(|(r, (((ratings, own_ranks), not_now), &red_flags))| {
                RowBytes {
                    ratings,
                    own_ranks,
                    not_now,
                    red_flags,
                }
                .read(r)
            })
    }

    /// Row `row`, decoded.
    fn reading(&self, row: usize) -> Result<Reading, NeedsError> {
        match self.readings().nth(row) {
            Some(reading) => reading,
            None => Err(invalid(
                "row".into(),
                format!("a row index below {}", self.rows),
                row,
            )),
        }
    }
}

/// Prefix the paths of an error with a record's index in a batch.
fn prefix(e: NeedsError, index: usize) -> NeedsError {
    match e {
        NeedsError::Invalid(mut errs) => {
            for f in &mut errs.errors {
                f.path = if f.path.is_empty() {
                    format!("[{index}]")
                } else {
                    format!("[{index}].{}", f.path)
                };
            }
            NeedsError::Invalid(errs)
        }
        other => other,
    }
}

impl Prioritiser {
    /// Check that `batch` was packed for this model's catalogue.
    fn check_width(&self, batch: &PackedBatch) -> Result<(), NeedsError> {
        if batch.width() == self.width() {
            Ok(())
        } else {
            Err(invalid(
                "width".into(),
                format!("the catalogue's number of domains ({})", self.width()),
                batch.width(),
            ))
        }
    }

    /// Rank every row of `batch` into `out` (resized and overwritten; reuse it across batches
    /// to avoid allocating). Row `i` of `out` is the ranking of row `i` of `batch`, identical
    /// to what [`Prioritiser::rank_into`] gives for the same assessment as a record; see
    /// [`PackedRankings`] for the layout. The batch was checked when it was built, so the only
    /// error is a batch packed for a catalogue of another width.
    pub fn rank_packed(
        &self,
        batch: &PackedBatch,
        out: &mut PackedRankings,
    ) -> Result<(), NeedsError> {
        self.check_width(batch)?;
        let w = batch.width.get();
        out.reset(batch.rows(), w);
        let mut ranking = Ranking::default();
        let mut tables = Tables::new(self.width());
        let mut written = 0usize;
        for ((len, slots), reading) in out
            .lens
            .iter_mut()
            .zip(out.entries.chunks_exact_mut(w * PackedEntry::SIZE))
            .zip(batch.readings())
        {
            self.rank_reading(&reading?, &mut tables, &mut ranking)?;
            *len = write_row(&ranking, slots)?;
            written += 1;
        }
        // INVARIANT: one ranking per row.
        if written != batch.rows() {
            return Err(NeedsError::Internal {
                detail: format!("ranked {written} of {} rows", batch.rows()),
            });
        }
        Ok(())
    }

    /// Summarise every row of `batch`: the same [`crate::BatchSummary`] as
    /// [`Prioritiser::summarise`] over the same assessments as records (none is rejected: the
    /// batch was checked).
    pub fn summarise_packed(&self, batch: &PackedBatch) -> Result<crate::BatchSummary, NeedsError> {
        self.check_width(batch)?;
        let mut tally = Tally::new(self.width());
        let mut ranking = Ranking::default();
        let mut tables = Tables::new(self.width());
        for reading in batch.readings() {
            let reading = reading?;
            tally.seen += 1;
            self.rank_reading(&reading, &mut tables, &mut ranking)?;
            tally.add(!reading.red_flags.is_empty(), &ranking)?;
        }
        Ok(tally.finish(self))
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
        let ranked = self
            .check_width(batch)
            .and_then(|()| batch.reading(row))
            .and_then(|reading| self.rank_reading(&reading, &mut Tables::new(self.width()), out));
        if ranked.is_err() {
            *out = Ranking::default();
        }
        ranked
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
        let mut ranking = Ranking::default();
        self.rank_packed_row(batch, row, &mut ranking)?;
        self.prioritisation_from(&ranking, assessment_id, case_id, assessed_at)
    }
}

/// Write the entries of `ranking` into one row's slots (the unused tail zeroed) and return how
/// many there are.
fn write_row(ranking: &Ranking, slots: &mut [u8]) -> Result<u8, NeedsError> {
    let mut slots = slots.chunks_exact_mut(PackedEntry::SIZE);
    let mut count = 0u8;
    for entry in &ranking.entries {
        // INVARIANT: a ranking has at most one entry per catalogue domain, and a row one slot
        // per domain.
        let slot = slots.next().ok_or_else(|| NeedsError::Internal {
            detail: "a ranking with more entries than domains".into(),
        })?;
        slot.copy_from_slice(&entry_bytes(entry, ranking.reasons_of(entry)?));
        count = count.checked_add(1).ok_or_else(|| NeedsError::Internal {
            detail: "more than 255 entries in one row".into(),
        })?;
    }
    for slot in slots {
        slot.fill(0);
    }
    Ok(count)
}

/// The 8 bytes of one ranked entry (see [`PackedRankings`]).
fn entry_bytes(e: &RankedEntry, reasons: &[Why]) -> [u8; PackedEntry::SIZE] {
    let kind = |w: &Why| match w {
        Why::RedFlag { .. } => PackedEntry::RED_FLAG,
        Why::OwnLevel { .. } => PackedEntry::OWN_LEVEL,
        Why::Unrated { .. } => 0,
        Why::Foundational { .. } => PackedEntry::FOUNDATIONAL,
        Why::Blocks { .. } => PackedEntry::BLOCKS,
        Why::BlockedBy { .. } => PackedEntry::BLOCKED_BY,
        Why::OwnRank { .. } => PackedEntry::OWN_RANK,
        Why::AheadOfBlocker { .. } => PackedEntry::AHEAD_OF_BLOCKER,
        Why::NotNow => PackedEntry::NOT_NOW,
    };
    let why = reasons.iter().fold(0u8, |bits, w| bits | kind(w));
    let [s0, s1, s2, s3] = e.score.to_le_bytes();
    [
        e.domain_index,
        rating_byte(Some(e.rating)),
        urgency_code(e.urgency),
        why,
        s0,
        s1,
        s2,
        s3,
    ]
}

/// The urgency band as a byte: 0 red flag, 1 urgent, 2 high, 3 medium, 4 low.
fn urgency_code(u: Urgency) -> u8 {
    match u {
        Urgency::RedFlag => 0,
        Urgency::Urgent => 1,
        Urgency::High => 2,
        Urgency::Medium => 3,
        Urgency::Low => 4,
    }
}

/// The urgency band of a byte written by [`urgency_code`].
fn urgency_of(code: u8) -> Option<Urgency> {
    Some(match code {
        0 => Urgency::RedFlag,
        1 => Urgency::Urgent,
        2 => Urgency::High,
        3 => Urgency::Medium,
        4 => Urgency::Low,
        _ => return None,
    })
}

/// One ranked domain of a [`PackedRankings`] row, decoded from its 8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PackedEntry {
    /// The domain's position in the catalogue.
    pub domain_index: u8,
    /// Its rating (`not_assessed` for a red-flag domain without an entry).
    pub rating: Rating,
    /// The urgency band.
    pub urgency: Urgency,
    /// Which kinds of reason the full [`Prioritisation`] item has: the `PackedEntry` bit
    /// constants (`RED_FLAG` … `NOT_NOW`).
    pub reasons: u8,
    /// The score (the sum of the reasons' points).
    pub score: u32,
}

impl PackedEntry {
    /// Bytes per entry.
    pub const SIZE: usize = 8;
    /// Reason bit: at least one `red_flag` reason (the urgency is then `red_flag`).
    pub const RED_FLAG: u8 = 1 << 0;
    /// Reason bit: an `own_level` reason (the domain is rated at a level); clear, an `unrated`
    /// reason instead.
    pub const OWN_LEVEL: u8 = 1 << 1;
    /// Reason bit: a `foundational` reason.
    pub const FOUNDATIONAL: u8 = 1 << 2;
    /// Reason bit: at least one `blocks` reason.
    pub const BLOCKS: u8 = 1 << 3;
    /// Reason bit: at least one `blocked_by` reason.
    pub const BLOCKED_BY: u8 = 1 << 4;
    /// Reason bit: an `own_rank` reason.
    pub const OWN_RANK: u8 = 1 << 5;
    /// Reason bit: at least one `ahead_of_blocker` reason.
    pub const AHEAD_OF_BLOCKER: u8 = 1 << 6;
    /// Reason bit: a `not_now` reason (the domain is not referable).
    pub const NOT_NOW: u8 = 1 << 7;

    /// Decode one entry: byte 0 the domain's catalogue position; byte 1 its rating (1–5 a
    /// level, 6 declined, 7 not assessed); byte 2 the urgency (0 red flag, 1 urgent, 2 high,
    /// 3 medium, 4 low); byte 3 the reason bits; bytes 4–7 the score, little-endian. `None`
    /// for fewer than 8 bytes or a byte out of range.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let [domain_index, rating, urgency, reasons, s0, s1, s2, s3] = *bytes.get(..Self::SIZE)?
        else {
            return None;
        };
        let Ok(Some(rating)) = rating_from_byte(rating) else {
            return None;
        };
        Some(PackedEntry {
            domain_index,
            rating,
            urgency: urgency_of(urgency)?,
            reasons,
            score: u32::from_le_bytes([s0, s1, s2, s3]),
        })
    }

    /// Whether the entry has a reason of kind `bit` (one of the reason-bit constants).
    pub fn has(&self, bit: u8) -> bool {
        self.reasons & bit != 0
    }

    /// Whether the domain may be proposed for referral (it is not "not now").
    pub fn referable(&self) -> bool {
        !self.has(Self::NOT_NOW)
    }
}

/// The rankings of a [`PackedBatch`], written by [`Prioritiser::rank_packed`]: one fixed-size
/// slot per row, reusable across batches.
///
/// # Layout
///
/// With `w` the batch's width and `n` its rows: `lens` holds `n` bytes, the number of ranked
/// domains of each row (at most `w`); `entries` holds `n × w × 8` bytes, row `r` starting at
/// byte `r·w·8`, its first `lens[r]` entries (most urgent first) of 8 bytes each, the rest of
/// the row zero. An entry is: byte 0 the domain's catalogue position; byte 1 its rating (1–5
/// a level, 6 declined, 7 not assessed); byte 2 the urgency (0 red flag, 1 urgent, 2 high,
/// 3 medium, 4 low); byte 3 the reason bits ([`PackedEntry::RED_FLAG`] … [`PackedEntry::NOT_NOW`]);
/// bytes 4–7 the score as a little-endian `u32`. [`PackedEntry::decode`] reads one.
///
/// The figures behind each reason (which flag, which blocker at which level, the points) and
/// the not-rated entries are spelled out for any row by [`Prioritiser::rank_packed_row`] or
/// [`Prioritiser::prioritise_packed_row`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PackedRankings {
    /// Domains per row in the batch ranked.
    width: usize,
    /// Per row: how many ranked domains.
    lens: Vec<u8>,
    /// Per row, `width` slots of 8 bytes: the ranked domains first, most urgent first.
    entries: Vec<u8>,
}

impl PackedRankings {
    /// An empty output, to be filled by [`Prioritiser::rank_packed`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of domains per row of the batch ranked.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.lens.len()
    }

    /// Per row, the number of ranked domains.
    pub fn lens(&self) -> &[u8] {
        &self.lens
    }

    /// All entry bytes (`rows × width × 8`).
    pub fn entries(&self) -> &[u8] {
        &self.entries
    }

    /// The entry bytes of row `row` (its ranked domains only, 8 bytes each).
    pub fn row_bytes(&self, row: usize) -> Option<&[u8]> {
        let len = usize::from(*self.lens.get(row)?);
        let start = row
            .checked_mul(self.width)?
            .checked_mul(PackedEntry::SIZE)?;
        self.entries
            .get(start..start.checked_add(len.checked_mul(PackedEntry::SIZE)?)?)
    }

    /// The ranked domains of row `row`, most urgent first (none for a row out of range).
    pub fn entries_of(&self, row: usize) -> impl Iterator<Item = PackedEntry> + '_ {
        self.row_bytes(row)
            .into_iter()
            .flat_map(|bytes| bytes.chunks_exact(PackedEntry::SIZE))
            .filter_map(PackedEntry::decode)
    }

    /// Size for `rows` rows of `width` domains; every slot is overwritten by the ranking.
    pub(crate) fn reset(&mut self, rows: usize, width: usize) {
        // The batch ranked holds `rows × width` bytes already, so eight times that fits; the
        // saturation only keeps the size arithmetic from wrapping.
        self.width = width;
        self.lens.resize(rows, 0);
        self.entries.resize(
            rows.saturating_mul(width).saturating_mul(PackedEntry::SIZE),
            0,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::assessment;

    /// The path of the one error of `r`.
    fn path<T: std::fmt::Debug>(r: Result<T, NeedsError>) -> String {
        match r {
            Err(NeedsError::Invalid(e)) => e.first().unwrap().path.clone(),
            other => panic!("expected an invalid-input error, got {other:?}"),
        }
    }

    /// Two rows of width 10: row 0 rates domains 0–4, row 1 rates 0–2.
    fn bytes() -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
        let mut ratings = vec![0u8; 20];
        ratings[..5].copy_from_slice(&[1, 2, 6, 7, 5]);
        ratings[10..13].copy_from_slice(&[3, 3, 3]);
        (ratings, vec![0u8; 20], vec![0u8; 4], vec![0u8; 2])
    }

    #[test]
    fn bytes_are_checked_and_errors_name_row_and_field() {
        let (r, k, n, f) = bytes();
        let ok = PackedBatch::new(10, r.clone(), k.clone(), n.clone(), f.clone()).unwrap();
        assert_eq!((ok.rows(), ok.width()), (2, 10));
        let new = |r: &[u8], k: &[u8], n: &[u8], f: &[u8]| PackedBatch::from_slices(10, r, k, n, f);
        assert_eq!(
            path(PackedBatch::from_slices(0, &[], &[], &[], &[])),
            "width"
        );
        assert_eq!(
            path(PackedBatch::from_slices(65, &[], &[], &[], &[])),
            "width"
        );
        assert_eq!(path(new(&r[..19], &k, &n, &f)), "ratings");
        assert_eq!(path(new(&r, &k[..10], &n, &f)), "own_ranks");
        assert_eq!(path(new(&r, &k, &n[..3], &f)), "not_now");

        let mut bad = r.clone();
        bad[13] = 8;
        assert_eq!(path(new(&bad, &k, &n, &f)), "rows[1].ratings[3]");
        let mut ranks = k.clone();
        ranks[3] = 1; // rated "not assessed"
        assert_eq!(path(new(&r, &ranks, &n, &f)), "rows[0].own_ranks[3]");
        ranks[3] = 0;
        ranks[10] = 1;
        ranks[11] = 1;
        let err = new(&r, &ranks, &n, &f).unwrap_err().to_string();
        assert_eq!(err, "rows[1].own_ranks[1]: duplicate `rank 1`");
        ranks[11] = 3;
        assert_eq!(path(new(&r, &ranks, &n, &f)), "rows[1].own_ranks");
        ranks[11] = 2;
        assert!(new(&r, &ranks, &n, &f).is_ok());
        let mut not_now = n.clone();
        not_now[0] = 1 << 5; // domain 5 has no entry in row 0
        assert_eq!(path(new(&r, &k, &not_now, &f)), "rows[0].not_now[5]");
        not_now[0] = 0b0000_0101; // domains 0 and 2 (declined): fine
        assert!(new(&r, &k, &not_now, &f).is_ok());
        not_now[3] = 1 << 2; // bit 10 of row 1: past the width
        assert_eq!(path(new(&r, &k, &not_now, &f)), "rows[1].not_now");
        assert_eq!(path(new(&r, &k, &n, &[0, 0x10])), "rows[1].red_flags");
        assert!(new(&r, &k, &n, &[0x0f, 0]).is_ok());
    }

    #[test]
    fn records_are_checked_and_errors_name_the_record() {
        let p = Prioritiser::standard();
        let list = [
            assessment(&[("food", 1)]),
            assessment(&[("food", 1), ("fod", 2)]),
        ];
        assert_eq!(
            path(PackedBatch::from_assessments(&p, &list)),
            "[1].ratings[1].domain"
        );
        let batch = PackedBatch::from_assessments(&p, &list[..1]).unwrap();
        assert_eq!(batch.rows(), 1);
        assert_eq!(batch.ratings()[0], 1);
        // A batch of another width is refused by the prioritiser.
        let narrow = PackedBatch::from_slices(3, &[1, 0, 0], &[0; 3], &[0], &[0]).unwrap();
        let mut out = PackedRankings::new();
        assert_eq!(path(p.rank_packed(&narrow, &mut out)), "width");
        assert_eq!(path(p.summarise_packed(&narrow)), "width");
        let mut ranking = crate::Ranking::default();
        assert_eq!(path(p.rank_packed_row(&batch, 1, &mut ranking)), "row");
    }

    #[test]
    fn entries_decode_and_refuse_bad_bytes() {
        let e = PackedEntry::decode(&[3, 2, 1, 0b1000_0010, 60, 1, 0, 0]).unwrap();
        assert_eq!(e.domain_index, 3);
        assert_eq!(e.rating, Rating::Level(beside_core::Level::Vulnerable));
        assert_eq!(e.urgency, Urgency::Urgent);
        assert_eq!(e.score, 316);
        assert!(e.has(PackedEntry::OWN_LEVEL) && !e.referable());
        assert!(PackedEntry::decode(&[3, 0, 1, 0, 0, 0, 0, 0]).is_none());
        assert!(PackedEntry::decode(&[3, 2, 5, 0, 0, 0, 0, 0]).is_none());
        assert!(PackedEntry::decode(&[3, 2, 1]).is_none());
    }
}
