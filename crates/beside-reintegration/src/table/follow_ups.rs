//! The follow-ups table (`beside.follow_ups/1`), as the [module docs](super) describe it.

use super::{day, dict, dict_all, key_of, list, structs, Column, FOLLOW_UPS, FOLLOW_UP_CODES};
use crate::error::ReintegrationError;
use crate::followup::{FollowUp, FollowUpReason};
use crate::risk::RiskLevel;
use crate::trajectory::Trajectory;
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Date32Array, RecordBatch, UInt32Array, UInt8Array};
use beside_core::table::{record_batch, write_ipc_stream};
use beside_needs::RedFlag;
use std::sync::Arc;

/// The columns of follow-up rules: `reason` and its figures, or the `considered` structs.
#[derive(Default)]
struct ReasonColumns {
    code: Vec<i8>,
    days: Vec<u32>,
    flag_lengths: Vec<usize>,
    flag_valid: Vec<bool>,
    flags: Vec<i8>,
    risk_level: Vec<Option<i8>>,
    domain: StringBuilder,
    level: Vec<Option<u8>>,
}

/// The arrays of [`ReasonColumns`], by field.
struct ReasonArrays {
    code: ArrayRef,
    days: ArrayRef,
    red_flags: ArrayRef,
    risk_level: ArrayRef,
    domain: ArrayRef,
    level: ArrayRef,
}

impl ReasonColumns {
    fn push(&mut self, r: &FollowUpReason, column: &str) -> Result<(), ReintegrationError> {
        self.code.push(key_of(&FOLLOW_UP_CODES, &r.code(), column)?);
        self.days.push(r.days());
        let (mut flags, mut risk_level, mut domain, mut level) = (None, None, None, None);
        match r {
            FollowUpReason::RedFlags { flags: f, .. } => flags = Some(f),
            FollowUpReason::Risk { level: l, .. } => {
                risk_level = Some(key_of(&RiskLevel::ALL, l, "risk_level")?);
            }
            FollowUpReason::WorstLevel {
                domain: d,
                level: l,
                ..
            } => {
                domain = Some(d.as_str());
                level = Some(l.number());
            }
            FollowUpReason::NothingRated { .. } => {}
        }
        match flags {
            Some(f) => {
                self.flag_lengths.push(f.len());
                self.flag_valid.push(true);
                for flag in f {
                    self.flags.push(key_of(&RedFlag::ALL, flag, "red_flags")?);
                }
            }
            None => {
                self.flag_lengths.push(0);
                self.flag_valid.push(false);
            }
        }
        self.risk_level.push(risk_level);
        self.domain.append_option(domain);
        self.level.push(level);
        Ok(())
    }

    fn finish(mut self, column: &str) -> Result<ReasonArrays, ReintegrationError> {
        let flags: Vec<&str> = RedFlag::ALL.iter().map(|f| f.key()).collect();
        let levels: Vec<&str> = RiskLevel::ALL.iter().map(|l| l.key()).collect();
        Ok(ReasonArrays {
            code: dict_all(self.code, &FOLLOW_UP_CODES, column)?,
            days: Arc::new(UInt32Array::from(self.days)),
            red_flags: list(
                self.flag_lengths,
                dict_all(self.flags, &flags, "red_flags")?,
                Some(self.flag_valid),
                "red_flags",
            )?,
            risk_level: dict(self.risk_level, &levels, "risk_level")?,
            domain: Arc::new(self.domain.finish()),
            level: Arc::new(UInt8Array::from(self.level)),
        })
    }
}

/// The follow-ups table (`beside.follow_ups/1`, see the module docs) of `trajectories`.
pub fn follow_ups_table(trajectories: &[Trajectory]) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut assessment_id = StringBuilder::new();
    let (mut from, mut due_on, mut days) = (Vec::new(), Vec::new(), Vec::new());
    let mut reason = ReasonColumns::default();
    let mut considered_lengths = Vec::new();
    let mut considered = ReasonColumns::default();
    for t in trajectories {
        let f: &FollowUp = &t.follow_up;
        case_id.append_value(t.case_id.as_str());
        assessment_id.append_value(f.assessment_id.as_str());
        from.push(day(f.from));
        due_on.push(day(f.due_on));
        days.push(f.days);
        reason.push(&f.reason, "reason")?;
        considered_lengths.push(f.considered.len());
        for c in &f.considered {
            considered.push(c, "considered.code")?;
        }
    }
    let reason = reason.finish("reason")?;
    let c = considered.finish("considered.code")?;
    let considered = structs(
        vec![
            ("code", c.code, false),
            ("days", c.days, false),
            ("red_flags", c.red_flags, true),
            ("risk_level", c.risk_level, true),
            ("domain", c.domain, true),
            ("level", c.level, true),
        ],
        "considered",
    )?;
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("assessment_id", Arc::new(assessment_id.finish()), false),
        ("from", Arc::new(Date32Array::from(from)), false),
        ("due_on", Arc::new(Date32Array::from(due_on)), false),
        ("days", Arc::new(UInt32Array::from(days)), false),
        ("reason", reason.code, false),
        ("red_flags", reason.red_flags, true),
        ("risk_level", reason.risk_level, true),
        ("domain", reason.domain, true),
        ("level", reason.level, true),
        (
            "considered",
            list(considered_lengths, considered, None, "considered")?,
            false,
        ),
    ];
    Ok(record_batch(FOLLOW_UPS, columns)?)
}

/// [`follow_ups_table`] as Arrow IPC stream bytes.
pub fn follow_ups_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&follow_ups_table(trajectories)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{next_follow_up, FollowUpConfig};
    use crate::model::ReintegrationModel;
    use crate::synthetic::people::synthetic_cases;
    use crate::table::tests::{
        as_of, code, codes, date_at, items, level, named, read, text, trajectories, u32_at, u8_at,
        StructLike,
    };
    use arrow_array::Array;
    use beside_core::{AssessmentId, DomainKey};
    use std::collections::HashSet;

    /// A follow-up rule from row `i` of the follow-up columns of `b`, whose code column is `name`.
    fn read_reason(b: &dyn StructLike, name: &str, i: usize, days: u32) -> FollowUpReason {
        match code(b, name, i).unwrap().as_str() {
            "red_flags" => FollowUpReason::RedFlags {
                flags: codes(b, "red_flags", i)
                    .unwrap()
                    .into_iter()
                    .map(|c| named(Some(c)))
                    .collect(),
                days,
            },
            "risk" => FollowUpReason::Risk {
                level: named(code(b, "risk_level", i)),
                days,
            },
            "worst_level" => FollowUpReason::WorstLevel {
                domain: DomainKey::new(&text(b, "domain", i).unwrap()).unwrap(),
                level: level(u8_at(b, "level", i)),
                days,
            },
            "nothing_rated" => {
                assert_eq!(codes(b, "red_flags", i), None);
                assert_eq!(
                    (code(b, "risk_level", i), text(b, "domain", i)),
                    (None, None)
                );
                FollowUpReason::NothingRated { days }
            }
            other => panic!("follow-up {other}"),
        }
    }

    #[test]
    fn the_follow_ups_table_holds_every_follow_up_and_rule_considered() {
        let mut t = trajectories();
        // Red flags and a high risk, beside the synthetic cases' worst levels.
        let model = ReintegrationModel::default();
        let case = synthetic_cases(1, 3, as_of())
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        let mut latest = case.assessments.last().unwrap().clone();
        latest.red_flags = vec![RedFlag::UntreatedInjury, RedFlag::ImmediateDanger];
        let mut flagged = model
            .trajectory(&case.assessments, &[], None, as_of())
            .unwrap();
        flagged.follow_up =
            next_follow_up(&latest, Some(RiskLevel::High), &FollowUpConfig::default());
        latest.ratings.clear();
        let mut bare = flagged.clone();
        bare.follow_up = next_follow_up(
            &latest,
            Some(RiskLevel::Moderate),
            &FollowUpConfig::default(),
        );
        t.extend([flagged, bare]);
        let used: HashSet<&str> = t
            .iter()
            .flat_map(|t| &t.follow_up.considered)
            .map(FollowUpReason::code)
            .collect();
        assert_eq!(used.len(), FOLLOW_UP_CODES.len(), "{used:?}");

        let b = read(&follow_ups_ipc(&t).unwrap(), FOLLOW_UPS);
        assert_eq!(b.num_rows(), t.len());
        for (i, t) in t.iter().enumerate() {
            let f = &t.follow_up;
            let days = u32_at(&b, "days", i).unwrap();
            let c = items(&b, "considered", i);
            let considered: Vec<FollowUpReason> = (0..c.len())
                .map(|j| read_reason(&c, "code", j, u32_at(&c, "days", j).unwrap()))
                .collect();
            let got = FollowUp {
                assessment_id: AssessmentId::new(text(&b, "assessment_id", i).unwrap()).unwrap(),
                from: date_at(&b, "from", i),
                due_on: date_at(&b, "due_on", i),
                days,
                reason: read_reason(&b, "reason", i, days),
                considered,
            };
            assert_eq!(text(&b, "case_id", i).unwrap(), t.case_id.as_str());
            assert_eq!(&got, f);
        }
    }
}
