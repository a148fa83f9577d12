//! The audit-log verifier on any entries and checkpoint: a verdict, never a panic.

#![no_main]

use beside::consent::{verify, AuditEntry, AuditLog, Checkpoint};
use beside::core::parse_json;
use libfuzzer_sys::fuzz_target;

const MAX: usize = beside::core::json::DEFAULT_MAX_INPUT_BYTES;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (entries, checkpoint) = text.split_once('\0').unwrap_or((text, ""));
    if let Ok(entries) = parse_json::<Vec<AuditEntry>>(entries, MAX) {
        let checkpoint = parse_json::<Checkpoint>(checkpoint, MAX).ok();
        let _ = verify(&entries, checkpoint.as_ref());
        if let Ok(log) = AuditLog::from_entries(entries, checkpoint.as_ref()) {
            assert!(
                log.verify().is_ok(),
                "a log accepted by from_entries verifies"
            );
        }
    }
    let _ = parse_json::<AuditLog>(text, MAX);
});
