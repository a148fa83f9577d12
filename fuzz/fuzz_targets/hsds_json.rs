//! The HSDS JSON importer on any text: it must end in an import or a typed error.

#![no_main]

use beside::referral::hsds::{import_json, import_tabular_json};
use beside::referral::ImportOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = ImportOptions::default();
    let _ = import_json(text, &options);
    let _ = import_tabular_json(text, &options);
});
