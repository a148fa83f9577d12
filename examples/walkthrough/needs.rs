//! Walkthrough step: every sample case's needs, prioritised, each with its reasons in English;
//! then how case-01 changed between its assessments.

use beside::core::LanguageCode;
use beside::needs::render::{labels, render_change, render_domain, render_item, render_rating};
use beside::needs::Prioritiser;
use beside::samples;

pub fn run(out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let prioritiser = Prioritiser::standard();
    let labels = labels();
    let en = LanguageCode::new("en")?;
    let cases = samples::cases()?;
    let assessments = samples::needs::assessments()?;
    say!(
        out,
        "{} assessments of {} cases; the latest of each case, prioritised:",
        assessments.len(),
        cases.len()
    );
    for case in &cases {
        let latest = assessments
            .iter()
            .filter(|a| a.case_id == case.case_id)
            .max_by(|a, b| a.assessed_at.cmp(&b.assessed_at).then(a.id.cmp(&b.id)));
        let Some(assessment) = latest else {
            say!(out, "\n{}: no assessment", case.case_id);
            continue;
        };
        let list = prioritiser.prioritise(assessment)?;
        say!(
            out,
            "\n{} ({}, {}): {}",
            case.case_id,
            assessment.id,
            assessment.assessed_at.date_naive(),
            case.summary.as_deref().unwrap_or("")
        );
        for item in &list.items {
            say!(out, "  {}", render_item(item, &labels, &en));
        }
        if !list.not_rated.is_empty() {
            let rest: Vec<String> = list
                .not_rated
                .iter()
                .map(|n| {
                    format!(
                        "{} ({})",
                        render_domain(&n.domain, &labels, &en),
                        render_rating(n.rating, &labels, &en)
                    )
                })
                .collect();
            say!(out, "  Not in the list: {}", rest.join(", "));
        }
    }

    let journey = samples::needs::assessments_of("case-01")?;
    for pair in journey.windows(2) {
        if let [before, after] = pair {
            let c = prioritiser.compare(before, after)?;
            say!(
                out,
                "\ncase-01, {} to {} ({} days): {} improved, {} worsened, {}",
                before.assessed_at.date_naive(),
                after.assessed_at.date_naive(),
                c.days_between,
                c.improved,
                c.worsened,
                crate::count(c.setbacks, "setback", "setbacks")
            );
            for change in c.changes.iter().filter(|d| d.before != d.after) {
                say!(out, "  {}", render_change(change, &labels, &en));
            }
        }
    }
    Ok(())
}
