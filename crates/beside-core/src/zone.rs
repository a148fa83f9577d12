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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZone(chrono_tz::Tz);

/// Countries with a single IANA zone (per the tz database's `zone.tab`), by ISO 3166-1
/// alpha-2 code: the countries Beside's partners work in and the ones people are most often
/// taken to. chrono-tz has no country table, so this one is kept here, short and sorted.
/// Countries with several zones (ID, MY, CN, …) are deliberately absent.
const SINGLE_ZONE_COUNTRIES: [(&str, chrono_tz::Tz); 34] = {
    use chrono_tz::Tz;
    [
        ("AE", Tz::Asia__Dubai),
        ("AF", Tz::Asia__Kabul),
        ("BD", Tz::Asia__Dhaka),
        ("BH", Tz::Asia__Bahrain),
        ("BN", Tz::Asia__Brunei),
        ("BT", Tz::Asia__Thimphu),
        ("HK", Tz::Asia__Hong_Kong),
        ("IN", Tz::Asia__Kolkata),
        ("IQ", Tz::Asia__Baghdad),
        ("JO", Tz::Asia__Amman),
        ("JP", Tz::Asia__Tokyo),
        ("KH", Tz::Asia__Phnom_Penh),
        ("KR", Tz::Asia__Seoul),
        ("KW", Tz::Asia__Kuwait),
        ("LA", Tz::Asia__Vientiane),
        ("LB", Tz::Asia__Beirut),
        ("LK", Tz::Asia__Colombo),
        ("MM", Tz::Asia__Yangon),
        ("MO", Tz::Asia__Macau),
        ("MV", Tz::Indian__Maldives),
        ("NP", Tz::Asia__Kathmandu),
        ("OM", Tz::Asia__Muscat),
        ("PH", Tz::Asia__Manila),
        ("PK", Tz::Asia__Karachi),
        ("QA", Tz::Asia__Qatar),
        ("SA", Tz::Asia__Riyadh),
        ("SG", Tz::Asia__Singapore),
        ("TH", Tz::Asia__Bangkok),
        ("TL", Tz::Asia__Dili),
        ("TR", Tz::Europe__Istanbul),
        ("TW", Tz::Asia__Taipei),
        ("UA", Tz::Europe__Kyiv),
        ("VN", Tz::Asia__Ho_Chi_Minh),
        ("YE", Tz::Asia__Aden),
    ]
};

impl TimeZone {
    /// Coordinated Universal Time: the calendar used where no place is known.
    pub const UTC: TimeZone = TimeZone(chrono_tz::Tz::UTC);

    /// Parse an IANA id (`Asia/Dhaka`), written exactly as the tz database spells it.
    pub fn new(id: &str) -> Result<Self, Reason> {
        id.parse::<chrono_tz::Tz>()
            .map(Self)
            .map_err(|_| Reason::UnknownTimeZone {
                value: id.to_owned(),
            })
    }

    /// The IANA id, such as `Asia/Dhaka`.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The chrono-tz zone, for conversions this type does not offer.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.0
    }

    /// The calendar date at `at` in this zone: the day it is there.
    pub fn local_date(&self, at: Timestamp) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// The zone of a country with a single IANA zone (ISO 3166-1 alpha-2, any letter case);
    /// `None` for a country with several zones or one not in the table.
    pub fn for_country(country: &str) -> Option<TimeZone> {
        let code = country.trim().to_ascii_uppercase();
        SINGLE_ZONE_COUNTRIES
            .binary_search_by(|(c, _)| (*c).cmp(code.as_str()))
            .ok()
            .and_then(|i| SINGLE_ZONE_COUNTRIES.get(i))
            .map(|(_, tz)| TimeZone(*tz))
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
            assert_eq!(TimeZone::for_country(c), Some(TimeZone(tz)));
            assert!(TimeZone::new(tz.name()).is_ok(), "{c}");
        }
    }
}
