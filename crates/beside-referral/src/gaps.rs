//! Gap analysis: per area and need, how many active providers a person there could actually
//! reach, which services exist only on paper (a court order, no places, no shared language),
//! and, for a cohort, how many people have a need that no provider can meet.
//!
//! A gap table holds areas, need domains, service ids, reasons and counts: never a location's
//! address, coordinates or a distance, so a confidential place ([`crate::whereabouts`]) gives
//! nothing away in it, whoever reads it, and no viewer is asked for.

use crate::directory::{Service, ServiceStatus};
use crate::matching::index::{canonical_language, Listing};
use crate::matching::{ConsentGate, MatchConfig, MatchError, MatchIndex, MatchRequest};
use beside_core::{AreaPath, DomainKey, LanguageCode, ServiceId, Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most areas one gap query may ask about.
pub const MAX_GAP_AREAS: usize = 10_000;

/// Why a listed service cannot be reached by people in an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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

impl PaperReason {
    /// Every reason, in the order [`PaperOnly::reasons`] lists them.
    pub const ALL: [PaperReason; 5] = [
        PaperReason::Inactive,
        PaperReason::NoCapacity,
        PaperReason::RequiresCourtOrder,
        PaperReason::RequiresFormalIdentification,
        PaperReason::NoSharedLanguage,
    ];

    /// Stable key, as serialised (`requires_court_order`), for labels.
    pub fn key(self) -> &'static str {
        match self {
            PaperReason::Inactive => "inactive",
            PaperReason::NoCapacity => "no_capacity",
            PaperReason::RequiresCourtOrder => "requires_court_order",
            PaperReason::RequiresFormalIdentification => "requires_formal_identification",
            PaperReason::NoSharedLanguage => "no_shared_language",
        }
    }
}

/// A service that exists for an area and need but cannot be reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PaperOnly {
    /// The service.
    pub service_id: ServiceId,
    /// Every reason it cannot be reached.
    pub reasons: Vec<PaperReason>,
}

/// One area's languages, for the shared-language test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AreaLanguages {
    /// The area.
    pub area: AreaPath,
    /// Languages spoken there.
    pub languages: Vec<LanguageCode>,
}

/// The gaps of one area and need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AreaNeedGap {
    /// The area.
    pub area: AreaPath,
    /// The need.
    pub domain: DomainKey,
    /// Services listed for this need that serve the area (by a named service area, or a
    /// location inside it, which for a service drawn as shapes must also lie inside one).
    pub listed: u32,
    /// Of those, how many a person could actually reach.
    pub reachable: u32,
    /// The rest: listed but unreachable, with reasons.
    pub paper_only: Vec<PaperOnly>,
}

/// Gap table settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
        v.max_items("areas", &self.areas, MAX_GAP_AREAS);
        v.unique("needs", self.needs.iter().map(DomainKey::as_str));
    }
}

/// Why `s` cannot be reached by people of an area speaking `languages` (`None`: the area's
/// languages are not known, so the language test is skipped), in the order of [`PaperReason`].
fn paper_reasons(s: &Service, languages: Option<&[LanguageCode]>) -> Vec<PaperReason> {
    let no_shared_language = languages.is_some_and(|spoken| {
        !s.interpretation_available
            && !s.languages.is_empty()
            && !s
                .languages
                .iter()
                .any(|l| spoken.contains(&canonical_language(l)))
    });
    [
        (s.status != ServiceStatus::Active, PaperReason::Inactive),
        (s.capacity == Some(0), PaperReason::NoCapacity),
        (s.requires_court_order, PaperReason::RequiresCourtOrder),
        (
            s.eligibility.requires_formal_identification,
            PaperReason::RequiresFormalIdentification,
        ),
        (no_shared_language, PaperReason::NoSharedLanguage),
    ]
    .into_iter()
    .filter_map(|(applies, reason)| applies.then_some(reason))
    .collect()
}

/// Whether a service serves `area` (or part of it): one of its named service areas contains the
/// area or lies within it, or one of its locations lies within it, which for a service drawn as
/// shapes must also lie inside one of them.
fn serves_area(l: &Listing<'_>, area: &AreaPath) -> Result<bool, MatchError> {
    let by_area = l
        .service()?
        .service_areas
        .iter()
        .any(|a| a.contains(area) || area.contains(a));
    // A drawn service's location counts only if it lies inside one of its shapes: an office in
    // one district may serve a shape drawn over another, and the safe reading is not to list it
    // where it is not known to serve.
    let extent = l.extent;
    Ok(by_area
        || l.locations()?.iter().any(|loc| {
            area.contains(&loc.area)
                && extent.is_none_or(|e| loc.coordinates.as_ref().is_some_and(|c| e.contains(c)))
        }))
}

impl MatchIndex {
    /// The gap table: one row per area and need, in the query's order.
    pub fn gaps(&self, query: &GapQuery) -> Result<Vec<AreaNeedGap>, MatchError> {
        query.validate()?;
        let needs: &[DomainKey] = if query.needs.is_empty() {
            self.domains()
        } else {
            &query.needs
        };
        let mut rows = Vec::with_capacity(query.areas.len() * needs.len());
        for area in &query.areas {
            // An area speaks the languages of every entry enclosing it; with none listed, the
            // language test is skipped for it.
            let enclosing: Vec<&AreaLanguages> = query
                .languages
                .iter()
                .filter(|l| l.area.contains(area))
                .collect();
            let spoken: Vec<LanguageCode> = enclosing
                .iter()
                .flat_map(|l| l.languages.iter().map(canonical_language))
                .collect();
            let languages = enclosing
                .iter()
                .any(|l| !l.languages.is_empty())
                .then_some(spoken.as_slice());
            for need in needs {
                let mut row = AreaNeedGap {
                    area: area.clone(),
                    domain: need.clone(),
                    listed: 0,
                    reachable: 0,
                    paper_only: Vec::new(),
                };
                for l in self.serving(need)? {
                    if !serves_area(&l, area)? {
                        continue;
                    }
                    row.listed += 1;
                    let service = l.service()?;
                    let reasons = paper_reasons(service, languages);
                    if reasons.is_empty() {
                        row.reachable += 1;
                    } else {
                        row.paper_only.push(PaperOnly {
                            service_id: service.id.clone(),
                            reasons,
                        });
                    }
                }
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// For a cohort: per area (home areas cut to `depth` levels) and need, how many people have
    /// the need and how many of them no eligible provider can serve; by area, then need.
    pub fn unmet_needs(
        &self,
        requests: &[MatchRequest],
        depth: usize,
        config: &MatchConfig,
        gate: &dyn ConsentGate,
    ) -> Result<Vec<UnmetNeed>, MatchError> {
        let mut tally: BTreeMap<(AreaPath, DomainKey), (u32, u32)> = BTreeMap::new();
        for req in requests {
            let result = self.match_case(req, config, gate)?;
            let area = req.home_area.truncated(depth);
            for m in &result.needs {
                let (people, unmet) = tally.entry((area.clone(), m.domain.clone())).or_default();
                *people += 1;
                if m.candidates.is_empty() {
                    *unmet += 1;
                }
            }
        }
        Ok(tally
            .into_iter()
            .map(|((area, domain), (people, unmet))| UnmetNeed {
                area,
                domain,
                people,
                unmet,
            })
            .collect())
    }
}

/// Unmet need in a cohort, for one area and need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
