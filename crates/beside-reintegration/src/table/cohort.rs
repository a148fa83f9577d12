//! The cohort summary table (`beside.cohort_summary/1`), as the [module docs](super) describe
//! it.

use super::{
    dict, dict_all, figure_columns, key_of, Column, COHORT_CATEGORIES, COHORT_SUMMARY,
    COHORT_TABLES,
};
use crate::cohort::{Category, CohortSummary, Count, Table, Variable};
use crate::error::ReintegrationError;
use arrow_array::{RecordBatch, StringArray, UInt8Array};
use beside_core::table::{record_batch, write_ipc_stream};
use std::sync::Arc;

/// The `category` value of a cell: the level, status or risk level's key, or `not_scored`,
/// `not_assessed`.
fn category_key(c: Category) -> &'static str {
    match c {
        Category::Level { level } => level.key(),
        Category::NotScored => "not_scored",
        Category::Status { status } => status.key(),
        Category::Risk { level } => level.key(),
        Category::NotAssessed => "not_assessed",
    }
}

/// The `table` and `variable` values of a table: `outcome` and its key, `phase` and its key,
/// or `risk` and none.
fn variable_of(v: &Variable) -> (&'static str, Option<&str>) {
    match v {
        Variable::Outcome { outcome } => ("outcome", Some(outcome.as_str())),
        Variable::Phase { phase } => ("phase", Some(phase.key())),
        Variable::Risk => ("risk", None),
    }
}

/// The cohort summary table (`beside.cohort_summary/1`, see the module docs) of `summary`:
/// every cell of its outcome, phase and risk tables as a row, then its total, a suppressed
/// count null and marked with why. A researcher can publish it as it is: no suppressed figure
/// is in it.
pub fn cohort_summary_table(summary: &CohortSummary) -> Result<RecordBatch, ReintegrationError> {
    let tables: Vec<&Table> = summary
        .outcomes
        .iter()
        .chain(&summary.phases)
        .chain(std::iter::once(&summary.risk))
        .collect();
    let rows = tables.iter().map(|t| t.cells.len()).sum::<usize>() + 1;
    let mut table = Vec::with_capacity(rows);
    let mut variable = Vec::with_capacity(rows);
    let mut category = Vec::with_capacity(rows);
    let mut level = Vec::with_capacity(rows);
    let mut figures: Vec<Count> = Vec::with_capacity(rows);
    for t in &tables {
        let (kind, key) = variable_of(&t.variable);
        for cell in &t.cells {
            table.push(key_of(&COHORT_TABLES, &kind, "table")?);
            variable.push(key);
            category.push(Some(key_of(
                &COHORT_CATEGORIES,
                &category_key(cell.category),
                "category",
            )?));
            level.push(match cell.category {
                Category::Level { level } => Some(level.number()),
                _ => None,
            });
            figures.push(cell.count);
        }
    }
    table.push(key_of(&COHORT_TABLES, &"total", "table")?);
    variable.push(None);
    category.push(None);
    level.push(None);
    figures.push(summary.total);
    let mut columns: Vec<Column> = vec![
        ("table", dict_all(table, &COHORT_TABLES, "table")?, false),
        ("variable", Arc::new(StringArray::from(variable)), true),
        (
            "category",
            dict(category, &COHORT_CATEGORIES, "category")?,
            true,
        ),
        ("level", Arc::new(UInt8Array::from(level)), true),
    ];
    columns.extend(figure_columns(&figures, summary.k)?);
    Ok(record_batch(COHORT_SUMMARY, columns)?)
}

/// [`cohort_summary_table`] as Arrow IPC stream bytes.
pub fn cohort_summary_ipc(summary: &CohortSummary) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&cohort_summary_table(summary)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::{Cell, CohortCase, CohortConfig};
    use crate::phase::{Phase, PhaseStatus};
    use crate::risk::RiskLevel;
    use crate::table::tests::{code, col, read, text};
    use crate::OutcomeKey;
    use arrow_array::{Array, BooleanArray, UInt32Array, UInt64Array};
    use beside_core::Level;
    use proptest::prelude::*;

    /// The count of row `i`: published, or suppressed for the reason its row gives.
    fn count_at(b: &RecordBatch, i: usize) -> Count {
        let count = col::<UInt64Array>(b, "count");
        let k = col::<UInt32Array>(b, "k").value(i);
        match code(b, "why", i).as_deref() {
            None => Count::Published {
                value: count.value(i),
            },
            Some("below_threshold") => Count::BelowThreshold { k },
            Some("complementary") => Count::Complementary { k },
            Some("cohort_too_small") => Count::CohortTooSmall { k },
            Some(other) => panic!("unknown why {other}"),
        }
    }

    fn category_at(b: &RecordBatch, table: &str, i: usize) -> Category {
        let name = code(b, "category", i).unwrap();
        let level = col::<UInt8Array>(b, "level");
        match (table, name.as_str()) {
            ("outcome", "not_scored") => Category::NotScored,
            ("outcome", key) => {
                let l = Level::from_number(level.value(i)).unwrap();
                assert_eq!(l.key(), key, "row {i}: level and category agree");
                Category::Level { level: l }
            }
            ("phase", key) => Category::Status {
                status: *PhaseStatus::ALL.iter().find(|s| s.key() == key).unwrap(),
            },
            ("risk", "not_assessed") => Category::NotAssessed,
            ("risk", key) => Category::Risk {
                level: *RiskLevel::ALL.iter().find(|l| l.key() == key).unwrap(),
            },
            other => panic!("row {i}: {other:?}"),
        }
    }

    /// The summary the table says, rebuilt from its rows alone.
    fn rebuilt(b: &RecordBatch) -> CohortSummary {
        let mut outcomes: Vec<Table> = Vec::new();
        let mut phases: Vec<Table> = Vec::new();
        let mut risk: Option<Table> = None;
        let mut total = None;
        for i in 0..b.num_rows() {
            let table = code(b, "table", i).unwrap();
            let variable = match (table.as_str(), text(b, "variable", i)) {
                ("total", None) => {
                    assert!(code(b, "category", i).is_none());
                    total = Some(count_at(b, i));
                    continue;
                }
                ("outcome", Some(key)) => Variable::Outcome {
                    outcome: OutcomeKey::new(&key).unwrap(),
                },
                ("phase", Some(key)) => Variable::Phase {
                    phase: *Phase::ALL.iter().find(|p| p.key() == key).unwrap(),
                },
                ("risk", None) => Variable::Risk,
                other => panic!("row {i}: {other:?}"),
            };
            let cell = Cell {
                category: category_at(b, &table, i),
                count: count_at(b, i),
            };
            let list = match table.as_str() {
                "outcome" => &mut outcomes,
                "phase" => &mut phases,
                _ => {
                    risk.get_or_insert_with(|| Table {
                        variable: variable.clone(),
                        cells: Vec::new(),
                    })
                    .cells
                    .push(cell);
                    continue;
                }
            };
            match list.last_mut() {
                Some(t) if t.variable == variable => t.cells.push(cell),
                _ => list.push(Table {
                    variable,
                    cells: vec![cell],
                }),
            }
        }
        let tables = outcomes.iter().chain(&phases).chain(risk.iter());
        let suppressed_cells = tables
            .flat_map(|t| &t.cells)
            .filter(|c| c.count.value().is_none())
            .count();
        CohortSummary {
            k: col::<UInt32Array>(b, "k").value(0),
            total: total.unwrap(),
            outcomes,
            phases,
            risk: risk.unwrap(),
            suppressed_cells: u32::try_from(suppressed_cells).unwrap(),
        }
    }

    fn case(levels: [Option<u8>; 4], risk: Option<RiskLevel>, consent: bool) -> CohortCase {
        let mut c = CohortCase {
            risk,
            statistics_consent: consent,
            ..CohortCase::default()
        };
        for (slot, l) in c.outcomes.iter_mut().zip(levels) {
            *slot = l.map(|n| Level::from_number(n).unwrap());
        }
        c.phases[0] = PhaseStatus::Achieved;
        c
    }

    #[test]
    fn a_cohort_summary_in_long_form_says_what_the_summary_says() {
        // 60 consenting cases and 5 that did not: those 5 are not counted.
        let cases: Vec<CohortCase> = (0u8..65)
            .map(|i| {
                let level = (i < 60).then_some(1 + i % 5);
                let risk = [Some(RiskLevel::Low), Some(RiskLevel::High), None][usize::from(i % 3)];
                case([level, Some(3), None, Some(5)], risk, i < 60)
            })
            .collect();
        let s = CohortSummary::from_cases(&cases, &CohortConfig::default()).unwrap();
        let b = read(&cohort_summary_ipc(&s).unwrap(), COHORT_SUMMARY);
        // 4 outcomes x 6 categories, 6 phases x 5 statuses, 4 risk categories, the total.
        assert_eq!(b.num_rows(), 4 * 6 + 6 * 5 + 4 + 1);
        assert_eq!(rebuilt(&b), s);
        let last = b.num_rows() - 1;
        assert_eq!(code(&b, "table", last).as_deref(), Some("total"));
        assert_eq!(count_at(&b, last), Count::Published { value: 60 });
        // The first outcome's level 1: twelve people; its "not scored": none.
        assert_eq!(code(&b, "category", 0).as_deref(), Some("in_crisis"));
        assert_eq!(col::<UInt8Array>(&b, "level").value(0), 1);
        assert_eq!(count_at(&b, 0), Count::Published { value: 12 });
        assert_eq!(count_at(&b, 5), Count::Published { value: 0 });
        assert_eq!(code(&b, "category", 5).as_deref(), Some("not_scored"));
        assert!(col::<UInt8Array>(&b, "level").is_null(5));
        // Every row carries the threshold.
        assert!(col::<UInt32Array>(&b, "k")
            .values()
            .iter()
            .all(|&k| k == 11));

        // Too small a cohort: every figure suppressed, saying why.
        let small = CohortSummary::from_cases(&cases[..4], &CohortConfig::default()).unwrap();
        let b = cohort_summary_table(&small).unwrap();
        assert_eq!(col::<UInt64Array>(&b, "count").null_count(), b.num_rows());
        assert!(
            (0..b.num_rows()).all(|i| code(&b, "why", i).as_deref() == Some("cohort_too_small"))
        );
        assert_eq!(rebuilt(&b), small);
    }

    #[test]
    fn the_category_dictionary_lists_every_category_once_in_its_order() {
        let categories: Vec<&str> = Level::ALL
            .iter()
            .map(|&level| Category::Level { level })
            .chain([Category::NotScored])
            .chain(
                PhaseStatus::ALL
                    .iter()
                    .map(|&status| Category::Status { status }),
            )
            .chain(RiskLevel::ALL.iter().map(|&level| Category::Risk { level }))
            .chain([Category::NotAssessed])
            .map(category_key)
            .collect();
        assert_eq!(categories, COHORT_CATEGORIES);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// However the cohort falls, the table rebuilds the summary exactly, and a suppressed
        /// figure is a null whose bytes are 0: the stream holds nothing of it.
        #[test]
        fn the_table_is_the_summary_and_holds_no_suppressed_figure(
            cases in proptest::collection::vec(
                (proptest::array::uniform4(proptest::option::of(1u8..=5)),
                 proptest::option::of(0usize..3), any::<bool>()),
                0..60,
            ),
            k in 2u32..15,
        ) {
            let cases: Vec<CohortCase> = cases
                .into_iter()
                .map(|(levels, risk, consent)| case(levels, risk.map(|r| RiskLevel::ALL[r]), consent))
                .collect();
            let config = CohortConfig { k, ..CohortConfig::default() };
            let s = CohortSummary::from_cases(&cases, &config).unwrap();
            let b = read(&cohort_summary_ipc(&s).unwrap(), COHORT_SUMMARY);
            prop_assert_eq!(rebuilt(&b), s);
            let count = col::<UInt64Array>(&b, "count");
            let suppressed = col::<BooleanArray>(&b, "suppressed");
            for i in 0..b.num_rows() {
                prop_assert_eq!(count.is_null(i), suppressed.value(i));
                if count.is_null(i) {
                    prop_assert_eq!(count.values()[i], 0);
                }
            }
        }
    }
}
