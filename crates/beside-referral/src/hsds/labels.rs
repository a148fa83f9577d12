//! English words for the import report, as `beside_core::Labels` entries with `{param}`
//! templates, and rendering of report entries in any language a label table supplies.

use super::report::{FieldOutcome, FieldReport, RecordOutcome, RecordReport};
use beside_core::{Labels, LanguageCode};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The English label entries of the HSDS import report.
pub fn english_labels() -> BTreeMap<String, String> {
    let entries: &[(&str, &str)] = &[
        ("hsds.outcome.carried", "{field}: carried from {from}"),
        (
            "hsds.outcome.inferred",
            "{field}: inferred from {from}: {rule}",
        ),
        (
            "hsds.outcome.defaulted",
            "{field}: set to {value}: {reason}",
        ),
        ("hsds.outcome.skipped", "{field}: not carried: {reason}"),
        ("hsds.record.imported", "{kind} {id} at {path}: imported"),
        (
            "hsds.record.duplicate",
            "{kind} {id} at {path}: a repeat of the one at {first_path}",
        ),
        (
            "hsds.record.skipped",
            "{kind} {id} at {path}: skipped: {reason}",
        ),
        (
            "hsds.infer.taxonomy_terms",
            "mapped from taxonomy terms {terms}",
        ),
        ("hsds.infer.keywords", "keywords found: {keywords}"),
        (
            "hsds.infer.interpretation_text",
            "the interpretation text does not say none",
        ),
        (
            "hsds.infer.organization_of_services",
            "the organisation of the services delivered there (its own organization_id: {dangling})",
        ),
        (
            "hsds.infer.status_synonym",
            "HSDS status `{value}` means inactive",
        ),
        (
            "hsds.infer.cost_options",
            "{usable} of {count} cost options usable; the highest kept",
        ),
        (
            "hsds.infer.address",
            "country, state or province and city of the first of {count} addresses",
        ),
        ("hsds.infer.name_from", "named after its {field}"),
        (
            "hsds.infer.requirement_without_value",
            "the requirement {term} is attached with no value, so it counts as required",
        ),
        (
            "hsds.infer.location_languages",
            "the service has none of its own; taken from its locations {locations}",
        ),
        (
            "hsds.infer.area_name",
            "the area named {name} is {area} among the directory's locations",
        ),
        (
            "hsds.infer.service_capacities",
            "open places of {count} service capacities together",
        ),
        (
            "hsds.infer.capped_at_maximum",
            "{available} available is more than the maximum {maximum}; the maximum counts",
        ),
        (
            "hsds.default.safe_reading",
            "the value could not be read; the safe reading was taken",
        ),
        (
            "hsds.skip.capacity_conflict",
            "says {attribute} but service_capacity says {service_capacity}, which was used",
        ),
        (
            "hsds.skip.unknown_unit",
            "capacity unit {unit} is not one that counts places ({known})",
        ),
        (
            "hsds.skip.ambiguous_area_name",
            "the area named {name} matches several areas: {candidates}",
        ),
        ("hsds.skip.superseded", "given more exactly by {by}, which was used"),
        (
            "hsds.default.not_in_hsds",
            "HSDS has no such field and no beside attribute gave it",
        ),
        (
            "hsds.default.absent",
            "HSDS field {hsds_field} was absent or empty",
        ),
        ("hsds.default.configured", "the import option {option}"),
        (
            "hsds.default.truncated",
            "cut to {max} characters from {got}",
        ),
        (
            "hsds.skip.not_modelled",
            "Beside does not hold this HSDS field",
        ),
        ("hsds.skip.invalid", "invalid value ({reason})"),
        (
            "hsds.skip.missing_required",
            "required field {field} is missing",
        ),
        (
            "hsds.skip.no_country",
            "no address gives a country and no default country is set",
        ),
        (
            "hsds.skip.no_organization",
            "no organisation found (it refers to {referenced})",
        ),
        (
            "hsds.skip.unknown_reference",
            "refers to {id}, which is not in the input",
        ),
        (
            "hsds.skip.no_domain",
            "no need domain maps (terms: {terms}) and no fallback is set",
        ),
        (
            "hsds.skip.unmapped_term",
            "taxonomy term {taxonomy}/{term} has no mapping",
        ),
        (
            "hsds.skip.free_text_area",
            "the service area is described in words, not as an area",
        ),
        (
            "hsds.skip.unknown_beside_code",
            "unknown beside attribute code {attribute_code}",
        ),
        (
            "hsds.skip.conflicting_duplicate",
            "differs from the copy at {first_path}, which was kept",
        ),
        (
            "hsds.skip.failed_validation",
            "failed Beside's checks: {errors}",
        ),
        (
            "hsds.skip.unrecognised",
            "not an HSDS record this importer reads ({kind})",
        ),
        (
            "hsds.skip.outside_directory",
            "holds no directory records ({rows} rows)",
        ),
    ];
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn flat(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "none".to_owned(),
        Value::Array(items) => items.iter().map(flat).collect::<Vec<_>>().join(", "),
        Value::Object(o) => match o.get("code") {
            Some(Value::String(code)) => {
                let rest: Vec<String> = o
                    .iter()
                    .filter(|(k, _)| k.as_str() != "code")
                    .map(|(k, v)| format!("{k} {}", flat(v)))
                    .collect();
                if rest.is_empty() {
                    code.clone()
                } else {
                    format!("{code}: {}", rest.join(", "))
                }
            }
            _ => Value::Object(o.clone()).to_string(),
        },
        other => other.to_string(),
    }
}

/// Render a tagged reason (`{"code": "...", ...}`) with the `prefix.code` label.
fn render_tagged<T: Serialize>(
    value: &T,
    prefix: &str,
    labels: &Labels,
    language: &LanguageCode,
) -> String {
    let v = beside_core::json::to_value_for_words(value);
    let Some(obj) = v.as_object() else {
        return flat(&v);
    };
    let code = obj.get("code").map(flat).unwrap_or_default();
    let params: BTreeMap<String, String> = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "code")
        .map(|(k, v)| (k.clone(), flat(v)))
        .collect();
    labels.render(&format!("{prefix}.{code}"), language, &params)
}

impl FieldReport {
    /// This entry in words, from `labels` (add [`english_labels`] to them).
    pub fn render(&self, labels: &Labels, language: &LanguageCode) -> String {
        let mut params = BTreeMap::from([("field".to_owned(), self.field.clone())]);
        let key = match &self.outcome {
            FieldOutcome::Carried { from } => {
                params.insert("from".into(), from.clone());
                "hsds.outcome.carried"
            }
            FieldOutcome::Inferred { from, rule } => {
                params.insert("from".into(), from.clone());
                params.insert(
                    "rule".into(),
                    render_tagged(rule, "hsds.infer", labels, language),
                );
                "hsds.outcome.inferred"
            }
            FieldOutcome::Defaulted { value, reason } => {
                params.insert("value".into(), value.clone());
                params.insert(
                    "reason".into(),
                    render_tagged(reason, "hsds.default", labels, language),
                );
                "hsds.outcome.defaulted"
            }
            FieldOutcome::Skipped { reason } => {
                params.insert(
                    "reason".into(),
                    render_tagged(reason, "hsds.skip", labels, language),
                );
                "hsds.outcome.skipped"
            }
        };
        labels.render(key, language, &params)
    }
}

impl RecordReport {
    /// This record's outcome in words, from `labels` (add [`english_labels`] to them).
    pub fn render(&self, labels: &Labels, language: &LanguageCode) -> String {
        let mut params = BTreeMap::from([
            ("kind".to_owned(), self.kind.key().to_owned()),
            ("id".to_owned(), self.id.clone().unwrap_or_default()),
            ("path".to_owned(), self.path.clone()),
        ]);
        let key = match &self.outcome {
            RecordOutcome::Imported => "hsds.record.imported",
            RecordOutcome::Duplicate { first_path } => {
                params.insert("first_path".into(), first_path.clone());
                "hsds.record.duplicate"
            }
            RecordOutcome::Skipped { reason } => {
                params.insert(
                    "reason".into(),
                    render_tagged(reason, "hsds.skip", labels, language),
                );
                "hsds.record.skipped"
            }
        };
        labels.render(key, language, &params)
    }
}

#[cfg(test)]
mod tests {
    use super::super::report::{RecordKind, SkipReason};
    use super::*;

    #[test]
    fn renders_with_figures() {
        let labels = Labels::english().with_english(english_labels());
        let en = LanguageCode::new("en").unwrap();
        let r = RecordReport {
            kind: RecordKind::Service,
            id: Some("s1".into()),
            path: "contents[0]".into(),
            outcome: RecordOutcome::Skipped {
                reason: SkipReason::NoDomain {
                    terms: vec!["airs/BD".into()],
                },
            },
            fields: vec![],
        };
        assert_eq!(
            r.render(&labels, &en),
            "service s1 at contents[0]: skipped: no need domain maps (terms: airs/BD) and no fallback is set"
        );
        let f = FieldReport {
            field: "latitude".into(),
            outcome: FieldOutcome::Skipped {
                reason: SkipReason::Invalid {
                    reason: beside_core::Reason::AboveMaximum {
                        max: 90.0,
                        got: 100.0,
                    },
                },
            },
        };
        assert_eq!(
            f.render(&labels, &en),
            "latitude: not carried: invalid value (above_maximum: got 100.0, max 90.0)"
        );
    }
}
