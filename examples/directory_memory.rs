//! How much memory a process holds to load a large directory from JSON and index it for
//! matching, measured from process start.
//!
//! `cargo run --release --example directory_memory` (default 100,000 services) does two steps in
//! two processes, so that generating the JSON never counts:
//!
//! 1. `directory_memory write <file> [services]` writes a synthetic directory as JSON to
//!    `<file>` (skipped when the file exists: `target/directory-<services>.json`);
//! 2. `directory_memory load <file>`, a fresh process, parses the file through a buffered reader
//!    (the text is never held whole), validates it, builds the match index, and prints the
//!    process's resident size (`VmRSS`) and its peak (`VmHWM`) from `/proc/self/status` at each
//!    step. Nothing is subtracted: these are the whole process's figures, from its start.

use beside::core::Validate;
use beside::referral::matching::MatchIndex;
use beside::referral::{synthetic, Directory};
use std::process::Command;

/// A field of `/proc/self/status`, in KiB (Linux only).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| {
        format!(
            "{:.1} MiB ({:.1} MB)",
            k as f64 / 1024.0,
            k as f64 * 1.024 / 1000.0
        )
    })
}

/// Print the resident size and its peak so far, after `step`.
fn report(step: &str) {
    println!(
        "{step:<34} resident {:<22} peak {}",
        mib(status_kib("VmRSS:")),
        mib(status_kib("VmHWM:"))
    );
}

fn write(path: &str, services: usize) -> Result<(), Box<dyn std::error::Error>> {
    let json = serde_json::to_string(&synthetic::directory(services, 7))?;
    std::fs::write(path, &json)?;
    println!("wrote {services} services to {path}");
    Ok(())
}

fn load(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    report("process start");
    let file = std::fs::File::open(path)?;
    let bytes = file.metadata()?.len();
    // Read as it is parsed: the text is never held whole. Strict as `from_json`: the path of a
    // parse error, nothing after the document, then every value checked.
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(file));
    let directory: Directory = serde_path_to_error::deserialize(&mut de)?;
    de.end()?;
    report("parsed (buffered reader)");
    directory.validate()?;
    report("validated");
    let services = directory.services.len();
    let index = MatchIndex::new(directory)?;
    report("match index built");
    println!(
        "{services} services from {:.1} MiB ({:.1} MB) of JSON; {} domains indexed",
        bytes as f64 / 1048576.0,
        bytes as f64 / 1e6,
        index.domains().len()
    );
    println!(
        "load + index, from process start: final resident {}, peak {}",
        mib(status_kib("VmRSS:")),
        mib(status_kib("VmHWM:"))
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("write") => {
            let path = args.get(1).ok_or("usage: write <file> [services]")?;
            let services = match args.get(2) {
                Some(n) => n.parse()?,
                None => 100_000,
            };
            write(path, services)
        }
        Some("load") => load(args.get(1).ok_or("usage: load <file>")?),
        _ => {
            let services: usize = match args.first() {
                Some(n) => n.parse()?,
                None => 100_000,
            };
            let dir = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
            let path = format!("{dir}/directory-{services}.json");
            if !std::path::Path::new(&path).exists() {
                write(&path, services)?;
            }
            // A fresh process for the measurement: this one has generated the directory.
            let status = Command::new(std::env::current_exe()?)
                .args(["load", &path])
                .status()?;
            if !status.success() {
                return Err(format!("load step failed: {status}").into());
            }
            Ok(())
        }
    }
}
