//! Gap analysis: per area and need, how many active providers a person there could actually
//! reach, which services exist only on paper (a court order, no places, no shared language),
//! and, for a cohort, how many people have a need that no provider can meet.

use crate::matching::index::flag;
use crate::matching::{ConsentGate, MatchConfig, MatchError, MatchIndex, MatchRequest};
use beside_core::{AreaPath, DomainKey, LanguageCode, ServiceId, Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a listed service cannot be reached by people in an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaperReason {
    /// Not running.
    Inactive,
    /// No open places.
    NoCapacity,
    /// Only with a court order.
    RequiresCourtOrder,
    /// Only for people formally identified as victims.
    RequiresFormalIdentification,
    /// Speaks none of the area's languages and offers no interpretation.
    NoSharedLanguage,
}

/// A service that exists for an area and need but cannot be reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperOnly {
    /// The service.
    pub service_id: ServiceId,
    /// Every reason it cannot be reached.
    pub reasons: Vec<PaperReason>,
}

/// One area's languages, for the shared-language test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaLanguages {
    /// The area.
    pub area: AreaPath,
    /// Languages spoken there.
    pub languages: Vec<LanguageCode>,
}

/// The gaps of one area and need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaNeedGap {
    /// The area.
    pub area: AreaPath,
    /// The need.
    pub domain: DomainKey,
    /// Services listed for this need that serve the area (by service area, a location inside
    /// it, or outreach).
    pub listed: u32,
    /// Of those, how many a person could actually reach.
    pub reachable: u32,
    /// The rest: listed but unreachable, with reasons.
    pub paper_only: Vec<PaperOnly>,
}

/// Gap table settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GapQuery {
    /// The areas (districts, provinces…).
    pub areas: Vec<AreaPath>,
    /// The needs; all the directory's domains when empty.
    #[serde(default)]
    pub needs: Vec<DomainKey>,
    /// Languages per area (an area inherits those of an enclosing entry); when an area has none,
    /// the language test is skipped for it.
    #[serde(default)]
    pub languages: Vec<AreaLanguages>,
}

impl Validate for GapQuery {
    fn validate_with(&self, v: &mut Validator) {
        v.field("areas", |v| {
            v.check(!self.areas.is_empty(), || beside_core::Reason::Empty);
            for (i, a) in self.areas.iter().enumerate() {
                v.index(i, |v| a.validate_with(v));
            }
        });
        v.max_items("areas", &self.areas, 10_000);
        v.unique("needs", self.needs.iter().map(DomainKey::as_str));
    }
}

impl MatchIndex {
    /// The gap table: one row per area and need, in the query's order.
    pub fn gaps(&self, query: &GapQuery) -> Result<Vec<AreaNeedGap>, MatchError> {
        query.validate()?;
        let needs: Vec<DomainKey> = if query.needs.is_empty() {
            self.domains.clone()
        } else {
            query.needs.clone()
        };
        let mut rows = Vec::with_capacity(query.areas.len() * needs.len());
        for area in &query.areas {
            let langs: Vec<u16> = query
                .languages
                .iter()
                .filter(|l| l.area.contains(area))
                .flat_map(|l| l.languages.iter())
                .filter_map(|l| {
                    self.language_ids
                        .get(&crate::matching::index::canonical_language(l))
                        .copied()
                })
                .collect();
            let check_language = query
                .languages
                .iter()
                .any(|l| l.area.contains(area) && !l.languages.is_empty());
            for need in &needs {
                let mut row = AreaNeedGap {
                    area: area.clone(),
                    domain: need.clone(),
                    listed: 0,
                    reachable: 0,
                    paper_only: Vec::new(),
                };
                let Some(&bit) = self.domain_ids.get(need) else {
                    rows.push(row);
                    continue;
                };
                for (ei, c) in self.cold.iter().enumerate() {
                    let h = &c.hot;
                    if h.domains & (1u64 << bit) == 0 || !self.serves_area(ei, area) {
                        continue;
                    }
                    row.listed += 1;
                    let mut reasons = Vec::new();
                    if !h.has(flag::ACTIVE) {
                        reasons.push(PaperReason::Inactive);
                    }
                    if h.capacity == 0 {
                        reasons.push(PaperReason::NoCapacity);
                    }
                    if h.has(flag::COURT_ORDER) {
                        reasons.push(PaperReason::RequiresCourtOrder);
                    }
                    if h.has(flag::REQUIRES_ID) {
                        reasons.push(PaperReason::RequiresFormalIdentification);
                    }
                    if check_language
                        && !h.has(flag::INTERPRETATION)
                        && !c.languages.is_empty()
                        && !c.languages.iter().any(|l| langs.contains(l))
                    {
                        reasons.push(PaperReason::NoSharedLanguage);
                    }
                    if reasons.is_empty() {
                        row.reachable += 1;
                    } else if let Some(s) = self.directory.services.get(ei) {
                        row.paper_only.push(PaperOnly {
                            service_id: s.id.clone(),
                            reasons,
                        });
                    }
                }
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// Whether service `ei` serves `area`: one of its service areas contains the area or lies
    /// within it, or one of its locations lies within it.
    fn serves_area(&self, ei: usize, area: &AreaPath) -> bool {
        let by_area = self
            .service_areas(ei)
            .iter()
            .any(|a| a.contains(area) || area.contains(a));
        by_area
            || self.cold.get(ei).is_some_and(|c| {
                c.locations.iter().any(|&li| {
                    self.directory
                        .locations
                        .get(li as usize)
                        .is_some_and(|l| area.contains(&l.area))
                })
            })
    }

    /// For a cohort: per area (home areas cut to `depth` levels) and need, how many people have
    /// the need and how many of them no eligible provider can serve.
    pub fn unmet_needs(
        &self,
        requests: &[MatchRequest],
        depth: usize,
        config: &MatchConfig,
        gate: &dyn ConsentGate,
    ) -> Result<Vec<UnmetNeed>, MatchError> {
        let mut rows: Vec<UnmetNeed> = Vec::new();
        for req in requests {
            let result = self.match_case(req, config, gate)?;
            let area = req.home_area.truncated(depth);
            for m in &result.needs {
                let row = match rows
                    .iter_mut()
                    .find(|r| r.area == area && r.domain == m.domain)
                {
                    Some(r) => r,
                    None => {
                        rows.push(UnmetNeed {
                            area: area.clone(),
                            domain: m.domain.clone(),
                            people: 0,
                            unmet: 0,
                        });
                        match rows.last_mut() {
                            Some(r) => r,
                            None => continue,
                        }
                    }
                };
                row.people += 1;
                if m.candidates.is_empty() {
                    row.unmet += 1;
                }
            }
        }
        rows.sort_by(|a, b| a.area.cmp(&b.area).then_with(|| a.domain.cmp(&b.domain)));
        Ok(rows)
    }
}

/// Unmet need in a cohort, for one area and need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnmetNeed {
    /// The area.
    pub area: AreaPath,
    /// The need.
    pub domain: DomainKey,
    /// People in the cohort with this need.
    pub people: u32,
    /// Of them, how many no eligible provider can serve.
    pub unmet: u32,
}
