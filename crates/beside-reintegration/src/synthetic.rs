//! Synthetic data for benchmarks, examples and tests: a small deterministic generator
//! (SplitMix64), so the same seed always gives the same cases. Nothing here describes a real
//! person.
//!
//! [`people`] generates whole synthetic cases (profile, journey, assessments) for researchers'
//! analyses, with its distributions documented.

use crate::cohort::CohortCase;
use crate::phase::PhaseStatus;
use crate::risk::RiskLevel;
use beside_core::{default_domain_keys, AssessmentId, CaseId, Level, Rating, Timestamp, WorkerId};
use beside_needs::{Assessment, DomainRating};
use chrono::Duration;

/// The shared deterministic generator (same numbers for the same seed everywhere).
pub use beside_core::rng::SplitMix64;

pub mod people;
pub use people::{synthetic_case, synthetic_cases, SyntheticCase, MAX_SYNTHETIC_CASES};

fn level_near(rng: &mut SplitMix64, centre: f64) -> Level {
    let x = centre + (rng.unit() - 0.5) * 2.0;
    let n = x.round().clamp(1.0, 5.0);
    Level::ALL
        .iter()
        .copied()
        .find(|l| f64::from(l.number()) >= n)
        .unwrap_or(Level::Thriving)
}

/// One synthetic cohort case. Wellbeing is correlated across outcomes, phases and risk; some
/// categories are rare on purpose (a return phase in setback, about 1 in 10,000), so that
/// suppression has something to do even in large cohorts.
pub fn cohort_case(rng: &mut SplitMix64) -> CohortCase {
    use PhaseStatus as S;
    let wellbeing = 1.5 + rng.unit() * 3.5;
    let mut c = CohortCase {
        statistics_consent: rng.unit() < 0.92,
        ..CohortCase::default()
    };
    for slot in &mut c.outcomes {
        *slot = (rng.unit() > 0.04).then(|| level_near(rng, wellbeing));
    }
    let statuses = [
        S::NotStarted,
        S::InProgress,
        S::Achieved,
        S::Setback,
        S::Declined,
    ];
    let good = (wellbeing - 1.0) / 4.0;
    let weights: [[f64; 5]; 6] = [
        [0.00004, 0.00006, 0.9998, 0.0001, 0.0],
        [0.05, 0.35, 0.45 * good + 0.1, 0.1, 0.02],
        [0.35, 0.15, 0.05, 0.05, 0.4],
        [0.05, 0.4, 0.4 * good + 0.1, 0.08, 0.01],
        [0.1, 0.45, 0.35 * good, 0.12, 0.01],
        [0.7, 0.2, 0.02 * good, 0.01, 0.07],
    ];
    for (slot, w) in c.phases.iter_mut().zip(&weights) {
        *slot = statuses
            .get(rng.pick_weighted(w))
            .copied()
            .unwrap_or(S::NotStarted);
    }
    let risk_w = [good, 0.5, (1.0 - good) * 0.6, 0.05];
    c.risk = RiskLevel::ALL.get(rng.pick_weighted(&risk_w)).copied();
    c
}

/// `n` synthetic cohort cases from `seed`, generated as they are read.
pub fn cohort(n: usize, seed: u64) -> impl Iterator<Item = CohortCase> {
    let mut rng = SplitMix64::new(seed);
    (0..n).map(move |_| cohort_case(&mut rng))
}

/// `n` synthetic assessments of one case over the 16 default domains, about a month apart
/// starting at `start`. Each domain's level is a random walk: between two assessments it
/// stays put most of the time, rises a level sometimes and falls a level less often, as
/// levels do in real follow-ups; now and then a domain is not assessed or declined.
pub fn assessments(case_id: &CaseId, n: usize, start: Timestamp, seed: u64) -> Vec<Assessment> {
    let mut rng = SplitMix64::new(seed);
    let keys = default_domain_keys();
    let mut levels: Vec<u8> = keys
        .iter()
        .map(|_| level_near(&mut rng, 2.0).number())
        .collect();
    (0..n)
        .filter_map(|i| {
            let ratings = keys
                .iter()
                .zip(levels.iter_mut())
                .map(|(k, level)| {
                    if i > 0 {
                        match rng.pick_weighted(&[0.7, 0.2, 0.1]) {
                            1 => *level = (*level + 1).min(5),
                            2 => *level = level.saturating_sub(1).max(1),
                            _ => {}
                        }
                    }
                    DomainRating {
                        domain: k.clone(),
                        rating: match rng.pick_weighted(&[0.92, 0.05, 0.03]) {
                            0 => Level::from_number(*level)
                                .map_or(Rating::NotAssessed, Rating::Level),
                            1 => Rating::NotAssessed,
                            _ => Rating::Declined,
                        },
                    }
                })
                .collect();
            Some(Assessment {
                extra: std::collections::BTreeMap::new(),
                id: AssessmentId::new(format!("{case_id}-a{i:03}")).ok()?,
                case_id: case_id.clone(),
                assessed_at: start + Duration::days(i64::try_from(i).ok()? * 30),
                assessed_by: WorkerId::new("synthetic-worker").ok()?,
                ratings,
                red_flags: Vec::new(),
                own_priorities: Vec::new(),
                not_now: Vec::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic() {
        let a: Vec<CohortCase> = cohort(100, 7).collect();
        let b: Vec<CohortCase> = cohort(100, 7).collect();
        assert_eq!(a, b);
        let c = CaseId::new("c").unwrap();
        let start = chrono::DateTime::UNIX_EPOCH;
        assert_eq!(assessments(&c, 20, start, 1).len(), 20);
    }
}
