//! From a [`Directory`] to HSDS JSON (3.0, or 3.1 with [`ExportOptions`]): a paged
//! `organization` list whose organisations hold their locations and services, services hold
//! their `service_at_locations` links, and every field HSDS lacks travels as a `beside`
//! attribute.
//!
//! In 3.1 a service's capacity is written as a `capacities` entry (`service_capacity`) in the
//! unit `place`, and the `capacity` attribute only when there is no fixed limit (3.1 cannot
//! say "none"); web addresses are `url` objects (`additional_urls`, `additional_websites`)
//! instead of the `urls` attribute. Either version reads back to the same directory.

use super::areas::extent_text;
use super::attrs::{uuid_for, AREA_EXTENT_TYPE, CODES, TAXONOMY};
use super::service::minor_exponent;
use crate::directory::{Cost, Directory, Location, Organization, Service, ServiceStatus, WebLink};
use crate::whereabouts::{may_see_whereabouts, Viewer};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The HSDS version an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum HsdsVersion {
    /// HSDS 3.0: what most publishers and tools read today, so the default.
    #[default]
    #[serde(rename = "3.0")]
    Hsds30,
    /// HSDS 3.1: `service_capacity` with units, and `url` objects.
    #[serde(rename = "3.1")]
    Hsds31,
}

/// Options for an HSDS export.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ExportOptions {
    /// The version written (default 3.0).
    #[serde(default)]
    pub version: HsdsVersion,
    /// When the capacities were last updated: 3.1 requires `service_capacity.updated`, which
    /// Beside does not hold; written when given, left out (and said here) when not, so an
    /// export never claims a time it does not know. RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_updated: Option<chrono::DateTime<chrono::Utc>>,
    /// Who the export is for: a confidential location it may not see
    /// ([`crate::whereabouts::may_see_whereabouts`]) is written without its address line and
    /// coordinates, with a `confidential` attribute. Absent: the public, entitled to no
    /// confidential whereabouts (the safe default); the directory's own keeper
    /// (`{"viewer": "keeper"}`) gets every location whole, for a round trip.
    #[serde(default, skip_serializing_if = "Viewer::is_public")]
    pub viewer: Viewer,
}

/// The unit of the capacities 3.1 export writes.
const PLACE_UNIT: &str = "place";

fn term(code: &str) -> Value {
    let (name, description) = CODES
        .iter()
        .find(|c| c.code == code)
        .map_or((code, ""), |c| (c.name, c.description));
    json!({
        "id": uuid_for(&[TAXONOMY, "term", code]),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": TAXONOMY,
        "taxonomy_id": uuid_for(&[TAXONOMY, "taxonomy"]),
    })
}

/// The `beside` taxonomy terms, built once: every attribute repeats one.
static TERMS: std::sync::LazyLock<HashMap<&'static str, Value>> =
    std::sync::LazyLock::new(|| CODES.iter().map(|c| (c.code, term(c.code))).collect());

struct Attrs<'a> {
    owner: &'a str,
    entity: &'static str,
    list: Vec<Value>,
}

impl<'a> Attrs<'a> {
    fn new(owner: &'a str, entity: &'static str) -> Self {
        Self {
            owner,
            entity,
            list: Vec::new(),
        }
    }

    fn add(&mut self, code: &str, value: impl Into<String>) {
        let n = self.list.len().to_string();
        let term = TERMS.get(code).cloned().unwrap_or_else(|| term(code));
        let term_id = term.get("id").cloned().unwrap_or(Value::Null);
        self.list.push(json!({
            "id": uuid_for(&[self.entity, self.owner, code, &n]),
            "link_id": self.owner,
            "link_type": TAXONOMY,
            "link_entity": self.entity,
            "taxonomy_term_id": term_id,
            "value": value.into(),
            "taxonomy_term": term,
        }));
    }

    fn flag(&mut self, code: &str, value: bool) {
        self.add(code, if value { "true" } else { "false" });
    }
}

fn key_of<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A location as HSDS. For a viewer not entitled to a confidential location's whereabouts, its
/// address line, coordinates and `disclosed_to` are left out and its `confidential` attribute
/// says so; for one entitled, everything is written, `confidential` and `disclosed_to` too.
fn location_value(l: &Location, viewer: &Viewer) -> Value {
    let id = l.id.as_str();
    let shown = may_see_whereabouts(l, viewer);
    let address_1 = if shown { l.address.as_deref() } else { None };
    let coordinates = if shown { l.coordinates.as_ref() } else { None };
    let parts = &l.area.0;
    let country = parts.first().cloned().unwrap_or_default();
    let state = parts.get(1).cloned().unwrap_or_default();
    let city = if parts.len() > 2 {
        parts.last().cloned().unwrap_or_default()
    } else {
        String::new()
    };
    let mut attrs = Attrs::new(id, "location");
    attrs.add(
        "area",
        serde_json::to_string(&l.area).unwrap_or_else(|_| "[]".into()),
    );
    if let Some(c) = &l.confidential {
        attrs.add("confidential", "confidential");
        if shown {
            for o in &c.disclosed_to {
                attrs.add("disclosed_to", o.as_str());
            }
        }
    }
    let mut v = json!({
        "id": id,
        "location_type": "physical",
        "organization_id": l.organization_id.as_str(),
        "name": l.name,
        "addresses": [{
            "id": uuid_for(&["address", id]),
            "location_id": id,
            "address_1": address_1.unwrap_or_default(),
            "city": city,
            "state_province": state,
            "postal_code": "",
            "country": country,
            "address_type": "physical",
        }],
    });
    if let Some(c) = coordinates {
        // JSON numbers are read back to the nearest double only by some parsers; the text
        // form is exact everywhere.
        attrs.add("coordinates", format!("{},{}", c.latitude, c.longitude));
    }
    if let Some(obj) = v.as_object_mut() {
        obj.insert("attributes".into(), Value::Array(attrs.list));
    }
    if let (Some(c), Some(obj)) = (coordinates, v.as_object_mut()) {
        obj.insert("latitude".into(), json!(c.latitude));
        obj.insert("longitude".into(), json!(c.longitude));
    }
    v
}

fn cost_options(s: &Service) -> Vec<Value> {
    let id = s.id.as_str();
    match &s.cost {
        Cost::Free => vec![json!({
            "id": uuid_for(&["cost", id]),
            "service_id": id,
            "option": "Free",
            "amount": 0,
        })],
        Cost::Fee { amount, currency } => {
            let exp = minor_exponent(currency);
            // Shown to HSDS readers in major units; the exact minor-unit amount travels in the
            // `beside` `cost` attribute.
            let major = *amount as f64 / 10f64.powi(exp);
            vec![json!({
                "id": uuid_for(&["cost", id]),
                "service_id": id,
                "option": "Fee",
                "currency": currency,
                "amount": major,
            })]
        }
        Cost::Unknown => Vec::new(),
    }
}

fn capacity_value(s: &Service, places: i64, options: &ExportOptions) -> Value {
    let id = s.id.as_str();
    let mut c = json!({
        "id": uuid_for(&["service_capacity", id]),
        "service_id": id,
        "unit_id": uuid_for(&["unit", PLACE_UNIT]),
        "unit": {
            "id": uuid_for(&["unit", PLACE_UNIT]),
            "name": PLACE_UNIT,
            "scheme": TAXONOMY,
            "identifier": PLACE_UNIT,
        },
        "available": places,
    });
    if let (Some(t), Some(obj)) = (options.capacity_updated, c.as_object_mut()) {
        obj.insert(
            "updated".into(),
            json!(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        );
    }
    c
}

fn service_value(s: &Service, options: &ExportOptions) -> Value {
    let id = s.id.as_str();
    let v31 = options.version == HsdsVersion::Hsds31;
    let mut attrs = Attrs::new(id, "service");
    for d in &s.domains {
        attrs.add("domain", d.as_str());
    }
    match (s.capacity, v31) {
        (Some(_), true) => {}
        (Some(c), false) => attrs.add("capacity", c.to_string()),
        (None, _) => attrs.add("capacity", "none"),
    }
    if let Some(m) = s.respond_within_minutes {
        attrs.add("respond_within_minutes", m.to_string());
    }
    attrs.flag("requires_court_order", s.requires_court_order);
    attrs.flag("requires_referral_letter", s.requires_referral_letter);
    attrs.flag(
        "requires_formal_identification",
        s.eligibility.requires_formal_identification,
    );
    attrs.flag("female_staff", s.female_staff);
    attrs.flag("trauma_informed", s.trauma_informed);
    attrs.flag("interpretation_available", s.interpretation_available);
    attrs.flag("outreach", s.outreach);
    for g in &s.eligibility.genders {
        attrs.add("gender_served", key_of(g));
    }
    for n in &s.eligibility.nationalities {
        attrs.add("nationality", n.as_str());
    }
    attrs.add(
        "cost",
        serde_json::to_string(&s.cost).unwrap_or_else(|_| "{\"kind\":\"unknown\"}".into()),
    );
    let status = match s.status {
        ServiceStatus::Active => "active",
        ServiceStatus::Inactive => "inactive",
        ServiceStatus::Defunct => "defunct",
    };
    let mut obj = Map::new();
    obj.insert("id".into(), json!(id));
    obj.insert("organization_id".into(), json!(s.organization_id.as_str()));
    obj.insert("name".into(), json!(s.name));
    obj.insert("status".into(), json!(status));
    if s.interpretation_available {
        obj.insert(
            "interpretation_services".into(),
            json!("An interpreter can be arranged."),
        );
    }
    if let Some(a) = s.eligibility.min_age {
        obj.insert("minimum_age".into(), json!(a));
    }
    if let Some(a) = s.eligibility.max_age {
        obj.insert("maximum_age".into(), json!(a));
    }
    obj.insert(
        "languages".into(),
        Value::Array(
            s.languages
                .iter()
                .map(|l| {
                    json!({
                        "id": uuid_for(&["language", id, l.as_str()]),
                        "service_id": id,
                        "code": l.as_str(),
                    })
                })
                .collect(),
        ),
    );
    obj.insert("cost_options".into(), Value::Array(cost_options(s)));
    if let (Some(c), true) = (s.capacity, v31) {
        obj.insert(
            "capacities".into(),
            Value::Array(vec![capacity_value(s, c, options)]),
        );
    }
    let named = s.service_areas.iter().enumerate().map(|(i, a)| {
        json!({
            "id": uuid_for(&["service_area", id, &i.to_string()]),
            "service_id": id,
            "name": a.to_string(),
            "extent": serde_json::to_string(a).unwrap_or_else(|_| "[]".into()),
            "extent_type": AREA_EXTENT_TYPE,
        })
    });
    // Shapes as GeoJSON geometry text (HSDS types `extent` as a string).
    let drawn = s.service_extents.iter().enumerate().map(|(i, shape)| {
        json!({
            "id": uuid_for(&["service_area", id, "shape", &i.to_string()]),
            "service_id": id,
            "extent": extent_text(shape),
            "extent_type": "geojson",
        })
    });
    obj.insert(
        "service_areas".into(),
        Value::Array(named.chain(drawn).collect()),
    );
    obj.insert(
        "service_at_locations".into(),
        Value::Array(
            s.location_ids
                .iter()
                .map(|l| {
                    json!({
                        "id": uuid_for(&["service_at_location", id, l.as_str()]),
                        "service_id": id,
                        "location_id": l.as_str(),
                    })
                })
                .collect(),
        ),
    );
    write_urls(
        &mut obj,
        &mut attrs,
        &s.urls,
        ("url", "additional_urls", "service_id"),
        options,
    );
    obj.insert("attributes".into(), Value::Array(attrs.list));
    Value::Object(obj)
}

/// The web addresses: in 3.0 the first as `field` and all of them exactly in the `urls`
/// attribute; in 3.1 the first as `field` and all of them as `url` objects in `list`.
fn write_urls(
    obj: &mut Map<String, Value>,
    attrs: &mut Attrs<'_>,
    urls: &[WebLink],
    (field, list, owner_key): (&str, &str, &str),
    options: &ExportOptions,
) {
    let Some(first) = urls.first() else {
        return;
    };
    obj.insert(field.into(), json!(first.url));
    if options.version == HsdsVersion::Hsds31 {
        let owner = attrs.owner;
        let items = urls
            .iter()
            .map(|u| {
                let mut o = json!({
                    "id": uuid_for(&["url", owner, &u.url]),
                    "url": u.url,
                    owner_key: owner,
                });
                if let (Some(l), Some(m)) = (&u.label, o.as_object_mut()) {
                    m.insert("label".into(), json!(l));
                }
                o
            })
            .collect();
        obj.insert(list.into(), Value::Array(items));
    } else {
        attrs.add(
            "urls",
            serde_json::to_string(urls).unwrap_or_else(|_| "[]".into()),
        );
    }
}

fn organization_value(
    o: &Organization,
    locations: &[&Location],
    services: &[&Service],
    options: &ExportOptions,
) -> Value {
    let id = o.id.as_str();
    let mut attrs = Attrs::new(id, "organization");
    attrs.add("organization_kind", o.kind.key());
    attrs.flag("survivor_led", o.survivor_led);
    let mut obj = Map::new();
    obj.insert("id".into(), json!(id));
    obj.insert("name".into(), json!(o.name));
    // Required by HSDS; empty when Beside has none.
    obj.insert(
        "description".into(),
        json!(o.description.clone().unwrap_or_default()),
    );
    write_urls(
        &mut obj,
        &mut attrs,
        &o.urls,
        ("website", "additional_websites", "organization_id"),
        options,
    );
    obj.insert(
        "locations".into(),
        locations
            .iter()
            .map(|l| location_value(l, &options.viewer))
            .collect(),
    );
    obj.insert(
        "services".into(),
        services.iter().map(|s| service_value(s, options)).collect(),
    );
    obj.insert("attributes".into(), Value::Array(attrs.list));
    Value::Object(obj)
}

/// The directory as an HSDS 3.0 paged `organization` list (one page holding everything).
pub fn export_value(dir: &Directory) -> Value {
    export_value_with(dir, &ExportOptions::default())
}

/// The directory as an HSDS paged `organization` list of the version `options` names.
pub fn export_value_with(dir: &Directory, options: &ExportOptions) -> Value {
    let mut locations: HashMap<&str, Vec<&Location>> = HashMap::new();
    for l in &dir.locations {
        locations
            .entry(l.organization_id.as_str())
            .or_default()
            .push(l);
    }
    let mut services: HashMap<&str, Vec<&Service>> = HashMap::new();
    for s in &dir.services {
        services
            .entry(s.organization_id.as_str())
            .or_default()
            .push(s);
    }
    let contents: Vec<Value> = dir
        .organizations
        .iter()
        .map(|o| {
            let id = o.id.as_str();
            organization_value(
                o,
                locations.get(id).map_or(&[], Vec::as_slice),
                services.get(id).map_or(&[], Vec::as_slice),
                options,
            )
        })
        .collect();
    let n = contents.len();
    json!({
        "total_items": n,
        "total_pages": 1,
        "page_number": 1,
        "size": n,
        "first_page": true,
        "last_page": true,
        "empty": n == 0,
        "contents": contents,
    })
}
