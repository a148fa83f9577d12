//! A case profile: the facts about a person's situation that every part of Beside reads.
//! Assessments, consents, events and referrals are separate records that point to the case.

use crate::codes::CountryCode;
use crate::error::{Validate, Validator};
use crate::id::{CaseId, PersonId};
use crate::person::Person;
use crate::place::{AreaPath, Coordinates};
use crate::zone::TimeZone;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most guardians one case may name.
pub const MAX_GUARDIANS: usize = 10;
/// Most debts one case (or one set of risk inputs) may list.
pub const MAX_DEBTS: usize = 50;

/// How the person came home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ReturnRoute {
    /// Formal repatriation or rescue, known to the authorities.
    Formal,
    /// On one's own: the most common route, and unknown to any system.
    OwnWay,
    /// Not known.
    Unknown,
}

/// The return journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ReturnJourney {
    /// The day the person came back, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_on: Option<NaiveDate>,
    /// How they came back.
    pub route: ReturnRoute,
    /// The country they returned from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_country: Option<CountryCode>,
}

/// How the family responds to the person's return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum FamilyStance {
    /// Welcoming and supportive.
    Supportive,
    /// Some support, some blame or pressure.
    Mixed,
    /// Rejecting or blaming.
    Rejecting,
    /// No contact, or no family.
    NoContact,
    /// Not known.
    Unknown,
}

/// Who a debt is owed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Creditor {
    /// Family or relatives (often for the journey home).
    Family,
    /// A broker or recruiter.
    Broker,
    /// A moneylender.
    Moneylender,
    /// A microfinance institution.
    Microfinance,
    /// An employer.
    Employer,
    /// Someone else.
    Other,
}

/// A debt the person carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Debt {
    /// Who it is owed to.
    pub creditor: Creditor,
    /// Amount in the smallest unit of `currency`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// ISO 4217 currency code, when an amount is given (`BDT`, `KHR`, `USD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A guardian of a child, or another adult with legal responsibility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    /// The guardian's person id.
    pub person_id: PersonId,
    /// Relationship to the person, as a key (`mother`, `uncle`, `court_appointed`).
    pub relationship: String,
    /// Whether this guardian is implicated in the harm (then they cannot consent for the child).
    #[serde(default)]
    pub implicated_in_harm: bool,
}

/// The facts of a case that rules depend on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CaseProfile {
    /// The case id.
    pub case_id: CaseId,
    /// The person the case is about.
    pub person: Person,
    /// The day the case was opened.
    pub opened_on: NaiveDate,
    /// Where the person lives now.
    pub home_area: AreaPath,
    /// Where the person lives now, as coordinates, when known (often only the area is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_coordinates: Option<Coordinates>,
    /// How far the person can or will travel for a service, in kilometres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_limit_km: Option<f64>,
    /// The return journey.
    pub return_journey: ReturnJourney,
    /// How the family responds.
    pub family: FamilyStance,
    /// Guardians (for a child).
    #[serde(default)]
    pub guardians: Vec<Guardian>,
    /// Debts.
    #[serde(default)]
    pub debts: Vec<Debt>,
    /// A short synthetic description for walkthroughs and tests; real apps leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The time zone of the person's place (an IANA id such as `Asia/Dhaka`): ages, majority
    /// and "today" are taken on its calendar. When absent, the zone of the home area's country
    /// if it has a single one, else UTC ([`TimeZone::for_case`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
    /// The app's own fields; Beside keeps them and never reads them. Any JSON, bounded only by
    /// the input size limit; every other unknown key is refused.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl CaseProfile {
    /// The calendar the case's dates are read on ([`TimeZone::for_case`]).
    pub fn calendar(&self) -> TimeZone {
        TimeZone::for_case(self)
    }
}

impl Validate for CaseProfile {
    /// Days (birth, opening, return) are judged on the case's own calendar
    /// ([`TimeZone::for_case`]), whatever the validator's zone.
    fn validate_with(&self, v: &mut Validator) {
        v.in_time_zone(TimeZone::for_case(self), |v| self.check(v));
    }
}

impl CaseProfile {
    fn check(&self, v: &mut Validator) {
        v.field("person", |v| self.person.validate_with(v));
        v.not_future_date("opened_on", self.opened_on);
        v.field("home_area", |v| self.home_area.validate_with(v));
        if let Some(c) = &self.home_coordinates {
            v.field("home_coordinates", |v| c.validate_with(v));
        }
        if let Some(km) = self.travel_limit_km {
            v.min("travel_limit_km", km, 0.0);
        }
        v.field("return_journey", |v| {
            if let Some(d) = self.return_journey.returned_on {
                v.not_future_date("returned_on", d);
            }
        });
        v.max_items("guardians", &self.guardians, MAX_GUARDIANS);
        v.field("guardians", |v| {
            for (i, g) in self.guardians.iter().enumerate() {
                v.index(i, |v| {
                    crate::error::check_text(&g.relationship, 64, true)
                        .err()
                        .into_iter()
                        .for_each(|r| v.report_at("relationship", r));
                    if g.person_id == self.person.id {
                        v.report_at(
                            "person_id",
                            crate::error::Reason::Invalid {
                                expected: "a person other than the case's own person".into(),
                                value: g.person_id.to_string(),
                            },
                        );
                    }
                });
            }
        });
        v.unique(
            "guardians",
            self.guardians.iter().map(|g| g.person_id.as_str()),
        );
        v.max_items("debts", &self.debts, MAX_DEBTS);
        v.field("debts", |v| {
            for (i, d) in self.debts.iter().enumerate() {
                v.index(i, |v| {
                    if let Some(c) = &d.currency {
                        let ok = c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase());
                        v.field("currency", |v| {
                            v.check(ok, || crate::error::Reason::Invalid {
                                expected: "an ISO 4217 currency code such as `BDT`".into(),
                                value: c.clone(),
                            })
                        });
                    }
                });
            }
        });
        if let Some(s) = &self.summary {
            v.text("summary", s, 2000);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn case_json(country: &str, zone: Option<&str>, opened_on: &str) -> String {
        let zone = zone.map_or(String::new(), |z| format!(r#", "time_zone": "{z}""#));
        format!(
            r#"{{"case_id": "case-z", "person": {{"id": "p-z", "gender": "female",
                "birth": {{"kind": "date_of_birth", "date": "2008-03-15"}}}},
              "opened_on": "{opened_on}", "home_area": ["{country}", "Somewhere"],
              "return_journey": {{"route": "own_way"}}, "family": "mixed"{zone}}}"#
        )
    }

    /// 00:30 on 15 March in Dhaka: a case opened "today" there is not opened in the future,
    /// whether the zone is given or taken from the country.
    #[test]
    fn a_case_is_judged_on_its_own_calendar() {
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 3, 14, 18, 30, 0)
            .single()
            .unwrap();
        for (country, zone) in [
            ("BD", None),
            ("BD", Some("Asia/Dhaka")),
            ("ID", Some("Asia/Dhaka")),
        ] {
            let case: CaseProfile =
                crate::from_json_at(&case_json(country, zone, "2026-03-15"), now).unwrap();
            assert_eq!(case.calendar().name(), "Asia/Dhaka");
            assert_eq!(case.person.age_at(now, case.calendar()), Some(18));
        }
        // Indonesia has several zones: without one given, UTC, where it is still the 14th.
        let e = crate::from_json_at::<CaseProfile>(&case_json("ID", None, "2026-03-15"), now)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "opened_on: must not be in the future: 2026-03-15 is after 2026-03-14"
        );
    }

    #[test]
    fn an_unknown_time_zone_names_how_to_write_one() {
        let e = crate::from_json::<CaseProfile>(&case_json("BD", Some("Dhaka"), "2025-01-01"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("time_zone: unknown time zone `Dhaka`; write an IANA id such as `Asia/Dhaka` or `Asia/Phnom_Penh`"),
            "{e}"
        );
    }
}
