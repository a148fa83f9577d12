//! The builders of the tables' columns: code (dictionary) columns, list offsets, structs and
//! text lists, and the conversions every table shares.

use super::{fault, Fault};
use crate::whereabouts::{DistanceBand, Withheld, WithheldReason};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::types::Int8Type;
use arrow_array::{
    ArrayRef, DictionaryArray, Int8Array, ListArray, StringArray, StructArray,
    TimestampMicrosecondArray,
};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{Field, Fields};
use beside_core::{AreaPath, Timestamp};
use std::sync::Arc;

/// A row count or figure as a uint32 column holds it.
pub(super) fn u32_of(n: usize, what: &str) -> Result<u32, Fault> {
    u32::try_from(n).map_err(|_| fault(format!("{what} {n} past u32")))
}

/// A code column: every code of its type fixed in advance, in its documented order, and each
/// row's key into them.
pub(super) struct Codes {
    values: Vec<&'static str>,
    keys: Vec<Option<i8>>,
}

impl Codes {
    pub(super) fn new(values: impl IntoIterator<Item = &'static str>) -> Self {
        Codes {
            values: values.into_iter().collect(),
            keys: Vec::new(),
        }
    }

    /// Append a row: the key of `code`, or a null.
    pub(super) fn push(&mut self, code: Option<&str>) -> Result<(), Fault> {
        let key = match code {
            None => None,
            Some(code) => {
                // INVARIANT: each dictionary lists every code of its type (the tests check that
                // every `key()` is in its list); a code missing is a list not updated.
                let i =
                    self.values.iter().position(|v| *v == code).ok_or_else(|| {
                        fault(format!("code `{code}` missing from its dictionary"))
                    })?;
                Some(i8::try_from(i).map_err(|_| fault(format!("dictionary key {i} past 127")))?)
            }
        };
        self.keys.push(key);
        Ok(())
    }

    pub(super) fn len(&self) -> usize {
        self.keys.len()
    }

    pub(super) fn finish(self) -> Result<ArrayRef, Fault> {
        let values: ArrayRef = Arc::new(StringArray::from(self.values));
        let a = DictionaryArray::<Int8Type>::try_new(Int8Array::from(self.keys), values)
            .map_err(|e| fault(format!("a dictionary column: {e}")))?;
        Ok(Arc::new(a))
    }
}

/// Where each row's list ends among the list's items: the offsets of a list column, from 0.
pub(super) struct Ends(Vec<i32>);

impl Ends {
    pub(super) fn new() -> Self {
        Ends(vec![0])
    }

    /// Close a row's list, the items so far being `items`.
    pub(super) fn close(&mut self, items: usize) -> Result<(), Fault> {
        let end = i32::try_from(items)
            .map_err(|_| fault(format!("more than 2^31 list items ({items}) in one column")))?;
        self.0.push(end);
        Ok(())
    }

    /// The list column of `items`, each row's part as closed.
    pub(super) fn finish(self, items: ArrayRef) -> Result<ArrayRef, Fault> {
        let item = Arc::new(Field::new("item", items.data_type().clone(), false));
        // INVARIANT: every end is the item count when its row closed, and items are only ever
        // appended, so the ends start at 0 and never decrease (`OffsetBuffer::new` requires it).
        let offsets = OffsetBuffer::new(self.0.into());
        let list = ListArray::try_new(item, offsets, items, None)
            .map_err(|e| fault(format!("a list column: {e}")))?;
        Ok(Arc::new(list))
    }
}

/// A struct array of named columns (`nullable` per field).
pub(super) fn structs(columns: Vec<(&str, ArrayRef, bool)>) -> Result<ArrayRef, Fault> {
    let fields: Fields = columns
        .iter()
        .map(|(name, a, nullable)| Field::new(*name, a.data_type().clone(), *nullable))
        .collect();
    let s = StructArray::try_new(
        fields,
        columns.into_iter().map(|(_, a, _)| a).collect(),
        None,
    )
    .map_err(|e| fault(format!("a struct column: {e}")))?;
    Ok(Arc::new(s))
}

/// A `list<utf8>` column, a row at a time.
pub(super) struct Texts(ListBuilder<StringBuilder>);

impl Texts {
    pub(super) fn new() -> Self {
        Texts(ListBuilder::new(StringBuilder::new()))
    }

    /// Append a row: the list of `items`, or a null.
    pub(super) fn push<'a>(&mut self, items: Option<impl IntoIterator<Item = &'a str>>) {
        match items {
            None => self.0.append_null(),
            Some(items) => {
                for s in items {
                    self.0.values().append_value(s);
                }
                self.0.append(true);
            }
        }
    }

    pub(super) fn finish(mut self) -> ArrayRef {
        Arc::new(self.0.finish())
    }
}

/// The parts of an area, country first.
pub(super) fn parts(area: &AreaPath) -> impl Iterator<Item = &str> {
    area.0.iter().map(String::as_str)
}

pub(super) fn micros(t: &Timestamp) -> i64 {
    t.timestamp_micros()
}

pub(super) fn utc_micros(values: Vec<i64>) -> ArrayRef {
    Arc::new(TimestampMicrosecondArray::from(values).with_timezone("UTC"))
}

pub(super) fn withheld_codes() -> Codes {
    Codes::new(WithheldReason::ALL.map(WithheldReason::key))
}

pub(super) fn band_codes() -> Codes {
    Codes::new(DistanceBand::ALL.map(DistanceBand::key))
}

/// Append what is withheld of a candidate or near miss: the reason and the band, or nulls.
pub(super) fn push_withheld(
    reason: &mut Codes,
    band: &mut Codes,
    withheld: Option<&Withheld>,
) -> Result<(), Fault> {
    reason.push(withheld.map(|w| w.reason.key()))?;
    band.push(
        withheld
            .and_then(|w| w.distance_band)
            .map(DistanceBand::key),
    )
}
