//! The setbacks table (`beside.setbacks/1`), as the [module docs](super) describe it.

use super::{day, dict_all, key_of, Column, SETBACKS, SETBACK_KINDS};
use crate::error::ReintegrationError;
use crate::trajectory::{Setback, Trajectory};
use arrow_array::builder::StringBuilder;
use arrow_array::{Date32Array, Float64Array, RecordBatch, UInt32Array, UInt8Array};
use beside_core::table::{record_batch, write_ipc_stream};
use std::sync::Arc;

/// The setbacks table (`beside.setbacks/1`, see the module docs) of `trajectories`.
pub fn setbacks_table(trajectories: &[Trajectory]) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut kind = Vec::new();
    let (mut point, mut previous, mut on) = (Vec::new(), Vec::new(), Vec::new());
    let mut domain = StringBuilder::new();
    let (mut from_level, mut to_level) = (Vec::new(), Vec::new());
    let mut outcome = StringBuilder::new();
    let (mut from_score, mut to_score) = (Vec::new(), Vec::new());
    for t in trajectories {
        for s in &t.setbacks {
            case_id.append_value(t.case_id.as_str());
            kind.push(key_of(&SETBACK_KINDS, &s.code(), "kind")?);
            match s {
                Setback::Domain {
                    domain: key,
                    from,
                    to,
                    point: at,
                    previous: before,
                    on: day_on,
                } => {
                    point.push(*at);
                    previous.push(*before);
                    on.push(day(*day_on));
                    domain.append_value(key.as_str());
                    from_level.push(Some(from.number()));
                    to_level.push(Some(to.number()));
                    outcome.append_null();
                    from_score.push(None);
                    to_score.push(None);
                }
                Setback::Outcome {
                    outcome: key,
                    from,
                    to,
                    point: at,
                    previous: before,
                    on: day_on,
                } => {
                    point.push(*at);
                    previous.push(*before);
                    on.push(day(*day_on));
                    domain.append_null();
                    from_level.push(None);
                    to_level.push(None);
                    outcome.append_value(key.as_str());
                    from_score.push(Some(*from));
                    to_score.push(Some(*to));
                }
            }
        }
    }
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("kind", dict_all(kind, &SETBACK_KINDS, "kind")?, false),
        ("point", Arc::new(UInt32Array::from(point)), false),
        ("previous", Arc::new(UInt32Array::from(previous)), false),
        ("on", Arc::new(Date32Array::from(on)), false),
        ("domain", Arc::new(domain.finish()), true),
        ("from_level", Arc::new(UInt8Array::from(from_level)), true),
        ("to_level", Arc::new(UInt8Array::from(to_level)), true),
        ("outcome", Arc::new(outcome.finish()), true),
        ("from_score", Arc::new(Float64Array::from(from_score)), true),
        ("to_score", Arc::new(Float64Array::from(to_score)), true),
    ];
    Ok(record_batch(SETBACKS, columns)?)
}

/// [`setbacks_table`] as Arrow IPC stream bytes.
pub fn setbacks_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&setbacks_table(trajectories)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::OutcomeKey;
    use crate::table::tests::{
        code, date_at, f64_at, level, read, text, trajectories, u32_at, u8_at,
    };
    use beside_core::DomainKey;

    #[test]
    fn every_setback_appears_once_with_its_figures() {
        let t = trajectories();
        let b = read(&setbacks_ipc(&t).unwrap(), SETBACKS);
        let want: Vec<(&str, &Setback)> = t
            .iter()
            .flat_map(|t| t.setbacks.iter().map(move |s| (t.case_id.as_str(), s)))
            .collect();
        assert_eq!(b.num_rows(), want.len());
        let got: Vec<(String, Setback)> = (0..b.num_rows())
            .map(|i| {
                let (point, previous) = (
                    u32_at(&b, "point", i).unwrap(),
                    u32_at(&b, "previous", i).unwrap(),
                );
                let on = date_at(&b, "on", i);
                let s = match code(&b, "kind", i).unwrap().as_str() {
                    "domain" => {
                        assert_eq!(
                            (text(&b, "outcome", i), f64_at(&b, "from_score", i)),
                            (None, None)
                        );
                        Setback::Domain {
                            domain: DomainKey::new(&text(&b, "domain", i).unwrap()).unwrap(),
                            from: level(u8_at(&b, "from_level", i)),
                            to: level(u8_at(&b, "to_level", i)),
                            point,
                            previous,
                            on,
                        }
                    }
                    "outcome" => {
                        assert_eq!(
                            (text(&b, "domain", i), u8_at(&b, "to_level", i)),
                            (None, None)
                        );
                        Setback::Outcome {
                            outcome: OutcomeKey::new(&text(&b, "outcome", i).unwrap()).unwrap(),
                            from: f64_at(&b, "from_score", i).unwrap(),
                            to: f64_at(&b, "to_score", i).unwrap(),
                            point,
                            previous,
                            on,
                        }
                    }
                    other => panic!("kind {other}"),
                };
                (text(&b, "case_id", i).unwrap(), s)
            })
            .collect();
        let want: Vec<(String, Setback)> = want
            .into_iter()
            .map(|(c, s)| (c.to_owned(), s.clone()))
            .collect();
        assert_eq!(got, want);
    }
}
