//! Referral matching at scale: top-10 providers for one case with 5 needs over a synthetic
//! directory of 100,000 services; with `--features compare-sqlite`, the same query in SQLite
//! (R*Tree plus indexes) side by side in the same run.
//!
//! `cargo bench --bench referral` (add `--features compare-sqlite` for the comparison).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use beside::referral::matching::{ConsentNotChecked, MatchConfig, MatchIndex};
use beside::referral::synthetic;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

#[path = "support/cpu.rs"]
mod cpu;
#[path = "support/match_request.rs"]
mod match_request;

use match_request::request;

pub const SERVICES: usize = 100_000;
fn bench(c: &mut Criterion) {
    let directory = synthetic::directory(SERVICES, 7);
    let index = MatchIndex::new(directory.clone()).unwrap();
    let req = request();
    let config = MatchConfig::default();
    let result = index.match_case(&req, &config, &ConsentNotChecked).unwrap();
    for n in &result.needs {
        eprintln!(
            "{}: considered {}, eligible {}, top {}, near misses {}",
            n.domain,
            n.considered,
            n.eligible,
            n.candidates.len(),
            n.near_misses.len()
        );
    }
    c.bench_function("match/top10_5needs_100k_services", |b| {
        b.iter(|| {
            index
                .match_case(black_box(&req), &config, &ConsentNotChecked)
                .unwrap()
        })
    });
    c.bench_function("match/top10_5needs_100k_services (thread CPU time)", |b| {
        cpu::iter_cpu(b, || {
            index
                .match_case(black_box(&req), &config, &ConsentNotChecked)
                .unwrap()
        })
    });
    // The same query with consent asked of a sample case's ledger (once per organisation).
    let ledger = match_request::sample_ledger();
    let gate = beside::referral::matching::LedgerGate::referral(&ledger);
    c.bench_function(
        "match/top10_5needs_100k_services, consent ledger (thread CPU time)",
        |b| {
            cpu::iter_cpu(b, || {
                index.match_case(black_box(&req), &config, &gate).unwrap()
            })
        },
    );
    let mut group = c.benchmark_group("match_index");
    group.sample_size(10);
    group.bench_function("build_100k_services", |b| {
        b.iter(|| MatchIndex::new(black_box(directory.clone())).unwrap())
    });
    group.finish();
    #[cfg(feature = "compare-sqlite")]
    sqlite::bench(c, &directory, &req, &index);
}

#[cfg(feature = "compare-sqlite")]
mod sqlite {
    //! The same query in SQLite: an R*Tree over location boxes, indexes on service domains, the
    //! hard constraints in WHERE, the same score in SQL (distance through a registered haversine
    //! function), ORDER BY score LIMIT 10 per need. SQLite computes no near misses and no
    //! exclusion counts, so it does less work than Beside here.

    use super::*;
    use beside::core::Coordinates;
    use beside::referral::matching::MatchRequest;
    use beside::referral::{Cost, Directory, ServiceStatus};
    use rusqlite::{functions::FunctionFlags, params, Connection};

    pub fn load(d: &Directory) -> Connection {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(
            "CREATE TABLE org(id INTEGER PRIMARY KEY, ext TEXT, kind TEXT, survivor_led INT);
             CREATE TABLE svc(id INTEGER PRIMARY KEY, ext TEXT, org INT, active INT, capacity INT,
                              min_age INT, max_age INT, female_only INT, requires_id INT,
                              fee INT, female_staff INT, trauma INT, interp INT, speaks_bn INT,
                              lat REAL, lon REAL, area TEXT, svc_area TEXT);
             CREATE TABLE svc_domain(svc INT, domain TEXT);
             CREATE INDEX svc_domain_idx ON svc_domain(domain, svc);
             CREATE VIRTUAL TABLE loc USING rtree(id, min_lat, max_lat, min_lon, max_lon);",
        )
        .unwrap();
        let tx = db.unchecked_transaction().unwrap();
        {
            let mut org = tx
                .prepare("INSERT INTO org VALUES (?1, ?2, ?3, ?4)")
                .unwrap();
            for (i, o) in d.organizations.iter().enumerate() {
                org.execute(params![
                    i as i64,
                    o.id.as_str(),
                    o.kind.key(),
                    o.survivor_led as i64
                ])
                .unwrap();
            }
            let org_ix: std::collections::HashMap<&str, i64> = d
                .organizations
                .iter()
                .enumerate()
                .map(|(i, o)| (o.id.as_str(), i as i64))
                .collect();
            let loc: std::collections::HashMap<&str, &beside::referral::Location> =
                d.locations.iter().map(|l| (l.id.as_str(), l)).collect();
            let mut svc = tx
                .prepare("INSERT INTO svc VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)")
                .unwrap();
            let mut dom = tx
                .prepare("INSERT INTO svc_domain VALUES (?1, ?2)")
                .unwrap();
            let mut rt = tx
                .prepare("INSERT INTO loc VALUES (?1, ?2, ?2, ?3, ?3)")
                .unwrap();
            for (i, s) in d.services.iter().enumerate() {
                let l = loc[s.location_ids[0].as_str()];
                let c = l.coordinates.unwrap();
                svc.execute(params![
                    i as i64,
                    s.id.as_str(),
                    org_ix[s.organization_id.as_str()],
                    (s.status == ServiceStatus::Active) as i64,
                    s.capacity,
                    s.eligibility.min_age,
                    s.eligibility.max_age,
                    (!s.eligibility.genders.is_empty()) as i64,
                    s.eligibility.requires_formal_identification as i64,
                    matches!(s.cost, Cost::Fee { .. }) as i64,
                    s.female_staff as i64,
                    s.trauma_informed as i64,
                    s.interpretation_available as i64,
                    s.languages.iter().any(|l| l.as_str() == "bn") as i64,
                    c.latitude,
                    c.longitude,
                    l.area.0.join("/"),
                    s.service_areas.first().map(|a| a.0.join("/")),
                ])
                .unwrap();
                for k in &s.domains {
                    dom.execute(params![i as i64, k.as_str()]).unwrap();
                }
                rt.execute(params![i as i64, c.latitude, c.longitude])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
        db.create_scalar_function(
            "hav",
            4,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                let (a, b, c, d): (f64, f64, f64, f64) =
                    (ctx.get(0)?, ctx.get(1)?, ctx.get(2)?, ctx.get(3)?);
                let p = Coordinates {
                    latitude: a,
                    longitude: b,
                };
                Ok(p.distance_km(&Coordinates {
                    latitude: c,
                    longitude: d,
                }))
            },
        )
        .unwrap();
        db
    }

    pub const QUERY: &str = "
        SELECT s.ext, (
            0.30 * max(0.0, 1.0 - hav(s.lat, s.lon, ?2, ?3) / ?4)
          + 0.25 * (CASE WHEN s.speaks_bn THEN 1.0 WHEN s.interp THEN 0.6 ELSE 0.0 END)
          + 0.15 * ((s.female_staff + s.trauma) / 2.0)
          + 0.10 * (CASE WHEN s.fee THEN 0.4 ELSE 1.0 END)
          + 0.10 * (CASE WHEN s.capacity IS NULL THEN 1.0 ELSE min(1.0, s.capacity / 10.0) END)
          + 0.10 * ((SELECT count(*) FROM svc_domain x WHERE x.svc = s.id
                     AND x.domain IN ('shelter','food','mental_health','legal','livelihood')) - 1) / 4.0
          ) AS score
        FROM loc JOIN svc s ON s.id = loc.id
        JOIN svc_domain sd ON sd.svc = s.id AND sd.domain = ?1
        JOIN org o ON o.id = s.org
        WHERE loc.min_lat BETWEEN ?2 - ?5 AND ?2 + ?5
          AND loc.min_lon BETWEEN ?3 - ?6 AND ?3 + ?6
          AND s.active = 1 AND (s.capacity IS NULL OR s.capacity > 0)
          AND (s.min_age IS NULL OR s.min_age <= 24) AND (s.max_age IS NULL OR s.max_age >= 24)
          AND s.requires_id = 0 AND o.kind <> 'police'
          AND (s.svc_area IS NULL OR ?7 LIKE s.svc_area || '%')
          AND hav(s.lat, s.lon, ?2, ?3) <= ?4
        ORDER BY score DESC, s.ext LIMIT 10";

    pub fn query(db: &Connection, req: &MatchRequest) -> Vec<Vec<String>> {
        let mut stmt = db.prepare_cached(QUERY).unwrap();
        let home = req.home_coordinates.unwrap();
        let limit = req.travel_limit_km.unwrap();
        let dlat = limit / 111.19;
        let dlon = limit / (111.19 * home.latitude.to_radians().cos());
        let area = req.home_area.0.join("/");
        req.needs
            .iter()
            .map(|n| {
                stmt.query_map(
                    params![
                        n.as_str(),
                        home.latitude,
                        home.longitude,
                        limit,
                        dlat,
                        dlon,
                        area
                    ],
                    |r| r.get::<_, String>(0),
                )
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
            })
            .collect()
    }

    pub fn bench(c: &mut Criterion, d: &Directory, req: &MatchRequest, index: &MatchIndex) {
        let db = load(d);
        let sql = query(&db, req);
        // Cross-check: both engines find providers for the same needs.
        let ours = index
            .match_case(req, &MatchConfig::default(), &ConsentNotChecked)
            .unwrap();
        for (n, (s, o)) in req.needs.iter().zip(sql.iter().zip(&ours.needs)) {
            eprintln!(
                "{n}: sqlite top {} / beside top {}",
                s.len(),
                o.candidates.len()
            );
        }
        c.bench_function("match/sqlite_rtree_top10_5needs_100k_services", |b| {
            b.iter(|| query(&db, black_box(req)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
