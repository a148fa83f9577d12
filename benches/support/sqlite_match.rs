//! The benchmark's matching question asked of SQLite, for `benches/referral.rs` with
//! `--features compare-sqlite`: per need, the top-N eligible services with Beside's score and
//! tie-break, from the tables and indexes a user would create (a per-domain index, an R*Tree over
//! the services' places, service areas indexed by area), so that the two engines answer the
//! same question. The bench checks, before timing, that both top-N lists agree.
//!
//! What both sides compute, rule by rule (as `MatchIndex::match_case` with consent not
//! checked): the service serves the need; it is active; it has open places (`capacity` not 0);
//! the person's age is within its range; it serves her gender and nationality; it does not
//! require formal identification she lacks; her home area is within one of its service areas
//! (or it has none); its organisation, kind or the service itself is not vetoed or flagged
//! unsafe; its place is within the travel limit (great-circle distance, Beside's formula) —
//! except outreach services with a service area, which go wherever their areas are. The score
//! is Beside's weighted mean of six factors (distance, or `outreach_reach` for outreach; language; preferences;
//! cost against means; capacity; several needs), ties broken by distance, then service id.
//!
//! What only Beside computes in the timed call: `considered`, `eligible` and the count of
//! every exclusion by reason for every service within twice the travel limit, and for each of
//! the ten candidates its explanation (factor breakdown, pathway steps, other needs covered).
//! Near misses are switched off on Beside's side of the comparison (`max_near_misses: 0`).
//!
//! Not modelled in SQL (the bench refuses such a directory or request rather than answer a
//! different question): services with more than one place or a place without coordinates,
//! vetoes of an area, requests without coordinates, duplicate needs.
//!
//! The plan SQLite chooses (`EXPLAIN QUERY PLAN`, printed by the bench), for one need: the R*Tree
//! drives the first branch, the outreach area index the second.
//!
//! ```text
//! MERGE (UNION ALL)
//!   LEFT
//!     SCAN p VIRTUAL TABLE INDEX 2:B0D1B2D3
//!     SEARCH s USING INTEGER PRIMARY KEY (rowid=?)
//!     CORRELATED SCALAR SUBQUERY 3
//!       SEARCH a USING PRIMARY KEY (svc=? AND area=?)
//!     SEARCH d USING COVERING INDEX svc_domain_by_domain (domain=? AND svc=?)
//!     SEARCH o USING INTEGER PRIMARY KEY (rowid=?)
//!     CORRELATED SCALAR SUBQUERY 1
//!       SEARCH l USING PRIMARY KEY (svc=? AND lang=?)
//!     CORRELATED SCALAR SUBQUERY 2
//!       SEARCH x USING COVERING INDEX svc_domain_by_domain (domain=? AND svc=?)
//!     USE TEMP B-TREE FOR ORDER BY
//!   RIGHT
//!     SEARCH s USING INTEGER PRIMARY KEY (rowid=?)
//!     LIST SUBQUERY 7
//!       SEARCH a USING COVERING INDEX svc_area_outreach (area=?)
//!     CORRELATED SCALAR SUBQUERY 8
//!       SEARCH a USING PRIMARY KEY (svc=? AND area=?)
//!     SEARCH d USING COVERING INDEX svc_domain_by_domain (domain=? AND svc=?)
//!     SEARCH o USING INTEGER PRIMARY KEY (rowid=?)
//!     CORRELATED SCALAR SUBQUERY 5
//!       SEARCH l USING PRIMARY KEY (svc=? AND lang=?)
//!     CORRELATED SCALAR SUBQUERY 6
//!       SEARCH x USING COVERING INDEX svc_domain_by_domain (domain=? AND svc=?)
//!     USE TEMP B-TREE FOR ORDER BY
//! ```

use beside::core::place::EARTH_RADIUS_KM;
use beside::core::{Coordinates, Gender, LanguageCode};
use beside::referral::matching::{MatchConfig, MatchRequest, Veto};
use beside::referral::{Cost, Directory, GenderServed, ServiceStatus};
use rusqlite::{functions::FunctionFlags, params, Connection};
use std::collections::HashMap;

/// One candidate as SQLite ranks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Service id.
    pub service_id: String,
    /// Beside's score.
    pub score: f64,
    /// Great-circle distance to the service's place, km.
    pub distance_km: f64,
}

/// The directory in SQLite, and the language codes it uses.
pub struct Db {
    /// The connection (in memory).
    pub conn: Connection,
    /// Every language code a service lists, as written.
    languages: Vec<LanguageCode>,
}

/// The unit vector of a position, as Beside's index computes it.
fn unit(c: &Coordinates) -> [f64; 3] {
    let (la, lo) = (c.latitude.to_radians(), c.longitude.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Squared chord length of `km` on the sphere, as Beside's engine computes it.
fn chord2_of_km(km: f64) -> f64 {
    let half = (km / (2.0 * EARTH_RADIUS_KM)).clamp(0.0, std::f64::consts::FRAC_PI_2);
    let c = 2.0 * half.sin();
    c * c
}

/// Great-circle distance of a squared chord length, as Beside's engine computes it.
fn km_of_chord2(chord2: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord2.max(0.0).sqrt() / 2.0).min(1.0).asin()
}

/// An area path as one text key, normalised as `AreaPath::contains` compares parts.
fn area_key(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| p.trim().to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("/")
}

/// A SQL text literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|s| lit(&s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Load `d` into an in-memory database with the indexes a user would create.
pub fn load(d: &Directory) -> Db {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE org(id INTEGER PRIMARY KEY, ext TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                          survivor_led INT NOT NULL);
         CREATE TABLE svc(id INTEGER PRIMARY KEY, ext TEXT NOT NULL UNIQUE, org INT NOT NULL,
                          active INT NOT NULL, capacity INT,
                          min_age INT, max_age INT,
                          gender_limited INT NOT NULL, serves_female INT NOT NULL,
                          serves_male INT NOT NULL, serves_third INT NOT NULL,
                          nationalities TEXT, requires_id INT NOT NULL,
                          cost TEXT NOT NULL, fee INT, currency TEXT,
                          female_staff INT NOT NULL, trauma INT NOT NULL, interp INT NOT NULL,
                          n_langs INT NOT NULL, has_area INT NOT NULL, outreach INT NOT NULL,
                          x REAL NOT NULL, y REAL NOT NULL, z REAL NOT NULL);
         CREATE TABLE svc_domain(svc INT NOT NULL, domain TEXT NOT NULL,
                                 PRIMARY KEY (svc, domain)) WITHOUT ROWID;
         CREATE INDEX svc_domain_by_domain ON svc_domain(domain, svc);
         CREATE TABLE svc_lang(svc INT NOT NULL, lang TEXT NOT NULL,
                               PRIMARY KEY (svc, lang)) WITHOUT ROWID;
         CREATE TABLE svc_area(svc INT NOT NULL, area TEXT NOT NULL, outreach INT NOT NULL,
                               PRIMARY KEY (svc, area)) WITHOUT ROWID;
         CREATE INDEX svc_area_outreach ON svc_area(area, svc) WHERE outreach = 1;
         CREATE VIRTUAL TABLE place USING rtree(id, min_lat, max_lat, min_lon, max_lon);",
    )
    .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    let mut languages: Vec<LanguageCode> = Vec::new();
    {
        let mut org = tx
            .prepare("INSERT INTO org VALUES (?1, ?2, ?3, ?4)")
            .unwrap();
        for (i, o) in d.organizations.iter().enumerate() {
            let survivor_led =
                o.survivor_led || o.kind == beside::core::OrganizationKind::SurvivorLed;
            org.execute(params![
                i as i64,
                o.id.as_str(),
                o.kind.key(),
                survivor_led as i64
            ])
            .unwrap();
        }
        let org_ix: HashMap<&str, i64> = d
            .organizations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i as i64))
            .collect();
        let loc: HashMap<&str, &beside::referral::Location> =
            d.locations.iter().map(|l| (l.id.as_str(), l)).collect();
        let mut svc = tx
            .prepare(
                "INSERT INTO svc VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                 ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
            )
            .unwrap();
        let mut dom = tx
            .prepare("INSERT OR IGNORE INTO svc_domain VALUES (?1, ?2)")
            .unwrap();
        let mut lang = tx
            .prepare("INSERT OR IGNORE INTO svc_lang VALUES (?1, ?2)")
            .unwrap();
        let mut area = tx
            .prepare("INSERT OR IGNORE INTO svc_area VALUES (?1, ?2, ?3)")
            .unwrap();
        let mut rt = tx
            .prepare("INSERT INTO place VALUES (?1, ?2, ?2, ?3, ?3)")
            .unwrap();
        for (i, s) in d.services.iter().enumerate() {
            assert_eq!(
                s.location_ids.len(),
                1,
                "{}: the SQL comparison models one place per service",
                s.id
            );
            let l = loc[s.location_ids[0].as_str()];
            let c = l
                .coordinates
                .unwrap_or_else(|| panic!("{}: the SQL comparison needs coordinates", s.id));
            let [x, y, z] = unit(&c);
            let e = &s.eligibility;
            let (cost, fee, currency) = match &s.cost {
                Cost::Free => ("free", None, None),
                Cost::Unknown => ("unknown", None, None),
                Cost::Fee { amount, currency } => {
                    ("fee", Some(*amount as i64), Some(currency.as_str()))
                }
            };
            let nationalities = (!e.nationalities.is_empty()).then(|| {
                let codes: Vec<String> = e.nationalities.iter().map(|c| c.to_string()).collect();
                format!(",{},", codes.join(","))
            });
            let serves = |g: GenderServed| e.genders.contains(&g) as i64;
            svc.execute(params![
                i as i64,
                s.id.as_str(),
                org_ix[s.organization_id.as_str()],
                (s.status == ServiceStatus::Active) as i64,
                s.capacity,
                e.min_age,
                e.max_age,
                (!e.genders.is_empty()) as i64,
                serves(GenderServed::Female),
                serves(GenderServed::Male),
                serves(GenderServed::ThirdGender),
                nationalities,
                e.requires_formal_identification as i64,
                cost,
                fee,
                currency,
                s.female_staff as i64,
                s.trauma_informed as i64,
                s.interpretation_available as i64,
                s.languages.len() as i64,
                (!s.service_areas.is_empty()) as i64,
                s.outreach as i64,
                x,
                y,
                z,
            ])
            .unwrap();
            for k in &s.domains {
                dom.execute(params![i as i64, k.as_str()]).unwrap();
            }
            for l in &s.languages {
                lang.execute(params![i as i64, l.as_str()]).unwrap();
                if !languages.contains(l) {
                    languages.push(*l);
                }
            }
            for a in &s.service_areas {
                area.execute(params![i as i64, area_key(&a.0), s.outreach as i64])
                    .unwrap();
            }
            rt.execute(params![i as i64, c.latitude, c.longitude])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("ANALYZE;").unwrap();
    conn.create_scalar_function(
        "km",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(km_of_chord2(ctx.get::<f64>(0)?)),
    )
    .unwrap();
    Db { conn, languages }
}

/// The request as SQL: the statement text (lists written in) and its bound values.
pub struct Query {
    /// One statement, run once per need with `:need` bound.
    pub sql: String,
    /// The same candidates counted, for the cross-check (not timed).
    pub count_sql: String,
    home: [f64; 3],
    box_: [f64; 4],
    limit_km: f64,
    limit2: f64,
    age: Option<u32>,
    nationality: Option<String>,
    identified: bool,
    wanted: f64,
    can_pay: Option<(i64, String)>,
    weights: [f64; 6],
    total: f64,
    comfortable: f64,
    outreach_reach: f64,
    others: f64,
    top: i64,
}

/// Write `req` as SQL against `db`.
pub fn query(db: &Db, req: &MatchRequest, config: &MatchConfig) -> Query {
    let home = req
        .home_coordinates
        .expect("the SQL comparison needs home coordinates");
    let limit_km = req
        .travel_limit_km
        .unwrap_or(config.default_travel_limit_km);
    let mut needs: Vec<&str> = req.needs.iter().map(|n| n.as_str()).collect();
    needs.sort_unstable();
    needs.dedup();
    assert_eq!(needs.len(), req.needs.len(), "duplicate needs not modelled");
    // Areas that contain the home area: its prefixes.
    let home_parts = &req.home_area.0;
    let prefixes: Vec<String> = (1..=home_parts.len())
        .map(|n| area_key(&home_parts[..n]))
        .collect();
    // The codes the directory uses for a language the person speaks.
    let langs: Vec<String> = db
        .languages
        .iter()
        .filter(|l| req.person.languages.iter().any(|p| p.same_language(l)))
        .map(|l| l.as_str().to_owned())
        .collect();
    let mut kinds = Vec::new();
    let mut orgs: Vec<String> = req
        .safety_flags
        .iter()
        .map(|f| f.organization_id.as_str().to_owned())
        .collect();
    let mut services = Vec::new();
    for v in &req.vetoes {
        match v {
            Veto::Kind { kind } => kinds.push(kind.key().to_owned()),
            Veto::Organization { id } => orgs.push(id.as_str().to_owned()),
            Veto::Service { id } => services.push(id.as_str().to_owned()),
            Veto::Area { .. } => panic!("area vetoes are not modelled in SQL"),
        }
    }
    let gender = match req.person.gender {
        Gender::Female => "s.gender_limited = 0 OR s.serves_female = 1",
        Gender::Male => "s.gender_limited = 0 OR s.serves_male = 1",
        Gender::ThirdGender => "s.gender_limited = 0 OR s.serves_third = 1",
        _ => "s.gender_limited = 0",
    };
    let p = &req.preferences;
    let wanted =
        u32::from(p.female_staff) + u32::from(p.survivor_led) + u32::from(p.trauma_informed);
    let preferences = if wanted == 0 {
        "1.0".to_owned()
    } else {
        format!(
            "({} * s.female_staff + {} * o.survivor_led + {} * s.trauma) * 1.0 / :wanted",
            p.female_staff as u8, p.survivor_led as u8, p.trauma_informed as u8
        )
    };
    let several = if needs.len() <= 1 {
        "1.0".to_owned()
    } else {
        format!(
            "((SELECT count(*) FROM svc_domain x WHERE x.svc = s.id AND x.domain IN ({})) - 1)
                 * 1.0 / :others",
            list(needs.iter().map(|n| n.to_string()))
        )
    };
    let c2 = "((s.x - :hx) * (s.x - :hx) + (s.y - :hy) * (s.y - :hy) + (s.z - :hz) * (s.z - :hz))";
    // The hard constraints other than distance, as Beside applies them.
    let eligible = format!(
        "s.active = 1 AND (s.capacity IS NULL OR s.capacity <> 0)
         AND (:age IS NULL OR ((s.min_age IS NULL OR s.min_age <= :age)
                               AND (s.max_age IS NULL OR s.max_age >= :age)))
         AND ({gender})
         AND (s.nationalities IS NULL OR instr(s.nationalities, ',' || :nat || ',') > 0)
         AND (s.requires_id = 0 OR :identified)
         AND (s.has_area = 0 OR EXISTS (SELECT 1 FROM svc_area a
                                        WHERE a.svc = s.id AND a.area IN ({areas})))
         AND o.kind NOT IN ({kinds}) AND o.ext NOT IN ({orgs}) AND s.ext NOT IN ({services})",
        areas = list(prefixes.iter().cloned()),
        kinds = list(kinds),
        orgs = list(orgs),
        services = list(services),
    );
    // Beside's score: the weighted mean of the six factors, summed in factor order.
    let score = format!(
        "(:wd * (CASE WHEN s.outreach THEN :outreach_reach WHEN :limit > 0
                      THEN min(1.0, max(0.0, 1.0 - km({c2}) / :limit)) ELSE 1.0 END)
        + :wl * (CASE WHEN EXISTS (SELECT 1 FROM svc_lang l
                                   WHERE l.svc = s.id AND l.lang IN ({langs})) THEN 1.0
                      WHEN s.interp THEN 0.6 WHEN s.n_langs = 0 THEN 0.5 ELSE 0.0 END)
        + :wp * ({preferences})
        + :wc * (CASE s.cost WHEN 'free' THEN 1.0 WHEN 'unknown' THEN 0.5
                 ELSE CASE WHEN :currency IS NOT NULL AND s.currency = :currency
                           THEN (CASE WHEN s.fee <= :amount THEN 0.7 ELSE 0.0 END)
                           ELSE 0.4 END END)
        + :wk * (CASE WHEN s.capacity IS NULL THEN 1.0
                      ELSE min(1.0, max(0.0, s.capacity * 1.0 / :comfortable)) END)
        + :ws * ({several})) / :total",
        langs = list(langs),
    );
    // Two branches: services placed within the limit, found through the R*Tree (an outer box
    // of the circle, then the exact great-circle test); and outreach services with a service
    // area containing the person's home, found through the area index, wherever they are.
    let branches = format!(
        "SELECT s.ext AS ext, {score} AS score, km({c2}) AS km
         FROM place AS p
         CROSS JOIN svc AS s ON s.id = p.id
         CROSS JOIN svc_domain AS d ON d.svc = s.id AND d.domain = :need
         CROSS JOIN org AS o ON o.id = s.org
         WHERE p.min_lat <= :lat_hi AND p.max_lat >= :lat_lo
           AND p.min_lon <= :lon_hi AND p.max_lon >= :lon_lo
           AND {c2} <= :limit2
           AND NOT (s.outreach = 1 AND s.has_area = 1)
           AND {eligible}
         UNION ALL
         SELECT s.ext AS ext, {score} AS score, km({c2}) AS km
         FROM svc AS s
         CROSS JOIN svc_domain AS d ON d.svc = s.id AND d.domain = :need
         CROSS JOIN org AS o ON o.id = s.org
         WHERE s.id IN (SELECT a.svc FROM svc_area AS a
                        WHERE a.outreach = 1 AND a.area IN ({areas}))
           AND s.outreach = 1
           AND {eligible}",
        areas = list(prefixes.iter().cloned()),
    );
    let sql = format!("{branches}\n ORDER BY score DESC, km ASC, ext ASC LIMIT :top");
    let count_sql = format!("SELECT count(*) FROM ({branches})");
    // An outer box of the circle: latitude by the angular radius, longitude widened for the
    // box's edge nearest a pole, with a margin for the R*Tree's 32-bit coordinates.
    let dlat = (limit_km / EARTH_RADIUS_KM).to_degrees() * 1.001 + 1e-4;
    let edge = (home.latitude.abs() + dlat).min(89.0).to_radians();
    let dlon = dlat / edge.cos();
    let w = &config.weights;
    Query {
        sql,
        count_sql,
        home: unit(&home),
        box_: [
            home.latitude - dlat,
            home.latitude + dlat,
            home.longitude - dlon,
            home.longitude + dlon,
        ],
        limit_km,
        limit2: chord2_of_km(limit_km),
        age: req.person.age_on(req.at.date_naive()),
        nationality: req.person.nationality.as_ref().map(|c| c.to_string()),
        identified: req.formally_identified,
        wanted: f64::from(wanted),
        can_pay: req
            .can_pay
            .as_ref()
            .map(|m| (m.amount as i64, m.currency.clone())),
        weights: [
            w.distance,
            w.language,
            w.preferences,
            w.cost,
            w.capacity,
            w.several_needs,
        ],
        total: w.distance + w.language + w.preferences + w.cost + w.capacity + w.several_needs,
        comfortable: f64::from(config.comfortable_capacity),
        outreach_reach: config.outreach_reach,
        others: (needs.len().max(2) - 1) as f64,
        top: i64::from(config.top_n),
    }
}

/// Bind the values every statement of `q` uses, and `need`, then map each row with `f`.
fn run<T>(
    db: &Db,
    sql: &str,
    q: &Query,
    need: &str,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    let mut stmt = db.conn.prepare_cached(sql).unwrap();
    // Only the names the statement uses may be bound.
    let mut values: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
    let (amount, currency) = match &q.can_pay {
        Some((a, c)) => (Some(*a), Some(c.as_str())),
        None => (None, None),
    };
    let all: Vec<(&str, &dyn rusqlite::ToSql)> = vec![
        (":need", &need),
        (":hx", &q.home[0]),
        (":hy", &q.home[1]),
        (":hz", &q.home[2]),
        (":lat_lo", &q.box_[0]),
        (":lat_hi", &q.box_[1]),
        (":lon_lo", &q.box_[2]),
        (":lon_hi", &q.box_[3]),
        (":limit", &q.limit_km),
        (":limit2", &q.limit2),
        (":age", &q.age),
        (":nat", &q.nationality),
        (":identified", &q.identified),
        (":wanted", &q.wanted),
        (":amount", &amount),
        (":currency", &currency),
        (":wd", &q.weights[0]),
        (":wl", &q.weights[1]),
        (":wp", &q.weights[2]),
        (":wc", &q.weights[3]),
        (":wk", &q.weights[4]),
        (":ws", &q.weights[5]),
        (":total", &q.total),
        (":comfortable", &q.comfortable),
        (":outreach_reach", &q.outreach_reach),
        (":others", &q.others),
        (":top", &q.top),
    ];
    for (name, v) in all {
        if stmt.parameter_index(name).unwrap().is_some() {
            values.push((name, v));
        }
    }
    let rows = stmt.query_map(values.as_slice(), f).unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// The top-N per need, in the request's order of needs.
pub fn top(db: &Db, q: &Query, req: &MatchRequest) -> Vec<Vec<Row>> {
    req.needs
        .iter()
        .map(|n| {
            run(db, &q.sql, q, n.as_str(), |r| {
                Ok(Row {
                    service_id: r.get(0)?,
                    score: r.get(1)?,
                    distance_km: r.get(2)?,
                })
            })
        })
        .collect()
}

/// How many services pass every constraint, per need (Beside's `eligible`).
pub fn eligible(db: &Db, q: &Query, req: &MatchRequest) -> Vec<u32> {
    req.needs
        .iter()
        .map(|n| run(db, &q.count_sql, q, n.as_str(), |r| r.get::<_, u32>(0))[0])
        .collect()
}

/// SQLite's plan for one need, one line a step, indented by depth.
pub fn plan(db: &Db, q: &Query, req: &MatchRequest) -> Vec<String> {
    let sql = format!("EXPLAIN QUERY PLAN {}", q.sql);
    let steps = run(db, &sql, q, req.needs[0].as_str(), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(3)?,
        ))
    });
    let mut depth: HashMap<i64, usize> = HashMap::new();
    steps
        .into_iter()
        .map(|(id, parent, detail)| {
            let d = depth.get(&parent).map_or(0, |d| d + 1);
            depth.insert(id, d);
            format!("{}{detail}", "  ".repeat(d))
        })
        .collect()
}
