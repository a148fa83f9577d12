//! Walkthrough step: load and validate the bundled synthetic sample data, and summarise it.

use beside::core::OrganizationKind;
use beside::samples;
use std::collections::BTreeMap;

pub fn run(out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let directory = samples::directory()?;
    let cases = samples::cases()?;
    say!(
        out,
        "Synthetic sample data, written by the Beside developers; no record is a real person."
    );
    say!(
        out,
        "Directory: {} organisations, {} services, {} locations",
        directory.organizations.len(),
        directory.services.len(),
        directory.locations.len()
    );
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &directory.organizations {
        *by_kind.entry(o.kind.key()).or_default() += 1;
    }
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    say!(out, "  by kind: {}", kinds.join(", "));
    let informal = directory
        .organizations
        .iter()
        .filter(|o| OrganizationKind::is_informal(o.kind))
        .count();
    say!(
        out,
        "  informal providers (family, community, religious, survivor-led): {informal}"
    );
    let mut areas: BTreeMap<String, usize> = BTreeMap::new();
    for l in &directory.locations {
        *areas.entry(l.area.truncated(3).to_string()).or_default() += 1;
    }
    for (area, n) in &areas {
        say!(out, "  {area}: {n} locations");
    }
    let now = crate::when()?;
    say!(
        out,
        "Cases: {} (ages at {now}, each on its own calendar)",
        cases.len()
    );
    for c in &cases {
        // Age on the case's own calendar (the day it is in Jashore or Poipet).
        let age = c
            .person
            .age_at(now, c.calendar())
            .map_or("age unknown".to_owned(), |a| format!("{a} years"));
        say!(
            out,
            "  {} — {age}, {}, {} — returned: {}, family: {}",
            c.case_id,
            key(&c.person.gender),
            c.home_area,
            key(&c.return_journey.route),
            key(&c.family)
        );
    }
    Ok(())
}

/// The serialised key of an enum value (`own_way`), the form apps translate.
pub fn key<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => "?".to_owned(),
    }
}
