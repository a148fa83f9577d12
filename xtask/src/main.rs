//! `cargo run -p xtask -- schemas [--check]`: write (or check) the JSON Schema of every public
//! record type to `schemas/<Type>.json`.
//!
//! `cargo run -p xtask -- locales --check`: compare every locale's `.ftl` file
//! (`crates/<crate>/locales/<lang>/<name>.ftl`) with English's of the same name: a malformed
//! file (with its line and column), keys English does not have and placeables English's
//! message does not have are errors; missing keys are an error too, except in a draft pack
//! (its header says `DRAFT`), where they are listed as a note (English shows for them).

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
        Some("locales") => match locales() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo run -p xtask -- schemas [--check] | locales --check");
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

/// Check every locale file against English (see the crate docs).
fn locales() -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../crates");
    let mut errors = Vec::new();
    let mut checked = 0;
    let mut crates: Vec<PathBuf> = read_dir(&root)?;
    crates.sort();
    for krate in crates {
        let dir = krate.join("locales");
        if !dir.is_dir() {
            continue;
        }
        let mut langs = read_dir(&dir)?;
        langs.sort();
        for lang in langs.iter().filter(|l| !l.ends_with("en")) {
            let mut files = read_dir(lang)?;
            files.sort();
            for file in files {
                let Some(name) = file.file_name() else {
                    continue;
                };
                let english = dir.join("en").join(name);
                let shown = file
                    .strip_prefix(&root)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                let text = read(&file)?;
                let Ok(reference) = read(&english) else {
                    errors.push(format!("{shown}: no English file {}", english.display()));
                    continue;
                };
                checked += 1;
                match beside::core::labels::compare_locale(&[&reference], &[&text]) {
                    Err(e) => errors.push(format!("{shown}: {e}")),
                    Ok(report) => {
                        let draft = text.lines().take(5).any(|l| l.contains("DRAFT"));
                        for key in &report.extra {
                            errors.push(format!("{shown}: `{key}` is not an English key"));
                        }
                        for p in &report.unknown_placeables {
                            errors.push(format!("{shown}: {p} is not a placeable of English"));
                        }
                        if draft {
                            if !report.missing.is_empty() {
                                println!(
                                    "note: {shown} (draft): {} of English's keys left to English",
                                    report.missing.len()
                                );
                            }
                        } else {
                            for key in &report.missing {
                                errors.push(format!("{shown}: `{key}` is missing"));
                            }
                        }
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        println!("locales: {checked} files agree with English");
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn read_dir(dir: &std::path::Path) -> Result<Vec<PathBuf>, String> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect())
}

fn read(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
