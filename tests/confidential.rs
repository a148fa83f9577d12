//! Confidential places (issue 17, point 3): over the sample directory with random locations made
//! confidential, random homes and travel limits, and random viewers, no output an unentitled
//! viewer gets — match result, plan, gap table, HSDS export, minimised case view — holds a
//! confidential location's coordinates, its address or the exact distance to it; an entitled
//! viewer gets the exact distance, and its export the address and coordinates.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use beside::consent::minimise::{minimise_to, FieldMap, FieldRule};
use beside::consent::DataCategory;
use beside::core::{Coordinates, OrganizationId};
use beside::needs::{Prioritisation, Prioritiser};
use beside::referral::gaps::GapQuery;
use beside::referral::hsds::{export_json_with, ExportOptions};
use beside::referral::matching::{
    ConsentNotChecked, Exclusion, FactorBasis, MatchConfig, MatchIndex, MatchRequest,
};
use beside::referral::plan::PlanConfig;
use beside::referral::{may_see_whereabouts, Confidentiality, Directory, Viewer};
use beside::samples;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::LazyLock;

static DIRECTORY: LazyLock<Directory> = LazyLock::new(|| samples::directory().unwrap());

/// The latest assessment of each sample case, prioritised.
static PRIORITIES: LazyLock<BTreeMap<String, Prioritisation>> = LazyLock::new(|| {
    let mut latest: BTreeMap<String, beside::needs::Assessment> = BTreeMap::new();
    for a in samples::needs::assessments().unwrap() {
        let key = a.case_id.to_string();
        if latest
            .get(&key)
            .is_none_or(|b| a.assessed_at > b.assessed_at)
        {
            latest.insert(key, a);
        }
    }
    latest
        .into_iter()
        .map(|(k, a)| (k, Prioritiser::standard().prioritise(&a).unwrap()))
        .collect()
});

/// The sample directory with the chosen locations confidential (each with a unique street
/// address, disclosed to the chosen organisations) and every other one public.
fn with_confidential(secret: &[(bool, Vec<usize>)]) -> Directory {
    let mut d = DIRECTORY.clone();
    let orgs: Vec<OrganizationId> = d.organizations.iter().map(|o| o.id.clone()).collect();
    for (i, (l, (hidden, to))) in d.locations.iter_mut().zip(secret).enumerate() {
        l.confidential = None;
        l.address = Some(format!("{i} Public Street"));
        if *hidden {
            l.address = Some(format!("House {i}, Hidden Lane"));
            let to: BTreeSet<usize> = to.iter().map(|o| o % orgs.len()).collect();
            l.confidential = Some(Confidentiality {
                disclosed_to: to.into_iter().map(|o| orgs[o].clone()).collect(),
            });
        }
    }
    d
}

/// Whether `text` holds `s` standing alone: not as part of a longer number or word.
fn holds(text: &str, s: &str) -> bool {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
    text.match_indices(s).any(|(at, _)| {
        !part(text[..at].chars().next_back()) && !part(text[at + s.len()..].chars().next())
    })
}

/// A coordinate as JSON prints it.
fn printed(c: &Coordinates) -> [String; 2] {
    [
        serde_json::to_string(&c.latitude).unwrap(),
        serde_json::to_string(&c.longitude).unwrap(),
    ]
}

fn viewer_of(choice: usize, d: &Directory) -> Viewer {
    match choice % 4 {
        0 => Viewer::Public,
        1 => Viewer::Keeper,
        _ => Viewer::Organization {
            id: d.organizations[choice / 4 % d.organizations.len()]
                .id
                .clone(),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn no_output_for_an_unentitled_viewer_gives_a_confidential_place_away(
        secret in prop::collection::vec(
            (prop::bool::weighted(0.3), prop::collection::vec(0usize..1000, 0..3)),
            DIRECTORY.locations.len(),
        ),
        case in 0usize..100,
        choice in 0usize..1000,
        limit in prop::option::of(1.0f64..300.0),
    ) {
        let d = with_confidential(&secret);
        let viewer = viewer_of(choice, &d);
        let cases = samples::cases().unwrap();
        let case = &cases[case % cases.len()];
        let index = MatchIndex::new(d.clone()).unwrap();
        let config = MatchConfig::default();
        let mut req = MatchRequest::from_case(case, beside::core::default_domain_keys(), "2026-11-20T10:00:00Z".parse().unwrap());
        req.travel_limit_km = limit;
        req.viewer = viewer.clone();
        let mut keeper_req = req.clone();
        keeper_req.viewer = Viewer::Keeper;

        let result = index.match_case(&req, &config, &ConsentNotChecked).unwrap();
        let exact = index.match_case(&keeper_req, &config, &ConsentNotChecked).unwrap();
        let mut outputs = vec![
            ("match", serde_json::to_string(&result).unwrap()),
            ("export", export_json_with(&d, &ExportOptions { viewer: viewer.clone(), ..ExportOptions::default() }).unwrap()),
        ];
        if let Some(p) = PRIORITIES.get(case.case_id.as_str()) {
            let plan = index.plan(p, &req, &config, &PlanConfig::default(), &ConsentNotChecked).unwrap();
            outputs.push(("plan", serde_json::to_string(&plan).unwrap()));
        }
        let areas: BTreeSet<_> = d.locations.iter().map(|l| l.area.truncated(3)).collect();
        let gaps = index.gaps(&GapQuery { areas: areas.into_iter().collect(), needs: vec![], languages: vec![] }).unwrap();
        outputs.push(("gaps", serde_json::to_string(&gaps).unwrap()));
        // A minimised view of her case record, with every field permitted: the most it can hold.
        let record = serde_json::to_value(case).unwrap();
        let map = FieldMap {
            rules: record.as_object().unwrap().keys().map(|k| FieldRule { path: k.clone(), category: DataCategory::Identity }).collect(),
        };
        let view = minimise_to(&record, &map, &DataCategory::ALL).unwrap();
        outputs.push(("minimised view", serde_json::to_string(&view).unwrap()));

        // Which services sit at a place this viewer may not see, and the exact figures a
        // result could leak about them.
        let hidden_locations: HashSet<&str> = d.locations.iter()
            .filter(|l| !may_see_whereabouts(l, &viewer)).map(|l| l.id.as_str()).collect();
        let hidden_services: HashSet<&str> = d.services.iter()
            .filter(|s| s.location_ids.iter().any(|l| hidden_locations.contains(l.as_str())))
            .map(|s| s.id.as_str()).collect();
        let mut secrets: Vec<String> = Vec::new();
        for l in d.locations.iter().filter(|l| hidden_locations.contains(l.id.as_str())) {
            secrets.extend(l.address.clone());
            secrets.extend(l.coordinates.iter().flat_map(printed));
        }
        // A figure a place the viewer may see also has is no secret (two offices on one
        // latitude).
        let open: HashSet<String> = d.locations.iter()
            .filter(|l| !hidden_locations.contains(l.id.as_str()))
            .flat_map(|l| l.coordinates.iter().flat_map(printed))
            .collect();
        secrets.retain(|s| !open.contains(s));
        for need in &exact.needs {
            for c in need.candidates.iter().filter(|c| hidden_services.contains(c.service_id.as_str())) {
                secrets.extend(c.distance_km.map(|km| serde_json::to_string(&km).unwrap()));
            }
            for n in need.near_misses.iter().filter(|n| hidden_services.contains(n.service_id.as_str())) {
                if let Exclusion::BeyondTravelLimit { distance_km, .. } = n.exclusion {
                    secrets.push(serde_json::to_string(&distance_km).unwrap());
                }
            }
        }
        for (what, text) in &outputs {
            for s in &secrets {
                prop_assert!(!holds(text, s), "{what} for {viewer:?} holds {s}");
            }
        }
        // The same services are eligible whoever reads it (the travel limit used the true
        // distance), and the order is the order of the scores shown.
        for (shown, true_) in result.needs.iter().zip(&exact.needs) {
            prop_assert_eq!(shown.eligible, true_.eligible);
            let scores: Vec<f64> = shown.candidates.iter().map(|c| c.score).collect();
            prop_assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{:?}", scores);
            for c in &shown.candidates {
                let hidden = hidden_services.contains(c.service_id.as_str());
                prop_assert_eq!(c.withheld.is_some(), hidden);
                if hidden {
                    prop_assert!(c.distance_km.is_none());
                    let exact_basis = matches!(c.factors[0].basis, FactorBasis::Distance { .. });
                    prop_assert!(!exact_basis, "{:?}", c.factors[0].basis);
                }
            }
        }
        // The keeper, and a viewer entitled to a place, get its whereabouts.
        let entitled = export_json_with(&d, &ExportOptions { viewer: Viewer::Keeper, ..ExportOptions::default() }).unwrap();
        for (n, l) in d.locations.iter().filter(|l| l.confidential.is_some()).enumerate() {
            prop_assert!(entitled.contains(l.address.as_deref().unwrap()));
            if n > 0 {
                continue; // one owner's own export is enough per case
            }
            let owner = Viewer::Organization { id: l.organization_id.clone() };
            let own = export_json_with(&d, &ExportOptions { viewer: owner, ..ExportOptions::default() }).unwrap();
            prop_assert!(own.contains(l.address.as_deref().unwrap()));
            if let Some(c) = &l.coordinates {
                let attr = format!("{},{}", c.latitude, c.longitude);
                prop_assert!(own.contains(&attr), "{attr}");
            }
        }
    }
}
