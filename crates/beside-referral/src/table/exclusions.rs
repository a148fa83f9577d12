//! The exclusions table, `beside.exclusions/1`: a row per exclusion count and per near miss
//! (see the module docs).

use super::columns::{
    band_codes, micros, parts, push_withheld, utc_micros, withheld_codes, Codes, Texts,
};
use super::exclusion_figures::{exclusion_row, ExclusionRow};
use super::{fault, match_error, Fault, EXCLUSIONS, VETO_CODES};
use crate::directory::ServiceStatus;
use crate::matching::{AreaTest, ExclusionCode, MatchError, MatchResult, NearMiss, SafetyConcern};
use crate::whereabouts::DistanceBand;
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, UInt32Array};
use beside_core::table::{record_batch, write_ipc_stream};
use beside_core::OrganizationKind;
use std::sync::Arc;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{ExclusionCount, NeedMatch, PathwayStep};
    use crate::table::exclusion_figures::tests::{
        every_exclusion, figure_validity, read_exclusion,
    };
    use crate::table::factors::tests::{every_basis, with_bases};
    use crate::table::matches::tests::check_matches;
    use crate::table::tests::{
        bools, by_key, codes, col, f64s, index, nulls_elsewhere, read, sample_results, texts, u32s,
        withheld_of,
    };
    use crate::whereabouts::{Withheld, WithheldReason};
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int8Type;
    use beside_core::{OrganizationId, ServiceId};

    /// One row of an exclusions table, as the records say it.
    #[derive(Debug, PartialEq)]
    enum ExclusionRowOf {
        Count(ExclusionCount),
        NearMiss(NearMiss),
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
}
