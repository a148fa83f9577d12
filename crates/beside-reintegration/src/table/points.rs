//! The points table (`beside.points/1`) and the outcome scores table
//! (`beside.outcome_scores/1`), as the [module docs](super) describe them.

use super::{internal, position, utc, Column, OUTCOME_SCORES, POINTS};
use crate::error::ReintegrationError;
use crate::trajectory::Trajectory;
use arrow_array::builder::StringBuilder;
use arrow_array::{Float64Array, RecordBatch, UInt32Array, UInt8Array};
use beside_core::table::{record_batch, write_ipc_stream};
use beside_core::{FieldError, Level, Reason};
use std::sync::Arc;

/// Rule of a trajectory's shape: one score per point and outcome ([`Trajectory::scores`]). A
/// trajectory the model made always has it; one read from elsewhere is refused without.
fn check_scores(t: &Trajectory, n: usize) -> Result<(), ReintegrationError> {
    if t.points.len().checked_mul(t.trends.len()) != Some(t.scores.len()) {
        return Err(FieldError::new(
            format!("trajectories[{n}].scores"),
            Reason::Invalid {
                expected: format!(
                    "one score per point and outcome ({} points, {} outcomes)",
                    t.points.len(),
                    t.trends.len()
                ),
                value: format!("{} scores", t.scores.len()),
            },
        )
        .into());
    }
    Ok(())
}

/// The points table (`beside.points/1`, see the module docs) of `trajectories`.
pub fn points_table(trajectories: &[Trajectory]) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut point = Vec::new();
    let mut assessment_id = StringBuilder::new();
    let mut assessed_at = Vec::new();
    let mut index = Vec::new();
    let mut worst_level = Vec::new();
    for (n, t) in trajectories.iter().enumerate() {
        for (i, p) in t.points.iter().enumerate() {
            case_id.append_value(t.case_id.as_str());
            point.push(position(i, || format!("trajectories[{n}].points"))?);
            assessment_id.append_value(p.assessment_id.as_str());
            assessed_at.push(p.assessed_at.timestamp_micros());
            index.push(p.index);
            worst_level.push(p.worst_level.map(Level::number));
        }
    }
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("point", Arc::new(UInt32Array::from(point)), false),
        ("assessment_id", Arc::new(assessment_id.finish()), false),
        ("assessed_at", utc(assessed_at), false),
        ("index", Arc::new(Float64Array::from(index)), true),
        ("worst_level", Arc::new(UInt8Array::from(worst_level)), true),
    ];
    Ok(record_batch(POINTS, columns)?)
}

/// [`points_table`] as Arrow IPC stream bytes.
pub fn points_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&points_table(trajectories)?)?)
}

/// The outcome scores table (`beside.outcome_scores/1`, see the module docs) of
/// `trajectories`. A trajectory without one score per point and outcome is refused, naming
/// it (`trajectories[3].scores`).
pub fn outcome_scores_table(
    trajectories: &[Trajectory],
) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut point = Vec::new();
    let mut assessment_id = StringBuilder::new();
    let mut assessed_at = Vec::new();
    let mut outcome = StringBuilder::new();
    let mut score = Vec::new();
    let mut level = Vec::new();
    let mut rated_domains = Vec::new();
    for (n, t) in trajectories.iter().enumerate() {
        check_scores(t, n)?;
        for (i, p) in t.points.iter().enumerate() {
            let at = position(i, || format!("trajectories[{n}].points"))?;
            let row = t.scores_at(i);
            // INVARIANT: `check_scores` found one score per point and outcome.
            if row.len() != t.trends.len() {
                return Err(internal(format!(
                    "point {i} of trajectories[{n}] to have a score per outcome"
                )));
            }
            for (trend, s) in t.trends.iter().zip(row) {
                case_id.append_value(t.case_id.as_str());
                point.push(at);
                assessment_id.append_value(p.assessment_id.as_str());
                assessed_at.push(p.assessed_at.timestamp_micros());
                outcome.append_value(trend.outcome.as_str());
                score.push(s.score);
                level.push(s.level.map(Level::number));
                rated_domains.push(s.rated_domains);
            }
        }
    }
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("point", Arc::new(UInt32Array::from(point)), false),
        ("assessment_id", Arc::new(assessment_id.finish()), false),
        ("assessed_at", utc(assessed_at), false),
        ("outcome", Arc::new(outcome.finish()), false),
        ("score", Arc::new(Float64Array::from(score)), true),
        ("level", Arc::new(UInt8Array::from(level)), true),
        (
            "rated_domains",
            Arc::new(UInt32Array::from(rated_domains)),
            false,
        ),
    ];
    Ok(record_batch(OUTCOME_SCORES, columns)?)
}

/// [`outcome_scores_table`] as Arrow IPC stream bytes.
pub fn outcome_scores_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&outcome_scores_table(trajectories)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::OutcomeKey;
    use crate::table::tests::{col, f64_at, read, text, trajectories, u32_at, u8_at};
    use arrow_array::{Array, TimestampMicrosecondArray};
    use std::collections::HashSet;

    #[test]
    fn every_point_appears_once_with_its_figures() {
        let t = trajectories();
        let b = read(&points_ipc(&t).unwrap(), POINTS);
        assert_eq!(b, points_table(&t).unwrap());
        let want: Vec<_> = t
            .iter()
            .flat_map(|t| t.points.iter().enumerate().map(move |(i, p)| (t, i, p)))
            .collect();
        assert_eq!(b.num_rows(), want.len());
        let at = col::<TimestampMicrosecondArray>(&b, "assessed_at");
        for (row, (t, i, p)) in want.into_iter().enumerate() {
            assert_eq!(text(&b, "case_id", row).unwrap(), t.case_id.as_str());
            assert_eq!(u32_at(&b, "point", row), Some(i as u32));
            assert_eq!(
                text(&b, "assessment_id", row).unwrap(),
                p.assessment_id.as_str()
            );
            assert_eq!(at.value(row), p.assessed_at.timestamp_micros());
            assert_eq!(f64_at(&b, "index", row), p.index);
            assert_eq!(
                u8_at(&b, "worst_level", row),
                p.worst_level.map(Level::number)
            );
        }
    }

    #[test]
    fn every_point_score_appears_once_with_the_same_score() {
        let t = trajectories();
        let b = read(&outcome_scores_ipc(&t).unwrap(), OUTCOME_SCORES);
        let cells: usize = t.iter().map(|t| t.scores.len()).sum();
        assert_eq!(b.num_rows(), cells);
        assert!(cells > 0);
        let at = col::<TimestampMicrosecondArray>(&b, "assessed_at");
        let mut seen = HashSet::new();
        let mut nulls = 0;
        for row in 0..b.num_rows() {
            let case = text(&b, "case_id", row).unwrap();
            let point = u32_at(&b, "point", row).unwrap() as usize;
            let outcome = OutcomeKey::new(&text(&b, "outcome", row).unwrap()).unwrap();
            assert!(
                seen.insert((case.clone(), point, outcome.clone())),
                "{case} {point} {outcome}"
            );
            let tr = t.iter().find(|t| t.case_id.as_str() == case).unwrap();
            let p = &tr.points[point];
            assert_eq!(
                text(&b, "assessment_id", row).unwrap(),
                p.assessment_id.as_str()
            );
            assert_eq!(at.value(row), p.assessed_at.timestamp_micros());
            let o = tr.trends.iter().position(|x| x.outcome == outcome).unwrap();
            let s = tr.scores_at(point)[o];
            assert_eq!(f64_at(&b, "score", row), s.score);
            assert_eq!(tr.score(point, &outcome), s.score);
            assert_eq!(u8_at(&b, "level", row), s.level.map(Level::number));
            assert_eq!(u32_at(&b, "rated_domains", row), Some(s.rated_domains));
            nulls += usize::from(s.score.is_none());
        }
        assert_eq!(col::<Float64Array>(&b, "score").null_count(), nulls);
    }

    #[test]
    fn a_trajectory_without_a_score_per_point_and_outcome_is_refused_by_name() {
        let mut t = trajectories();
        t[1].scores.pop();
        let e = outcome_scores_table(&t).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("trajectories[1].scores: must be one score per point and outcome"),
            "{e}"
        );
        assert!(matches!(e, ReintegrationError::Invalid { .. }));
        // No outcome at all: no cell, no row, no error.
        let mut bare = trajectories();
        for t in &mut bare {
            t.trends.clear();
            t.scores.clear();
        }
        assert_eq!(outcome_scores_table(&bare).unwrap().num_rows(), 0);
    }
}
