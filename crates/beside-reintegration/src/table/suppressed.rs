//! The suppressed table (`beside.suppressed/1`), as the [module docs](super) describe it.

use super::{dict_all, figure_columns, key_of, position, Column, CELL_KINDS, SUPPRESSED};
use crate::cohort::{Count, SuppressedTable};
use crate::error::ReintegrationError;
use arrow_array::{RecordBatch, UInt32Array};
use beside_core::table::{record_batch, write_ipc_stream};
use beside_core::{FieldError, Reason};
use std::sync::Arc;

/// The error of a line of a suppressed table whose length does not fit the others.
fn ragged(path: String, expected: String, got: usize) -> ReintegrationError {
    FieldError::new(
        path,
        Reason::Invalid {
            expected,
            value: format!("{got} figures"),
        },
    )
    .into()
}

/// The suppressed table (`beside.suppressed/1`, see the module docs) of a two-way table after
/// suppression. A table whose rows are not all as long as its column totals, or whose row
/// totals are not one per row, is refused, naming the line (`cells[2]`).
pub fn suppressed_table(table: &SuppressedTable) -> Result<RecordBatch, ReintegrationError> {
    let columns = table.column_totals.len();
    if table.row_totals.len() != table.cells.len() {
        return Err(ragged(
            "row_totals".into(),
            format!("one total per row ({} rows)", table.cells.len()),
            table.row_totals.len(),
        ));
    }
    let mut figures: Vec<(&str, Option<usize>, Option<usize>, Count)> = Vec::new();
    for (i, row) in table.cells.iter().enumerate() {
        if row.len() != columns {
            return Err(ragged(
                format!("cells[{i}]"),
                format!("a row of {columns} cells, one per column total"),
                row.len(),
            ));
        }
        figures.extend(
            row.iter()
                .enumerate()
                .map(|(j, c)| ("cell", Some(i), Some(j), *c)),
        );
    }
    figures.extend(
        table
            .row_totals
            .iter()
            .enumerate()
            .map(|(i, c)| ("row_total", Some(i), None, *c)),
    );
    figures.extend(
        table
            .column_totals
            .iter()
            .enumerate()
            .map(|(j, c)| ("column_total", None, Some(j), *c)),
    );
    figures.push(("total", None, None, table.total));
    let mut kind = Vec::with_capacity(figures.len());
    let mut row = Vec::with_capacity(figures.len());
    let mut column = Vec::with_capacity(figures.len());
    let mut counts = Vec::with_capacity(figures.len());
    for (k, i, j, c) in figures {
        kind.push(key_of(&CELL_KINDS, &k, "cell_kind")?);
        row.push(i.map(|i| position(i, || "cells".into())).transpose()?);
        column.push(
            j.map(|j| position(j, || "column_totals".into()))
                .transpose()?,
        );
        counts.push(c);
    }
    let mut columns: Vec<Column> = vec![
        (
            "cell_kind",
            dict_all(kind, &CELL_KINDS, "cell_kind")?,
            false,
        ),
        ("row", Arc::new(UInt32Array::from(row)), true),
        ("column", Arc::new(UInt32Array::from(column)), true),
    ];
    columns.extend(figure_columns(&counts, table.k)?);
    Ok(record_batch(SUPPRESSED, columns)?)
}

/// [`suppressed_table`] as Arrow IPC stream bytes.
pub fn suppressed_ipc(table: &SuppressedTable) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&suppressed_table(table)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::suppress_two_way;
    use crate::table::tests::{code, col, read, u32_at};
    use arrow_array::{Array, BooleanArray, UInt64Array};
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn a_suppressed_table_in_long_form() {
        // The example of `cohort`: k = 5, the 3 is primary, three more cells complementary.
        let s = suppress_two_way(&[vec![3, 10, 20], vec![12, 7, 30]], 5).unwrap();
        let b = read(&suppressed_ipc(&s).unwrap(), SUPPRESSED);
        assert_eq!(b.num_rows(), 6 + 2 + 3 + 1);
        let row = |i| {
            (
                code(&b, "cell_kind", i).unwrap(),
                u32_at(&b, "row", i),
                u32_at(&b, "column", i),
                col::<UInt64Array>(&b, "count")
                    .is_valid(i)
                    .then(|| col::<UInt64Array>(&b, "count").value(i)),
                code(&b, "why", i),
            )
        };
        let s = |v: &str| v.to_owned();
        assert_eq!(
            row(0),
            (
                s("cell"),
                Some(0),
                Some(0),
                None,
                Some(s("below_threshold"))
            )
        );
        assert_eq!(row(2), (s("cell"), Some(0), Some(2), Some(20), None));
        assert_eq!(
            row(4),
            (s("cell"), Some(1), Some(1), None, Some(s("complementary")))
        );
        assert_eq!(row(7), (s("row_total"), Some(1), None, Some(49), None));
        assert_eq!(row(10), (s("column_total"), None, Some(2), Some(50), None));
        assert_eq!(row(11), (s("total"), None, None, Some(82), None));
        assert_eq!(
            col::<UInt32Array>(&b, "k")
                .values()
                .iter()
                .collect::<HashSet<_>>(),
            HashSet::from([&5])
        );
        // Too small a cohort: every figure suppressed, saying why.
        let small = suppress_two_way(&[vec![1, 2]], 5).unwrap();
        let b = suppressed_table(&small).unwrap();
        assert_eq!(col::<UInt64Array>(&b, "count").null_count(), b.num_rows());
        assert!(
            (0..b.num_rows()).all(|i| code(&b, "why", i).as_deref() == Some("cohort_too_small"))
        );
    }

    #[test]
    fn a_ragged_suppressed_table_is_refused_by_line() {
        let mut s = suppress_two_way(&[vec![30, 10], vec![12, 70]], 5).unwrap();
        s.cells[1].pop();
        let e = suppressed_table(&s).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cells[1]: must be a row of 2 cells"),
            "{e}"
        );
        s.cells.pop();
        let e = suppressed_table(&s).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("row_totals: must be one total per row (1 rows)"),
            "{e}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// However the table falls, a suppressed figure is a null whose bytes are 0 (the stream
        /// holds nothing of it), a published one its value, and every figure is there once.
        #[test]
        fn a_suppressed_count_never_appears_in_the_table(
            counts in (0usize..6).prop_flat_map(|columns| {
                proptest::collection::vec(proptest::collection::vec(0u64..30, columns), 0..6)
            }),
            k in 2u32..15,
        ) {
            let s = suppress_two_way(&counts, k).unwrap();
            let b = read(&suppressed_ipc(&s).unwrap(), SUPPRESSED);
            let figures: Vec<Count> = s.cells.iter().flatten()
                .chain(&s.row_totals).chain(&s.column_totals)
                .chain(std::iter::once(&s.total)).copied().collect();
            prop_assert_eq!(b.num_rows(), figures.len());
            let count = col::<UInt64Array>(&b, "count");
            let suppressed = col::<BooleanArray>(&b, "suppressed");
            for (i, c) in figures.iter().enumerate() {
                match c.value() {
                    Some(v) => {
                        prop_assert!(count.is_valid(i));
                        prop_assert_eq!(count.value(i), v);
                        prop_assert!(!suppressed.value(i));
                        prop_assert_eq!(code(&b, "why", i), None);
                    }
                    None => {
                        prop_assert!(count.is_null(i));
                        prop_assert_eq!(count.values()[i], 0);
                        prop_assert!(suppressed.value(i));
                        let why = code(&b, "why", i);
                        prop_assert_eq!(why.as_deref(), Some(c.code()));
                    }
                }
                let kind = code(&b, "cell_kind", i).unwrap();
                let margins = (u32_at(&b, "row", i).is_none(), u32_at(&b, "column", i).is_none());
                let want = match margins {
                    (false, false) => "cell",
                    (false, true) => "row_total",
                    (true, false) => "column_total",
                    (true, true) => "total",
                };
                prop_assert_eq!(kind.as_str(), want);
            }
            // The published figures of the original counts, and nothing else.
            let mut values: Vec<u64> = counts.iter().flatten().copied().collect();
            values.extend(counts.iter().map(|r| r.iter().sum::<u64>()));
            let columns = counts.first().map_or(0, Vec::len);
            values.extend((0..columns).map(|j| counts.iter().map(|r| r[j]).sum::<u64>()));
            values.push(counts.iter().flatten().sum());
            for (i, v) in values.iter().enumerate() {
                if count.is_valid(i) {
                    prop_assert_eq!(count.value(i), *v);
                }
            }
        }
    }
}
