//! The `factors` column of the matches table: a struct per factor of a candidate's score, with
//! the figures of its basis (see the module docs).

use super::columns::{band_codes, structs, Codes};
use super::{Fault, BASIS_CODES};
use crate::matching::{Factor, FactorBasis, ScoreFactor};
use crate::whereabouts::DistanceBand;
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Float64Array, Int64Array, UInt32Array, UInt64Array};
use beside_core::LanguageCode;
use std::sync::Arc;

/// The figures of a factor's basis, as the `factors` structs hold them.
#[derive(Default)]
struct BasisRow<'r> {
    distance_km: Option<f64>,
    limit_km: Option<f64>,
    distance_band: Option<DistanceBand>,
    language: Option<&'r LanguageCode>,
    met: Option<u32>,
    wanted: Option<u32>,
    fee: Option<u64>,
    can_pay: Option<u64>,
    places: Option<i64>,
    covered: Option<u32>,
    requested: Option<u32>,
}

/// The figures of one basis.
fn basis_row(b: &FactorBasis) -> BasisRow<'_> {
    match b {
        FactorBasis::Distance {
            distance_km,
            limit_km,
        } => BasisRow {
            distance_km: Some(*distance_km),
            limit_km: Some(*limit_km),
            ..BasisRow::default()
        },
        FactorBasis::DistanceBand {
            distance_band,
            limit_km,
        } => BasisRow {
            distance_band: Some(*distance_band),
            limit_km: Some(*limit_km),
            ..BasisRow::default()
        },
        FactorBasis::SharedLanguage { language } => BasisRow {
            language: Some(language),
            ..BasisRow::default()
        },
        FactorBasis::PreferencesMet { met, wanted } => BasisRow {
            met: Some(*met),
            wanted: Some(*wanted),
            ..BasisRow::default()
        },
        FactorBasis::Affordable { fee, can_pay } | FactorBasis::Unaffordable { fee, can_pay } => {
            BasisRow {
                fee: Some(*fee),
                can_pay: Some(*can_pay),
                ..BasisRow::default()
            }
        }
        FactorBasis::FeeUnknownMeans { fee } => BasisRow {
            fee: Some(*fee),
            ..BasisRow::default()
        },
        FactorBasis::OpenPlaces { places } => BasisRow {
            places: Some(*places),
            ..BasisRow::default()
        },
        FactorBasis::NeedsCovered { covered, requested } => BasisRow {
            covered: Some(*covered),
            requested: Some(*requested),
            ..BasisRow::default()
        },
        FactorBasis::Outreach
        | FactorBasis::DistanceUnknown
        | FactorBasis::Interpretation
        | FactorBasis::LanguageUnknown
        | FactorBasis::NoSharedLanguage
        | FactorBasis::NoPreferences
        | FactorBasis::Free
        | FactorBasis::CostUnknown
        | FactorBasis::NoFixedLimit => BasisRow::default(),
    }
}

/// The fields of the `factors` structs.
pub(super) struct FactorColumns {
    factor: Codes,
    pub(super) value: Vec<f64>,
    weight: Vec<f64>,
    points: Vec<f64>,
    basis: Codes,
    distance_km: Vec<Option<f64>>,
    limit_km: Vec<Option<f64>>,
    distance_band: Codes,
    language: StringBuilder,
    met: Vec<Option<u32>>,
    wanted: Vec<Option<u32>>,
    fee: Vec<Option<u64>>,
    can_pay: Vec<Option<u64>>,
    places: Vec<Option<i64>>,
    covered: Vec<Option<u32>>,
    requested: Vec<Option<u32>>,
}

impl FactorColumns {
    pub(super) fn new() -> Self {
        FactorColumns {
            factor: Codes::new(Factor::ALL.map(Factor::key)),
            value: Vec::new(),
            weight: Vec::new(),
            points: Vec::new(),
            basis: Codes::new(BASIS_CODES),
            distance_km: Vec::new(),
            limit_km: Vec::new(),
            distance_band: band_codes(),
            language: StringBuilder::new(),
            met: Vec::new(),
            wanted: Vec::new(),
            fee: Vec::new(),
            can_pay: Vec::new(),
            places: Vec::new(),
            covered: Vec::new(),
            requested: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, f: &ScoreFactor) -> Result<(), Fault> {
        let b = basis_row(&f.basis);
        self.factor.push(Some(f.factor.key()))?;
        self.value.push(f.value);
        self.weight.push(f.weight);
        self.points.push(f.points);
        self.basis.push(Some(f.basis.key()))?;
        self.distance_km.push(b.distance_km);
        self.limit_km.push(b.limit_km);
        self.distance_band
            .push(b.distance_band.map(DistanceBand::key))?;
        self.language
            .append_option(b.language.map(LanguageCode::as_str));
        self.met.push(b.met);
        self.wanted.push(b.wanted);
        self.fee.push(b.fee);
        self.can_pay.push(b.can_pay);
        self.places.push(b.places);
        self.covered.push(b.covered);
        self.requested.push(b.requested);
        Ok(())
    }

    /// The struct array, one struct per factor.
    pub(super) fn finish(mut self) -> Result<ArrayRef, Fault> {
        structs(vec![
            ("factor", self.factor.finish()?, false),
            ("value", Arc::new(Float64Array::from(self.value)), false),
            ("weight", Arc::new(Float64Array::from(self.weight)), false),
            ("points", Arc::new(Float64Array::from(self.points)), false),
            ("basis", self.basis.finish()?, false),
            (
                "distance_km",
                Arc::new(Float64Array::from(self.distance_km)),
                true,
            ),
            (
                "limit_km",
                Arc::new(Float64Array::from(self.limit_km)),
                true,
            ),
            ("distance_band", self.distance_band.finish()?, true),
            ("language", Arc::new(self.language.finish()), true),
            ("met", Arc::new(UInt32Array::from(self.met)), true),
            ("wanted", Arc::new(UInt32Array::from(self.wanted)), true),
            ("fee", Arc::new(UInt64Array::from(self.fee)), true),
            ("can_pay", Arc::new(UInt64Array::from(self.can_pay)), true),
            ("places", Arc::new(Int64Array::from(self.places)), true),
            ("covered", Arc::new(UInt32Array::from(self.covered)), true),
            (
                "requested",
                Arc::new(UInt32Array::from(self.requested)),
                true,
            ),
        ])
    }
}

/// The factors read back, and one of every basis: for the matches and exclusions tests and the
/// tests across tables.
#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::matching::Candidate;
    use crate::table::tests::{
        by_key, codes, f64s, field, i64s, nulls_elsewhere, texts, u32s, u64s, validity,
    };
    use arrow_array::cast::AsArray;
    use arrow_array::Array;

    /// The factors of one candidate, read back from its `factors` list.
    pub(in crate::table) fn read_factors(list: &ArrayRef, what: &str) -> Vec<ScoreFactor> {
        let s = list.as_struct();
        let get = |n: &str| field(s, n);
        let (factor, basis) = (codes(get("factor")), codes(get("basis")));
        let (value, weight, points) =
            (f64s(get("value")), f64s(get("weight")), f64s(get("points")));
        let (distance_km, limit_km) = (f64s(get("distance_km")), f64s(get("limit_km")));
        let band = codes(get("distance_band"));
        let language = texts(get("language"));
        let (met, wanted) = (u32s(get("met")), u32s(get("wanted")));
        let (fee, can_pay) = (u64s(get("fee")), u64s(get("can_pay")));
        let places = i64s(get("places"));
        let (covered, requested) = (u32s(get("covered")), u32s(get("requested")));
        let figures: Vec<(&str, Vec<bool>)> = [
            "distance_km",
            "limit_km",
            "distance_band",
            "language",
            "met",
            "wanted",
            "fee",
            "can_pay",
            "places",
            "covered",
            "requested",
        ]
        .into_iter()
        .map(|n| (n, validity(get(n))))
        .collect();
        (0..s.len())
            .map(|j| {
                let code = basis[j].clone().unwrap();
                let (b, used): (FactorBasis, &[&str]) = match code.as_str() {
                    "distance" => (
                        FactorBasis::Distance {
                            distance_km: distance_km[j].unwrap(),
                            limit_km: limit_km[j].unwrap(),
                        },
                        &["distance_km", "limit_km"],
                    ),
                    "distance_band" => (
                        FactorBasis::DistanceBand {
                            distance_band: by_key(
                                &DistanceBand::ALL,
                                DistanceBand::key,
                                band[j].as_deref().unwrap(),
                            ),
                            limit_km: limit_km[j].unwrap(),
                        },
                        &["distance_band", "limit_km"],
                    ),
                    "outreach" => (FactorBasis::Outreach, &[]),
                    "distance_unknown" => (FactorBasis::DistanceUnknown, &[]),
                    "shared_language" => (
                        FactorBasis::SharedLanguage {
                            language: LanguageCode::new(language[j].as_deref().unwrap()).unwrap(),
                        },
                        &["language"],
                    ),
                    "interpretation" => (FactorBasis::Interpretation, &[]),
                    "language_unknown" => (FactorBasis::LanguageUnknown, &[]),
                    "no_shared_language" => (FactorBasis::NoSharedLanguage, &[]),
                    "preferences_met" => (
                        FactorBasis::PreferencesMet {
                            met: met[j].unwrap(),
                            wanted: wanted[j].unwrap(),
                        },
                        &["met", "wanted"],
                    ),
                    "no_preferences" => (FactorBasis::NoPreferences, &[]),
                    "free" => (FactorBasis::Free, &[]),
                    "affordable" => (
                        FactorBasis::Affordable {
                            fee: fee[j].unwrap(),
                            can_pay: can_pay[j].unwrap(),
                        },
                        &["fee", "can_pay"],
                    ),
                    "unaffordable" => (
                        FactorBasis::Unaffordable {
                            fee: fee[j].unwrap(),
                            can_pay: can_pay[j].unwrap(),
                        },
                        &["fee", "can_pay"],
                    ),
                    "fee_unknown_means" => (
                        FactorBasis::FeeUnknownMeans {
                            fee: fee[j].unwrap(),
                        },
                        &["fee"],
                    ),
                    "cost_unknown" => (FactorBasis::CostUnknown, &[]),
                    "open_places" => (
                        FactorBasis::OpenPlaces {
                            places: places[j].unwrap(),
                        },
                        &["places"],
                    ),
                    "no_fixed_limit" => (FactorBasis::NoFixedLimit, &[]),
                    "needs_covered" => (
                        FactorBasis::NeedsCovered {
                            covered: covered[j].unwrap(),
                            requested: requested[j].unwrap(),
                        },
                        &["covered", "requested"],
                    ),
                    other => panic!("{what}: unknown basis `{other}`"),
                };
                nulls_elsewhere(&figures, j, used, what);
                ScoreFactor {
                    factor: by_key(&Factor::ALL, Factor::key, factor[j].as_deref().unwrap()),
                    value: value[j].unwrap(),
                    weight: weight[j].unwrap(),
                    points: points[j].unwrap(),
                    basis: b,
                }
            })
            .collect()
    }

    /// A candidate of the sample answers, with its factors set to `bases` (in turn).
    pub(in crate::table) fn with_bases(c: &Candidate, bases: &[FactorBasis]) -> Candidate {
        let mut c = c.clone();
        for (f, b) in c.factors.iter_mut().zip(bases.iter().cycle()) {
            f.basis = b.clone();
        }
        c
    }

    pub(in crate::table) fn every_basis() -> Vec<FactorBasis> {
        vec![
            FactorBasis::Distance {
                distance_km: 3.25,
                limit_km: 30.0,
            },
            FactorBasis::DistanceBand {
                distance_band: DistanceBand::From5To20Km,
                limit_km: 30.0,
            },
            FactorBasis::Outreach,
            FactorBasis::DistanceUnknown,
            FactorBasis::SharedLanguage {
                language: LanguageCode::new("ben").unwrap(),
            },
            FactorBasis::Interpretation,
            FactorBasis::LanguageUnknown,
            FactorBasis::NoSharedLanguage,
            FactorBasis::PreferencesMet { met: 1, wanted: 3 },
            FactorBasis::NoPreferences,
            FactorBasis::Free,
            FactorBasis::Affordable {
                fee: 100,
                can_pay: 500,
            },
            FactorBasis::Unaffordable {
                fee: 900,
                can_pay: 500,
            },
            FactorBasis::FeeUnknownMeans { fee: 250 },
            FactorBasis::CostUnknown,
            FactorBasis::OpenPlaces { places: 4 },
            FactorBasis::NoFixedLimit,
            FactorBasis::NeedsCovered {
                covered: 2,
                requested: 3,
            },
        ]
    }
}
