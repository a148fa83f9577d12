//! Walkthrough step: case-01's journey over time. Her timeline drives the phases; her three
//! assessments give outcomes, trends and a setback; her risk inputs give a risk level with its
//! factors; together they set the next follow-up.

use beside::core::{Labels, LanguageCode, Timestamp};
use beside::reintegration::{
    english_labels, Explain, OutcomeProfile, PhaseStatus, ReintegrationModel, Trajectory,
};
use beside::samples;
use std::collections::BTreeMap;

fn label(labels: &Labels, en: &LanguageCode, key: &str) -> String {
    labels.render(key, en, &BTreeMap::new())
}

fn score(s: Option<f64>) -> String {
    s.map_or_else(|| "–".to_owned(), |s| format!("{s:.2}"))
}

fn print_outcomes(out: &mut String, t: &Trajectory, labels: &Labels, en: &LanguageCode) {
    // The outcomes are named once, in `trends`; `scores` holds one row per point.
    let names: Vec<String> = t
        .trends
        .iter()
        .map(|tr| label(labels, en, &tr.outcome.label_key()))
        .collect();
    say!(
        out,
        "  {:<12} {:<10} {}  | index",
        "assessment",
        "date",
        names.join(" | ")
    );
    for (i, p) in t.points.iter().enumerate() {
        let cells: Vec<String> = t
            .scores_at(i)
            .iter()
            .zip(&names)
            .map(|(o, n)| format!("{:>w$}", score(o.score), w = n.chars().count()))
            .collect();
        say!(
            out,
            "  {:<12} {:<10} {}  | {}",
            p.assessment_id.as_str(),
            p.assessed_at.date_naive().to_string(),
            cells.join(" | "),
            score(p.index)
        );
    }
    for tr in &t.trends {
        say!(
            out,
            "  {}: {} ({} → {})",
            label(labels, en, &tr.outcome.label_key()),
            label(
                labels,
                en,
                &format!("reintegration.trend.{}", tr.trend.key())
            ),
            score(tr.first),
            score(tr.latest)
        );
    }
}

pub fn run(out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let en = LanguageCode::new("en")?;
    let labels = Labels::english().with_english(english_labels());
    let case = samples::cases()?
        .into_iter()
        .find(|c| c.case_id.as_str() == "case-01")
        .ok_or("sample case-01 is missing")?;
    let timeline = samples::journeys::journey_of("case-01")?.ok_or("no journey for case-01")?;
    let assessments = samples::needs::assessments_of("case-01")?;
    let last = assessments.last().ok_or("case-01 has no assessment")?;
    // Her days are those of her place (Asia/Dhaka), not the UTC date.
    let zone = case.calendar();
    // "Now" is the evening of the latest assessment where she lives, so the output never
    // depends on the day the walkthrough runs.
    let now: Timestamp = zone
        .at_local(
            zone.local_date(last.assessed_at)
                .and_hms_opt(23, 59, 0)
                .ok_or("time")?,
        )
        .ok_or("time")?;
    say!(
        out,
        "{}: {}",
        case.case_id,
        case.summary.as_deref().unwrap_or("")
    );

    say!(out, "\nTimeline:");
    for e in &timeline.events {
        let phase = e.event.effect().map_or_else(String::new, |(p, _)| {
            format!(" [{}]", label(&labels, &en, &p.label_key()))
        });
        let note = e
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!(": {n}"));
        say!(
            out,
            "  {} {}{}{}",
            e.on,
            e.event.key().replace('_', " "),
            phase,
            note
        );
    }

    let model = ReintegrationModel::default();
    let t = model.trajectory_in(
        &assessments,
        &timeline.events,
        timeline.latest_risk_inputs(),
        now,
        zone,
    )?;

    say!(out, "\nPhases on {} ({zone}):", zone.local_date(now));
    for p in &t.phases {
        let since = p.since.map_or_else(String::new, |d| format!(" since {d}"));
        let active = if p.status == PhaseStatus::NotStarted {
            String::new()
        } else {
            format!(
                " — {} days active, {} achieved, {} in setback",
                p.active_days, p.days.achieved, p.days.setback
            )
        };
        say!(
            out,
            "  {:<34} {}{}{}",
            label(&labels, &en, &p.phase.label_key()),
            label(&labels, &en, &p.status.label_key()),
            since,
            active
        );
    }

    say!(
        out,
        "\nOutcomes (1 in crisis … 5 thriving), {} profile:",
        t.profile
    );
    print_outcomes(out, &t, &labels, &en);
    let iom = ReintegrationModel::with_profile(OutcomeProfile::iom_dimensions())?.trajectory_in(
        &assessments,
        &[],
        None,
        now,
        zone,
    )?;
    say!(out, "\nThe same assessments as IOM's dimensions:");
    print_outcomes(out, &iom, &labels, &en);

    say!(out, "\nSetbacks (a drop of one level or more):");
    for s in &t.setbacks {
        // A setback points at the two assessments it compares.
        let id = |i: usize| t.points.get(i).map_or("?", |p| p.assessment_id.as_str());
        say!(
            out,
            "  {} ({} against {})",
            s.render(&labels, &en),
            id(s.point()),
            id(s.previous())
        );
    }

    if let Some(risk) = &t.risk {
        say!(
            out,
            "\nRisk of re-trafficking or unsafe re-migration on {}: {}",
            risk.recorded_on,
            label(
                &labels,
                &en,
                &format!("reintegration.risk_level.{}", risk.level.key())
            )
        );
        for f in &risk.factors {
            say!(out, "  factor: {}", f.render(&labels, &en));
        }
        for b in &risk.basis {
            say!(out, "  because: {}", b.render(&labels, &en));
        }
    }

    let f = &t.follow_up;
    say!(
        out,
        "\nNext follow-up: {} ({} days after {} on {})",
        f.due_on,
        f.days,
        f.assessment_id,
        f.from
    );
    for r in &f.considered {
        let mark = if r == &f.reason { "→" } else { " " };
        say!(out, "  {mark} {}", r.render(&labels, &en));
    }
    Ok(())
}
