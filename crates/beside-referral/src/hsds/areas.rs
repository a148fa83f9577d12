//! Service areas as publishers write them: GeoJSON shapes in `service_area.extent`, and areas
//! given by name ("Jashore district"), matched to the directory's own administrative areas.
//!
//! **The name rule.** A `service_area` with no usable extent and a `name` (else a
//! `description`) that is not written as an area path is matched against the areas of the
//! directory's own locations: the name, compared without regard to case, punctuation or a
//! trailing administrative word ([`ADMIN_WORDS`]: "district", "division", "upazila"…), must
//! equal one name in a location's area path (below the country). It then stands for that area:
//! the location's path cut after that name ("Jashore district" → `BD › Khulna › Jashore`). A
//! name that matches areas under different parents (two "Sadar" upazilas) is ambiguous and not
//! used; a name that matches none is not used. Both are reported, and a match is reported as
//! inferred with the path it matched.

use super::convert::{Rec, NAME_MAX};
use super::options::words;
use super::report::{FieldOutcome, InferRule, RecordKind, RecordOutcome, SkipReason};
use crate::area::AreaShape;
use crate::directory::Directory;
use beside_core::{AreaPath, Reason, Validate};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Words that name a kind of administrative area, left out when a name is matched.
pub const ADMIN_WORDS: [&str; 16] = [
    "district",
    "division",
    "upazila",
    "upazilla",
    "zila",
    "zilla",
    "province",
    "state",
    "municipality",
    "city",
    "commune",
    "region",
    "county",
    "khan",
    "srok",
    "area",
];

/// A name as compared: lower-case words, trailing administrative words left out.
fn key_of(name: &str) -> String {
    let mut w = words(name);
    while w.len() > 1 && w.last().is_some_and(|l| ADMIN_WORDS.contains(&l.as_str())) {
        w.pop();
    }
    w.join(" ")
}

/// The directory's areas by name key: each name below the country, with the path up to it.
pub(super) struct AreaNames {
    by_key: HashMap<String, Vec<AreaPath>>,
}

/// What a name matched.
pub(super) enum NameMatch {
    One(AreaPath),
    Several(Vec<AreaPath>),
    None,
}

impl AreaNames {
    pub(super) fn new(dir: &Directory) -> Self {
        let mut by_key: HashMap<String, Vec<AreaPath>> = HashMap::new();
        for l in &dir.locations {
            let parts = &l.area.0;
            for depth in 1..parts.len() {
                let Some(name) = parts.get(depth) else {
                    continue;
                };
                let key = key_of(name);
                if key.is_empty() {
                    continue;
                }
                let path = AreaPath(parts.iter().take(depth + 1).cloned().collect());
                let entry = by_key.entry(key).or_default();
                if !entry.contains(&path) {
                    entry.push(path);
                }
            }
        }
        Self { by_key }
    }

    pub(super) fn find(&self, name: &str) -> NameMatch {
        match self.by_key.get(&key_of(name)).map(Vec::as_slice) {
            Some([one]) => NameMatch::One(one.clone()),
            Some(many) if many.len() > 1 => {
                let mut m = many.to_vec();
                m.sort();
                NameMatch::Several(m)
            }
            _ => NameMatch::None,
        }
    }
}

/// What one `service_area` gave.
pub(super) enum AreaRead {
    Path(AreaPath),
    Shapes(Vec<AreaShape>),
    /// Words only: to be matched by name once the directory's locations are known.
    Words,
    Nothing,
}

/// The `extent_type` of GeoJSON.
const GEOJSON: &str = "geojson";

/// Read one `service_area`: a Beside area path, a GeoJSON extent, an area path written as
/// Beside shows it (`BD › Khulna › Jashore`), or words. An extent that cannot be read is
/// reported with its path and reason, and the name is tried instead.
pub(super) fn read_area(rec: &mut Rec<'_>, sa: &Map<String, Value>, path: &str) -> AreaRead {
    let extent_type = super::read::text(sa, "extent_type")
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let extent = sa.get("extent").filter(|v| !super::read::is_blank(v));
    let extent_path = format!("{path}.extent");
    if let Some(extent) = extent {
        if extent_type == super::attrs::AREA_EXTENT_TYPE {
            let text = match extent {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match super::service::area_from_json(&text) {
                Ok(p) => return AreaRead::Path(p),
                Err(reason) => rec.skipped(&extent_path, SkipReason::Invalid { reason }),
            }
        } else if extent_type == GEOJSON || extent_type.is_empty() {
            match shapes(extent) {
                Ok(s) => return AreaRead::Shapes(s),
                Err((sub, reason)) => rec.skipped(
                    &format!("{extent_path}{sub}"),
                    SkipReason::Invalid { reason },
                ),
            }
        } else {
            rec.skipped(
                &format!("{path}.extent_type"),
                SkipReason::Invalid {
                    reason: Reason::Unknown {
                        value: extent_type.clone(),
                        known: vec![GEOJSON.into(), super::attrs::AREA_EXTENT_TYPE.into()],
                    },
                },
            );
        }
    }
    let Some(name) = super::read::text(sa, "name").or_else(|| super::read::text(sa, "description"))
    else {
        return AreaRead::Nothing;
    };
    // An area written as Beside shows it: `BD › Khulna › Jashore`, or a country code.
    let parts: Vec<&str> = name.split('›').map(str::trim).collect();
    if parts.len() >= 2 || beside_core::CountryCode::new(&name).is_ok() {
        return match AreaPath::new(parts) {
            Ok(p) => AreaRead::Path(p),
            Err(reason) => {
                rec.skipped(path, SkipReason::Invalid { reason });
                AreaRead::Nothing
            }
        };
    }
    rec.skipped(path, SkipReason::FreeTextArea);
    AreaRead::Words
}

/// A JSON object, or a JSON string holding one (HSDS types `extent` as a string).
fn object_of(v: &Value) -> Result<Value, Reason> {
    match v {
        Value::Object(_) => Ok(v.clone()),
        Value::String(s) => serde_json::from_str::<Value>(s)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| Reason::Invalid {
                expected: "GeoJSON: a Polygon or MultiPolygon object, or text holding one".into(),
                value: s.chars().take(NAME_MAX).collect(),
            }),
        other => Err(Reason::Invalid {
            expected: "GeoJSON: a Polygon or MultiPolygon object, or text holding one".into(),
            value: other.to_string().chars().take(NAME_MAX).collect(),
        }),
    }
}

/// The shapes of a GeoJSON extent: a `Polygon` or `MultiPolygon` geometry, a `Feature` holding
/// one, or a `FeatureCollection` of them. Positions may carry an altitude, which is dropped.
/// An error names the path below the extent (`.coordinates[0]`) and the reason.
pub(super) fn shapes(extent: &Value) -> Result<Vec<AreaShape>, (String, Reason)> {
    let v = object_of(extent).map_err(|r| (String::new(), r))?;
    let mut out = Vec::new();
    geometry(&v, "", &mut out)?;
    Ok(out)
}

fn kind_of(v: &Value) -> &str {
    v.get("type").and_then(Value::as_str).unwrap_or("")
}

fn geometry(v: &Value, at: &str, out: &mut Vec<AreaShape>) -> Result<(), (String, Reason)> {
    let bad_type = |got: &str| {
        (
            format!("{at}.type"),
            Reason::Unknown {
                value: got.to_owned(),
                known: ["Polygon", "MultiPolygon", "Feature", "FeatureCollection"]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            },
        )
    };
    match kind_of(v) {
        "Feature" => {
            let g = v
                .get("geometry")
                .ok_or_else(|| (format!("{at}.geometry"), Reason::Empty))?;
            geometry(g, &format!("{at}.geometry"), out)
        }
        "FeatureCollection" => {
            let features = v
                .get("features")
                .and_then(Value::as_array)
                .filter(|f| !f.is_empty())
                .ok_or_else(|| (format!("{at}.features"), Reason::Empty))?;
            for (i, f) in features.iter().enumerate() {
                geometry(f, &format!("{at}.features[{i}]"), out)?;
            }
            Ok(())
        }
        "Polygon" => {
            let c = v.get("coordinates").unwrap_or(&Value::Null);
            let rings = polygon(c, &format!("{at}.coordinates"))?;
            check(AreaShape::Polygon { coordinates: rings }, at, out)
        }
        "MultiPolygon" => {
            let cpath = format!("{at}.coordinates");
            let list = c_list(v.get("coordinates").unwrap_or(&Value::Null), &cpath)?;
            let polys = list
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(p, &format!("{cpath}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            check(AreaShape::MultiPolygon { coordinates: polys }, at, out)
        }
        other => Err(bad_type(other)),
    }
}

/// Check a shape with Beside's rules, its error paths put below `at`.
fn check(shape: AreaShape, at: &str, out: &mut Vec<AreaShape>) -> Result<(), (String, Reason)> {
    match shape.validate() {
        Ok(()) => {
            out.push(shape);
            Ok(())
        }
        Err(e) => {
            let first = e.errors.into_iter().next();
            Err(first.map_or_else(
                || (at.to_owned(), Reason::Empty),
                |f| {
                    let sep = if f.path.is_empty() || f.path.starts_with('[') {
                        ""
                    } else {
                        "."
                    };
                    (format!("{at}{sep}{}", f.path), f.reason)
                },
            ))
        }
    }
}

fn c_list<'v>(v: &'v Value, at: &str) -> Result<&'v Vec<Value>, (String, Reason)> {
    v.as_array().ok_or_else(|| {
        (
            at.to_owned(),
            Reason::Invalid {
                expected: "a list".into(),
                value: v.to_string().chars().take(80).collect(),
            },
        )
    })
}

fn polygon(v: &Value, at: &str) -> Result<Vec<Vec<[f64; 2]>>, (String, Reason)> {
    c_list(v, at)?
        .iter()
        .enumerate()
        .map(|(r, ring)| {
            let rpath = format!("{at}[{r}]");
            c_list(ring, &rpath)?
                .iter()
                .enumerate()
                .map(|(p, pos)| {
                    let ppath = format!("{rpath}[{p}]");
                    let nums = c_list(pos, &ppath)?;
                    let coord = |k: usize| {
                        nums.get(k).and_then(Value::as_f64).ok_or_else(|| {
                            (
                                format!("{ppath}[{k}]"),
                                Reason::Invalid {
                                    expected: "a number of degrees".into(),
                                    value: nums
                                        .get(k)
                                        .map_or_else(|| "nothing".into(), Value::to_string),
                                },
                            )
                        })
                    };
                    Ok([coord(0)?, coord(1)?])
                })
                .collect()
        })
        .collect()
}

/// A shape as a GeoJSON extent (text, as HSDS types it).
pub(super) fn extent_text(shape: &AreaShape) -> String {
    beside_core::json::to_text_for_words(shape)
}

/// Resolve the service areas given by name, once the directory's locations are known: each
/// `service_areas[i]` reported as words is matched (see the module docs) and its report entry
/// replaced by what became of it.
pub(super) fn named_areas(
    dir: &mut Directory,
    records: &[super::read::RawRecord<'_>],
    slots: &mut [Option<super::report::RecordReport>],
) {
    let names = AreaNames::new(dir);
    let mut at: BTreeMap<String, usize> = BTreeMap::new();
    for (i, s) in slots.iter().enumerate() {
        if let Some(s) = s {
            if s.kind == RecordKind::Service && matches!(s.outcome, RecordOutcome::Imported) {
                if let Some(id) = &s.id {
                    at.insert(id.clone(), i);
                }
            }
        }
    }
    for svc in &mut dir.services {
        let Some(&i) = at.get(svc.id.as_str()) else {
            continue;
        };
        let (Some(raw), Some(Some(slot))) = (records.get(i), slots.get_mut(i)) else {
            continue;
        };
        let areas = super::read::objects(raw.obj, "service_areas");
        let mut matched_any = false;
        for f in slot.fields.iter_mut() {
            if !matches!(
                f.outcome,
                FieldOutcome::Skipped {
                    reason: SkipReason::FreeTextArea
                }
            ) {
                continue;
            }
            let Some(sa) = areas
                .iter()
                .find(|(k, _)| f.field == format!("service_areas[{k}]"))
                .map(|(_, sa)| *sa)
            else {
                continue;
            };
            let Some(name) =
                super::read::text(sa, "name").or_else(|| super::read::text(sa, "description"))
            else {
                continue;
            };
            match names.find(&name) {
                NameMatch::One(path) => {
                    f.outcome = FieldOutcome::Inferred {
                        from: format!("{}.name", f.field),
                        rule: InferRule::AreaName {
                            name: name.clone(),
                            area: path.0.to_vec(),
                        },
                    };
                    if !svc.service_areas.contains(&path) {
                        svc.service_areas.push(path);
                    }
                    matched_any = true;
                }
                NameMatch::Several(c) => {
                    f.outcome = FieldOutcome::Skipped {
                        reason: SkipReason::AmbiguousAreaName {
                            name: name.clone(),
                            candidates: c.into_iter().map(|p| p.0.to_vec()).collect(),
                        },
                    };
                }
                NameMatch::None => {}
            }
        }
        if matched_any {
            // The summary entry said "absent" when nothing else gave an area; the entries of
            // the areas matched by name now say where they came from.
            slot.fields.retain(|f| {
                !(f.field == "service_areas" && matches!(f.outcome, FieldOutcome::Defaulted { .. }))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_without_admin_words() {
        assert_eq!(key_of("Jashore District"), "jashore");
        assert_eq!(key_of("Jashore Sadar upazila"), "jashore sadar");
        assert_eq!(key_of("District"), "district");
        assert_eq!(key_of("Cox's Bazar zila"), "cox s bazar");
    }

    #[test]
    fn extents_read_objects_strings_features_and_name_bad_paths() {
        let square = r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}"#;
        let v: Value = serde_json::from_str(square).unwrap();
        assert_eq!(shapes(&v).unwrap().len(), 1);
        assert_eq!(shapes(&Value::String(square.into())).unwrap().len(), 1);
        let fc = format!(
            r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "geometry": {square}}}, {{"type": "Feature", "geometry": {square}}}]}}"#
        );
        assert_eq!(
            shapes(&serde_json::from_str(&fc).unwrap()).unwrap().len(),
            2
        );
        let (path, reason) =
            shapes(&serde_json::json!({"type": "Point", "coordinates": [0, 0]})).unwrap_err();
        assert_eq!(path, ".type");
        assert!(matches!(reason, Reason::Unknown { .. }));
        let (path, _) = shapes(&serde_json::json!(
            {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, "x"], [0, 0]]]]}
        ))
        .unwrap_err();
        assert_eq!(path, ".coordinates[0][0][2][1]");
        let (path, reason) = shapes(&serde_json::json!(
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}
        ))
        .unwrap_err();
        assert_eq!(path, ".coordinates[0]");
        assert!(matches!(reason, Reason::RingTooShort { min: 4, got: 3 }));
    }
}
