//! The walkthrough: Beside's whole journey on the bundled synthetic sample data.
//!
//! Run it with `cargo run --example walkthrough`.

mod consent;
mod data;
mod journey;
mod needs;
mod referral;

/// One step of the walkthrough.
type Step = fn() -> Result<(), Box<dyn std::error::Error>>;

fn main() -> std::process::ExitCode {
    let steps: [(&str, Step); 5] = [
        ("Sample data", data::run),
        ("Needs, prioritised with reasons", needs::run),
        ("Consent", consent::run),
        ("A journey over time", journey::run),
        ("Referrals", referral::run),
    ];
    for (title, step) in steps {
        println!("\n=== {title} ===");
        if let Err(e) = step() {
            eprintln!("walkthrough failed in `{title}`: {e}");
            return std::process::ExitCode::FAILURE;
        }
    }
    std::process::ExitCode::SUCCESS
}
