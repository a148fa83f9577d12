//! Confidential places: a location (a shelter for people escaping traffickers) can be marked
//! confidential, and its whereabouts — street address and coordinates — are then shown only to
//! the organisations entitled to them.
//!
//! The rule, in one function ([`may_see_whereabouts`]) that every output path calls:
//!
//! - a location with no [`Confidentiality`] is public: everyone sees it;
//! - a confidential location is seen by its own organisation, by every organisation its
//!   [`Confidentiality::disclosed_to`] names, and by the directory's [`Viewer::Keeper`];
//! - everyone else — the public ([`Viewer::Public`], the default of every request and option)
//!   and any other organisation — does not see it.
//!
//! What is withheld from an unentitled viewer, output by output:
//!
//! - **Match results and plans** ([`crate::matching`], [`crate::plan`]) never hold a location's
//!   coordinates or address; what could give a confidential place away is the exact distance
//!   from the person's (known) home. For a service with a confidential location the viewer may
//!   not see, the candidate's `distance_km` is left out and [`Withheld`] says why and gives the
//!   distance as a [`DistanceBand`]; the distance factor shows the band
//!   ([`crate::matching::FactorBasis::DistanceBand`]) with the value of the band's
//!   [`DistanceBand::shown_km`], the score shown is the sum of the points shown, and a near miss
//!   beyond the travel limit gives the band instead of the kilometres. Eligibility still uses
//!   the true distance (the travel limit, the near-miss reach), so the person still reaches the
//!   shelter. The ranking uses what is shown: such a service is ranked (and a near miss
//!   ordered) by its shown score and its band's distance, because ranking it by the true
//!   distance among services whose exact distances are shown would place it between two known
//!   distances — narrower than the band — and would show scores out of order. So an entitled
//!   viewer and an unentitled one may see the same eligible services in a different order.
//! - **Gap tables** ([`crate::gaps`]) hold areas, service ids and counts, never a location's
//!   coordinates, address or a distance: nothing to withhold.
//! - **HSDS export** ([`crate::hsds::export_value_with`]) writes a confidential location the
//!   viewer may not see without its address line, coordinates (`latitude`, `longitude` and the
//!   `coordinates` attribute), and with a `confidential` attribute saying the whereabouts were
//!   withheld; its name, organisation and administrative area stay.
//! - **Minimised case views** (`beside_consent::minimise`) are views of a case record, which holds
//!   no directory location: nothing to withhold there.

use crate::directory::Location;
use beside_core::OrganizationId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A location's confidentiality: its whereabouts are shown only to its own organisation and
/// those named here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Confidentiality {
    /// The other organisations entitled to its address and coordinates (a referral partner, a
    /// case-management NGO). The location's own organisation always is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disclosed_to: Vec<OrganizationId>,
}

/// Who reads an output: what decides whether a confidential location's whereabouts are shown.
/// The default is [`Viewer::Public`], entitled to none: the safe reading.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "viewer", rename_all = "snake_case")]
pub enum Viewer {
    /// Anyone: sees no confidential location's whereabouts. The default.
    #[default]
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Public,
    /// A case worker of this organisation: sees the whereabouts of its own confidential
    /// locations and of those disclosed to it.
    Organization {
        /// The organisation.
        id: OrganizationId,
    },
    /// The directory's own keeper (a backup, an HSDS round trip): sees every location's
    /// whereabouts. Never a default.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Keeper,
}

impl Viewer {
    /// Whether this is the public viewer (the default, left out when serialised).
    pub fn is_public(&self) -> bool {
        matches!(self, Viewer::Public)
    }
}

/// **The rule**: whether `viewer` may see the address and coordinates of `location`. A public
/// location: always. A confidential one: only its own organisation, those it is disclosed to,
/// and the keeper.
pub fn may_see_whereabouts(location: &Location, viewer: &Viewer) -> bool {
    let Some(c) = &location.confidential else {
        return true;
    };
    match viewer {
        Viewer::Public => false,
        Viewer::Keeper => true,
        Viewer::Organization { id } => {
            *id == location.organization_id || c.disclosed_to.contains(id)
        }
    }
}

/// A distance in a band, shown instead of the kilometres to a place whose whereabouts are
/// withheld. The bands: under 5 km (a walk), 5 to 20 km (a bus ride), 20 to 50 km (a day's
/// journey there and back), over 50 km. A distance on a boundary belongs to the band above it
/// (5 km is `from5_to20_km`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DistanceBand {
    /// Under 5 km.
    Under5Km,
    /// From 5 km to under 20 km.
    From5To20Km,
    /// From 20 km to under 50 km.
    From20To50Km,
    /// 50 km or more.
    Over50Km,
}

impl DistanceBand {
    /// Every band, nearest first.
    pub const ALL: [DistanceBand; 4] = [
        DistanceBand::Under5Km,
        DistanceBand::From5To20Km,
        DistanceBand::From20To50Km,
        DistanceBand::Over50Km,
    ];

    /// The band `km` falls in.
    pub fn of_km(km: f64) -> Self {
        if km < 5.0 {
            DistanceBand::Under5Km
        } else if km < 20.0 {
            DistanceBand::From5To20Km
        } else if km < 50.0 {
            DistanceBand::From20To50Km
        } else {
            DistanceBand::Over50Km
        }
    }

    /// The distance the band stands for in a shown score: its middle (2.5, 12.5, 35 km), and
    /// 50 km for the open band over 50 km (its nearest edge).
    pub fn shown_km(self) -> f64 {
        match self {
            DistanceBand::Under5Km => 2.5,
            DistanceBand::From5To20Km => 12.5,
            DistanceBand::From20To50Km => 35.0,
            DistanceBand::Over50Km => 50.0,
        }
    }

    /// Stable key, as serialised (`from5_to20_km`), for labels.
    pub fn key(self) -> &'static str {
        match self {
            DistanceBand::Under5Km => "under5_km",
            DistanceBand::From5To20Km => "from5_to20_km",
            DistanceBand::From20To50Km => "from20_to50_km",
            DistanceBand::Over50Km => "over50_km",
        }
    }
}

/// Why a place's whereabouts were withheld from an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum WithheldReason {
    /// A location of the service is confidential and the viewer is not entitled to it.
    ConfidentialLocation,
}

impl WithheldReason {
    /// Every reason.
    pub const ALL: [WithheldReason; 1] = [WithheldReason::ConfidentialLocation];

    /// Stable key, as serialised, for labels.
    pub fn key(self) -> &'static str {
        match self {
            WithheldReason::ConfidentialLocation => "confidential_location",
        }
    }
}

/// What a candidate or near miss shows instead of its distance when its whereabouts are
/// withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Withheld {
    /// Why.
    pub reason: WithheldReason,
    /// The distance as a band, when it is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_band: Option<DistanceBand>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::{AreaPath, Coordinates, LocationId};

    fn shelter(confidential: Option<Confidentiality>) -> Location {
        Location {
            id: LocationId::new("l1").unwrap(),
            organization_id: OrganizationId::new("o1").unwrap(),
            name: "Shelter".into(),
            area: AreaPath::new(["BD", "Khulna"]).unwrap(),
            address: Some("12 Lake Road".into()),
            coordinates: Some(Coordinates::new(23.1, 89.2).unwrap()),
            confidential,
        }
    }

    fn org(id: &str) -> Viewer {
        Viewer::Organization {
            id: OrganizationId::new(id).unwrap(),
        }
    }

    #[test]
    fn who_may_see_a_confidential_place() {
        let public = shelter(None);
        let secret = shelter(Some(Confidentiality {
            disclosed_to: vec![OrganizationId::new("o2").unwrap()],
        }));
        for v in [
            Viewer::Public,
            org("o1"),
            org("o2"),
            org("o3"),
            Viewer::Keeper,
        ] {
            assert!(may_see_whereabouts(&public, &v), "{v:?}");
        }
        assert!(!may_see_whereabouts(&secret, &Viewer::Public));
        assert!(!may_see_whereabouts(&secret, &Viewer::default()));
        assert!(may_see_whereabouts(&secret, &org("o1")), "its own");
        assert!(may_see_whereabouts(&secret, &org("o2")), "disclosed to");
        assert!(!may_see_whereabouts(&secret, &org("o3")));
        assert!(may_see_whereabouts(&secret, &Viewer::Keeper));
    }

    #[test]
    fn bands_and_their_edges() {
        let cases = [
            (0.0, DistanceBand::Under5Km),
            (4.99, DistanceBand::Under5Km),
            (5.0, DistanceBand::From5To20Km),
            (19.9, DistanceBand::From5To20Km),
            (20.0, DistanceBand::From20To50Km),
            (50.0, DistanceBand::Over50Km),
            (900.0, DistanceBand::Over50Km),
        ];
        for (km, band) in cases {
            assert_eq!(DistanceBand::of_km(km), band, "{km}");
        }
        for band in DistanceBand::ALL {
            assert_eq!(DistanceBand::of_km(band.shown_km()), band);
            assert_eq!(
                serde_json::to_value(band).unwrap(),
                serde_json::json!(band.key())
            );
        }
    }

    #[test]
    fn viewers_read_strictly() {
        assert_eq!(
            serde_json::from_str::<Viewer>(r#"{"viewer": "organization", "id": "o1"}"#).unwrap(),
            org("o1")
        );
        assert_eq!(
            serde_json::from_str::<Viewer>(r#"{"viewer": "public"}"#).unwrap(),
            Viewer::Public
        );
        let err = serde_json::from_str::<Viewer>(r#"{"viewer": "everyone"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("public") && err.contains("keeper"), "{err}");
        assert!(serde_json::from_str::<Confidentiality>(r#"{"disclosed": []}"#).is_err());
    }
}
