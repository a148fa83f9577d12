//! Every JSON document an app hands Beside (what the FFI's JSON calls parse), read strictly and,
//! when it is accepted, run through its engine. The first byte chooses the document; the rest is
//! the text. Any panic, any run over a second or any allocation past the input caps is a bug.

#![no_main]

use beside::consent::{ConsentLedger, ConsentRecord, LedgerData, Question};
use beside::core::{from_json_at, parse_json, CaseProfile, Timestamp};
use beside::needs::{Assessment, NeedsModel, Prioritiser};
use beside::referral::assign::{solve, AssignmentProblem};
use beside::referral::lifecycle::{Referral, ReferralEvent};
use beside::referral::matching::{ConsentNotChecked, MatchConfig, MatchIndex, MatchRequest};
use beside::referral::Directory;
use beside::reintegration::{ReintegrationModel, TimelineEvent};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const MAX: usize = beside::core::json::DEFAULT_MAX_INPUT_BYTES;

fn now() -> Timestamp {
    // A fixed "now", so a run is reproducible.
    chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("a valid fixed time")
}

fn index() -> &'static MatchIndex {
    static INDEX: OnceLock<MatchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        MatchIndex::new(beside::samples::directory().expect("sample directory"))
            .expect("sample index")
    })
}

fn ledger() -> &'static ConsentLedger {
    static LEDGER: OnceLock<ConsentLedger> = OnceLock::new();
    LEDGER.get_or_init(|| beside::samples::consent::ledger("case-01").expect("sample ledger"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match kind % 12 {
        0 => {
            if let Ok(a) = from_json_at::<Assessment>(text, now()) {
                let _ = Prioritiser::standard().prioritise(&a);
            }
        }
        1 => {
            if let Ok(m) = parse_json::<NeedsModel>(text, MAX) {
                if let Ok(p) = m.compile() {
                    let _ = p.model();
                }
            }
        }
        2 => {
            if let Ok(l) = ConsentLedger::from_json_at(text, now()) {
                let _ = l.summary(now());
            }
        }
        3 => {
            if let Ok(q) = parse_json::<Question>(text, MAX) {
                let _ = ledger().evaluate(&q);
            }
        }
        4 => {
            let _ = from_json_at::<ConsentRecord>(text, now());
        }
        5 => {
            if let Ok(d) = from_json_at::<Directory>(text, now()) {
                let _ = MatchIndex::new(d);
            }
        }
        6 => {
            if let Ok(r) = from_json_at::<MatchRequest>(text, now()) {
                let _ = index().match_case(&r, &MatchConfig::default(), &ConsentNotChecked);
            }
        }
        7 => {
            if let Ok(p) = from_json_at::<AssignmentProblem>(text, now()) {
                let _ = solve(&p);
            }
        }
        8 => {
            if let Ok(r) = from_json_at::<Referral>(text, now()) {
                let _ = r.apply(&ReferralEvent::Send, now(), None);
                let _ = beside::referral::deadline::overdue(&[r], now());
            }
        }
        9 => {
            let _ = parse_json::<ReferralEvent>(text, MAX);
            let _ = parse_json::<LedgerData>(text, MAX);
        }
        10 => {
            let _ = from_json_at::<CaseProfile>(text, now());
        }
        _ => {
            if let Ok(events) = parse_json::<Vec<TimelineEvent>>(text, MAX) {
                if let Ok(assessments) = parse_json::<Vec<Assessment>>(text, MAX) {
                    let _ = ReintegrationModel::default().trajectory(
                        &assessments,
                        &events,
                        None,
                        now(),
                    );
                }
                if let Some(first) = events.first() {
                    let _ = beside::reintegration::Journey::replay(
                        first.case_id.clone(),
                        &events,
                        now(),
                    );
                }
            }
        }
    }
});
