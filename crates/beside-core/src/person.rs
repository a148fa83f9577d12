//! Person basics: age, gender, languages, nationality. No names: an app keeps identities, the
//! library works on ids.

use crate::codes::{CountryCode, LanguageCode};
use crate::error::{Reason, Validate, Validator};
use crate::id::PersonId;
use crate::zone::TimeZone;
use crate::Timestamp;
use chrono::{Datelike, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The age of majority used where no other is configured.
pub const AGE_OF_MAJORITY: u32 = 18;

/// The oldest age accepted, in years.
pub const MAX_AGE: u32 = 120;

/// Most languages one person may be recorded as speaking.
pub const MAX_LANGUAGES: usize = 20;

/// What is known of a person's birth: an exact date, or an age in years as stated on a day
/// (many returnees have no birth record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Birth {
    /// A known date of birth.
    DateOfBirth {
        /// The date of birth.
        date: NaiveDate,
    },
    /// An approximate age in whole years, as stated or estimated on `recorded_on`.
    ApproximateAge {
        /// Age in whole years on `recorded_on`.
        years: u32,
        /// The day the age was recorded.
        recorded_on: NaiveDate,
    },
}

impl Birth {
    /// Age in whole years on `on`; `None` before birth (or before an approximate birth date).
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        let born = self.birth_date()?;
        whole_years_between(born, on)
    }

    /// The date of birth, or for an approximate age the date that age implies
    /// (`recorded_on` minus `years`).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        match *self {
            Birth::DateOfBirth { date } => Some(date),
            Birth::ApproximateAge { years, recorded_on } => {
                recorded_on.checked_sub_months(Months::new(years.checked_mul(12)?))
            }
        }
    }

    /// The day the person turns `age` (their 18th birthday, say): the first day on which
    /// [`Birth::age_on`] gives `age`. Someone born on 29 February turns a year older on
    /// 1 March in a common year.
    pub fn birthday(&self, age: u32) -> Option<NaiveDate> {
        let born = self.birth_date()?;
        let day = born.checked_add_months(Months::new(age.checked_mul(12)?))?;
        if day.day() == born.day() {
            Some(day)
        } else {
            day.succ_opt()
        }
    }

    /// Whether the person is under `majority` on `on`. Unknown (before birth) counts as a minor,
    /// the safer answer.
    pub fn is_minor_on(&self, on: NaiveDate, majority: u32) -> bool {
        self.age_on(on).is_none_or(|age| age < majority)
    }

    /// Age in whole years at the moment `at`, on the calendar of `zone` (the case's place):
    /// [`Birth::age_on`] of the day it is there. At 00:30 in Dhaka on an 18th birthday the
    /// person is 18, though the UTC date is still the day before.
    pub fn age_at(&self, at: Timestamp, zone: TimeZone) -> Option<u32> {
        self.age_on(zone.local_date(at))
    }

    /// Whether the person is under `majority` at the moment `at`, on the calendar of `zone`.
    /// Unknown (before birth) counts as a minor.
    pub fn is_minor_at(&self, at: Timestamp, zone: TimeZone, majority: u32) -> bool {
        self.is_minor_on(zone.local_date(at), majority)
    }
}

/// Whole years from `from` to `to`; `None` when `to` is before `from`.
pub fn whole_years_between(from: NaiveDate, to: NaiveDate) -> Option<u32> {
    if to < from {
        return None;
    }
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

impl Validate for Birth {
    fn validate_with(&self, v: &mut Validator) {
        match *self {
            Birth::DateOfBirth { date } => {
                v.not_future_date("date", date);
                let today = v.today();
                if whole_years_between(date, today).is_some_and(|a| a > MAX_AGE) {
                    v.report_at(
                        "date",
                        Reason::Invalid {
                            expected: format!("a date of birth at most {MAX_AGE} years ago"),
                            value: date.to_string(),
                        },
                    );
                }
            }
            Birth::ApproximateAge { years, recorded_on } => {
                v.range("years", f64::from(years), 0.0, f64::from(MAX_AGE));
                v.not_future_date("recorded_on", recorded_on);
            }
        }
    }
}

/// Gender as the person states it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Woman or girl.
    Female,
    /// Man or boy.
    Male,
    /// Non-binary, third gender (hijra in Bangladesh is legally recognised as a third gender).
    ThirdGender,
    /// In the person's own words.
    SelfDescribed(String),
    /// The person chose not to say, or it was not asked.
    NotStated,
}

impl Validate for Gender {
    fn validate_with(&self, v: &mut Validator) {
        if let Gender::SelfDescribed(text) = self {
            v.text("self_described", text, 100);
        }
    }
}

/// The basics of a person that rules depend on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The person's id.
    pub id: PersonId,
    /// Date of birth or approximate age; absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<Birth>,
    /// Gender as the person states it.
    pub gender: Gender,
    /// Languages the person speaks, preferred first.
    #[serde(default)]
    pub languages: Vec<LanguageCode>,
    /// Nationality; absent when unknown or stateless.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<CountryCode>,
}

impl Person {
    /// Age in whole years on `on`, when the birth is known.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        self.birth.as_ref().and_then(|b| b.age_on(on))
    }

    /// Age in whole years at the moment `at` on the calendar of `zone`, when the birth is
    /// known.
    pub fn age_at(&self, at: Timestamp, zone: TimeZone) -> Option<u32> {
        self.birth.as_ref().and_then(|b| b.age_at(at, zone))
    }

    /// Whether the person speaks `language`.
    pub fn speaks(&self, language: &LanguageCode) -> bool {
        self.languages.iter().any(|l| l.same_language(language))
    }
}

impl Validate for Person {
    fn validate_with(&self, v: &mut Validator) {
        if let Some(b) = &self.birth {
            v.field("birth", |v| b.validate_with(v));
        }
        v.field("gender", |v| self.gender.validate_with(v));
        v.max_items("languages", &self.languages, MAX_LANGUAGES);
        v.unique("languages", self.languages.iter().map(LanguageCode::as_str));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn exact_age() {
        let b = Birth::DateOfBirth {
            date: d(2008, 3, 15),
        };
        assert_eq!(b.age_on(d(2026, 3, 14)), Some(17));
        assert_eq!(b.age_on(d(2026, 3, 15)), Some(18));
        assert_eq!(b.age_on(d(2007, 1, 1)), None);
        assert!(b.is_minor_on(d(2026, 3, 14), 18));
        assert!(!b.is_minor_on(d(2026, 3, 15), 18));
        assert_eq!(b.birthday(18), Some(d(2026, 3, 15)));
    }

    /// A 29 February birthday agrees with `age_on` in common and leap years alike (a proptest
    /// of the consent crate found them a day apart).
    #[test]
    fn a_leap_day_birthday_is_the_day_age_on_moves() {
        let b = Birth::DateOfBirth {
            date: d(2004, 2, 29),
        };
        for age in 1..=30 {
            let day = b.birthday(age).unwrap_or_default();
            assert_eq!(b.age_on(day), Some(age), "turns {age} on {day}");
            let eve = day.pred_opt().unwrap_or_default();
            assert_eq!(b.age_on(eve), Some(age - 1), "day before turning {age}");
        }
        assert_eq!(b.birthday(18), Some(d(2022, 3, 1)));
        assert_eq!(b.birthday(20), Some(d(2024, 2, 29)));
    }

    #[test]
    fn approximate_age_grows() {
        let b = Birth::ApproximateAge {
            years: 16,
            recorded_on: d(2025, 6, 1),
        };
        assert_eq!(b.age_on(d(2025, 6, 1)), Some(16));
        assert_eq!(b.age_on(d(2026, 5, 31)), Some(16));
        assert_eq!(b.age_on(d(2026, 6, 1)), Some(17));
        assert_eq!(b.birthday(18), Some(d(2027, 6, 1)));
    }

    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> Timestamp {
        use chrono::TimeZone as _;
        chrono::Utc
            .with_ymd_and_hms(y, m, day, h, min, 0)
            .single()
            .unwrap()
    }

    fn zone(id: &str) -> TimeZone {
        TimeZone::new(id).unwrap()
    }

    /// East of UTC: in Dhaka (UTC+6) the 18th birthday starts at 18:00 UTC the day before.
    #[test]
    fn eighteenth_birthday_around_midnight_in_dhaka() {
        let b = Birth::DateOfBirth {
            date: d(2008, 3, 15),
        };
        let dhaka = zone("Asia/Dhaka");
        // 23:59 local on the eve.
        let eve = utc(2026, 3, 14, 17, 59);
        assert_eq!(b.age_at(eve, dhaka), Some(17));
        assert!(b.is_minor_at(eve, dhaka, 18));
        // 00:30 local on the birthday = 18:30 UTC the day before.
        let birthday = utc(2026, 3, 14, 18, 30);
        assert_eq!(b.age_at(birthday, dhaka), Some(18));
        assert!(!b.is_minor_at(birthday, dhaka, 18));
        // The UTC date still says 17: the bug this guards against.
        assert_eq!(b.age_on(birthday.date_naive()), Some(17));
    }

    /// West of UTC: in Lima (UTC-5) 23:30 on the eve is already the birthday in UTC.
    #[test]
    fn eighteenth_birthday_around_midnight_in_lima() {
        let b = Birth::DateOfBirth {
            date: d(2008, 3, 15),
        };
        let lima = zone("America/Lima");
        let eve = utc(2026, 3, 15, 4, 30);
        assert_eq!(eve.date_naive(), d(2026, 3, 15));
        assert_eq!(b.age_at(eve, lima), Some(17));
        assert!(b.is_minor_at(eve, lima, 18));
        let birthday = utc(2026, 3, 15, 5, 0);
        assert_eq!(b.age_at(birthday, lima), Some(18));
    }

    /// A date of birth that is today in Dhaka is not "in the future" for a Dhaka case, though it
    /// is tomorrow in UTC; a bare validator (no place known) reads UTC.
    #[test]
    fn a_birth_today_in_dhaka_is_not_in_the_future() {
        let b = Birth::DateOfBirth {
            date: d(2026, 3, 15),
        };
        let now = utc(2026, 3, 14, 18, 30);
        assert!(b.validate_at_in(now, zone("Asia/Dhaka")).is_ok());
        let e = b.validate_at(now).unwrap_err().to_string();
        assert_eq!(
            e,
            "date: must not be in the future: 2026-03-15 is after 2026-03-14"
        );
    }

    #[test]
    fn leap_day_birthday() {
        let b = Birth::DateOfBirth {
            date: d(2008, 2, 29),
        };
        assert_eq!(b.age_on(d(2026, 2, 28)), Some(17));
        assert_eq!(b.age_on(d(2026, 3, 1)), Some(18));
    }

    /// Zones spanning the offsets met in practice and the extremes (+14, -11, +5:45).
    const ZONES: [&str; 8] = [
        "UTC",
        "Asia/Dhaka",
        "Asia/Kathmandu",
        "Asia/Phnom_Penh",
        "America/Lima",
        "Pacific/Honolulu",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
    ];

    proptest::proptest! {
        /// Age at a moment is the age on the local date, and differs from the age on the UTC
        /// date only when the local date and the UTC date differ.
        #[test]
        fn age_is_taken_on_the_local_date(
            born in 0i64..60_000,
            seconds in 0i64..2_500_000_000,
            z in 0usize..ZONES.len(),
        ) {
            let b = Birth::DateOfBirth { date: d(1940, 1, 1) + chrono::Duration::days(born) };
            let at = utc(1950, 1, 1, 0, 0) + chrono::Duration::seconds(seconds);
            let zone = zone(ZONES[z]);
            let local = zone.local_date(at);
            proptest::prop_assert_eq!(b.age_at(at, zone), b.age_on(local));
            let on_utc = b.age_on(at.date_naive());
            if local == at.date_naive() {
                proptest::prop_assert_eq!(b.age_at(at, zone), on_utc);
            }
            for majority in [12, 18] {
                proptest::prop_assert_eq!(
                    b.is_minor_at(at, zone, majority),
                    b.is_minor_on(local, majority)
                );
            }
        }
    }
}
