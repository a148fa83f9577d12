//! The soft score of matching (`docs/rules.md`, "Referral matching"): six factors, each a value
//! from 0 to 1 with the figures behind it, weighted by [`super::config::ScoreWeights`]; the
//! score is their weighted mean. One function per factor, and the order candidates are ranked in.

use super::config::MatchConfig;
use super::index::Listing;
use super::request::MatchRequest;
use super::result::{Factor, FactorBasis, ScoreFactor};
use crate::directory::Cost;
use crate::whereabouts::DistanceBand;
use beside_core::LanguageCode;
use std::cmp::Ordering;

/// What the factors know about the person and her request, resolved once per query.
pub(crate) struct Scoring<'r> {
    pub(crate) req: &'r MatchRequest,
    pub(crate) config: &'r MatchConfig,
    /// Her travel limit, km.
    pub(crate) limit_km: f64,
    /// Her languages in her order, as ISO 639-3 where they have such a code.
    pub(crate) languages: Vec<LanguageCode>,
}

/// **Distance**: an in-person place scores by how much of her travel limit the nearest one
/// takes (1 at her door, 0 at the limit; 1 with a limit of 0); unknown distance is neutral
/// (0.5). Outreach comes to her and is only looked at here when it reaches her area (one that
/// does not is excluded as outside its service area): it scores
/// [`MatchConfig::outreach_reach`], wherever its base is.
///
/// `banded`: the place's whereabouts are withheld from the viewer ([`crate::whereabouts`]), so
/// the factor shows the distance's band, with the value of the band's
/// [`DistanceBand::shown_km`], never the kilometres.
pub(crate) fn distance_factor(
    l: &Listing<'_>,
    km: Option<f64>,
    banded: bool,
    s: &Scoring<'_>,
) -> (f64, FactorBasis) {
    if l.facts.outreach {
        return (s.config.outreach_reach, FactorBasis::Outreach);
    }
    let value = |km: f64| {
        if s.limit_km > 0.0 {
            (1.0 - km / s.limit_km).clamp(0.0, 1.0)
        } else {
            1.0
        }
    };
    match km {
        Some(km) if banded => {
            let band = DistanceBand::of_km(km);
            (
                value(band.shown_km()),
                FactorBasis::DistanceBand {
                    distance_band: band,
                    limit_km: s.limit_km,
                },
            )
        }
        Some(km) => (
            value(km),
            FactorBasis::Distance {
                distance_km: km,
                limit_km: s.limit_km,
            },
        ),
        None => (0.5, FactorBasis::DistanceUnknown),
    }
}

/// **Language**: the first of her languages the staff speak (1); else interpretation (0.6);
/// else, when the service lists no languages, neutral (0.5); else none shared (0).
pub(crate) fn language_factor(l: &Listing<'_>, s: &Scoring<'_>) -> (f64, FactorBasis) {
    // Both sides are in ISO 639-3 form where they have one (`canonical_language`).
    match s.languages.iter().find(|lang| l.languages.contains(lang)) {
        Some(&language) => (1.0, FactorBasis::SharedLanguage { language }),
        None if l.facts.interpretation_available => (0.6, FactorBasis::Interpretation),
        None if l.languages.is_empty() => (0.5, FactorBasis::LanguageUnknown),
        None => (0.0, FactorBasis::NoSharedLanguage),
    }
}

/// **Her preferences**: the share of those she stated (female staff, survivor-led,
/// trauma-informed) the provider meets; 1 for everyone when she stated none.
pub(crate) fn preferences_factor(l: &Listing<'_>, s: &Scoring<'_>) -> (f64, FactorBasis) {
    let p = &s.req.preferences;
    // Survivor-led: the organisation is flagged so, or is of that kind (`Facts::survivor_led`).
    let asked = [
        (p.female_staff, l.facts.female_staff),
        (p.survivor_led, l.facts.survivor_led),
        (p.trauma_informed, l.facts.trauma_informed),
    ];
    let wanted = asked.iter().filter(|(want, _)| *want).count() as u32;
    let met = asked.iter().filter(|(want, has)| *want && *has).count() as u32;
    if wanted == 0 {
        (1.0, FactorBasis::NoPreferences)
    } else {
        (
            f64::from(met) / f64::from(wanted),
            FactorBasis::PreferencesMet { met, wanted },
        )
    }
}

/// **Cost against what she can pay**: free 1; unknown 0.5; a fee within what she can pay (same
/// currency) 0.7, beyond it 0; a fee when her means are unknown or in another currency 0.4.
pub(crate) fn cost_factor(l: &Listing<'_>, s: &Scoring<'_>) -> (f64, FactorBasis) {
    match l.cost {
        Cost::Free => (1.0, FactorBasis::Free),
        Cost::Unknown => (0.5, FactorBasis::CostUnknown),
        Cost::Fee { amount, currency } => match &s.req.can_pay {
            Some(m) if m.currency == *currency && *amount <= m.amount => (
                0.7,
                FactorBasis::Affordable {
                    fee: *amount,
                    can_pay: m.amount,
                },
            ),
            Some(m) if m.currency == *currency => (
                0.0,
                FactorBasis::Unaffordable {
                    fee: *amount,
                    can_pay: m.amount,
                },
            ),
            _ => (0.4, FactorBasis::FeeUnknownMeans { fee: *amount }),
        },
    }
}

/// **Capacity pressure**: open places against the configured comfortable number (1 at or above
/// it); no fixed limit 1.
pub(crate) fn capacity_factor(l: &Listing<'_>, s: &Scoring<'_>) -> (f64, FactorBasis) {
    match l.capacity {
        None => (1.0, FactorBasis::NoFixedLimit),
        Some(places) => (
            (places as f64 / f64::from(s.config.comfortable_capacity)).clamp(0.0, 1.0),
            FactorBasis::OpenPlaces { places },
        ),
    }
}

/// **Several needs at one provider**: of her other needs, the share this service also covers
/// (1 when she asked for one need).
pub(crate) fn several_needs_factor(l: &Listing<'_>, s: &Scoring<'_>) -> (f64, FactorBasis) {
    let requested = s.req.needs.len() as u32;
    let covered = s.req.needs.iter().filter(|n| l.domains.contains(n)).count() as u32;
    // A service looked at for a need covers it: `covered` is at least 1.
    let value = if requested <= 1 {
        1.0
    } else {
        (f64::from(covered) - 1.0) / f64::from(requested - 1)
    };
    (value, FactorBasis::NeedsCovered { covered, requested })
}

/// A provider's six factors and its score: the weighted mean of the factor values.
pub(crate) struct Scored {
    pub(crate) score: f64,
    pub(crate) factors: [ScoreFactor; 6],
}

/// The six factors of `l` for a place `km` away, and the score; with `banded`, the distance
/// factor shows the band of `km` instead ([`distance_factor`]).
pub(crate) fn score(l: &Listing<'_>, km: Option<f64>, banded: bool, s: &Scoring<'_>) -> Scored {
    let w = &s.config.weights;
    let total = s.config.total_weight();
    let factor = |factor, weight: f64, (value, basis): (f64, FactorBasis)| ScoreFactor {
        factor,
        value,
        weight: weight / total,
        points: value * weight / total,
        basis,
    };
    let factors = [
        factor(
            Factor::Distance,
            w.distance,
            distance_factor(l, km, banded, s),
        ),
        factor(Factor::Language, w.language, language_factor(l, s)),
        factor(Factor::Preferences, w.preferences, preferences_factor(l, s)),
        factor(Factor::Cost, w.cost, cost_factor(l, s)),
        factor(Factor::Capacity, w.capacity, capacity_factor(l, s)),
        factor(
            Factor::SeveralNeeds,
            w.several_needs,
            several_needs_factor(l, s),
        ),
    ];
    let score = factors
        .iter()
        .zip(w.in_factor_order())
        .map(|(f, w)| f.value * w)
        .sum::<f64>()
        / total;
    Scored { score, factors }
}

/// Nearer first; an unknown distance after every known one.
pub(crate) fn nearer(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// **The tie-break**: candidates rank by score (higher first), then distance (nearer first,
/// unknown last), then service id, so every answer is one total order. The ids are compared
/// by their place in the order of ids (`Facts::id_order`), which orders them as the ids do.
pub(crate) fn rank(
    (score_a, km_a, id_a): (f64, Option<f64>, usize),
    (score_b, km_b, id_b): (f64, Option<f64>, usize),
) -> Ordering {
    score_b
        .total_cmp(&score_a)
        .then_with(|| nearer(km_a, km_b))
        .then_with(|| id_a.cmp(&id_b))
}
