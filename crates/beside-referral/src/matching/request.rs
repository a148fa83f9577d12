//! What a match is asked: the person, their needs, their voice (preferences and vetoes), the
//! case's safety flags, and what they hold (identification, a court order, a referral letter).

use crate::whereabouts::Viewer;
use beside_core::{
    AreaPath, CaseId, CaseProfile, Coordinates, DomainKey, OrganizationId, OrganizationKind,
    Person, Reason, ServiceId, TimeZone, Timestamp, Validate, Validator,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A veto: something the person does not want, which no score can override.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "veto", rename_all = "snake_case")]
pub enum Veto {
    /// Never this organisation.
    Organization {
        /// The organisation.
        id: OrganizationId,
    },
    /// Never this service.
    Service {
        /// The service.
        id: ServiceId,
    },
    /// Never this kind of provider ("no police").
    Kind {
        /// The kind.
        kind: OrganizationKind,
    },
    /// Never a place in this area (the home village where the trafficker lives, say).
    Area {
        /// The area.
        area: AreaPath,
    },
}

impl Veto {
    /// Stable key, as serialised (its `veto` tag, such as `organization`).
    pub fn key(&self) -> &'static str {
        match self {
            Veto::Organization { .. } => "organization",
            Veto::Service { .. } => "service",
            Veto::Kind { .. } => "kind",
            Veto::Area { .. } => "area",
        }
    }
}

/// Why a provider is unsafe for this case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SafetyConcern {
    /// Linked to the perpetrator or the trafficking network.
    LinkedToPerpetrator,
    /// The person was harmed or threatened there before.
    PriorHarm,
    /// A breach of confidentiality there is feared.
    ConfidentialityRisk,
    /// Another concern, recorded by the case worker.
    Other,
}

impl SafetyConcern {
    /// Every concern.
    pub const ALL: [SafetyConcern; 4] = [
        SafetyConcern::LinkedToPerpetrator,
        SafetyConcern::PriorHarm,
        SafetyConcern::ConfidentialityRisk,
        SafetyConcern::Other,
    ];

    /// Stable key, as serialised (`linked_to_perpetrator`).
    pub fn key(self) -> &'static str {
        match self {
            SafetyConcern::LinkedToPerpetrator => "linked_to_perpetrator",
            SafetyConcern::PriorHarm => "prior_harm",
            SafetyConcern::ConfidentialityRisk => "confidentiality_risk",
            SafetyConcern::Other => "other",
        }
    }
}

/// A per-case flag marking a provider unsafe.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SafetyFlag {
    /// The organisation flagged.
    pub organization_id: OrganizationId,
    /// Why.
    pub concern: SafetyConcern,
}

/// What the person would like, used in the soft score (never to exclude).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// Female staff.
    #[serde(default)]
    pub female_staff: bool,
    /// A survivor-led provider.
    #[serde(default)]
    pub survivor_led: bool,
    /// Trauma-informed staff.
    #[serde(default)]
    pub trauma_informed: bool,
}

/// An amount of money in the smallest unit of an ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Amount.
    pub amount: u64,
    /// ISO 4217 currency code (`BDT`, `KHR`).
    pub currency: String,
}

/// One case's match request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// The case.
    pub case_id: CaseId,
    /// The person.
    pub person: Person,
    /// Where they live.
    pub home_area: AreaPath,
    /// Where they live, as coordinates, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_coordinates: Option<Coordinates>,
    /// How far they can travel, in km; the configured default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_limit_km: Option<f64>,
    /// The needs to match, most urgent first.
    pub needs: Vec<DomainKey>,
    /// Soft preferences.
    #[serde(default)]
    pub preferences: Preferences,
    /// Vetoes: always win.
    #[serde(default)]
    pub vetoes: Vec<Veto>,
    /// Providers flagged unsafe for this case: always excluded.
    #[serde(default)]
    pub safety_flags: Vec<SafetyFlag>,
    /// Formally identified as a victim of trafficking.
    #[serde(default)]
    pub formally_identified: bool,
    /// Holds a court order (opens government shelters in Bangladesh).
    #[serde(default)]
    pub has_court_order: bool,
    /// Holds a referral letter.
    #[serde(default)]
    pub has_referral_letter: bool,
    /// What the person can pay for a service, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_pay: Option<Money>,
    /// The moment of the match (age, consent and capacity are judged then).
    pub at: Timestamp,
    /// The time zone of the person's place (an IANA id such as `Asia/Dhaka`): age limits are
    /// judged on its calendar. When absent, the zone of the home area's country if it has a
    /// single one, else UTC ([`TimeZone::for_place`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
    /// Who reads the answer: decides whether a confidential location's whereabouts (its exact
    /// distance) are shown ([`crate::whereabouts`]). Absent: the public, entitled to none — the
    /// safe default.
    #[serde(default, skip_serializing_if = "Viewer::is_public")]
    pub viewer: Viewer,
}

/// Most needs in one request.
pub const MAX_NEEDS: usize = 64;
/// Most vetoes one request may carry.
pub const MAX_VETOES: usize = 1000;
/// Most safety flags one request may carry.
pub const MAX_SAFETY_FLAGS: usize = 1000;

impl MatchRequest {
    /// A request for `needs` built from a case profile, with no preferences or vetoes yet.
    pub fn from_case(case: &CaseProfile, needs: Vec<DomainKey>, at: Timestamp) -> Self {
        Self {
            case_id: case.case_id.clone(),
            person: case.person.clone(),
            home_area: case.home_area.clone(),
            home_coordinates: case.home_coordinates,
            travel_limit_km: case.travel_limit_km,
            needs,
            preferences: Preferences::default(),
            vetoes: Vec::new(),
            safety_flags: Vec::new(),
            formally_identified: false,
            has_court_order: false,
            has_referral_letter: false,
            can_pay: None,
            at,
            time_zone: Some(case.calendar()),
            viewer: Viewer::Public,
        }
    }

    /// The calendar the person's age is taken on: the request's `time_zone`, else its home
    /// country's single zone, else UTC ([`TimeZone::for_place`]).
    pub fn calendar(&self) -> TimeZone {
        TimeZone::for_place(self.time_zone, &self.home_area)
    }
}

impl Validate for MatchRequest {
    /// Days (the person's birth) are judged on the request's own calendar
    /// ([`MatchRequest::calendar`]).
    fn validate_with(&self, v: &mut Validator) {
        v.in_time_zone(self.calendar(), |v| {
            v.field("person", |v| self.person.validate_with(v))
        });
        v.field("home_area", |v| self.home_area.validate_with(v));
        if let Some(c) = &self.home_coordinates {
            v.field("home_coordinates", |v| c.validate_with(v));
        }
        if let Some(km) = self.travel_limit_km {
            v.range("travel_limit_km", km, 0.0, 20_000.0);
        }
        v.max_items("needs", &self.needs, MAX_NEEDS);
        v.unique("needs", self.needs.iter().map(DomainKey::as_str));
        v.max_items("vetoes", &self.vetoes, MAX_VETOES);
        v.max_items("safety_flags", &self.safety_flags, MAX_SAFETY_FLAGS);
        if let Some(m) = &self.can_pay {
            let ok = m.currency.len() == 3 && m.currency.chars().all(|c| c.is_ascii_uppercase());
            v.field("can_pay", |v| {
                v.field("currency", |v| {
                    v.check(ok, || Reason::Invalid {
                        expected: "an ISO 4217 currency code such as `BDT`".into(),
                        value: m.currency.clone(),
                    })
                })
            });
        }
    }
}
