//! Reading HSDS JSON: recognising documents (objects, paged lists, tabular JSON) and collecting
//! their organisation, service, location and service_at_location records, nested or not.

use super::error::HsdsError;
use super::report::{RecordKind, RecordOutcome, RecordReport, SkipReason};
use serde_json::{Map, Value};

/// One HSDS record found in the input, with what its nesting says about it.
#[derive(Debug, Clone)]
pub(crate) struct RawRecord<'a> {
    pub kind: RecordKind,
    pub path: String,
    pub obj: &'a Map<String, Value>,
    /// The organisation it is nested in.
    pub parent_org: Option<String>,
    /// The service it is nested in (for service_at_location).
    pub parent_service: Option<String>,
}

/// Everything found in one input.
#[derive(Debug, Default)]
pub(crate) struct Collected<'a> {
    pub records: Vec<RawRecord<'a>>,
    /// Reports on parts that are not directory records (taxonomies, other tables).
    pub notes: Vec<RecordReport>,
}

/// A text value that is not blank, as given (not trimmed, so names travel exactly); numbers
/// and booleans written out; anything else is `None`.
pub(crate) fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key) {
        Some(Value::String(s)) => (!s.trim().is_empty()).then(|| s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

/// An optional HSDS text as written, or the empty text where the record leaves it out. HSDS
/// makes these fields optional, and a report quotes what was there: absent is written "".
pub(crate) fn text_or_empty(obj: &Map<String, Value>, key: &str) -> String {
    text(obj, key).unwrap_or_default()
}

/// A number, given as a JSON number or as text (CSV): `Ok(None)` when absent or empty.
pub(crate) fn number(obj: &Map<String, Value>, key: &str) -> Result<Option<f64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or_else(|| n.to_string()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| s.clone()),
        Some(other) => Err(other.to_string()),
    }
}

/// Whether a value carries nothing (null, blank text, empty list or object).
pub(crate) fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The objects of list `key` with their index (non-objects are left out).
pub(crate) fn objects<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
) -> Vec<(usize, &'a Map<String, Value>)> {
    match obj.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_object().map(|o| (i, o)))
            .collect(),
        _ => Vec::new(),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path == "$" || path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// What a JSON object looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Record(RecordKind),
    List,
    Tabular,
    /// A document that holds no directory record: its HSDS name.
    Other(&'static str),
    Unknown,
}

/// Recognise an HSDS document by its fields.
pub(crate) fn shape(obj: &Map<String, Value>) -> Shape {
    let has = |k: &str| obj.contains_key(k);
    if !obj.is_empty() && obj.iter().all(|(k, v)| k.ends_with(".csv") && v.is_array()) {
        return Shape::Tabular;
    }
    if has("contents") && obj.get("contents").is_some_and(Value::is_array) {
        return Shape::List;
    }
    if has("openapi_url") || (has("version") && has("profile")) {
        return Shape::Other("base");
    }
    if has("code") && (has("taxonomy") || has("taxonomy_id") || has("taxonomy_detail"))
        || has("parent_id") && has("term_uri")
    {
        return Shape::Other("taxonomy_term");
    }
    if has("status") {
        return Shape::Record(RecordKind::Service);
    }
    if has("location_type") || has("addresses") || has("latitude") || has("longitude") {
        return Shape::Record(RecordKind::Location);
    }
    if has("service") || has("location") || has("service_id") || has("location_id") {
        return Shape::Record(RecordKind::ServiceAtLocation);
    }
    let taxonomy_keys = ["id", "name", "description", "uri", "version", "metadata"];
    if has("version") && obj.keys().all(|k| taxonomy_keys.contains(&k.as_str())) {
        return Shape::Other("taxonomy");
    }
    if has("name") {
        return Shape::Record(RecordKind::Organization);
    }
    Shape::Unknown
}

impl<'a> Collected<'a> {
    fn push(&mut self, r: RawRecord<'a>, max: usize) -> Result<(), HsdsError> {
        if self.records.len() >= max {
            return Err(HsdsError::TooManyRecords { max });
        }
        self.records.push(r);
        Ok(())
    }

    fn note(&mut self, kind: RecordKind, path: &str, reason: SkipReason) {
        self.notes.push(RecordReport {
            kind,
            id: None,
            path: path.to_owned(),
            outcome: RecordOutcome::Skipped { reason },
            fields: Vec::new(),
        });
    }

    /// Collect a whole JSON document (object, list, or array of objects). `forced` treats
    /// every top-level record as that kind instead of recognising it.
    pub(crate) fn document(
        &mut self,
        value: &'a Value,
        forced: Option<RecordKind>,
        max: usize,
    ) -> Result<(), HsdsError> {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.item(item, &format!("[{i}]"), forced, max)?;
                }
                Ok(())
            }
            Value::Object(obj) => match (forced, shape(obj)) {
                (_, Shape::List) => {
                    let items = obj.get("contents").and_then(Value::as_array);
                    // A paged list holds one kind: an item missing the fields that tell its
                    // kind (a service without `status`) is taken to be of its siblings' kind.
                    let sibling =
                        items
                            .into_iter()
                            .flatten()
                            .find_map(|v| match v.as_object().map(shape) {
                                Some(Shape::Record(k)) => Some(k),
                                _ => None,
                            });
                    for (i, item) in items.into_iter().flatten().enumerate() {
                        let known = item
                            .as_object()
                            .is_some_and(|o| matches!(shape(o), Shape::Record(_)));
                        let kind = if known { forced } else { forced.or(sibling) };
                        self.item(item, &format!("contents[{i}]"), kind, max)?;
                    }
                    Ok(())
                }
                (None, Shape::Tabular) => Err(HsdsError::NotHsds {
                    path: "$".into(),
                    expected: "an HSDS object or list (read tabular JSON with import_tabular_json)"
                        .into(),
                    got: "tabular JSON".into(),
                }),
                _ => self.item(value, "$", forced, max),
            },
            other => Err(HsdsError::NotHsds {
                path: "$".into(),
                expected: "an HSDS object or list".into(),
                got: json_type(other).into(),
            }),
        }
    }

    fn item(
        &mut self,
        value: &'a Value,
        path: &str,
        forced: Option<RecordKind>,
        max: usize,
    ) -> Result<(), HsdsError> {
        let Some(obj) = value.as_object() else {
            self.note(
                RecordKind::Document,
                path,
                SkipReason::Unrecognised {
                    kind: json_type(value).into(),
                },
            );
            return Ok(());
        };
        let kind = match forced {
            Some(k) => Shape::Record(k),
            None => shape(obj),
        };
        match kind {
            Shape::Record(RecordKind::Organization) => self.organization(obj, path, max),
            Shape::Record(RecordKind::Service) => self.service(obj, path, None, max),
            Shape::Record(RecordKind::Location) => self.location(obj, path, None, max),
            Shape::Record(RecordKind::ServiceAtLocation) => {
                self.service_at_location(obj, path, None, None, max)
            }
            Shape::Record(_) | Shape::Unknown | Shape::List | Shape::Tabular => {
                // Something in a record's place that is no HSDS record we know: a directory
                // record we could not read, so the import is incomplete.
                self.notes.push(RecordReport {
                    kind: RecordKind::Document,
                    id: text(obj, "id"),
                    path: path.to_owned(),
                    outcome: RecordOutcome::Skipped {
                        reason: SkipReason::Unrecognised {
                            kind: "unknown".into(),
                        },
                    },
                    fields: Vec::new(),
                });
                Ok(())
            }
            Shape::Other(name) => {
                self.note(
                    RecordKind::Document,
                    path,
                    SkipReason::OutsideDirectory { rows: 1 },
                );
                if let Some(last) = self.notes.last_mut() {
                    last.id = text(obj, "id").or_else(|| Some(name.to_owned()));
                }
                Ok(())
            }
        }
    }

    pub(crate) fn organization(
        &mut self,
        obj: &'a Map<String, Value>,
        path: &str,
        max: usize,
    ) -> Result<(), HsdsError> {
        let id = text(obj, "id");
        self.push(
            RawRecord {
                kind: RecordKind::Organization,
                path: path.to_owned(),
                obj,
                parent_org: None,
                parent_service: None,
            },
            max,
        )?;
        for (i, loc) in objects(obj, "locations") {
            self.location(
                loc,
                &join(path, &format!("locations[{i}]")),
                id.clone(),
                max,
            )?;
        }
        for (i, svc) in objects(obj, "services") {
            self.service(svc, &join(path, &format!("services[{i}]")), id.clone(), max)?;
        }
        Ok(())
    }

    pub(crate) fn service(
        &mut self,
        obj: &'a Map<String, Value>,
        path: &str,
        parent_org: Option<String>,
        max: usize,
    ) -> Result<(), HsdsError> {
        let id = text(obj, "id");
        if let Some(org) = obj.get("organization").and_then(Value::as_object) {
            self.organization(org, &join(path, "organization"), max)?;
        }
        let org_id = text(obj, "organization_id")
            .or_else(|| {
                obj.get("organization")
                    .and_then(Value::as_object)
                    .and_then(|o| text(o, "id"))
            })
            .or(parent_org.clone());
        self.push(
            RawRecord {
                kind: RecordKind::Service,
                path: path.to_owned(),
                obj,
                parent_org,
                parent_service: None,
            },
            max,
        )?;
        for (i, sal) in objects(obj, "service_at_locations") {
            self.service_at_location(
                sal,
                &join(path, &format!("service_at_locations[{i}]")),
                id.clone(),
                org_id.clone(),
                max,
            )?;
        }
        Ok(())
    }

    pub(crate) fn location(
        &mut self,
        obj: &'a Map<String, Value>,
        path: &str,
        parent_org: Option<String>,
        max: usize,
    ) -> Result<(), HsdsError> {
        self.push(
            RawRecord {
                kind: RecordKind::Location,
                path: path.to_owned(),
                obj,
                parent_org,
                parent_service: None,
            },
            max,
        )
    }

    pub(crate) fn service_at_location(
        &mut self,
        obj: &'a Map<String, Value>,
        path: &str,
        parent_service: Option<String>,
        parent_org: Option<String>,
        max: usize,
    ) -> Result<(), HsdsError> {
        if let Some(svc) = obj.get("service").and_then(Value::as_object) {
            self.service(svc, &join(path, "service"), None, max)?;
        }
        if let Some(loc) = obj.get("location").and_then(Value::as_object) {
            self.location(loc, &join(path, "location"), None, max)?;
        }
        self.push(
            RawRecord {
                kind: RecordKind::ServiceAtLocation,
                path: path.to_owned(),
                obj,
                parent_org,
                parent_service,
            },
            max,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes() {
        let s = |v: Value| v.as_object().map(shape);
        assert_eq!(
            s(json!({"id": "1", "name": "n", "status": "active"})),
            Some(Shape::Record(RecordKind::Service))
        );
        assert_eq!(
            s(json!({"id": "1", "location_type": "physical"})),
            Some(Shape::Record(RecordKind::Location))
        );
        assert_eq!(
            s(json!({"id": "1", "service_id": "2", "location_id": "3"})),
            Some(Shape::Record(RecordKind::ServiceAtLocation))
        );
        assert_eq!(
            s(json!({"id": "1", "name": "n", "description": "d"})),
            Some(Shape::Record(RecordKind::Organization))
        );
        assert_eq!(
            s(json!({"id": "1", "name": "n", "description": "d", "version": "1"})),
            Some(Shape::Other("taxonomy"))
        );
        assert_eq!(s(json!({"contents": []})), Some(Shape::List));
        assert_eq!(s(json!({"services.csv": []})), Some(Shape::Tabular));
        assert_eq!(s(json!({"id": "1"})), Some(Shape::Unknown));
    }

    #[test]
    fn numbers_from_text_and_json() {
        let o = json!({"a": 1.5, "b": " 12 ", "c": "", "d": "x", "e": true});
        let o = o.as_object().unwrap();
        assert_eq!(number(o, "a"), Ok(Some(1.5)));
        assert_eq!(number(o, "b"), Ok(Some(12.0)));
        assert_eq!(number(o, "c"), Ok(None));
        assert_eq!(number(o, "z"), Ok(None));
        assert!(number(o, "d").is_err());
        assert!(number(o, "e").is_err());
    }
}
