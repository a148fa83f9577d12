//! Import from and export to Open Referral HSDS 3.0: JSON objects (`organization`, `service`,
//! `location`, `service_at_location`, nested or not), paged lists (`contents`), the tabular
//! package (CSV files, or the same tables as JSON), and back.
//!
//! **Import** returns the [`Directory`] with an [`ImportReport`] saying, per record and field,
//! what was carried, inferred, defaulted (to what) and skipped (why), as reason codes with
//! figures. The report says plainly whether the import is `complete`: every organisation,
//! service, location and link found is in the directory. Every imported record has passed
//! Beside's checks and the directory passes [`Directory::validate`](beside_core::Validate).
//!
//! HSDS has no need domain, organisation kind, capacity, court-order requirement and so on.
//! Need domains come through a configurable [`DomainMapping`] (taxonomy terms, then keywords);
//! a service with none is skipped and reported, never guessed. An organisation's kind defaults
//! to [`ImportOptions::default_kind`] (reported). A location's area is built from its address:
//! country code first, then `state_province`, then `city`.
//!
//! **Export** writes the fields HSDS lacks as HSDS `attribute` objects whose `taxonomy_term` is
//! of taxonomy `beside` (codes in [`BESIDE_CODES`]), which import reads back, so a round trip
//! Directory → HSDS → Directory loses nothing. Export groups services and locations under their
//! organisation, so a directory comes back in that order (the bundled sample already is).
//!
//! Entry points take text (and a map of file name to text for CSV) so that apps can pass data
//! across the FFI; [`import_folder`] reads a folder for scripts.
//!
//! ```
//! use beside_referral::hsds::{export_json, import_json, ImportOptions};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let hsds = r#"{"id": "o1", "name": "Ashar Alo", "description": "Peer group",
//!   "services": [{"id": "s1", "name": "Peer support group", "status": "active"}]}"#;
//! let import = import_json(hsds, &ImportOptions::default())?;
//! assert!(import.report.complete);
//! assert_eq!(import.directory.services[0].domains[0].as_str(), "peer_support");
//! let back = import_json(&export_json(&import.directory)?, &ImportOptions::default())?;
//! assert_eq!(back.directory, import.directory);
//! # Ok(()) }
//! ```

mod areas;
mod attrs;
mod convert;
mod error;
mod export;
mod labels;
mod options;
mod read;
mod report;
mod service;
mod tabular;
#[cfg(test)]
mod tests;
mod urls;

pub use areas::ADMIN_WORDS;
pub use attrs::{
    codes_markdown as beside_codes_markdown, BesideCode, AREA_EXTENT_TYPE, CODES as BESIDE_CODES,
    TAXONOMY as BESIDE_TAXONOMY,
};
pub use error::HsdsError;
pub use export::{export_value, export_value_with, ExportOptions, HsdsVersion};
pub use labels::english_labels;
pub use options::{
    default_capacity_units, default_keywords, DomainMapping, ImportOptions, KeywordRule, TermCode,
    TermRule,
};
pub use report::{
    DefaultReason, FieldOutcome, FieldReport, FieldTally, ImportReport, InferRule, OutcomeCode,
    RecordCount, RecordKind, RecordOutcome, RecordReport, SkipReason,
};

use crate::directory::Directory;
use read::{shape, Collected, Shape};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A directory read from HSDS, and what the import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Import {
    /// The directory: every record in it passed Beside's checks.
    pub directory: Directory,
    /// What was carried, inferred, defaulted and skipped; whether the import is complete.
    pub report: ImportReport,
}

impl Import {
    /// The directory, only when the import is complete.
    pub fn into_complete(self) -> Result<Directory, HsdsError> {
        if self.report.complete {
            return Ok(self.directory);
        }
        let skipped: Vec<&RecordReport> = self
            .report
            .records
            .iter()
            .filter(|r| {
                matches!(&r.outcome, RecordOutcome::Skipped { reason }
                    if (r.kind.is_directory_record()
                        && !matches!(reason, SkipReason::OutsideDirectory { .. }))
                        || matches!(reason, SkipReason::Unrecognised { .. }))
            })
            .collect();
        Err(HsdsError::Incomplete {
            skipped: skipped.len(),
            first: skipped.first().map(|r| r.path.clone()).unwrap_or_default(),
        })
    }
}

fn finish(collected: Collected<'_>, options: &ImportOptions) -> Result<Import, HsdsError> {
    options.check().map_err(HsdsError::BadOptions)?;
    let (directory, report) = convert::build(collected, options)?;
    Ok(Import { directory, report })
}

/// Import an HSDS JSON document: an `organization`, `service`, `location` or
/// `service_at_location` object (nested records included), a paged list of them (`contents`),
/// a JSON array of them, or tabular JSON (`{"services.csv": [...], ...}`). Taxonomy and other
/// documents that hold no directory records import as an empty directory with a note.
pub fn import_json(text: &str, options: &ImportOptions) -> Result<Import, HsdsError> {
    let value = error::parse(text, "", options.max_input_bytes)?;
    if value
        .as_object()
        .is_some_and(|o| shape(o) == Shape::Tabular)
    {
        return import_tabular_value(&value, options);
    }
    let mut c = Collected::default();
    c.document(&value, None, options.max_records)?;
    finish(c, options)
}

/// Import HSDS JSON bytes (UTF-8), as [`import_json`].
pub fn import_json_bytes(bytes: &[u8], options: &ImportOptions) -> Result<Import, HsdsError> {
    if bytes.len() > options.max_input_bytes {
        return Err(HsdsError::TooLarge {
            max: options.max_input_bytes,
            got: bytes.len(),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| HsdsError::MalformedJson {
        file: String::new(),
        message: format!("not UTF-8: {e}"),
        line: 0,
        column: 0,
    })?;
    import_json(text, options)
}

/// Import an HSDS JSON document whose top-level records (or list items) are all of `kind`,
/// without recognising them by their fields.
pub fn import_json_as(
    text: &str,
    kind: RecordKind,
    options: &ImportOptions,
) -> Result<Import, HsdsError> {
    let value = error::parse(text, "", options.max_input_bytes)?;
    let mut c = Collected::default();
    c.document(&value, Some(kind), options.max_records)?;
    finish(c, options)
}

/// Import the HSDS tabular package: file name (`services.csv`, `datapackage.json`…; folders in
/// the name are ignored) to file contents.
pub fn import_tabular<I, K, V>(files: I, options: &ImportOptions) -> Result<Import, HsdsError>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let tables = tabular::Tables::from_files(files, options.max_input_bytes, options.max_records)?;
    let assembled = tables.assemble()?;
    let mut c = Collected::default();
    assembled.collect(&mut c, options.max_records)?;
    finish(c, options)
}

fn import_tabular_value(
    value: &serde_json::Value,
    options: &ImportOptions,
) -> Result<Import, HsdsError> {
    let tables = tabular::Tables::from_json(value, options.max_records)?;
    let assembled = tables.assemble()?;
    let mut c = Collected::default();
    assembled.collect(&mut c, options.max_records)?;
    finish(c, options)
}

/// Import the tabular package given as JSON (`{"organizations.csv": [{...}], ...}`).
pub fn import_tabular_json(text: &str, options: &ImportOptions) -> Result<Import, HsdsError> {
    let value = error::parse(text, "", options.max_input_bytes)?;
    import_tabular_value(&value, options)
}

/// Import the tabular package from a folder: its `*.csv` files and `datapackage.json`.
pub fn import_folder(
    folder: impl AsRef<Path>,
    options: &ImportOptions,
) -> Result<Import, HsdsError> {
    let folder = folder.as_ref();
    let io = |p: &Path, e: std::io::Error| HsdsError::Io {
        path: p.display().to_string(),
        message: e.to_string(),
    };
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for entry in std::fs::read_dir(folder).map_err(|e| io(folder, e))? {
        let path = entry.map_err(|e| io(folder, e))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".csv") || lower == "datapackage.json") || !path.is_file() {
            continue;
        }
        total += std::fs::metadata(&path).map_err(|e| io(&path, e))?.len();
        if total > options.max_input_bytes as u64 {
            return Err(HsdsError::TooLarge {
                max: options.max_input_bytes,
                got: usize::try_from(total).unwrap_or(usize::MAX),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        files.push((name, text));
    }
    import_tabular(files, options)
}

/// The directory as HSDS 3.0 JSON text (see [`export_value`]).
pub fn export_json(directory: &Directory) -> Result<String, HsdsError> {
    export_json_with(directory, &ExportOptions::default())
}

/// The directory as HSDS JSON text of the version `options` names (see [`export_value_with`]).
pub fn export_json_with(
    directory: &Directory,
    options: &ExportOptions,
) -> Result<String, HsdsError> {
    serde_json::to_string_pretty(&export_value_with(directory, options)).map_err(|e| {
        HsdsError::Io {
            path: String::new(),
            message: e.to_string(),
        }
    })
}
