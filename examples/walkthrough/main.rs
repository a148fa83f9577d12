//! The walkthrough: Beside's whole journey on the bundled synthetic sample data.
//!
//! Run it with `cargo run --example walkthrough`. Every step writes its text into a `String`
//! (the `say!` macro), so `cargo test --example walkthrough` can read the whole output and check
//! that it reads as text for people (no Rust `Debug` forms) and tells the story it promises.

/// Write one line of the walkthrough's text into `out`, a `String` (which cannot fail).
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {{
        $out.push_str(&format!($($arg)*));
        $out.push('\n');
    }};
}

mod consent;
mod data;
mod journey;
mod merge;
mod needs;
mod referral;

/// The moment the walkthrough asks its questions at, so its output is the same on every day
/// it runs (case-12 turns 18 on 2026-12-05: after that her mother's consent stops counting).
pub const WHEN: &str = "2026-11-20T10:00:00Z";

/// [`WHEN`] as a timestamp.
pub fn when() -> Result<beside::core::Timestamp, Box<dyn std::error::Error>> {
    Ok(WHEN.parse()?)
}

/// "1 setback", "3 setbacks": the walkthrough's own English prose.
pub fn count(n: impl Into<u64>, one: &str, other: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { other })
}

/// One step of the walkthrough: it writes its text into the string.
type Step = fn(&mut String) -> Result<(), Box<dyn std::error::Error>>;

/// The steps, with their titles.
const STEPS: [(&str, Step); 6] = [
    ("Sample data", data::run),
    ("Needs, prioritised with reasons", needs::run),
    ("Consent", consent::run),
    ("A journey over time", journey::run),
    ("Referrals", referral::run),
    ("Two phones, one case: offline merge", merge::run),
];

fn main() -> std::process::ExitCode {
    for (title, step) in STEPS {
        let mut out = String::new();
        say!(out, "\n=== {title} ===");
        let result = step(&mut out);
        print!("{out}");
        if let Err(e) = result {
            eprintln!("walkthrough failed in `{title}`: {e}");
            return std::process::ExitCode::FAILURE;
        }
    }
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::disallowed_methods,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    /// The whole walkthrough's text, step by step.
    fn output() -> String {
        let mut out = String::new();
        for (title, step) in super::STEPS {
            say!(out, "\n=== {title} ===");
            if let Err(e) = step(&mut out) {
                panic!("walkthrough failed in `{title}`: {e}\n{out}");
            }
        }
        out
    }

    #[test]
    fn the_text_shows_no_rust_debug_forms() {
        let out = output();
        let patterns = [
            "Altered {",
            "Some(",
            "None",
            "[\"",
            "\"]",
            "{ ",
            " }",
            "(s)",
            "{\"code\"",
            "Ok(",
            "Err(",
        ];
        for line in out.lines() {
            // The minimised view is JSON on purpose: it is what the recipient receives.
            if line.trim_start().starts_with("the shelter's view:") {
                continue;
            }
            for p in patterns {
                assert!(!line.contains(p), "`{p}` in: {line}");
            }
            // A label key shown instead of its words (`referral.more.cases`).
            for word in line.split_whitespace() {
                let word = word.trim_end_matches(['.', ',', ';', ':', ')']);
                let key = [
                    "referral.",
                    "consent.",
                    "needs.",
                    "reintegration.",
                    "domain.",
                    "merge.",
                ]
                .iter()
                .any(|p| word.starts_with(p));
                assert!(!key, "label key `{word}` in: {line}");
            }
        }
    }

    #[test]
    fn the_confidential_shelter_is_matched_without_its_address() {
        let out = output();
        let address = "House 14, Road 3, Upashahar";
        let public = out
            .lines()
            .find(|l| l.starts_with("  for the public: svc-bd-jsr-ngo-01-1"))
            .expect("the confidential shelter matched for the public");
        assert!(public.contains("(5 to 20 km)"), "{public}");
        // Its address shows on the entitled office's line alone, and its coordinates nowhere.
        let with_address: Vec<&str> = out.lines().filter(|l| l.contains(address)).collect();
        assert_eq!(
            with_address,
            ["    its address, for the district social services office only: House 14, Road 3, Upashahar"]
        );
        let d = beside::samples::directory().unwrap();
        let shelter = d
            .locations
            .iter()
            .find(|l| l.confidential.is_some())
            .unwrap();
        let c = shelter.coordinates.unwrap();
        assert!(!out.contains(&c.latitude.to_string()), "{}", c.latitude);
        assert!(!out.contains(&c.longitude.to_string()), "{}", c.longitude);
    }

    #[test]
    fn most_needs_end_in_a_provider_and_the_consent_stories_show() {
        let out = output();
        let tally = out
            .lines()
            .find(|l| l.starts_with("Across the"))
            .expect("the referral step's tally");
        // "Across the 14 cases: 36 of 42 needs have an eligible provider, ..."
        let words: Vec<&str> = tally.split_whitespace().collect();
        let with: usize = words[4].parse().unwrap();
        let of: usize = words[6].parse().unwrap();
        assert!(2 * with > of, "{tally}");
        for story in [
            // case-01: never to the police.
            "refused by refusal-01-police; a refusal always wins.",
            // her read-back in Bengali, with a day in Bengali digits.
            "and in Bengali, as she hears it",
            "সম্মতি দিয়েছেন",
            "২০২",
            // the audit log names the altered entry in words.
            "was altered: its hash is",
            // case-09: a revocation withdraws the open referral.
            "referral ref-09-01 (relied on consent-09-referral)",
            // a consent that lapsed (case-11's hospital) and a guardian implicated (case-04).
            "the consent expired and needs renewing",
            "the guardian is implicated in the harm",
            // a list cut short says how many more there are.
            "more near misses",
            "more cases",
            // two phones' edits of one field are flagged, not settled silently.
            "summary was changed on both phones",
            "audit log: 5 entries from both phones, intact",
            // the case worker's late work.
            "a provider should have accepted within 3 hours",
        ] {
            assert!(out.contains(story), "missing `{story}`");
        }
    }
}
