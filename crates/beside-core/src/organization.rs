//! Kinds of organisation. Informal providers (family, community, religious and survivor-led
//! groups) stand beside government and NGOs with the same standing. The same kinds name
//! recipients in consent records and vetoes ("never the police").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The kind of an organisation or provider.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    /// A government office or service (social services, counter-trafficking committee).
    Government,
    /// Police.
    Police,
    /// A court or tribunal.
    Court,
    /// A health facility (clinic, hospital, health complex).
    Health,
    /// A non-governmental organisation.
    Ngo,
    /// An international organisation (IOM, UN agencies).
    InternationalOrganization,
    /// A survivor-led group.
    SurvivorLed,
    /// A community group.
    Community,
    /// A religious group or institution.
    Religious,
    /// An employer.
    Employer,
    /// Family or another informal helper.
    FamilyInformal,
    /// Emergency services (ambulance, emergency hotline).
    EmergencyServices,
    /// A research institution.
    Research,
}

impl OrganizationKind {
    /// All kinds.
    pub const ALL: [OrganizationKind; 13] = [
        OrganizationKind::Government,
        OrganizationKind::Police,
        OrganizationKind::Court,
        OrganizationKind::Health,
        OrganizationKind::Ngo,
        OrganizationKind::InternationalOrganization,
        OrganizationKind::SurvivorLed,
        OrganizationKind::Community,
        OrganizationKind::Religious,
        OrganizationKind::Employer,
        OrganizationKind::FamilyInformal,
        OrganizationKind::EmergencyServices,
        OrganizationKind::Research,
    ];

    /// Stable key, as serialised.
    pub fn key(self) -> &'static str {
        match self {
            OrganizationKind::Government => "government",
            OrganizationKind::Police => "police",
            OrganizationKind::Court => "court",
            OrganizationKind::Health => "health",
            OrganizationKind::Ngo => "ngo",
            OrganizationKind::InternationalOrganization => "international_organization",
            OrganizationKind::SurvivorLed => "survivor_led",
            OrganizationKind::Community => "community",
            OrganizationKind::Religious => "religious",
            OrganizationKind::Employer => "employer",
            OrganizationKind::FamilyInformal => "family_informal",
            OrganizationKind::EmergencyServices => "emergency_services",
            OrganizationKind::Research => "research",
        }
    }

    /// Whether the kind is informal (family, community, religious, survivor-led).
    pub fn is_informal(self) -> bool {
        matches!(
            self,
            OrganizationKind::FamilyInformal
                | OrganizationKind::Community
                | OrganizationKind::Religious
                | OrganizationKind::SurvivorLed
        )
    }
}
