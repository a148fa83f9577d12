//! The HSDS tabular (CSV) importer: the input is split at NUL bytes into the files of a package,
//! named in order from the HSDS file list.

#![no_main]

use beside::referral::hsds::import_tabular;
use beside::referral::ImportOptions;
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 14] = [
    "organizations.csv",
    "services.csv",
    "locations.csv",
    "service_at_location.csv",
    "service_areas.csv",
    "languages.csv",
    "attributes.csv",
    "addresses.csv",
    "service_capacity.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "units.csv",
    "url.csv",
    "datapackage.json",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files: Vec<(&str, &str)> = FILES.iter().copied().zip(text.split('\0')).collect();
    let _ = import_tabular(files, &ImportOptions::default());
});
