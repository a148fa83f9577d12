//! Results as Arrow tables, for researchers: the records the engines return (trajectories,
//! risk assessments, suppressed tables, match results, gaps, assignments) written as Arrow
//! IPC stream bytes, which pyarrow, polars, pandas and Spark read (`pyarrow.ipc.open_stream`).
//!
//! The tables, their columns and versions are documented where they are built:
//! `beside::reintegration::table` (`beside.points/1`, `beside.outcome_scores/1`,
//! `beside.trends/1`, `beside.setbacks/1`, `beside.follow_ups/1`, `beside.risk/1`,
//! `beside.suppressed/1`, `beside.cohort_summary/1`) and `beside::referral::table` (`beside.matches/1`,
//! `beside.exclusions/1`, `beside.gaps/1`, `beside.assignments/1`). Each table's schema names its kind and
//! version in its metadata under `beside.schema`.
//!
//! Every record is read back through the JSON deserialiser first ([`json::checked`]), as every
//! typed input is, so a record that is malformed fails the call with its path
//! (`trajectories[3].points[0].assessed_at`).

use crate::error::BesideError;
use crate::json;
use beside::referral::assign::Assignment;
use beside::referral::gaps::AreaNeedGap;
use beside::referral::matching::MatchResult;
use beside::referral::table as referral_table;
use beside::reintegration::table as reintegration_table;
use beside::reintegration::{
    CaseTimeline, CohortSummary, RiskAssessment, SuppressedTable, Trajectory,
};

/// The tables of a batch of trajectories, each as Arrow IPC stream bytes, trajectory after
/// trajectory in the order given, joined on `case_id` and `point`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrajectoryTables {
    /// `beside.points/1`: one row per point (its assessment, moment, overall index, worst level).
    pub points: Vec<u8>,
    /// `beside.outcome_scores/1`: one row per point and outcome (score, level, domains rated).
    pub outcome_scores: Vec<u8>,
    /// `beside.trends/1`: one row per outcome of each trajectory (trend, first, latest, change).
    pub trends: Vec<u8>,
    /// `beside.setbacks/1`: one row per setback (domain or outcome, the figures before and after).
    pub setbacks: Vec<u8>,
    /// `beside.follow_ups/1`: one row per trajectory (the next follow-up, why, every rule
    /// considered).
    pub follow_ups: Vec<u8>,
}

/// Argument `name`'s records, each checked as its JSON is, paths `name[i].…`.
fn checked_each<T>(name: &str, values: Vec<T>) -> Result<Vec<T>, BesideError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| json::checked(v).map_err(|e| e.at_index(i).under(name)))
        .collect()
}

/// **Trajectories as tables**: points, outcome scores, trends, setbacks and follow-ups of
/// `trajectories` (from [`crate::ReintegrationEngine::trajectory`]), each a table of its own.
/// A malformed trajectory fails the call at `trajectories[i].…`.
#[uniffi::export]
pub fn trajectory_tables(trajectories: Vec<Trajectory>) -> Result<TrajectoryTables, BesideError> {
    let all = checked_each("trajectories", trajectories)?;
    Ok(TrajectoryTables {
        points: reintegration_table::points_ipc(&all)?,
        outcome_scores: reintegration_table::outcome_scores_ipc(&all)?,
        trends: reintegration_table::trends_ipc(&all)?,
        setbacks: reintegration_table::setbacks_ipc(&all)?,
        follow_ups: reintegration_table::follow_ups_ipc(&all)?,
    })
}

/// **Journeys as a table**, `beside.journeys/1`: one row per event of `timelines`, with the
/// case's time zone (the tables researchers keep, and what
/// [`crate::ReintegrationEngine::trajectories_of_tables`] reads). The events' `extra` and the
/// timelines' risk inputs are not in the table. A malformed timeline fails at `timelines[i].…`.
#[uniffi::export]
pub fn journeys_table(timelines: Vec<CaseTimeline>) -> Result<Vec<u8>, BesideError> {
    let all = checked_each("timelines", timelines)?;
    Ok(reintegration_table::journeys_ipc(&all)?)
}

/// **A journeys table read back**: the timelines of a `beside.journeys/1` table (Arrow IPC
/// stream bytes), cases in the order of their first row, read strictly — an unknown column is
/// refused naming the known ones, a bad value names its row (`rows[17].phase`) — and each
/// checked as its JSON is, "in the future" judged against `now` on the case's calendar.
#[uniffi::export]
pub fn read_journeys_table(
    table: Vec<u8>,
    now: crate::Timestamp,
) -> Result<Vec<CaseTimeline>, BesideError> {
    read_journeys(&table, now)
}

/// The timelines of journeys table `table`, "in the future" judged against `now`.
pub(crate) fn read_journeys(
    table: &[u8],
    now: crate::Timestamp,
) -> Result<Vec<CaseTimeline>, BesideError> {
    let (schema, batches) = beside::core::table::read_ipc_stream(table)?;
    Ok(reintegration_table::read_journeys_at(
        &schema, &batches, now,
    )?)
}

/// **An assessments table read back**: the assessments of a long-form `beside.assessments/1`
/// table (one row per rating), in the order of their first rows, read as strictly as
/// [`crate::NeedsEngine::prioritise_table`] reads it.
#[uniffi::export]
pub fn read_assessments_table(
    table: Vec<u8>,
) -> Result<Vec<beside::needs::Assessment>, BesideError> {
    Ok(beside::needs::table::read_assessments_ipc(&table)?)
}

/// **Risk as a table**, `beside.risk/1`: one row per assessment of `risks` (from
/// [`crate::ReintegrationEngine::risk`]), with its level, points, every factor and basis with
/// their figures, and the inputs not known. A malformed record fails at `risks[i].…`.
#[uniffi::export]
pub fn risk_table(risks: Vec<RiskAssessment>) -> Result<Vec<u8>, BesideError> {
    let all = checked_each("risks", risks)?;
    Ok(reintegration_table::risk_ipc(&all)?)
}

/// **A suppressed table in long form**, `beside.suppressed/1`: every cell and total of
/// `table` (from [`crate::suppress_table`]) as a row, a suppressed count null and marked with
/// why, so a researcher can publish the table as it is without a suppressed figure in it.
#[uniffi::export]
pub fn suppressed_cells_table(table: SuppressedTable) -> Result<Vec<u8>, BesideError> {
    let table = json::checked(table).map_err(|e| e.under("table"))?;
    Ok(reintegration_table::suppressed_ipc(&table)?)
}

/// **A cohort summary in long form**, `beside.cohort_summary/1`: every cell of `summary`'s
/// outcome, phase and risk tables (from [`crate::cohort_summary`]) as a row, then its total,
/// a suppressed count null and marked with why: a table to publish as it is.
#[uniffi::export]
pub fn cohort_summary_table(summary: CohortSummary) -> Result<Vec<u8>, BesideError> {
    let summary = json::checked(summary).map_err(|e| e.under("summary"))?;
    Ok(reintegration_table::cohort_summary_ipc(&summary)?)
}

/// The tables of a batch of match results, each as Arrow IPC stream bytes, result after result
/// in the order given, joined on `case_id` and `domain`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MatchTables {
    /// `beside.matches/1`: one row per candidate of each need, best first, every score factor
    /// with its figures.
    pub matches: Vec<u8>,
    /// `beside.exclusions/1`: per need, one row per exclusion code with its count, then one
    /// row per near miss with its figures.
    pub exclusions: Vec<u8>,
}

/// **Match results as tables**: the candidates and the exclusions of `results` (from
/// [`crate::ReferralDirectory::match_case`] and its kin). A malformed result fails the call at
/// `results[i].…`.
#[uniffi::export]
pub fn match_tables(results: Vec<MatchResult>) -> Result<MatchTables, BesideError> {
    let all = checked_each("results", results)?;
    Ok(MatchTables {
        matches: referral_table::matches_ipc(&all)?,
        exclusions: referral_table::exclusions_ipc(&all)?,
    })
}

/// **Gaps as a table**, `beside.gaps/1`: one row per area and need of `gaps` (from
/// [`crate::ReferralDirectory::gaps`]): services listed, reachable, paper-only and why. A malformed
/// gap fails at `gaps[i].…`.
#[uniffi::export]
pub fn gaps_table(gaps: Vec<AreaNeedGap>) -> Result<Vec<u8>, BesideError> {
    let all = checked_each("gaps", gaps)?;
    Ok(referral_table::gaps_ipc(&all)?)
}

/// **A batch assignment as a table**, `beside.assignments/1`: one row per case of `assignment`
/// (from [`crate::assign_solve`]): its decision, places, cost and priority, and the shortfall
/// when it was not placed.
#[uniffi::export]
pub fn assignments_table(assignment: Assignment) -> Result<Vec<u8>, BesideError> {
    let assignment = json::checked(assignment).map_err(|e| e.under("assignment"))?;
    referral_table::assignments_ipc(&assignment).map_err(crate::flow::assign_failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside::core::table::{read_ipc_stream, SCHEMA_KEY};

    fn schema_of(bytes: &[u8]) -> (String, usize) {
        let (schema, batches) = read_ipc_stream(bytes).unwrap();
        let name = schema.metadata().get(SCHEMA_KEY).cloned().unwrap();
        (name, batches.iter().map(|b| b.num_rows()).sum())
    }

    #[test]
    fn synthetic_trajectories_cross_as_five_tables() {
        let now: crate::Timestamp = "2026-11-30T18:00:00Z".parse().unwrap();
        let engine = crate::ReintegrationEngine::new();
        let cases = crate::synthetic_cases(16, 0, 40, now).unwrap();
        let trajectories: Vec<Trajectory> = cases
            .into_iter()
            .map(|c| engine.trajectory(c.timeline, c.assessments, now).unwrap())
            .collect();
        let points: usize = trajectories.iter().map(|t| t.points.len()).sum();
        let setbacks: usize = trajectories.iter().map(|t| t.setbacks.len()).sum();
        let tables = trajectory_tables(trajectories.clone()).unwrap();
        assert_eq!(
            schema_of(&tables.points),
            ("beside.points/1".into(), points)
        );
        assert_eq!(
            schema_of(&tables.setbacks),
            ("beside.setbacks/1".into(), setbacks)
        );
        assert_eq!(
            schema_of(&tables.follow_ups),
            ("beside.follow_ups/1".into(), trajectories.len())
        );
        assert_eq!(schema_of(&tables.trends).0, "beside.trends/1");
        assert_eq!(
            schema_of(&tables.outcome_scores).0,
            "beside.outcome_scores/1"
        );
    }

    #[test]
    fn trajectories_from_tables_are_the_trajectories_from_records() {
        let now: crate::Timestamp = "2026-11-30T18:00:00Z".parse().unwrap();
        let engine = crate::ReintegrationEngine::new();
        let cases = crate::synthetic_cases(16, 0, 30, now).unwrap();
        let mut timelines = Vec::new();
        let mut assessments = Vec::new();
        let mut from_records = Vec::new();
        for c in cases {
            // The journeys table holds the events, not the risk inputs.
            let mut timeline = c.timeline.clone();
            timeline.risk_inputs.clear();
            from_records.push(
                engine
                    .trajectory(timeline.clone(), c.assessments.clone(), now)
                    .unwrap(),
            );
            timelines.push(c.timeline);
            assessments.extend(c.assessments);
        }
        let journeys = journeys_table(timelines.clone()).unwrap();
        let read: Vec<_> = read_journeys_table(journeys.clone(), now).unwrap();
        assert_eq!(read.len(), timelines.len());
        let table = crate::assessments_table(assessments.clone()).unwrap();
        assert_eq!(read_assessments_table(table.clone()).unwrap(), assessments);
        let tables = engine
            .trajectories_of_tables(table.clone(), journeys.clone(), now)
            .unwrap();
        assert_eq!(tables, trajectory_tables(from_records).unwrap());
        // A case with assessments and no journey is named.
        let fewer = journeys_table(timelines[1..].to_vec()).unwrap();
        match engine.trajectories_of_tables(table, fewer, now) {
            Err(BesideError::Invalid { path, .. }) => assert_eq!(path, "assessments"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_suppressed_table_crosses_without_its_suppressed_figures() {
        let table = crate::suppress_table(vec![vec![3, 40], vec![25, 31]], 11).unwrap();
        let (name, rows) = schema_of(&suppressed_cells_table(table).unwrap());
        // Four cells, two row totals, two column totals and the total.
        assert_eq!((name.as_str(), rows), ("beside.suppressed/1", 9));
    }

    #[test]
    fn a_cohort_summary_crosses_as_a_table() {
        let cases = vec![beside::reintegration::CohortCase::default(); 12];
        let summary = crate::cohort_summary(cases, crate::default_cohort_config()).unwrap();
        let (name, rows) = schema_of(&cohort_summary_table(summary).unwrap());
        // 4 outcomes x 6 categories, 6 phases x 5 statuses, 4 risk categories, the total.
        assert_eq!((name.as_str(), rows), ("beside.cohort_summary/1", 59));
    }

    #[test]
    fn sample_matches_and_gaps_cross_as_tables() {
        let dir = crate::ReferralDirectory::sample().unwrap();
        let at: crate::Timestamp = "2026-11-20T10:00:00Z".parse().unwrap();
        let mut results = Vec::new();
        let mut areas = Vec::new();
        for case in crate::sample_cases().unwrap() {
            let latest = crate::sample_latest_assessment(case.case_id.to_string()).unwrap();
            let list = beside::needs::Prioritiser::standard()
                .prioritise(&latest)
                .unwrap();
            let req = crate::match_request(case, list, at).unwrap();
            areas.push(req.home_area.clone());
            results.push(dir.match_case(req, None, None).unwrap());
        }
        let candidates: usize = results
            .iter()
            .flat_map(|r| &r.needs)
            .map(|n| n.candidates.len())
            .sum();
        assert!(candidates > 0);
        let tables = match_tables(results.clone()).unwrap();
        assert_eq!(
            schema_of(&tables.matches),
            ("beside.matches/1".into(), candidates)
        );
        assert_eq!(schema_of(&tables.exclusions).0, "beside.exclusions/1");
        let first = &results[0];
        let gaps = dir
            .gaps(beside::referral::gaps::GapQuery {
                areas: areas.clone(),
                needs: first.needs.iter().map(|n| n.domain.clone()).collect(),
                languages: Vec::new(),
            })
            .unwrap();
        assert_eq!(
            schema_of(&gaps_table(gaps.clone()).unwrap()),
            ("beside.gaps/1".into(), gaps.len())
        );
    }
}
