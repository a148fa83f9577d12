//! Offline merge, the parts every record shares (the brief's "Field realities": a case is edited
//! on several phones offline for days; merging must never lose a record and never settle a
//! conflict silently).
//!
//! A merge is three-way: the version both devices last shared (`base`, when known) and each
//! device's version since ([`Version`]: the value, who edited it last and when). Each domain
//! crate merges its own records with its own rules (consent: a refusal or a revocation from
//! either side wins; referrals: the merged history is a valid lifecycle) and uses these rules for
//! the plain fields:
//!
//! - [`merge_field`]: a field changed on one side only takes that change; the same change on
//!   both sides is one change; two different changes are a [`Conflict`] carrying both values
//!   with who and when. Objects are merged key by key, so two edits of different keys of one
//!   object do not conflict.
//! - [`settle`]: the value a conflicted field holds until someone resolves it — the later edit
//!   (ties: the smaller JSON text), so the merged value does not depend on which device is
//!   "ours". The conflict says which value was kept ([`Kept`]).
//!
//! Merging is commutative up to the order of conflicts and the naming of the sides (swap
//! `ours` and `theirs` and the same value comes out, with the same conflicts mirrored), and
//! idempotent (a version merged with itself is itself, with no conflict).

use crate::{Timestamp, WorkerId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One device's version of a record: the value, and who edited it last and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Version<T> {
    /// The record as this device has it.
    pub value: T,
    /// Who edited it last on this device, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_by: Option<WorkerId>,
    /// When it was last edited on this device.
    pub edited_at: Timestamp,
}

impl<T> Version<T> {
    /// Who and when, without the value.
    pub fn edit(&self) -> Edit {
        Edit {
            by: self.edited_by.clone(),
            at: self.edited_at,
        }
    }
}

/// Who made an edit, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// Who, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<WorkerId>,
    /// When.
    pub at: Timestamp,
}

/// Which value a conflicted field holds in the merged record, until someone resolves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Kept {
    /// The later edit's value (ties: the smaller JSON text): see [`settle`].
    #[serde(deserialize_with = "crate::json::tag_only")]
    LaterEdit,
    /// A refusal wins over a consent (consent records).
    #[serde(deserialize_with = "crate::json::tag_only")]
    Refusal,
    /// The earlier of two revocations: the record stopped counting at the first.
    #[serde(deserialize_with = "crate::json::tag_only")]
    EarlierRevocation,
    /// The person's withdrawal wins over progress on the other device (referrals).
    #[serde(deserialize_with = "crate::json::tag_only")]
    Withdrawal,
    /// The person's "not now" (a phase she declined) wins (journeys).
    #[serde(deserialize_with = "crate::json::tag_only")]
    PersonDeclined,
}

/// Two different edits of one field, flagged for a person to resolve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// The field, as a path in the record's JSON (`subject.guardians`, `records[c-12]`).
    pub path: String,
    /// Its value in the shared version; `None` when it had none (or there is no base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Value>,
    /// Our value (`null` when our version removed it).
    pub ours: Value,
    /// Who edited ours, and when.
    pub ours_edit: Edit,
    /// Their value (`null` when their version removed it).
    pub theirs: Value,
    /// Who edited theirs, and when.
    pub theirs_edit: Edit,
    /// Which value the merged record holds until it is resolved, and by which rule.
    pub kept: Kept,
}

impl Conflict {
    /// The same conflict seen from the other device: `ours` and `theirs` swapped.
    pub fn mirrored(&self) -> Conflict {
        Conflict {
            path: self.path.clone(),
            base: self.base.clone(),
            ours: self.theirs.clone(),
            ours_edit: self.theirs_edit.clone(),
            theirs: self.ours.clone(),
            theirs_edit: self.ours_edit.clone(),
            kept: self.kept,
        }
    }

    /// A form that is the same from either device (for comparing merges): the sides in a
    /// fixed order.
    pub fn unordered(&self) -> Conflict {
        if json_text(&self.ours) <= json_text(&self.theirs) {
            self.clone()
        } else {
            self.mirrored()
        }
    }
}

/// A value's compact JSON text: the order ties are broken in, the same on every device.
pub fn json_text(v: &Value) -> String {
    v.to_string()
}

/// The value a conflicted field holds until resolved: the later edit's (ties: the smaller JSON
/// text), whichever device is "ours".
pub fn settle<'v>(
    ours: &'v Value,
    ours_at: Timestamp,
    theirs: &'v Value,
    theirs_at: Timestamp,
) -> &'v Value {
    match ours_at.cmp(&theirs_at) {
        std::cmp::Ordering::Greater => ours,
        std::cmp::Ordering::Less => theirs,
        std::cmp::Ordering::Equal if json_text(ours) <= json_text(theirs) => ours,
        std::cmp::Ordering::Equal => theirs,
    }
}

/// The two sides' edits, for the conflicts of one merge.
#[derive(Debug, Clone)]
pub struct Sides {
    /// Who edited ours, and when.
    pub ours: Edit,
    /// Who edited theirs, and when.
    pub theirs: Edit,
}

impl Sides {
    /// The sides of two versions.
    pub fn of<T>(ours: &Version<T>, theirs: &Version<T>) -> Self {
        Sides {
            ours: ours.edit(),
            theirs: theirs.edit(),
        }
    }

    /// A conflict at `path` between `ours` and `theirs`, holding `kept`.
    pub fn conflict(
        &self,
        path: &str,
        base: Option<&Value>,
        ours: Option<&Value>,
        theirs: Option<&Value>,
        kept: Kept,
    ) -> Conflict {
        Conflict {
            path: path.to_owned(),
            base: base.cloned(),
            ours: ours.cloned().unwrap_or(Value::Null),
            ours_edit: self.ours.clone(),
            theirs: theirs.cloned().unwrap_or(Value::Null),
            theirs_edit: self.theirs.clone(),
            kept,
        }
    }
}

/// **Three-way merge of one field** (`None`: absent). A change on one side only is taken; the
/// same change on both is one; objects are merged key by key; two different changes are a
/// conflict (pushed to `conflicts`), the field holding the value [`settle`] picks.
pub fn merge_field(
    path: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    // A JSON `null` is an absent field (serde reads both as `None`).
    let (base, ours, theirs) = (present(base), present(ours), present(theirs));
    if ours == theirs {
        return ours.cloned();
    }
    if base == ours {
        return theirs.cloned();
    }
    if base == theirs {
        return ours.cloned();
    }
    if let (Some(Value::Object(o)), Some(Value::Object(t))) = (ours, theirs) {
        let b = match base {
            Some(Value::Object(b)) => Some(b),
            _ => None,
        };
        return Some(Value::Object(merge_objects(
            path, b, o, t, sides, conflicts,
        )));
    }
    conflicts.push(sides.conflict(path, base, ours, theirs, Kept::LaterEdit));
    let (null_o, null_t) = (Value::Null, Value::Null);
    let kept = settle(
        ours.unwrap_or(&null_o),
        sides.ours.at,
        theirs.unwrap_or(&null_t),
        sides.theirs.at,
    );
    // A removal kept is an absent field.
    (!kept.is_null()).then(|| kept.clone())
}

/// `None` for an absent field or a JSON `null`.
fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

/// Key-by-key merge of two objects (see [`merge_field`]); keys in sorted order.
fn merge_objects(
    path: &str,
    base: Option<&Map<String, Value>>,
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Map<String, Value> {
    let mut keys: Vec<&String> = ours.keys().chain(theirs.keys()).collect();
    if let Some(b) = base {
        keys.extend(b.keys());
    }
    keys.sort();
    keys.dedup();
    let mut out = Map::new();
    for k in keys {
        let at = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        let merged = merge_field(
            &at,
            base.and_then(|b| b.get(k)),
            ours.get(k),
            theirs.get(k),
            sides,
            conflicts,
        );
        if let Some(v) = merged {
            out.insert(k.clone(), v);
        }
    }
    out
}

/// **A whole record merged field by field** through its JSON ([`merge_field`] at `path`): the
/// typed form of a three-way merge, for records (or parts of one) that have no rule of their own.
pub fn merge_typed<T: Serialize + serde::de::DeserializeOwned>(
    path: &str,
    base: Option<&T>,
    ours: &T,
    theirs: &T,
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Result<T, MergeError> {
    let base = base.map(to_value).transpose()?;
    let merged = merge_field(
        path,
        base.as_ref(),
        Some(&to_value(ours)?),
        Some(&to_value(theirs)?),
        sides,
        conflicts,
    );
    // INVARIANT: two present versions merge to a present value.
    from_value(merged.ok_or_else(|| MergeError::Invalid {
        reason: format!("`{path}` merged to nothing"),
    })?)
}

/// **Appended facts, unioned by id**: every item any version holds is in the merge (a phone that
/// lacks one has not seen it yet), in id order; an item both phones hold in different versions is
/// merged field by field ([`merge_field`], paths `<path>[<id>].<field>`).
pub fn union_by_id<T>(
    path: &str,
    base: &[T],
    ours: &[T],
    theirs: &[T],
    id: impl Fn(&T) -> String,
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Result<Vec<T>, MergeError>
where
    T: Serialize + serde::de::DeserializeOwned + Clone + PartialEq,
{
    use std::collections::BTreeMap;
    let by_id =
        |items: &[T]| -> BTreeMap<String, T> { items.iter().map(|x| (id(x), x.clone())).collect() };
    let (b, o, t) = (by_id(base), by_id(ours), by_id(theirs));
    let mut ids: Vec<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut out = Vec::with_capacity(ids.len());
    for key in ids {
        let item = match (o.get(key), t.get(key)) {
            (Some(x), Some(y)) if x == y => x.clone(),
            (Some(x), Some(y)) => merge_typed(
                &format!("{path}[{key}]"),
                b.get(key),
                x,
                y,
                sides,
                conflicts,
            )?,
            (Some(one), None) | (None, Some(one)) => one.clone(),
            // INVARIANT: `key` came from one of the three maps, so it is in the base here.
            (None, None) => b.get(key).cloned().ok_or_else(|| MergeError::Invalid {
                reason: format!("{path}[{key}] is in no version"),
            })?,
        };
        out.push(item);
    }
    Ok(out)
}

/// Every item of the shared version and of both phones' belongs to the record `expected`: its
/// `field` (such as `case_id`), read by `of`, is `expected`.
pub fn all_of_record<T>(
    field: &str,
    expected: &str,
    base: &[T],
    ours: &Version<Vec<T>>,
    theirs: &Version<Vec<T>>,
    of: impl Fn(&T) -> &str,
) -> Result<(), MergeError> {
    let mut items = base.iter().chain(&ours.value).chain(&theirs.value);
    match items.find(|x| of(x) != expected) {
        Some(other) => Err(MergeError::DifferentRecords {
            field: field.to_owned(),
            ours: expected.to_owned(),
            theirs: of(other).to_owned(),
        }),
        None => Ok(()),
    }
}

/// A merged case profile and the conflicts flagged in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MergedCaseProfile {
    /// The merged profile, checked as a profile is checked.
    pub profile: crate::CaseProfile,
    /// Two different edits of one field, each with both values, who and when.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

/// **Merge two phones' versions of a case profile** field by field ([`merge_field`]; lists such
/// as the guardians are one field each), checking the result at `now`.
pub fn merge_case_profiles(
    base: Option<&crate::CaseProfile>,
    ours: &Version<crate::CaseProfile>,
    theirs: &Version<crate::CaseProfile>,
    now: Timestamp,
) -> Result<MergedCaseProfile, MergeError> {
    use crate::Validate;
    let (o, t) = (&ours.value, &theirs.value);
    same_record(
        "case_id",
        o.case_id.as_str(),
        t.case_id.as_str(),
        base.map(|b| b.case_id.as_str()),
    )?;
    let sides = Sides::of(ours, theirs);
    let mut conflicts = Vec::new();
    let profile = merge_typed("", base, o, t, &sides, &mut conflicts)?;
    profile.validate_at(now).map_err(|e| MergeError::Invalid {
        reason: e.to_string(),
    })?;
    Ok(MergedCaseProfile { profile, conflicts })
}

impl Kept {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Kept::LaterEdit => "later_edit",
            Kept::Refusal => "refusal",
            Kept::EarlierRevocation => "earlier_revocation",
            Kept::Withdrawal => "withdrawal",
            Kept::PersonDeclined => "person_declined",
        }
    }
}

/// A value of a conflict in words: text as it is, a number, "a list of 3", "a record".
fn render_value(v: &Value, labels: &crate::Labels, lang: &crate::LanguageCode) -> String {
    use std::collections::BTreeMap;
    match v {
        Value::Null => labels.render("merge.absent", lang, &BTreeMap::new()),
        Value::String(s) => format!("“{s}”"),
        Value::Array(items) => labels.render(
            "merge.items",
            lang,
            &BTreeMap::from([("count".to_owned(), items.len().to_string())]),
        ),
        Value::Object(_) => labels.render("merge.record", lang, &BTreeMap::new()),
        other => other.to_string(),
    }
}

/// A conflict in words, for the person who resolves it: the field, both values with who and
/// when, and what is kept meanwhile.
pub fn render_conflict(c: &Conflict, labels: &crate::Labels, lang: &crate::LanguageCode) -> String {
    use std::collections::BTreeMap;
    let who = |e: &Edit| {
        e.by.as_ref().map_or_else(
            || labels.render("merge.someone", lang, &BTreeMap::new()),
            |w| w.to_string(),
        )
    };
    let params = BTreeMap::from([
        ("path".to_owned(), c.path.clone()),
        ("ours".to_owned(), render_value(&c.ours, labels, lang)),
        ("ours_by".to_owned(), who(&c.ours_edit)),
        (
            "ours_at".to_owned(),
            c.ours_edit.at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        ("theirs".to_owned(), render_value(&c.theirs, labels, lang)),
        ("theirs_by".to_owned(), who(&c.theirs_edit)),
        (
            "theirs_at".to_owned(),
            c.theirs_edit.at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        (
            "kept".to_owned(),
            labels.render(
                &format!("merge.kept.{}", c.kept.key()),
                lang,
                &BTreeMap::new(),
            ),
        ),
    ]);
    labels.render("merge.conflict", lang, &params)
}

/// Merging records that are not versions of one record: two different cases, say. Serialised
/// with its `code` (`different_records`, `invalid_merge`, `merge_json`), as every binding
/// receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum MergeError {
    /// The versions belong to different records (`field` differs).
    #[error(
        "cannot merge: {field} differs (`{ours}` and `{theirs}`): these are different records"
    )]
    DifferentRecords {
        /// The identifying field.
        field: String,
        /// Ours.
        ours: String,
        /// Theirs.
        theirs: String,
    },
    /// The merged record failed its own checks (a bug in a merge rule, never the caller's input:
    /// each side was valid).
    #[error("the merged record is invalid: {reason}")]
    #[serde(rename = "invalid_merge")]
    Invalid {
        /// Why.
        reason: String,
    },
    /// A record could not be turned into JSON or back.
    #[error("merge: {reason}")]
    #[serde(rename = "merge_json")]
    Json {
        /// Why.
        reason: String,
    },
}

/// Fail unless `field` is the same in every version (the record's identity).
pub fn same_record(
    field: &str,
    ours: &str,
    theirs: &str,
    base: Option<&str>,
) -> Result<(), MergeError> {
    let other = if ours != theirs {
        Some(theirs)
    } else {
        base.filter(|b| *b != ours)
    };
    match other {
        Some(other) => Err(MergeError::DifferentRecords {
            field: field.to_owned(),
            ours: ours.to_owned(),
            theirs: other.to_owned(),
        }),
        None => Ok(()),
    }
}

/// A record as JSON, for field merging.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, MergeError> {
    serde_json::to_value(value).map_err(|e| MergeError::Json {
        reason: e.to_string(),
    })
}

/// A record back from merged JSON.
pub fn from_value<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, MergeError> {
    serde_json::from_value(value).map_err(|e| MergeError::Json {
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    fn sides(ours_min: u32, theirs_min: u32) -> Sides {
        let at = |m| Utc.with_ymd_and_hms(2026, 3, 1, 9, m, 0).unwrap();
        Sides {
            ours: Edit {
                by: Some(WorkerId::new("w-ours").unwrap()),
                at: at(ours_min),
            },
            theirs: Edit {
                by: Some(WorkerId::new("w-theirs").unwrap()),
                at: at(theirs_min),
            },
        }
    }

    #[test]
    fn one_sided_and_identical_changes_are_taken_without_conflict() {
        let (b, o, t) = (
            json!({"a": 1, "b": 1}),
            json!({"a": 2, "b": 1}),
            json!({"a": 1, "b": 3}),
        );
        let mut c = Vec::new();
        let m = merge_field("", Some(&b), Some(&o), Some(&t), &sides(1, 2), &mut c);
        assert_eq!(m, Some(json!({"a": 2, "b": 3})));
        assert!(c.is_empty());
    }

    #[test]
    fn two_different_edits_are_a_conflict_with_who_and_when() {
        let (b, o, t) = (
            json!({"name": "Rina"}),
            json!({"name": "Rina B."}),
            json!({"name": "Rina Begum"}),
        );
        let mut c = Vec::new();
        let m = merge_field("", Some(&b), Some(&o), Some(&t), &sides(5, 2), &mut c);
        assert_eq!(
            m,
            Some(json!({"name": "Rina B."})),
            "the later edit is kept"
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].path, "name");
        assert_eq!(c[0].theirs, json!("Rina Begum"));
        assert_eq!(
            c[0].theirs_edit.by.as_ref().map(|w| w.as_str()),
            Some("w-theirs")
        );
        assert_eq!(c[0].kept, Kept::LaterEdit);
    }

    #[test]
    fn a_removal_against_an_edit_is_a_conflict() {
        let (b, o, t) = (json!({"x": 1}), json!({}), json!({"x": 2}));
        let mut c = Vec::new();
        let m = merge_field("", Some(&b), Some(&o), Some(&t), &sides(9, 1), &mut c);
        assert_eq!(m, Some(json!({})), "the later edit, a removal, is kept");
        assert_eq!(c[0].ours, Value::Null);
    }

    #[test]
    fn different_records_are_refused() {
        assert!(same_record("case_id", "case-01", "case-01", Some("case-01")).is_ok());
        let e = same_record("case_id", "case-01", "case-02", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot merge: case_id differs (`case-01` and `case-02`): these are different records"
        );
    }

    /// `v` with every `null` removed, as a merge reads it (`None` for a top-level `null`).
    fn without_nulls(v: &Value) -> Option<Value> {
        match v {
            Value::Null => None,
            Value::Object(m) => Some(Value::Object(
                m.iter()
                    .filter_map(|(k, v)| without_nulls(v).map(|v| (k.clone(), v)))
                    .collect(),
            )),
            other => Some(other.clone()),
        }
    }

    fn profile() -> crate::CaseProfile {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../../data/samples/cases.json")).unwrap();
        serde_json::from_value(cases[0].clone()).unwrap()
    }

    fn version(p: crate::CaseProfile, who: &str, m: u32) -> Version<crate::CaseProfile> {
        Version {
            value: p,
            edited_by: Some(WorkerId::new(who).unwrap()),
            edited_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, m, 0).unwrap(),
        }
    }

    #[test]
    fn case_profiles_merge_field_by_field() {
        let now = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
        let base = profile();
        let mut ours = base.clone();
        ours.travel_limit_km = Some(25.0);
        ours.summary = Some("ours".into());
        let mut theirs = base.clone();
        theirs.family = crate::FamilyStance::Supportive;
        theirs.summary = Some("theirs".into());
        let m = merge_case_profiles(
            Some(&base),
            &version(ours, "w1", 5),
            &version(theirs, "w2", 7),
            now,
        )
        .unwrap();
        assert_eq!(m.profile.travel_limit_km, Some(25.0));
        assert_eq!(m.profile.family, crate::FamilyStance::Supportive);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].path, "summary");
        assert_eq!(
            m.profile.summary.as_deref(),
            Some("theirs"),
            "the later edit"
        );
        let mut other = base.clone();
        other.case_id = crate::CaseId::new("case-99").unwrap();
        assert!(matches!(
            merge_case_profiles(
                Some(&base),
                &version(base.clone(), "w1", 1),
                &version(other, "w2", 2),
                now
            ),
            Err(MergeError::DifferentRecords { .. })
        ));
    }

    fn value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![Just(Value::Null), (0u8..3).prop_map(|n| json!(n))];
        leaf.prop_recursive(2, 8, 3, |inner| {
            proptest::collection::btree_map("[abc]", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
        })
    }

    proptest::proptest! {
        /// (`null` and absent are one.) Swapping the sides gives the same value and the same conflicts, mirrored; a value
        /// merged with itself is itself.
        #[test]
        fn commutative_and_idempotent(b in value(), o in value(), t in value(), om in 0u32..3, tm in 0u32..3) {
            let mut c1 = Vec::new();
            let m1 = merge_field("", Some(&b), Some(&o), Some(&t), &sides(om, tm), &mut c1);
            let mut c2 = Vec::new();
            let swapped = Sides { ours: sides(om, tm).theirs, theirs: sides(om, tm).ours };
            let m2 = merge_field("", Some(&b), Some(&t), Some(&o), &swapped, &mut c2);
            proptest::prop_assert_eq!(m1.as_ref().and_then(without_nulls), m2.as_ref().and_then(without_nulls));
            let norm = |c: &[Conflict]| {
                let mut v: Vec<String> = c.iter().map(|c| serde_json::to_string(&c.unordered()).unwrap()).collect();
                v.sort();
                v
            };
            proptest::prop_assert_eq!(norm(&c1), norm(&c2));
            let mut c3 = Vec::new();
            let same = merge_field("", Some(&b), Some(&o), Some(&o), &sides(om, tm), &mut c3);
            proptest::prop_assert_eq!(same.as_ref().and_then(without_nulls), without_nulls(&o));
            proptest::prop_assert!(c3.is_empty());
        }
    }
}
