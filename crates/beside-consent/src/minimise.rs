//! Minimisation: the view of a case record that a recipient may see.
//!
//! The record is any JSON object; a [`FieldMap`] says which data category each field belongs
//! to, by path. Paths are object keys joined by `.` (`person.phone`); arrays are transparent, so
//! `household.members.age` reaches the `age` of every member. A field takes the category of the
//! longest mapped path that leads to it, so `history` can be `trafficking_history` while
//! `history.health_notes` is `health`.
//!
//! A field is kept only if its category is permitted. A field no path maps is removed too
//! (default deny). Removed fields are dropped, never replaced; a container left empty by the
//! removals is dropped as well, and the view lists every removed path with why.
//!
//! Confidential places: a minimised view is cut from a case record, which holds the person's
//! own data and never a directory location, so no confidential location's address or
//! coordinates can appear in one (the whereabouts rule of `beside_referral::whereabouts` applies
//! to the outputs built from the directory). The workspace test `tests/confidential.rs` checks
//! the minimised sample case for every confidential location's coordinates and address.

use crate::evaluate::Decision;
use crate::record::DataCategory;
use beside_core::{Reason, Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Most rules a field map may hold.
pub const MAX_FIELD_RULES: usize = 2000;

/// One rule: the data under `path` belongs to `category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// Dotted path of object keys (`person.phone`).
    pub path: String,
    /// The category.
    pub category: DataCategory,
}

/// Which data category each field of a case record belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct FieldMap {
    /// The rules; each path at most once.
    pub rules: Vec<FieldRule>,
}

impl Validate for FieldMap {
    fn validate_with(&self, v: &mut Validator) {
        v.max_items("rules", &self.rules, MAX_FIELD_RULES);
        v.unique("rules", self.rules.iter().map(|r| r.path.as_str()));
        v.field("rules", |v| {
            for (i, r) in self.rules.iter().enumerate() {
                v.index(i, |v| {
                    v.text("path", &r.path, 512);
                    if r.path.split('.').any(str::is_empty) {
                        v.report_at(
                            "path",
                            Reason::Invalid {
                                expected: "object keys joined by `.`, none empty".into(),
                                value: r.path.clone(),
                            },
                        );
                    }
                });
            }
        });
    }
}

/// Why a field was left out of the view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Removal {
    /// Its category is not permitted.
    NotPermitted {
        /// The field's category.
        category: DataCategory,
    },
    /// No rule maps it to a category.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Unmapped,
}

/// A removed field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct RemovedField {
    /// Its path in the record, with array positions (`household.members[2].age`).
    pub path: String,
    /// Why.
    pub removal: Removal,
}

/// What a recipient may see of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MinimisedView {
    /// The record with every field outside the permitted categories removed.
    pub view: Value,
    /// The fields removed, in document order.
    pub removed: Vec<RemovedField>,
}

/// A field map ready for use: the category of each mapped path, and every path some rule lies
/// strictly below (where a value does not stand or fall as a whole).
struct FieldCategories<'a> {
    /// Each mapped path's category.
    exact: HashMap<&'a str, DataCategory>,
    /// Every proper prefix (whole segments) of a mapped path.
    parents: HashSet<&'a str>,
    /// The categories the recipient may see.
    permitted: BTreeSet<DataCategory>,
}

/// The view of `record` allowed by `decision`: only the categories it permits.
pub fn minimise(
    record: &Value,
    map: &FieldMap,
    decision: &Decision,
) -> Result<MinimisedView, crate::error::ConsentError> {
    minimise_to(record, map, &decision.permitted_categories())
}

/// The view of `record` with only the `permitted` categories.
pub fn minimise_to(
    record: &Value,
    map: &FieldMap,
    permitted: &[DataCategory],
) -> Result<MinimisedView, crate::error::ConsentError> {
    map.validate_at(chrono::Utc::now())?;
    let mut exact = HashMap::new();
    let mut parents = HashSet::new();
    for r in &map.rules {
        exact.insert(r.path.as_str(), r.category);
        // Every `.` ends a proper prefix of the path.
        for (end, _) in r.path.match_indices('.') {
            if let Some(p) = r.path.get(..end) {
                parents.insert(p);
            }
        }
    }
    let c = FieldCategories {
        exact,
        parents,
        permitted: permitted.iter().copied().collect(),
    };
    let mut removed = Vec::new();
    let view = match record {
        Value::Object(_) | Value::Array(_) => c
            .walk(record, "", "", None, &mut removed)
            .unwrap_or_else(|| Value::Object(Map::new())),
        _ => {
            removed.push(RemovedField {
                path: String::new(),
                removal: Removal::Unmapped,
            });
            Value::Object(Map::new())
        }
    };
    Ok(MinimisedView { view, removed })
}

impl FieldCategories<'_> {
    /// **Minimisation** (docs/rules.md, Consent: "a recipient sees only the fields of the
    /// categories a decision permits"): a field of `category` is kept only when that category
    /// is permitted; a field no rule maps is removed too (default deny).
    fn permits_field(&self, category: Option<DataCategory>) -> Result<(), Removal> {
        match category {
            Some(category) if self.permitted.contains(&category) => Ok(()),
            Some(category) => Err(Removal::NotPermitted { category }),
            None => Err(Removal::Unmapped),
        }
    }

    /// The kept part of `value` at key path `key_path` (display path `shown`), or `None` when
    /// nothing of it may be kept.
    fn walk(
        &self,
        value: &Value,
        key_path: &str,
        shown: &str,
        inherited: Option<DataCategory>,
        removed: &mut Vec<RemovedField>,
    ) -> Option<Value> {
        let category = self.exact.get(key_path).copied().or(inherited);
        let rules_below = key_path.is_empty() || self.parents.contains(key_path);
        let is_container = matches!(value, Value::Object(_) | Value::Array(_));
        if !(is_container && rules_below) {
            // Nothing below is mapped differently: the whole value stands or falls together.
            return match self.permits_field(category) {
                Ok(()) => Some(value.clone()),
                Err(removal) => {
                    removed.push(RemovedField {
                        path: shown.to_owned(),
                        removal,
                    });
                    None
                }
            };
        }
        match value {
            Value::Object(fields) => {
                let mut kept = Map::new();
                for (k, v) in fields {
                    let child_key = if key_path.is_empty() {
                        k.clone()
                    } else {
                        format!("{key_path}.{k}")
                    };
                    let child_shown = if shown.is_empty() {
                        k.clone()
                    } else {
                        format!("{shown}.{k}")
                    };
                    if let Some(v) = self.walk(v, &child_key, &child_shown, category, removed) {
                        kept.insert(k.clone(), v);
                    }
                }
                (!kept.is_empty()).then_some(Value::Object(kept))
            }
            Value::Array(items) => {
                let mut kept = Vec::new();
                for (i, v) in items.iter().enumerate() {
                    let child_shown = format!("{shown}[{i}]");
                    if let Some(v) = self.walk(v, key_path, &child_shown, inherited, removed) {
                        kept.push(v);
                    }
                }
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map() -> FieldMap {
        let rule = |p: &str, c| FieldRule {
            path: p.into(),
            category: c,
        };
        FieldMap {
            rules: vec![
                rule("name", DataCategory::Identity),
                rule("phone", DataCategory::Contact),
                rule("history", DataCategory::TraffickingHistory),
                rule("history.injuries", DataCategory::Health),
                rule("household.members.age", DataCategory::Identity),
            ],
        }
    }

    fn record() -> Value {
        json!({
            "name": "A",
            "phone": "017",
            "secret": "unmapped",
            "history": {"route": "Jessore to Kolkata", "injuries": "arm"},
            "household": {"members": [{"age": 40, "job": "farmer"}, {"age": 12}]}
        })
    }

    #[test]
    fn keeps_only_permitted_and_mapped_fields() {
        let v = minimise_to(
            &record(),
            &map(),
            &[DataCategory::Identity, DataCategory::TraffickingHistory],
        )
        .unwrap();
        assert_eq!(
            v.view,
            json!({
                "name": "A",
                "history": {"route": "Jessore to Kolkata"},
                "household": {"members": [{"age": 40}, {"age": 12}]}
            })
        );
        let paths: Vec<_> = v.removed.iter().map(|r| r.path.as_str()).collect();
        assert!(paths.contains(&"phone"));
        assert!(paths.contains(&"secret"));
        assert!(paths.contains(&"history.injuries"));
        assert!(paths.contains(&"household.members[0].job"));
    }

    #[test]
    fn nothing_permitted_leaves_an_empty_object() {
        let v = minimise_to(&record(), &map(), &[]).unwrap();
        assert_eq!(v.view, json!({}));
    }

    #[test]
    fn a_narrower_rule_can_only_remove() {
        let v = minimise_to(&record(), &map(), &[DataCategory::Health]).unwrap();
        assert_eq!(v.view, json!({"history": {"injuries": "arm"}}));
    }

    #[test]
    fn bad_paths_name_the_rule() {
        let mut m = map();
        m.rules.push(FieldRule {
            path: "a..b".into(),
            category: DataCategory::Health,
        });
        let e = minimise_to(&record(), &m, &[]).unwrap_err();
        assert!(e.has_path("rules[5].path"), "{e}");
    }
}
