//! Tables without copies, for Python: the Arrow C stream interface
//! (<https://arrow.apache.org/docs/format/CStreamInterface.html>) beside the Arrow IPC bytes
//! of [`NeedsEngine::prioritise_table`].
//!
//! Why: a million assessments are 1.2 GB of IPC bytes in and 1.45 GB out, and bytes cross
//! uniffi by copy, a byte at a time; of the 39.5 s that `prioritise_table` took for them,
//! about 30 s were copying (the ranking itself is about 9 s). Through the C stream interface
//! Rust reads pyarrow's buffers where they are and pyarrow takes the result's buffers as they
//! are.
//!
//! Built only with the `arrow-c-stream` feature, which the Python wheel enables
//! (`bindings/python/pyproject.toml`) and the Kotlin and Swift libraries do not: the calls take
//! memory addresses, which only `beside.research` hands over (from `ctypes` buffers it owns,
//! filled by pyarrow's `_export_to_c` and read by `_import_from_c`). This is the one module of
//! the workspace with `unsafe` code: each block says what it relies on.
#![allow(unsafe_code)]

use crate::error::BesideError;
use crate::needs::NeedsEngine;
use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::{ArrowError, SchemaRef};
use beside::core::{FieldError, Reason};
use beside::needs::BatchSummary;

/// An error of the Arrow library, as an input error of `argument`.
fn arrow_error(argument: &str, e: ArrowError) -> BesideError {
    FieldError::new(
        argument,
        Reason::Malformed {
            message: format!("Arrow C stream: {e}"),
            line: 0,
            column: 0,
        },
    )
    .into()
}

/// The address of an `ArrowArrayStream` as a pointer, refusing null and misaligned addresses
/// (the only wrong addresses that can be seen from here).
fn stream_at(argument: &str, address: u64) -> Result<*mut FFI_ArrowArrayStream, BesideError> {
    let align = std::mem::align_of::<FFI_ArrowArrayStream>();
    let at = usize::try_from(address)
        .ok()
        .filter(|a| *a != 0 && a % align == 0);
    let Some(at) = at else {
        return Err(FieldError::new(
            argument,
            Reason::Invalid {
                expected: format!(
                    "the address of an ArrowArrayStream (not null, a multiple of {align})"
                ),
                value: address.to_string(),
            },
        )
        .into());
    };
    Ok(at as *mut FFI_ArrowArrayStream)
}

/// Take the stream at `address` (leaving it released) and read all its batches, checking
/// each column fully (UTF-8, offsets, dictionary keys): the C interface itself checks
/// nothing, and a table from elsewhere is held to the rules an IPC stream is.
fn import(address: u64) -> Result<(SchemaRef, Vec<RecordBatch>), BesideError> {
    let raw = stream_at("input_stream", address)?;
    // SAFETY: `beside.research` passes the address of a `ctypes` buffer it owns, sized and
    // aligned for an `ArrowArrayStream`, that pyarrow's `_export_to_c` has just filled; the
    // buffer outlives this call. `from_raw` moves the stream out and marks the buffer released.
    let reader = unsafe { RecordBatchStreamReader::from_raw(raw) }
        .map_err(|e| arrow_error("input_stream", e))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| arrow_error("input_stream", e))?;
    for batch in &batches {
        for (field, column) in schema.fields().iter().zip(batch.columns()) {
            column
                .to_data()
                .validate_full()
                .map_err(|e| arrow_error(field.name(), e))?;
        }
    }
    Ok((schema, batches))
}

/// Hand `batch` over as a stream written at `address`, for pyarrow's `_import_from_c`.
fn export(batch: RecordBatch, address: u64) -> Result<(), BesideError> {
    let raw = stream_at("output_stream", address)?;
    let schema = batch.schema();
    let reader: Box<dyn RecordBatchReader + Send> =
        Box::new(RecordBatchIterator::new(vec![Ok(batch)], schema));
    let stream = FFI_ArrowArrayStream::new(reader);
    // SAFETY: `beside.research` passes the address of a zeroed `ctypes` buffer it owns, sized
    // and aligned for an `ArrowArrayStream` and holding no stream (so nothing is leaked by
    // overwriting it); pyarrow's `_import_from_c` takes the stream from it after this call.
    unsafe { std::ptr::write(raw, stream) };
    Ok(())
}

#[uniffi::export]
impl NeedsEngine {
    /// [`NeedsEngine::prioritise_table`] through the Arrow C stream interface, for
    /// `beside.research` (Python only): the assessments table is taken from the
    /// `ArrowArrayStream` at address `input_stream` and the priorities table is written as one
    /// at `output_stream`. Both addresses must be of memory the caller owns, sized and aligned
    /// for an `ArrowArrayStream`; any other address is undefined behaviour, so call this only
    /// through `beside.research`. Errors are those of `prioritise_table`, and a stream that
    /// breaks Arrow's own rules names `input_stream` or the column.
    pub fn prioritise_arrow_stream(
        &self,
        input_stream: u64,
        output_stream: u64,
    ) -> Result<(), BesideError> {
        // Both addresses are checked before the input stream is taken.
        stream_at("output_stream", output_stream)?;
        let (schema, batches) = import(input_stream)?;
        let out = self.prioritiser().prioritise_table(&schema, &batches)?;
        export(out, output_stream)
    }

    /// [`NeedsEngine::summarise_table`] through the Arrow C stream interface (Python only; the
    /// address as for [`NeedsEngine::prioritise_arrow_stream`]).
    pub fn summarise_arrow_stream(&self, input_stream: u64) -> Result<BatchSummary, BesideError> {
        let (schema, batches) = import(input_stream)?;
        Ok(self.prioritiser().summarise_table(&schema, &batches)?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use beside::needs::table::assessments_table;

    fn address(stream: &mut FFI_ArrowArrayStream) -> u64 {
        stream as *mut FFI_ArrowArrayStream as usize as u64
    }

    fn exported(batch: RecordBatch) -> FFI_ArrowArrayStream {
        let schema = batch.schema();
        FFI_ArrowArrayStream::new(Box::new(RecordBatchIterator::new(vec![Ok(batch)], schema)))
    }

    #[test]
    fn a_stream_ranks_as_the_ipc_bytes_do() {
        let engine = NeedsEngine::default();
        let records = beside::samples::needs::assessments().unwrap();
        let table = assessments_table(&records).unwrap();
        let want = engine
            .prioritise_table(beside::core::table::write_ipc_stream(&table).unwrap())
            .unwrap();
        let mut input = exported(table.clone());
        let mut output = FFI_ArrowArrayStream::empty();
        engine
            .prioritise_arrow_stream(address(&mut input), address(&mut output))
            .unwrap();
        assert!(input.release().is_none(), "the input stream was taken");
        let got: Vec<RecordBatch> = RecordBatchStreamReader::try_new(output)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let (_, want) = beside::core::table::read_ipc_stream(&want).unwrap();
        assert_eq!(got, want);
        let mut input = exported(table);
        assert_eq!(
            engine.summarise_arrow_stream(address(&mut input)).unwrap(),
            engine.summarise(records).unwrap()
        );
    }

    #[test]
    fn null_and_misaligned_addresses_are_refused_before_anything_is_read() {
        let engine = NeedsEngine::default();
        let mut output = FFI_ArrowArrayStream::empty();
        for (input, output, path) in [
            (0, address(&mut output), "input_stream"),
            (9, address(&mut output), "input_stream"),
            (8, 0, "output_stream"),
        ] {
            match engine.prioritise_arrow_stream(input, output) {
                Err(BesideError::Invalid { path: p, .. }) => assert_eq!(p, path),
                other => panic!("expected Invalid at {path}, got {other:?}"),
            }
        }
    }
}
