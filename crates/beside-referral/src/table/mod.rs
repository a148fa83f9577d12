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

mod assignments;
mod columns;
mod exclusion_figures;
mod exclusions;
mod factors;
mod gaps;
mod matches;
#[cfg(test)]
mod tests;

pub use assignments::{assignments_ipc, assignments_table};
pub use exclusions::{exclusions_ipc, exclusions_table};
pub use gaps::{gaps_ipc, gaps_table};
pub use matches::{matches_ipc, matches_table};

use crate::assign::AssignError;
use crate::matching::MatchError;
// Named only in the docs above and in those of the code lists.
#[cfg(doc)]
use crate::{
    assign::{Assignment, CaseOutcome, Shortfall},
    directory::ServiceStatus,
    gaps::{AreaNeedGap, PaperReason},
    matching::{
        AreaTest, Exclusion, ExclusionCode, Factor, FactorBasis, MatchResult, NearMiss,
        PathwayStep, SafetyConcern, ScoreFactor, Veto,
    },
    whereabouts::DistanceBand,
};
#[cfg(doc)]
use beside_core::OrganizationKind;

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
