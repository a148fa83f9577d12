//! `cargo run -p xtask -- schemas [--check]`: write (or check) the JSON Schema of every public
//! record type to `schemas/<Type>.json`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    match args.first().map(String::as_str) {
        Some("schemas") => match schemas(check) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo run -p xtask -- schemas [--check]");
            ExitCode::FAILURE
        }
    }
}

fn schemas(check: bool) -> Result<(), String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut drift = Vec::new();
    let mut names = Vec::new();
    for (name, schema) in beside::json_schemas() {
        let text = serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())? + "\n";
        let path = dir.join(format!("{name}.json"));
        names.push(format!("{name}.json"));
        if check {
            // A missing or unreadable committed schema is drift too.
            let same = std::fs::read_to_string(&path).is_ok_and(|old| old == text);
            if !same {
                drift.push(name.to_owned());
            }
        } else {
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".json") && !names.contains(f))
        .collect();
    if check {
        if drift.is_empty() && stale.is_empty() {
            println!("schemas: {} up to date", names.len());
            return Ok(());
        }
        return Err(format!(
            "schemas drifted: changed {drift:?}, stale {stale:?}; run `cargo run -p xtask -- schemas` and commit"
        ));
    }
    for f in stale {
        std::fs::remove_file(dir.join(&f)).map_err(|e| e.to_string())?;
    }
    println!("schemas: wrote {} files to schemas/", names.len());
    Ok(())
}
