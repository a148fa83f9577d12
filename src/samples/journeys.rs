//! Sample journeys: dated timelines of events and risk inputs for `case-01` (return from India,
//! a survivor group, services, a declined court case, setbacks in family acceptance and
//! income, a broker calling again), `case-07` (a broker's offer) and `case-14` (now leading a
//! survivor group). Their `assessed` events name the sample assessments of
//! [`super::needs`]. **Synthetic**, like every sample.

use beside_core::{from_json, ValidationErrors};
use beside_reintegration::CaseTimeline;

/// The sample journeys, as JSON (a list of [`CaseTimeline`]).
pub const JOURNEYS_JSON: &str = include_str!("../../data/samples/journeys.json");

/// The sample journeys, parsed and validated: events in date order and of their case, ids
/// unique, no date in the future, every event a possible transition, risk inputs in order.
pub fn journeys() -> Result<Vec<CaseTimeline>, ValidationErrors> {
    let list: Vec<CaseTimeline> = from_json(JOURNEYS_JSON)?;
    let mut v = beside_core::Validator::new(chrono::Utc::now());
    v.unique("", list.iter().map(|j| j.case_id.as_str()));
    v.finish()?;
    Ok(list)
}

/// The sample journey of one case, if there is one.
pub fn journey_of(case_id: &str) -> Result<Option<CaseTimeline>, ValidationErrors> {
    Ok(journeys()?
        .into_iter()
        .find(|j| j.case_id.as_str() == case_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_journeys_load_and_name_existing_cases_and_assessments() {
        let journeys = journeys().unwrap();
        assert!(journeys.len() >= 3);
        let cases = super::super::cases().unwrap();
        let assessments = super::super::needs::assessments().unwrap();
        for j in &journeys {
            assert!(
                cases.iter().any(|c| c.case_id == j.case_id),
                "{}",
                j.case_id
            );
            for e in &j.events {
                if let beside_reintegration::EventKind::Assessed { assessment_id } = &e.event {
                    let a = assessments.iter().find(|a| &a.id == assessment_id);
                    let a = a.unwrap_or_else(|| panic!("{assessment_id} is not a sample"));
                    assert_eq!(a.case_id, j.case_id);
                    assert_eq!(a.assessed_at.date_naive(), e.on, "{assessment_id}");
                }
            }
        }
        let one = journey_of("case-01").unwrap().unwrap();
        assert!(one.latest_risk_inputs().is_some());
    }
}
