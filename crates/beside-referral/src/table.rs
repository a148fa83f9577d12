//! Results of referral matching, gap analysis and batch assignment as Apache Arrow tables, for
//! researchers' batches (pandas, polars, pyarrow and Spark read them; across the FFI they travel
//! as Arrow IPC stream bytes, written by [`beside_core::table::write_ipc_stream`]).
//!
//! Each table is written from the records the library returns ([`MatchResult`],
//! [`AreaNeedGap`], [`Assignment`]), holding what they hold and nothing else: a table of
//! results gives away no more about a confidential place than the results do
//! ([`crate::whereabouts`]). The tests read every table back and compare it with its records.
//!
//! Alike in every table:
//!
//! - a code column is a `dictionary<int8, utf8>` whose values are every code of its type, as the
//!   records serialise them (the types' `key()` methods), in the order of the type's `ALL` (or
//!   of the list named here), so two tables' dictionaries agree whatever their rows;
//! - a figure that a row's code does not have is null;
//! - an area is a `list<utf8>`, the country code first, as in JSON; ids and need domains are
//!   `utf8`.
//!
//! # The matches table, `beside.matches/1`
//!
//! One row per candidate of each need of each match result: result after result in the order
//! of the input, need after need in request order, candidates best first. A need with no
//! candidate has no row here (its exclusions are in `beside.exclusions/1`).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the case |
//! | `matched_at` | `timestamp[us, UTC]` | no | when the match was made |
//! | `consent_checked` | bool | no | whether consent was checked for every proposed provider |
//! | `domain` | utf8 | no | the need |
//! | `considered` | uint32 | no | services serving the need that were looked at (a figure of the need, on each of its rows) |
//! | `eligible` | uint32 | no | services that passed every hard constraint (a figure of the need; may exceed its rows) |
//! | `rank` | uint32 | no | the candidate's place among the need's candidates, 1 first |
//! | `service_id`, `organization_id` | utf8 | no | the service and its organisation |
//! | `organization_kind` | `dictionary<int8, utf8>` | no | the organisation's kind ([`OrganizationKind::ALL`]) |
//! | `score` | float64 | no | 0 to 1: the sum of the factors' points |
//! | `distance_km` | float64 | yes | distance to the nearest location; null when not known or withheld |
//! | `withheld` | `dictionary<int8, utf8>` | yes | why the whereabouts are withheld from the viewer (`confidential_location`); null when they are not |
//! | `withheld_distance_band` | `dictionary<int8, utf8>` | yes | the distance as a band ([`DistanceBand::ALL`]) when withheld and known |
//! | `pathway` | `list<dictionary<int8, utf8>>` | no | steps to take before the service takes the person ([`PathwayStep::ALL`]) |
//! | `also_covers` | `list<utf8>` | no | the other requested needs the service also covers |
//! | `factors` | `list<struct>` | no | the six factors of the score, in [`Factor::ALL`] order, as [`ScoreFactor`]: `factor` (dictionary), `value`, `weight`, `points` (float64), `basis` (dictionary of [`BASIS_CODES`]), and the figures of the basis (below), null where the basis has none |
//!
//! The figures of a factor's basis, in the `factors` structs:
//!
//! | `basis` | figures |
//! |---|---|
//! | `distance` | `distance_km`, `limit_km` (float64) |
//! | `distance_band` | `distance_band` (dictionary), `limit_km` |
//! | `shared_language` | `language` (utf8) |
//! | `preferences_met` | `met`, `wanted` (uint32) |
//! | `affordable`, `unaffordable` | `fee`, `can_pay` (uint64) |
//! | `fee_unknown_means` | `fee` |
//! | `open_places` | `places` (int64) |
//! | `needs_covered` | `covered`, `requested` (uint32) |
//! | every other basis | none |
//!
//! # The exclusions table, `beside.exclusions/1`
//!
//! A match result counts its exclusions by code per need
//! ([`ExclusionCount`](crate::matching::ExclusionCount): which service failed which constraint
//! is not kept) and lists the near misses with their one exclusion and its figures
//! ([`NearMiss`]). The table holds both, told apart by `near_miss`: per need, one
//! row per exclusion count (in the result's order), then one per near miss (nearest first).
//! A near miss is also counted on the count row of its code, so the totals are the sum of
//! `count` (null on near-miss rows).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the case |
//! | `matched_at` | `timestamp[us, UTC]` | no | when the match was made |
//! | `domain` | utf8 | no | the need |
//! | `near_miss` | bool | no | `false`: a count row; `true`: one near miss |
//! | `code` | `dictionary<int8, utf8>` | no | the constraint ([`ExclusionCode::ALL`]) |
//! | `count` | uint32 | yes | count rows: how many services it excluded; null on near-miss rows |
//! | `service_id`, `organization_id` | utf8 | yes | the near miss's service and organisation; null on count rows |
//! | `score_if_included` | float64 | yes | the score the near miss would have had; null on count rows |
//! | `withheld` | `dictionary<int8, utf8>` | yes | why the near miss's whereabouts are withheld from the viewer; null when they are not, and on count rows |
//! | `withheld_distance_band` | `dictionary<int8, utf8>` | yes | its distance as a band, when withheld and known |
//! | the figures of the exclusion (below) | | yes | on near-miss rows, those of its code; null elsewhere |
//!
//! The figures of an exclusion ([`Exclusion`]), in its own columns:
//!
//! | `code` | figures |
//! |---|---|
//! | `inactive` | `status` (dictionary, [`ServiceStatus::ALL`]) |
//! | `no_capacity` | `capacity` (int64) |
//! | `age_outside_range` | `age`, `min_age`, `max_age` (uint32; a limit the service does not set is null) |
//! | `gender_not_served` | `served` (`list<utf8>`: the groups served, [`GenderServed`](crate::directory::GenderServed) keys) |
//! | `nationality_not_served` | `served` (the nationalities served) |
//! | `requires_formal_identification` | none |
//! | `outside_service_area` | `home_area` (`list<utf8>`), `decided_by` (dictionary, [`AreaTest::ALL`]) |
//! | `beyond_travel_limit` | `distance_km`, `limit_km` (float64); with the whereabouts withheld (the record's `beyond_travel_limit_band`, whose code this is), `distance_band` (dictionary) and `limit_km` instead |
//! | `vetoed` | `veto` (dictionary of [`VETO_CODES`]) and its figure: `veto_id` (utf8: the organisation or service), `veto_kind` (dictionary, [`OrganizationKind::ALL`]) or `veto_area` (`list<utf8>`) |
//! | `flagged_unsafe` | `concern` (dictionary, [`SafetyConcern::ALL`]) |
//! | `no_consent` | `consent_reasons` (`list<utf8>`: the consent engine's deny reason codes) |
//!
//! # The gaps table, `beside.gaps/1`
//!
//! One row per [`AreaNeedGap`], in the order of the input. The services only on paper are both
//! listed (`paper_only`, as the record has them, with every reason of each) and counted per
//! reason (a column per [`PaperReason`], for grouping without unnesting: a service with two
//! reasons counts under both). The area's languages are not in an [`AreaNeedGap`] (they are in
//! the [`crate::gaps::GapQuery`]), so the table has none.
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `area` | `list<utf8>` | no | the area |
//! | `domain` | utf8 | no | the need |
//! | `listed` | uint32 | no | services listed for the need that serve the area |
//! | `reachable` | uint32 | no | of those, how many a person could actually reach |
//! | `paper_only_count` | uint32 | no | the rest: how many exist only on paper (`listed - reachable`) |
//! | [`PAPER_REASON_COLUMNS`]: `paper_only_inactive`, `paper_only_no_capacity`, `paper_only_requires_court_order`, `paper_only_requires_formal_identification`, `paper_only_no_shared_language` | uint32 | no | how many of them have that reason |
//! | `paper_only` | `list<struct>` | no | each, as [`crate::gaps::PaperOnly`]: `service_id` (utf8) and `reasons` (`list<dictionary<int8, utf8>>`, [`PaperReason::ALL`]) |
//!
//! # The assignments table, `beside.assignments/1`
//!
//! One row per case of an [`Assignment`], in its order (by case id).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the case |
//! | `weight` | uint32 | no | its priority weight |
//! | `outcome` | `dictionary<int8, utf8>` | no | the decision ([`OUTCOME_CODES`]: `assigned`, `partly_assigned`, `unassigned`) |
//! | `demand` | uint32 | no | places needed (for `assigned`, the places filled: every one was) |
//! | `units` | uint32 | no | places filled (0 for `unassigned`: none was) |
//! | `cost` | int64 | no | total cost of the filled places (0 for `unassigned`: none was filled) |
//! | `service_id` | utf8 | yes | the service holding every filled place; null when none is filled or they are at several services (see `placements`) |
//! | `placements` | `list<struct>` | no | where the filled places are, by service id, as [`crate::assign::Placement`]: `service_id` (utf8), `units` (uint32), `unit_cost`, `cost` (int64) |
//! | `shortfall` | `dictionary<int8, utf8>` | yes | why some or all places were not filled ([`SHORTFALL_CODES`]); null for `assigned` |
//! | `eligible_services` | uint32 | yes | the shortfall's eligible services (every code but `no_eligible_service`) |
//! | `places` | uint64 | yes | open places at those services (`outranked_by_higher_priority`, `capacity_exhausted`) |
//! | `held_by_higher_priority` | uint64 | yes | places there held by cases of higher weight (the same two) |
//! | `held_by_same_priority` | uint64 | yes | places there held by other cases of the same weight (`capacity_exhausted`) |
//!
//! The schema's metadata names each table and its version under
//! [`beside_core::table::SCHEMA_KEY`]. A new column or a new value of a dictionary column makes
//! a new version.

use crate::assign::{AssignError, Assignment, CaseAssignment, CaseOutcome, Shortfall};
use crate::directory::ServiceStatus;
use crate::gaps::{AreaNeedGap, PaperReason};
use crate::matching::{
    AreaTest, Candidate, Exclusion, ExclusionCode, Factor, FactorBasis, MatchError, MatchResult,
    NearMiss, PathwayStep, SafetyConcern, ScoreFactor, Veto,
};
use crate::whereabouts::{DistanceBand, Withheld, WithheldReason};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::types::Int8Type;
use arrow_array::{
    ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int64Array, Int8Array, ListArray,
    RecordBatch, StringArray, StructArray, TimestampMicrosecondArray, UInt32Array, UInt64Array,
};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{Field, Fields};
use beside_core::table::{record_batch, write_ipc_stream};
use beside_core::{AreaPath, LanguageCode, OrganizationKind, Timestamp};
use std::sync::Arc;

/// The name and version of the matches table, in its schema's metadata.
pub const MATCHES: &str = "beside.matches/1";
/// The name and version of the exclusions table, in its schema's metadata.
pub const EXCLUSIONS: &str = "beside.exclusions/1";
/// The name and version of the gaps table, in its schema's metadata.
pub const GAPS: &str = "beside.gaps/1";
/// The name and version of the assignments table, in its schema's metadata.
pub const ASSIGNMENTS: &str = "beside.assignments/1";

/// The codes of a factor's basis, in the order of the `factors.basis` dictionary (as
/// [`FactorBasis::key`] spells them).
pub const BASIS_CODES: [&str; 18] = [
    "distance",
    "distance_band",
    "outreach",
    "distance_unknown",
    "shared_language",
    "interpretation",
    "language_unknown",
    "no_shared_language",
    "preferences_met",
    "no_preferences",
    "free",
    "affordable",
    "unaffordable",
    "fee_unknown_means",
    "cost_unknown",
    "open_places",
    "no_fixed_limit",
    "needs_covered",
];

/// The kinds of veto, in the order of the `veto` dictionary (as [`Veto::key`] spells them).
pub const VETO_CODES: [&str; 4] = ["organization", "service", "kind", "area"];

/// The decisions of a batch assignment, in the order of the `outcome` dictionary (as
/// [`CaseOutcome::key`] spells them).
pub const OUTCOME_CODES: [&str; 3] = ["assigned", "partly_assigned", "unassigned"];

/// The reasons of a shortfall, in the order of the `shortfall` dictionary (as
/// [`Shortfall::key`] spells them).
pub const SHORTFALL_CODES: [&str; 4] = [
    "no_eligible_service",
    "no_capacity",
    "outranked_by_higher_priority",
    "capacity_exhausted",
];

/// The column counting each paper-only reason in the gaps table, in the order of
/// [`PaperReason::ALL`]: `paper_only_` and the reason's key.
pub const PAPER_REASON_COLUMNS: [&str; 5] = [
    "paper_only_inactive",
    "paper_only_no_capacity",
    "paper_only_requires_court_order",
    "paper_only_requires_formal_identification",
    "paper_only_no_shared_language",
];

/// A table that could not be built: a bug in Beside, never a property of the records (every
/// record the library makes fits its table), except a table of more than 2^31 list items.
#[derive(Debug)]
struct Fault(String);

fn fault(detail: impl Into<String>) -> Fault {
    Fault(detail.into())
}

fn match_error(f: Fault) -> MatchError {
    MatchError::internal(&format!("writing a results table: {}", f.0))
}

fn assign_error(_: Fault) -> AssignError {
    AssignError::Internal {
        invariant: "the assignments table is built from the columns of its records",
    }
}

/// A row count or figure as a uint32 column holds it.
fn u32_of(n: usize, what: &str) -> Result<u32, Fault> {
    u32::try_from(n).map_err(|_| fault(format!("{what} {n} past u32")))
}

/// A code column: every code of its type fixed in advance, in its documented order, and each
/// row's key into them.
struct Codes {
    values: Vec<&'static str>,
    keys: Vec<Option<i8>>,
}

impl Codes {
    fn new(values: impl IntoIterator<Item = &'static str>) -> Self {
        Codes {
            values: values.into_iter().collect(),
            keys: Vec::new(),
        }
    }

    /// Append a row: the key of `code`, or a null.
    fn push(&mut self, code: Option<&str>) -> Result<(), Fault> {
        let key = match code {
            None => None,
            Some(code) => {
                // INVARIANT: each dictionary lists every code of its type (the tests check that
                // every `key()` is in its list); a code missing is a list not updated.
                let i =
                    self.values.iter().position(|v| *v == code).ok_or_else(|| {
                        fault(format!("code `{code}` missing from its dictionary"))
                    })?;
                Some(i8::try_from(i).map_err(|_| fault(format!("dictionary key {i} past 127")))?)
            }
        };
        self.keys.push(key);
        Ok(())
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn finish(self) -> Result<ArrayRef, Fault> {
        let values: ArrayRef = Arc::new(StringArray::from(self.values));
        let a = DictionaryArray::<Int8Type>::try_new(Int8Array::from(self.keys), values)
            .map_err(|e| fault(format!("a dictionary column: {e}")))?;
        Ok(Arc::new(a))
    }
}

/// Where each row's list ends among the list's items: the offsets of a list column, from 0.
struct Ends(Vec<i32>);

impl Ends {
    fn new() -> Self {
        Ends(vec![0])
    }

    /// Close a row's list, the items so far being `items`.
    fn close(&mut self, items: usize) -> Result<(), Fault> {
        let end = i32::try_from(items)
            .map_err(|_| fault(format!("more than 2^31 list items ({items}) in one column")))?;
        self.0.push(end);
        Ok(())
    }

    /// The list column of `items`, each row's part as closed.
    fn finish(self, items: ArrayRef) -> Result<ArrayRef, Fault> {
        let item = Arc::new(Field::new("item", items.data_type().clone(), false));
        // INVARIANT: every end is the item count when its row closed, and items are only ever
        // appended, so the ends start at 0 and never decrease (`OffsetBuffer::new` requires it).
        let offsets = OffsetBuffer::new(self.0.into());
        let list = ListArray::try_new(item, offsets, items, None)
            .map_err(|e| fault(format!("a list column: {e}")))?;
        Ok(Arc::new(list))
    }
}

/// A struct array of named columns (`nullable` per field).
fn structs(columns: Vec<(&str, ArrayRef, bool)>) -> Result<ArrayRef, Fault> {
    let fields: Fields = columns
        .iter()
        .map(|(name, a, nullable)| Field::new(*name, a.data_type().clone(), *nullable))
        .collect();
    let s = StructArray::try_new(
        fields,
        columns.into_iter().map(|(_, a, _)| a).collect(),
        None,
    )
    .map_err(|e| fault(format!("a struct column: {e}")))?;
    Ok(Arc::new(s))
}

/// A `list<utf8>` column, a row at a time.
struct Texts(ListBuilder<StringBuilder>);

impl Texts {
    fn new() -> Self {
        Texts(ListBuilder::new(StringBuilder::new()))
    }

    /// Append a row: the list of `items`, or a null.
    fn push<'a>(&mut self, items: Option<impl IntoIterator<Item = &'a str>>) {
        match items {
            None => self.0.append_null(),
            Some(items) => {
                for s in items {
                    self.0.values().append_value(s);
                }
                self.0.append(true);
            }
        }
    }

    fn finish(mut self) -> ArrayRef {
        Arc::new(self.0.finish())
    }
}

/// The parts of an area, country first.
fn parts(area: &AreaPath) -> impl Iterator<Item = &str> {
    area.0.iter().map(String::as_str)
}

fn micros(t: &Timestamp) -> i64 {
    t.timestamp_micros()
}

fn utc_micros(values: Vec<i64>) -> ArrayRef {
    Arc::new(TimestampMicrosecondArray::from(values).with_timezone("UTC"))
}

fn withheld_codes() -> Codes {
    Codes::new(WithheldReason::ALL.map(WithheldReason::key))
}

fn band_codes() -> Codes {
    Codes::new(DistanceBand::ALL.map(DistanceBand::key))
}

// ---------------------------------------------------------------------------------------------
// The matches table.

/// The figures of a factor's basis, as the `factors` structs hold them.
#[derive(Default)]
struct BasisRow<'r> {
    distance_km: Option<f64>,
    limit_km: Option<f64>,
    distance_band: Option<DistanceBand>,
    language: Option<&'r LanguageCode>,
    met: Option<u32>,
    wanted: Option<u32>,
    fee: Option<u64>,
    can_pay: Option<u64>,
    places: Option<i64>,
    covered: Option<u32>,
    requested: Option<u32>,
}

/// The figures of one basis.
fn basis_row(b: &FactorBasis) -> BasisRow<'_> {
    match b {
        FactorBasis::Distance {
            distance_km,
            limit_km,
        } => BasisRow {
            distance_km: Some(*distance_km),
            limit_km: Some(*limit_km),
            ..BasisRow::default()
        },
        FactorBasis::DistanceBand {
            distance_band,
            limit_km,
        } => BasisRow {
            distance_band: Some(*distance_band),
            limit_km: Some(*limit_km),
            ..BasisRow::default()
        },
        FactorBasis::SharedLanguage { language } => BasisRow {
            language: Some(language),
            ..BasisRow::default()
        },
        FactorBasis::PreferencesMet { met, wanted } => BasisRow {
            met: Some(*met),
            wanted: Some(*wanted),
            ..BasisRow::default()
        },
        FactorBasis::Affordable { fee, can_pay } | FactorBasis::Unaffordable { fee, can_pay } => {
            BasisRow {
                fee: Some(*fee),
                can_pay: Some(*can_pay),
                ..BasisRow::default()
            }
        }
        FactorBasis::FeeUnknownMeans { fee } => BasisRow {
            fee: Some(*fee),
            ..BasisRow::default()
        },
        FactorBasis::OpenPlaces { places } => BasisRow {
            places: Some(*places),
            ..BasisRow::default()
        },
        FactorBasis::NeedsCovered { covered, requested } => BasisRow {
            covered: Some(*covered),
            requested: Some(*requested),
            ..BasisRow::default()
        },
        FactorBasis::Outreach
        | FactorBasis::DistanceUnknown
        | FactorBasis::Interpretation
        | FactorBasis::LanguageUnknown
        | FactorBasis::NoSharedLanguage
        | FactorBasis::NoPreferences
        | FactorBasis::Free
        | FactorBasis::CostUnknown
        | FactorBasis::NoFixedLimit => BasisRow::default(),
    }
}

/// The fields of the `factors` structs.
struct FactorColumns {
    factor: Codes,
    value: Vec<f64>,
    weight: Vec<f64>,
    points: Vec<f64>,
    basis: Codes,
    distance_km: Vec<Option<f64>>,
    limit_km: Vec<Option<f64>>,
    distance_band: Codes,
    language: StringBuilder,
    met: Vec<Option<u32>>,
    wanted: Vec<Option<u32>>,
    fee: Vec<Option<u64>>,
    can_pay: Vec<Option<u64>>,
    places: Vec<Option<i64>>,
    covered: Vec<Option<u32>>,
    requested: Vec<Option<u32>>,
}

impl FactorColumns {
    fn new() -> Self {
        FactorColumns {
            factor: Codes::new(Factor::ALL.map(Factor::key)),
            value: Vec::new(),
            weight: Vec::new(),
            points: Vec::new(),
            basis: Codes::new(BASIS_CODES),
            distance_km: Vec::new(),
            limit_km: Vec::new(),
            distance_band: band_codes(),
            language: StringBuilder::new(),
            met: Vec::new(),
            wanted: Vec::new(),
            fee: Vec::new(),
            can_pay: Vec::new(),
            places: Vec::new(),
            covered: Vec::new(),
            requested: Vec::new(),
        }
    }

    fn push(&mut self, f: &ScoreFactor) -> Result<(), Fault> {
        let b = basis_row(&f.basis);
        self.factor.push(Some(f.factor.key()))?;
        self.value.push(f.value);
        self.weight.push(f.weight);
        self.points.push(f.points);
        self.basis.push(Some(f.basis.key()))?;
        self.distance_km.push(b.distance_km);
        self.limit_km.push(b.limit_km);
        self.distance_band
            .push(b.distance_band.map(DistanceBand::key))?;
        self.language
            .append_option(b.language.map(LanguageCode::as_str));
        self.met.push(b.met);
        self.wanted.push(b.wanted);
        self.fee.push(b.fee);
        self.can_pay.push(b.can_pay);
        self.places.push(b.places);
        self.covered.push(b.covered);
        self.requested.push(b.requested);
        Ok(())
    }

    /// The struct array, one struct per factor.
    fn finish(mut self) -> Result<ArrayRef, Fault> {
        structs(vec![
            ("factor", self.factor.finish()?, false),
            ("value", Arc::new(Float64Array::from(self.value)), false),
            ("weight", Arc::new(Float64Array::from(self.weight)), false),
            ("points", Arc::new(Float64Array::from(self.points)), false),
            ("basis", self.basis.finish()?, false),
            (
                "distance_km",
                Arc::new(Float64Array::from(self.distance_km)),
                true,
            ),
            (
                "limit_km",
                Arc::new(Float64Array::from(self.limit_km)),
                true,
            ),
            ("distance_band", self.distance_band.finish()?, true),
            ("language", Arc::new(self.language.finish()), true),
            ("met", Arc::new(UInt32Array::from(self.met)), true),
            ("wanted", Arc::new(UInt32Array::from(self.wanted)), true),
            ("fee", Arc::new(UInt64Array::from(self.fee)), true),
            ("can_pay", Arc::new(UInt64Array::from(self.can_pay)), true),
            ("places", Arc::new(Int64Array::from(self.places)), true),
            ("covered", Arc::new(UInt32Array::from(self.covered)), true),
            (
                "requested",
                Arc::new(UInt32Array::from(self.requested)),
                true,
            ),
        ])
    }
}

/// The columns of a matches table, filled candidate by candidate.
struct MatchesWriter {
    case_id: StringBuilder,
    matched_at: Vec<i64>,
    consent_checked: Vec<bool>,
    domain: StringBuilder,
    considered: Vec<u32>,
    eligible: Vec<u32>,
    rank: Vec<u32>,
    service_id: StringBuilder,
    organization_id: StringBuilder,
    organization_kind: Codes,
    score: Vec<f64>,
    distance_km: Vec<Option<f64>>,
    withheld: Codes,
    withheld_distance_band: Codes,
    pathway: Codes,
    pathway_ends: Ends,
    also_covers: Texts,
    factors: FactorColumns,
    factor_ends: Ends,
}

impl MatchesWriter {
    fn new() -> Self {
        MatchesWriter {
            case_id: StringBuilder::new(),
            matched_at: Vec::new(),
            consent_checked: Vec::new(),
            domain: StringBuilder::new(),
            considered: Vec::new(),
            eligible: Vec::new(),
            rank: Vec::new(),
            service_id: StringBuilder::new(),
            organization_id: StringBuilder::new(),
            organization_kind: Codes::new(OrganizationKind::ALL.map(OrganizationKind::key)),
            score: Vec::new(),
            distance_km: Vec::new(),
            withheld: withheld_codes(),
            withheld_distance_band: band_codes(),
            pathway: Codes::new(PathwayStep::ALL.map(PathwayStep::key)),
            pathway_ends: Ends::new(),
            also_covers: Texts::new(),
            factors: FactorColumns::new(),
            factor_ends: Ends::new(),
        }
    }

    /// Append the rows of one result.
    fn push(&mut self, r: &MatchResult) -> Result<(), Fault> {
        for need in &r.needs {
            for (i, c) in need.candidates.iter().enumerate() {
                self.case_id.append_value(r.case_id.as_str());
                self.matched_at.push(micros(&r.at));
                self.consent_checked.push(r.consent_checked);
                self.domain.append_value(need.domain.as_str());
                self.considered.push(need.considered);
                self.eligible.push(need.eligible);
                self.rank.push(u32_of(i + 1, "rank")?);
                self.push_candidate(c)?;
            }
        }
        Ok(())
    }

    fn push_candidate(&mut self, c: &Candidate) -> Result<(), Fault> {
        self.service_id.append_value(c.service_id.as_str());
        self.organization_id
            .append_value(c.organization_id.as_str());
        self.organization_kind
            .push(Some(c.organization_kind.key()))?;
        self.score.push(c.score);
        self.distance_km.push(c.distance_km);
        push_withheld(
            &mut self.withheld,
            &mut self.withheld_distance_band,
            c.withheld.as_ref(),
        )?;
        for step in &c.pathway {
            self.pathway.push(Some(step.key()))?;
        }
        self.pathway_ends.close(self.pathway.len())?;
        self.also_covers
            .push(Some(c.also_covers.iter().map(|d| d.as_str())));
        for f in &c.factors {
            self.factors.push(f)?;
        }
        self.factor_ends.close(self.factors.value.len())?;
        Ok(())
    }

    fn finish(mut self) -> Result<RecordBatch, Fault> {
        let columns: Vec<(&str, ArrayRef, bool)> = vec![
            ("case_id", Arc::new(self.case_id.finish()), false),
            ("matched_at", utc_micros(self.matched_at), false),
            (
                "consent_checked",
                Arc::new(BooleanArray::from(self.consent_checked)),
                false,
            ),
            ("domain", Arc::new(self.domain.finish()), false),
            (
                "considered",
                Arc::new(UInt32Array::from(self.considered)),
                false,
            ),
            (
                "eligible",
                Arc::new(UInt32Array::from(self.eligible)),
                false,
            ),
            ("rank", Arc::new(UInt32Array::from(self.rank)), false),
            ("service_id", Arc::new(self.service_id.finish()), false),
            (
                "organization_id",
                Arc::new(self.organization_id.finish()),
                false,
            ),
            ("organization_kind", self.organization_kind.finish()?, false),
            ("score", Arc::new(Float64Array::from(self.score)), false),
            (
                "distance_km",
                Arc::new(Float64Array::from(self.distance_km)),
                true,
            ),
            ("withheld", self.withheld.finish()?, true),
            (
                "withheld_distance_band",
                self.withheld_distance_band.finish()?,
                true,
            ),
            (
                "pathway",
                self.pathway_ends.finish(self.pathway.finish()?)?,
                false,
            ),
            ("also_covers", self.also_covers.finish(), false),
            (
                "factors",
                self.factor_ends.finish(self.factors.finish()?)?,
                false,
            ),
        ];
        record_batch(MATCHES, columns).map_err(|e| fault(e.to_string()))
    }
}

/// Append what is withheld of a candidate or near miss: the reason and the band, or nulls.
fn push_withheld(
    reason: &mut Codes,
    band: &mut Codes,
    withheld: Option<&Withheld>,
) -> Result<(), Fault> {
    reason.push(withheld.map(|w| w.reason.key()))?;
    band.push(
        withheld
            .and_then(|w| w.distance_band)
            .map(DistanceBand::key),
    )
}

/// Match results as a matches table (`beside.matches/1`, see the module docs): one row per
/// candidate of each need of each result, best first, with its score factor by factor.
pub fn matches_table(results: &[MatchResult]) -> Result<RecordBatch, MatchError> {
    let mut w = MatchesWriter::new();
    for r in results {
        w.push(r).map_err(match_error)?;
    }
    w.finish().map_err(match_error)
}

/// [`matches_table`] as Arrow IPC stream bytes.
pub fn matches_ipc(results: &[MatchResult]) -> Result<Vec<u8>, MatchError> {
    write_ipc_stream(&matches_table(results)?).map_err(|e| match_error(fault(e.to_string())))
}

// ---------------------------------------------------------------------------------------------
// The exclusions table.

/// The figures of one exclusion, as the exclusions table holds them.
#[derive(Default)]
struct ExclusionRow<'r> {
    status: Option<ServiceStatus>,
    capacity: Option<i64>,
    age: Option<u32>,
    min_age: Option<u32>,
    max_age: Option<u32>,
    served: Option<Vec<&'r str>>,
    home_area: Option<&'r AreaPath>,
    decided_by: Option<AreaTest>,
    distance_km: Option<f64>,
    limit_km: Option<f64>,
    distance_band: Option<DistanceBand>,
    veto: Option<&'static str>,
    veto_id: Option<&'r str>,
    veto_kind: Option<OrganizationKind>,
    veto_area: Option<&'r AreaPath>,
    concern: Option<SafetyConcern>,
    consent_reasons: Option<&'r [String]>,
}

/// The figures of one exclusion.
fn exclusion_row(e: &Exclusion) -> ExclusionRow<'_> {
    match e {
        Exclusion::Inactive { status } => ExclusionRow {
            status: Some(*status),
            ..ExclusionRow::default()
        },
        Exclusion::NoCapacity { capacity } => ExclusionRow {
            capacity: Some(*capacity),
            ..ExclusionRow::default()
        },
        Exclusion::AgeOutsideRange {
            age,
            min_age,
            max_age,
        } => ExclusionRow {
            age: Some(*age),
            min_age: *min_age,
            max_age: *max_age,
            ..ExclusionRow::default()
        },
        Exclusion::GenderNotServed { served } => ExclusionRow {
            served: Some(served.iter().map(|g| g.key()).collect()),
            ..ExclusionRow::default()
        },
        Exclusion::NationalityNotServed { served } => ExclusionRow {
            served: Some(served.iter().map(String::as_str).collect()),
            ..ExclusionRow::default()
        },
        Exclusion::RequiresFormalIdentification => ExclusionRow::default(),
        Exclusion::OutsideServiceArea {
            home_area,
            decided_by,
        } => ExclusionRow {
            home_area: Some(home_area),
            decided_by: Some(*decided_by),
            ..ExclusionRow::default()
        },
        Exclusion::BeyondTravelLimit {
            distance_km,
            limit_km,
        } => ExclusionRow {
            distance_km: Some(*distance_km),
            limit_km: Some(*limit_km),
            ..ExclusionRow::default()
        },
        Exclusion::BeyondTravelLimitBand {
            distance_band,
            limit_km,
        } => ExclusionRow {
            distance_band: Some(*distance_band),
            limit_km: Some(*limit_km),
            ..ExclusionRow::default()
        },
        Exclusion::Vetoed { veto } => {
            let row = ExclusionRow {
                veto: Some(veto.key()),
                ..ExclusionRow::default()
            };
            match veto {
                Veto::Organization { id } => ExclusionRow {
                    veto_id: Some(id.as_str()),
                    ..row
                },
                Veto::Service { id } => ExclusionRow {
                    veto_id: Some(id.as_str()),
                    ..row
                },
                Veto::Kind { kind } => ExclusionRow {
                    veto_kind: Some(*kind),
                    ..row
                },
                Veto::Area { area } => ExclusionRow {
                    veto_area: Some(area),
                    ..row
                },
            }
        }
        Exclusion::FlaggedUnsafe { concern } => ExclusionRow {
            concern: Some(*concern),
            ..ExclusionRow::default()
        },
        Exclusion::NoConsent { reasons } => ExclusionRow {
            consent_reasons: Some(reasons),
            ..ExclusionRow::default()
        },
    }
}

/// The columns of an exclusions table, filled need by need.
struct ExclusionsWriter {
    case_id: StringBuilder,
    matched_at: Vec<i64>,
    domain: StringBuilder,
    near_miss: Vec<bool>,
    code: Codes,
    count: Vec<Option<u32>>,
    service_id: StringBuilder,
    organization_id: StringBuilder,
    score_if_included: Vec<Option<f64>>,
    withheld: Codes,
    withheld_distance_band: Codes,
    status: Codes,
    capacity: Vec<Option<i64>>,
    age: Vec<Option<u32>>,
    min_age: Vec<Option<u32>>,
    max_age: Vec<Option<u32>>,
    served: Texts,
    home_area: Texts,
    decided_by: Codes,
    distance_km: Vec<Option<f64>>,
    limit_km: Vec<Option<f64>>,
    distance_band: Codes,
    veto: Codes,
    veto_id: StringBuilder,
    veto_kind: Codes,
    veto_area: Texts,
    concern: Codes,
    consent_reasons: Texts,
}

impl ExclusionsWriter {
    fn new() -> Self {
        ExclusionsWriter {
            case_id: StringBuilder::new(),
            matched_at: Vec::new(),
            domain: StringBuilder::new(),
            near_miss: Vec::new(),
            code: Codes::new(ExclusionCode::ALL.map(ExclusionCode::key)),
            count: Vec::new(),
            service_id: StringBuilder::new(),
            organization_id: StringBuilder::new(),
            score_if_included: Vec::new(),
            withheld: withheld_codes(),
            withheld_distance_band: band_codes(),
            status: Codes::new(ServiceStatus::ALL.map(ServiceStatus::key)),
            capacity: Vec::new(),
            age: Vec::new(),
            min_age: Vec::new(),
            max_age: Vec::new(),
            served: Texts::new(),
            home_area: Texts::new(),
            decided_by: Codes::new(AreaTest::ALL.map(AreaTest::key)),
            distance_km: Vec::new(),
            limit_km: Vec::new(),
            distance_band: band_codes(),
            veto: Codes::new(VETO_CODES),
            veto_id: StringBuilder::new(),
            veto_kind: Codes::new(OrganizationKind::ALL.map(OrganizationKind::key)),
            veto_area: Texts::new(),
            concern: Codes::new(SafetyConcern::ALL.map(SafetyConcern::key)),
            consent_reasons: Texts::new(),
        }
    }

    /// Append the rows of one result.
    fn push(&mut self, r: &MatchResult) -> Result<(), Fault> {
        for need in &r.needs {
            let head = |w: &mut Self, near_miss: bool| {
                w.case_id.append_value(r.case_id.as_str());
                w.matched_at.push(micros(&r.at));
                w.domain.append_value(need.domain.as_str());
                w.near_miss.push(near_miss);
            };
            for c in &need.exclusions {
                head(self, false);
                self.code.push(Some(c.code.key()))?;
                self.count.push(Some(c.count));
                self.service_id.append_null();
                self.organization_id.append_null();
                self.score_if_included.push(None);
                push_withheld(&mut self.withheld, &mut self.withheld_distance_band, None)?;
                self.push_figures(&ExclusionRow::default())?;
            }
            for m in &need.near_misses {
                head(self, true);
                self.push_near_miss(m)?;
            }
        }
        Ok(())
    }

    fn push_near_miss(&mut self, m: &NearMiss) -> Result<(), Fault> {
        self.code.push(Some(m.exclusion.code().key()))?;
        self.count.push(None);
        self.service_id.append_value(m.service_id.as_str());
        self.organization_id
            .append_value(m.organization_id.as_str());
        self.score_if_included.push(Some(m.score_if_included));
        push_withheld(
            &mut self.withheld,
            &mut self.withheld_distance_band,
            m.withheld.as_ref(),
        )?;
        self.push_figures(&exclusion_row(&m.exclusion))
    }

    fn push_figures(&mut self, e: &ExclusionRow<'_>) -> Result<(), Fault> {
        self.status.push(e.status.map(ServiceStatus::key))?;
        self.capacity.push(e.capacity);
        self.age.push(e.age);
        self.min_age.push(e.min_age);
        self.max_age.push(e.max_age);
        self.served
            .push(e.served.as_ref().map(|s| s.iter().copied()));
        self.home_area.push(e.home_area.map(parts));
        self.decided_by.push(e.decided_by.map(AreaTest::key))?;
        self.distance_km.push(e.distance_km);
        self.limit_km.push(e.limit_km);
        self.distance_band
            .push(e.distance_band.map(DistanceBand::key))?;
        self.veto.push(e.veto)?;
        self.veto_id.append_option(e.veto_id);
        self.veto_kind
            .push(e.veto_kind.map(OrganizationKind::key))?;
        self.veto_area.push(e.veto_area.map(parts));
        self.concern.push(e.concern.map(SafetyConcern::key))?;
        self.consent_reasons
            .push(e.consent_reasons.map(|r| r.iter().map(String::as_str)));
        Ok(())
    }

    fn finish(mut self) -> Result<RecordBatch, Fault> {
        let columns: Vec<(&str, ArrayRef, bool)> = vec![
            ("case_id", Arc::new(self.case_id.finish()), false),
            ("matched_at", utc_micros(self.matched_at), false),
            ("domain", Arc::new(self.domain.finish()), false),
            (
                "near_miss",
                Arc::new(BooleanArray::from(self.near_miss)),
                false,
            ),
            ("code", self.code.finish()?, false),
            ("count", Arc::new(UInt32Array::from(self.count)), true),
            ("service_id", Arc::new(self.service_id.finish()), true),
            (
                "organization_id",
                Arc::new(self.organization_id.finish()),
                true,
            ),
            (
                "score_if_included",
                Arc::new(Float64Array::from(self.score_if_included)),
                true,
            ),
            ("withheld", self.withheld.finish()?, true),
            (
                "withheld_distance_band",
                self.withheld_distance_band.finish()?,
                true,
            ),
            ("status", self.status.finish()?, true),
            ("capacity", Arc::new(Int64Array::from(self.capacity)), true),
            ("age", Arc::new(UInt32Array::from(self.age)), true),
            ("min_age", Arc::new(UInt32Array::from(self.min_age)), true),
            ("max_age", Arc::new(UInt32Array::from(self.max_age)), true),
            ("served", self.served.finish(), true),
            ("home_area", self.home_area.finish(), true),
            ("decided_by", self.decided_by.finish()?, true),
            (
                "distance_km",
                Arc::new(Float64Array::from(self.distance_km)),
                true,
            ),
            (
                "limit_km",
                Arc::new(Float64Array::from(self.limit_km)),
                true,
            ),
            ("distance_band", self.distance_band.finish()?, true),
            ("veto", self.veto.finish()?, true),
            ("veto_id", Arc::new(self.veto_id.finish()), true),
            ("veto_kind", self.veto_kind.finish()?, true),
            ("veto_area", self.veto_area.finish(), true),
            ("concern", self.concern.finish()?, true),
            ("consent_reasons", self.consent_reasons.finish(), true),
        ];
        record_batch(EXCLUSIONS, columns).map_err(|e| fault(e.to_string()))
    }
}

/// The exclusions of match results as an exclusions table (`beside.exclusions/1`, see the
/// module docs): per need, one row per exclusion count, then one per near miss with the figures
/// of its exclusion.
pub fn exclusions_table(results: &[MatchResult]) -> Result<RecordBatch, MatchError> {
    let mut w = ExclusionsWriter::new();
    for r in results {
        w.push(r).map_err(match_error)?;
    }
    w.finish().map_err(match_error)
}

/// [`exclusions_table`] as Arrow IPC stream bytes.
pub fn exclusions_ipc(results: &[MatchResult]) -> Result<Vec<u8>, MatchError> {
    write_ipc_stream(&exclusions_table(results)?).map_err(|e| match_error(fault(e.to_string())))
}

// ---------------------------------------------------------------------------------------------
// The gaps table.

/// A gap table as a gaps table (`beside.gaps/1`, see the module docs): one row per area and
/// need, with the services only on paper listed and counted per reason.
pub fn gaps_table(gaps: &[AreaNeedGap]) -> Result<RecordBatch, MatchError> {
    gaps_batch(gaps).map_err(match_error)
}

/// [`gaps_table`] as Arrow IPC stream bytes.
pub fn gaps_ipc(gaps: &[AreaNeedGap]) -> Result<Vec<u8>, MatchError> {
    write_ipc_stream(&gaps_table(gaps)?).map_err(|e| match_error(fault(e.to_string())))
}

fn gaps_batch(gaps: &[AreaNeedGap]) -> Result<RecordBatch, Fault> {
    let mut area = Texts::new();
    let mut domain = StringBuilder::new();
    let mut listed = Vec::with_capacity(gaps.len());
    let mut reachable = Vec::with_capacity(gaps.len());
    let mut paper_only_count = Vec::with_capacity(gaps.len());
    let mut by_reason: [Vec<u32>; 5] = Default::default();
    let mut service_id = StringBuilder::new();
    let mut reasons = Codes::new(PaperReason::ALL.map(PaperReason::key));
    let mut reason_ends = Ends::new();
    let mut paper_ends = Ends::new();
    let mut paper_items = 0usize;
    for g in gaps {
        area.push(Some(parts(&g.area)));
        domain.append_value(g.domain.as_str());
        listed.push(g.listed);
        reachable.push(g.reachable);
        paper_only_count.push(u32_of(g.paper_only.len(), "paper-only services")?);
        for (column, reason) in by_reason.iter_mut().zip(PaperReason::ALL) {
            let n = g
                .paper_only
                .iter()
                .filter(|p| p.reasons.contains(&reason))
                .count();
            column.push(u32_of(n, "paper-only services")?);
        }
        for p in &g.paper_only {
            service_id.append_value(p.service_id.as_str());
            for r in &p.reasons {
                reasons.push(Some(r.key()))?;
            }
            reason_ends.close(reasons.len())?;
        }
        paper_items += g.paper_only.len();
        paper_ends.close(paper_items)?;
    }
    let paper_only = structs(vec![
        ("service_id", Arc::new(service_id.finish()), false),
        ("reasons", reason_ends.finish(reasons.finish()?)?, false),
    ])?;
    let mut columns: Vec<(&str, ArrayRef, bool)> = vec![
        ("area", area.finish(), false),
        ("domain", Arc::new(domain.finish()), false),
        ("listed", Arc::new(UInt32Array::from(listed)), false),
        ("reachable", Arc::new(UInt32Array::from(reachable)), false),
        (
            "paper_only_count",
            Arc::new(UInt32Array::from(paper_only_count)),
            false,
        ),
    ];
    for (name, counts) in PAPER_REASON_COLUMNS.into_iter().zip(by_reason) {
        columns.push((name, Arc::new(UInt32Array::from(counts)), false));
    }
    columns.push(("paper_only", paper_ends.finish(paper_only)?, false));
    record_batch(GAPS, columns).map_err(|e| fault(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// The assignments table.

/// The figures of one decision: places needed and filled, their cost, and the shortfall.
struct OutcomeRow<'r> {
    demand: u32,
    units: u32,
    cost: i64,
    shortfall: Option<&'r Shortfall>,
}

/// The figures of one decision. An `assigned` case needed the places it got; an `unassigned`
/// one got none, at no cost.
fn outcome_row(o: &CaseOutcome) -> OutcomeRow<'_> {
    match o {
        CaseOutcome::Assigned { units, cost } => OutcomeRow {
            demand: *units,
            units: *units,
            cost: *cost,
            shortfall: None,
        },
        CaseOutcome::PartlyAssigned {
            units,
            demand,
            cost,
            shortfall,
        } => OutcomeRow {
            demand: *demand,
            units: *units,
            cost: *cost,
            shortfall: Some(shortfall),
        },
        CaseOutcome::Unassigned { demand, shortfall } => OutcomeRow {
            demand: *demand,
            units: 0,
            cost: 0,
            shortfall: Some(shortfall),
        },
    }
}

/// The figures of a shortfall: eligible services, places, and those held by higher and by the
/// same priority, each null where the reason has none.
type ShortfallFigures = (Option<u32>, Option<u64>, Option<u64>, Option<u64>);

fn shortfall_figures(s: &Shortfall) -> ShortfallFigures {
    match s {
        Shortfall::NoEligibleService => (None, None, None, None),
        Shortfall::NoCapacity { eligible_services } => (Some(*eligible_services), None, None, None),
        Shortfall::OutrankedByHigherPriority {
            eligible_services,
            places,
            held_by_higher_priority,
        } => (
            Some(*eligible_services),
            Some(*places),
            Some(*held_by_higher_priority),
            None,
        ),
        Shortfall::CapacityExhausted {
            eligible_services,
            places,
            held_by_higher_priority,
            held_by_same_priority,
        } => (
            Some(*eligible_services),
            Some(*places),
            Some(*held_by_higher_priority),
            Some(*held_by_same_priority),
        ),
    }
}

/// The columns of an assignments table, filled case by case.
struct AssignmentsWriter {
    case_id: StringBuilder,
    weight: Vec<u32>,
    outcome: Codes,
    demand: Vec<u32>,
    units: Vec<u32>,
    cost: Vec<i64>,
    service_id: StringBuilder,
    placement_service: StringBuilder,
    placement_units: Vec<u32>,
    placement_unit_cost: Vec<i64>,
    placement_cost: Vec<i64>,
    placement_ends: Ends,
    shortfall: Codes,
    eligible_services: Vec<Option<u32>>,
    places: Vec<Option<u64>>,
    held_by_higher_priority: Vec<Option<u64>>,
    held_by_same_priority: Vec<Option<u64>>,
}

impl AssignmentsWriter {
    fn new() -> Self {
        AssignmentsWriter {
            case_id: StringBuilder::new(),
            weight: Vec::new(),
            outcome: Codes::new(OUTCOME_CODES),
            demand: Vec::new(),
            units: Vec::new(),
            cost: Vec::new(),
            service_id: StringBuilder::new(),
            placement_service: StringBuilder::new(),
            placement_units: Vec::new(),
            placement_unit_cost: Vec::new(),
            placement_cost: Vec::new(),
            placement_ends: Ends::new(),
            shortfall: Codes::new(SHORTFALL_CODES),
            eligible_services: Vec::new(),
            places: Vec::new(),
            held_by_higher_priority: Vec::new(),
            held_by_same_priority: Vec::new(),
        }
    }

    fn push(&mut self, c: &CaseAssignment) -> Result<(), Fault> {
        let o = outcome_row(&c.outcome);
        self.case_id.append_value(c.case.as_str());
        self.weight.push(c.weight);
        self.outcome.push(Some(c.outcome.key()))?;
        self.demand.push(o.demand);
        self.units.push(o.units);
        self.cost.push(o.cost);
        self.service_id
            .append_option(match c.placements.as_slice() {
                [one] => Some(one.service.as_str()),
                _ => None,
            });
        for p in &c.placements {
            self.placement_service.append_value(p.service.as_str());
            self.placement_units.push(p.units);
            self.placement_unit_cost.push(p.unit_cost);
            self.placement_cost.push(p.cost);
        }
        self.placement_ends.close(self.placement_units.len())?;
        self.shortfall.push(o.shortfall.map(Shortfall::key))?;
        let (eligible, places, higher, same) = o
            .shortfall
            .map_or((None, None, None, None), shortfall_figures);
        self.eligible_services.push(eligible);
        self.places.push(places);
        self.held_by_higher_priority.push(higher);
        self.held_by_same_priority.push(same);
        Ok(())
    }

    fn finish(mut self) -> Result<RecordBatch, Fault> {
        let placements = structs(vec![
            (
                "service_id",
                Arc::new(self.placement_service.finish()),
                false,
            ),
            (
                "units",
                Arc::new(UInt32Array::from(self.placement_units)),
                false,
            ),
            (
                "unit_cost",
                Arc::new(Int64Array::from(self.placement_unit_cost)),
                false,
            ),
            (
                "cost",
                Arc::new(Int64Array::from(self.placement_cost)),
                false,
            ),
        ])?;
        let columns: Vec<(&str, ArrayRef, bool)> = vec![
            ("case_id", Arc::new(self.case_id.finish()), false),
            ("weight", Arc::new(UInt32Array::from(self.weight)), false),
            ("outcome", self.outcome.finish()?, false),
            ("demand", Arc::new(UInt32Array::from(self.demand)), false),
            ("units", Arc::new(UInt32Array::from(self.units)), false),
            ("cost", Arc::new(Int64Array::from(self.cost)), false),
            ("service_id", Arc::new(self.service_id.finish()), true),
            ("placements", self.placement_ends.finish(placements)?, false),
            ("shortfall", self.shortfall.finish()?, true),
            (
                "eligible_services",
                Arc::new(UInt32Array::from(self.eligible_services)),
                true,
            ),
            ("places", Arc::new(UInt64Array::from(self.places)), true),
            (
                "held_by_higher_priority",
                Arc::new(UInt64Array::from(self.held_by_higher_priority)),
                true,
            ),
            (
                "held_by_same_priority",
                Arc::new(UInt64Array::from(self.held_by_same_priority)),
                true,
            ),
        ];
        record_batch(ASSIGNMENTS, columns).map_err(|e| fault(e.to_string()))
    }
}

/// A batch assignment as an assignments table (`beside.assignments/1`, see the module docs):
/// one row per case, with its decision, its placements and the figures of its shortfall.
pub fn assignments_table(assignment: &Assignment) -> Result<RecordBatch, AssignError> {
    let mut w = AssignmentsWriter::new();
    for c in &assignment.cases {
        w.push(c).map_err(assign_error)?;
    }
    w.finish().map_err(assign_error)
}

/// [`assignments_table`] as Arrow IPC stream bytes.
pub fn assignments_ipc(assignment: &Assignment) -> Result<Vec<u8>, AssignError> {
    write_ipc_stream(&assignments_table(assignment)?)
        .map_err(|e| assign_error(fault(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::synthetic::{generate, CaseloadSpec};
    use crate::assign::{solve, AssignCase, AssignmentTotals, Placement};
    use crate::directory::{Directory, GenderServed};
    use crate::gaps::{AreaLanguages, GapQuery, PaperOnly};
    use crate::matching::{
        ConsentNotChecked, ExclusionCount, MatchConfig, MatchIndex, MatchRequest, Money, NeedMatch,
        SafetyFlag,
    };
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type, UInt32Type, UInt64Type};
    use arrow_array::Array;
    use beside_core::table::{read_ipc_stream, SCHEMA_KEY};
    use beside_core::{
        from_json, CaseId, CaseProfile, DomainKey, OrganizationId, ServiceId, Timestamp,
    };
    use chrono::{TimeZone as _, Utc};
    use serde::Serialize;
    use serde_json::json;

    const DIRECTORY: &str = include_str!("../../../data/samples/directory.json");
    const CASES: &str = include_str!("../../../data/samples/cases.json");

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap()
    }

    fn index() -> MatchIndex {
        let d: Directory = from_json(DIRECTORY).unwrap();
        MatchIndex::new(d).unwrap()
    }

    /// The bundled sample cases matched against the bundled directory, for six needs, some
    /// with vetoes and safety flags, preferences, means, and short travel limits, so that the
    /// results hold many kinds of factor, exclusion and near miss.
    fn sample_results(index: &MatchIndex) -> Vec<MatchResult> {
        let cases: Vec<CaseProfile> = from_json(CASES).unwrap();
        let needs: Vec<DomainKey> = [
            "shelter",
            "mental_health",
            "legal",
            "livelihood",
            "documents",
            "food",
        ]
        .iter()
        .map(|n| DomainKey::new(n).unwrap())
        .collect();
        let first_org = index.directory().organizations[0].id.clone();
        cases
            .iter()
            .enumerate()
            .map(|(i, case)| {
                let mut req = MatchRequest::from_case(case, needs.clone(), now());
                match i % 4 {
                    0 => {
                        req.vetoes = vec![Veto::Kind {
                            kind: OrganizationKind::Police,
                        }];
                        req.safety_flags = vec![SafetyFlag {
                            organization_id: first_org.clone(),
                            concern: SafetyConcern::PriorHarm,
                        }];
                    }
                    1 => {
                        req.preferences.female_staff = true;
                        req.preferences.trauma_informed = true;
                        req.can_pay = Some(Money {
                            amount: 5_000,
                            currency: "BDT".into(),
                        });
                    }
                    2 => req.travel_limit_km = Some(4.0),
                    _ => {}
                }
                index
                    .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
                    .unwrap()
            })
            .collect()
    }

    /// The one batch of a table written as IPC bytes, checking the schema's name.
    fn read(bytes: &[u8], name: &str) -> RecordBatch {
        let (schema, batches) = read_ipc_stream(bytes).unwrap();
        assert_eq!(
            schema.metadata().get(SCHEMA_KEY).map(String::as_str),
            Some(name)
        );
        assert_eq!(batches.len(), 1);
        batches.into_iter().next().unwrap()
    }

    fn names(b: &RecordBatch) -> Vec<String> {
        b.schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    // Typed reads of a column (of a batch or of a struct array), a value per row.

    fn texts(a: &ArrayRef) -> Vec<Option<String>> {
        let s = a.as_string::<i32>();
        (0..s.len())
            .map(|i| s.is_valid(i).then(|| s.value(i).to_owned()))
            .collect()
    }

    fn codes(a: &ArrayRef) -> Vec<Option<String>> {
        let d = a.as_dictionary::<Int8Type>();
        let values = d.values().as_string::<i32>();
        d.keys()
            .iter()
            .map(|k| k.map(|k| values.value(usize::try_from(k).unwrap()).to_owned()))
            .collect()
    }

    fn u32s(a: &ArrayRef) -> Vec<Option<u32>> {
        a.as_primitive::<UInt32Type>().iter().collect()
    }

    fn u64s(a: &ArrayRef) -> Vec<Option<u64>> {
        a.as_primitive::<UInt64Type>().iter().collect()
    }

    fn i64s(a: &ArrayRef) -> Vec<Option<i64>> {
        a.as_primitive::<Int64Type>().iter().collect()
    }

    fn f64s(a: &ArrayRef) -> Vec<Option<f64>> {
        a.as_primitive::<Float64Type>().iter().collect()
    }

    fn bools(a: &ArrayRef) -> Vec<bool> {
        a.as_boolean().iter().map(Option::unwrap).collect()
    }

    /// Each row's list, `None` for a null list.
    fn lists(a: &ArrayRef) -> Vec<Option<ArrayRef>> {
        let l = a.as_list::<i32>();
        (0..l.len())
            .map(|i| l.is_valid(i).then(|| l.value(i)))
            .collect()
    }

    fn text_lists(a: &ArrayRef) -> Vec<Option<Vec<String>>> {
        lists(a)
            .into_iter()
            .map(|l| l.map(|l| texts(&l).into_iter().map(Option::unwrap).collect()))
            .collect()
    }

    fn code_lists(a: &ArrayRef) -> Vec<Vec<String>> {
        lists(a)
            .into_iter()
            .map(|l| codes(&l.unwrap()).into_iter().map(Option::unwrap).collect())
            .collect()
    }

    fn col<'b>(b: &'b RecordBatch, name: &str) -> &'b ArrayRef {
        b.column_by_name(name)
            .unwrap_or_else(|| panic!("no column `{name}`"))
    }

    fn field<'s>(s: &'s StructArray, name: &str) -> &'s ArrayRef {
        s.column_by_name(name)
            .unwrap_or_else(|| panic!("no field `{name}`"))
    }

    /// The value of a unit enum whose key is `key`, from its `ALL`.
    fn by_key<T: Copy>(all: &[T], key: impl Fn(T) -> &'static str, code: &str) -> T {
        *all.iter()
            .find(|t| key(**t) == code)
            .unwrap_or_else(|| panic!("no value keyed `{code}`"))
    }

    fn area(parts: Vec<String>) -> AreaPath {
        AreaPath::new(parts).unwrap()
    }

    /// Whether `row` has a value in exactly the `used` columns of `all`.
    fn nulls_elsewhere(all: &[(&str, Vec<bool>)], row: usize, used: &[&str], what: &str) {
        for (name, valid) in all {
            assert_eq!(
                valid[row],
                used.contains(name),
                "{what}, row {row}: column `{name}` should be {}",
                if used.contains(name) { "set" } else { "null" }
            );
        }
    }

    fn validity(a: &ArrayRef) -> Vec<bool> {
        (0..a.len()).map(|i| a.is_valid(i)).collect()
    }

    /// The factors of one candidate, read back from its `factors` list.
    fn read_factors(list: &ArrayRef, what: &str) -> Vec<ScoreFactor> {
        let s = list.as_struct();
        let get = |n: &str| field(s, n);
        let (factor, basis) = (codes(get("factor")), codes(get("basis")));
        let (value, weight, points) =
            (f64s(get("value")), f64s(get("weight")), f64s(get("points")));
        let (distance_km, limit_km) = (f64s(get("distance_km")), f64s(get("limit_km")));
        let band = codes(get("distance_band"));
        let language = texts(get("language"));
        let (met, wanted) = (u32s(get("met")), u32s(get("wanted")));
        let (fee, can_pay) = (u64s(get("fee")), u64s(get("can_pay")));
        let places = i64s(get("places"));
        let (covered, requested) = (u32s(get("covered")), u32s(get("requested")));
        let figures: Vec<(&str, Vec<bool>)> = [
            "distance_km",
            "limit_km",
            "distance_band",
            "language",
            "met",
            "wanted",
            "fee",
            "can_pay",
            "places",
            "covered",
            "requested",
        ]
        .into_iter()
        .map(|n| (n, validity(get(n))))
        .collect();
        (0..s.len())
            .map(|j| {
                let code = basis[j].clone().unwrap();
                let (b, used): (FactorBasis, &[&str]) = match code.as_str() {
                    "distance" => (
                        FactorBasis::Distance {
                            distance_km: distance_km[j].unwrap(),
                            limit_km: limit_km[j].unwrap(),
                        },
                        &["distance_km", "limit_km"],
                    ),
                    "distance_band" => (
                        FactorBasis::DistanceBand {
                            distance_band: by_key(
                                &DistanceBand::ALL,
                                DistanceBand::key,
                                band[j].as_deref().unwrap(),
                            ),
                            limit_km: limit_km[j].unwrap(),
                        },
                        &["distance_band", "limit_km"],
                    ),
                    "outreach" => (FactorBasis::Outreach, &[]),
                    "distance_unknown" => (FactorBasis::DistanceUnknown, &[]),
                    "shared_language" => (
                        FactorBasis::SharedLanguage {
                            language: LanguageCode::new(language[j].as_deref().unwrap()).unwrap(),
                        },
                        &["language"],
                    ),
                    "interpretation" => (FactorBasis::Interpretation, &[]),
                    "language_unknown" => (FactorBasis::LanguageUnknown, &[]),
                    "no_shared_language" => (FactorBasis::NoSharedLanguage, &[]),
                    "preferences_met" => (
                        FactorBasis::PreferencesMet {
                            met: met[j].unwrap(),
                            wanted: wanted[j].unwrap(),
                        },
                        &["met", "wanted"],
                    ),
                    "no_preferences" => (FactorBasis::NoPreferences, &[]),
                    "free" => (FactorBasis::Free, &[]),
                    "affordable" => (
                        FactorBasis::Affordable {
                            fee: fee[j].unwrap(),
                            can_pay: can_pay[j].unwrap(),
                        },
                        &["fee", "can_pay"],
                    ),
                    "unaffordable" => (
                        FactorBasis::Unaffordable {
                            fee: fee[j].unwrap(),
                            can_pay: can_pay[j].unwrap(),
                        },
                        &["fee", "can_pay"],
                    ),
                    "fee_unknown_means" => (
                        FactorBasis::FeeUnknownMeans {
                            fee: fee[j].unwrap(),
                        },
                        &["fee"],
                    ),
                    "cost_unknown" => (FactorBasis::CostUnknown, &[]),
                    "open_places" => (
                        FactorBasis::OpenPlaces {
                            places: places[j].unwrap(),
                        },
                        &["places"],
                    ),
                    "no_fixed_limit" => (FactorBasis::NoFixedLimit, &[]),
                    "needs_covered" => (
                        FactorBasis::NeedsCovered {
                            covered: covered[j].unwrap(),
                            requested: requested[j].unwrap(),
                        },
                        &["covered", "requested"],
                    ),
                    other => panic!("{what}: unknown basis `{other}`"),
                };
                nulls_elsewhere(&figures, j, used, what);
                ScoreFactor {
                    factor: by_key(&Factor::ALL, Factor::key, factor[j].as_deref().unwrap()),
                    value: value[j].unwrap(),
                    weight: weight[j].unwrap(),
                    points: points[j].unwrap(),
                    basis: b,
                }
            })
            .collect()
    }

    fn withheld_of(reason: Option<String>, band: Option<String>) -> Option<Withheld> {
        match (reason, band) {
            (None, band) => {
                assert_eq!(band, None, "a band without a withheld reason");
                None
            }
            (Some(r), band) => Some(Withheld {
                reason: by_key(&WithheldReason::ALL, WithheldReason::key, &r),
                distance_band: band.map(|b| by_key(&DistanceBand::ALL, DistanceBand::key, &b)),
            }),
        }
    }

    /// Write `results` as a matches table, read it back, and check that its rows are the
    /// candidates, one each, in order, with every figure.
    fn check_matches(results: &[MatchResult]) -> RecordBatch {
        let b = read(&matches_ipc(results).unwrap(), MATCHES);
        let want: Vec<(&MatchResult, &NeedMatch, usize, &Candidate)> = results
            .iter()
            .flat_map(|r| {
                r.needs.iter().flat_map(move |n| {
                    n.candidates
                        .iter()
                        .enumerate()
                        .map(move |(i, c)| (r, n, i, c))
                })
            })
            .collect();
        assert_eq!(b.num_rows(), want.len());
        let case_id = texts(col(&b, "case_id"));
        let matched_at = col(&b, "matched_at")
            .as_primitive::<arrow_array::types::TimestampMicrosecondType>()
            .values()
            .to_vec();
        let consent = bools(col(&b, "consent_checked"));
        let domain = texts(col(&b, "domain"));
        let (considered, eligible, rank) = (
            u32s(col(&b, "considered")),
            u32s(col(&b, "eligible")),
            u32s(col(&b, "rank")),
        );
        let (service, org) = (
            texts(col(&b, "service_id")),
            texts(col(&b, "organization_id")),
        );
        let kind = codes(col(&b, "organization_kind"));
        let (score, distance) = (f64s(col(&b, "score")), f64s(col(&b, "distance_km")));
        let (withheld, band) = (
            codes(col(&b, "withheld")),
            codes(col(&b, "withheld_distance_band")),
        );
        let pathway = code_lists(col(&b, "pathway"));
        let also = text_lists(col(&b, "also_covers"));
        let factors = lists(col(&b, "factors"));
        for (row, (r, n, i, c)) in want.into_iter().enumerate() {
            let what = format!("{} {} #{}", r.case_id, n.domain, i + 1);
            assert_eq!(case_id[row].as_deref(), Some(r.case_id.as_str()), "{what}");
            assert_eq!(matched_at[row], r.at.timestamp_micros(), "{what}");
            assert_eq!(consent[row], r.consent_checked, "{what}");
            assert_eq!(domain[row].as_deref(), Some(n.domain.as_str()), "{what}");
            assert_eq!(considered[row], Some(n.considered), "{what}");
            assert_eq!(eligible[row], Some(n.eligible), "{what}");
            assert_eq!(rank[row], Some(u32::try_from(i + 1).unwrap()), "{what}");
            assert_eq!(
                service[row].as_deref(),
                Some(c.service_id.as_str()),
                "{what}"
            );
            assert_eq!(
                org[row].as_deref(),
                Some(c.organization_id.as_str()),
                "{what}"
            );
            assert_eq!(
                kind[row].as_deref(),
                Some(c.organization_kind.key()),
                "{what}"
            );
            // The very double, not a rounding of it.
            assert_eq!(
                score[row].map(f64::to_bits),
                Some(c.score.to_bits()),
                "{what}"
            );
            assert_eq!(distance[row], c.distance_km, "{what}");
            assert_eq!(
                withheld_of(withheld[row].clone(), band[row].clone()),
                c.withheld,
                "{what}"
            );
            let steps: Vec<&str> = c.pathway.iter().map(|s| s.key()).collect();
            assert_eq!(pathway[row], steps, "{what}");
            let covers: Vec<&str> = c.also_covers.iter().map(DomainKey::as_str).collect();
            assert_eq!(also[row].clone().unwrap(), covers, "{what}");
            let read = read_factors(factors[row].as_ref().unwrap(), &what);
            assert_eq!(read, c.factors.to_vec(), "{what}");
        }
        b
    }

    /// One row of an exclusions table, as the records say it.
    #[derive(Debug, PartialEq)]
    enum ExclusionRowOf {
        Count(ExclusionCount),
        NearMiss(NearMiss),
    }

    /// The exclusion of a near-miss row, read back from its figures, checking that every
    /// figure column it does not use is null.
    fn read_exclusion(b: &RecordBatch, row: usize, code: &str, what: &str) -> Exclusion {
        let text = |n: &str| texts(col(b, n)).swap_remove(row);
        let code_of = |n: &str| codes(col(b, n)).swap_remove(row);
        let u32_of = |n: &str| u32s(col(b, n))[row];
        let f64_of = |n: &str| f64s(col(b, n))[row];
        let list_of = |n: &str| text_lists(col(b, n)).swap_remove(row);
        let (e, used): (Exclusion, &[&str]) = match code {
            "inactive" => (
                Exclusion::Inactive {
                    status: by_key(
                        &ServiceStatus::ALL,
                        ServiceStatus::key,
                        &code_of("status").unwrap(),
                    ),
                },
                &["status"],
            ),
            "no_capacity" => (
                Exclusion::NoCapacity {
                    capacity: i64s(col(b, "capacity"))[row].unwrap(),
                },
                &["capacity"],
            ),
            "age_outside_range" => {
                let (min, max) = (u32_of("min_age"), u32_of("max_age"));
                let used: &[&str] = match (min.is_some(), max.is_some()) {
                    (true, true) => &["age", "min_age", "max_age"],
                    (true, false) => &["age", "min_age"],
                    (false, true) => &["age", "max_age"],
                    (false, false) => &["age"],
                };
                (
                    Exclusion::AgeOutsideRange {
                        age: u32_of("age").unwrap(),
                        min_age: min,
                        max_age: max,
                    },
                    used,
                )
            }
            "gender_not_served" => (
                Exclusion::GenderNotServed {
                    served: list_of("served")
                        .unwrap()
                        .iter()
                        .map(|g| by_key(&GenderServed::ALL, GenderServed::key, g))
                        .collect(),
                },
                &["served"],
            ),
            "nationality_not_served" => (
                Exclusion::NationalityNotServed {
                    served: list_of("served").unwrap(),
                },
                &["served"],
            ),
            "requires_formal_identification" => (Exclusion::RequiresFormalIdentification, &[]),
            "outside_service_area" => (
                Exclusion::OutsideServiceArea {
                    home_area: area(list_of("home_area").unwrap()),
                    decided_by: by_key(
                        &AreaTest::ALL,
                        AreaTest::key,
                        &code_of("decided_by").unwrap(),
                    ),
                },
                &["home_area", "decided_by"],
            ),
            "beyond_travel_limit" => match code_of("distance_band") {
                None => (
                    Exclusion::BeyondTravelLimit {
                        distance_km: f64_of("distance_km").unwrap(),
                        limit_km: f64_of("limit_km").unwrap(),
                    },
                    &["distance_km", "limit_km"],
                ),
                Some(band) => (
                    Exclusion::BeyondTravelLimitBand {
                        distance_band: by_key(&DistanceBand::ALL, DistanceBand::key, &band),
                        limit_km: f64_of("limit_km").unwrap(),
                    },
                    &["distance_band", "limit_km"],
                ),
            },
            "vetoed" => {
                let (veto, used): (Veto, &[&str]) = match code_of("veto").unwrap().as_str() {
                    "organization" => (
                        Veto::Organization {
                            id: OrganizationId::new(text("veto_id").unwrap()).unwrap(),
                        },
                        &["veto", "veto_id"],
                    ),
                    "service" => (
                        Veto::Service {
                            id: ServiceId::new(text("veto_id").unwrap()).unwrap(),
                        },
                        &["veto", "veto_id"],
                    ),
                    "kind" => (
                        Veto::Kind {
                            kind: by_key(
                                &OrganizationKind::ALL,
                                OrganizationKind::key,
                                &code_of("veto_kind").unwrap(),
                            ),
                        },
                        &["veto", "veto_kind"],
                    ),
                    "area" => (
                        Veto::Area {
                            area: area(list_of("veto_area").unwrap()),
                        },
                        &["veto", "veto_area"],
                    ),
                    other => panic!("{what}: unknown veto `{other}`"),
                };
                (Exclusion::Vetoed { veto }, used)
            }
            "flagged_unsafe" => (
                Exclusion::FlaggedUnsafe {
                    concern: by_key(
                        &SafetyConcern::ALL,
                        SafetyConcern::key,
                        &code_of("concern").unwrap(),
                    ),
                },
                &["concern"],
            ),
            "no_consent" => (
                Exclusion::NoConsent {
                    reasons: list_of("consent_reasons").unwrap(),
                },
                &["consent_reasons"],
            ),
            other => panic!("{what}: unknown exclusion `{other}`"),
        };
        nulls_elsewhere(&figure_validity(b), row, used, what);
        e
    }

    /// The exclusion figure columns with the validity of each row.
    fn figure_validity(b: &RecordBatch) -> Vec<(&'static str, Vec<bool>)> {
        [
            "status",
            "capacity",
            "age",
            "min_age",
            "max_age",
            "served",
            "home_area",
            "decided_by",
            "distance_km",
            "limit_km",
            "distance_band",
            "veto",
            "veto_id",
            "veto_kind",
            "veto_area",
            "concern",
            "consent_reasons",
        ]
        .into_iter()
        .map(|n| (n, validity(col(b, n))))
        .collect()
    }

    /// Write `results` as an exclusions table, read it back, and check that its rows are the
    /// exclusion counts and then the near misses of each need, one each, with every figure.
    fn check_exclusions(results: &[MatchResult]) -> RecordBatch {
        let b = read(&exclusions_ipc(results).unwrap(), EXCLUSIONS);
        let want: Vec<(&MatchResult, &NeedMatch, ExclusionRowOf)> = results
            .iter()
            .flat_map(|r| {
                r.needs.iter().flat_map(move |n| {
                    let counts = n
                        .exclusions
                        .iter()
                        .map(move |c| (r, n, ExclusionRowOf::Count(c.clone())));
                    let misses = n
                        .near_misses
                        .iter()
                        .map(move |m| (r, n, ExclusionRowOf::NearMiss(m.clone())));
                    counts.chain(misses)
                })
            })
            .collect();
        assert_eq!(b.num_rows(), want.len());
        let case_id = texts(col(&b, "case_id"));
        let domain = texts(col(&b, "domain"));
        let near_miss = bools(col(&b, "near_miss"));
        let code = codes(col(&b, "code"));
        let count = u32s(col(&b, "count"));
        let (service, org) = (
            texts(col(&b, "service_id")),
            texts(col(&b, "organization_id")),
        );
        let score = f64s(col(&b, "score_if_included"));
        let (withheld, band) = (
            codes(col(&b, "withheld")),
            codes(col(&b, "withheld_distance_band")),
        );
        let figures = figure_validity(&b);
        for (row, (r, n, record)) in want.into_iter().enumerate() {
            let what = format!("{} {} row {row}", r.case_id, n.domain);
            assert_eq!(case_id[row].as_deref(), Some(r.case_id.as_str()), "{what}");
            assert_eq!(domain[row].as_deref(), Some(n.domain.as_str()), "{what}");
            let c = code[row].clone().unwrap();
            let read = if near_miss[row] {
                assert_eq!(count[row], None, "{what}");
                ExclusionRowOf::NearMiss(NearMiss {
                    service_id: ServiceId::new(service[row].clone().unwrap()).unwrap(),
                    organization_id: OrganizationId::new(org[row].clone().unwrap()).unwrap(),
                    exclusion: read_exclusion(&b, row, &c, &what),
                    score_if_included: score[row].unwrap(),
                    withheld: withheld_of(withheld[row].clone(), band[row].clone()),
                })
            } else {
                assert_eq!(
                    (&service[row], &org[row], score[row], &withheld[row]),
                    (&None, &None, None, &None),
                    "{what}"
                );
                nulls_elsewhere(&figures, row, &[], &what);
                ExclusionRowOf::Count(ExclusionCount {
                    code: by_key(&ExclusionCode::ALL, ExclusionCode::key, &c),
                    count: count[row].unwrap(),
                })
            };
            assert_eq!(read, record, "{what}");
        }
        b
    }

    #[test]
    fn every_candidate_is_a_row_in_rank_order_with_its_factors() {
        let index = index();
        let results = sample_results(&index);
        let b = check_matches(&results);
        // The sample answers hold enough to make the check mean something.
        assert!(b.num_rows() > 100, "{} rows", b.num_rows());
        let bases: std::collections::BTreeSet<String> = lists(col(&b, "factors"))
            .into_iter()
            .flat_map(|l| codes(field(l.unwrap().as_struct(), "basis")))
            .map(Option::unwrap)
            .collect();
        assert!(bases.len() >= 9, "{bases:?}");
        assert!(f64s(col(&b, "distance_km")).iter().any(Option::is_none));
        assert!(code_lists(col(&b, "pathway")).iter().any(|p| !p.is_empty()));
        // Ranks restart at 1 for every need.
        let needs: usize = results
            .iter()
            .flat_map(|r| &r.needs)
            .filter(|n| !n.candidates.is_empty())
            .count();
        let firsts = u32s(col(&b, "rank"))
            .iter()
            .filter(|r| **r == Some(1))
            .count();
        assert_eq!(firsts, needs);
    }

    #[test]
    fn every_exclusion_count_and_near_miss_is_a_row() {
        let index = index();
        let results = sample_results(&index);
        let b = check_exclusions(&results);
        let codes_seen: std::collections::BTreeSet<String> = codes(col(&b, "code"))
            .into_iter()
            .map(Option::unwrap)
            .collect();
        assert!(codes_seen.len() >= 6, "{codes_seen:?}");
        assert!(codes_seen.contains("vetoed") && codes_seen.contains("flagged_unsafe"));
        // The counts of the table add up to those of the records.
        let table_total: u32 = u32s(col(&b, "count")).into_iter().flatten().sum();
        let record_total: u32 = results
            .iter()
            .flat_map(|r| &r.needs)
            .flat_map(|n| &n.exclusions)
            .map(|c| c.count)
            .sum();
        assert_eq!(table_total, record_total);
        let misses = bools(col(&b, "near_miss")).iter().filter(|m| **m).count();
        let record_misses: usize = results
            .iter()
            .flat_map(|r| &r.needs)
            .map(|n| n.near_misses.len())
            .sum();
        assert_eq!(misses, record_misses);
        assert!(misses > 10, "{misses} near misses");
    }

    /// A candidate of the sample answers, with its factors set to `bases` (in turn).
    fn with_bases(c: &Candidate, bases: &[FactorBasis]) -> Candidate {
        let mut c = c.clone();
        for (f, b) in c.factors.iter_mut().zip(bases.iter().cycle()) {
            f.basis = b.clone();
        }
        c
    }

    fn every_basis() -> Vec<FactorBasis> {
        vec![
            FactorBasis::Distance {
                distance_km: 3.25,
                limit_km: 30.0,
            },
            FactorBasis::DistanceBand {
                distance_band: DistanceBand::From5To20Km,
                limit_km: 30.0,
            },
            FactorBasis::Outreach,
            FactorBasis::DistanceUnknown,
            FactorBasis::SharedLanguage {
                language: LanguageCode::new("ben").unwrap(),
            },
            FactorBasis::Interpretation,
            FactorBasis::LanguageUnknown,
            FactorBasis::NoSharedLanguage,
            FactorBasis::PreferencesMet { met: 1, wanted: 3 },
            FactorBasis::NoPreferences,
            FactorBasis::Free,
            FactorBasis::Affordable {
                fee: 100,
                can_pay: 500,
            },
            FactorBasis::Unaffordable {
                fee: 900,
                can_pay: 500,
            },
            FactorBasis::FeeUnknownMeans { fee: 250 },
            FactorBasis::CostUnknown,
            FactorBasis::OpenPlaces { places: 4 },
            FactorBasis::NoFixedLimit,
            FactorBasis::NeedsCovered {
                covered: 2,
                requested: 3,
            },
        ]
    }

    fn every_exclusion() -> Vec<Exclusion> {
        let home = AreaPath::new(["BD", "Khulna", "Jashore"]).unwrap();
        vec![
            Exclusion::Inactive {
                status: ServiceStatus::Defunct,
            },
            Exclusion::NoCapacity { capacity: 0 },
            Exclusion::AgeOutsideRange {
                age: 16,
                min_age: Some(18),
                max_age: None,
            },
            Exclusion::AgeOutsideRange {
                age: 40,
                min_age: None,
                max_age: Some(35),
            },
            Exclusion::GenderNotServed {
                served: vec![GenderServed::Female, GenderServed::ThirdGender],
            },
            Exclusion::NationalityNotServed {
                served: vec!["BD".into(), "KH".into()],
            },
            Exclusion::RequiresFormalIdentification,
            Exclusion::OutsideServiceArea {
                home_area: home.clone(),
                decided_by: AreaTest::ShapeWithoutCoordinates,
            },
            Exclusion::BeyondTravelLimit {
                distance_km: 41.5,
                limit_km: 40.0,
            },
            Exclusion::BeyondTravelLimitBand {
                distance_band: DistanceBand::Over50Km,
                limit_km: 40.0,
            },
            Exclusion::Vetoed {
                veto: Veto::Organization {
                    id: OrganizationId::new("org-x").unwrap(),
                },
            },
            Exclusion::Vetoed {
                veto: Veto::Service {
                    id: ServiceId::new("svc-x").unwrap(),
                },
            },
            Exclusion::Vetoed {
                veto: Veto::Kind {
                    kind: OrganizationKind::Police,
                },
            },
            Exclusion::Vetoed {
                veto: Veto::Area { area: home },
            },
            Exclusion::FlaggedUnsafe {
                concern: SafetyConcern::ConfidentialityRisk,
            },
            Exclusion::NoConsent {
                reasons: vec!["no_active_consent".into(), "purpose_not_covered".into()],
            },
        ]
    }

    /// A result holding every basis and every exclusion (not one matching makes: a record
    /// may hold any of them), with whereabouts withheld on some.
    fn every_kind_result(sample: &[MatchResult]) -> MatchResult {
        let mut r = sample
            .iter()
            .find(|r| r.needs.iter().any(|n| !n.candidates.is_empty()))
            .unwrap()
            .clone();
        r.needs.truncate(1);
        let need = &mut r.needs[0];
        let template = need.candidates[0].clone();
        let bases = every_basis();
        need.candidates = bases
            .chunks(6)
            .map(|chunk| with_bases(&template, chunk))
            .collect();
        need.candidates[1].withheld = Some(Withheld {
            reason: WithheldReason::ConfidentialLocation,
            distance_band: Some(DistanceBand::From5To20Km),
        });
        need.candidates[1].distance_km = None;
        need.candidates[2].withheld = Some(Withheld {
            reason: WithheldReason::ConfidentialLocation,
            distance_band: None,
        });
        need.candidates[2].pathway = PathwayStep::ALL.to_vec();
        need.near_misses = every_exclusion()
            .into_iter()
            .enumerate()
            .map(|(i, exclusion)| NearMiss {
                service_id: ServiceId::new(format!("svc-{i}")).unwrap(),
                organization_id: OrganizationId::new(format!("org-{i}")).unwrap(),
                withheld: (i % 3 == 0).then_some(Withheld {
                    reason: WithheldReason::ConfidentialLocation,
                    distance_band: (i % 2 == 0).then_some(DistanceBand::Under5Km),
                }),
                exclusion,
                score_if_included: 0.5 + i as f64 / 100.0,
            })
            .collect();
        need.exclusions = ExclusionCode::ALL
            .iter()
            .zip(1..)
            .map(|(&code, count)| ExclusionCount { code, count })
            .collect();
        r
    }

    #[test]
    fn every_basis_exclusion_and_veto_is_written_with_its_figures() {
        let index = index();
        let sample = sample_results(&index);
        let r = every_kind_result(&sample);
        let b = check_matches(std::slice::from_ref(&r));
        assert_eq!(b.num_rows(), 3);
        let b = check_exclusions(std::slice::from_ref(&r));
        assert_eq!(
            b.num_rows(),
            ExclusionCode::ALL.len() + every_exclusion().len()
        );
        // A code the records do not use is still in the dictionary, in its place.
        let d = col(&b, "status").as_dictionary::<Int8Type>();
        assert_eq!(
            texts(d.values()),
            ServiceStatus::ALL
                .map(|s| Some(s.key().to_owned()))
                .to_vec()
        );
    }

    #[test]
    fn gap_rows_count_as_the_records_do() {
        let index = index();
        let d = index.directory();
        let mut areas: Vec<AreaPath> = d.locations.iter().map(|l| l.area.truncated(3)).collect();
        areas.sort();
        areas.dedup();
        let lang = |c: &str, l: &[&str]| AreaLanguages {
            area: AreaPath::new([c]).unwrap(),
            languages: l.iter().map(|l| LanguageCode::new(l).unwrap()).collect(),
        };
        let query = GapQuery {
            areas,
            needs: Vec::new(),
            languages: vec![lang("BD", &["bn"]), lang("KH", &["km"])],
        };
        let gaps = index.gaps(&query).unwrap();
        let b = read(&gaps_ipc(&gaps).unwrap(), GAPS);
        assert_eq!(b.num_rows(), gaps.len());
        assert_eq!(gaps.len(), query.areas.len() * index.domains().len());
        let areas = text_lists(col(&b, "area"));
        let domain = texts(col(&b, "domain"));
        let (listed, reachable, paper_count) = (
            u32s(col(&b, "listed")),
            u32s(col(&b, "reachable")),
            u32s(col(&b, "paper_only_count")),
        );
        let by_reason: Vec<Vec<Option<u32>>> = PAPER_REASON_COLUMNS
            .iter()
            .map(|c| u32s(col(&b, c)))
            .collect();
        let paper = lists(col(&b, "paper_only"));
        for (row, g) in gaps.iter().enumerate() {
            let what = format!("{} {}", g.area, g.domain);
            assert_eq!(area(areas[row].clone().unwrap()), g.area, "{what}");
            assert_eq!(domain[row].as_deref(), Some(g.domain.as_str()), "{what}");
            assert_eq!(listed[row], Some(g.listed), "{what}");
            assert_eq!(reachable[row], Some(g.reachable), "{what}");
            assert_eq!(
                paper_count[row],
                Some(u32::try_from(g.paper_only.len()).unwrap()),
                "{what}"
            );
            assert_eq!(g.listed, g.reachable + paper_count[row].unwrap(), "{what}");
            for (reason, column) in PaperReason::ALL.iter().zip(&by_reason) {
                let n = g
                    .paper_only
                    .iter()
                    .filter(|p| p.reasons.contains(reason))
                    .count();
                assert_eq!(
                    column[row],
                    Some(u32::try_from(n).unwrap()),
                    "{what} {reason:?}"
                );
            }
            let s = paper[row].as_ref().unwrap().as_struct().clone();
            let ids = texts(field(&s, "service_id"));
            let reasons = code_lists(field(&s, "reasons"));
            let read: Vec<PaperOnly> = ids
                .into_iter()
                .zip(reasons)
                .map(|(id, rs)| PaperOnly {
                    service_id: ServiceId::new(id.unwrap()).unwrap(),
                    reasons: rs
                        .iter()
                        .map(|r| by_key(&PaperReason::ALL, PaperReason::key, r))
                        .collect(),
                })
                .collect();
            assert_eq!(read, g.paper_only, "{what}");
        }
        // The sample directory has services only on paper, for several reasons.
        let reasons_seen = by_reason
            .iter()
            .filter(|c| c.iter().any(|n| n.unwrap() > 0))
            .count();
        assert!(reasons_seen >= 3, "{reasons_seen} reasons seen");
    }

    fn shortfall_of(code: &str, figures: ShortfallFigures) -> Shortfall {
        match (code, figures) {
            ("no_eligible_service", (None, None, None, None)) => Shortfall::NoEligibleService,
            ("no_capacity", (Some(eligible_services), None, None, None)) => {
                Shortfall::NoCapacity { eligible_services }
            }
            (
                "outranked_by_higher_priority",
                (Some(eligible_services), Some(places), Some(held_by_higher_priority), None),
            ) => Shortfall::OutrankedByHigherPriority {
                eligible_services,
                places,
                held_by_higher_priority,
            },
            (
                "capacity_exhausted",
                (
                    Some(eligible_services),
                    Some(places),
                    Some(held_by_higher_priority),
                    Some(held_by_same_priority),
                ),
            ) => Shortfall::CapacityExhausted {
                eligible_services,
                places,
                held_by_higher_priority,
                held_by_same_priority,
            },
            other => panic!("a shortfall with other figures: {other:?}"),
        }
    }

    /// Write `a` as an assignments table, read it back, and check that its rows are the cases,
    /// in order, with every figure.
    fn check_assignments(a: &Assignment) -> RecordBatch {
        let b = read(&assignments_ipc(a).unwrap(), ASSIGNMENTS);
        assert_eq!(b.num_rows(), a.cases.len());
        let case_id = texts(col(&b, "case_id"));
        let weight = u32s(col(&b, "weight"));
        let outcome = codes(col(&b, "outcome"));
        let (demand, units, cost) = (
            u32s(col(&b, "demand")),
            u32s(col(&b, "units")),
            i64s(col(&b, "cost")),
        );
        let service = texts(col(&b, "service_id"));
        let placements = lists(col(&b, "placements"));
        let shortfall = codes(col(&b, "shortfall"));
        let eligible = u32s(col(&b, "eligible_services"));
        let places = u64s(col(&b, "places"));
        let (higher, same) = (
            u64s(col(&b, "held_by_higher_priority")),
            u64s(col(&b, "held_by_same_priority")),
        );
        for (row, c) in a.cases.iter().enumerate() {
            let what = format!("case {}", c.case);
            let s = placements[row].as_ref().unwrap().as_struct().clone();
            let read_placements: Vec<Placement> = texts(field(&s, "service_id"))
                .into_iter()
                .zip(u32s(field(&s, "units")))
                .zip(
                    i64s(field(&s, "unit_cost"))
                        .into_iter()
                        .zip(i64s(field(&s, "cost"))),
                )
                .map(|((id, units), (unit_cost, cost))| Placement {
                    service: ServiceId::new(id.unwrap()).unwrap(),
                    units: units.unwrap(),
                    unit_cost: unit_cost.unwrap(),
                    cost: cost.unwrap(),
                })
                .collect();
            let short = shortfall[row].as_deref().map(|code| {
                shortfall_of(code, (eligible[row], places[row], higher[row], same[row]))
            });
            if short.is_none() {
                assert_eq!(
                    (eligible[row], places[row], higher[row], same[row]),
                    (None, None, None, None),
                    "{what}"
                );
            }
            let (units, demand, cost) = (
                units[row].unwrap(),
                demand[row].unwrap(),
                cost[row].unwrap(),
            );
            let read_outcome = match (outcome[row].as_deref().unwrap(), short) {
                ("assigned", None) => {
                    assert_eq!(demand, units, "{what}");
                    CaseOutcome::Assigned { units, cost }
                }
                ("partly_assigned", Some(shortfall)) => CaseOutcome::PartlyAssigned {
                    units,
                    demand,
                    cost,
                    shortfall,
                },
                ("unassigned", Some(shortfall)) => {
                    assert_eq!((units, cost), (0, 0), "{what}");
                    CaseOutcome::Unassigned { demand, shortfall }
                }
                other => panic!("{what}: {other:?}"),
            };
            let read = CaseAssignment {
                case: CaseId::new(case_id[row].clone().unwrap()).unwrap(),
                weight: weight[row].unwrap(),
                outcome: read_outcome,
                placements: read_placements,
            };
            assert_eq!(&read, c, "{what}");
            let one = match c.placements.as_slice() {
                [p] => Some(p.service.to_string()),
                _ => None,
            };
            assert_eq!(service[row], one, "{what}");
        }
        b
    }

    #[test]
    fn assignment_rows_are_the_cases_with_their_decisions() {
        let mut problem = generate(&CaseloadSpec {
            cases: 60,
            services: 8,
            eligible_per_case: 2,
            capacity_min: 1,
            capacity_max: 4,
            seed: 7,
        });
        problem.cases.push(AssignCase {
            id: CaseId::new("case-alone").unwrap(),
            weight: 2,
            demand: 1,
        });
        let a = solve(&problem).unwrap();
        let b = check_assignments(&a);
        let outcomes: std::collections::BTreeSet<String> = codes(col(&b, "outcome"))
            .into_iter()
            .map(Option::unwrap)
            .collect();
        assert_eq!(outcomes.len(), 3, "{outcomes:?}");
        let shortfalls: std::collections::BTreeSet<String> =
            codes(col(&b, "shortfall")).into_iter().flatten().collect();
        assert!(shortfalls.contains("no_eligible_service"), "{shortfalls:?}");
        assert!(shortfalls.len() >= 2, "{shortfalls:?}");
    }

    #[test]
    fn every_decision_and_shortfall_is_written_with_its_figures() {
        let shortfalls = [
            Shortfall::NoEligibleService,
            Shortfall::NoCapacity {
                eligible_services: 2,
            },
            Shortfall::OutrankedByHigherPriority {
                eligible_services: 3,
                places: 4,
                held_by_higher_priority: 4,
            },
            Shortfall::CapacityExhausted {
                eligible_services: 2,
                places: 5,
                held_by_higher_priority: 1,
                held_by_same_priority: 4,
            },
        ];
        let place = |service: &str, units: u32, unit_cost: i64| Placement {
            service: ServiceId::new(service).unwrap(),
            units,
            unit_cost,
            cost: i64::from(units) * unit_cost,
        };
        let mut cases = vec![
            CaseAssignment {
                case: CaseId::new("c-00").unwrap(),
                weight: 1,
                outcome: CaseOutcome::Assigned { units: 1, cost: 7 },
                placements: vec![place("s-1", 1, 7)],
            },
            CaseAssignment {
                case: CaseId::new("c-01").unwrap(),
                weight: 3,
                outcome: CaseOutcome::Assigned { units: 3, cost: 11 },
                placements: vec![place("s-1", 1, 5), place("s-2", 2, 3)],
            },
        ];
        for (i, s) in shortfalls.iter().enumerate() {
            cases.push(CaseAssignment {
                case: CaseId::new(format!("c-1{i}")).unwrap(),
                weight: 2,
                outcome: CaseOutcome::PartlyAssigned {
                    units: 1,
                    demand: 2,
                    cost: 9,
                    shortfall: s.clone(),
                },
                placements: vec![place("s-3", 1, 9)],
            });
            cases.push(CaseAssignment {
                case: CaseId::new(format!("c-2{i}")).unwrap(),
                weight: 0,
                outcome: CaseOutcome::Unassigned {
                    demand: 1,
                    shortfall: s.clone(),
                },
                placements: vec![],
            });
        }
        let a = Assignment {
            cases,
            services: vec![],
            totals: AssignmentTotals {
                priority_value: 0,
                units_placed: 0,
                total_cost: 0,
                units_demanded: 0,
                capacity: 0,
                cases_assigned: 0,
                cases_partly_assigned: 0,
                cases_unassigned: 0,
            },
        };
        let b = check_assignments(&a);
        assert_eq!(b.num_rows(), 10);
        let service = texts(col(&b, "service_id"));
        assert_eq!(service[0].as_deref(), Some("s-1"));
        assert_eq!(service[1], None, "two services hold the places");
    }

    #[test]
    fn tables_have_the_documented_columns_also_when_empty() {
        let m = matches_table(&[]).unwrap();
        assert_eq!(m.num_rows(), 0);
        assert_eq!(
            names(&m),
            [
                "case_id",
                "matched_at",
                "consent_checked",
                "domain",
                "considered",
                "eligible",
                "rank",
                "service_id",
                "organization_id",
                "organization_kind",
                "score",
                "distance_km",
                "withheld",
                "withheld_distance_band",
                "pathway",
                "also_covers",
                "factors",
            ]
        );
        let e = exclusions_table(&[]).unwrap();
        assert_eq!(e.num_rows(), 0);
        assert_eq!(
            names(&e),
            [
                "case_id",
                "matched_at",
                "domain",
                "near_miss",
                "code",
                "count",
                "service_id",
                "organization_id",
                "score_if_included",
                "withheld",
                "withheld_distance_band",
                "status",
                "capacity",
                "age",
                "min_age",
                "max_age",
                "served",
                "home_area",
                "decided_by",
                "distance_km",
                "limit_km",
                "distance_band",
                "veto",
                "veto_id",
                "veto_kind",
                "veto_area",
                "concern",
                "consent_reasons",
            ]
        );
        let g = gaps_table(&[]).unwrap();
        let mut want = vec!["area", "domain", "listed", "reachable", "paper_only_count"];
        want.extend(PAPER_REASON_COLUMNS);
        want.push("paper_only");
        assert_eq!(names(&g), want);
        let a = assignments_table(&Assignment {
            cases: vec![],
            services: vec![],
            totals: AssignmentTotals {
                priority_value: 0,
                units_placed: 0,
                total_cost: 0,
                units_demanded: 0,
                capacity: 0,
                cases_assigned: 0,
                cases_partly_assigned: 0,
                cases_unassigned: 0,
            },
        })
        .unwrap();
        assert_eq!(
            names(&a),
            [
                "case_id",
                "weight",
                "outcome",
                "demand",
                "units",
                "cost",
                "service_id",
                "placements",
                "shortfall",
                "eligible_services",
                "places",
                "held_by_higher_priority",
                "held_by_same_priority",
            ]
        );
        // Nullability is as documented: a figure column may be null, an id may not.
        let schema = e.schema();
        assert!(!schema.field_with_name("case_id").unwrap().is_nullable());
        assert!(schema.field_with_name("count").unwrap().is_nullable());
        assert!(!schema.field_with_name("near_miss").unwrap().is_nullable());
    }

    /// The codes of the dictionaries are the serde names of the records.
    #[test]
    fn codes_are_the_serde_names() {
        fn unit<T: Serialize + Copy + std::fmt::Debug>(all: &[T], key: impl Fn(T) -> &'static str) {
            for &x in all {
                assert_eq!(serde_json::to_value(x).unwrap(), json!(key(x)), "{x:?}");
            }
        }
        unit(&ExclusionCode::ALL, ExclusionCode::key);
        unit(&AreaTest::ALL, AreaTest::key);
        unit(&DistanceBand::ALL, DistanceBand::key);
        unit(&WithheldReason::ALL, WithheldReason::key);
        unit(&PaperReason::ALL, PaperReason::key);
        unit(&OrganizationKind::ALL, OrganizationKind::key);
        unit(&Factor::ALL, Factor::key);
        unit(&PathwayStep::ALL, PathwayStep::key);
        unit(&ServiceStatus::ALL, ServiceStatus::key);
        unit(&GenderServed::ALL, GenderServed::key);
        unit(&SafetyConcern::ALL, SafetyConcern::key);
        /// Each value's tag is its key, and the keys are `codes`, in order.
        fn tagged<T: Serialize>(
            values: &[T],
            tag: &str,
            key: impl Fn(&T) -> &'static str,
            codes: &[&str],
        ) {
            for v in values {
                assert_eq!(serde_json::to_value(v).unwrap()[tag], json!(key(v)));
            }
            let keys: Vec<&str> = values.iter().map(key).collect();
            assert_eq!(keys, codes);
        }
        tagged(&every_basis(), "basis", FactorBasis::key, &BASIS_CODES);
        let vetoes: Vec<Veto> = every_exclusion()
            .into_iter()
            .filter_map(|e| match e {
                Exclusion::Vetoed { veto } => Some(veto),
                _ => None,
            })
            .collect();
        tagged(&vetoes, "veto", Veto::key, &VETO_CODES);
        let shortfall = Shortfall::NoEligibleService;
        let outcomes = [
            CaseOutcome::Assigned { units: 1, cost: 1 },
            CaseOutcome::PartlyAssigned {
                units: 1,
                demand: 2,
                cost: 1,
                shortfall: shortfall.clone(),
            },
            CaseOutcome::Unassigned {
                demand: 1,
                shortfall,
            },
        ];
        tagged(&outcomes, "code", CaseOutcome::key, &OUTCOME_CODES);
        let shortfalls = [
            Shortfall::NoEligibleService,
            Shortfall::NoCapacity {
                eligible_services: 1,
            },
            Shortfall::OutrankedByHigherPriority {
                eligible_services: 1,
                places: 1,
                held_by_higher_priority: 1,
            },
            Shortfall::CapacityExhausted {
                eligible_services: 1,
                places: 1,
                held_by_higher_priority: 0,
                held_by_same_priority: 1,
            },
        ];
        tagged(&shortfalls, "code", Shortfall::key, &SHORTFALL_CODES);
        // Every exclusion's tag is its code's key, but for the band form of
        // `beyond_travel_limit`, which the table tells apart by its `distance_band`.
        for e in every_exclusion() {
            let tag = serde_json::to_value(&e).unwrap()["code"].clone();
            if matches!(e, Exclusion::BeyondTravelLimitBand { .. }) {
                assert_eq!(tag, json!("beyond_travel_limit_band"));
                assert_eq!(e.code(), ExclusionCode::BeyondTravelLimit);
            } else {
                assert_eq!(tag, json!(e.code().key()), "{e:?}");
            }
        }
        // Each paper reason's count column.
        let columns: Vec<String> = PaperReason::ALL
            .iter()
            .map(|r| format!("paper_only_{}", r.key()))
            .collect();
        assert_eq!(columns, PAPER_REASON_COLUMNS);
    }
}
