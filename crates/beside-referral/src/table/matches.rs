//! The matches table, `beside.matches/1`: a row per candidate (see the module docs).

use super::columns::{
    band_codes, micros, push_withheld, u32_of, utc_micros, withheld_codes, Codes, Ends, Texts,
};
use super::factors::FactorColumns;
use super::{fault, match_error, Fault, MATCHES};
use crate::matching::{Candidate, MatchError, MatchResult, PathwayStep};
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, UInt32Array};
use beside_core::table::{record_batch, write_ipc_stream};
use beside_core::OrganizationKind;
use std::sync::Arc;

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

/// The matches table read back and checked against its records, for these tests and the
/// exclusions tests.
#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::matching::NeedMatch;
    use crate::table::factors::tests::read_factors;
    use crate::table::tests::{
        bools, code_lists, codes, col, f64s, field, index, lists, read, sample_results, text_lists,
        texts, u32s, withheld_of,
    };
    use arrow_array::cast::AsArray;
    use beside_core::DomainKey;

    /// Write `results` as a matches table, read it back, and check that its rows are the
    /// candidates, one each, in order, with every figure.
    pub(in crate::table) fn check_matches(results: &[MatchResult]) -> RecordBatch {
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
}
