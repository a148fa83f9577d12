//! Import, export and round trips on small hand-written HSDS documents, and the round-trip
//! property on generated directories.

use super::*;
use crate::directory::{
    Cost, Eligibility, GenderServed, Location, Organization, Service, ServiceStatus,
};
use crate::whereabouts::{Confidentiality, Viewer};
use beside_core::{
    default_domain_keys, AreaPath, Coordinates, CountryCode, LanguageCode, LocationId,
    OrganizationId, OrganizationKind, ServiceId, Validate,
};
use proptest::prelude::*;

fn opts() -> ImportOptions {
    ImportOptions::default()
}

const SERVICE: &str = r#"{
  "id": "s1", "name": "Hot meals", "status": "active",
  "organization": {"id": "o1", "name": "Kitchen", "description": "d"},
  "minimum_age": 18, "maximum_age": 60,
  "languages": [{"id": "x", "code": "bn"}, {"id": "y", "code": "en-GB"}, {"id": "z", "code": "zz"}],
  "cost_options": [{"id": "c", "currency": "bdt", "amount": 12.5}],
  "phones": [{"id": "p", "number": "1"}],
  "service_at_locations": [{"id": "sal", "location": {
     "id": "l1", "location_type": "physical", "name": "Hall",
     "latitude": 23.1, "longitude": 89.2,
     "addresses": [{"id": "a", "address_1": "Road 1", "city": "Jashore", "state_province": "Khulna",
                    "postal_code": "7400", "country": "bd", "address_type": "physical"}]}}]
}"#;

#[test]
fn a_service_with_nested_records_imports() {
    let i = import_json(SERVICE, &opts()).unwrap();
    assert!(i.report.complete, "{:#?}", i.report);
    let d = &i.directory;
    assert_eq!(d.organizations.len(), 1);
    assert_eq!(d.organizations[0].kind, OrganizationKind::Ngo);
    let s = &d.services[0];
    assert_eq!(s.domains[0].as_str(), "food");
    assert_eq!(s.eligibility.min_age, Some(18));
    let langs: Vec<&str> = s.languages.iter().map(LanguageCode::as_str).collect();
    assert_eq!(langs, ["bn", "en"]);
    assert_eq!(
        s.cost,
        Cost::Fee {
            amount: 1250,
            currency: "BDT".into()
        }
    );
    assert_eq!(s.location_ids[0].as_str(), "l1");
    assert_eq!(*d.locations[0].area.0, ["BD", "Khulna", "Jashore"]);
    assert_eq!(d.locations[0].organization_id.as_str(), "o1");
    let r = i.report.record(RecordKind::Service, "s1").unwrap();
    assert!(matches!(
        r.field("phones"),
        Some(FieldOutcome::Skipped {
            reason: SkipReason::NotModelled
        })
    ));
    assert!(matches!(
        r.field("languages[2]"),
        Some(FieldOutcome::Skipped {
            reason: SkipReason::Invalid { .. }
        })
    ));
    assert!(matches!(
        r.field("domains"),
        Some(FieldOutcome::Inferred {
            rule: InferRule::Keywords { .. },
            ..
        })
    ));
    let l = i.report.record(RecordKind::Location, "l1").unwrap();
    assert!(matches!(
        l.field("organization_id"),
        Some(FieldOutcome::Inferred {
            rule: InferRule::OrganizationOfServices { dangling: None },
            ..
        })
    ));
    assert!(l.field("addresses[0].postal_code").is_some());
    d.validate().unwrap();
}

#[test]
fn missing_required_fields_name_the_path_and_mark_incomplete() {
    let doc = r#"{"contents": [
        {"name": "No id", "description": "x"},
        {"id": "o2", "description": "no name"},
        {"id": "o3", "name": "Fine", "description": "x",
         "services": [{"id": "s1", "status": "active"},
                      {"name": "Shelter", "status": "active"},
                      {"id": "s3", "name": "Zumba", "status": "active"}]}
    ]}"#;
    let i = import_json(doc, &opts()).unwrap();
    assert!(!i.report.complete);
    assert_eq!(i.directory.organizations.len(), 1);
    assert_eq!(i.directory.services.len(), 0);
    let skipped: Vec<(String, SkipReason)> = i
        .report
        .skipped_records()
        .map(|r| match &r.outcome {
            RecordOutcome::Skipped { reason } => (r.path.clone(), reason.clone()),
            _ => unreachable!(),
        })
        .collect();
    let missing = |f: &str| SkipReason::MissingRequired { field: f.into() };
    assert!(skipped.contains(&("contents[0]".into(), missing("id"))));
    assert!(skipped.contains(&("contents[1]".into(), missing("name"))));
    assert!(skipped.contains(&("contents[2].services[0]".into(), missing("name"))));
    assert!(skipped.contains(&("contents[2].services[1]".into(), missing("id"))));
    assert!(skipped.contains(&(
        "contents[2].services[2]".into(),
        SkipReason::NoDomain { terms: vec![] }
    )));
    assert!(i.clone().into_complete().is_err());
    let c = i.report.count(RecordKind::Service);
    assert_eq!((c.found, c.imported, c.skipped), (3, 0, 3));
}

#[test]
fn a_fallback_domain_keeps_unmapped_services_and_says_so() {
    let mut o = opts();
    o.mapping.fallback = Some(beside_core::domains::COMMUNITY);
    let doc = r#"{"id": "o", "name": "O", "description": "",
      "services": [{"id": "s", "name": "Zumba", "status": "temporarily closed"}]}"#;
    let i = import_json(doc, &o).unwrap();
    assert!(i.report.complete);
    let s = &i.directory.services[0];
    assert_eq!(s.domains, vec![beside_core::domains::COMMUNITY]);
    assert_eq!(s.status, ServiceStatus::Inactive);
    let r = i.report.record(RecordKind::Service, "s").unwrap();
    assert!(matches!(
        r.field("domains"),
        Some(FieldOutcome::Defaulted {
            reason: DefaultReason::Configured { .. },
            ..
        })
    ));
}

#[test]
fn taxonomy_terms_map_through_rules() {
    let mut o = opts();
    o.mapping.terms.push(TermRule {
        taxonomy: Some("AIRS".into()),
        term: "BH-1800".into(),
        domain: beside_core::domains::SHELTER,
    });
    let doc = r#"{"id": "o", "name": "O", "description": "",
      "services": [{"id": "s", "name": "Zumba", "status": "active", "attributes": [
        {"id": "a1", "taxonomy_term": {"id": "t", "code": "BH-1800", "name": "x", "taxonomy": "airs"}},
        {"id": "a2", "taxonomy_term": {"id": "u", "code": "ZZ", "name": "y", "taxonomy": "airs"}}]}]}"#;
    let i = import_json(doc, &o).unwrap();
    assert_eq!(
        i.directory.services[0].domains,
        vec![beside_core::domains::SHELTER]
    );
    let r = i.report.record(RecordKind::Service, "s").unwrap();
    assert!(matches!(
        r.field("attributes[1]"),
        Some(FieldOutcome::Skipped {
            reason: SkipReason::UnmappedTerm { .. }
        })
    ));
}

#[test]
fn bad_documents_are_typed_errors() {
    assert!(matches!(
        import_json("{\"id\": ", &opts()),
        Err(HsdsError::MalformedJson { .. })
    ));
    assert!(matches!(
        import_json("42", &opts()),
        Err(HsdsError::NotHsds { .. })
    ));
    let mut small = opts();
    small.max_input_bytes = 10;
    assert_eq!(
        import_json(SERVICE, &small).unwrap_err(),
        HsdsError::TooLarge {
            max: 10,
            got: SERVICE.len()
        }
    );
    let mut few = opts();
    few.max_records = 2;
    assert_eq!(
        import_json(SERVICE, &few).unwrap_err(),
        HsdsError::TooManyRecords { max: 2 }
    );
    assert!(matches!(
        import_tabular([("phones.csv", "id\n1\n")], &opts()),
        Err(HsdsError::NoTables { .. })
    ));
    assert!(matches!(
        import_tabular([("services.csv", "id,name\n\"1,x\n")], &opts()),
        Err(HsdsError::MalformedCsv { .. }) | Ok(_)
    ));
    let i = import_json(r#"{"contents": [{"id": "x"}, 7]}"#, &opts()).unwrap();
    assert!(!i.report.complete);
}

#[test]
fn bad_values_are_skipped_not_loaded() {
    let doc = r#"{"id": "o", "name": "O", "description": "",
      "locations": [{"id": "l", "location_type": "physical", "name": "L", "latitude": 100, "longitude": 1,
                     "addresses": [{"id": "a", "country": "BD", "city": "X", "state_province": "Y",
                                    "address_1": "", "postal_code": "", "address_type": "physical"}]}],
      "services": [{"id": "s", "name": "Legal aid", "status": "active", "minimum_age": -3,
        "attributes": [{"id": "a", "value": "-4", "taxonomy_term": {"id": "t", "code": "capacity",
                        "name": "c", "description": "", "taxonomy": "beside"}}]}]}"#;
    let i = import_json(doc, &opts()).unwrap();
    assert!(i.report.complete);
    assert_eq!(i.directory.locations[0].coordinates, None);
    assert_eq!(i.directory.services[0].capacity, None);
    assert_eq!(i.directory.services[0].eligibility.min_age, None);
    let l = i.report.record(RecordKind::Location, "l").unwrap();
    assert!(matches!(
        l.field("latitude"),
        Some(FieldOutcome::Skipped {
            reason: SkipReason::Invalid { .. }
        })
    ));
}

#[test]
fn locations_without_a_country_need_a_default() {
    let doc = r#"{"id": "sal", "service_id": "s", "location_id": "l",
        "service": {"id": "s", "name": "Clinic", "status": "active", "organization_id": "o",
                    "organization": {"id": "o", "name": "O", "description": ""}},
        "location": {"id": "l", "location_type": "physical", "name": "L"}}"#;
    let i = import_json(doc, &opts()).unwrap();
    assert!(!i.report.complete);
    assert!(i.directory.locations.is_empty());
    let mut o = opts();
    o.default_country = Some(CountryCode::new("NP").unwrap());
    let i = import_json(doc, &o).unwrap();
    assert!(i.report.complete, "{:#?}", i.report);
    assert_eq!(*i.directory.locations[0].area.0, ["NP"]);
    assert_eq!(i.directory.services[0].location_ids.len(), 1);
}

#[test]
fn tabular_csv_joins_tables() {
    let files = [
        ("organizations.csv", "id,name,description\no1,Org,\n"),
        (
            "services.csv",
            "id,organization_id,name,status\ns1,o1,\"Shelter, short stay\",active\n",
        ),
        (
            "locations.csv",
            "id,organization_id,name,location_type\nl1,o1,Home,physical\n",
        ),
        (
            "addresses.csv",
            "id,location_id,country,state_province,city\na1,l1,KH,Banteay Meanchey,Poipet\n",
        ),
        (
            "service_at_location.csv",
            "id,service_id,location_id\nx,s1,l1\n",
        ),
        (
            "attributes.csv",
            "id,link_id,taxonomy_term_id,value\nat1,s1,t1,3\nat2,nowhere,t1,1\n",
        ),
        (
            "taxonomy_terms.csv",
            "id,code,name,taxonomy\nt1,capacity,Capacity,beside\n",
        ),
        ("phones.csv", "id,number\np,1\n"),
    ];
    let i = import_tabular(files, &opts()).unwrap();
    assert!(i.report.complete, "{:#?}", i.report);
    let s = &i.directory.services[0];
    assert_eq!(s.name, "Shelter, short stay");
    assert_eq!(s.capacity, Some(3));
    assert_eq!(s.location_ids.len(), 1);
    assert_eq!(
        *i.directory.locations[0].area.0,
        ["KH", "Banteay Meanchey", "Poipet"]
    );
    assert_eq!(i.report.count(RecordKind::Attribute).skipped, 1);
    assert_eq!(i.report.count(RecordKind::Document).skipped, 1);
}

fn area() -> impl Strategy<Value = AreaPath> {
    (
        prop::sample::select(vec!["BD", "KH", "NP", "IN"]),
        prop::collection::vec("[A-Z][a-z]{1,8}( [A-Z][a-z]{1,5})?", 0..4),
    )
        .prop_map(|(c, rest)| {
            let mut v = vec![c.to_owned()];
            v.extend(rest);
            AreaPath(v.into())
        })
}

/// A ring around (lon, lat), closed, with 3 to 6 corners at any distance within range.
fn ring() -> impl Strategy<Value = Vec<[f64; 2]>> {
    (
        -170.0f64..170.0,
        -80.0f64..80.0,
        prop::collection::vec((0.001f64..5.0, 0.0f64..std::f64::consts::TAU), 3..7),
    )
        .prop_map(|(lon, lat, corners)| {
            let mut r: Vec<[f64; 2]> = corners
                .into_iter()
                .map(|(d, a)| [lon + d * a.cos(), lat + d * a.sin()])
                .collect();
            let first = r[0];
            r.push(first);
            r
        })
}

fn shape() -> impl Strategy<Value = crate::area::AreaShape> {
    prop_oneof![
        (ring(), prop::collection::vec(ring(), 0..2))
            .prop_map(|(o, holes)| crate::area::AreaShape::polygon(o, holes)),
        prop::collection::vec(prop::collection::vec(ring(), 1..3), 1..3)
            .prop_map(|coordinates| crate::area::AreaShape::MultiPolygon { coordinates }),
    ]
}

fn urls() -> impl Strategy<Value = Vec<crate::directory::WebLink>> {
    prop::collection::vec(
        (
            "(https|http|mailto):[a-z0-9./?=&%-]{1,30}",
            prop::option::of("[A-Za-z][A-Za-z ]{0,20}"),
        ),
        0..3,
    )
    .prop_map(|v| {
        let mut out: Vec<crate::directory::WebLink> = Vec::new();
        for (url, label) in v {
            if !out.iter().any(|o| o.url == url) {
                out.push(crate::directory::WebLink { url, label });
            }
        }
        out
    })
}

fn cost() -> impl Strategy<Value = Cost> {
    prop_oneof![
        Just(Cost::Free),
        Just(Cost::Unknown),
        (
            0u64..10_000_000_000,
            prop::sample::select(vec!["BDT", "KHR", "USD", "JPY", "KWD"])
        )
            .prop_map(|(amount, c)| Cost::Fee {
                amount,
                currency: c.to_owned()
            }),
    ]
}

prop_compose! {
    fn service(i: usize, orgs: usize, locs: usize)(
        org in 0..orgs,
        domains in prop::sample::subsequence(default_domain_keys(), 1..4),
        status in prop::sample::select(vec![ServiceStatus::Active, ServiceStatus::Inactive, ServiceStatus::Defunct]),
        ages in (prop::option::of(0u32..40), prop::option::of(40u32..=120)),
        genders in prop::collection::vec(prop::sample::select(vec![GenderServed::Female, GenderServed::Male, GenderServed::ThirdGender]), 0..3),
        nationalities in prop::sample::subsequence(vec!["BD", "KH", "NP", "MM"], 0..3),
        flags in prop::collection::vec(any::<bool>(), 7),
        languages in prop::sample::subsequence(vec!["bn", "en", "km", "ne", "rhg", "hi"], 0..4),
        cost in cost(),
        capacity in prop::option::of(0i64..100_000),
        areas in prop::collection::vec(area(), 0..3),
        at in prop::sample::subsequence((0..locs).collect::<Vec<_>>(), 0..=locs.min(3)),
        name in "[A-Za-z][A-Za-z ,'()-]{0,30}",
        shapes in prop::collection::vec(shape(), 0..3),
        urls in urls(),
    ) -> Service {
        Service {
            id: ServiceId::new(format!("s{i}")).unwrap(),
            organization_id: OrganizationId::new(format!("o{org}")).unwrap(),
            name,
            domains,
            status,
            eligibility: Eligibility {
                min_age: ages.0,
                max_age: ages.1,
                genders,
                nationalities: nationalities.into_iter().map(|c| CountryCode::new(c).unwrap()).collect(),
                requires_formal_identification: flags[0],
            },
            languages: languages.into_iter().map(|l| LanguageCode::new(l).unwrap()).collect(),
            interpretation_available: flags[1],
            cost,
            capacity,
            respond_within_minutes: None,
            requires_court_order: flags[2],
            requires_referral_letter: flags[3],
            female_staff: flags[4],
            trauma_informed: flags[5],
            service_areas: areas,
            service_extents: shapes,
            urls,
            location_ids: at.into_iter().map(|l| LocationId::new(format!("l{l}")).unwrap()).collect(),
            outreach: flags[6],
        }
    }
}

fn directory() -> impl Strategy<Value = Directory> {
    (1usize..4, 0usize..4, 0usize..5)
        .prop_flat_map(|(n_orgs, n_locs, n_svcs)| {
            let orgs = prop::collection::vec(
                (
                    (
                        prop::sample::select(OrganizationKind::ALL.to_vec()),
                        any::<bool>(),
                        prop::option::of("[A-Za-z][a-z .]{0,40}"),
                        "[A-Z][A-Za-z &'-]{0,30}",
                    ),
                    urls(),
                ),
                n_orgs,
            );
            let locs = prop::collection::vec(
                (
                    0..n_orgs,
                    area(),
                    prop::option::of((-90.0f64..=90.0, -180.0f64..=180.0)),
                    "[A-Z][a-z ]{0,20}",
                    prop::option::of("[1-9][0-9]{0,2} [A-Z][a-z]{2,10} Road"),
                    prop::option::of(prop::collection::vec(0..n_orgs, 0..3)),
                ),
                n_locs,
            );
            let svcs: Vec<_> = (0..n_svcs).map(|i| service(i, n_orgs, n_locs)).collect();
            (orgs, locs, svcs)
        })
        .prop_map(|(orgs, locs, services)| Directory {
            organizations: orgs
                .into_iter()
                .enumerate()
                .map(
                    |(i, ((kind, survivor_led, description, name), urls))| Organization {
                        id: OrganizationId::new(format!("o{i}")).unwrap(),
                        name,
                        kind,
                        survivor_led,
                        description,
                        urls,
                    },
                )
                .collect(),
            locations: locs
                .into_iter()
                .enumerate()
                .map(
                    |(i, (org, area, c, name, address, confidential))| Location {
                        id: LocationId::new(format!("l{i}")).unwrap(),
                        organization_id: OrganizationId::new(format!("o{org}")).unwrap(),
                        name,
                        area,
                        address,
                        confidential: confidential.map(|mut to| {
                            to.sort_unstable();
                            to.dedup();
                            Confidentiality {
                                disclosed_to: to
                                    .into_iter()
                                    .map(|o| OrganizationId::new(format!("o{o}")).unwrap())
                                    .collect(),
                            }
                        }),
                        coordinates: c.map(|(latitude, longitude)| Coordinates {
                            latitude,
                            longitude,
                        }),
                    },
                )
                .collect(),
            services,
        })
}

/// The directory as export orders it: services and locations grouped by organisation.
fn grouped(d: &Directory) -> Directory {
    let rank = |o: &OrganizationId| d.organizations.iter().position(|x| &x.id == o);
    let mut g = d.clone();
    g.services.sort_by_key(|s| rank(&s.organization_id));
    g.locations.sort_by_key(|l| rank(&l.organization_id));
    g
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip_loses_nothing(d in directory(), v31 in any::<bool>()) {
        prop_assume!(d.validate().is_ok());
        let options = ExportOptions {
            version: if v31 { HsdsVersion::Hsds31 } else { HsdsVersion::Hsds30 },
            capacity_updated: None,
            // The keeper's own export: every location whole, confidential ones too.
            viewer: Viewer::Keeper,
        };
        let text = export_json_with(&d, &options).unwrap();
        let back = import_json(&text, &ImportOptions::default()).unwrap();
        prop_assert!(back.report.complete);
        prop_assert_eq!(&back.directory, &grouped(&d));
        // Nothing the export wrote was skipped, and no Beside field was guessed.
        for r in &back.report.records {
            for f in &r.fields {
                // `location_type` is required by HSDS and always `physical`; Beside does not hold it.
                let guessed = matches!(f.outcome, FieldOutcome::Skipped { .. } | FieldOutcome::Inferred { .. })
                    && f.field != "location_type";
                prop_assert!(!guessed, "{} {}: {:?}", r.path, f.field, f.outcome);
            }
        }
        // Export is deterministic and a second round trip is exact.
        let again = import_json(&export_json_with(&back.directory, &options).unwrap(), &ImportOptions::default()).unwrap();
        prop_assert_eq!(export_json_with(&again.directory, &options).unwrap(), export_json_with(&back.directory, &options).unwrap());
        prop_assert_eq!(again.directory, back.directory);
    }

    #[test]
    fn an_export_for_the_public_withholds_confidential_whereabouts(d in directory()) {
        prop_assume!(d.validate().is_ok());
        let text = export_json_with(&d, &ExportOptions::default()).unwrap();
        let back = import_json(&text, &ImportOptions::default()).unwrap();
        for (l, b) in grouped(&d).locations.iter().zip(&back.directory.locations) {
            prop_assert_eq!(&l.id, &b.id);
            if l.confidential.is_some() {
                // Still confidential, still there, without its whereabouts or its partners.
                prop_assert_eq!(&b.confidential, &Some(Confidentiality::default()));
                prop_assert_eq!(b.address.as_ref(), None);
                prop_assert_eq!(b.coordinates, None);
                let shared = |a: &String| d.locations.iter().any(|o| o.confidential.is_none() && o.address.as_ref() == Some(a));
                if let Some(a) = l.address.as_ref().filter(|a| !shared(a)) {
                    prop_assert!(!text.contains(a.as_str()), "{a} in the export");
                }
            } else {
                prop_assert_eq!(l, b);
            }
        }
    }

    #[test]
    fn import_never_panics_and_never_hands_over_an_invalid_directory(
        doc in prop::sample::select(vec![SERVICE.to_owned()]),
        cut in 0usize..2000,
        junk in "[\\[\\]{}\":,a-z0-9 ]{0,20}",
    ) {
        let cut = cut.min(doc.len());
        let mut text = doc.get(..cut).unwrap_or("").to_owned();
        text.push_str(&junk);
        if let Ok(i) = import_json(&text, &ImportOptions::default()) {
            prop_assert!(i.directory.validate().is_ok());
        }
    }
}

/// `SERVICE` with its location carrying `attrs` (HSDS `attribute` objects of the `beside`
/// taxonomy, as `(code, value)`), and no name.
fn service_with_location_attrs(attrs: &[(&str, &str)]) -> String {
    let list: Vec<String> = attrs
        .iter()
        .enumerate()
        .map(|(i, (code, value))| {
            format!(
                r#"{{"id": "at{i}", "value": "{value}", "taxonomy_term": {{"id": "t{i}", "code": "{code}", "taxonomy": "beside"}}}}"#
            )
        })
        .collect();
    SERVICE.replace(
        r#""name": "Hall","#,
        &format!(r#""attributes": [{}],"#, list.join(", ")),
    )
}

#[test]
fn confidentiality_is_read_from_its_attribute() {
    let text = service_with_location_attrs(&[("confidential", "Confidential")]);
    let i = import_json(&text, &opts()).unwrap();
    let l = &i.directory.locations[0];
    assert_eq!(l.confidential, Some(Confidentiality::default()));
    assert_eq!(l.address.as_deref(), Some("Road 1"));
    // A confidential place is never named after its street.
    assert_eq!(l.name, "l1");
    let r = i.report.record(RecordKind::Location, "l1").unwrap();
    assert!(
        matches!(r.field("confidential"), Some(FieldOutcome::Carried { .. })),
        "{r:?}"
    );
    assert!(
        matches!(r.field("address"), Some(FieldOutcome::Carried { .. })),
        "{r:?}"
    );

    let public = import_json(
        &service_with_location_attrs(&[("confidential", "public")]),
        &opts(),
    )
    .unwrap();
    assert_eq!(public.directory.locations[0].confidential, None);
    // A public place with no name is named after its street, as before.
    assert_eq!(public.directory.locations[0].name, "Road 1");
}

#[test]
fn an_unknown_confidentiality_names_the_known_values_and_reads_as_confidential() {
    let text = service_with_location_attrs(&[("confidential", "secretish")]);
    let i = import_json(&text, &opts()).unwrap();
    assert_eq!(
        i.directory.locations[0].confidential,
        Some(Confidentiality::default())
    );
    let r = i.report.record(RecordKind::Location, "l1").unwrap();
    match r.field("attributes[0]") {
        Some(FieldOutcome::Skipped {
            reason:
                SkipReason::Invalid {
                    reason: beside_core::Reason::Invalid { expected, value },
                },
        }) => {
            assert_eq!(expected, "one of `public`, `confidential`");
            assert_eq!(value, "secretish");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        r.field("confidential"),
        Some(FieldOutcome::Defaulted {
            reason: DefaultReason::SafeReading,
            ..
        })
    ));
}

#[test]
fn disclosures_name_imported_organisations_only() {
    let text = service_with_location_attrs(&[
        ("confidential", "confidential"),
        ("disclosed_to", "o1"),
        ("disclosed_to", "o-missing"),
    ]);
    let i = import_json(&text, &opts()).unwrap();
    let c = i.directory.locations[0].confidential.clone().unwrap();
    assert_eq!(c.disclosed_to, [OrganizationId::new("o1").unwrap()]);
    let r = i.report.record(RecordKind::Location, "l1").unwrap();
    assert!(matches!(
        r.field("attributes[2]"),
        Some(FieldOutcome::Skipped {
            reason: SkipReason::UnknownReference { .. }
        })
    ));
    // On a public place a disclosure means nothing, and is reported.
    let text = service_with_location_attrs(&[("disclosed_to", "o1")]);
    let i = import_json(&text, &opts()).unwrap();
    assert_eq!(i.directory.locations[0].confidential, None);
    let r = i.report.record(RecordKind::Location, "l1").unwrap();
    assert!(matches!(
        r.field("attributes[0]"),
        Some(FieldOutcome::Skipped {
            reason: SkipReason::Invalid { .. }
        })
    ));
}
