//! The gaps table, `beside.gaps/1`: a row per area and need (see the module docs).

use super::columns::{parts, structs, u32_of, Codes, Ends, Texts};
use super::{fault, match_error, Fault, GAPS, PAPER_REASON_COLUMNS};
use crate::gaps::{AreaNeedGap, PaperReason};
use crate::matching::MatchError;
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch, UInt32Array};
use beside_core::table::{record_batch, write_ipc_stream};
use std::sync::Arc;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::{AreaLanguages, GapQuery, PaperOnly};
    use crate::table::tests::{
        area, by_key, code_lists, col, field, index, lists, read, text_lists, texts, u32s,
    };
    use arrow_array::cast::AsArray;
    use beside_core::{AreaPath, LanguageCode, ServiceId};

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
}
