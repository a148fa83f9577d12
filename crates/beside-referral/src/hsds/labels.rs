//! English words for the import report, as `beside_core::Labels` entries with `{param}`
//! templates, and rendering of report entries in any language a label table supplies.

use super::report::{FieldOutcome, FieldReport, RecordOutcome, RecordReport};
use beside_core::{Labels, LanguageCode};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The English resource of the HSDS import report (`locales/en/hsds.ftl`), complete: every key this
/// crate renders. Add it to [`beside_core::Labels`] with `Labels::english().with_english(..)`.
pub fn english_labels() -> &'static str {
    ENGLISH
}

/// The English resource of the HSDS import report, embedded.
pub const ENGLISH: &str = include_str!("../../locales/en/hsds.ftl");

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
