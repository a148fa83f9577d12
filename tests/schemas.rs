//! The committed JSON Schemas in `schemas/` match the types. When this fails, run
//! `cargo run -p xtask -- schemas` and commit the result.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic
)]

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn committed_schemas_match_the_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut expected = BTreeSet::new();
    let mut drifted = Vec::new();
    for (name, schema) in beside::json_schemas() {
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        let file = format!("{name}.json");
        let committed = std::fs::read_to_string(dir.join(&file)).unwrap_or_default();
        if committed != text {
            drifted.push(file.clone());
        }
        expected.insert(file);
    }
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".json"))
        .collect();
    let stale: Vec<&String> = present.difference(&expected).collect();
    assert!(
        drifted.is_empty() && stale.is_empty(),
        "schemas drifted {drifted:?}, stale {stale:?}: run `cargo run -p xtask -- schemas` and commit"
    );
}

#[test]
fn every_schema_names_a_type() {
    let all = beside::json_schemas();
    assert!(all.len() >= 8);
    let names: BTreeSet<&str> = all.iter().map(|(n, _)| *n).collect();
    assert_eq!(names.len(), all.len(), "a type is listed twice");
}
