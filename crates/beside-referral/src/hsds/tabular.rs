//! The HSDS tabular package: CSV files (or the same tables as JSON, `tabular.json`), joined back
//! into organisation, service, location and service_at_location records.

use super::error::{parse, HsdsError};
use super::read::{text, Collected};
use super::report::{RecordKind, RecordOutcome, RecordReport, SkipReason};
use beside_core::Reason;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// One table: its rows as objects.
pub(crate) type Rows = Vec<Map<String, Value>>;

/// The directory tables, assembled into records.
#[derive(Debug, Default)]
pub(crate) struct Assembled {
    pub organizations: Rows,
    pub services: Rows,
    pub locations: Rows,
    pub links: Rows,
    pub notes: Vec<RecordReport>,
}

/// The tables read from a package, by table name (`services`, `taxonomy_terms`…).
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub tables: BTreeMap<String, Rows>,
    pub notes: Vec<RecordReport>,
}

const DIRECTORY_TABLES: [&str; 4] = [
    "organizations",
    "services",
    "locations",
    "service_at_location",
];

/// Tables read only to complete directory records.
const JOINED_TABLES: [&str; 10] = [
    "addresses",
    "languages",
    "attributes",
    "taxonomy_terms",
    "taxonomies",
    "cost_options",
    "service_areas",
    "service_capacity",
    "units",
    "url",
];

fn table_name(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let lower = base.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".csv")
        .unwrap_or(&lower)
        .trim()
        .to_owned();
    match stem.as_str() {
        "service_at_locations" => "service_at_location".to_owned(),
        "service_capacities" => "service_capacity".to_owned(),
        "unit" => "units".to_owned(),
        "urls" => "url".to_owned(),
        _ => stem,
    }
}

fn note(notes: &mut Vec<RecordReport>, kind: RecordKind, id: &str, path: &str, reason: SkipReason) {
    notes.push(RecordReport {
        kind,
        id: Some(id.to_owned()),
        path: path.to_owned(),
        outcome: RecordOutcome::Skipped { reason },
        fields: Vec::new(),
    });
}

impl Tables {
    fn check_rows(&self, max: usize) -> Result<(), HsdsError> {
        let rows: usize = self.tables.values().map(Vec::len).sum();
        if rows > max {
            return Err(HsdsError::TooManyRecords { max });
        }
        Ok(())
    }

    /// Read CSV files (and `datapackage.json`), by file name.
    pub(crate) fn from_files<I, K, V>(
        files: I,
        max_bytes: usize,
        max_rows: usize,
    ) -> Result<Self, HsdsError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut files: Vec<(String, V)> = files
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let total: usize = files.iter().map(|(_, v)| v.as_ref().len()).sum();
        if total > max_bytes {
            return Err(HsdsError::TooLarge {
                max: max_bytes,
                got: total,
            });
        }
        let mut out = Tables::default();
        for (name, content) in &files {
            let content = content.as_ref();
            let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
            if base.eq_ignore_ascii_case("datapackage.json") {
                out.datapackage(base, content, max_bytes);
                continue;
            }
            if !base.to_ascii_lowercase().ends_with(".csv") {
                note(
                    &mut out.notes,
                    RecordKind::Document,
                    base,
                    base,
                    SkipReason::Unrecognised {
                        kind: "not a csv file".into(),
                    },
                );
                continue;
            }
            let rows = read_csv(base, content, max_rows)?;
            out.tables.entry(table_name(base)).or_default().extend(rows);
            out.check_rows(max_rows)?;
        }
        Ok(out)
    }

    fn datapackage(&mut self, file: &str, content: &str, max_bytes: usize) {
        let reason = match parse(content, file, max_bytes) {
            Ok(v) => {
                let rows = v
                    .get("resources")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                SkipReason::OutsideDirectory { rows }
            }
            // The official example's datapackage.json is a dangling link: the tables are read
            // by their standard file names, so this is reported and the import goes on.
            Err(e) => SkipReason::Invalid {
                reason: Reason::Malformed {
                    message: e.to_string(),
                    line: 0,
                    column: 0,
                },
            },
        };
        note(&mut self.notes, RecordKind::Document, file, file, reason);
    }

    /// Read the tables of a tabular JSON document (`{"services.csv": [{…}], …}`).
    pub(crate) fn from_json(value: &Value, max_rows: usize) -> Result<Self, HsdsError> {
        let Some(obj) = value.as_object() else {
            return Err(HsdsError::NotHsds {
                path: "$".into(),
                expected: "an object of tables".into(),
                got: "something else".into(),
            });
        };
        let mut out = Tables::default();
        for (name, rows) in obj {
            let Some(rows) = rows.as_array() else {
                return Err(HsdsError::NotHsds {
                    path: name.clone(),
                    expected: "a list of rows".into(),
                    got: "something else".into(),
                });
            };
            let rows: Rows = rows.iter().filter_map(|r| r.as_object().cloned()).collect();
            out.tables.entry(table_name(name)).or_default().extend(rows);
            out.check_rows(max_rows)?;
        }
        Ok(out)
    }

    fn rows(&self, name: &str) -> &[Map<String, Value>] {
        self.tables.get(name).map_or(&[], Vec::as_slice)
    }

    /// Join the tables into records.
    pub(crate) fn assemble(self) -> Result<Assembled, HsdsError> {
        if !DIRECTORY_TABLES
            .iter()
            .any(|t| self.tables.contains_key(*t))
        {
            return Err(HsdsError::NoTables {
                expected: DIRECTORY_TABLES
                    .iter()
                    .map(|t| format!("{t}.csv"))
                    .collect(),
            });
        }
        let mut a = Assembled {
            organizations: self.rows("organizations").to_vec(),
            services: self.rows("services").to_vec(),
            locations: self.rows("locations").to_vec(),
            links: self.rows("service_at_location").to_vec(),
            notes: self.notes.clone(),
        };
        let index = |rows: &Rows| -> HashMap<String, usize> {
            let mut m = HashMap::new();
            for (i, r) in rows.iter().enumerate() {
                if let Some(id) = text(r, "id") {
                    m.entry(id).or_insert(i);
                }
            }
            m
        };
        let services = index(&a.services);
        let locations = index(&a.locations);
        let organizations = index(&a.organizations);

        // Rows that name no record are reported with their table and index.
        let mut unplaced: Vec<(&str, usize, String)> = Vec::new();
        let mut into = |table: &'static str, found: Vec<(usize, String)>| {
            unplaced.extend(found.into_iter().map(|(i, id)| (table, i, id)));
        };
        into(
            "addresses",
            attach(
                &mut a.locations,
                &locations,
                self.rows("addresses"),
                "location_id",
                "addresses",
            ),
        );
        // A language row names a service or else a location.
        let (for_services, for_locations): (Vec<_>, Vec<_>) = self
            .rows("languages")
            .iter()
            .cloned()
            .enumerate()
            .partition(|(_, r)| text(r, "service_id").is_some());
        for (rows, parents, index, key) in [
            (for_services, &mut a.services, &services, "service_id"),
            (for_locations, &mut a.locations, &locations, "location_id"),
        ] {
            let (at, rows): (Vec<usize>, Rows) = rows.into_iter().unzip();
            let found = attach(parents, index, &rows, key, "languages");
            into(
                "languages",
                found
                    .into_iter()
                    .map(|(i, id)| (at.get(i).copied().unwrap_or(i), id))
                    .collect(),
            );
        }
        for (table, key) in [
            ("cost_options", "cost_options"),
            ("service_areas", "service_areas"),
        ] {
            into(
                table,
                attach(
                    &mut a.services,
                    &services,
                    self.rows(table),
                    "service_id",
                    key,
                ),
            );
        }
        // HSDS 3.1: capacities with their unit nested as in the JSON form.
        let units: HashMap<String, &Map<String, Value>> = self
            .rows("units")
            .iter()
            .filter_map(|u| Some((text(u, "id")?, u)))
            .collect();
        let capacities: Rows = self
            .rows("service_capacity")
            .iter()
            .map(|c| {
                let mut c = c.clone();
                if let Some(u) = text(&c, "unit_id").and_then(|id| units.get(&id)) {
                    c.insert("unit".into(), Value::Object((*u).clone()));
                }
                c
            })
            .collect();
        into(
            "service_capacity",
            attach(
                &mut a.services,
                &services,
                &capacities,
                "service_id",
                "capacities",
            ),
        );
        // HSDS 3.1: urls of services or organisations.
        for (i, row) in self.rows("url").iter().enumerate() {
            let target = match (text(row, "service_id"), text(row, "organization_id")) {
                (Some(s), _) => services
                    .get(&s)
                    .and_then(|&k| a.services.get_mut(k))
                    .ok_or(s),
                (None, Some(o)) => organizations
                    .get(&o)
                    .and_then(|&k| a.organizations.get_mut(k))
                    .ok_or(o),
                (None, None) => Err(String::new()),
            };
            match target {
                Ok(r) => push_to(r, "urls", Value::Object(row.clone())),
                Err(id) => into("url", vec![(i, id)]),
            }
        }
        for (table, i, id) in unplaced {
            let path = format!("{table}.csv[{i}]");
            note(
                &mut a.notes,
                RecordKind::Row,
                &id,
                &path,
                SkipReason::UnknownReference { id: id.clone() },
            );
        }

        // Attributes, with their taxonomy terms nested as in the JSON form.
        let taxonomies: HashMap<String, String> = self
            .rows("taxonomies")
            .iter()
            .filter_map(|t| Some((text(t, "id")?, text(t, "name")?)))
            .collect();
        let terms: HashMap<String, Map<String, Value>> = self
            .rows("taxonomy_terms")
            .iter()
            .filter_map(|t| {
                let mut t = t.clone();
                if text(&t, "taxonomy").is_none() {
                    if let Some(name) = text(&t, "taxonomy_id").and_then(|id| taxonomies.get(&id)) {
                        t.insert("taxonomy".into(), Value::String(name.clone()));
                    }
                }
                Some((text(&t, "id")?, t))
            })
            .collect();
        for (i, row) in self.rows("attributes").iter().enumerate() {
            let mut attr = row.clone();
            if let Some(term) = text(row, "taxonomy_term_id").and_then(|id| terms.get(&id)) {
                attr.insert("taxonomy_term".into(), Value::Object(term.clone()));
            }
            let path = format!("attributes.csv[{i}]");
            let id = super::read::text_or_empty(row, "id");
            let Some(link) = text(row, "link_id") else {
                note(
                    &mut a.notes,
                    RecordKind::Attribute,
                    &id,
                    &path,
                    SkipReason::MissingRequired {
                        field: "link_id".into(),
                    },
                );
                continue;
            };
            let entity = text(row, "link_entity")
                .unwrap_or_default()
                .to_ascii_lowercase();
            let targets: [(&str, &HashMap<String, usize>, &mut Rows); 3] = [
                ("service", &services, &mut a.services),
                ("organization", &organizations, &mut a.organizations),
                ("location", &locations, &mut a.locations),
            ];
            let mut placed = false;
            // A link_entity naming a table is honoured first; otherwise the id is looked up in
            // each directory table.
            let mut ordered: Vec<(&str, &HashMap<String, usize>, &mut Rows)> =
                targets.into_iter().collect();
            ordered.sort_by_key(|(name, _, _)| !entity.starts_with(name));
            for (_, idx, rows) in ordered {
                if let Some(r) = idx.get(&link).and_then(|&k| rows.get_mut(k)) {
                    push_to(r, "attributes", Value::Object(attr.clone()));
                    placed = true;
                    break;
                }
            }
            if !placed {
                note(
                    &mut a.notes,
                    RecordKind::Attribute,
                    &id,
                    &path,
                    SkipReason::UnknownReference { id: link },
                );
            }
        }

        for (name, rows) in &self.tables {
            if !DIRECTORY_TABLES.contains(&name.as_str()) && !JOINED_TABLES.contains(&name.as_str())
            {
                let file = format!("{name}.csv");
                note(
                    &mut a.notes,
                    RecordKind::Document,
                    &file,
                    &file,
                    SkipReason::OutsideDirectory { rows: rows.len() },
                );
            }
        }
        Ok(a)
    }
}

fn push_to(row: &mut Map<String, Value>, key: &str, item: Value) {
    match row.get_mut(key) {
        Some(Value::Array(items)) => items.push(item),
        _ => {
            row.insert(key.to_owned(), Value::Array(vec![item]));
        }
    }
}

/// Nest each row of `children` into the row of `parents` its `key` names; the rows that name
/// none, with their index and the id they name.
fn attach(
    parents: &mut Rows,
    index: &HashMap<String, usize>,
    children: &[Map<String, Value>],
    key: &str,
    into: &str,
) -> Vec<(usize, String)> {
    let mut unplaced = Vec::new();
    for (i, child) in children.iter().enumerate() {
        let id = text(child, key);
        match id
            .as_ref()
            .and_then(|id| index.get(id))
            .and_then(|&k| parents.get_mut(k))
        {
            Some(p) => push_to(p, into, Value::Object(child.clone())),
            None => unplaced.push((i, id.unwrap_or_default())),
        }
    }
    unplaced
}

fn read_csv(file: &str, content: &str, max_rows: usize) -> Result<Rows, HsdsError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(content.as_bytes());
    let err = |e: csv::Error| HsdsError::MalformedCsv {
        file: file.to_owned(),
        line: e.position().map_or(0, csv::Position::line),
        message: e.to_string(),
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(err)?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(err)?;
        if rows.len() >= max_rows {
            return Err(HsdsError::TooManyRecords { max: max_rows });
        }
        let mut row = Map::new();
        for (h, v) in headers.iter().zip(record.iter()) {
            if !v.trim().is_empty() && !h.is_empty() {
                row.insert(h.clone(), Value::String(v.to_owned()));
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

impl Assembled {
    /// Hand the records to the collector, with paths naming the file and row.
    pub(crate) fn collect<'a>(
        &'a self,
        c: &mut Collected<'a>,
        max: usize,
    ) -> Result<(), HsdsError> {
        for (i, r) in self.organizations.iter().enumerate() {
            c.organization(r, &format!("organizations.csv[{i}]"), max)?;
        }
        for (i, r) in self.services.iter().enumerate() {
            c.service(r, &format!("services.csv[{i}]"), None, max)?;
        }
        for (i, r) in self.locations.iter().enumerate() {
            c.location(r, &format!("locations.csv[{i}]"), None, max)?;
        }
        for (i, r) in self.links.iter().enumerate() {
            c.service_at_location(r, &format!("service_at_location.csv[{i}]"), None, None, max)?;
        }
        c.notes.extend(self.notes.iter().cloned());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_bom() {
        let rows = read_csv(
            "x.csv",
            "\u{feff}id,Name,note\n1,\"a, b\",\"say \"\"hi\"\"\"\n2,,\n",
            10,
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(text(&rows[0], "name").as_deref(), Some("a, b"));
        assert_eq!(text(&rows[0], "note").as_deref(), Some("say \"hi\""));
        assert!(rows[1].get("name").is_none());
    }

    #[test]
    fn too_many_rows_are_refused() {
        let err = read_csv("x.csv", "id\n1\n2\n3\n", 2).unwrap_err();
        assert_eq!(err, HsdsError::TooManyRecords { max: 2 });
    }

    #[test]
    fn names() {
        assert_eq!(table_name("a/b/Services.CSV"), "services");
        assert_eq!(
            table_name("service_at_locations.csv"),
            "service_at_location"
        );
    }
}
