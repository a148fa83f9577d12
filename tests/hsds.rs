//! The official Open Referral HSDS 3.0 examples import without edits, and the bundled sample
//! directory survives a round trip through HSDS unchanged.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use beside::core::{from_json, CountryCode, OrganizationKind, Validate};
use beside::referral::hsds::{
    export_json, export_json_with, import_folder, import_json, import_tabular_json, ExportOptions,
    FieldOutcome, HsdsError, HsdsVersion, ImportOptions, ImportReport, InferRule, OutcomeCode,
    RecordKind, RecordOutcome, SkipReason, TermCode,
};
use beside::referral::{Cost, Directory, ServiceStatus};
use beside::samples;
use std::io::Write;
use std::path::PathBuf;

/// A folder of third-party fixtures outside the repository (`../shared/anchors/...`), when it
/// is there. Absent, the test is skipped with a one-line notice naming the folder, except under
/// `CI=true`, where its absence fails the test: CI has the folder, and must run these tests.
fn third_party(relative: &str, what: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} not found ({what}); CI=true requires it", dir.display());
    }
    // Straight to stderr, not `eprintln!`: the test harness captures the macros' output of a
    // passing test, and this notice must reach the person running the tests.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} not found ({what})",
        dir.display()
    );
    None
}

/// The official HSDS 3.0 examples, or `None` (skip) where the folder is absent.
fn examples() -> Option<PathBuf> {
    third_party(
        "../shared/anchors/hsds-3.0/examples",
        "official HSDS 3.0 examples",
    )
}

/// The official HSDS 3.1 examples (the tables 3.1 adds), or `None` (skip).
fn examples_31() -> Option<PathBuf> {
    third_party(
        "../shared/anchors/hsds-3.1/examples",
        "official HSDS 3.1 examples",
    )
}

fn read_in(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

const ORG: &str = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
const SERVICE: &str = "ac148810-d857-441c-9679-408f346de14b";
const LOCATION: &str = "3a19ff88-4620-4d17-9830-ac1d859eb5d5";

fn counts(r: &ImportReport) -> [usize; 4] {
    [
        r.count(RecordKind::Organization).imported,
        r.count(RecordKind::Service).imported,
        r.count(RecordKind::Location).imported,
        r.count(RecordKind::ServiceAtLocation).imported,
    ]
}

fn sizes(d: &Directory) -> [usize; 3] {
    [d.organizations.len(), d.services.len(), d.locations.len()]
}

/// The fields every official example carries the same way.
fn check_example_service(d: &Directory, r: &ImportReport) {
    let s = d
        .services
        .iter()
        .find(|s| s.id.as_str() == SERVICE)
        .unwrap();
    assert_eq!(s.name, "Community Counselling");
    assert_eq!(s.organization_id.as_str(), ORG);
    assert_eq!(s.status, ServiceStatus::Active);
    assert_eq!(s.domains[0].as_str(), "mental_health");
    assert_eq!(
        (s.eligibility.min_age, s.eligibility.max_age),
        (Some(12), Some(100))
    );
    let rep = r.record(RecordKind::Service, SERVICE).unwrap();
    assert!(matches!(
        rep.field("domains"),
        Some(FieldOutcome::Inferred {
            rule: InferRule::Keywords { .. },
            ..
        })
    ));
}

fn check_example_location(d: &Directory, r: &ImportReport) {
    let l = d.location(&LOCATION.parse().unwrap()).unwrap();
    assert_eq!(l.name, "MyCity Civic Center");
    assert_eq!(*l.area.0, ["US", "MyState", "MyCity"]);
    // The example's latitude is 100: out of range, so not carried, and said so.
    assert_eq!(l.coordinates, None);
    let rep = r.record(RecordKind::Location, LOCATION).unwrap();
    assert!(matches!(
        rep.field("latitude"),
        Some(FieldOutcome::Skipped {
            reason: SkipReason::Invalid { .. }
        })
    ));
}

#[test]
fn organization_full_imports_complete() {
    let Some(ex) = examples() else { return };
    let i = import_json(
        &read_in(&ex, "organization_full.json"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(i.report.complete, "{:#?}", i.report.records);
    assert_eq!(sizes(&i.directory), [1, 1, 1]);
    assert_eq!(counts(&i.report), [1, 1, 1, 1]);
    // The location appears twice (under the organisation and under the service's link).
    assert_eq!(i.report.count(RecordKind::Location).duplicates, 1);
    let o = &i.directory.organizations[0];
    assert_eq!(o.name, "Example Organization Inc.");
    assert_eq!(o.kind, OrganizationKind::Ngo);
    let rep = i.report.record(RecordKind::Organization, ORG).unwrap();
    assert!(matches!(
        rep.field("kind"),
        Some(FieldOutcome::Defaulted { .. })
    ));
    check_example_service(&i.directory, &i.report);
    check_example_location(&i.directory, &i.report);
    assert_eq!(i.directory.services[0].location_ids[0].as_str(), LOCATION);
    let s = &i.directory.services[0];
    assert_eq!(s.languages[0].as_str(), "ur");
    assert!(s.interpretation_available);
    assert_eq!(
        s.cost,
        Cost::Fee {
            amount: 3500,
            currency: "GBP".into()
        }
    );
    i.directory.validate().unwrap();
}

#[test]
fn service_full_and_service_at_location_full_import_complete() {
    let Some(ex) = examples() else { return };
    for name in ["service_full.json", "service_at_location_full.json"] {
        let i = import_json(&read_in(&ex, name), &ImportOptions::default()).unwrap();
        assert!(i.report.complete, "{name}: {:#?}", i.report.records);
        assert_eq!(sizes(&i.directory), [1, 1, 1], "{name}");
        assert_eq!(counts(&i.report), [1, 1, 1, 1], "{name}");
        check_example_service(&i.directory, &i.report);
        check_example_location(&i.directory, &i.report);
        // The location has no organization_id of its own: it takes the organisation it is
        // nested in, or else the one of the service delivered there.
        let l = &i.directory.locations[0];
        assert_eq!(l.organization_id.as_str(), ORG);
        let rep = i.report.record(RecordKind::Location, LOCATION).unwrap();
        assert!(matches!(
            rep.field("organization_id"),
            Some(FieldOutcome::Carried { .. } | FieldOutcome::Inferred { .. })
        ));
    }
}

#[test]
fn lists_import() {
    let Some(ex) = examples() else { return };
    let i = import_json(
        &read_in(&ex, "organization_list.json"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(i.report.complete);
    assert_eq!(sizes(&i.directory), [1, 0, 0]);

    let i = import_json(
        &read_in(&ex, "service_list.json"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(i.report.complete);
    assert_eq!(sizes(&i.directory), [1, 1, 0]);
    check_example_service(&i.directory, &i.report);

    // The list's location has no address, so no country: skipped and the import says it is
    // incomplete, unless a default country is given.
    let text = read_in(&ex, "service_at_location_list.json");
    let i = import_json(&text, &ImportOptions::default()).unwrap();
    assert!(!i.report.complete);
    assert_eq!(sizes(&i.directory), [1, 1, 0]);
    let skipped: Vec<_> = i.report.skipped_records().collect();
    assert_eq!(skipped.len(), 2, "{skipped:#?}");
    assert!(skipped.iter().any(|r| r.kind == RecordKind::Location
        && r.path == "contents[0].location"
        && r.outcome
            == RecordOutcome::Skipped {
                reason: SkipReason::NoCountry
            }));
    assert!(matches!(
        i.clone().into_complete(),
        Err(HsdsError::Incomplete { skipped: 2, .. })
    ));
    let options = ImportOptions {
        default_country: Some(CountryCode::new("US").unwrap()),
        ..ImportOptions::default()
    };
    let i = import_json(&text, &options).unwrap();
    assert!(i.report.complete);
    assert_eq!(sizes(&i.directory), [1, 1, 1]);
    assert_eq!(*i.directory.locations[0].area.0, ["US"]);
}

#[test]
fn a_location_alone_has_no_organisation() {
    let Some(ex) = examples() else { return };
    // location.json has no organization_id: Beside keeps every location under an organisation,
    // so it is reported, not loaded.
    let i = import_json(&read_in(&ex, "location.json"), &ImportOptions::default()).unwrap();
    assert!(!i.report.complete);
    assert_eq!(sizes(&i.directory), [0, 0, 0]);
    let r = i.report.skipped_records().next().unwrap();
    assert_eq!(
        r.outcome,
        RecordOutcome::Skipped {
            reason: SkipReason::NoOrganization { referenced: None }
        }
    );
}

#[test]
fn documents_without_directory_records_import_empty() {
    let Some(ex) = examples() else { return };
    for name in [
        "base.json",
        "taxonomy.json",
        "taxonomy_list.json",
        "taxonomy_term.json",
        "taxonomy_term_list.json",
    ] {
        let i = import_json(&read_in(&ex, name), &ImportOptions::default()).unwrap();
        assert!(i.report.complete, "{name}");
        assert_eq!(sizes(&i.directory), [0, 0, 0], "{name}");
        assert_eq!(i.report.count(RecordKind::Document).skipped, 1, "{name}");
    }
}

fn check_tabular(i: &beside::referral::hsds::Import) {
    assert!(i.report.complete, "{:#?}", i.report.records);
    assert_eq!(sizes(&i.directory), [1, 1, 1]);
    assert_eq!(counts(&i.report), [1, 1, 1, 1]);
    check_example_service(&i.directory, &i.report);
    check_example_location(&i.directory, &i.report);
    // The example's location names an organisation that is not in the package; it takes the
    // organisation of the service delivered there, and the report names the dangling id.
    let rep = i.report.record(RecordKind::Location, LOCATION).unwrap();
    assert_eq!(
        rep.field("organization_id"),
        Some(&FieldOutcome::Inferred {
            from: "service_at_location".into(),
            rule: InferRule::OrganizationOfServices {
                dangling: Some("985e4a42-bd9f-4edc-911d-0243a4640aca".into())
            }
        })
    );
    // Its one attribute links to no record.
    let a = i.report.count(RecordKind::Attribute);
    assert_eq!((a.found, a.skipped), (1, 1));
    assert_eq!(
        i.directory.services[0].cost,
        Cost::Fee {
            amount: 3500,
            currency: "GBP".into()
        }
    );
    i.directory.validate().unwrap();
}

#[test]
fn the_csv_package_imports() {
    let Some(ex) = examples() else { return };
    let i = import_folder(ex.join("csv"), &ImportOptions::default()).unwrap();
    check_tabular(&i);
    // Its datapackage.json is a dangling link, reported and passed over.
    let dp = i
        .report
        .records
        .iter()
        .find(|r| r.path == "datapackage.json")
        .unwrap();
    assert!(matches!(
        dp.outcome,
        RecordOutcome::Skipped {
            reason: SkipReason::Invalid { .. }
        }
    ));
}

#[test]
fn tabular_json_imports_like_the_csv_package() {
    let Some(ex) = examples() else { return };
    let text = read_in(&ex, "tabular.json");
    let a = import_tabular_json(&text, &ImportOptions::default()).unwrap();
    check_tabular(&a);
    let b = import_json(&text, &ImportOptions::default()).unwrap();
    assert_eq!(a.directory, b.directory);
    let csv = import_folder(ex.join("csv"), &ImportOptions::default()).unwrap();
    assert_eq!(a.directory, csv.directory);
}

#[test]
fn what_the_official_examples_carry_default_and_skip() {
    let Some(ex) = examples() else { return };
    let i = import_json(
        &read_in(&ex, "service_full.json"),
        &ImportOptions::default(),
    )
    .unwrap();
    let t = |kind, field, outcome| i.report.tally_of(kind, field, outcome);
    use OutcomeCode::*;
    use RecordKind::*;
    assert_eq!(t(Service, "name", Carried), 1);
    assert_eq!(t(Service, "status", Carried), 1);
    assert_eq!(t(Service, "cost", Inferred), 1);
    assert_eq!(t(Service, "capacity", Defaulted), 1);
    assert_eq!(t(Service, "requires_court_order", Defaulted), 1);
    assert_eq!(t(Service, "phones", Skipped), 1);
    assert_eq!(t(Service, "schedules", Skipped), 1);
    assert_eq!(t(Service, "service_areas[0]", Skipped), 1);
    assert_eq!(t(Service, "attributes[0]", Skipped), 1);
    assert_eq!(t(Organization, "kind", Defaulted), 1);
    assert_eq!(t(Location, "area", Inferred), 1);
    assert_eq!(t(Location, "latitude", Skipped), 1);
}

#[test]
fn official_examples_round_trip_after_import() {
    let Some(ex) = examples() else { return };
    for name in [
        "organization_full.json",
        "service_full.json",
        "tabular.json",
    ] {
        let first = import_json(&read_in(&ex, name), &ImportOptions::default()).unwrap();
        let text = export_json(&first.directory).unwrap();
        let back = import_json(&text, &ImportOptions::default()).unwrap();
        assert!(back.report.complete, "{name}");
        assert_eq!(back.directory, first.directory, "{name}");
    }
}

#[test]
fn the_sample_directory_round_trips_unchanged() {
    let d = samples::directory().unwrap();
    assert_eq!(d.organizations.len(), 80);
    // The keeper's export: the confidential shelter whole.
    let keeper = ExportOptions {
        viewer: beside::referral::Viewer::Keeper,
        ..ExportOptions::default()
    };
    let text = export_json_with(&d, &keeper).unwrap();
    let back = import_json(&text, &ImportOptions::default()).unwrap();
    assert!(back.report.complete);
    assert_eq!(back.directory, d);
    back.directory.validate().unwrap();
    assert_eq!(
        back.report.count(RecordKind::Service).imported,
        d.services.len()
    );
    // Every Beside field came back from HSDS data or a beside attribute: nothing guessed.
    for r in &back.report.records {
        for f in &r.fields {
            assert!(
                !matches!(f.outcome, FieldOutcome::Inferred { .. })
                    && (!matches!(f.outcome, FieldOutcome::Skipped { .. })
                        || f.field == "location_type"),
                "{} {}: {:?}",
                r.path,
                f.field,
                f.outcome
            );
        }
    }
}

#[test]
fn the_public_export_of_the_samples_withholds_the_confidential_shelter_only() {
    let d = samples::directory().unwrap();
    let back = import_json(&export_json(&d).unwrap(), &ImportOptions::default()).unwrap();
    let mut expected = d.clone();
    for l in expected.locations.iter_mut() {
        if l.confidential.is_some() {
            assert!(l.address.is_some() && l.coordinates.is_some());
            l.address = None;
            l.coordinates = None;
            l.confidential = Some(Default::default());
        }
    }
    assert!(expected != d, "the samples hold a confidential location");
    assert_eq!(back.directory, expected);
}

/// The 3.0 package with the tables HSDS 3.1 adds, as file name to text; `edit` may change the
/// 3.1 tables' text first.
fn package_with_31(
    ex: &std::path::Path,
    ex31: &std::path::Path,
    edit: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in [ex.join("csv"), ex31.join("csv")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".csv") {
                let text = std::fs::read_to_string(&path).unwrap();
                let text = if dir.starts_with(ex31) {
                    edit(&text)
                } else {
                    text
                };
                files.push((name, text));
            }
        }
    }
    files
}

#[test]
fn official_31_tables_import_with_the_30_package_and_their_mess_is_reported() {
    let (Some(ex), Some(ex31)) = (examples(), examples_31()) else {
        return;
    };
    // As published: the capacity names a service that is not in the package.
    let i = beside::referral::hsds::import_tabular(
        package_with_31(&ex, &ex31, str::to_owned),
        &ImportOptions::default(),
    )
    .unwrap();
    check_tabular(&i);
    let row = i
        .report
        .records
        .iter()
        .find(|r| r.path == "service_capacity.csv[0]")
        .unwrap();
    assert_eq!(row.kind, RecordKind::Row);
    assert_eq!(
        row.outcome,
        RecordOutcome::Skipped {
            reason: SkipReason::UnknownReference {
                id: "f75b808e-7bdb-11ef-afaa-ab00a77dc5c4".into()
            }
        }
    );
    // Pointed at the package's service: its unit_id names no unit (as the README warns).
    let to_service = |t: &str| t.replace("f75b808e-7bdb-11ef-afaa-ab00a77dc5c4", SERVICE);
    let i = beside::referral::hsds::import_tabular(
        package_with_31(&ex, &ex31, to_service),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(i.directory.services[0].capacity, None);
    let rep = i.report.record(RecordKind::Service, SERVICE).unwrap();
    assert!(matches!(
        rep.field("capacities[0].unit"),
        Some(FieldOutcome::Skipped { reason: SkipReason::UnknownUnit { unit, .. } })
            if unit == "187a37a2-7b40-11ef-9790-dbf7623d4407"
    ));
    // With the unit found, a kilogram is no place; counted as places if the user says so,
    // its 12 available above its maximum of 10 count as 10.
    let fixed = |t: &str| {
        to_service(t).replace(
            "187a37a2-7b40-11ef-9790-dbf7623d4407",
            "8896b788-7b3e-11ef-8db9-7f3d040352b3",
        )
    };
    let i = beside::referral::hsds::import_tabular(
        package_with_31(&ex, &ex31, fixed),
        &ImportOptions::default(),
    )
    .unwrap();
    let rep = i.report.record(RecordKind::Service, SERVICE).unwrap();
    assert!(matches!(
        rep.field("capacities[0].unit"),
        Some(FieldOutcome::Skipped { reason: SkipReason::UnknownUnit { unit, .. } }) if unit == "Kilogram"
    ));
    let options = ImportOptions {
        capacity_units: vec!["kilogram".into()],
        ..ImportOptions::default()
    };
    let i = beside::referral::hsds::import_tabular(package_with_31(&ex, &ex31, fixed), &options)
        .unwrap();
    assert!(i.report.complete);
    assert_eq!(i.directory.services[0].capacity, Some(10));
    let rep = i.report.record(RecordKind::Service, SERVICE).unwrap();
    assert_eq!(
        rep.field("capacity"),
        Some(&FieldOutcome::Inferred {
            from: "capacities[0]".into(),
            rule: InferRule::CappedAtMaximum {
                available: 12,
                maximum: 10
            }
        })
    );
}

#[test]
fn the_publisher_guide_lists_every_beside_code_as_the_code_does() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/hsds.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- codes:start -->\n", "<!-- codes:end -->");
    let a = doc.find(start).expect("codes:start marker") + start.len();
    let b = doc.find(end).expect("codes:end marker");
    let table = beside::referral::hsds::beside_codes_markdown();
    if std::env::var("BESIDE_WRITE_DOCS").is_ok_and(|v| v == "1") {
        let new = format!("{}{table}{}", &doc[..a], &doc[b..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert_eq!(
        &doc[a..b],
        table,
        "docs/hsds.md is out of date: run `BESIDE_WRITE_DOCS=1 cargo test --test hsds`"
    );
    for c in &beside::referral::hsds::BESIDE_CODES {
        assert!(doc.contains(&format!("| `{}` |", c.code)), "{}", c.code);
    }
}

// --- The project's own fixtures (tests/fixtures/hsds), written from the schemas. ---

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/hsds")
            .join(name),
    )
    .unwrap()
}

/// The options a publisher with the `acme` vocabulary would pass.
fn acme() -> ImportOptions {
    ImportOptions {
        term_codes: vec![
            TermCode {
                taxonomy: "acme".into(),
                code: "needs-referral-letter".into(),
                beside_code: "requires_referral_letter".into(),
                value: None,
            },
            TermCode {
                taxonomy: "ACME".into(),
                code: "Women-Only".into(),
                beside_code: "gender_served".into(),
                value: Some("female".into()),
            },
        ],
        ..ImportOptions::default()
    }
}

fn field<'a>(r: &'a ImportReport, kind: RecordKind, id: &str, f: &str) -> &'a FieldOutcome {
    r.record(kind, id)
        .unwrap_or_else(|| panic!("{id} not imported"))
        .field(f)
        .unwrap_or_else(|| panic!("{id} {f} not reported"))
}

const S1: &str = "6a0e1c4e-0b1a-4c55-9d5e-0a1b2c3d4e21";
const S2: &str = "6a0e1c4e-0b1a-4c55-9d5e-0a1b2c3d4e22";
const S3: &str = "6a0e1c4e-0b1a-4c55-9d5e-0a1b2c3d4e23";

#[test]
fn a_directory_written_from_the_schema_imports_as_expected_and_round_trips() {
    let i = import_json(&fixture("directory-3.1.json"), &acme()).unwrap();
    assert!(
        i.report.complete,
        "{:#?}",
        i.report.skipped_records().collect::<Vec<_>>()
    );
    let expected: Directory = from_json(&fixture("expected-directory.json")).unwrap();
    assert_eq!(i.directory, expected);
    let r = &i.report;
    use RecordKind::Service as Svc;
    // The court order attached with no value counts as required, and says so.
    assert_eq!(
        field(r, Svc, S1, "requires_court_order"),
        &FieldOutcome::Inferred {
            from: "attributes[1]".into(),
            rule: InferRule::RequirementWithoutValue {
                term: "requires_court_order".into()
            }
        }
    );
    // The publisher's own term, mapped, without a value: required too, naming the rule.
    assert_eq!(
        field(r, Svc, S1, "requires_referral_letter"),
        &FieldOutcome::Inferred {
            from: "attributes[2] (acme/needs-referral-letter, term_codes[0])".into(),
            rule: InferRule::RequirementWithoutValue {
                term: "acme/needs-referral-letter".into()
            }
        }
    );
    // An explicit false stays false.
    assert!(matches!(
        field(r, Svc, S3, "requires_court_order"),
        FieldOutcome::Carried { .. }
    ));
    // Languages only on the location.
    assert_eq!(
        field(r, Svc, S1, "languages"),
        &FieldOutcome::Inferred {
            from: "service_at_location".into(),
            rule: InferRule::LocationLanguages {
                locations: vec!["6a0e1c4e-0b1a-4c55-9d5e-0a1b2c3d4e11".into()]
            }
        }
    );
    // The area given by name.
    assert_eq!(
        field(r, Svc, S1, "service_areas[0]"),
        &FieldOutcome::Inferred {
            from: "service_areas[0].name".into(),
            rule: InferRule::AreaName {
                name: "Jashore district".into(),
                area: vec!["BD".into(), "Khulna".into(), "Jashore".into()]
            }
        }
    );
    // 3.1 capacity preferred; the attribute's 5 is a conflict, named.
    assert_eq!(
        field(r, Svc, S1, "capacity"),
        &FieldOutcome::Carried {
            from: "capacities[0]".into()
        }
    );
    assert_eq!(
        field(r, Svc, S1, "attributes[4]"),
        &FieldOutcome::Skipped {
            reason: SkipReason::CapacityConflict {
                attribute: "5".into(),
                service_capacity: 3
            }
        }
    );
    assert_eq!(
        field(r, Svc, S3, "capacity"),
        &FieldOutcome::Inferred {
            from: "capacities".into(),
            rule: InferRule::ServiceCapacities { count: 2 }
        }
    );
    assert!(matches!(
        field(r, Svc, S2, "service_extents"),
        FieldOutcome::Carried { .. }
    ));
    assert!(matches!(
        field(
            r,
            RecordKind::Organization,
            "6a0e1c4e-0b1a-4c55-9d5e-0a1b2c3d4e01",
            "year_incorporated"
        ),
        FieldOutcome::Skipped {
            reason: SkipReason::NotModelled
        }
    ));
    // Export, 3.0 and 3.1, and import again: the same directory.
    for version in [HsdsVersion::Hsds30, HsdsVersion::Hsds31] {
        let options = ExportOptions {
            version,
            capacity_updated: None,
            viewer: Default::default(),
        };
        let text = export_json_with(&i.directory, &options).unwrap();
        let back = import_json(&text, &ImportOptions::default()).unwrap();
        assert!(back.report.complete, "{version:?}");
        assert_eq!(back.directory, i.directory, "{version:?}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let s1 = &v["contents"][0]["services"][0];
        assert_eq!(s1["capacities"].is_array(), version == HsdsVersion::Hsds31);
        assert_eq!(
            s1["additional_urls"].is_array(),
            version == HsdsVersion::Hsds31
        );
        let extent = &v["contents"][0]["services"][1]["service_areas"][0];
        assert_eq!(extent["extent_type"], "geojson");
    }
}

#[test]
fn the_csv_package_written_from_the_schema_imports_with_31_tables() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds/csv");
    let i = import_folder(&dir, &acme()).unwrap();
    assert!(
        i.report.complete,
        "{:#?}",
        i.report.skipped_records().collect::<Vec<_>>()
    );
    let d = &i.directory;
    let s1 = &d.services[0];
    assert_eq!(s1.capacity, Some(3));
    assert!(s1.requires_court_order && s1.requires_referral_letter);
    assert_eq!(s1.languages[0].as_str(), "bn");
    assert_eq!(*s1.service_areas[0].0, ["BD", "Khulna", "Jashore"]);
    assert_eq!(s1.urls[0].label.as_deref(), Some("Referral form"));
    let s2 = &d.services[1];
    assert_eq!(s2.capacity, None);
    assert_eq!(s2.service_extents.len(), 1);
    let langs: Vec<&str> = s2.languages.iter().map(|l| l.as_str()).collect();
    assert_eq!(langs, ["en"]);
    let urls: Vec<&str> = d.organizations[0]
        .urls
        .iter()
        .map(|u| u.url.as_str())
        .collect();
    assert_eq!(
        urls,
        [
            "https://asharalo.example.org",
            "https://facebook.example.com/asharalo"
        ]
    );
    let r = &i.report;
    assert!(matches!(
        field(r, RecordKind::Service, "svc-2", "capacities[0].unit"),
        FieldOutcome::Skipped { reason: SkipReason::UnknownUnit { unit, .. } } if unit == "Hour"
    ));
    assert!(matches!(
        field(r, RecordKind::Service, "svc-2", "capacities[1].unit"),
        FieldOutcome::Skipped { reason: SkipReason::UnknownUnit { unit, .. } } if unit == "unit-gone"
    ));
    let orphan = r
        .records
        .iter()
        .find(|x| x.path == "languages.csv[2]")
        .unwrap();
    assert_eq!(orphan.kind, RecordKind::Row);
    // Round trip, both versions.
    for version in [HsdsVersion::Hsds30, HsdsVersion::Hsds31] {
        let options = ExportOptions {
            version,
            capacity_updated: None,
            viewer: Default::default(),
        };
        let back = import_json(
            &export_json_with(d, &options).unwrap(),
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(&back.directory, d, "{version:?}");
    }
}

#[test]
fn bad_input_is_skipped_and_named_with_its_path() {
    let i = import_json(&fixture("bad-input.json"), &ImportOptions::default()).unwrap();
    // Every record imports: bad values are skipped, never loaded, never a panic.
    assert!(i.report.complete);
    let r = &i.report;
    let skipped = |id: &str, f: &str| match field(r, RecordKind::Service, id, f) {
        FieldOutcome::Skipped { reason } => reason.clone(),
        other => panic!("{id} {f}: {other:?}"),
    };
    assert!(matches!(
        skipped("svc-bad-shape", "service_areas[0].extent.coordinates[0]"),
        SkipReason::Invalid {
            reason: beside::core::Reason::RingNotClosed { .. }
        }
    ));
    assert!(matches!(
        skipped("svc-bad-shape", "capacities[0].unit"),
        SkipReason::UnknownUnit { unit, .. } if unit == "Hour"
    ));
    assert_eq!(
        skipped("svc-bad-shape", "capacities[1].available"),
        SkipReason::Invalid {
            reason: beside::core::Reason::BelowMinimum {
                min: 0.0,
                got: -2.0
            }
        }
    );
    assert!(matches!(
        skipped("svc-bad-shape", "service_areas[1]"),
        SkipReason::AmbiguousAreaName { candidates, .. } if candidates.len() == 2
    ));
    // The unclosed shape's name matches nothing: not used.
    assert_eq!(
        skipped("svc-bad-shape", "service_areas[0]"),
        SkipReason::FreeTextArea
    );
    assert!(matches!(
        skipped("svc-bad-text", "service_areas[0].extent"),
        SkipReason::Invalid { .. }
    ));
    assert!(matches!(
        skipped("svc-bad-text", "service_areas[1].extent_type"),
        SkipReason::Invalid {
            reason: beside::core::Reason::Unknown { .. }
        }
    ));
    let s = &i.directory.services[0];
    assert_eq!(s.capacity, None);
    assert!(s.service_extents.is_empty());
    // An unreadable court-order value is read the safe way.
    assert!(s.requires_court_order);
    // "Jashore" (the KML area's name) names one area: used, though its extent was not.
    assert_eq!(
        *i.directory.services[1].service_areas[0].0,
        ["BD", "Khulna", "Jashore"]
    );
    // Words for people, from the label table, never Debug.
    let labels =
        beside::core::Labels::english().with_english(beside::referral::hsds::english_labels());
    let en = beside::core::LanguageCode::new("en").unwrap();
    for rec in &r.records {
        for f in &rec.fields {
            let text = f.render(&labels, &en);
            assert!(!text.contains("hsds."), "no label for {text}");
        }
    }
}

#[test]
fn import_options_are_checked_first() {
    let mut o = acme();
    o.term_codes[1].beside_code = "women_only".into();
    o.term_codes.push(o.term_codes[0].clone());
    let err = import_json(&fixture("directory-3.1.json"), &o).unwrap_err();
    let HsdsError::BadOptions(e) = &err else {
        panic!("{err:?}")
    };
    assert!(e.has_path("term_codes[1].beside_code"), "{err}");
    assert!(e.has_path("term_codes[2].code"), "{err}");
    assert!(err.to_string().contains("requires_court_order"), "{err}");
}

#[test]
fn a_missing_third_party_folder_skips_here_and_fails_under_ci() {
    let missing = || third_party("../no-such-folder/anchors", "a folder that is not there");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        assert!(std::panic::catch_unwind(missing).is_err());
    } else {
        assert_eq!(missing(), None);
    }
}
