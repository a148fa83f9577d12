//! From collected HSDS records to a [`Directory`], reporting every field.

use super::attrs::{self, Attr, AREA_EXTENT_TYPE};
use super::error::HsdsError;
use super::options::ImportOptions;
use super::read::{is_blank, number, objects, text, Collected, RawRecord};
use super::report::{
    DefaultReason, FieldOutcome, FieldReport, ImportReport, InferRule, RecordKind, RecordOutcome,
    RecordReport, SkipReason,
};
use crate::directory::{
    Cost, Directory, Eligibility, GenderServed, Location, Organization, Service, ServiceStatus,
};
use beside_core::{
    AreaPath, Coordinates, CountryCode, DomainKey, LanguageCode, LocationId, OrganizationId,
    OrganizationKind, Reason, ServiceId, Validate,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Longest name Beside holds, in characters.
const NAME_MAX: usize = 300;
/// Longest description Beside holds, in characters.
const DESCRIPTION_MAX: usize = 5000;

/// The fields of one record being converted.
struct Rec<'a> {
    obj: &'a Map<String, Value>,
    used: HashSet<&'static str>,
    fields: Vec<FieldReport>,
}

impl<'a> Rec<'a> {
    fn new(obj: &'a Map<String, Value>) -> Self {
        Self {
            obj,
            used: HashSet::new(),
            fields: Vec::new(),
        }
    }

    fn use_key(&mut self, key: &'static str) {
        self.used.insert(key);
    }

    fn push(&mut self, field: &str, outcome: FieldOutcome) {
        self.fields.push(FieldReport {
            field: field.to_owned(),
            outcome,
        });
    }

    fn carried(&mut self, field: &str, from: &str) {
        self.push(
            field,
            FieldOutcome::Carried {
                from: from.to_owned(),
            },
        );
    }

    fn inferred(&mut self, field: &str, from: &str, rule: InferRule) {
        self.push(
            field,
            FieldOutcome::Inferred {
                from: from.to_owned(),
                rule,
            },
        );
    }

    fn defaulted<T: Serialize>(&mut self, field: &str, value: &T, reason: DefaultReason) {
        let value = serde_json::to_string(value).unwrap_or_default();
        self.push(field, FieldOutcome::Defaulted { value, reason });
    }

    fn skipped(&mut self, field: &str, reason: SkipReason) {
        self.push(field, FieldOutcome::Skipped { reason });
    }

    /// Every HSDS field present but not used is reported as not modelled.
    fn finish(mut self) -> Vec<FieldReport> {
        let obj = self.obj;
        for (k, v) in obj {
            if !self.used.contains(k.as_str()) && k != "attributes" && !is_blank(v) {
                self.skipped(k, SkipReason::NotModelled);
            }
        }
        self.fields
    }

    /// A required text field, cut to `max` characters (reported).
    fn required_text(
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

    fn cut(&mut self, field: &str, from: &str, t: String, max: usize) -> String {
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

    /// The `beside` attributes with `code`, reporting none; others are reported by
    /// [`Rec::other_attrs`].
    fn flag(&mut self, attrs: &[Attr], code: &str, field: &str) -> bool {
        match attrs.iter().find(|a| a.beside && a.code == code) {
            Some(a) => match attrs::flag(&a.value) {
                Some(b) => {
                    self.carried(field, &a.path());
                    b
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
    fn other_attrs(&mut self, attrs: &[Attr], mapped: &[usize]) {
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

fn invalid(expected: &str, value: &str) -> SkipReason {
    SkipReason::Invalid {
        reason: Reason::Invalid {
            expected: expected.to_owned(),
            value: value.to_owned(),
        },
    }
}

fn validation_skip(e: beside_core::ValidationErrors) -> SkipReason {
    SkipReason::FailedValidation { errors: e.errors }
}

/// A converted record: its id, the record or why not, and its fields.
struct Converted<T> {
    value: Result<T, SkipReason>,
    fields: Vec<FieldReport>,
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
        let attrs = attrs::read(raw.obj);
        let kind = match attrs
            .iter()
            .find(|a| a.beside && a.code == "organization_kind")
        {
            Some(a) => match serde_json::from_value::<OrganizationKind>(Value::String(
                a.value.trim().to_owned(),
            )) {
                Ok(k) => {
                    rec.carried("kind", &a.path());
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
        rec.other_attrs(&attrs, &[]);
        let org = Organization {
            id,
            name,
            kind,
            survivor_led,
            description,
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
enum OrgFrom {
    Field(&'static str),
    Nesting,
    Services { dangling: Option<String> },
}

fn status_of(rec: &mut Rec<'_>) -> ServiceStatus {
    rec.use_key("status");
    let raw = text(rec.obj, "status");
    let lower = raw.as_deref().map(|s| s.trim().to_ascii_lowercase());
    match lower.as_deref() {
        Some("active") => {
            rec.carried("status", "status");
            ServiceStatus::Active
        }
        Some("inactive") => {
            rec.carried("status", "status");
            ServiceStatus::Inactive
        }
        Some("defunct") => {
            rec.carried("status", "status");
            ServiceStatus::Defunct
        }
        Some("temporarily closed" | "temporarily_closed") => {
            rec.inferred(
                "status",
                "status",
                InferRule::StatusSynonym {
                    value: raw.unwrap_or_default(),
                },
            );
            ServiceStatus::Inactive
        }
        Some(_) => {
            rec.skipped(
                "status",
                SkipReason::Invalid {
                    reason: Reason::Unknown {
                        value: raw.unwrap_or_default(),
                        known: ["active", "inactive", "defunct", "temporarily closed"]
                            .iter()
                            .map(|s| (*s).to_owned())
                            .collect(),
                    },
                },
            );
            // Not knowing whether a service runs, Beside does not offer it.
            rec.defaulted(
                "status",
                &ServiceStatus::Inactive,
                DefaultReason::Absent {
                    hsds_field: "status".into(),
                },
            );
            ServiceStatus::Inactive
        }
        None => {
            rec.defaulted(
                "status",
                &ServiceStatus::Inactive,
                DefaultReason::Absent {
                    hsds_field: "status".into(),
                },
            );
            ServiceStatus::Inactive
        }
    }
}

fn age(rec: &mut Rec<'_>, key: &'static str, field: &str) -> Option<u32> {
    rec.use_key(key);
    match number(rec.obj, key) {
        Ok(None) => {
            rec.defaulted(
                field,
                &Option::<u32>::None,
                DefaultReason::Absent {
                    hsds_field: key.into(),
                },
            );
            None
        }
        Ok(Some(a)) if a.fract() == 0.0 && (0.0..=120.0).contains(&a) => {
            rec.carried(field, key);
            // In 0..=120 and whole, so the cast is exact.
            Some(a as u32)
        }
        Ok(Some(a)) => {
            rec.skipped(
                key,
                SkipReason::Invalid {
                    reason: if a < 0.0 {
                        Reason::BelowMinimum { min: 0.0, got: a }
                    } else if a > 120.0 {
                        Reason::AboveMaximum { max: 120.0, got: a }
                    } else {
                        Reason::Invalid {
                            expected: "a whole number of years".into(),
                            value: a.to_string(),
                        }
                    },
                },
            );
            None
        }
        Err(v) => {
            rec.skipped(key, invalid("a number of years", &v));
            None
        }
    }
}

fn languages(rec: &mut Rec<'_>) -> Vec<LanguageCode> {
    rec.use_key("languages");
    let items = objects(rec.obj, "languages");
    let mut out: Vec<LanguageCode> = Vec::new();
    for (i, lang) in &items {
        let path = format!("languages[{i}]");
        let Some(code) = text(lang, "code") else {
            rec.skipped(
                &path,
                SkipReason::MissingRequired {
                    field: "code".into(),
                },
            );
            continue;
        };
        let parsed = LanguageCode::new(&code).or_else(|e| {
            code.split(['-', '_'])
                .next()
                .filter(|p| p.len() < code.len())
                .map_or(Err(e.clone()), |p| LanguageCode::new(p).map_err(|_| e))
        });
        match parsed {
            Ok(c) => {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            Err(reason) => rec.skipped(&path, SkipReason::Invalid { reason }),
        }
    }
    if out.is_empty() {
        rec.defaulted(
            "languages",
            &out,
            DefaultReason::Absent {
                hsds_field: "languages".into(),
            },
        );
    } else {
        rec.carried("languages", "languages");
    }
    out
}

fn interpretation(rec: &mut Rec<'_>, attrs: &[Attr]) -> bool {
    rec.use_key("interpretation_services");
    if attrs
        .iter()
        .any(|a| a.beside && a.code == "interpretation_available")
    {
        return rec.flag(
            attrs,
            "interpretation_available",
            "interpretation_available",
        );
    }
    match text(rec.obj, "interpretation_services") {
        Some(t) => {
            let w = super::options::words(&t);
            let negative = matches!(
                w.first().map(String::as_str),
                Some("no" | "none" | "not" | "n")
            ) || super::options::keyword_in("not available", &w);
            rec.inferred(
                "interpretation_available",
                "interpretation_services",
                InferRule::InterpretationText,
            );
            !negative
        }
        None => {
            rec.defaulted(
                "interpretation_available",
                &false,
                DefaultReason::Absent {
                    hsds_field: "interpretation_services".into(),
                },
            );
            false
        }
    }
}

/// Minor units per major unit of an ISO 4217 currency (most have 2).
pub(crate) fn minor_exponent(currency: &str) -> i32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

fn cost(rec: &mut Rec<'_>, attrs: &[Attr]) -> Cost {
    rec.use_key("cost_options");
    if let Some(a) = attrs.iter().find(|a| a.beside && a.code == "cost") {
        match serde_json::from_str::<Cost>(&a.value) {
            Ok(c) => {
                rec.carried("cost", &a.path());
                return c;
            }
            Err(e) => rec.skipped(
                &a.path(),
                SkipReason::Invalid {
                    reason: Reason::Malformed {
                        message: e.to_string(),
                        line: 0,
                        column: 0,
                    },
                },
            ),
        }
    }
    let options = objects(rec.obj, "cost_options");
    let mut usable: Vec<(u64, Option<String>)> = Vec::new();
    for (i, o) in &options {
        let path = format!("cost_options[{i}]");
        let amount = match number(o, "amount") {
            Ok(Some(a)) if a >= 0.0 => a,
            Ok(Some(a)) => {
                rec.skipped(
                    &path,
                    SkipReason::Invalid {
                        reason: Reason::BelowMinimum { min: 0.0, got: a },
                    },
                );
                continue;
            }
            Ok(None) => {
                rec.skipped(
                    &path,
                    SkipReason::MissingRequired {
                        field: "amount".into(),
                    },
                );
                continue;
            }
            Err(v) => {
                rec.skipped(&path, invalid("an amount", &v));
                continue;
            }
        };
        let currency = text(o, "currency").map(|c| c.to_ascii_uppercase());
        let currency_ok = currency
            .as_deref()
            .is_some_and(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()));
        if amount == 0.0 {
            usable.push((0, None));
        } else if !currency_ok {
            rec.skipped(
                &path,
                invalid(
                    "an ISO 4217 currency code with a non-zero amount",
                    currency.as_deref().unwrap_or(""),
                ),
            );
        } else if let Some(c) = currency {
            let minor = (amount * 10f64.powi(minor_exponent(&c))).round();
            if minor <= 9_007_199_254_740_992.0 {
                // Checked non-negative, whole and below 2^53: the cast is exact.
                usable.push((minor as u64, Some(c)));
            } else {
                rec.skipped(
                    &path,
                    SkipReason::Invalid {
                        reason: Reason::AboveMaximum {
                            max: 9_007_199_254_740_992.0,
                            got: minor,
                        },
                    },
                );
            }
        }
    }
    let rule = InferRule::CostOptions {
        count: options.len(),
        usable: usable.len(),
    };
    // The highest price is the one a person may be asked to pay.
    let dearest = usable
        .iter()
        .filter_map(|(a, c)| c.as_ref().map(|c| (*a, c.clone())))
        .max_by(|x, y| x.0.cmp(&y.0).then_with(|| y.1.cmp(&x.1)));
    match (dearest, usable.is_empty()) {
        (Some((amount, currency)), _) => {
            rec.inferred("cost", "cost_options", rule);
            Cost::Fee { amount, currency }
        }
        (None, false) => {
            rec.inferred("cost", "cost_options", rule);
            Cost::Free
        }
        (None, true) => {
            rec.defaulted(
                "cost",
                &Cost::Unknown,
                DefaultReason::Absent {
                    hsds_field: "cost_options".into(),
                },
            );
            Cost::Unknown
        }
    }
}

fn capacity(rec: &mut Rec<'_>, attrs: &[Attr]) -> Option<i64> {
    match attrs.iter().find(|a| a.beside && a.code == "capacity") {
        Some(a) if a.value.trim().eq_ignore_ascii_case("none") => {
            rec.carried("capacity", &a.path());
            None
        }
        Some(a) => match a.value.trim().parse::<i64>() {
            Ok(c) if c >= 0 => {
                rec.carried("capacity", &a.path());
                Some(c)
            }
            Ok(c) => {
                rec.skipped(
                    &a.path(),
                    SkipReason::Invalid {
                        reason: Reason::BelowMinimum {
                            min: 0.0,
                            // Only shown, so a rounded figure is fine.
                            got: c as f64,
                        },
                    },
                );
                rec.defaulted("capacity", &Option::<i64>::None, DefaultReason::NotInHsds);
                None
            }
            Err(_) => {
                rec.skipped(
                    &a.path(),
                    invalid("a whole number of places or `none`", &a.value),
                );
                rec.defaulted("capacity", &Option::<i64>::None, DefaultReason::NotInHsds);
                None
            }
        },
        None => {
            rec.defaulted("capacity", &Option::<i64>::None, DefaultReason::NotInHsds);
            None
        }
    }
}

fn many<T: Serialize>(
    rec: &mut Rec<'_>,
    attrs: &[Attr],
    code: &str,
    field: &str,
    parse: impl Fn(&str) -> Result<T, Reason>,
) -> Vec<T> {
    let mut out = Vec::new();
    let mut from = Vec::new();
    for a in attrs.iter().filter(|a| a.beside && a.code == code) {
        match parse(a.value.trim()) {
            Ok(v) => {
                out.push(v);
                from.push(a.path());
            }
            Err(reason) => rec.skipped(&a.path(), SkipReason::Invalid { reason }),
        }
    }
    if out.is_empty() {
        rec.defaulted(field, &out, DefaultReason::NotInHsds);
    } else {
        rec.carried(field, &from.join(", "));
    }
    out
}

fn gender(value: &str) -> Result<GenderServed, Reason> {
    serde_json::from_value(Value::String(value.to_owned())).map_err(|_| Reason::Unknown {
        value: value.to_owned(),
        known: vec!["female".into(), "male".into(), "third_gender".into()],
    })
}

fn area_from_json(value: &str) -> Result<AreaPath, Reason> {
    let parts: Vec<String> = serde_json::from_str(value).map_err(|_| Reason::Invalid {
        expected: "a JSON list of area names, country code first".into(),
        value: value.to_owned(),
    })?;
    AreaPath::new(parts)
}

fn service_areas(rec: &mut Rec<'_>) -> Vec<AreaPath> {
    rec.use_key("service_areas");
    let mut out = Vec::new();
    for (i, sa) in objects(rec.obj, "service_areas") {
        let path = format!("service_areas[{i}]");
        let beside_extent = text(sa, "extent_type").is_some_and(|t| t.trim() == AREA_EXTENT_TYPE);
        let parsed = if beside_extent {
            area_from_json(&text(sa, "extent").unwrap_or_default())
        } else {
            // An area written as Beside shows it: `BD › Khulna › Jashore`.
            let name = text(sa, "name").unwrap_or_default();
            let parts: Vec<&str> = name.split('›').map(str::trim).collect();
            if parts.len() >= 2 || CountryCode::new(&name).is_ok() {
                AreaPath::new(parts)
            } else {
                rec.skipped(&path, SkipReason::FreeTextArea);
                continue;
            }
        };
        match parsed {
            Ok(a) => out.push(a),
            Err(reason) => rec.skipped(&path, SkipReason::Invalid { reason }),
        }
    }
    if out.is_empty() {
        rec.defaulted(
            "service_areas",
            &out,
            DefaultReason::Absent {
                hsds_field: "service_areas".into(),
            },
        );
    } else {
        rec.carried("service_areas", "service_areas");
    }
    out
}

/// Need domains, by the order documented on [`super::DomainMapping`].
fn domains(
    rec: &mut Rec<'_>,
    attrs: &[Attr],
    options: &ImportOptions,
) -> Result<(Vec<DomainKey>, Vec<usize>), SkipReason> {
    let mut out: Vec<DomainKey> = Vec::new();
    let mut from = Vec::new();
    let mut accounted = Vec::new();
    for a in attrs.iter().filter(|a| a.beside && a.code == "domain") {
        match DomainKey::new(a.value.trim()) {
            Ok(k) => {
                if !out.contains(&k) {
                    out.push(k);
                }
                from.push(a.path());
            }
            Err(reason) => rec.skipped(&a.path(), SkipReason::Invalid { reason }),
        }
        accounted.push(a.index);
    }
    if !out.is_empty() {
        rec.carried("domains", &from.join(", "));
        return Ok((out, accounted));
    }
    let mapping = &options.mapping;
    let mut terms = Vec::new();
    let mut all_terms = Vec::new();
    for a in attrs.iter().filter(|a| !a.beside) {
        all_terms.push(a.label());
        let found = mapping.for_term(&a.taxonomy, &a.code, &a.name);
        if !found.is_empty() {
            for k in found {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
            terms.push(a.label());
            accounted.push(a.index);
        }
    }
    if !out.is_empty() {
        rec.inferred("domains", "attributes", InferRule::TaxonomyTerms { terms });
        return Ok((out, accounted));
    }
    if mapping.search_service_text {
        let name = [text(rec.obj, "name"), text(rec.obj, "alternate_name")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        for (source, body) in [
            ("name", name),
            (
                "description",
                text(rec.obj, "description").unwrap_or_default(),
            ),
        ] {
            let found = mapping.for_text(&body);
            if !found.is_empty() {
                let keywords = found.iter().flat_map(|(_, k)| k.clone()).collect();
                rec.inferred("domains", source, InferRule::Keywords { keywords });
                return Ok((found.into_iter().map(|(d, _)| d).collect(), accounted));
            }
        }
    }
    match &mapping.fallback {
        Some(k) => {
            let v = vec![k.clone()];
            rec.defaulted(
                "domains",
                &v,
                DefaultReason::Configured {
                    option: "mapping.fallback".into(),
                },
            );
            Ok((v, accounted))
        }
        None => Err(SkipReason::NoDomain { terms: all_terms }),
    }
}

fn convert_service(
    raw: &RawRecord<'_>,
    org: Result<(OrganizationId, OrgFrom), SkipReason>,
    options: &ImportOptions,
) -> Converted<Service> {
    let mut rec = Rec::new(raw.obj);
    for k in [
        "id",
        "organization_id",
        "organization",
        "service_at_locations",
        "name",
        "alternate_name",
        "description",
    ] {
        rec.use_key(k);
    }
    let value = (|| {
        let id = text(raw.obj, "id").ok_or(SkipReason::MissingRequired { field: "id".into() })?;
        let id = ServiceId::new(id).map_err(|e| SkipReason::Invalid { reason: e.reason })?;
        rec.carried("id", "id");
        let (organization_id, from) = org?;
        report_org(&mut rec, &from);
        let name = rec.required_text("name", "name", NAME_MAX)?;
        let attrs = attrs::read(raw.obj);
        let (domains, mut accounted) = domains(&mut rec, &attrs, options)?;
        let status = status_of(&mut rec);
        let min_age = age(&mut rec, "minimum_age", "eligibility.min_age");
        let mut max_age = age(&mut rec, "maximum_age", "eligibility.max_age");
        if let (Some(lo), Some(hi)) = (min_age, max_age) {
            if hi < lo {
                rec.skipped(
                    "maximum_age",
                    SkipReason::Invalid {
                        reason: Reason::OutOfOrder {
                            value: hi.to_string(),
                            other_field: "minimum_age".into(),
                            bound: lo.to_string(),
                        },
                    },
                );
                max_age = None;
            }
        }
        let genders = many(
            &mut rec,
            &attrs,
            "gender_served",
            "eligibility.genders",
            gender,
        );
        let nationalities = many(
            &mut rec,
            &attrs,
            "nationality",
            "eligibility.nationalities",
            CountryCode::new,
        );
        let requires_formal_identification = rec.flag(
            &attrs,
            "requires_formal_identification",
            "eligibility.requires_formal_identification",
        );
        let languages = languages(&mut rec);
        let interpretation_available = interpretation(&mut rec, &attrs);
        let cost = cost(&mut rec, &attrs);
        let capacity = capacity(&mut rec, &attrs);
        let requires_court_order = rec.flag(&attrs, "requires_court_order", "requires_court_order");
        let requires_referral_letter = rec.flag(
            &attrs,
            "requires_referral_letter",
            "requires_referral_letter",
        );
        let female_staff = rec.flag(&attrs, "female_staff", "female_staff");
        let trauma_informed = rec.flag(&attrs, "trauma_informed", "trauma_informed");
        let outreach = rec.flag(&attrs, "outreach", "outreach");
        let service_areas = service_areas(&mut rec);
        for a in attrs
            .iter()
            .filter(|a| a.beside && attrs::is_known(&a.code))
        {
            accounted.push(a.index);
        }
        rec.other_attrs(&attrs, &accounted);
        let service = Service {
            id,
            organization_id,
            name,
            domains,
            status,
            eligibility: Eligibility {
                min_age,
                max_age,
                genders,
                nationalities,
                requires_formal_identification,
            },
            languages,
            interpretation_available,
            cost,
            capacity,
            requires_court_order,
            requires_referral_letter,
            female_staff,
            trauma_informed,
            service_areas,
            location_ids: Vec::new(),
            outreach,
        };
        service.validate().map_err(validation_skip)?;
        Ok(service)
    })();
    Converted {
        value,
        fields: rec.finish(),
    }
}

fn report_org(rec: &mut Rec<'_>, from: &OrgFrom) {
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
                rec.carried("area", &a.path());
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
            let p = AreaPath(vec![c.as_str().to_owned()]);
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
    ];
    for (i, addr) in addresses {
        for (k, v) in *addr {
            if !kept.contains(&k.as_str()) && !is_blank(v) {
                rec.skipped(&format!("addresses[{i}].{k}"), SkipReason::NotModelled);
            }
        }
    }
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
                rec.carried("coordinates", &a.path());
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
        let first_address = objects(raw.obj, "addresses")
            .first()
            .and_then(|(_, a)| text(a, "address_1"));
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
        let attrs = attrs::read(raw.obj);
        let area = area(&mut rec, &attrs, options)?;
        let coordinates = coordinates(&mut rec, &attrs);
        let accounted: Vec<usize> = attrs
            .iter()
            .filter(|a| a.beside && (a.code == "area" || a.code == "coordinates"))
            .map(|a| a.index)
            .collect();
        rec.other_attrs(&attrs, &accounted);
        let loc = Location {
            id,
            organization_id,
            name,
            area,
            coordinates,
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
            convert_service(r, org, options)
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
            convert_location(r, org, options)
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

    dir.validate()?;
    let mut reports: Vec<RecordReport> = slots.into_iter().flatten().collect();
    reports.extend(collected.notes);
    Ok((dir, ImportReport::from_records(reports)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units() {
        assert_eq!(minor_exponent("BDT"), 2);
        assert_eq!(minor_exponent("JPY"), 0);
        assert_eq!(minor_exponent("KWD"), 3);
    }
}
