//! Matching one case: hard constraints exclude (with reasons, `super::rules`), soft scores rank
//! the rest (with a breakdown, `super::score`), near misses show where the system is a bridge
//! to nowhere. The services looked at come from the directory's spatial index
//! ([`super::index`]).

use super::config::MatchConfig;
use super::index::{
    canonical_language, chord2_of_km, km_of_chord2, unit_vector, Facts, Listing, MatchIndex,
    UnitVector,
};
use super::request::MatchRequest;
use super::result::{
    Candidate, Exclusion, ExclusionCode, ExclusionCount, MatchResult, NearMiss, NeedMatch,
};
use super::rules::{self, Person};
use super::score::{self, Scoring};
use crate::directory::Organization;
use crate::whereabouts::{may_see_whereabouts, DistanceBand, Viewer, Withheld, WithheldReason};
use beside_core::{
    DomainKey, OrganizationId, OrganizationKind, Timestamp, Validate, ValidationErrors,
};
use std::collections::{HashMap, HashSet};

/// Decides whether a provider may receive the data a referral needs. Matching asks it once per
/// organisation per query. Implemented for the consent engine's ledger in [`super::consent`].
pub trait ConsentGate {
    /// `None` when `organization` may receive the referral's data at `at`; otherwise the
    /// reason codes of the refusal.
    fn refusal(&self, organization: &Organization, at: Timestamp) -> Option<Vec<String>>;

    /// Whether this gate really checks consent (false for [`ConsentNotChecked`]).
    fn checks_consent(&self) -> bool {
        true
    }

    /// The organisations this gate's rules name, when the answer for every other organisation
    /// depends on its kind alone: matching then asks once per kind about those. `None` (the
    /// default): any organisation may be answered on its own, so each is asked.
    fn named_organizations(&self) -> Option<Vec<OrganizationId>> {
        None
    }
}

/// A gate that checks nothing: for exploring a directory ("what exists near here?") with no
/// personal data. Results say `consent_checked: false`; a referral still needs consent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConsentNotChecked;

impl ConsentGate for ConsentNotChecked {
    fn refusal(&self, _: &Organization, _: Timestamp) -> Option<Vec<String>> {
        None
    }
    fn checks_consent(&self) -> bool {
        false
    }
}

/// The errors of matching.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatchError {
    /// The request or the configuration is invalid.
    #[error("invalid match request: {0}")]
    Invalid(#[from] ValidationErrors),
    /// An invariant of the index does not hold: a bug in Beside, never the caller's input.
    #[error("internal error in matching: {invariant}")]
    Internal {
        /// The invariant that failed.
        invariant: String,
    },
}

impl MatchError {
    pub(crate) fn internal(invariant: &str) -> Self {
        MatchError::Internal {
            invariant: invariant.to_owned(),
        }
    }
}

/// Consent answers of one query, asked of the gate at most once per organisation, and once per
/// kind for the organisations its rules do not name ([`ConsentGate::named_organizations`]).
/// Organisations are known by their position in the directory ([`Facts::organization`]).
struct ConsentAnswers<'g> {
    gate: &'g dyn ConsentGate,
    at: Timestamp,
    /// Whether the gate checks consent at all ([`ConsentGate::checks_consent`]), asked once.
    checks: bool,
    /// The positions of the organisations the gate names, when the kind decides for every
    /// other one.
    named: Option<HashSet<usize>>,
    by_organization: HashMap<usize, Option<Vec<String>>>,
    by_kind: HashMap<OrganizationKind, Option<Vec<String>>>,
}

impl<'g> ConsentAnswers<'g> {
    fn new(gate: &'g dyn ConsentGate, at: Timestamp, index: &MatchIndex) -> Self {
        let checks = gate.checks_consent();
        let named = if checks {
            // An organisation the directory does not hold is never asked about.
            gate.named_organizations().map(|ids| {
                ids.iter()
                    .filter_map(|id| index.organization_by_id(id.as_str()))
                    .collect()
            })
        } else {
            None
        };
        Self {
            gate,
            at,
            checks,
            named,
            by_organization: HashMap::new(),
            by_kind: HashMap::new(),
        }
    }

    /// **Consent**: the refusal's reason codes when the organisation of `l` may not receive the
    /// referral's data.
    fn refusal(&mut self, l: &Listing<'_>) -> Result<Option<Vec<String>>, MatchError> {
        if !self.checks {
            return Ok(None);
        }
        let (gate, at, org) = (self.gate, self.at, l.facts.organization());
        let kind_decides = self.named.as_ref().is_some_and(|n| !n.contains(&org));
        let known = if kind_decides {
            self.by_kind.get(&l.facts.kind)
        } else {
            self.by_organization.get(&org)
        };
        if let Some(answer) = known {
            return Ok(answer.clone());
        }
        let answer = gate.refusal(l.organization()?, at);
        if kind_decides {
            self.by_kind.insert(l.facts.kind, answer.clone());
        } else {
            self.by_organization.insert(org, answer.clone());
        }
        Ok(answer)
    }
}

/// How many services each exclusion excluded, one count per code in the order of
/// [`ExclusionCode::ALL`] (a code's position there is its declaration order).
struct Counts([u32; ExclusionCode::ALL.len()]);

impl Counts {
    /// One more excluded by `code`.
    fn add(&mut self, code: ExclusionCode) -> Result<(), MatchError> {
        // INVARIANT: `ExclusionCode::ALL` lists every code in declaration order, so a code's
        // discriminant is its position there.
        let count = self
            .0
            .get_mut(code as usize)
            .ok_or_else(|| MatchError::internal("an exclusion code outside ExclusionCode::ALL"))?;
        *count += 1;
        Ok(())
    }

    /// The codes that excluded any, with their counts, in the order of [`ExclusionCode::ALL`].
    fn listed(&self) -> Vec<ExclusionCount> {
        ExclusionCode::ALL
            .iter()
            .zip(self.0)
            .filter(|&(_, count)| count > 0)
            .map(|(&code, count)| ExclusionCount { code, count })
            .collect()
    }
}

/// One query's settings and what is resolved once for it.
struct Query<'a> {
    person: Person<'a>,
    scoring: Scoring<'a>,
    home: Option<UnitVector>,
    limit_chord2: f64,
    reach_chord2: f64,
}

/// An eligible service and its score (its factors are written out only if it is returned). It
/// holds its covering entry alone, so that ranking moves small values.
struct Eligible<'a> {
    facts: &'a Facts,
    /// The true distance.
    km: Option<f64>,
    /// The distance it is ranked by: the true one, or its band's when withheld.
    rank_km: Option<f64>,
    /// The score shown, which it is ranked by.
    score: f64,
    withheld: Option<Withheld>,
}

/// A service excluded by exactly one constraint that may be shown.
struct Missed<'a> {
    facts: &'a Facts,
    km: Option<f64>,
    exclusion: Exclusion,
}

/// The distance a service is ranked and ordered by for the viewer: the true one, or, when its
/// whereabouts are withheld, its band's [`DistanceBand::shown_km`], so that neither the order
/// nor the score shown tells more than the band.
fn rank_km(km: Option<f64>, withheld: Option<&Withheld>) -> Option<f64> {
    match withheld {
        Some(w) => w.distance_band.map(DistanceBand::shown_km),
        None => km,
    }
}

impl MatchIndex {
    /// Match one case against the directory. Vetoes and safety flags always win; consent is
    /// checked through `gate` for every provider within the travel limit that passes, or fails
    /// only one, other constraint, and for providers beyond it that fail nothing else.
    ///
    /// Per need, every service within `near_miss_reach` times the travel limit is counted
    /// (`considered`, and `exclusions`, where one beyond the limit counts once, as
    /// `beyond_travel_limit`); outreach services with a service area and services with no
    /// located place are always counted. At most `top_n` candidates are returned, best first
    /// (score, then distance, then service id). At most `max_near_misses` near misses are
    /// listed: services excluded by exactly one constraint, never a veto or a safety flag,
    /// nearest first (unknown distance last), then by service id.
    pub fn match_case(
        &self,
        req: &MatchRequest,
        config: &MatchConfig,
        gate: &dyn ConsentGate,
    ) -> Result<MatchResult, MatchError> {
        req.validate_at(req.at)?;
        config.validate()?;
        let limit_km = req
            .travel_limit_km
            .unwrap_or(config.default_travel_limit_km);
        let q = Query {
            person: Person::new(
                req,
                // On the calendar of her place: at 00:30 in Dhaka on her 18th birthday she is
                // 18, though the UTC date is the day before.
                req.person.age_at(req.at, req.calendar()),
                self,
            ),
            scoring: Scoring {
                req,
                config,
                limit_km,
                languages: req
                    .person
                    .languages
                    .iter()
                    .map(canonical_language)
                    .collect(),
            },
            home: req.home_coordinates.as_ref().map(unit_vector),
            limit_chord2: chord2_of_km(limit_km),
            reach_chord2: chord2_of_km(limit_km * config.near_miss_reach),
        };
        let mut consent = ConsentAnswers::new(gate, req.at, self);
        let needs = req
            .needs
            .iter()
            .map(|need| self.match_need(need, &q, &mut consent))
            .collect::<Result<_, _>>()?;
        Ok(MatchResult {
            case_id: req.case_id.clone(),
            at: req.at,
            consent_checked: gate.checks_consent(),
            needs,
        })
    }

    /// One need: every service within reach is judged by every hard constraint; those that
    /// pass are scored and ranked, those that fail one are near misses, and every failure is
    /// counted.
    fn match_need(
        &self,
        need: &DomainKey,
        q: &Query<'_>,
        consent: &mut ConsentAnswers<'_>,
    ) -> Result<NeedMatch, MatchError> {
        let config = q.scoring.config;
        let keep = config.max_near_misses as usize;
        let mut considered = 0u32;
        let mut counts = Counts([0; ExclusionCode::ALL.len()]);
        let mut eligible: Vec<Eligible<'_>> = Vec::new();
        let mut missed: Vec<Missed<'_>> = Vec::new();
        let mut beyond: Vec<(&Facts, f64)> = Vec::new();
        for found in self.within_reach(need, q.home.as_ref(), q.reach_chord2) {
            considered += 1;
            // A place beyond the travel limit counts once, as beyond it, whatever else fails;
            // it is looked at again below, as a possible near miss.
            if let Some(c2) = rules::beyond_travel_limit(&found, q.limit_chord2) {
                counts.add(ExclusionCode::BeyondTravelLimit)?;
                beyond.push((found.facts, c2));
                continue;
            }
            let (listing, chord2) = (self.listing(found.facts)?, found.chord2);
            // Every failure is counted; the first is kept while it is the only one.
            let (mut failures, mut only) = (0usize, None);
            rules::hard_constraints(&listing, &q.person, chord2.is_some(), |e| {
                counts.add(e.code())?;
                failures += 1;
                only = (failures == 1).then_some(e);
                Ok(())
            })?;
            // Consent is asked only where it can change the answer: a provider that fails two
            // other constraints is neither proposed nor a near miss.
            if failures <= 1 {
                if let Some(reasons) = consent.refusal(&listing)? {
                    counts.add(ExclusionCode::NoConsent)?;
                    failures += 1;
                    only = (failures == 1).then_some(Exclusion::NoConsent { reasons });
                }
            }
            // The distance in km is measured only for what is kept.
            let km = || chord2.map(km_of_chord2);
            match (failures, only) {
                (0, _) => {
                    let km = km();
                    let withheld = self.withheld(&listing, km, q)?;
                    eligible.push(Eligible {
                        facts: found.facts,
                        km,
                        rank_km: rank_km(km, withheld.as_ref()),
                        score: score::score(&listing, km, withheld.is_some(), &q.scoring).score,
                        withheld,
                    })
                }
                (1, Some(one)) if one.code().may_be_near_miss() => missed.push(Missed {
                    facts: found.facts,
                    km: km(),
                    exclusion: one,
                }),
                _ => {}
            }
        }
        // Near misses go nearest first, so those beyond the limit come after every one nearer
        // than it: they are looked at only when fewer than `keep` of those were found. One is
        // a near miss when nothing else, consent included, excludes it.
        let limit_km = q.scoring.limit_km;
        let edge_km = km_of_chord2(q.limit_chord2);
        let nearer = missed
            .iter()
            .filter(|m| m.km.is_some_and(|km| km < edge_km))
            .count();
        if nearer < keep {
            for (facts, c2) in beyond {
                let listing = self.listing(facts)?;
                let mut fails_other = false;
                rules::hard_constraints(&listing, &q.person, true, |_| {
                    fails_other = true;
                    Ok(())
                })?;
                if fails_other || consent.refusal(&listing)?.is_some() {
                    continue;
                }
                let distance_km = km_of_chord2(c2);
                missed.push(Missed {
                    facts,
                    km: Some(distance_km),
                    exclusion: Exclusion::BeyondTravelLimit {
                        distance_km,
                        limit_km,
                    },
                });
            }
        }
        let eligible_count = u32::try_from(eligible.len())
            .map_err(|_| MatchError::internal("more eligible services than a u32 holds"))?;
        best_first(&mut eligible, config.top_n as usize, |a, b| {
            score::rank(
                (a.score, a.rank_km, a.facts.id_order()),
                (b.score, b.rank_km, b.facts.id_order()),
            )
        });
        let mut missed = missed
            .into_iter()
            .map(|m| {
                let withheld = self.withheld(&self.listing(m.facts)?, m.km, q)?;
                Ok((rank_km(m.km, withheld.as_ref()), withheld, m))
            })
            .collect::<Result<Vec<_>, MatchError>>()?;
        best_first(&mut missed, keep, |(a_km, _, a), (b_km, _, b)| {
            score::nearer(*a_km, *b_km).then_with(|| a.facts.id_order().cmp(&b.facts.id_order()))
        });
        Ok(NeedMatch {
            domain: need.clone(),
            considered,
            candidates: eligible
                .into_iter()
                .map(|e| candidate(&self.listing(e.facts)?, e.km, e.withheld, need, &q.scoring))
                .collect::<Result<_, _>>()?,
            eligible: eligible_count,
            near_misses: missed
                .into_iter()
                .map(|(_, withheld, m)| {
                    let listing = self.listing(m.facts)?;
                    let exclusion = match (m.exclusion, withheld) {
                        (
                            Exclusion::BeyondTravelLimit { limit_km, .. },
                            Some(Withheld {
                                distance_band: Some(distance_band),
                                ..
                            }),
                        ) => Exclusion::BeyondTravelLimitBand {
                            distance_band,
                            limit_km,
                        },
                        (exclusion, _) => exclusion,
                    };
                    Ok(NearMiss {
                        service_id: listing.service()?.id.clone(),
                        organization_id: listing.organization()?.id.clone(),
                        score_if_included: score::score(
                            &listing,
                            m.km,
                            withheld.is_some(),
                            &q.scoring,
                        )
                        .score,
                        exclusion,
                        withheld,
                    })
                })
                .collect::<Result<_, MatchError>>()?,
            exclusions: counts.listed(),
        })
    }
}

/// Keeps the first `k` of `items` in the order `by`, sorted: a partial selection of the `k`
/// first, then a sort of those alone.
fn best_first<T>(items: &mut Vec<T>, k: usize, by: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > k {
        if let Some(kth) = k.checked_sub(1) {
            items.select_nth_unstable_by(kth, &by);
        }
        items.truncate(k);
    }
    items.sort_by(by);
}

/// A candidate as the result shows it: its score with the breakdown (the same computation that
/// ranked it, written out in full), the steps to take, and the person's other needs it also
/// covers (in her order).
fn candidate(
    l: &Listing<'_>,
    km: Option<f64>,
    withheld: Option<Withheld>,
    need: &DomainKey,
    scoring: &Scoring<'_>,
) -> Result<Candidate, MatchError> {
    let (s, req) = (l.service()?, scoring.req);
    let scored = score::score(l, km, withheld.is_some(), scoring);
    Ok(Candidate {
        service_id: s.id.clone(),
        organization_id: l.organization()?.id.clone(),
        organization_kind: l.facts.kind,
        score: scored.score,
        factors: scored.factors,
        pathway: rules::pathway(s, req),
        distance_km: if withheld.is_some() { None } else { km },
        withheld,
        also_covers: req
            .needs
            .iter()
            .filter(|n| *n != need && l.domains.contains(n))
            .cloned()
            .collect(),
    })
}

impl MatchIndex {
    /// What is withheld from the query's viewer about a service `km` from the person: `None`
    /// when it may see the whereabouts of every location of the service
    /// ([`may_see_whereabouts`]); else why, and the distance as a band. Any one confidential
    /// location withholds the distance, since it may be the nearest one the distance was
    /// measured to (the safe reading).
    fn withheld(
        &self,
        l: &Listing<'_>,
        km: Option<f64>,
        q: &Query<'_>,
    ) -> Result<Option<Withheld>, MatchError> {
        let viewer = &q.scoring.req.viewer;
        if !self.any_confidential() || *viewer == Viewer::Keeper {
            return Ok(None);
        }
        let hidden = l
            .locations()?
            .iter()
            .any(|loc| !may_see_whereabouts(loc, viewer));
        Ok(hidden.then(|| Withheld {
            reason: WithheldReason::ConfidentialLocation,
            distance_band: km.map(DistanceBand::of_km),
        }))
    }
}
