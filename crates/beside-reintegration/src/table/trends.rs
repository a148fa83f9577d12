//! The trends table (`beside.trends/1`), as the [module docs](super) describe it.

use super::{dict_all, key_of, Column, TRENDS, TREND_VALUES};
use crate::error::ReintegrationError;
use crate::trajectory::Trajectory;
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, UInt32Array};
use beside_core::table::{record_batch, write_ipc_stream};
use std::sync::Arc;

/// The trends table (`beside.trends/1`, see the module docs) of `trajectories`.
pub fn trends_table(trajectories: &[Trajectory]) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut profile = StringBuilder::new();
    let mut outcome = StringBuilder::new();
    let mut weight = Vec::new();
    let mut total_domains = Vec::new();
    let mut trend = Vec::new();
    let (mut first, mut latest, mut change, mut lowest) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut scored = Vec::new();
    for t in trajectories {
        for o in &t.trends {
            case_id.append_value(t.case_id.as_str());
            profile.append_value(&t.profile);
            outcome.append_value(o.outcome.as_str());
            weight.push(o.weight);
            total_domains.push(o.total_domains);
            trend.push(key_of(&TREND_VALUES, &o.trend, "trend")?);
            first.push(o.first);
            latest.push(o.latest);
            change.push(o.change);
            lowest.push(o.lowest);
            scored.push(o.scored);
        }
    }
    let trends: Vec<&str> = TREND_VALUES.iter().map(|t| t.key()).collect();
    let float = |v: Vec<Option<f64>>| Arc::new(Float64Array::from(v)) as ArrayRef;
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("profile", Arc::new(profile.finish()), false),
        ("outcome", Arc::new(outcome.finish()), false),
        ("weight", Arc::new(Float64Array::from(weight)), false),
        (
            "total_domains",
            Arc::new(UInt32Array::from(total_domains)),
            false,
        ),
        ("trend", dict_all(trend, &trends, "trend")?, false),
        ("first", float(first), true),
        ("latest", float(latest), true),
        ("change", float(change), true),
        ("lowest", float(lowest), true),
        ("scored", Arc::new(UInt32Array::from(scored)), false),
    ];
    Ok(record_batch(TRENDS, columns)?)
}

/// [`trends_table`] as Arrow IPC stream bytes.
pub fn trends_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&trends_table(trajectories)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests::{code, col, f64_at, named, read, text, trajectories, u32_at};
    use crate::trajectory::Trend;

    #[test]
    fn the_trends_table_holds_every_trend() {
        let t = trajectories();
        let b = read(&trends_ipc(&t).unwrap(), TRENDS);
        let want: Vec<_> = t
            .iter()
            .flat_map(|t| t.trends.iter().map(move |o| (t, o)))
            .collect();
        assert_eq!(b.num_rows(), want.len());
        let weight = col::<Float64Array>(&b, "weight");
        for (row, (t, o)) in want.into_iter().enumerate() {
            assert_eq!(text(&b, "case_id", row).unwrap(), t.case_id.as_str());
            assert_eq!(text(&b, "profile", row).unwrap(), t.profile);
            assert_eq!(text(&b, "outcome", row).unwrap(), o.outcome.as_str());
            assert_eq!(weight.value(row), o.weight);
            assert_eq!(u32_at(&b, "total_domains", row), Some(o.total_domains));
            assert_eq!(named::<Trend>(code(&b, "trend", row)), o.trend);
            assert_eq!(code(&b, "trend", row).unwrap(), o.trend.key());
            assert_eq!(f64_at(&b, "first", row), o.first);
            assert_eq!(f64_at(&b, "latest", row), o.latest);
            assert_eq!(f64_at(&b, "change", row), o.change);
            assert_eq!(f64_at(&b, "lowest", row), o.lowest);
            assert_eq!(u32_at(&b, "scored", row), Some(o.scored));
        }
    }
}
