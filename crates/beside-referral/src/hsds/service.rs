//! The service fields: need domains, status, eligibility, languages, interpretation, cost,
//! capacity, the `beside` flags and service areas.

use super::areas::AreaRead;
use super::attrs::{self, Attr};
use super::convert::{invalid, report_org, validation_skip, Converted, OrgFrom, Rec, NAME_MAX};
use super::options::ImportOptions;
use super::read::{number, objects, text, RawRecord};
use super::report::{DefaultReason, InferRule, SkipReason};
use crate::area::AreaShape;
use crate::directory::{Cost, Eligibility, GenderServed, Service, ServiceStatus};
use beside_core::{
    AreaPath, CountryCode, DomainKey, LanguageCode, OrganizationId, Reason, ServiceId, Validate,
};
use serde::Serialize;
use serde_json::Value;

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

/// The languages of a record (service or location), reporting codes that cannot be read.
pub(super) fn read_languages(rec: &mut Rec<'_>) -> Vec<LanguageCode> {
    rec.use_key("languages");
    let mut out: Vec<LanguageCode> = Vec::new();
    for (i, parsed) in language_codes(rec.obj) {
        match parsed {
            Ok(c) => {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            Err(reason) => rec.skipped(&format!("languages[{i}]"), reason),
        }
    }
    out
}

/// Each entry of a record's `languages`: its code, or why it cannot be read. A regional code
/// (`en-GB`) is read as its language.
pub(super) fn language_codes(
    obj: &serde_json::Map<String, Value>,
) -> Vec<(usize, Result<LanguageCode, SkipReason>)> {
    objects(obj, "languages")
        .into_iter()
        .map(|(i, lang)| {
            let Some(code) = text(lang, "code") else {
                return (
                    i,
                    Err(SkipReason::MissingRequired {
                        field: "code".into(),
                    }),
                );
            };
            let parsed = LanguageCode::new(&code).or_else(|e| {
                code.split(['-', '_'])
                    .next()
                    .filter(|p| p.len() < code.len())
                    .map_or(Err(e.clone()), |p| LanguageCode::new(p).map_err(|_| e))
            });
            (i, parsed.map_err(|reason| SkipReason::Invalid { reason }))
        })
        .collect()
}

fn languages(rec: &mut Rec<'_>) -> Vec<LanguageCode> {
    let out = read_languages(rec);
    if out.is_empty() {
        // May yet be taken from its locations (see `convert::build`), which then replaces
        // this entry.
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
                rec.carried("cost", &a.source());
                return c;
            }
            Err(e) => rec.skipped(&a.path(), SkipReason::malformed(&e)),
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

/// Most places one `service_capacity` may count (larger figures are typing errors).
const MAX_PLACES: f64 = 1_000_000_000.0;

/// A whole number of places, >= 0, or why not.
fn places(v: f64) -> Result<i64, Reason> {
    if v < 0.0 {
        Err(Reason::BelowMinimum { min: 0.0, got: v })
    } else if v > MAX_PLACES {
        Err(Reason::AboveMaximum {
            max: MAX_PLACES,
            got: v,
        })
    } else if v.fract() != 0.0 {
        Err(Reason::Invalid {
            expected: "a whole number of places".into(),
            value: v.to_string(),
        })
    } else {
        // Whole and within 0..=1e9: the cast is exact.
        Ok(v as i64)
    }
}

/// Capacity from HSDS 3.1 `capacities` (`service_capacity`): the open places of the entries
/// whose unit counts places, together. `None` when no entry is usable.
fn service_capacities(rec: &mut Rec<'_>, options: &ImportOptions) -> Option<i64> {
    rec.use_key("capacities");
    let entries = objects(rec.obj, "capacities");
    let mut usable: Vec<(usize, i64)> = Vec::new();
    let mut capped = None;
    for (i, cap) in &entries {
        let path = format!("capacities[{i}]");
        let unit = cap.get("unit").and_then(Value::as_object);
        let unit_names: Vec<String> = unit
            .into_iter()
            .flat_map(|u| [text(u, "name"), text(u, "identifier")])
            .flatten()
            .collect();
        if !unit_names.iter().any(|n| options.counts_places(n)) {
            let given = unit_names
                .first()
                .cloned()
                .or_else(|| text(cap, "unit_id"))
                .unwrap_or_default();
            rec.skipped(
                &format!("{path}.unit"),
                SkipReason::UnknownUnit {
                    unit: given,
                    known: options.capacity_units.clone(),
                },
            );
            continue;
        }
        let available = match number(cap, "available") {
            Ok(Some(a)) => match places(a) {
                Ok(n) => n,
                Err(reason) => {
                    rec.skipped(&format!("{path}.available"), SkipReason::Invalid { reason });
                    continue;
                }
            },
            Ok(None) => {
                rec.skipped(
                    &path,
                    SkipReason::MissingRequired {
                        field: "available".into(),
                    },
                );
                continue;
            }
            Err(v) => {
                rec.skipped(
                    &format!("{path}.available"),
                    invalid("a number of places", &v),
                );
                continue;
            }
        };
        let maximum = match number(cap, "maximum") {
            Ok(Some(m)) => match places(m) {
                Ok(n) => Some(n),
                Err(reason) => {
                    rec.skipped(&format!("{path}.maximum"), SkipReason::Invalid { reason });
                    None
                }
            },
            Ok(None) => None,
            Err(v) => {
                rec.skipped(
                    &format!("{path}.maximum"),
                    invalid("a number of places", &v),
                );
                None
            }
        };
        for (k, v) in *cap {
            let used = [
                "id",
                "service_id",
                "unit_id",
                "unit",
                "available",
                "maximum",
            ];
            if !used.contains(&k.as_str()) && !super::read::is_blank(v) {
                rec.skipped(&format!("{path}.{k}"), SkipReason::NotModelled);
            }
        }
        match maximum {
            Some(m) if available > m => {
                capped = Some((available, m));
                usable.push((*i, m));
            }
            _ => usable.push((*i, available)),
        }
    }
    let total = usable
        .iter()
        .try_fold(0i64, |acc, (_, n)| acc.checked_add(*n));
    match (usable.as_slice(), total) {
        ([], _) => None,
        (_, None) => {
            // INVARIANT: each entry is at most 1e9 and a service holds far fewer than 9e9
            // entries, so the sum cannot overflow; reported rather than trusted.
            rec.skipped(
                "capacities",
                SkipReason::Invalid {
                    reason: Reason::AboveMaximum {
                        max: i64::MAX as f64,
                        got: f64::INFINITY,
                    },
                },
            );
            None
        }
        ([(i, _)], Some(t)) => {
            match capped {
                Some((available, maximum)) => rec.inferred(
                    "capacity",
                    &format!("capacities[{i}]"),
                    InferRule::CappedAtMaximum { available, maximum },
                ),
                None => rec.carried("capacity", &format!("capacities[{i}]")),
            }
            Some(t)
        }
        (many, Some(t)) => {
            if let Some((available, maximum)) = capped {
                rec.inferred(
                    "capacities",
                    "capacities",
                    InferRule::CappedAtMaximum { available, maximum },
                );
            }
            rec.inferred(
                "capacity",
                "capacities",
                InferRule::ServiceCapacities { count: many.len() },
            );
            Some(t)
        }
    }
}

/// The response time: HSDS has none, so only the `beside` `respond_within_minutes` attribute
/// gives it (1 minute to 366 days).
fn respond_within(rec: &mut Rec<'_>, attrs: &[Attr]) -> Option<u32> {
    const FIELD: &str = "respond_within_minutes";
    let Some(a) = attrs.iter().find(|a| a.beside && a.code == FIELD) else {
        rec.defaulted(FIELD, &Option::<u32>::None, DefaultReason::NotInHsds);
        return None;
    };
    let max = beside_needs::config::MAX_RESPONSE_MINUTES;
    match a.value.trim().parse::<u32>() {
        Ok(m) if (1..=max).contains(&m) => {
            rec.carried(FIELD, &a.source());
            Some(m)
        }
        _ => {
            rec.skipped(
                &a.path(),
                invalid("a whole number of minutes from 1 to 527040", &a.value),
            );
            rec.defaulted(FIELD, &Option::<u32>::None, DefaultReason::NotInHsds);
            None
        }
    }
}

/// Capacity: HSDS 3.1 `service_capacity` when given (a `beside` `capacity` attribute that
/// disagrees is reported as a conflict), else the `beside` attribute.
fn capacity(rec: &mut Rec<'_>, attrs: &[Attr], options: &ImportOptions) -> Option<i64> {
    let attr = attrs.iter().find(|a| a.beside && a.code == "capacity");
    if let Some(c) = service_capacities(rec, options) {
        if let Some(a) = attr {
            let agrees = a.value.trim().parse::<i64>().is_ok_and(|v| v == c);
            if !agrees {
                rec.skipped(
                    &a.path(),
                    SkipReason::CapacityConflict {
                        attribute: a.value.clone(),
                        service_capacity: c,
                    },
                );
            }
        }
        return Some(c);
    }
    match attr {
        Some(a) if a.value.trim().eq_ignore_ascii_case("none") => {
            rec.carried("capacity", &a.source());
            None
        }
        Some(a) => match a.value.trim().parse::<i64>() {
            Ok(c) if c >= 0 => {
                rec.carried("capacity", &a.source());
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
                from.push(a.source());
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

pub(super) fn area_from_json(value: &str) -> Result<AreaPath, Reason> {
    let parts: Vec<String> = serde_json::from_str(value).map_err(|_| Reason::Invalid {
        expected: "a JSON list of area names, country code first".into(),
        value: value.to_owned(),
    })?;
    AreaPath::new(parts)
}

/// The service's areas: paths and shapes (see [`super::areas`]). Areas given by name are
/// matched once the directory's locations are known (`convert::build`).
fn service_areas(rec: &mut Rec<'_>) -> (Vec<AreaPath>, Vec<AreaShape>) {
    rec.use_key("service_areas");
    let mut paths = Vec::new();
    let mut shapes = Vec::new();
    for (i, sa) in objects(rec.obj, "service_areas") {
        let path = format!("service_areas[{i}]");
        match super::areas::read_area(rec, sa, &path) {
            AreaRead::Path(p) => paths.push(p),
            AreaRead::Shapes(s) => shapes.extend(s),
            AreaRead::Words | AreaRead::Nothing => {}
        }
    }
    if paths.is_empty() {
        rec.defaulted(
            "service_areas",
            &paths,
            DefaultReason::Absent {
                hsds_field: "service_areas".into(),
            },
        );
    } else {
        rec.carried("service_areas", "service_areas");
    }
    if shapes.is_empty() {
        rec.defaulted(
            "service_extents",
            &shapes,
            DefaultReason::Absent {
                hsds_field: "service_areas.extent".into(),
            },
        );
    } else {
        rec.carried("service_extents", "service_areas.extent");
    }
    (paths, shapes)
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
                from.push(a.source());
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
                super::read::text_or_empty(rec.obj, "description"),
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

pub(super) fn convert_service(
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
        let attrs = attrs::read(raw.obj, options);
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
        let capacity = capacity(&mut rec, &attrs, options);
        let respond_within_minutes = respond_within(&mut rec, &attrs);
        let requires_court_order = rec.flag(&attrs, "requires_court_order", "requires_court_order");
        let requires_referral_letter = rec.flag(
            &attrs,
            "requires_referral_letter",
            "requires_referral_letter",
        );
        let female_staff = rec.flag(&attrs, "female_staff", "female_staff");
        let trauma_informed = rec.flag(&attrs, "trauma_informed", "trauma_informed");
        let outreach = rec.flag(&attrs, "outreach", "outreach");
        let (service_areas, service_extents) = service_areas(&mut rec);
        let urls = super::urls::urls(&mut rec, &attrs, "url");
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
            respond_within_minutes,
            requires_court_order,
            requires_referral_letter,
            female_staff,
            trauma_informed,
            service_areas,
            service_extents,
            urls,
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
