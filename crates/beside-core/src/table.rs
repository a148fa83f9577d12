//! Tables in Apache Arrow form, for researchers' batches: reading the columns of a table
//! strictly, and Arrow IPC stream bytes in and out (how a table crosses to Python, Kotlin and
//! Swift: pyarrow's `Table`, polars and pandas all read and write them).
//!
//! The tables themselves (which columns, which types) belong to the crates that rank or score
//! them: `beside_needs::table` for assessments. This module holds what every table needs:
//!
//! - [`TableReader`]: the batches of one table, its columns found by name and checked once —
//!   an unknown column is an error naming it and the known ones, a missing or mistyped column
//!   an error naming the column and the type expected;
//! - typed columns ([`StrColumn`], [`IntColumn`], [`BoolColumn`], [`TimeColumn`]) whose values
//!   are read by row, a null where none is allowed being an error naming the row
//!   (`rows[17].level`);
//! - [`read_ipc_stream`] and [`write_ipc_stream`].
//!
//! A row is numbered from 0 across the whole table, batch after batch, as pandas numbers a
//! `DataFrame` made from it.

use crate::error::{FieldError, Reason, ValidationErrors};
use crate::Timestamp;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, BooleanArray, PrimitiveArray, RecordBatch};
use arrow_schema::{DataType, SchemaRef, TimeUnit};

/// Largest IPC stream accepted: 4 GiB (a million assessments in long form take about 200 MB).
pub const MAX_IPC_BYTES: usize = 4 << 30;

/// The key of a table's schema metadata naming its kind and version, such as
/// `beside.priorities/1`.
pub const SCHEMA_KEY: &str = "beside.schema";

/// The error of a problem with a column as a whole (`path` is the column's name).
pub fn column_error(column: &str, reason: Reason) -> ValidationErrors {
    FieldError::new(column, reason).into()
}

/// The error of a problem with one value: `rows[<row>].<column>`.
pub fn cell_error(row: usize, column: &str, reason: Reason) -> ValidationErrors {
    FieldError::new(format!("rows[{row}].{column}"), reason).into()
}

/// An error from the Arrow library (a malformed stream, an array that cannot be built).
fn arrow_error(e: arrow_schema::ArrowError) -> ValidationErrors {
    FieldError::new(
        "",
        Reason::Malformed {
            message: format!("Arrow IPC stream: {e}"),
            line: 0,
            column: 0,
        },
    )
    .into()
}

/// Read an Arrow IPC stream (the format of `pyarrow.ipc.new_stream`, not the file format):
/// its schema and every record batch, in order. Nothing may follow the end of the stream.
pub fn read_ipc_stream(bytes: &[u8]) -> Result<(SchemaRef, Vec<RecordBatch>), ValidationErrors> {
    if bytes.len() > MAX_IPC_BYTES {
        return Err(FieldError::new(
            "",
            Reason::TooLarge {
                max: MAX_IPC_BYTES,
                got: bytes.len(),
            },
        )
        .into());
    }
    let mut cursor = std::io::Cursor::new(bytes);
    let reader =
        arrow_ipc::reader::StreamReader::try_new(&mut cursor, None).map_err(arrow_error)?;
    let schema = reader.schema();
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(arrow_error)?;
    // INVARIANT: the cursor never moves past the end of `bytes`, whose length is a usize.
    let read = usize::try_from(cursor.position()).map_err(|_| {
        FieldError::new(
            "",
            Reason::TooLarge {
                max: MAX_IPC_BYTES,
                got: bytes.len(),
            },
        )
    })?;
    if read < bytes.len() {
        return Err(FieldError::new(
            "",
            Reason::Malformed {
                message: format!(
                    "{} bytes after the end of the Arrow IPC stream (at byte {read})",
                    bytes.len() - read
                ),
                line: 0,
                column: 0,
            },
        )
        .into());
    }
    Ok((schema, batches))
}

/// Write one record batch as an Arrow IPC stream (schema, the batch, the end-of-stream mark).
pub fn write_ipc_stream(batch: &RecordBatch) -> Result<Vec<u8>, ValidationErrors> {
    let mut out = Vec::new();
    let mut writer =
        arrow_ipc::writer::StreamWriter::try_new(&mut out, &batch.schema()).map_err(arrow_error)?;
    writer.write(batch).map_err(arrow_error)?;
    writer.finish().map_err(arrow_error)?;
    drop(writer);
    Ok(out)
}

/// Build a record batch from named columns, with `schema_name` in its metadata under
/// [`SCHEMA_KEY`]. The columns' own types and nullability make the schema.
pub fn record_batch(
    schema_name: &str,
    columns: Vec<(&str, ArrayRef, bool)>,
) -> Result<RecordBatch, ValidationErrors> {
    let fields: Vec<arrow_schema::Field> = columns
        .iter()
        .map(|(name, array, nullable)| {
            arrow_schema::Field::new(*name, array.data_type().clone(), *nullable)
        })
        .collect();
    let metadata: std::collections::HashMap<String, String> =
        std::iter::once((SCHEMA_KEY.to_owned(), schema_name.to_owned())).collect();
    let schema = arrow_schema::Schema::new_with_metadata(fields, metadata);
    RecordBatch::try_new(
        std::sync::Arc::new(schema),
        columns.into_iter().map(|(_, a, _)| a).collect(),
    )
    .map_err(arrow_error)
}

/// What a column must hold, as told in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text: Arrow `utf8`, `large_utf8` or `utf8_view`.
    Text,
    /// Whole numbers: any Arrow integer type.
    Integer,
    /// `true` or `false`: Arrow `bool`.
    Boolean,
    /// A moment: Arrow `timestamp` of any unit, with a time zone.
    Moment,
}

impl ColumnType {
    /// The type in words, as errors name it.
    pub fn words(self) -> &'static str {
        match self {
            ColumnType::Text => "text (utf8, large_utf8 or utf8_view)",
            ColumnType::Integer => "integers (int8 to int64 or uint8 to uint64)",
            ColumnType::Boolean => "booleans (bool)",
            ColumnType::Moment => "timestamps with a time zone (timestamp[unit, tz])",
        }
    }
}

/// One column a table may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Its name.
    pub name: &'static str,
    /// What it holds.
    pub kind: ColumnType,
    /// Whether the table must have it.
    pub required: bool,
}

/// The batches of one table, checked against its column specs: every column known, every
/// required column present, every column of its type, in every batch.
#[derive(Debug)]
pub struct TableReader<'t> {
    batches: &'t [RecordBatch],
    /// The row number of each batch's first row.
    starts: Vec<usize>,
    rows: usize,
}

impl<'t> TableReader<'t> {
    /// Check `batches` (of `schema`) against `specs`. An unknown column, a missing required
    /// column or a column of another type is an error naming the column.
    pub fn new(
        schema: &SchemaRef,
        batches: &'t [RecordBatch],
        specs: &[ColumnSpec],
    ) -> Result<Self, ValidationErrors> {
        let known = || specs.iter().map(|s| s.name.to_owned()).collect();
        for field in schema.fields() {
            let Some(spec) = specs.iter().find(|s| s.name == field.name()) else {
                return Err(column_error(
                    field.name(),
                    Reason::Unknown {
                        value: field.name().clone(),
                        known: known(),
                    },
                ));
            };
            if !has_type(field.data_type(), spec.kind) {
                return Err(column_error(
                    spec.name,
                    Reason::Invalid {
                        expected: format!("a column of {}", spec.kind.words()),
                        value: field.data_type().to_string(),
                    },
                ));
            }
        }
        for spec in specs.iter().filter(|s| s.required) {
            if schema.column_with_name(spec.name).is_none() {
                return Err(column_error(
                    spec.name,
                    Reason::Required {
                        what: format!("a column `{}` of {}", spec.name, spec.kind.words()),
                    },
                ));
            }
        }
        let mut starts = Vec::with_capacity(batches.len());
        let mut rows = 0usize;
        for b in batches {
            if b.schema().fields() != schema.fields() {
                return Err(column_error(
                    "",
                    Reason::Invalid {
                        expected: "every batch of the stream with the stream's schema".into(),
                        value: b.schema().to_string(),
                    },
                ));
            }
            starts.push(rows);
            rows += b.num_rows();
        }
        Ok(TableReader {
            batches,
            starts,
            rows,
        })
    }

    /// The number of rows, all batches together.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The batches, each with the row number of its first row.
    pub fn batches(&self) -> impl Iterator<Item = (usize, &'t RecordBatch)> + '_ {
        self.starts.iter().copied().zip(self.batches.iter())
    }
}

/// Whether an Arrow type is one `kind` accepts.
fn has_type(t: &DataType, kind: ColumnType) -> bool {
    match kind {
        ColumnType::Text => matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View),
        ColumnType::Integer => t.is_integer(),
        ColumnType::Boolean => matches!(t, DataType::Boolean),
        ColumnType::Moment => matches!(t, DataType::Timestamp(_, Some(_))),
    }
}

/// The column `name` of `batch`, when the table has it.
fn column<'b>(batch: &'b RecordBatch, name: &str) -> Option<&'b ArrayRef> {
    batch.column_by_name(name)
}

/// The error of a column whose type was checked by [`TableReader::new`] but reads otherwise.
fn unchecked(name: &str, t: &DataType) -> ValidationErrors {
    column_error(
        name,
        Reason::Invalid {
            expected: "the column type checked when the table was read".into(),
            value: t.to_string(),
        },
    )
}

/// A text column of one batch.
#[derive(Debug, Clone, Copy)]
pub enum StrColumn<'b> {
    /// `utf8`.
    Utf8(&'b arrow_array::StringArray),
    /// `large_utf8`.
    Large(&'b arrow_array::LargeStringArray),
    /// `utf8_view`.
    View(&'b arrow_array::StringViewArray),
}

impl<'b> StrColumn<'b> {
    /// The text column `name` of `batch` (`None` when the table has no such column).
    pub fn of(batch: &'b RecordBatch, name: &str) -> Result<Option<Self>, ValidationErrors> {
        let Some(a) = column(batch, name) else {
            return Ok(None);
        };
        let c = if let Some(s) = a.as_string_opt::<i32>() {
            StrColumn::Utf8(s)
        } else if let Some(s) = a.as_string_opt::<i64>() {
            StrColumn::Large(s)
        } else if let Some(s) = a.as_string_view_opt() {
            StrColumn::View(s)
        } else {
            return Err(unchecked(name, a.data_type()));
        };
        Ok(Some(c))
    }

    /// The value of row `i` of the batch, `None` for a null.
    pub fn get(&self, i: usize) -> Option<&'b str> {
        match self {
            StrColumn::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::Large(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

/// An integer column of one batch, of any width.
#[derive(Debug, Clone, Copy)]
pub enum IntColumn<'b> {
    /// `int8`.
    I8(&'b PrimitiveArray<Int8Type>),
    /// `int16`.
    I16(&'b PrimitiveArray<Int16Type>),
    /// `int32`.
    I32(&'b PrimitiveArray<Int32Type>),
    /// `int64`.
    I64(&'b PrimitiveArray<Int64Type>),
    /// `uint8`.
    U8(&'b PrimitiveArray<UInt8Type>),
    /// `uint16`.
    U16(&'b PrimitiveArray<UInt16Type>),
    /// `uint32`.
    U32(&'b PrimitiveArray<UInt32Type>),
    /// `uint64`.
    U64(&'b PrimitiveArray<UInt64Type>),
}

impl<'b> IntColumn<'b> {
    /// The integer column `name` of `batch` (`None` when the table has no such column).
    pub fn of(batch: &'b RecordBatch, name: &str) -> Result<Option<Self>, ValidationErrors> {
        let Some(a) = column(batch, name) else {
            return Ok(None);
        };
        let c = match a.data_type() {
            DataType::Int8 => a.as_primitive_opt().map(IntColumn::I8),
            DataType::Int16 => a.as_primitive_opt().map(IntColumn::I16),
            DataType::Int32 => a.as_primitive_opt().map(IntColumn::I32),
            DataType::Int64 => a.as_primitive_opt().map(IntColumn::I64),
            DataType::UInt8 => a.as_primitive_opt().map(IntColumn::U8),
            DataType::UInt16 => a.as_primitive_opt().map(IntColumn::U16),
            DataType::UInt32 => a.as_primitive_opt().map(IntColumn::U32),
            DataType::UInt64 => a.as_primitive_opt().map(IntColumn::U64),
            _ => None,
        };
        c.map(Some).ok_or_else(|| unchecked(name, a.data_type()))
    }

    /// The value of row `i` of the batch, `None` for a null (every integer type fits `i128`).
    pub fn get(&self, i: usize) -> Option<i128> {
        fn at<T: arrow_array::ArrowPrimitiveType>(
            a: &PrimitiveArray<T>,
            i: usize,
        ) -> Option<T::Native> {
            a.is_valid(i).then(|| a.value(i))
        }
        match self {
            IntColumn::I8(a) => at(a, i).map(i128::from),
            IntColumn::I16(a) => at(a, i).map(i128::from),
            IntColumn::I32(a) => at(a, i).map(i128::from),
            IntColumn::I64(a) => at(a, i).map(i128::from),
            IntColumn::U8(a) => at(a, i).map(i128::from),
            IntColumn::U16(a) => at(a, i).map(i128::from),
            IntColumn::U32(a) => at(a, i).map(i128::from),
            IntColumn::U64(a) => at(a, i).map(i128::from),
        }
    }
}

/// A boolean column of one batch.
#[derive(Debug, Clone, Copy)]
pub struct BoolColumn<'b>(&'b BooleanArray);

impl<'b> BoolColumn<'b> {
    /// The boolean column `name` of `batch` (`None` when the table has no such column).
    pub fn of(batch: &'b RecordBatch, name: &str) -> Result<Option<Self>, ValidationErrors> {
        let Some(a) = column(batch, name) else {
            return Ok(None);
        };
        a.as_boolean_opt()
            .map(|b| Some(BoolColumn(b)))
            .ok_or_else(|| unchecked(name, a.data_type()))
    }

    /// The value of row `i` of the batch, `None` for a null.
    pub fn get(&self, i: usize) -> Option<bool> {
        self.0.is_valid(i).then(|| self.0.value(i))
    }
}

/// A timestamp column of one batch, of any unit (values are instants: the time zone of the
/// column only says how to show them).
#[derive(Debug, Clone, Copy)]
pub enum TimeColumn<'b> {
    /// `timestamp[s]`.
    Seconds(&'b PrimitiveArray<TimestampSecondType>),
    /// `timestamp[ms]`.
    Millis(&'b PrimitiveArray<TimestampMillisecondType>),
    /// `timestamp[us]`.
    Micros(&'b PrimitiveArray<TimestampMicrosecondType>),
    /// `timestamp[ns]`.
    Nanos(&'b PrimitiveArray<TimestampNanosecondType>),
}

impl<'b> TimeColumn<'b> {
    /// The timestamp column `name` of `batch` (`None` when the table has no such column).
    pub fn of(batch: &'b RecordBatch, name: &str) -> Result<Option<Self>, ValidationErrors> {
        let Some(a) = column(batch, name) else {
            return Ok(None);
        };
        let c = match a.data_type() {
            DataType::Timestamp(TimeUnit::Second, _) => a.as_primitive_opt().map(Self::Seconds),
            DataType::Timestamp(TimeUnit::Millisecond, _) => a.as_primitive_opt().map(Self::Millis),
            DataType::Timestamp(TimeUnit::Microsecond, _) => a.as_primitive_opt().map(Self::Micros),
            DataType::Timestamp(TimeUnit::Nanosecond, _) => a.as_primitive_opt().map(Self::Nanos),
            _ => None,
        };
        c.map(Some).ok_or_else(|| unchecked(name, a.data_type()))
    }

    /// The instant of row `i` of the batch: `None` for a null, `Some(None)` for a value
    /// outside the dates chrono represents (about 262,000 years either side of 1970).
    pub fn get(&self, i: usize) -> Option<Option<Timestamp>> {
        use chrono::DateTime;
        match self {
            Self::Seconds(a) => a
                .is_valid(i)
                .then(|| DateTime::from_timestamp(a.value(i), 0)),
            Self::Millis(a) => a
                .is_valid(i)
                .then(|| DateTime::from_timestamp_millis(a.value(i))),
            Self::Micros(a) => a
                .is_valid(i)
                .then(|| DateTime::from_timestamp_micros(a.value(i))),
            Self::Nanos(a) => a
                .is_valid(i)
                .then(|| Some(DateTime::from_timestamp_nanos(a.value(i)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, StringArray};
    use std::sync::Arc;

    fn table() -> RecordBatch {
        record_batch(
            "test/1",
            vec![
                (
                    "name",
                    Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef,
                    false,
                ),
                (
                    "n",
                    Arc::new(Int64Array::from(vec![Some(1), None])) as ArrayRef,
                    true,
                ),
            ],
        )
        .unwrap()
    }

    const SPECS: [ColumnSpec; 2] = [
        ColumnSpec {
            name: "name",
            kind: ColumnType::Text,
            required: true,
        },
        ColumnSpec {
            name: "n",
            kind: ColumnType::Integer,
            required: false,
        },
    ];

    #[test]
    fn a_stream_round_trips_with_its_metadata() {
        let bytes = write_ipc_stream(&table()).unwrap();
        let (schema, batches) = read_ipc_stream(&bytes).unwrap();
        assert_eq!(
            schema.metadata().get(SCHEMA_KEY).map(String::as_str),
            Some("test/1")
        );
        assert_eq!(batches, vec![table()]);
        let t = TableReader::new(&schema, &batches, &SPECS).unwrap();
        assert_eq!(t.rows(), 2);
        let (_, b) = t.batches().next().unwrap();
        let n = IntColumn::of(b, "n").unwrap().unwrap();
        assert_eq!((n.get(0), n.get(1)), (Some(1), None));
        assert_eq!(StrColumn::of(b, "name").unwrap().unwrap().get(1), Some("b"));
    }

    #[test]
    fn bytes_after_the_stream_or_a_cut_stream_are_refused() {
        let mut bytes = write_ipc_stream(&table()).unwrap();
        bytes.push(0);
        let e = read_ipc_stream(&bytes).unwrap_err();
        assert!(e.to_string().contains("1 bytes after the end"), "{e}");
        bytes.truncate(bytes.len() / 2);
        assert!(read_ipc_stream(&bytes).is_err());
        assert!(read_ipc_stream(b"not arrow").is_err());
    }

    #[test]
    fn unknown_missing_and_mistyped_columns_are_named() {
        let t = table();
        let only_n = [SPECS[1]];
        let e = TableReader::new(&t.schema(), std::slice::from_ref(&t), &only_n).unwrap_err();
        assert_eq!(e.errors[0].path, "name");
        assert!(matches!(&e.errors[0].reason, Reason::Unknown { known, .. } if known == &["n"]));
        let mut wider = SPECS.to_vec();
        wider.push(ColumnSpec {
            name: "when",
            kind: ColumnType::Moment,
            required: true,
        });
        let e = TableReader::new(&t.schema(), std::slice::from_ref(&t), &wider).unwrap_err();
        assert_eq!(e.errors[0].path, "when");
        assert!(e.to_string().contains("timestamps with a time zone"), "{e}");
        let text_n = [
            SPECS[0],
            ColumnSpec {
                name: "n",
                kind: ColumnType::Text,
                required: false,
            },
        ];
        let e = TableReader::new(&t.schema(), std::slice::from_ref(&t), &text_n).unwrap_err();
        assert_eq!(e.errors[0].path, "n");
        assert!(e.to_string().contains("got `Int64`"), "{e}");
    }
}
