//! Places: administrative-area paths and WGS84 coordinates.

use crate::codes::CountryCode;
use crate::error::{check_range, check_text, Reason, Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Deepest administrative path accepted (country plus seven levels).
pub const MAX_AREA_DEPTH: usize = 8;

/// An administrative-area path from the country down, such as
/// `BD › Khulna › Jashore › Jhikargacha` (country › division › district › upazila) or
/// `KH › Banteay Meanchey › Poipet`. Serialised as a list whose first item is an ISO 3166-1
/// alpha-2 country code.
//
// The parts are shared (`Arc`): a directory read shares one copy of each area among the
// services and locations that name it, which keeps the 100,000-service directory within its
// resident-memory target on a phone (README, Performance). Serde's `rc` feature reads and
// writes it as the list it is. Not in the doc comment, which is also the schema's description.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[schemars(transparent)]
pub struct AreaPath(
    /// Country code first, then area names from the largest to the smallest.
    #[schemars(length(min = 1, max = 8))]
    pub std::sync::Arc<[String]>,
);

impl AreaPath {
    /// Build a path from its parts, checking it; the first problem found is the error.
    pub fn new<I, S>(parts: I) -> Result<Self, Reason>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let path = Self(parts.into_iter().map(Into::into).collect());
        check_depth(path.0.len())?;
        for (i, part) in path.0.iter().enumerate() {
            check_part(i, part)?;
        }
        Ok(path)
    }

    /// The country code, when the path is valid.
    pub fn country(&self) -> Option<&str> {
        self.0.first().map(String::as_str)
    }

    /// Number of levels, the country included.
    pub fn depth(&self) -> usize {
        self.0.len()
    }

    /// Whether `other` lies within this area (this path is a prefix of it). Names are compared
    /// without regard to letter case or surrounding spaces, so `Cox's Bazar` and `cox's bazar `
    /// are one area.
    pub fn contains(&self, other: &AreaPath) -> bool {
        self.0.len() <= other.0.len()
            && self
                .0
                .iter()
                .zip(other.0.iter())
                .all(|(a, b)| a.trim().eq_ignore_ascii_case(b.trim()))
    }

    /// The path cut to at most `depth` levels (the district of an upazila, say).
    pub fn truncated(&self, depth: usize) -> AreaPath {
        AreaPath(self.0.iter().take(depth).cloned().collect())
    }
}

impl std::fmt::Display for AreaPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(" › "))
    }
}

/// A path has at least the country and at most [`MAX_AREA_DEPTH`] levels.
fn check_depth(depth: usize) -> Result<(), Reason> {
    if depth == 0 {
        Err(Reason::Empty)
    } else if depth > MAX_AREA_DEPTH {
        Err(Reason::TooMany {
            max: MAX_AREA_DEPTH,
            got: depth,
        })
    } else {
        Ok(())
    }
}

/// The first part is an ISO 3166-1 alpha-2 country code; the others are names of up to 100
/// characters.
fn check_part(index: usize, part: &str) -> Result<(), Reason> {
    if index == 0 {
        CountryCode::new(part).map(|_| ())
    } else {
        check_text(part, 100, true)
    }
}

impl Validate for AreaPath {
    fn validate_with(&self, v: &mut Validator) {
        if let Err(reason) = check_depth(self.0.len()) {
            v.report(reason);
            if self.0.is_empty() {
                return;
            }
        }
        for (i, part) in self.0.iter().enumerate() {
            if let Err(reason) = check_part(i, part) {
                v.index(i, |v| v.report(reason));
            }
        }
    }
}

/// A WGS84 position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    /// Latitude, -90 to 90.
    #[schemars(range(min = -90.0, max = 90.0))]
    pub latitude: f64,
    /// Longitude, -180 to 180.
    #[schemars(range(min = -180.0, max = 180.0))]
    pub longitude: f64,
}

/// Mean Earth radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

impl Coordinates {
    /// Coordinates, checked to lie in range.
    pub fn new(latitude: f64, longitude: f64) -> Result<Self, Reason> {
        check_range(latitude, -90.0, 90.0)?;
        check_range(longitude, -180.0, 180.0)?;
        Ok(Self {
            latitude,
            longitude,
        })
    }

    /// Great-circle distance in kilometres (haversine formula on a sphere of
    /// [`EARTH_RADIUS_KM`]; within 0.5% of the ellipsoidal distance, enough to compare travel).
    pub fn distance_km(&self, other: &Coordinates) -> f64 {
        let (lat1, lat2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude - self.longitude).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

impl Validate for Coordinates {
    fn validate_with(&self, v: &mut Validator) {
        v.range("latitude", self.latitude, -90.0, 90.0);
        v.range("longitude", self.longitude, -180.0, 180.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dhaka_to_jashore_is_about_120_km() -> Result<(), Reason> {
        let dhaka = Coordinates::new(23.8103, 90.4125)?;
        let jashore = Coordinates::new(23.1664, 89.2081)?;
        let d = dhaka.distance_km(&jashore);
        assert!((d - 141.0).abs() < 10.0, "{d}");
        assert!(dhaka.distance_km(&dhaka).abs() < 1e-9);
        Ok(())
    }

    #[test]
    fn coordinates_out_of_range() {
        assert!(Coordinates::new(91.0, 0.0).is_err());
        assert!(Coordinates::new(0.0, -181.0).is_err());
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn area_containment() -> Result<(), Reason> {
        let district = AreaPath::new(["BD", "Khulna", "Jashore"])?;
        let upazila = AreaPath::new(["BD", "khulna", "Jashore ", "Jhikargacha"])?;
        assert!(district.contains(&upazila));
        assert!(!upazila.contains(&district));
        assert!(AreaPath::new(["XX", "Somewhere"]).is_err());
        assert!(AreaPath::new(Vec::<String>::new()).is_err());
        assert_eq!(upazila.to_string(), "BD › khulna › Jashore  › Jhikargacha");
        Ok(())
    }

    #[test]
    fn area_paths_read_and_write_as_lists() -> Result<(), Box<dyn std::error::Error>> {
        let path = AreaPath::new(["BD", "Khulna", "Jashore"])?;
        let json = serde_json::to_string(&path)?;
        assert_eq!(json, serde_json::to_string(&["BD", "Khulna", "Jashore"])?);
        assert_eq!(serde_json::from_str::<AreaPath>(&json)?, path);
        assert!(serde_json::from_str::<AreaPath>("\"BD\"").is_err());
        Ok(())
    }

    #[test]
    fn a_new_path_names_its_first_problem() {
        assert_eq!(AreaPath::new(Vec::<String>::new()), Err(Reason::Empty));
        assert!(matches!(
            AreaPath::new(["BD"; 9]),
            Err(Reason::TooMany { max: 8, got: 9 })
        ));
        assert!(AreaPath::new(["Bangladesh", "Khulna"]).is_err());
        assert_eq!(AreaPath::new(["BD", " "]), Err(Reason::Empty));
        assert!(matches!(
            Coordinates::new(0.0, 200.0),
            Err(Reason::AboveMaximum { got, .. }) if got == 200.0
        ));
    }

    proptest::proptest! {
        #[test]
        fn area_paths_order_and_hash_as_lists_of_names(
            a in proptest::collection::vec("[a-cA-C ]{0,3}", 0..4),
            b in proptest::collection::vec("[a-cA-C ]{0,3}", 0..4),
        ) {
            use std::hash::{BuildHasher, RandomState};
            let (pa, pb) = (AreaPath(a.clone().into()), AreaPath(b.clone().into()));
            proptest::prop_assert_eq!(pa.cmp(&pb), a.cmp(&b));
            proptest::prop_assert_eq!(pa == pb, a == b);
            let hasher = RandomState::new();
            proptest::prop_assert_eq!(hasher.hash_one(&pa), hasher.hash_one(&a));
            proptest::prop_assert_eq!(serde_json::to_string(&pa).ok(), serde_json::to_string(&a).ok());
            proptest::prop_assert_eq!(pa.to_string(), a.join(" › "));
            proptest::prop_assert_eq!(pa.truncated(2).0.to_vec(), a.iter().take(2).cloned().collect::<Vec<_>>());
        }

        #[test]
        fn distance_is_symmetric_and_bounded(a in -90.0f64..90.0, b in -180.0f64..180.0,
                                             c in -90.0f64..90.0, d in -180.0f64..180.0) {
            let p = Coordinates { latitude: a, longitude: b };
            let q = Coordinates { latitude: c, longitude: d };
            let pq = p.distance_km(&q);
            proptest::prop_assert!((pq - q.distance_km(&p)).abs() < 1e-6);
            proptest::prop_assert!((0.0..=std::f64::consts::PI * EARTH_RADIUS_KM + 1e-6).contains(&pq));
        }
    }
}
