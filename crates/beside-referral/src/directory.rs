//! The service directory, aligned with Open Referral HSDS 3.0 (organization, service, location,
//! service_area) plus what this field needs and HSDS lacks: open places, genders served, formal
//! identification, court-order and referral-letter requirements, female and trauma-informed
//! staff, survivor-led, interpretation.

use crate::area::AreaShape;
use crate::whereabouts::Confidentiality;
use beside_core::{
    AreaPath, Coordinates, CountryCode, DomainKey, LanguageCode, LocationId, OrganizationId,
    OrganizationKind, Reason, ServiceId, Validate, Validator,
};
use schemars::JsonSchema;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Most organisations, services or locations one directory may hold.
pub const MAX_ENTRIES: usize = 2_000_000;

/// Most shapes one service's area may be drawn with.
pub const MAX_SHAPES: usize = 1000;

/// An organisation: formal or informal, with the same standing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Id (HSDS `organization.id`).
    pub id: OrganizationId,
    /// Name.
    pub name: String,
    /// What kind of organisation it is.
    pub kind: OrganizationKind,
    /// Led by survivors.
    #[serde(default)]
    pub survivor_led: bool,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its web addresses (HSDS `website`, 3.1 `url` objects).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<WebLink>,
}

/// Longest web address a directory holds, in characters.
pub const MAX_URL_CHARS: usize = 2000;

/// A web address of an organisation or service, with what it is (HSDS 3.1 `url`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct WebLink {
    /// The address, with its scheme (`https://…`, `mailto:…`).
    pub url: String,
    /// What it is, for people ("Website", "Referral form").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Validate for WebLink {
    /// The address is not blank, at most [`MAX_URL_CHARS`], without spaces or control
    /// characters, and starts with a scheme (`https:`); a label is not blank and at most 300
    /// characters.
    fn validate_with(&self, v: &mut Validator) {
        v.text("url", &self.url, MAX_URL_CHARS);
        let scheme_ok = self.url.split_once(':').is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if !self.url.is_empty() && (!scheme_ok || self.url.chars().any(char::is_whitespace)) {
            v.report_at(
                "url",
                Reason::Invalid {
                    expected: "a web address with its scheme, such as `https://example.org`".into(),
                    value: self.url.chars().take(200).collect(),
                },
            );
        }
        if let Some(l) = &self.label {
            v.text("label", l, 300);
        }
    }
}

fn validate_urls(urls: &[WebLink], v: &mut Validator) {
    v.each("urls", urls);
    v.unique("urls", urls.iter().map(|u| u.url.as_str()));
}

/// Whether a service is running (HSDS `service.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    /// Running.
    Active,
    /// Paused.
    Inactive,
    /// Closed for good.
    Defunct,
}

impl ServiceStatus {
    /// Every status.
    pub const ALL: [ServiceStatus; 3] = [
        ServiceStatus::Active,
        ServiceStatus::Inactive,
        ServiceStatus::Defunct,
    ];

    /// Stable key, as serialised (`defunct`).
    pub fn key(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Inactive => "inactive",
            ServiceStatus::Defunct => "defunct",
        }
    }
}

/// A group a service serves by gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum GenderServed {
    /// Women and girls.
    Female,
    /// Men and boys.
    Male,
    /// Third gender and non-binary people.
    ThirdGender,
}

impl GenderServed {
    /// Every group.
    pub const ALL: [GenderServed; 3] = [
        GenderServed::Female,
        GenderServed::Male,
        GenderServed::ThirdGender,
    ];

    /// Stable key, as serialised (`third_gender`).
    pub fn key(self) -> &'static str {
        match self {
            GenderServed::Female => "female",
            GenderServed::Male => "male",
            GenderServed::ThirdGender => "third_gender",
        }
    }
}

/// What a service costs the person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cost {
    /// Free of charge.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Free,
    /// A fee, in the smallest unit of the currency.
    Fee {
        /// Amount.
        amount: u64,
        /// ISO 4217 currency code.
        currency: String,
    },
    /// Not known.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Unknown,
}

/// Who a service is for. Empty lists mean "anyone".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// Youngest age served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// Oldest age served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u32>,
    /// Genders served; empty for all.
    #[serde(default)]
    pub genders: Vec<GenderServed>,
    /// Nationalities served; empty for all.
    #[serde(default)]
    pub nationalities: Vec<CountryCode>,
    /// Only for people formally identified as victims of trafficking.
    #[serde(default)]
    pub requires_formal_identification: bool,
}

/// A service an organisation offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Id (HSDS `service.id`).
    pub id: ServiceId,
    /// The organisation that offers it.
    pub organization_id: OrganizationId,
    /// Name.
    pub name: String,
    /// The need domains it serves.
    pub domains: Vec<DomainKey>,
    /// Whether it is running.
    pub status: ServiceStatus,
    /// Who it is for.
    #[serde(default)]
    pub eligibility: Eligibility,
    /// Languages the staff speak.
    #[serde(default)]
    pub languages: Vec<LanguageCode>,
    /// An interpreter can be arranged.
    #[serde(default)]
    pub interpretation_available: bool,
    /// What it costs.
    pub cost: Cost,
    /// Open places now; absent when the service has no fixed limit. Never negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
    /// How soon the provider answers a referral once it is sent, in minutes, when it commits to
    /// a time: a referral to it past that time is overdue work ([`crate::deadline`]). From 1
    /// minute to 366 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respond_within_minutes: Option<u32>,
    /// Reachable only with a court order (Bangladesh government shelters).
    #[serde(default)]
    pub requires_court_order: bool,
    /// Reachable only with a referral letter.
    #[serde(default)]
    pub requires_referral_letter: bool,
    /// Female staff are available.
    #[serde(default)]
    pub female_staff: bool,
    /// Staff are trained in trauma-informed care.
    #[serde(default)]
    pub trauma_informed: bool,
    /// Areas served by name (HSDS `service_area`), as administrative paths; with no shapes
    /// either, empty means only where its locations are.
    #[serde(default)]
    pub service_areas: Vec<AreaPath>,
    /// Areas served drawn as shapes (HSDS `service_area.extent`, GeoJSON `Polygon` or
    /// `MultiPolygon`, `[longitude, latitude]`).
    ///
    /// The rule: a person lives in the service's area when her home area lies within one of
    /// [`Service::service_areas`] **or** her home coordinates lie inside one of these shapes
    /// (on an edge counts as inside); either suffices, neither outranks the other. When the
    /// service has shapes and her coordinates are not known, only its named areas can place
    /// her: with none that holds her home area she is outside its area (the safe reading; a
    /// shape never stands for "everywhere"). Empty: the named areas alone decide, as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_extents: Vec<AreaShape>,
    /// Where it is delivered (HSDS `service_at_location`).
    #[serde(default)]
    pub location_ids: Vec<LocationId>,
    /// Its web addresses (HSDS `url`, 3.1 `url` objects).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<WebLink>,
    /// Reaches people at home (outreach). With service areas it goes wherever they are, so
    /// distance to a location does not apply; with none, it is taken to go as far from its
    /// location as the person would travel (nobody assumes a team crosses the country unless
    /// the directory says so). Either way its distance factor is the configured
    /// `MatchConfig::outreach_reach` (0.5 by default), not its distance.
    #[serde(default)]
    pub outreach: bool,
}

/// Longest street address a location holds, in characters.
pub const MAX_ADDRESS_CHARS: usize = 500;

/// A place where services are delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Id (HSDS `location.id`).
    pub id: LocationId,
    /// The organisation it belongs to.
    pub organization_id: OrganizationId,
    /// Name.
    pub name: String,
    /// Administrative area.
    pub area: AreaPath,
    /// Street address, as one text for people ("12 Lake Road, Jashore"), when known (HSDS
    /// `address_1`, `address_2`, `city`, `postal_code`). Shown only to a viewer entitled to the
    /// location's whereabouts ([`crate::whereabouts::may_see_whereabouts`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Position, when known. Shown only to a viewer entitled to the location's whereabouts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// Set when the location is confidential (a shelter for people escaping traffickers): its
    /// address and coordinates are then withheld from every viewer not entitled to them
    /// ([`crate::whereabouts`]). Absent: a public location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidential: Option<Confidentiality>,
}

/// A service directory.
#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Directory {
    /// Organisations.
    pub organizations: Vec<Organization>,
    /// Services.
    pub services: Vec<Service>,
    /// Locations.
    pub locations: Vec<Location>,
}

/// The keys of a directory record.
const DIRECTORY_FIELDS: &[&str] = &["organizations", "services", "locations"];

/// Reading a directory shares what its entries repeat: every mention of an organisation id, a
/// location id or an administrative area holds one shared copy of its text (ids and areas are
/// reference-counted), not one per mention. A directory of 100,000 services names a quarter as
/// many organisations and a few hundred areas; holding each once is what keeps it small in
/// memory. Otherwise exactly the derived reading: strict keys (an unknown key is an error
/// naming the known ones), every entry read with its own path.
impl<'de> Deserialize<'de> for Directory {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("Directory", DIRECTORY_FIELDS, DirectoryVisitor)
    }
}

struct DirectoryVisitor;

impl<'de> Visitor<'de> for DirectoryVisitor {
    type Value = Directory;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct Directory")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Directory, A::Error> {
        let mut shared = Shared::default();
        let mut organizations: Option<Vec<Organization>> = None;
        let mut services: Option<Vec<Service>> = None;
        let mut locations: Option<Vec<Location>> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "organizations" if organizations.is_some() => {
                    return Err(A::Error::duplicate_field("organizations"))
                }
                "services" if services.is_some() => {
                    return Err(A::Error::duplicate_field("services"))
                }
                "locations" if locations.is_some() => {
                    return Err(A::Error::duplicate_field("locations"))
                }
                "organizations" => {
                    organizations = Some(map.next_value_seed(Entries::new(&mut shared))?)
                }
                "services" => services = Some(map.next_value_seed(Entries::new(&mut shared))?),
                "locations" => locations = Some(map.next_value_seed(Entries::new(&mut shared))?),
                other => return Err(A::Error::unknown_field(other, DIRECTORY_FIELDS)),
            }
        }
        Ok(Directory {
            organizations: organizations.ok_or_else(|| A::Error::missing_field("organizations"))?,
            services: services.ok_or_else(|| A::Error::missing_field("services"))?,
            locations: locations.ok_or_else(|| A::Error::missing_field("locations"))?,
        })
    }
}

/// The one shared copy of each id and area read so far.
#[derive(Default)]
struct Shared {
    organizations: HashSet<OrganizationId>,
    locations: HashSet<LocationId>,
    areas: HashSet<AreaPath>,
}

/// The shared copy of `value`: the first one read.
fn shared<T: Eq + std::hash::Hash + Clone>(set: &mut HashSet<T>, value: T) -> T {
    match set.get(&value) {
        Some(first) => first.clone(),
        None => {
            set.insert(value.clone());
            value
        }
    }
}

/// An entry of a directory, whose repeated texts can be shared.
trait Share {
    fn share(self, s: &mut Shared) -> Self;
}

impl Share for Organization {
    fn share(mut self, s: &mut Shared) -> Self {
        self.id = shared(&mut s.organizations, self.id);
        self.urls.shrink_to_fit();
        self
    }
}

impl Share for Location {
    fn share(mut self, s: &mut Shared) -> Self {
        self.id = shared(&mut s.locations, self.id);
        self.organization_id = shared(&mut s.organizations, self.organization_id);
        self.area = shared(&mut s.areas, self.area);
        if let Some(c) = &mut self.confidential {
            c.disclosed_to = std::mem::take(&mut c.disclosed_to)
                .into_iter()
                .map(|o| shared(&mut s.organizations, o))
                .collect();
        }
        self
    }
}

impl Share for Service {
    fn share(mut self, s: &mut Shared) -> Self {
        self.organization_id = shared(&mut s.organizations, self.organization_id);
        self.location_ids = self
            .location_ids
            .into_iter()
            .map(|l| shared(&mut s.locations, l))
            .collect();
        self.service_areas = self
            .service_areas
            .into_iter()
            .map(|a| shared(&mut s.areas, a))
            .collect();
        // Lists read from JSON grow from room for four entries (eight for one-byte ones), and
        // most hold one or two; give back what they did not fill (the two above were rebuilt
        // in place and kept their room). In a directory of 100,000 services this is megabytes.
        self.domains.shrink_to_fit();
        self.languages.shrink_to_fit();
        self.eligibility.genders.shrink_to_fit();
        self.eligibility.nationalities.shrink_to_fit();
        self.service_areas.shrink_to_fit();
        self.service_extents.shrink_to_fit();
        self.location_ids.shrink_to_fit();
        self.urls.shrink_to_fit();
        self
    }
}

/// A list of entries read one by one, each sharing what an earlier one holds.
struct Entries<'s, T> {
    shared: &'s mut Shared,
    entry: std::marker::PhantomData<T>,
}

impl<'s, T> Entries<'s, T> {
    fn new(shared: &'s mut Shared) -> Self {
        Self {
            shared,
            entry: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de> + Share> DeserializeSeed<'de> for Entries<'_, T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de> + Share> Visitor<'de> for Entries<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = seq.next_element::<T>()? {
            entries.push(entry.share(self.shared));
        }
        // The list grew by doubling; give back what it did not fill.
        entries.shrink_to_fit();
        Ok(entries)
    }
}

impl Directory {
    /// The organisation with `id`.
    pub fn organization(&self, id: &OrganizationId) -> Option<&Organization> {
        self.organizations.iter().find(|o| &o.id == id)
    }

    /// The location with `id`.
    pub fn location(&self, id: &LocationId) -> Option<&Location> {
        self.locations.iter().find(|l| &l.id == id)
    }
}

impl Validate for Organization {
    fn validate_with(&self, v: &mut Validator) {
        v.text("name", &self.name, 300);
        validate_urls(&self.urls, v);
        if let Some(d) = &self.description {
            v.field("description", |v| {
                if let Err(r) = beside_core::error::check_text(d, 5000, false) {
                    v.report(r);
                }
            });
        }
    }
}

impl Validate for Service {
    fn validate_with(&self, v: &mut Validator) {
        v.text("name", &self.name, 300);
        validate_urls(&self.urls, v);
        v.field("domains", |v| {
            v.check(!self.domains.is_empty(), || Reason::Empty)
        });
        v.unique("domains", self.domains.iter().map(DomainKey::as_str));
        v.unique("languages", self.languages.iter().map(LanguageCode::as_str));
        if let Some(c) = self.capacity {
            // i64 to f64 loses nothing for any real capacity; the check only needs the sign.
            v.min("capacity", c as f64, 0.0);
        }
        if let Some(m) = self.respond_within_minutes {
            v.range(
                "respond_within_minutes",
                f64::from(m),
                1.0,
                f64::from(beside_needs::config::MAX_RESPONSE_MINUTES),
            );
        }
        v.field("eligibility", |v| {
            let e = &self.eligibility;
            if let (Some(lo), Some(hi)) = (e.min_age, e.max_age) {
                v.not_before("max_age", &hi, "eligibility.min_age", &lo);
            }
            for (name, age) in [("min_age", e.min_age), ("max_age", e.max_age)] {
                if let Some(a) = age {
                    v.range(name, f64::from(a), 0.0, 120.0);
                }
            }
        });
        if let Cost::Fee { currency, .. } = &self.cost {
            let ok = currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase());
            v.field("cost", |v| {
                v.field("currency", |v| {
                    v.check(ok, || Reason::Invalid {
                        expected: "an ISO 4217 currency code such as `BDT`".into(),
                        value: currency.clone(),
                    })
                })
            });
        }
        v.field("service_areas", |v| {
            for (i, a) in self.service_areas.iter().enumerate() {
                v.index(i, |v| a.validate_with(v));
            }
        });
        v.max_items("service_extents", &self.service_extents, MAX_SHAPES);
        v.field("service_extents", |v| {
            for (i, shape) in self.service_extents.iter().enumerate() {
                v.index(i, |v| shape.validate_with(v));
            }
        });
        v.unique("location_ids", self.location_ids.iter().map(|l| l.as_str()));
    }
}

impl Validate for Location {
    fn validate_with(&self, v: &mut Validator) {
        v.text("name", &self.name, 300);
        v.field("area", |v| self.area.validate_with(v));
        if let Some(a) = &self.address {
            v.text("address", a, MAX_ADDRESS_CHARS);
        }
        if let Some(c) = &self.confidential {
            v.unique(
                "confidential.disclosed_to",
                c.disclosed_to.iter().map(|o| o.as_str()),
            );
        }
        if let Some(c) = &self.coordinates {
            v.field("coordinates", |v| c.validate_with(v));
        }
    }
}

impl Validate for Directory {
    /// Checks each entry, unique ids, and that every reference names an entry that exists.
    fn validate_with(&self, v: &mut Validator) {
        v.max_items("organizations", &self.organizations, MAX_ENTRIES);
        v.max_items("services", &self.services, MAX_ENTRIES);
        v.max_items("locations", &self.locations, MAX_ENTRIES);
        v.each("organizations", &self.organizations);
        v.each("services", &self.services);
        v.each("locations", &self.locations);
        v.unique(
            "organizations",
            self.organizations.iter().map(|o| o.id.as_str()),
        );
        v.unique("services", self.services.iter().map(|s| s.id.as_str()));
        v.unique("locations", self.locations.iter().map(|l| l.id.as_str()));
        let orgs: HashSet<&str> = self.organizations.iter().map(|o| o.id.as_str()).collect();
        let locs: HashSet<&str> = self.locations.iter().map(|l| l.id.as_str()).collect();
        v.field("services", |v| {
            for (i, s) in self.services.iter().enumerate() {
                v.index(i, |v| {
                    if !orgs.contains(s.organization_id.as_str()) {
                        v.report_at(
                            "organization_id",
                            Reason::MissingReference {
                                id: s.organization_id.to_string(),
                            },
                        );
                    }
                    v.field("location_ids", |v| {
                        for (j, l) in s.location_ids.iter().enumerate() {
                            if !locs.contains(l.as_str()) {
                                v.index(j, |v| {
                                    v.report(Reason::MissingReference { id: l.to_string() })
                                });
                            }
                        }
                    });
                });
            }
        });
        v.field("locations", |v| {
            for (i, l) in self.locations.iter().enumerate() {
                if !orgs.contains(l.organization_id.as_str()) {
                    v.index(i, |v| {
                        v.report_at(
                            "organization_id",
                            Reason::MissingReference {
                                id: l.organization_id.to_string(),
                            },
                        )
                    });
                }
                // A confidential place is disclosed only to organisations the directory holds:
                // a misspelt id would name nobody, and the partner would silently see nothing.
                let disclosed = l.confidential.iter().flat_map(|c| c.disclosed_to.iter());
                for (j, o) in disclosed.enumerate() {
                    if !orgs.contains(o.as_str()) {
                        v.index(i, |v| {
                            v.field("confidential", |v| {
                                v.field("disclosed_to", |v| {
                                    v.index(j, |v| {
                                        v.report(Reason::MissingReference { id: o.to_string() })
                                    })
                                })
                            })
                        });
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::from_json;

    const SMALL: &str = r#"{
      "organizations": [{"id": "o1", "name": "Ashar Alo", "kind": "survivor_led", "survivor_led": true}],
      "locations": [{"id": "l1", "organization_id": "o1", "name": "Office",
                     "area": ["BD", "Khulna", "Jashore"],
                     "coordinates": {"latitude": 23.17, "longitude": 89.21}}],
      "services": [
        {"id": "s1", "organization_id": "o1", "name": "Peer support", "domains": ["peer_support"],
         "status": "active", "cost": {"kind": "free"}, "location_ids": ["l1"]},
        {"id": "s2", "organization_id": "o1", "name": "Shelter", "domains": ["shelter"],
         "status": "active", "cost": {"kind": "free"}, "capacity": 4, "location_ids": ["l1"]},
        {"id": "s3", "organization_id": "o1", "name": "Food", "domains": ["food"],
         "status": "active", "cost": {"kind": "free"}, "capacity": 3, "location_ids": ["l1"]},
        {"id": "s4", "organization_id": "o1", "name": "Legal", "domains": ["legal"],
         "status": "active", "cost": {"kind": "free"}, "capacity": 1, "location_ids": ["l1"]}
      ]
    }"#;

    #[test]
    fn a_small_directory_loads() {
        let d: Directory = from_json(SMALL).unwrap();
        assert_eq!(d.services.len(), 4);
    }

    #[test]
    fn negative_capacity_names_the_field() {
        let bad = SMALL.replace("\"capacity\": 1", "\"capacity\": -2");
        let err = from_json::<Directory>(&bad).unwrap_err().to_string();
        assert_eq!(err, "services[3].capacity: must be >= 0, got -2");
    }

    #[test]
    fn dangling_and_duplicate_references() {
        let bad = SMALL
            .replace(
                "\"location_ids\": [\"l1\"]}\n      ]",
                "\"location_ids\": [\"l9\"]}\n      ]",
            )
            .replace("\"id\": \"s2\"", "\"id\": \"s1\"");
        let err = from_json::<Directory>(&bad).unwrap_err();
        assert!(err.has_path("services[1]"), "{err}");
        assert!(err.has_path("services[3].location_ids[0]"), "{err}");
    }

    #[test]
    fn service_extents_are_checked_with_their_path() {
        let shape = r#""service_extents": [{"type": "Polygon", "coordinates":
            [[[90.1, 23.2], [90.3, 23.2], [90.3, 23.4]]]}], "location_ids""#;
        let bad = SMALL.replace(
            "\"capacity\": 1, \"location_ids\"",
            &format!("\"capacity\": 1, {shape}"),
        );
        let err = from_json::<Directory>(&bad).unwrap_err().to_string();
        assert_eq!(
            err,
            "services[3].service_extents[0].coordinates[0]: a ring needs at least 4 positions, got 3; \
             services[3].service_extents[0].coordinates[0]: the ring is not closed: first [90.1, 23.2], last [90.3, 23.4]"
        );
        let good = bad.replace("[90.3, 23.4]]]", "[90.3, 23.4], [90.1, 23.2]]]");
        let d: Directory = from_json(&good).unwrap();
        assert_eq!(d.services[3].service_extents.len(), 1);
        // A service without shapes writes no `service_extents`: existing JSON is unchanged.
        let json = serde_json::to_string(&d.services[0]).unwrap();
        assert!(!json.contains("service_extents"), "{json}");
    }

    #[test]
    fn unknown_kind_lists_known_kinds() {
        let bad = SMALL.replace(
            "survivor_led\", \"survivor_led\"",
            "club\", \"survivor_led\"",
        );
        let err = from_json::<Directory>(&bad).unwrap_err().to_string();
        assert!(
            err.starts_with("organizations[0].kind: unknown variant `club`"),
            "{err}"
        );
        assert!(err.contains("survivor_led"), "{err}");
    }
}
