//! The figures of an exclusion, as the exclusions table holds them in its own columns, a
//! column per figure (see the module docs).

use crate::directory::ServiceStatus;
use crate::matching::{AreaTest, Exclusion, SafetyConcern, Veto};
use crate::whereabouts::DistanceBand;
use beside_core::{AreaPath, OrganizationKind};

/// The figures of one exclusion, as the exclusions table holds them.
#[derive(Default)]
pub(super) struct ExclusionRow<'r> {
    pub(super) status: Option<ServiceStatus>,
    pub(super) capacity: Option<i64>,
    pub(super) age: Option<u32>,
    pub(super) min_age: Option<u32>,
    pub(super) max_age: Option<u32>,
    pub(super) served: Option<Vec<&'r str>>,
    pub(super) home_area: Option<&'r AreaPath>,
    pub(super) decided_by: Option<AreaTest>,
    pub(super) distance_km: Option<f64>,
    pub(super) limit_km: Option<f64>,
    pub(super) distance_band: Option<DistanceBand>,
    pub(super) veto: Option<&'static str>,
    pub(super) veto_id: Option<&'r str>,
    pub(super) veto_kind: Option<OrganizationKind>,
    pub(super) veto_area: Option<&'r AreaPath>,
    pub(super) concern: Option<SafetyConcern>,
    pub(super) consent_reasons: Option<&'r [String]>,
}

/// The figures of one exclusion.
pub(super) fn exclusion_row(e: &Exclusion) -> ExclusionRow<'_> {
    match e {
        Exclusion::Inactive { status } => ExclusionRow {
            status: Some(*status),
            ..ExclusionRow::default()
        },
        Exclusion::NoCapacity { capacity } => ExclusionRow {
            capacity: Some(*capacity),
            ..ExclusionRow::default()
        },
        Exclusion::AgeOutsideRange {
            age,
            min_age,
            max_age,
        } => ExclusionRow {
            age: Some(*age),
            min_age: *min_age,
            max_age: *max_age,
            ..ExclusionRow::default()
        },
        Exclusion::GenderNotServed { served } => ExclusionRow {
            served: Some(served.iter().map(|g| g.key()).collect()),
            ..ExclusionRow::default()
        },
        Exclusion::NationalityNotServed { served } => ExclusionRow {
            served: Some(served.iter().map(String::as_str).collect()),
            ..ExclusionRow::default()
        },
        Exclusion::RequiresFormalIdentification => ExclusionRow::default(),
        Exclusion::OutsideServiceArea {
            home_area,
            decided_by,
        } => ExclusionRow {
            home_area: Some(home_area),
            decided_by: Some(*decided_by),
            ..ExclusionRow::default()
        },
        Exclusion::BeyondTravelLimit {
            distance_km,
            limit_km,
        } => ExclusionRow {
            distance_km: Some(*distance_km),
            limit_km: Some(*limit_km),
            ..ExclusionRow::default()
        },
        Exclusion::BeyondTravelLimitBand {
            distance_band,
            limit_km,
        } => ExclusionRow {
            distance_band: Some(*distance_band),
            limit_km: Some(*limit_km),
            ..ExclusionRow::default()
        },
        Exclusion::Vetoed { veto } => {
            let row = ExclusionRow {
                veto: Some(veto.key()),
                ..ExclusionRow::default()
            };
            match veto {
                Veto::Organization { id } => ExclusionRow {
                    veto_id: Some(id.as_str()),
                    ..row
                },
                Veto::Service { id } => ExclusionRow {
                    veto_id: Some(id.as_str()),
                    ..row
                },
                Veto::Kind { kind } => ExclusionRow {
                    veto_kind: Some(*kind),
                    ..row
                },
                Veto::Area { area } => ExclusionRow {
                    veto_area: Some(area),
                    ..row
                },
            }
        }
        Exclusion::FlaggedUnsafe { concern } => ExclusionRow {
            concern: Some(*concern),
            ..ExclusionRow::default()
        },
        Exclusion::NoConsent { reasons } => ExclusionRow {
            consent_reasons: Some(reasons),
            ..ExclusionRow::default()
        },
    }
}

/// An exclusion read back from its figures, and one of every exclusion: for the exclusions
/// tests and the tests across tables.
#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::directory::GenderServed;
    use crate::table::tests::{
        area, by_key, codes, col, f64s, i64s, nulls_elsewhere, text_lists, texts, u32s, validity,
    };
    use arrow_array::RecordBatch;
    use beside_core::{OrganizationId, ServiceId};

    /// The exclusion of a near-miss row, read back from its figures, checking that every
    /// figure column it does not use is null.
    pub(in crate::table) fn read_exclusion(
        b: &RecordBatch,
        row: usize,
        code: &str,
        what: &str,
    ) -> Exclusion {
        let text = |n: &str| texts(col(b, n)).swap_remove(row);
        let code_of = |n: &str| codes(col(b, n)).swap_remove(row);
        let u32_of = |n: &str| u32s(col(b, n))[row];
        let f64_of = |n: &str| f64s(col(b, n))[row];
        let list_of = |n: &str| text_lists(col(b, n)).swap_remove(row);
        let (e, used): (Exclusion, &[&str]) = match code {
            "inactive" => (
                Exclusion::Inactive {
                    status: by_key(
                        &ServiceStatus::ALL,
                        ServiceStatus::key,
                        &code_of("status").unwrap(),
                    ),
                },
                &["status"],
            ),
            "no_capacity" => (
                Exclusion::NoCapacity {
                    capacity: i64s(col(b, "capacity"))[row].unwrap(),
                },
                &["capacity"],
            ),
            "age_outside_range" => {
                let (min, max) = (u32_of("min_age"), u32_of("max_age"));
                let used: &[&str] = match (min.is_some(), max.is_some()) {
                    (true, true) => &["age", "min_age", "max_age"],
                    (true, false) => &["age", "min_age"],
                    (false, true) => &["age", "max_age"],
                    (false, false) => &["age"],
                };
                (
                    Exclusion::AgeOutsideRange {
                        age: u32_of("age").unwrap(),
                        min_age: min,
                        max_age: max,
                    },
                    used,
                )
            }
            "gender_not_served" => (
                Exclusion::GenderNotServed {
                    served: list_of("served")
                        .unwrap()
                        .iter()
                        .map(|g| by_key(&GenderServed::ALL, GenderServed::key, g))
                        .collect(),
                },
                &["served"],
            ),
            "nationality_not_served" => (
                Exclusion::NationalityNotServed {
                    served: list_of("served").unwrap(),
                },
                &["served"],
            ),
            "requires_formal_identification" => (Exclusion::RequiresFormalIdentification, &[]),
            "outside_service_area" => (
                Exclusion::OutsideServiceArea {
                    home_area: area(list_of("home_area").unwrap()),
                    decided_by: by_key(
                        &AreaTest::ALL,
                        AreaTest::key,
                        &code_of("decided_by").unwrap(),
                    ),
                },
                &["home_area", "decided_by"],
            ),
            "beyond_travel_limit" => match code_of("distance_band") {
                None => (
                    Exclusion::BeyondTravelLimit {
                        distance_km: f64_of("distance_km").unwrap(),
                        limit_km: f64_of("limit_km").unwrap(),
                    },
                    &["distance_km", "limit_km"],
                ),
                Some(band) => (
                    Exclusion::BeyondTravelLimitBand {
                        distance_band: by_key(&DistanceBand::ALL, DistanceBand::key, &band),
                        limit_km: f64_of("limit_km").unwrap(),
                    },
                    &["distance_band", "limit_km"],
                ),
            },
            "vetoed" => {
                let (veto, used): (Veto, &[&str]) = match code_of("veto").unwrap().as_str() {
                    "organization" => (
                        Veto::Organization {
                            id: OrganizationId::new(text("veto_id").unwrap()).unwrap(),
                        },
                        &["veto", "veto_id"],
                    ),
                    "service" => (
                        Veto::Service {
                            id: ServiceId::new(text("veto_id").unwrap()).unwrap(),
                        },
                        &["veto", "veto_id"],
                    ),
                    "kind" => (
                        Veto::Kind {
                            kind: by_key(
                                &OrganizationKind::ALL,
                                OrganizationKind::key,
                                &code_of("veto_kind").unwrap(),
                            ),
                        },
                        &["veto", "veto_kind"],
                    ),
                    "area" => (
                        Veto::Area {
                            area: area(list_of("veto_area").unwrap()),
                        },
                        &["veto", "veto_area"],
                    ),
                    other => panic!("{what}: unknown veto `{other}`"),
                };
                (Exclusion::Vetoed { veto }, used)
            }
            "flagged_unsafe" => (
                Exclusion::FlaggedUnsafe {
                    concern: by_key(
                        &SafetyConcern::ALL,
                        SafetyConcern::key,
                        &code_of("concern").unwrap(),
                    ),
                },
                &["concern"],
            ),
            "no_consent" => (
                Exclusion::NoConsent {
                    reasons: list_of("consent_reasons").unwrap(),
                },
                &["consent_reasons"],
            ),
            other => panic!("{what}: unknown exclusion `{other}`"),
        };
        nulls_elsewhere(&figure_validity(b), row, used, what);
        e
    }

    /// The exclusion figure columns with the validity of each row.
    pub(in crate::table) fn figure_validity(b: &RecordBatch) -> Vec<(&'static str, Vec<bool>)> {
        [
            "status",
            "capacity",
            "age",
            "min_age",
            "max_age",
            "served",
            "home_area",
            "decided_by",
            "distance_km",
            "limit_km",
            "distance_band",
            "veto",
            "veto_id",
            "veto_kind",
            "veto_area",
            "concern",
            "consent_reasons",
        ]
        .into_iter()
        .map(|n| (n, validity(col(b, n))))
        .collect()
    }

    pub(in crate::table) fn every_exclusion() -> Vec<Exclusion> {
        let home = AreaPath::new(["BD", "Khulna", "Jashore"]).unwrap();
        vec![
            Exclusion::Inactive {
                status: ServiceStatus::Defunct,
            },
            Exclusion::NoCapacity { capacity: 0 },
            Exclusion::AgeOutsideRange {
                age: 16,
                min_age: Some(18),
                max_age: None,
            },
            Exclusion::AgeOutsideRange {
                age: 40,
                min_age: None,
                max_age: Some(35),
            },
            Exclusion::GenderNotServed {
                served: vec![GenderServed::Female, GenderServed::ThirdGender],
            },
            Exclusion::NationalityNotServed {
                served: vec!["BD".into(), "KH".into()],
            },
            Exclusion::RequiresFormalIdentification,
            Exclusion::OutsideServiceArea {
                home_area: home.clone(),
                decided_by: AreaTest::ShapeWithoutCoordinates,
            },
            Exclusion::BeyondTravelLimit {
                distance_km: 41.5,
                limit_km: 40.0,
            },
            Exclusion::BeyondTravelLimitBand {
                distance_band: DistanceBand::Over50Km,
                limit_km: 40.0,
            },
            Exclusion::Vetoed {
                veto: Veto::Organization {
                    id: OrganizationId::new("org-x").unwrap(),
                },
            },
            Exclusion::Vetoed {
                veto: Veto::Service {
                    id: ServiceId::new("svc-x").unwrap(),
                },
            },
            Exclusion::Vetoed {
                veto: Veto::Kind {
                    kind: OrganizationKind::Police,
                },
            },
            Exclusion::Vetoed {
                veto: Veto::Area { area: home },
            },
            Exclusion::FlaggedUnsafe {
                concern: SafetyConcern::ConfidentialityRisk,
            },
            Exclusion::NoConsent {
                reasons: vec!["no_active_consent".into(), "purpose_not_covered".into()],
            },
        ]
    }
}
