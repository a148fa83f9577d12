//! From collected HSDS records to a [`Directory`], reporting every field.

use super::attrs::{self, Attr};
use super::error::HsdsError;
use super::options::ImportOptions;
use super::read::{is_blank, number, objects, text, Collected, RawRecord};
use super::report::{
    DefaultReason, FieldOutcome, FieldReport, ImportReport, InferRule, RecordKind, RecordOutcome,
    RecordReport, SkipReason,
};
use super::service::{area_from_json, language_codes};
use crate::directory::{Directory, Location, Organization, MAX_ADDRESS_CHARS};
use crate::whereabouts::Confidentiality;
use beside_core::{
    AreaPath, Coordinates, CountryCode, LocationId, OrganizationId, OrganizationKind, Reason,
    Validate,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Longest name Beside holds, in characters.
pub(super) const NAME_MAX: usize = 300;
/// Longest description Beside holds, in characters.
const DESCRIPTION_MAX: usize = 5000;

/// The fields of one record being converted.
pub(super) struct Rec<'a> {
    pub(super) obj: &'a Map<String, Value>,
    used: HashSet<&'static str>,
    fields: Vec<FieldReport>,
}

impl<'a> Rec<'a> {
    pub(super) fn new(obj: &'a Map<String, Value>) -> Self {
        Self {
            obj,
            used: HashSet::new(),
            fields: Vec::new(),
        }
    }

    pub(super) fn use_key(&mut self, key: &'static str) {
        self.used.insert(key);
    }

    pub(super) fn push(&mut self, field: &str, outcome: FieldOutcome) {
        self.fields.push(FieldReport {
            field: field.to_owned(),
            outcome,
        });
    }

    pub(super) fn carried(&mut self, field: &str, from: &str) {
        self.push(
            field,
            FieldOutcome::Carried {
                from: from.to_owned(),
            },
        );
    }

    pub(super) fn inferred(&mut self, field: &str, from: &str, rule: InferRule) {
        self.push(
            field,
            FieldOutcome::Inferred {
                from: from.to_owned(),
                rule,
            },
        );
    }

    pub(super) fn defaulted<T: Serialize>(
        &mut self,
        field: &str,
        value: &T,
        reason: DefaultReason,
    ) {
        let value = beside_core::json::to_text_for_words(value);
        self.push(field, FieldOutcome::Defaulted { value, reason });
    }

    pub(super) fn skipped(&mut self, field: &str, reason: SkipReason) {
        self.push(field, FieldOutcome::Skipped { reason });
    }

    /// Every HSDS field present but not used is reported as not modelled.
    pub(super) fn finish(mut self) -> Vec<FieldReport> {
        let obj = self.obj;
        for (k, v) in obj {
            if !self.used.contains(k.as_str()) && k != "attributes" && !is_blank(v) {
                self.skipped(k, SkipReason::NotModelled);
            }
        }
        self.fields
    }

    /// A required text field, cut to `max` characters (reported).
    pub(super) fn required_text(
        &mut self,
        key: &'static str,
        field: &str,
        max: usize,
    ) -> Result<String, SkipReason> {
        self.use_key(key);
        match text(self.obj, key) {
            Some(t) => Ok(self.cut(field, key, t, max)),
            None => Err(SkipReason::MissingRequired { field: key.into() }),
        }
    }

    pub(super) fn cut(&mut self, field: &str, from: &str, t: String, max: usize) -> String {
        let got = t.chars().count();
        if got > max {
            let short: String = t.chars().take(max).collect();
            self.defaulted(field, &short, DefaultReason::Truncated { max, got });
            short
        } else {
            self.carried(field, from);
            t
        }
    }

    /// The `beside` flag `code`, false when absent. A requirement (court order, referral
    /// letter, formal identification) attached with an empty value, or a value that cannot
    /// be read, counts as required: the safe reading, reported. An explicit `false` stays.
    pub(super) fn flag(&mut self, attrs: &[Attr], code: &str, field: &str) -> bool {
        let requirement = attrs::REQUIREMENTS.contains(&code);
        match attrs.iter().find(|a| a.beside && a.code == code) {
            Some(a) if requirement && a.value.trim().is_empty() => {
                self.inferred(
                    field,
                    &a.source(),
                    InferRule::RequirementWithoutValue {
                        term: a
                            .mapped
                            .as_ref()
                            .map_or_else(|| a.code.clone(), |(_, t)| t.clone()),
                    },
                );
                true
            }
            Some(a) => match attrs::flag(&a.value) {
                Some(b) => {
                    self.carried(field, &a.source());
                    b
                }
                None if requirement => {
                    self.skipped(&a.path(), invalid("`true` or `false`", &a.value));
                    self.defaulted(field, &true, DefaultReason::SafeReading);
                    true
                }
                None => {
                    self.skipped(&a.path(), invalid("`true` or `false`", &a.value));
                    self.defaulted(field, &false, DefaultReason::NotInHsds);
                    false
                }
            },
            None => {
                self.defaulted(field, &false, DefaultReason::NotInHsds);
                false
            }
        }
    }

    /// Report attributes: unknown `beside` codes, and terms of other taxonomies not in
    /// `mapped` (indices of attributes already accounted for).
    pub(super) fn other_attrs(&mut self, attrs: &[Attr], mapped: &[usize]) {
        for a in attrs {
            if mapped.contains(&a.index) {
                continue;
            }
            if a.beside {
                if !attrs::is_known(&a.code) {
                    self.skipped(
                        &a.path(),
                        SkipReason::UnknownBesideCode {
                            attribute_code: a.code.clone(),
                        },
                    );
                }
            } else {
                self.skipped(
                    &a.path(),
                    SkipReason::UnmappedTerm {
                        taxonomy: a.taxonomy.clone(),
                        term: if a.code.is_empty() {
                            a.name.clone()
                        } else {
                            a.code.clone()
                        },
                    },
                );
            }
        }
    }
}

pub(super) fn invalid(expected: &str, value: &str) -> SkipReason {
    SkipReason::Invalid {
        reason: Reason::Invalid {
            expected: expected.to_owned(),
            value: value.to_owned(),
        },
    }
}

pub(super) fn validation_skip(e: beside_core::ValidationErrors) -> SkipReason {
    SkipReason::FailedValidation { errors: e.errors }
}

/// A converted record: its id, the record or why not, and its fields.
pub(super) struct Converted<T> {
    pub(super) value: Result<T, SkipReason>,
    pub(super) fields: Vec<FieldReport>,
}

fn org_id_of(raw: &RawRecord<'_>) -> Result<OrganizationId, SkipReason> {
    let id = text(raw.obj, "id").ok_or(SkipReason::MissingRequired { field: "id".into() })?;
    OrganizationId::new(id).map_err(|e| SkipReason::Invalid { reason: e.reason })
}

fn convert_org(raw: &RawRecord<'_>, options: &ImportOptions) -> Converted<Organization> {
    let mut rec = Rec::new(raw.obj);
    rec.use_key("id");
    rec.use_key("services");
    rec.use_key("locations");
    let value = (|| {
        let id = org_id_of(raw)?;
        rec.carried("id", "id");
        let name = rec.required_text("name", "name", NAME_MAX)?;
        rec.use_key("description");
        let description = match text(raw.obj, "description") {
            Some(d) => Some(rec.cut("description", "description", d, DESCRIPTION_MAX)),
            None => {
                rec.defaulted(
                    "description",
                    &Option::<String>::None,
                    DefaultReason::Absent {
                        hsds_field: "description".into(),
                    },
                );
                None
            }
        };
        let attrs = attrs::read(raw.obj, options);
        let kind = match attrs
            .iter()
            .find(|a| a.beside && a.code == "organization_kind")
        {
            Some(a) => match serde_json::from_value::<OrganizationKind>(Value::String(
                a.value.trim().to_owned(),
            )) {
                Ok(k) => {
                    rec.carried("kind", &a.source());
                    k
                }
                Err(_) => {
                    rec.skipped(
                        &a.path(),
                        SkipReason::Invalid {
                            reason: Reason::Unknown {
                                value: a.value.clone(),
                                known: OrganizationKind::ALL
                                    .iter()
                                    .map(|k| k.key().to_owned())
                                    .collect(),
                            },
                        },
                    );
                    rec.defaulted(
                        "kind",
                        &options.default_kind,
                        DefaultReason::Configured {
                            option: "default_kind".into(),
                        },
                    );
                    options.default_kind
                }
            },
            None => {
                rec.defaulted(
                    "kind",
                    &options.default_kind,
                    DefaultReason::Configured {
                        option: "default_kind".into(),
                    },
                );
                options.default_kind
            }
        };
        let survivor_led = rec.flag(&attrs, "survivor_led", "survivor_led");
        let urls = super::urls::urls(&mut rec, &attrs, "website");
        rec.other_attrs(&attrs, &[]);
        let org = Organization {
            id,
            name,
            kind,
            survivor_led,
            description,
            urls,
        };
        org.validate().map_err(validation_skip)?;
        Ok(org)
    })();
    Converted {
        value,
        fields: rec.finish(),
    }
}

/// Where a record's organisation came from.
pub(super) enum OrgFrom {
    Field(&'static str),
    Nesting,
    Services { dangling: Option<String> },
}

pub(super) fn report_org(rec: &mut Rec<'_>, from: &OrgFrom) {
    match from {
        OrgFrom::Field(f) => rec.carried("organization_id", f),
        OrgFrom::Nesting => rec.carried("organization_id", "(enclosing organization)"),
        OrgFrom::Services { dangling } => rec.inferred(
            "organization_id",
            "service_at_location",
            InferRule::OrganizationOfServices {
                dangling: dangling.clone(),
            },
        ),
    }
}

fn area(
    rec: &mut Rec<'_>,
    attrs: &[Attr],
    options: &ImportOptions,
) -> Result<AreaPath, SkipReason> {
    rec.use_key("addresses");
    if let Some(a) = attrs.iter().find(|a| a.beside && a.code == "area") {
        match area_from_json(&a.value) {
            Ok(p) => {
                report_address_extras(rec, &[]);
                rec.carried("area", &a.source());
                return Ok(p);
            }
            Err(reason) => rec.skipped(&a.path(), SkipReason::Invalid { reason }),
        }
    }
    let addresses = objects(rec.obj, "addresses");
    let mut chosen: Option<(usize, AreaPath)> = None;
    for (i, addr) in &addresses {
        let Some(country) = text(addr, "country") else {
            continue;
        };
        let country = match CountryCode::new(&country) {
            Ok(c) => c,
            Err(reason) => {
                rec.skipped(
                    &format!("addresses[{i}].country"),
                    SkipReason::Invalid { reason },
                );
                continue;
            }
        };
        let mut parts = vec![country.as_str().to_owned()];
        let state = text(addr, "state_province");
        if let Some(s) = &state {
            parts.push(s.clone());
        }
        if let Some(c) = text(addr, "city") {
            if !state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(&c)) {
                parts.push(c);
            }
        }
        match AreaPath::new(parts) {
            Ok(p) => {
                chosen = Some((*i, p));
                break;
            }
            Err(reason) => rec.skipped(&format!("addresses[{i}]"), SkipReason::Invalid { reason }),
        }
    }
    report_address_extras(rec, &addresses);
    match (chosen, &options.default_country) {
        (Some((_, p)), _) => {
            rec.inferred(
                "area",
                "addresses",
                InferRule::Address {
                    count: addresses.len(),
                },
            );
            Ok(p)
        }
        (None, Some(c)) => {
            let p = AreaPath(vec![c.as_str().to_owned()].into());
            rec.defaulted(
                "area",
                &p,
                DefaultReason::Configured {
                    option: "default_country".into(),
                },
            );
            Ok(p)
        }
        (None, None) => Err(SkipReason::NoCountry),
    }
}

/// Address parts Beside does not hold (street, postcode, region…) are reported as skipped.
fn report_address_extras(rec: &mut Rec<'_>, addresses: &[(usize, &Map<String, Value>)]) {
    let kept = [
        "id",
        "location_id",
        "country",
        "state_province",
        "city",
        "address_type",
        "address_1",
        "address_2",
    ];
    for (i, addr) in addresses {
        for (k, v) in *addr {
            if !kept.contains(&k.as_str()) && !is_blank(v) {
                rec.skipped(&format!("addresses[{i}].{k}"), SkipReason::NotModelled);
            }
        }
    }
}

/// The street address: `address_1` and `address_2` of the first address that has an
/// `address_1`, joined with ", " and cut to [`MAX_ADDRESS_CHARS`]; the town and country are the
/// area's.
fn street_address(rec: &mut Rec<'_>) -> Option<String> {
    let addresses = objects(rec.obj, "addresses");
    let found = addresses.iter().find_map(|(i, a)| {
        let first = text(a, "address_1")?;
        let lines = [Some(first), text(a, "address_2")];
        Some((
            *i,
            lines.into_iter().flatten().collect::<Vec<_>>().join(", "),
        ))
    });
    match found {
        Some((i, line)) => Some(rec.cut(
            "address",
            &format!("addresses[{i}].address_1"),
            line,
            MAX_ADDRESS_CHARS,
        )),
        None => {
            rec.defaulted(
                "address",
                &Option::<String>::None,
                DefaultReason::Absent {
                    hsds_field: "addresses.address_1".into(),
                },
            );
            None
        }
    }
}

/// The `beside` attribute `confidential` (`public` or `confidential`) and the organisations of
/// its `disclosed_to` attributes. A value that cannot be read is reported naming the known
/// ones, and the place is read as confidential: the safe reading, which can only hide an
/// address, never show one. A `disclosed_to` naming an organisation not imported is reported
/// and left out.
fn confidentiality(
    rec: &mut Rec<'_>,
    attrs: &[Attr],
    orgs: &HashSet<String>,
) -> Option<Confidentiality> {
    let confidential = match attrs.iter().find(|a| a.beside && a.code == "confidential") {
        None => {
            rec.defaulted(
                "confidential",
                &Option::<Confidentiality>::None,
                DefaultReason::NotInHsds,
            );
            false
        }
        Some(a) => match attrs::confidentiality(&a.value) {
            Some(c) => {
                rec.carried("confidential", &a.source());
                c
            }
            None => {
                rec.skipped(&a.path(), invalid(attrs::CONFIDENTIALITY_VALUES, &a.value));
                rec.defaulted(
                    "confidential",
                    &Confidentiality::default(),
                    DefaultReason::SafeReading,
                );
                true
            }
        },
    };
    let mut disclosed_to: Vec<OrganizationId> = Vec::new();
    for a in attrs
        .iter()
        .filter(|a| a.beside && a.code == "disclosed_to")
    {
        let id = a.value.trim();
        if !confidential {
            rec.skipped(
                &a.path(),
                invalid("`disclosed_to` only on a confidential location", &a.value),
            );
        } else if !orgs.contains(id) {
            rec.skipped(
                &a.path(),
                SkipReason::UnknownReference { id: id.to_owned() },
            );
        } else {
            match OrganizationId::new(id) {
                Ok(o) if disclosed_to.contains(&o) => {}
                Ok(o) => {
                    rec.carried("confidential.disclosed_to", &a.source());
                    disclosed_to.push(o);
                }
                Err(e) => rec.skipped(&a.path(), SkipReason::Invalid { reason: e.reason }),
            }
        }
    }
    confidential.then_some(Confidentiality { disclosed_to })
}

fn coordinates(rec: &mut Rec<'_>, attrs: &[Attr]) -> Option<Coordinates> {
    rec.use_key("latitude");
    rec.use_key("longitude");
    if let Some(a) = attrs.iter().find(|a| a.beside && a.code == "coordinates") {
        let parsed = a.value.split_once(',').and_then(|(lat, lon)| {
            Some((
                lat.trim().parse::<f64>().ok()?,
                lon.trim().parse::<f64>().ok()?,
            ))
        });
        match parsed.map(|(lat, lon)| Coordinates::new(lat, lon)) {
            Some(Ok(c)) => {
                rec.carried("coordinates", &a.source());
                return Some(c);
            }
            Some(Err(reason)) => rec.skipped(&a.path(), SkipReason::Invalid { reason }),
            None => rec.skipped(&a.path(), invalid("`latitude,longitude`", &a.value)),
        }
    }
    let lat = number(rec.obj, "latitude");
    let lon = number(rec.obj, "longitude");
    match (lat, lon) {
        (Ok(None), Ok(None)) => {
            rec.defaulted(
                "coordinates",
                &Option::<Coordinates>::None,
                DefaultReason::Absent {
                    hsds_field: "latitude, longitude".into(),
                },
            );
            None
        }
        (Ok(Some(lat)), Ok(Some(lon))) => match Coordinates::new(lat, lon) {
            Ok(c) => {
                rec.carried("coordinates", "latitude, longitude");
                Some(c)
            }
            Err(reason) => {
                let field = if (-90.0..=90.0).contains(&lat) {
                    "longitude"
                } else {
                    "latitude"
                };
                rec.skipped(field, SkipReason::Invalid { reason });
                None
            }
        },
        (Err(v), _) => {
            rec.skipped("latitude", invalid("a number of degrees", &v));
            None
        }
        (_, Err(v)) => {
            rec.skipped("longitude", invalid("a number of degrees", &v));
            None
        }
        (Ok(None), Ok(Some(_))) => {
            rec.skipped(
                "longitude",
                SkipReason::MissingRequired {
                    field: "latitude".into(),
                },
            );
            None
        }
        (Ok(Some(_)), Ok(None)) => {
            rec.skipped(
                "latitude",
                SkipReason::MissingRequired {
                    field: "longitude".into(),
                },
            );
            None
        }
    }
}

fn convert_location(
    raw: &RawRecord<'_>,
    org: Result<(OrganizationId, OrgFrom), SkipReason>,
    options: &ImportOptions,
    orgs: &HashSet<String>,
) -> Converted<Location> {
    let mut rec = Rec::new(raw.obj);
    for k in ["id", "organization_id", "name", "alternate_name"] {
        rec.use_key(k);
    }
    let value = (|| {
        let id = text(raw.obj, "id").ok_or(SkipReason::MissingRequired { field: "id".into() })?;
        let id = LocationId::new(id).map_err(|e| SkipReason::Invalid { reason: e.reason })?;
        rec.carried("id", "id");
        let (organization_id, from) = org?;
        report_org(&mut rec, &from);
        let attrs = attrs::read(raw.obj, options);
        let confidential = confidentiality(&mut rec, &attrs, orgs);
        // A confidential place is never named after its street: with no name, its id names it.
        let first_address = objects(raw.obj, "addresses")
            .first()
            .and_then(|(_, a)| text(a, "address_1"))
            .filter(|_| confidential.is_none());
        let name = match (text(raw.obj, "name"), text(raw.obj, "alternate_name")) {
            (Some(n), _) => rec.cut("name", "name", n, NAME_MAX),
            (None, Some(n)) => {
                rec.inferred(
                    "name",
                    "alternate_name",
                    InferRule::NameFrom {
                        field: "alternate_name".into(),
                    },
                );
                n.chars().take(NAME_MAX).collect()
            }
            (None, None) => match first_address {
                Some(n) => {
                    rec.inferred(
                        "name",
                        "addresses[0].address_1",
                        InferRule::NameFrom {
                            field: "addresses[0].address_1".into(),
                        },
                    );
                    n.chars().take(NAME_MAX).collect()
                }
                None => {
                    rec.inferred("name", "id", InferRule::NameFrom { field: "id".into() });
                    id.to_string()
                }
            },
        };
        let area = area(&mut rec, &attrs, options)?;
        let address = street_address(&mut rec);
        let coordinates = coordinates(&mut rec, &attrs);
        // Read for the services delivered here that have none of their own (see `build`).
        super::service::read_languages(&mut rec);
        let accounted: Vec<usize> = attrs
            .iter()
            .filter(|a| {
                a.beside
                    && ["area", "coordinates", "confidential", "disclosed_to"]
                        .contains(&a.code.as_str())
            })
            .map(|a| a.index)
            .collect();
        rec.other_attrs(&attrs, &accounted);
        let loc = Location {
            id,
            organization_id,
            name,
            area,
            address,
            coordinates,
            confidential,
        };
        loc.validate().map_err(validation_skip)?;
        Ok(loc)
    })();
    Converted {
        value,
        fields: rec.finish(),
    }
}

/// The service and location a service_at_location links.
fn link_ends(raw: &RawRecord<'_>) -> (Option<String>, Option<String>) {
    let nested = |k: &str| {
        raw.obj
            .get(k)
            .and_then(Value::as_object)
            .and_then(|o| text(o, "id"))
    };
    let service = text(raw.obj, "service_id")
        .or_else(|| nested("service"))
        .or_else(|| raw.parent_service.clone());
    let location = text(raw.obj, "location_id").or_else(|| nested("location"));
    (service, location)
}

/// Records of one kind grouped by id, in order of first appearance; records without a usable
/// id come alone.
fn groups<'r, 'a>(
    records: &'r [RawRecord<'a>],
    kind: RecordKind,
) -> Vec<Vec<(usize, &'r RawRecord<'a>)>> {
    let mut out: Vec<Vec<(usize, &RawRecord<'a>)>> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate().filter(|(_, r)| r.kind == kind) {
        match text(r.obj, "id") {
            Some(id) => match by_id.get(&id) {
                Some(&g) => {
                    if let Some(group) = out.get_mut(g) {
                        group.push((i, r));
                    }
                }
                None => {
                    by_id.insert(id, out.len());
                    out.push(vec![(i, r)]);
                }
            },
            None => out.push(vec![(i, r)]),
        }
    }
    out
}

/// Convert each group: the first copy that converts is imported; the others are duplicates of
/// it; when none converts, each is reported skipped.
fn settle<T: PartialEq>(
    group: &[(usize, &RawRecord<'_>)],
    kind: RecordKind,
    slots: &mut [Option<RecordReport>],
    mut convert: impl FnMut(&RawRecord<'_>) -> Converted<T>,
) -> Option<T> {
    let converted: Vec<(usize, &RawRecord<'_>, Converted<T>)> =
        group.iter().map(|(i, r)| (*i, *r, convert(r))).collect();
    let winner = converted.iter().position(|(_, _, c)| c.value.is_ok());
    let winner_path = winner
        .and_then(|w| converted.get(w))
        .map(|(_, r, _)| r.path.clone());
    let mut kept = None;
    for (pos, (i, r, c)) in converted.into_iter().enumerate() {
        let id = text(r.obj, "id");
        let (outcome, fields, value) = match (&winner_path, c.value) {
            (Some(_), Ok(v)) if Some(pos) == winner => (RecordOutcome::Imported, c.fields, Some(v)),
            (Some(first), Ok(v)) => {
                let same = kept.as_ref().is_some_and(|k| k == &v);
                let mut fields = Vec::new();
                if !same {
                    fields.push(FieldReport {
                        field: String::new(),
                        outcome: FieldOutcome::Skipped {
                            reason: SkipReason::ConflictingDuplicate {
                                first_path: first.clone(),
                            },
                        },
                    });
                }
                (
                    RecordOutcome::Duplicate {
                        first_path: first.clone(),
                    },
                    fields,
                    None,
                )
            }
            (Some(first), Err(reason)) => {
                let mut fields = c.fields;
                fields.push(FieldReport {
                    field: String::new(),
                    outcome: FieldOutcome::Skipped { reason },
                });
                (
                    RecordOutcome::Duplicate {
                        first_path: first.clone(),
                    },
                    fields,
                    None,
                )
            }
            (None, Err(reason)) => (RecordOutcome::Skipped { reason }, c.fields, None),
            (None, Ok(_)) => (RecordOutcome::Imported, c.fields, None),
        };
        if let Some(v) = value {
            kept = Some(v);
        }
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(RecordReport {
                kind,
                id,
                path: r.path.clone(),
                outcome,
                fields,
            });
        }
    }
    kept
}

/// Build the directory and the report from everything collected.
pub(crate) fn build(
    collected: Collected<'_>,
    options: &ImportOptions,
) -> Result<(Directory, ImportReport), HsdsError> {
    let records = &collected.records;
    let mut slots: Vec<Option<RecordReport>> = vec![None; records.len()];
    let mut dir = Directory::default();

    for group in groups(records, RecordKind::Organization) {
        if let Some(o) = settle(&group, RecordKind::Organization, &mut slots, |r| {
            convert_org(r, options)
        }) {
            dir.organizations.push(o);
        }
    }
    let orgs: HashSet<String> = dir.organizations.iter().map(|o| o.id.to_string()).collect();
    let resolve = |explicit: Option<String>, nested: Option<String>, parent: Option<String>| {
        if let Some(e) = &explicit {
            if orgs.contains(e) {
                return Ok((e.clone(), OrgFrom::Field("organization_id")));
            }
        }
        if let Some(n) = nested.filter(|n| orgs.contains(n)) {
            return Ok((n, OrgFrom::Field("organization.id")));
        }
        if let Some(p) = parent.filter(|p| orgs.contains(p)) {
            return Ok((p, OrgFrom::Nesting));
        }
        Err(explicit)
    };
    let to_id = |(s, from): (String, OrgFrom)| {
        OrganizationId::new(s)
            .map(|id| (id, from))
            .map_err(|e| SkipReason::Invalid { reason: e.reason })
    };

    for group in groups(records, RecordKind::Service) {
        if let Some(s) = settle(&group, RecordKind::Service, &mut slots, |r| {
            let nested = r
                .obj
                .get("organization")
                .and_then(Value::as_object)
                .and_then(|o| text(o, "id"));
            let org = resolve(text(r.obj, "organization_id"), nested, r.parent_org.clone())
                .map_err(|referenced| SkipReason::NoOrganization { referenced })
                .and_then(to_id);
            super::service::convert_service(r, org, options)
        }) {
            dir.services.push(s);
        }
    }
    let service_org: HashMap<String, String> = dir
        .services
        .iter()
        .map(|s| (s.id.to_string(), s.organization_id.to_string()))
        .collect();
    let links: Vec<(usize, Option<String>, Option<String>)> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == RecordKind::ServiceAtLocation)
        .map(|(i, r)| {
            let (s, l) = link_ends(r);
            (i, s, l)
        })
        .collect();

    for group in groups(records, RecordKind::Location) {
        if let Some(l) = settle(&group, RecordKind::Location, &mut slots, |r| {
            let explicit = text(r.obj, "organization_id");
            let org = match resolve(explicit, None, r.parent_org.clone()) {
                Ok(found) => Ok(found),
                Err(dangling) => {
                    let id = text(r.obj, "id");
                    let mut found: Vec<&String> = links
                        .iter()
                        .filter(|(_, _, l)| l.is_some() && *l == id)
                        .filter_map(|(_, s, _)| s.as_ref().and_then(|s| service_org.get(s)))
                        .collect();
                    found.sort();
                    found.dedup();
                    match found.as_slice() {
                        [one] => Ok(((*one).clone(), OrgFrom::Services { dangling })),
                        _ => Err(SkipReason::NoOrganization {
                            referenced: dangling,
                        }),
                    }
                }
            }
            .and_then(to_id);
            convert_location(r, org, options, &orgs)
        }) {
            dir.locations.push(l);
        }
    }

    let locations: HashSet<String> = dir.locations.iter().map(|l| l.id.to_string()).collect();
    let mut linked: HashMap<(String, String), String> = HashMap::new();
    for (i, service, location) in links {
        let Some(raw) = records.get(i) else { continue };
        let mut rec = Rec::new(raw.obj);
        for k in ["id", "service_id", "location_id", "service", "location"] {
            rec.use_key(k);
        }
        let outcome = match (service, location) {
            (None, _) => RecordOutcome::Skipped {
                reason: SkipReason::MissingRequired {
                    field: "service_id".into(),
                },
            },
            (_, None) => RecordOutcome::Skipped {
                reason: SkipReason::MissingRequired {
                    field: "location_id".into(),
                },
            },
            (Some(s), Some(l)) => {
                if !service_org.contains_key(&s) {
                    RecordOutcome::Skipped {
                        reason: SkipReason::UnknownReference { id: s },
                    }
                } else if !locations.contains(&l) {
                    RecordOutcome::Skipped {
                        reason: SkipReason::UnknownReference { id: l },
                    }
                } else if let Some(first) = linked.get(&(s.clone(), l.clone())) {
                    RecordOutcome::Duplicate {
                        first_path: first.clone(),
                    }
                } else {
                    if let (Some(svc), Ok(lid)) = (
                        dir.services.iter_mut().find(|x| x.id.as_str() == s),
                        LocationId::new(l.clone()),
                    ) {
                        svc.location_ids.push(lid);
                    }
                    rec.carried("service_id", "service_id");
                    rec.carried("location_id", "location_id");
                    linked.insert((s, l), raw.path.clone());
                    RecordOutcome::Imported
                }
            }
        };
        let fields = if matches!(outcome, RecordOutcome::Imported) {
            rec.finish()
        } else {
            Vec::new()
        };
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(RecordReport {
                kind: RecordKind::ServiceAtLocation,
                id: text(raw.obj, "id"),
                path: raw.path.clone(),
                outcome,
                fields,
            });
        }
    }

    location_languages(&mut dir, records, &mut slots);
    super::areas::named_areas(&mut dir, records, &mut slots);
    dir.validate()?;
    let mut reports: Vec<RecordReport> = slots.into_iter().flatten().collect();
    reports.extend(collected.notes);
    Ok((dir, ImportReport::from_records(reports)))
}

/// The slot of the imported record of each kind and id.
fn imported_slots(slots: &[Option<RecordReport>]) -> HashMap<(RecordKind, String), usize> {
    slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let s = s.as_ref()?;
            matches!(s.outcome, RecordOutcome::Imported).then(|| Some(((s.kind, s.id.clone()?), i)))
        })
        .flatten()
        .collect()
}

/// A service with no languages of its own takes those of its locations (HSDS
/// `location.languages`), in the order of its locations; its report says so. A location's
/// languages no service took are reported as not held.
fn location_languages(
    dir: &mut Directory,
    records: &[RawRecord<'_>],
    slots: &mut [Option<RecordReport>],
) {
    let at = imported_slots(slots);
    let raw_of = |kind: RecordKind, id: &str, slots: &[Option<RecordReport>]| {
        at.get(&(kind, id.to_owned()))
            .and_then(|&i| Some((i, records.get(i)?, slots.get(i)?.as_ref()?)))
            .map(|(i, r, _)| (i, r))
    };
    let mut taken: HashSet<String> = HashSet::new();
    let mut with_languages: Vec<(usize, String)> = Vec::new();
    for l in &dir.locations {
        if let Some((i, raw)) = raw_of(RecordKind::Location, l.id.as_str(), slots) {
            if language_codes(raw.obj).iter().any(|(_, c)| c.is_ok()) {
                with_languages.push((i, l.id.to_string()));
            }
        }
    }
    if with_languages.is_empty() {
        return;
    }
    for s in dir.services.iter_mut().filter(|s| s.languages.is_empty()) {
        let mut from = Vec::new();
        for lid in &s.location_ids {
            let Some((_, raw)) = raw_of(RecordKind::Location, lid.as_str(), slots) else {
                continue;
            };
            let mut any = false;
            for c in language_codes(raw.obj)
                .into_iter()
                .filter_map(|(_, c)| c.ok())
            {
                any = true;
                if !s.languages.contains(&c) {
                    s.languages.push(c);
                }
            }
            if any {
                from.push(lid.to_string());
                taken.insert(lid.to_string());
            }
        }
        if from.is_empty() {
            continue;
        }
        let Some(slot) = at
            .get(&(RecordKind::Service, s.id.to_string()))
            .and_then(|&i| slots.get_mut(i))
            .and_then(Option::as_mut)
        else {
            continue;
        };
        let outcome = FieldOutcome::Inferred {
            from: "service_at_location".into(),
            rule: InferRule::LocationLanguages { locations: from },
        };
        match slot.fields.iter_mut().find(|f| f.field == "languages") {
            Some(f) => f.outcome = outcome,
            None => slot.fields.push(FieldReport {
                field: "languages".into(),
                outcome,
            }),
        }
    }
    for (i, id) in with_languages {
        if !taken.contains(&id) {
            if let Some(slot) = slots.get_mut(i).and_then(Option::as_mut) {
                slot.fields.push(FieldReport {
                    field: "languages".into(),
                    outcome: FieldOutcome::Skipped {
                        reason: SkipReason::NotModelled,
                    },
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::service::minor_exponent;

    #[test]
    fn minor_units() {
        assert_eq!(minor_exponent("BDT"), 2);
        assert_eq!(minor_exponent("JPY"), 0);
        assert_eq!(minor_exponent("KWD"), 3);
    }
}
