//! A researcher's cohort summary of generated cases, with small cells suppressed (k = 11).
//!
//! `cargo run --release --example cohort` (100,000 cases), or pass a number of cases and
//! optionally `k`: `cargo run --release --example cohort -- 1000000 11`. The cases are
//! synthetic (a deterministic generator), held as 12-byte records and streamed once.

use beside::core::{Labels, LanguageCode};
use beside::reintegration::{
    english_labels, synthetic, Category, CohortCase, CohortConfig, CohortSummary, Explain, Table,
    Variable,
};
use std::collections::BTreeMap;

fn category(c: &Category, labels: &Labels, en: &LanguageCode) -> String {
    let key = match c {
        Category::Level { level } => return format!("{} {}", level.number(), level.english()),
        Category::NotScored => return "not scored".to_owned(),
        Category::NotAssessed => return "not assessed".to_owned(),
        Category::Status { status } => status.label_key(),
        Category::Risk { level } => format!("reintegration.risk_level.{}", level.key()),
    };
    labels.render(&key, en, &BTreeMap::new())
}

fn print_table(t: &Table, labels: &Labels, en: &LanguageCode) {
    let name = match &t.variable {
        Variable::Outcome { outcome } => outcome.label_key(),
        Variable::Phase { phase } => phase.label_key(),
        Variable::Risk => "risk".to_owned(),
    };
    let name = if name == "risk" {
        "Risk of re-trafficking".to_owned()
    } else {
        labels.render(&name, en, &BTreeMap::new())
    };
    let cells: Vec<String> = t
        .cells
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                category(&c.category, labels, en),
                c.count.render(labels, en)
            )
        })
        .collect();
    println!("  {name}: {}", cells.join(" · "));
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let k: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(11);
    let en = LanguageCode::new("en")?;
    let labels = Labels::english().with_english(english_labels());

    let cases: Vec<CohortCase> = synthetic::cohort(n, 2025).collect();
    let input_bytes = std::mem::size_of_val(cases.as_slice());
    let config = CohortConfig {
        k,
        ..CohortConfig::default()
    };
    let started = std::time::Instant::now();
    let summary = CohortSummary::from_cases(&cases, &config)?;
    let elapsed = started.elapsed();

    println!(
        "Cohort of {n} generated cases ({:.1} MB of input), summarised in {:.1} ms.",
        input_bytes as f64 / 1e6,
        elapsed.as_secs_f64() * 1e3
    );
    println!(
        "Counted: {} (only cases that consented to statistics). Threshold k = {}: `<{}` is a \
         small cell, `suppressed` hides another so no difference reveals it; {} cells suppressed.",
        summary.total.render(&labels, &en),
        summary.k,
        summary.k,
        summary.suppressed_cells
    );
    println!("\nOutcomes at the latest assessment:");
    for t in &summary.outcomes {
        print_table(t, &labels, &en);
    }
    println!("\nPhases:");
    for t in &summary.phases {
        print_table(t, &labels, &en);
    }
    println!();
    print_table(&summary.risk, &labels, &en);

    // A district-sized sub-cohort shows suppression at work.
    let district = CohortSummary::from_cases(cases.iter().take(120), &config)?;
    println!(
        "\nThe first 120 cases only (a district): counted {}, {} cells suppressed.",
        district.total.render(&labels, &en),
        district.suppressed_cells
    );
    print_table(&district.risk, &labels, &en);
    for t in &district.phases {
        print_table(t, &labels, &en);
    }
    Ok(())
}
