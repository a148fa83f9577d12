//! A straightforward reference for [`ReintegrationModel::trajectory`], kept to document what the
//! optimised code computes and to check it: the same JSON, byte for byte, for generated series
//! (random domain orders, missing and repeated domains, keys outside the catalogue, ties in
//! date, profiles with whole and fractional weights, every trend setting), plus a pinned hash
//! of the output for a few thousand synthetic series with events and risk inputs (which also
//! covers the error paths).

use crate::followup::next_follow_up_in;
use crate::model::{ModelConfig, ReintegrationModel, TrendConfig};
use crate::outcome::{level_of, DomainWeight, OutcomeProfile};
use crate::risk::{assess_risk, RiskInputs};
use crate::synthetic::{self, SplitMix64};
use crate::timeline::{Journey, TimelineEvent};
use crate::trajectory::{OutcomeTrend, PointScore, Setback, Trajectory, TrajectoryPoint, Trend};
use beside_core::TimeZone as Zone;
use beside_core::{
    default_domain_keys, AssessmentId, CaseId, DomainKey, Level, Rating, Timestamp, WorkerId,
};
use beside_needs::{Assessment, DomainRating, RedFlag};
use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;

/// A domain's level in an assessment: its first rating at a level (a checked assessment rates
/// each domain once; with repeats, the first one with a level counts).
fn level(a: &Assessment, key: &str) -> Option<Level> {
    a.ratings
        .iter()
        .filter(|r| r.domain.as_str() == key)
        .find_map(|r| r.rating.level())
}

/// The trajectory, computed the plain way (inputs assumed valid), with days read in `zone`.
fn reference(
    model: &ReintegrationModel,
    assessments: &[Assessment],
    events: &[TimelineEvent],
    risk: Option<&RiskInputs>,
    now: Timestamp,
    zone: Zone,
) -> Trajectory {
    let config = model.config();
    let profile = &config.profile;
    let mut order: Vec<&Assessment> = assessments.iter().collect();
    order.sort_by(|a, b| (a.assessed_at, a.id.as_str()).cmp(&(b.assessed_at, b.id.as_str())));

    let mut points = Vec::new();
    let mut scores = Vec::new();
    let mut setbacks = Vec::new();
    // Per outcome: every (point, score) so far.
    let mut series: Vec<Vec<(usize, f64)>> = vec![Vec::new(); profile.outcomes.len()];
    for (i, a) in order.iter().enumerate() {
        let on = a.assessed_at.with_timezone(&zone.tz()).date_naive();
        // Domain setbacks, by domain key.
        if let Some(before) = i.checked_sub(1).map(|p| order[p]) {
            let mut keys: Vec<&DomainKey> = a.ratings.iter().map(|r| &r.domain).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                if let (Some(from), Some(to)) =
                    (level(before, key.as_str()), level(a, key.as_str()))
                {
                    if u32::from(from.number())
                        >= u32::from(to.number()) + u32::from(config.trend.domain_drop)
                    {
                        setbacks.push(Setback::Domain {
                            domain: key.clone(),
                            from,
                            to,
                            point: i as u32,
                            previous: i as u32 - 1,
                            on,
                        });
                    }
                }
            }
        }
        // Outcome scores: the weighted mean level of the rated domains.
        let (mut isum, mut iwsum) = (0.0, 0.0);
        for (o, def) in profile.outcomes.iter().enumerate() {
            let (mut sum, mut wsum, mut rated) = (0.0, 0.0, 0u32);
            for d in &def.domains {
                if let Some(l) = level(a, d.domain.as_str()) {
                    sum += d.weight * f64::from(l.number());
                    wsum += d.weight;
                    rated += 1;
                }
            }
            let score = (wsum > 0.0).then(|| (sum / wsum).clamp(1.0, 5.0));
            scores.push(PointScore {
                score,
                level: score.and_then(level_of),
                rated_domains: rated,
            });
            let Some(s) = score else { continue };
            isum += def.weight * s;
            iwsum += def.weight;
            if let Some(&(previous, from)) = series[o].last() {
                if from - s >= config.trend.outcome_drop - 1e-9 {
                    setbacks.push(Setback::Outcome {
                        outcome: def.key.clone(),
                        from,
                        to: s,
                        point: i as u32,
                        previous: previous as u32,
                        on,
                    });
                }
            }
            series[o].push((i, s));
        }
        let worst = profile_free_worst(a);
        points.push(TrajectoryPoint {
            assessment_id: a.id.clone(),
            assessed_at: a.assessed_at,
            index: (iwsum > 0.0).then(|| (isum / iwsum).clamp(1.0, 5.0)),
            worst_level: worst,
        });
    }
    let band = config.trend.stable_band;
    let trends = profile
        .outcomes
        .iter()
        .zip(&series)
        .map(|(def, s)| {
            let first = s.first().map(|&(_, x)| x);
            let latest = s.last().map(|&(_, x)| x);
            let change = (s.len() >= 2).then(|| latest.unwrap() - first.unwrap());
            let trend = match change {
                None => Trend::InsufficientData,
                Some(c) if c >= band && c > 0.0 => Trend::Improving,
                Some(c) if c <= -band && c < 0.0 => Trend::Worsening,
                Some(_) => Trend::Stable,
            };
            OutcomeTrend {
                outcome: def.key.clone(),
                weight: def.weight,
                total_domains: def.domains.len() as u32,
                trend,
                first,
                latest,
                change,
                lowest: s.iter().map(|&(_, x)| x).reduce(f64::min),
                scored: s.len() as u32,
            }
        })
        .collect();
    let risk = risk.map(|r| assess_risk(r, &config.risk));
    let latest = *order.last().unwrap();
    Trajectory {
        case_id: assessments[0].case_id.clone(),
        profile: profile.key.clone(),
        points,
        trends,
        scores,
        setbacks,
        phases: if events.is_empty() {
            Vec::new()
        } else {
            Journey::replay_in(assessments[0].case_id.clone(), events, now, zone)
                .unwrap()
                .time_in_phases(now.with_timezone(&zone.tz()).date_naive())
        },
        follow_up: next_follow_up_in(
            latest,
            risk.as_ref().map(|r| r.level),
            &config.follow_up,
            zone,
        ),
        risk,
    }
}

/// The lowest level of any domain (each domain's first rating at a level).
fn profile_free_worst(a: &Assessment) -> Option<Level> {
    a.ratings
        .iter()
        .filter_map(|r| level(a, r.domain.as_str()))
        .min()
}

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

/// Keys outside the default catalogue (one sorts before every default key, one after).
const EXTRA: [&str; 3] = ["aa_extra", "zz_extra", "mid_extra"];

/// Domain `i`: 0 to 15 the default domains, 16 to 18 the keys of [`EXTRA`], then `extra_<i>`.
fn key(i: usize) -> DomainKey {
    let defaults = default_domain_keys();
    match (defaults.get(i), EXTRA.get(i.saturating_sub(defaults.len()))) {
        (Some(k), _) => k.clone(),
        (None, Some(k)) => DomainKey::new(k).unwrap(),
        (None, None) => DomainKey::new(&format!("extra_{i}")).unwrap(),
    }
}

fn rating(code: u8) -> Rating {
    match code {
        1..=5 => Rating::Level(Level::from_number(code).unwrap()),
        6 => Rating::NotAssessed,
        _ => Rating::Declined,
    }
}

/// An assessment from (domain index, rating code) pairs (domains as [`key`] numbers them);
/// codes 1 to 5 are levels, 6 not assessed, 7 declined.
fn assessment(id: usize, day: i64, ratings: &[(usize, u8)]) -> Assessment {
    Assessment {
        extra: std::collections::BTreeMap::new(),
        id: AssessmentId::new(format!("a-{id:02}")).unwrap(),
        case_id: CaseId::new("case-01").unwrap(),
        assessed_at: Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap() + Duration::days(day),
        assessed_by: WorkerId::new("w").unwrap(),
        ratings: ratings
            .iter()
            .map(|&(d, c)| DomainRating {
                domain: key(d),
                rating: rating(c),
            })
            .collect(),
        red_flags: vec![],
        own_priorities: vec![],
        not_now: vec![],
    }
}

/// Ratings as assessments list them: usually every default domain in catalogue order, sometimes
/// shuffled, with domains missing, repeated, or outside the catalogue.
fn ratings_strategy() -> impl Strategy<Value = Vec<(usize, u8)>> {
    prop_oneof![
        3 => proptest::collection::vec(1u8..8, 16)
            .prop_map(|codes| codes.into_iter().enumerate().collect()),
        1 => proptest::collection::vec((0usize..19, 1u8..8), 0..24),
        // Many ratings and many keys outside the catalogue: wide grids, and grids widened
        // once every key is known.
        1 => proptest::collection::vec((0usize..120, 1u8..8), 0..80),
        1 => (proptest::collection::vec(1u8..8, 16), any::<u64>(), 0usize..17)
            .prop_map(|(codes, seed, keep)| {
                let mut r: Vec<(usize, u8)> = codes.into_iter().enumerate().collect();
                shuffle(&mut r, seed);
                r.truncate(keep);
                r
            }),
    ]
}

/// A profile: a bundled one, with weights whole (0 to 7: up to 6 takes the multiplication
/// path) or fractional, and sometimes a domain outside the catalogue.
fn model_strategy() -> impl Strategy<Value = ReintegrationModel> {
    (
        prop::bool::ANY,
        prop::bool::ANY,
        proptest::collection::vec(0u8..8, 20),
        proptest::collection::vec(0.0f64..5.0, 20),
        proptest::collection::vec(0u8..4, 4),
        (1u8..5, 0.0f64..2.0, 0.01f64..3.0),
        0usize..4,
    )
        .prop_map(
            |(iom, whole, whole_w, frac_w, index_w, (domain_drop, band, outcome_drop), extra)| {
                let mut p = if iom {
                    OutcomeProfile::iom_dimensions()
                } else {
                    OutcomeProfile::kasper_chiang()
                };
                let mut k = 0;
                for (o, iw) in p.outcomes.iter_mut().zip(index_w) {
                    o.weight = f64::from(iw);
                    for d in &mut o.domains {
                        d.weight = if whole {
                            f64::from(whole_w[k % 20])
                        } else {
                            frac_w[k % 20]
                        };
                        k += 1;
                    }
                    o.domains[0].weight += 0.5;
                    if extra == 1 {
                        o.domains.push(DomainWeight {
                            domain: DomainKey::new(EXTRA[1]).unwrap(),
                            weight: 1.0,
                        });
                    }
                }
                if extra == 2 {
                    p.outcomes[0].domains.insert(
                        0,
                        DomainWeight {
                            domain: DomainKey::new(EXTRA[2]).unwrap(),
                            weight: 2.0,
                        },
                    );
                }
                p.outcomes[0].weight += 1.0;
                let mut known = default_domain_keys();
                known.extend(EXTRA.iter().map(|k| DomainKey::new(k).unwrap()));
                let config = ModelConfig {
                    profile: p,
                    trend: TrendConfig {
                        stable_band: band,
                        domain_drop,
                        outcome_drop,
                    },
                    ..ModelConfig::default()
                };
                ReintegrationModel::new(config, &known).unwrap()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn trajectory_matches_the_reference(
        series in proptest::collection::vec((ratings_strategy(), 0i64..60), 1..24),
        model in model_strategy(),
        zone in proptest::sample::select(vec!["UTC", "Asia/Dhaka", "America/Lima", "Pacific/Kiritimati"]),
    ) {
        let zone = Zone::new(zone).unwrap();
        let assessments: Vec<Assessment> = series
            .iter()
            .enumerate()
            .map(|(i, (r, day))| assessment(i, *day, r))
            .collect();
        let t = model.trajectory_in(&assessments, &[], None, now(), zone).unwrap();
        let r = reference(&model, &assessments, &[], None, now(), zone);
        prop_assert_eq!(
            serde_json::to_string(&t).unwrap(),
            serde_json::to_string(&r).unwrap()
        );
    }
}

/// A small deterministic Fisher–Yates shuffle.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = ((seed >> 33) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// FNV-1a, 64 bits: a hash that does not change between Rust versions.
fn fnv(h: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// The JSON of 3,000 synthetic trajectories (1 to 60 assessments, both bundled profiles,
/// shuffled and edited series, events, risk inputs, and some invalid input), hashed.
fn synthetic_output_hash(dump: Option<&mut String>) -> u64 {
    let case = CaseId::new("case-golden").unwrap();
    let start = Utc.with_ymd_and_hms(2023, 3, 1, 9, 0, 0).unwrap();
    let now = Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 0).unwrap();
    let models = [
        ReintegrationModel::default(),
        ReintegrationModel::with_profile(OutcomeProfile::iom_dimensions()).unwrap(),
    ];
    let events: Vec<TimelineEvent> = serde_json::from_value(serde_json::json!([
        {"id": "e1", "case_id": "case-golden", "on": "2023-02-20",
         "event": {"kind": "returned", "route": "formal"}},
        {"id": "e2", "case_id": "case-golden", "on": "2023-05-02",
         "event": {"kind": "joined_survivor_group"}},
    ]))
    .unwrap();
    let risk: RiskInputs = serde_json::from_value(serde_json::json!({
        "case_id": "case-golden", "recorded_on": "2024-06-01", "debts": [],
        "income": "none", "family_pressure": "strong", "broker_contact": "recent"
    }))
    .unwrap();
    let mut h = 0xcbf2_9ce4_8422_2325;
    let mut out = dump;
    let mut rng = SplitMix64::new(2026);
    for seed in 0..3000u64 {
        let n = 1 + (seed as usize * 7) % 60;
        let mut a = synthetic::assessments(&case, n, start, seed);
        let edit = rng.next_u64();
        if edit % 5 == 1 {
            shuffle(&mut a, edit);
        }
        if edit % 7 == 2 {
            // Ratings reordered, dropped or repeated in some assessments.
            for (i, x) in a.iter_mut().enumerate() {
                match (edit >> 8).wrapping_add(i as u64) % 5 {
                    0 => x.ratings.reverse(),
                    1 => {
                        x.ratings.truncate(9);
                    }
                    2 => {
                        let first = x.ratings[0].clone();
                        x.ratings.push(first);
                    }
                    3 => x.ratings.push(DomainRating {
                        domain: DomainKey::new(EXTRA[i % 3]).unwrap(),
                        rating: rating(1 + (i % 7) as u8),
                    }),
                    _ => {}
                }
            }
        }
        if edit % 11 == 3 && n > 2 {
            // Ties in date.
            a[1].assessed_at = a[0].assessed_at;
        }
        if edit % 13 == 4 {
            a[0].red_flags = vec![RedFlag::ImmediateDanger];
        }
        let ev: &[TimelineEvent] = if edit.is_multiple_of(3) { &events } else { &[] };
        let rk = (edit % 4 == 1).then_some(&risk);
        let mut when = now;
        if edit % 97 == 5 {
            // Invalid: an assessment in the future.
            when = start;
        }
        let model = &models[(seed % 2) as usize];
        let json = match model.trajectory(&a, ev, rk, when) {
            Ok(t) => serde_json::to_string(&t).unwrap(),
            Err(e) => format!("error: {e}"),
        };
        fnv(&mut h, json.as_bytes());
        fnv(&mut h, b"\n");
        if let Some(d) = out.as_deref_mut() {
            d.push_str(&json);
            d.push('\n');
        }
    }
    h
}

#[test]
fn synthetic_trajectories_are_unchanged() {
    let mut dump = String::new();
    let h = synthetic_output_hash(Some(&mut dump));
    if let Ok(path) = std::env::var("BESIDE_TRAJECTORY_DUMP") {
        std::fs::write(path, &dump).unwrap();
    }
    assert_eq!(
        h, 13_050_342_442_166_393_492,
        "hash of the synthetic trajectories' JSON"
    );
}
