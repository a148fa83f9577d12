//! What a match answers: for each need, ranked candidates with a per-factor score breakdown,
//! pathway steps, near misses, and counts of every exclusion by reason.

use super::request::{SafetyConcern, Veto};
use crate::directory::{GenderServed, ServiceStatus};
use crate::whereabouts::{DistanceBand, Withheld};
use beside_core::{
    AreaPath, CaseId, DomainKey, LanguageCode, OrganizationId, OrganizationKind, ServiceId,
    Timestamp,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a candidate is excluded: a hard constraint, with the figures behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Exclusion {
    /// The service is not running.
    Inactive {
        /// Its status.
        status: ServiceStatus,
    },
    /// No open places.
    NoCapacity {
        /// Open places (0).
        capacity: i64,
    },
    /// The person's age is outside the service's range.
    AgeOutsideRange {
        /// The person's age.
        age: u32,
        /// Youngest served.
        min_age: Option<u32>,
        /// Oldest served.
        max_age: Option<u32>,
    },
    /// The service does not serve the person's gender (or the person's gender is not stated
    /// and the service serves only some genders).
    GenderNotServed {
        /// The genders it serves.
        served: Vec<GenderServed>,
    },
    /// The service does not serve the person's nationality (or it is unknown).
    NationalityNotServed {
        /// The nationalities it serves.
        served: Vec<String>,
    },
    /// The service requires formal identification as a victim, which the person lacks.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    RequiresFormalIdentification,
    /// The person lives outside the service's areas. Her home coordinates are never echoed
    /// here: a result travels further than the case record.
    OutsideServiceArea {
        /// Where the person lives.
        home_area: AreaPath,
        /// Which test decided: the service's named areas, its drawn shapes, its shapes with her
        /// coordinates unknown, or (with no service area) the district of its locations.
        decided_by: AreaTest,
    },
    /// The nearest location is farther than the person can travel.
    BeyondTravelLimit {
        /// Distance to the nearest location, km.
        distance_km: f64,
        /// The person's limit, km.
        limit_km: f64,
    },
    /// The nearest location is farther than the person can travel, and its whereabouts are
    /// withheld from the viewer ([`crate::whereabouts`]): the distance as a band. Its code is
    /// `beyond_travel_limit`, as for [`Exclusion::BeyondTravelLimit`].
    BeyondTravelLimitBand {
        /// Distance to the nearest location, as a band.
        distance_band: DistanceBand,
        /// The person's limit, km.
        limit_km: f64,
    },
    /// The person vetoed it.
    Vetoed {
        /// The veto that applies.
        veto: Veto,
    },
    /// Flagged unsafe for this case.
    FlaggedUnsafe {
        /// Why.
        concern: SafetyConcern,
    },
    /// No consent to share the data the referral needs with this recipient.
    NoConsent {
        /// The consent engine's deny reason codes.
        reasons: Vec<String>,
    },
}

impl Exclusion {
    /// Stable reason code.
    pub fn code(&self) -> ExclusionCode {
        match self {
            Exclusion::Inactive { .. } => ExclusionCode::Inactive,
            Exclusion::NoCapacity { .. } => ExclusionCode::NoCapacity,
            Exclusion::AgeOutsideRange { .. } => ExclusionCode::AgeOutsideRange,
            Exclusion::GenderNotServed { .. } => ExclusionCode::GenderNotServed,
            Exclusion::NationalityNotServed { .. } => ExclusionCode::NationalityNotServed,
            Exclusion::RequiresFormalIdentification => ExclusionCode::RequiresFormalIdentification,
            Exclusion::OutsideServiceArea { .. } => ExclusionCode::OutsideServiceArea,
            Exclusion::BeyondTravelLimit { .. } | Exclusion::BeyondTravelLimitBand { .. } => {
                ExclusionCode::BeyondTravelLimit
            }
            Exclusion::Vetoed { .. } => ExclusionCode::Vetoed,
            Exclusion::FlaggedUnsafe { .. } => ExclusionCode::FlaggedUnsafe,
            Exclusion::NoConsent { .. } => ExclusionCode::NoConsent,
        }
    }
}

/// Which test found a person outside a service's area ([`Exclusion::OutsideServiceArea`]).
/// A service may have named areas and shapes: she is inside when either places her, so when
/// she is outside, every test the service has said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AreaTest {
    /// The service's named areas (administrative paths): none holds her home area, and it has
    /// no shape.
    Path,
    /// The service's drawn shapes: her home coordinates lie outside every one (and none of
    /// its named areas, if any, holds her home area).
    Shape,
    /// The service is drawn as shapes and her home coordinates are not known, so only its
    /// named areas could place her, and none holds her home area (or it has none).
    ShapeWithoutCoordinates,
    /// The service has no service area, so it serves where its locations are; with no
    /// distance to go by, she must live in the district of one of them, and does not.
    LocationDistrict,
}

impl AreaTest {
    /// Stable key of the test, as serialised (`shape_without_coordinates`), for labels.
    pub fn key(self) -> &'static str {
        match self {
            AreaTest::Path => "path",
            AreaTest::Shape => "shape",
            AreaTest::ShapeWithoutCoordinates => "shape_without_coordinates",
            AreaTest::LocationDistrict => "location_district",
        }
    }

    /// Every test, for the label table's check.
    pub const ALL: [AreaTest; 4] = [
        AreaTest::Path,
        AreaTest::Shape,
        AreaTest::ShapeWithoutCoordinates,
        AreaTest::LocationDistrict,
    ];
}

/// The code of an [`Exclusion`], without its figures.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ExclusionCode {
    /// See [`Exclusion::Inactive`].
    Inactive,
    /// See [`Exclusion::NoCapacity`].
    NoCapacity,
    /// See [`Exclusion::AgeOutsideRange`].
    AgeOutsideRange,
    /// See [`Exclusion::GenderNotServed`].
    GenderNotServed,
    /// See [`Exclusion::NationalityNotServed`].
    NationalityNotServed,
    /// See [`Exclusion::RequiresFormalIdentification`].
    RequiresFormalIdentification,
    /// See [`Exclusion::OutsideServiceArea`].
    OutsideServiceArea,
    /// See [`Exclusion::BeyondTravelLimit`].
    BeyondTravelLimit,
    /// See [`Exclusion::Vetoed`].
    Vetoed,
    /// See [`Exclusion::FlaggedUnsafe`].
    FlaggedUnsafe,
    /// See [`Exclusion::NoConsent`].
    NoConsent,
}

impl ExclusionCode {
    /// All codes, in the order results list them.
    pub const ALL: [ExclusionCode; 11] = [
        ExclusionCode::Inactive,
        ExclusionCode::NoCapacity,
        ExclusionCode::AgeOutsideRange,
        ExclusionCode::GenderNotServed,
        ExclusionCode::NationalityNotServed,
        ExclusionCode::RequiresFormalIdentification,
        ExclusionCode::OutsideServiceArea,
        ExclusionCode::BeyondTravelLimit,
        ExclusionCode::Vetoed,
        ExclusionCode::FlaggedUnsafe,
        ExclusionCode::NoConsent,
    ];

    /// Whether an exclusion of this kind may be shown as a near miss. A veto or a safety flag
    /// never is: a near miss is a place to look, and the person said no.
    pub fn may_be_near_miss(self) -> bool {
        !matches!(self, ExclusionCode::Vetoed | ExclusionCode::FlaggedUnsafe)
    }

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            ExclusionCode::Inactive => "inactive",
            ExclusionCode::NoCapacity => "no_capacity",
            ExclusionCode::AgeOutsideRange => "age_outside_range",
            ExclusionCode::GenderNotServed => "gender_not_served",
            ExclusionCode::NationalityNotServed => "nationality_not_served",
            ExclusionCode::RequiresFormalIdentification => "requires_formal_identification",
            ExclusionCode::OutsideServiceArea => "outside_service_area",
            ExclusionCode::BeyondTravelLimit => "beyond_travel_limit",
            ExclusionCode::Vetoed => "vetoed",
            ExclusionCode::FlaggedUnsafe => "flagged_unsafe",
            ExclusionCode::NoConsent => "no_consent",
        }
    }
}

/// A step the person must take before the service will take them: a pathway, not an exclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PathwayStep {
    /// Obtain a court order (Bangladesh government shelters).
    ObtainCourtOrder,
    /// Obtain a referral letter.
    ObtainReferralLetter,
}

impl PathwayStep {
    /// Every step.
    pub const ALL: [PathwayStep; 2] = [
        PathwayStep::ObtainCourtOrder,
        PathwayStep::ObtainReferralLetter,
    ];

    /// Stable key, as serialised (`obtain_court_order`).
    pub fn key(self) -> &'static str {
        match self {
            PathwayStep::ObtainCourtOrder => "obtain_court_order",
            PathwayStep::ObtainReferralLetter => "obtain_referral_letter",
        }
    }
}

/// A soft-score factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Distance or reach.
    Distance,
    /// A language the person speaks.
    Language,
    /// The person's preferences (female staff, survivor-led, trauma-informed).
    Preferences,
    /// Cost against what the person can pay.
    Cost,
    /// Capacity pressure: few open places score lower.
    Capacity,
    /// Covering several of the person's needs at one provider.
    SeveralNeeds,
}

impl Factor {
    /// Every factor, in the order of [`Candidate::factors`].
    pub const ALL: [Factor; 6] = [
        Factor::Distance,
        Factor::Language,
        Factor::Preferences,
        Factor::Cost,
        Factor::Capacity,
        Factor::SeveralNeeds,
    ];

    /// Stable key, as serialised (`several_needs`).
    pub fn key(self) -> &'static str {
        match self {
            Factor::Distance => "distance",
            Factor::Language => "language",
            Factor::Preferences => "preferences",
            Factor::Cost => "cost",
            Factor::Capacity => "capacity",
            Factor::SeveralNeeds => "several_needs",
        }
    }
}

/// The figures behind a factor's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum FactorBasis {
    /// Distance to the nearest location against the travel limit.
    Distance {
        /// Kilometres.
        distance_km: f64,
        /// Limit, kilometres.
        limit_km: f64,
    },
    /// Distance to the nearest location as a band, against the travel limit: the location's
    /// whereabouts are withheld from the viewer ([`crate::whereabouts`]), so the kilometres are
    /// not shown, and the value is that of the band's
    /// [`DistanceBand::shown_km`](crate::whereabouts::DistanceBand::shown_km).
    DistanceBand {
        /// The band.
        distance_band: DistanceBand,
        /// Limit, kilometres.
        limit_km: f64,
    },
    /// The provider reaches people at home, in the person's area: the value is the configured
    /// `outreach_reach` (0.5 by default), wherever its base is.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Outreach,
    /// No coordinates on one side: a neutral value.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    DistanceUnknown,
    /// A shared language.
    SharedLanguage {
        /// The language (ISO 639-3 when it has such a code, as `ben` for Bengali).
        language: LanguageCode,
    },
    /// No shared language, but interpretation is available.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Interpretation,
    /// The service lists no languages: a neutral value.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    LanguageUnknown,
    /// No shared language and no interpretation.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NoSharedLanguage,
    /// How many of the person's preferences are met.
    PreferencesMet {
        /// Met.
        met: u32,
        /// Asked for.
        wanted: u32,
    },
    /// The person stated no preferences: every provider scores the same.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NoPreferences,
    /// Free of charge.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Free,
    /// A fee within what the person can pay.
    Affordable {
        /// The fee.
        fee: u64,
        /// What they can pay.
        can_pay: u64,
    },
    /// A fee beyond what the person can pay.
    Unaffordable {
        /// The fee.
        fee: u64,
        /// What they can pay.
        can_pay: u64,
    },
    /// A fee, and what the person can pay is not known (or in another currency).
    FeeUnknownMeans {
        /// The fee.
        fee: u64,
    },
    /// The cost is not known.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    CostUnknown,
    /// Open places.
    OpenPlaces {
        /// How many.
        places: i64,
    },
    /// No fixed limit on places.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NoFixedLimit,
    /// Needs covered at this provider.
    NeedsCovered {
        /// Of the requested needs, how many this service covers.
        covered: u32,
        /// How many were requested.
        requested: u32,
    },
}

impl FactorBasis {
    /// Stable key, as serialised (its `basis` tag, such as `distance_band`).
    pub fn key(&self) -> &'static str {
        match self {
            FactorBasis::Distance { .. } => "distance",
            FactorBasis::DistanceBand { .. } => "distance_band",
            FactorBasis::Outreach => "outreach",
            FactorBasis::DistanceUnknown => "distance_unknown",
            FactorBasis::SharedLanguage { .. } => "shared_language",
            FactorBasis::Interpretation => "interpretation",
            FactorBasis::LanguageUnknown => "language_unknown",
            FactorBasis::NoSharedLanguage => "no_shared_language",
            FactorBasis::PreferencesMet { .. } => "preferences_met",
            FactorBasis::NoPreferences => "no_preferences",
            FactorBasis::Free => "free",
            FactorBasis::Affordable { .. } => "affordable",
            FactorBasis::Unaffordable { .. } => "unaffordable",
            FactorBasis::FeeUnknownMeans { .. } => "fee_unknown_means",
            FactorBasis::CostUnknown => "cost_unknown",
            FactorBasis::OpenPlaces { .. } => "open_places",
            FactorBasis::NoFixedLimit => "no_fixed_limit",
            FactorBasis::NeedsCovered { .. } => "needs_covered",
        }
    }
}

/// One factor's contribution to a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ScoreFactor {
    /// The factor.
    pub factor: Factor,
    /// Its value, 0 to 1.
    pub value: f64,
    /// Its weight.
    pub weight: f64,
    /// `value * weight`: its points in the score.
    pub points: f64,
    /// The figures behind the value.
    pub basis: FactorBasis,
}

/// A provider that may be proposed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// The service.
    pub service_id: ServiceId,
    /// Its organisation.
    pub organization_id: OrganizationId,
    /// The organisation's kind.
    pub organization_kind: OrganizationKind,
    /// Score, 0 to 1: the sum of the factors' points.
    pub score: f64,
    /// The score, factor by factor, always all six in this order: distance, language,
    /// preferences, cost, capacity, several needs.
    pub factors: [ScoreFactor; 6],
    /// Steps to take before the service will take the person.
    pub pathway: Vec<PathwayStep>,
    /// Distance to the nearest location, when known and not withheld.
    pub distance_km: Option<f64>,
    /// The other requested needs this service also covers.
    pub also_covers: Vec<DomainKey>,
    /// Set when the service's whereabouts are withheld from the viewer
    /// ([`crate::whereabouts`]): why, and the distance as a band. `distance_km` is then absent
    /// and the distance factor shows the band; the score shown is the sum of the points shown,
    /// and the candidate is ranked by it (and by its band's distance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Withheld>,
}

/// A provider excluded by exactly one constraint: where the system is a "bridge to nowhere".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct NearMiss {
    /// The service.
    pub service_id: ServiceId,
    /// Its organisation.
    pub organization_id: OrganizationId,
    /// The one constraint that excludes it.
    pub exclusion: Exclusion,
    /// The score it would have had (with the distance's band when its whereabouts are
    /// withheld).
    pub score_if_included: f64,
    /// Set when the service's whereabouts are withheld from the viewer
    /// ([`crate::whereabouts`]): why, and the distance as a band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Withheld>,
}

/// How many services one constraint excluded (a service within the travel limit may count
/// under several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ExclusionCount {
    /// The constraint.
    pub code: ExclusionCode,
    /// How many services it excluded.
    pub count: u32,
}

/// The answer for one need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct NeedMatch {
    /// The need.
    pub domain: DomainKey,
    /// Services serving this need that were looked at: those within the near-miss reach
    /// (`near_miss_reach` times the travel limit), those that reach people at home, and those
    /// with no located place.
    pub considered: u32,
    /// The best candidates, best first (score, then distance, then service id).
    pub candidates: Vec<Candidate>,
    /// How many candidates passed every hard constraint (may exceed `candidates`).
    pub eligible: u32,
    /// Near misses, nearest first (then by service id).
    pub near_misses: Vec<NearMiss>,
    /// Exclusions by reason. Within the travel limit every constraint a service fails is
    /// counted; a service beyond it counts once, as `beyond_travel_limit`.
    pub exclusions: Vec<ExclusionCount>,
}

/// The answer for one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MatchResult {
    /// The case.
    pub case_id: CaseId,
    /// When the match was made.
    pub at: Timestamp,
    /// Whether consent was checked for every proposed provider. `false` only when matching was
    /// run to explore a directory; a referral still needs consent.
    pub consent_checked: bool,
    /// One entry per requested need, in request order.
    pub needs: Vec<NeedMatch>,
}
