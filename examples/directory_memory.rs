//! How much memory a large directory takes once loaded and indexed for matching.
//!
//! `cargo run --release --example directory_memory [services]` (default 100,000): writes a
//! synthetic directory to JSON, frees it, then loads the JSON the way an app would and builds the
//! match index, printing the resident memory (Linux `/proc/self/status`) at each step.

use beside::referral::matching::MatchIndex;
use beside::referral::{synthetic, Directory};

fn resident_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let services: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let json = serde_json::to_string(&synthetic::directory(services, 7))?;
    println!(
        "{services} services: {:.1} MiB of JSON",
        json.len() as f64 / 1048576.0
    );
    let before = resident_kib("VmRSS:");
    println!("resident before loading: {}", mib(before));
    let directory: Directory = beside::core::from_json(&json)?;
    drop(json);
    let loaded = resident_kib("VmRSS:");
    let index = MatchIndex::new(directory)?;
    let indexed = resident_kib("VmRSS:");
    println!("resident after loading: {}", mib(loaded));
    println!("resident after indexing: {}", mib(indexed));
    if let (Some(b), Some(i)) = (before, indexed) {
        println!(
            "directory + index resident: {} (the JSON text itself freed)",
            mib(Some(i.saturating_sub(b)))
        );
    }
    println!(
        "peak resident of the process: {}",
        mib(resident_kib("VmHWM:"))
    );
    println!("{} domains indexed", index.domains().len());
    Ok(())
}
