//! Synthetic people for researchers' analyses: whole cases — the case profile, the journey's
//! dated events and risk inputs, and the needs assessments over time — from a seed, for 10 to
//! 1,000,000 cases. **Every case is synthetic**: ids start `syn-`, the profile's `summary`
//! says so, and nothing here describes a real person.
//!
//! The distributions are assumptions written to be plausible against the field research in
//! the domain brief, not estimates of any population; change them here, in one place:
//!
//! | What | Drawn as | Why |
//! |---|---|---|
//! | place | one of 14 sub-districts of Bangladesh (10) and Cambodia (4), those of the sample directory, with the place's time zone, language and currency; home coordinates within about 3 km of the sub-district's | the sample directory then has services to match and gaps to find |
//! | gender | female 62 %, male 35 %, third gender 2 %, not stated 1 % | the seeds' survivor groups are mostly women, but men are trafficked for labour |
//! | age at return | a child of 12–17 one time in five, else 18–45, older ages rarer | the seeds' groups include girls returned from India |
//! | birth | a date of birth 70 %, an approximate age recorded at opening 30 % | many have no papers |
//! | return route | [`RETURN_ROUTE_WEIGHTS`]: on her own way 60 %, formal 30 %, not known 10 % | "most return on their own and are unknown to any system" |
//! | family | [`FAMILY_WEIGHTS`]: supportive 35 %, mixed 35 %, rejecting 15 %, no contact 10 %, not known 5 % | reception "differs from place to place" (Kasper and Chiang 2020) |
//! | debts | none 45 %; else one or two, to family 40 %, a broker 30 %, a moneylender 15 %, microfinance 10 %, an employer 5 % | "debt, often to family for the return journey or to brokers" |
//! | wellbeing at the first assessment | about level 2 (vulnerable), lower with a rejecting family, a broker's debt or a child's age, higher on a formal route (services from the start) | |
//! | follow-ups | every 30–90 days from the case's opening (at the latest the day before `as_of`), up to 20 assessments, all before the day of `as_of` in her place | the default follow-up intervals |
//! | recovery | each domain rises a level now and then (more often with a supportive family), falls a level less often | outcomes over time |
//! | setbacks | a monthly chance of 3 % (twice that with a rejecting family, half again with a broker's debt): family rejection, community stigma, lost income, a health relapse, a threat, re-migration; each drops its domains one or two levels and is a `setback_occurred` event of its phase | "measured over time, with setbacks" |
//! | red flags | suicidal thoughts at mental health 1 (one in eight), immediate danger at safety 1 (one in three), an untreated injury at physical health 1 (one in five), a child without a safe caregiver for a child whose family rejects her or is out of contact (one in two) | |
//! | research consent | [`RESEARCH_ANSWER_WEIGHTS`]: agreed 85 %, refused 5 %, never asked 10 %; a child's by her mother (her guardian) with her assent | most agree, as the sample ledgers' people do; some are never asked |
//! | declined and not assessed | 3 % and 5 % of ratings | "declined to answer" is not a level |
//! | journey | returned, a referral and a service per phase as needs show, a survivor group joined by 30 % (at the second assessment), leadership by a tenth of those (at the seventh), a court case filed by 15 % (at the third) and closed at the ninth, a third of them withdrawn by the person, phases achieved when their domains reach level 4 | |
//! | risk inputs | at opening and at the latest assessment: the debts, income from the livelihood level, family pressure from the family, stigma from community acceptance, intention to migrate and broker contact from debts and income | the brief's risk path |
//!
//! The generator is SplitMix64 ([`SplitMix64`]): the same seed gives the same cohort on every
//! platform, and case `i` depends only on the seed and `i`, so a cohort of 1,000 is the first
//! 1,000 cases of the cohort of 1,000,000 with the same seed.

use super::SplitMix64;
use crate::error::ReintegrationError;
use crate::phase::{next_status, Phase, PhaseStatus};
use crate::risk::{
    BrokerContact, FamilyPressure, Income, MigrationIntention, RiskInputs, SocialSituation,
};
use crate::timeline::{CaseResult, CaseTimeline, EventKind, SetbackCause, TimelineEvent};
use beside_core::domain::domains;
use beside_core::{
    AreaPath, AssessmentId, Birth, CaseId, CaseProfile, Coordinates, CountryCode, Creditor, Debt,
    DomainKey, EventId, FamilyStance, FieldError, Gender, Guardian, Level, Person, PersonId,
    Rating, Reason, ReturnJourney, ReturnRoute, TimeZone, Timestamp, ValidationErrors, WorkerId,
    DEFAULT_DOMAINS,
};
use beside_needs::{Assessment, DomainRating, RedFlag};
use chrono::{Duration, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most cases one call generates: a million, the largest cohort the analyses are written for.
pub const MAX_SYNTHETIC_CASES: u32 = 1_000_000;

/// Most assessments one synthetic case has.
pub const MAX_ASSESSMENTS_PER_CASE: usize = 20;

/// How people came back: formal, on their own way, not known (weights).
pub const RETURN_ROUTE_WEIGHTS: [(ReturnRoute, f64); 3] = [
    (ReturnRoute::Formal, 0.30),
    (ReturnRoute::OwnWay, 0.60),
    (ReturnRoute::Unknown, 0.10),
];

/// How families receive them (weights).
pub const FAMILY_WEIGHTS: [(FamilyStance, f64); 5] = [
    (FamilyStance::Supportive, 0.35),
    (FamilyStance::Mixed, 0.35),
    (FamilyStance::Rejecting, 0.15),
    (FamilyStance::NoContact, 0.10),
    (FamilyStance::Unknown, 0.05),
];

/// Who debts are owed to (weights), for the 55 % who have any.
pub const CREDITOR_WEIGHTS: [(Creditor, f64); 5] = [
    (Creditor::Family, 0.40),
    (Creditor::Broker, 0.30),
    (Creditor::Moneylender, 0.15),
    (Creditor::Microfinance, 0.10),
    (Creditor::Employer, 0.05),
];

/// The monthly chance of a setback, before the family and debts multiply it.
pub const MONTHLY_SETBACK_CHANCE: f64 = 0.03;

/// One synthetic case, whole: what an app would hold about her. Labelled synthetic (ids start
/// `syn-`, the summary says so).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SyntheticCase {
    /// The case: person, place, return journey, family, debts, time zone.
    pub profile: CaseProfile,
    /// The journey: dated events (returned, referrals, services, setbacks…) and risk inputs at
    /// opening and at the latest assessment.
    pub timeline: CaseTimeline,
    /// The needs assessments over the 16 default domains, oldest first.
    pub assessments: Vec<Assessment>,
    /// What she (or, for a child, her guardian with her assent) said at opening when asked
    /// whether her de-identified data may be used for statistics and research (the facade's
    /// `beside::synthetic::ledger` writes it as consent records).
    pub research_consent: ResearchAnswer,
}

/// The answer to "may your de-identified data be used for statistics and research?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ResearchAnswer {
    /// Yes: 85 %.
    Agreed,
    /// No: 5 %.
    Refused,
    /// Never asked: 10 %.
    NotAsked,
}

/// How often each research answer is drawn (weights).
pub const RESEARCH_ANSWER_WEIGHTS: [(ResearchAnswer, f64); 3] = [
    (ResearchAnswer::Agreed, 0.85),
    (ResearchAnswer::Refused, 0.05),
    (ResearchAnswer::NotAsked, 0.10),
];

/// A place people come back to: the sample directory's sub-districts.
struct Place {
    area: &'static [&'static str],
    latitude: f64,
    longitude: f64,
    weight: f64,
}

// One place a line: the area, its latitude and longitude, and how often people live there.
#[rustfmt::skip]
const PLACES: [Place; 14] = [
    place(&["BD", "Khulna", "Jashore", "Jhikargacha"], 23.095, 89.11, 1.5),
    place(&["BD", "Khulna", "Jashore", "Jashore Sadar"], 23.17, 89.21, 1.5),
    place(&["BD", "Khulna", "Jashore", "Sharsha"], 23.07, 88.99, 1.0),
    place(&["BD", "Khulna", "Satkhira", "Satkhira Sadar"], 22.72, 89.07, 1.2),
    place(&["BD", "Khulna", "Satkhira", "Kalaroa"], 22.87, 89.05, 0.8),
    place(&["BD", "Khulna", "Satkhira", "Shyamnagar"], 22.33, 89.10, 0.8),
    place(&["BD", "Chattogram", "Cox's Bazar", "Teknaf"], 20.86, 92.30, 0.8),
    place(&["BD", "Chattogram", "Cox's Bazar", "Ukhia"], 21.28, 92.10, 0.8),
    place(&["BD", "Dhaka", "Dhaka", "Mirpur"], 23.81, 90.37, 0.8),
    place(&["BD", "Dhaka", "Dhaka", "Tejgaon"], 23.76, 90.39, 0.8),
    place(&["KH", "Banteay Meanchey", "Poipet"], 13.66, 102.56, 1.2),
    place(&["KH", "Banteay Meanchey", "Serei Saophoan"], 13.59, 102.97, 0.8),
    place(&["KH", "Phnom Penh", "Chamkar Mon"], 11.55, 104.92, 0.8),
    place(&["KH", "Phnom Penh", "Sen Sok"], 11.59, 104.87, 0.8),
];

const fn place(area: &'static [&'static str], latitude: f64, longitude: f64, weight: f64) -> Place {
    Place {
        area,
        latitude,
        longitude,
        weight,
    }
}

/// The country's language, time zone, currency, a country people return from, and the range
/// of a debt in the currency's smallest unit.
struct Country {
    language: &'static str,
    time_zone: &'static str,
    currency: &'static str,
    returned_from: (&'static str, &'static str),
    debt_range: (f64, f64),
}

fn country_of(code: &str) -> Result<Country, ReintegrationError> {
    match code {
        // Taka in poisha: 20,000 to 500,000 taka.
        "BD" => Ok(Country {
            language: "bn",
            time_zone: "Asia/Dhaka",
            currency: "BDT",
            returned_from: ("IN", "MY"),
            debt_range: (2.0e6, 5.0e7),
        }),
        // Riel in its hundredths (ISO 4217 gives KHR two decimals): 400,000 to 10,000,000 riel.
        "KH" => Ok(Country {
            language: "km",
            time_zone: "Asia/Phnom_Penh",
            currency: "KHR",
            returned_from: ("TH", "MY"),
            debt_range: (4.0e7, 1.0e9),
        }),
        other => Err(invalid("profile.home_area", "BD or KH", other)),
    }
}

fn invalid(path: &str, expected: &str, value: &str) -> ReintegrationError {
    ValidationErrors::from(FieldError::new(
        path,
        Reason::Invalid {
            expected: expected.to_owned(),
            value: value.to_owned(),
        },
    ))
    .into()
}

fn field(path: &str) -> impl FnOnce(Reason) -> ReintegrationError + '_ {
    move |reason| ValidationErrors::from(FieldError::new(path, reason)).into()
}

fn pick<T: Copy>(rng: &mut SplitMix64, table: &[(T, f64)]) -> Result<T, ReintegrationError> {
    let weights: Vec<f64> = table.iter().map(|(_, w)| *w).collect();
    table
        .get(rng.pick_weighted(&weights))
        .map(|(t, _)| *t)
        // INVARIANT: every table above is non-empty, so `pick_weighted` gives one of its indices.
        .ok_or_else(|| invalid("weights", "a non-empty table", "empty"))
}

/// `n` synthetic cases (at most [`MAX_SYNTHETIC_CASES`]) from `seed`, every date on or before
/// the day it is at `as_of` in the case's place. Case `i` depends only on `seed` and `i`.
pub fn synthetic_cases(
    n: u32,
    seed: u64,
    as_of: Timestamp,
) -> Result<impl Iterator<Item = Result<SyntheticCase, ReintegrationError>>, ReintegrationError> {
    if n > MAX_SYNTHETIC_CASES {
        return Err(ValidationErrors::from(FieldError::new(
            "cases",
            Reason::TooMany {
                max: MAX_SYNTHETIC_CASES as usize,
                got: n as usize,
            },
        ))
        .into());
    }
    Ok((0..n).map(move |i| synthetic_case(seed, i, as_of)))
}

/// Case number `index` of the cohort of `seed` (see the module docs for what is drawn).
pub fn synthetic_case(
    seed: u64,
    index: u32,
    as_of: Timestamp,
) -> Result<SyntheticCase, ReintegrationError> {
    // Each case has its own stream: seed and index mixed through SplitMix64 once.
    let mut rng = SplitMix64::new(SplitMix64::new(seed ^ (u64::from(index) << 32)).next_u64());
    let who = draw_person(&mut rng, index, as_of)?;
    let assessments = draw_assessments(&mut rng, &who)?;
    let timeline = draw_timeline(&mut rng, &who, &assessments)?;
    let research_consent = pick(&mut rng, &RESEARCH_ANSWER_WEIGHTS)?;
    Ok(SyntheticCase {
        profile: who.profile,
        timeline,
        assessments: assessments.into_iter().map(|a| a.assessment).collect(),
        research_consent,
    })
}

/// What the later draws depend on.
struct Who {
    profile: CaseProfile,
    zone: TimeZone,
    today: NaiveDate,
    /// A child at opening.
    child: bool,
    wellbeing: f64,
}

fn draw_person(
    rng: &mut SplitMix64,
    index: u32,
    as_of: Timestamp,
) -> Result<Who, ReintegrationError> {
    let weights: Vec<f64> = PLACES.iter().map(|p| p.weight).collect();
    let place = PLACES
        .get(rng.pick_weighted(&weights))
        .ok_or_else(|| invalid("home_area", "one of the 14 places", "none"))?;
    let code = place
        .area
        .first()
        .copied()
        .ok_or_else(|| invalid("home_area", "a country first", "nothing"))?;
    let country = country_of(code)?;
    let zone = TimeZone::new(country.time_zone).map_err(field("profile.time_zone"))?;
    let today = zone.local_date(as_of);

    let gender = match rng.pick_weighted(&[0.62, 0.35, 0.02, 0.01]) {
        0 => Gender::Female,
        1 => Gender::Male,
        2 => Gender::ThirdGender,
        _ => Gender::NotStated,
    };
    let child = rng.chance(0.2);
    let age_at_return: i64 = if child {
        12 + rng.below(6) as i64
    } else {
        // 18 to 45, younger ages likelier (the lower of two draws).
        18 + rng.below(28).min(rng.below(28)) as i64
    };
    // Returned within the three years before today, at least 30 days ago.
    let returned_on = today - Duration::days(30 + rng.below(3 * 365 - 30) as i64);
    let route = pick(rng, &RETURN_ROUTE_WEIGHTS)?;
    // Formal returns are known at once; people back on their own way are met later.
    let delay = match route {
        ReturnRoute::Formal => rng.below(15),
        ReturnRoute::OwnWay | ReturnRoute::Unknown => 15 + rng.below(150),
    } as i64;
    // At the latest yesterday, so the first assessment (on the day of opening) is in the past.
    let opened_on = (returned_on + Duration::days(delay)).min(today - Duration::days(1));
    let born = returned_on - Duration::days(age_at_return * 365 + rng.below(365) as i64);
    // A child at opening: her mother is her guardian, and consents for her with her assent.
    let minor = Birth::DateOfBirth { date: born }
        .age_on(opened_on)
        .is_some_and(|age| age < beside_core::AGE_OF_MAJORITY);
    let birth = if rng.chance(0.7) {
        Birth::DateOfBirth { date: born }
    } else {
        let years = (opened_on - born).num_days() / 365;
        Birth::ApproximateAge {
            years: u32::try_from(years)
                .map_err(|_| invalid("person.birth", "an age", "negative"))?,
            recorded_on: opened_on,
        }
    };
    let family = pick(rng, &FAMILY_WEIGHTS)?;
    let debts = draw_debts(rng, &country)?;
    let broker_debt = debts.iter().any(|d| d.creditor == Creditor::Broker);

    let mut wellbeing = 2.0 + (rng.unit() - 0.5) * 0.8;
    wellbeing += match family {
        FamilyStance::Supportive => 0.4,
        FamilyStance::Rejecting => -0.4,
        FamilyStance::NoContact => -0.2,
        FamilyStance::Mixed | FamilyStance::Unknown => 0.0,
    };
    if broker_debt {
        wellbeing -= 0.2;
    }
    if child {
        wellbeing -= 0.2;
    }
    if route == ReturnRoute::Formal {
        wellbeing += 0.2;
    }

    let case_id = CaseId::new(format!("syn-{index:07}"))?;
    let area = AreaPath::new(place.area.iter().copied()).map_err(field("profile.home_area"))?;
    let from = if rng.chance(0.3) {
        country.returned_from.1
    } else {
        country.returned_from.0
    };
    let pronoun = match gender {
        Gender::Female => "Woman",
        Gender::Male => "Man",
        _ => "Person",
    };
    let profile = CaseProfile {
        case_id: case_id.clone(),
        person: Person {
            id: PersonId::new(format!("syn-person-{index:07}"))?,
            birth: Some(birth),
            gender,
            languages: vec![beside_core::LanguageCode::new(country.language)
                .map_err(field("profile.person.languages"))?],
            nationality: Some(CountryCode::new(code).map_err(field("profile.person.nationality"))?),
        },
        opened_on,
        home_area: area,
        home_coordinates: Some(Coordinates {
            latitude: place.latitude + (rng.unit() - 0.5) * 0.05,
            longitude: place.longitude + (rng.unit() - 0.5) * 0.05,
        }),
        travel_limit_km: Some(f64::from(10 + 10 * rng.below(5) as u32)),
        return_journey: ReturnJourney {
            returned_on: Some(returned_on),
            route,
            from_country: Some(CountryCode::new(from).map_err(field("profile.return_journey"))?),
        },
        family,
        // A child at opening has her mother as guardian (not implicated in the harm).
        guardians: if minor {
            vec![Guardian {
                person_id: PersonId::new(format!("syn-person-{index:07}-mother"))?,
                relationship: "mother".to_owned(),
                implicated_in_harm: false,
            }]
        } else {
            Vec::new()
        },
        debts,
        summary: Some(format!("Synthetic. {pronoun}, {age_at_return} at return.")),
        time_zone: Some(zone),
        extra: BTreeMap::new(),
    };
    Ok(Who {
        profile,
        zone,
        today,
        child: minor,
        wellbeing,
    })
}

fn draw_debts(rng: &mut SplitMix64, country: &Country) -> Result<Vec<Debt>, ReintegrationError> {
    if rng.chance(0.45) {
        return Ok(Vec::new());
    }
    let count = if rng.chance(0.25) { 2 } else { 1 };
    let (lo, hi) = country.debt_range;
    (0..count)
        .map(|_| {
            // Log-uniform between the bounds: small debts are commoner than large ones.
            let amount = (lo.ln() + rng.unit() * (hi.ln() - lo.ln())).exp();
            Ok(Debt {
                creditor: pick(rng, &CREDITOR_WEIGHTS)?,
                amount: Some((amount / 100.0).round() as u64 * 100),
                currency: Some(country.currency.to_owned()),
            })
        })
        .collect()
}

/// An assessment with the levels drawn for it (before declines and gaps hid some).
struct Drawn {
    assessment: Assessment,
    on: NaiveDate,
    levels: Vec<u8>,
    setback: Option<SetbackCause>,
}

/// The domains a setback's cause pulls down.
fn setback_domains(cause: SetbackCause) -> &'static [DomainKey] {
    static FAMILY: [DomainKey; 3] = [domains::FAMILY, domains::COMMUNITY, domains::MENTAL_HEALTH];
    static STIGMA: [DomainKey; 2] = [domains::COMMUNITY, domains::MENTAL_HEALTH];
    static INCOME: [DomainKey; 4] = [
        domains::LIVELIHOOD,
        domains::DEBT,
        domains::EMERGENCY_FUNDS,
        domains::FOOD,
    ];
    static HEALTH: [DomainKey; 2] = [domains::PHYSICAL_HEALTH, domains::MENTAL_HEALTH];
    static THREAT: [DomainKey; 2] = [domains::SAFETY, domains::MENTAL_HEALTH];
    static MIGRATION: [DomainKey; 3] = [domains::FAMILY, domains::LIVELIHOOD, domains::SAFETY];
    match cause {
        SetbackCause::FamilyRejection => &FAMILY,
        SetbackCause::CommunityStigma => &STIGMA,
        SetbackCause::LostIncome => &INCOME,
        SetbackCause::HealthRelapse => &HEALTH,
        SetbackCause::ThreatOrHarassment => &THREAT,
        SetbackCause::ReMigration | SetbackCause::Other => &MIGRATION,
    }
}

/// The phase a setback's cause sets back.
fn setback_phase(cause: SetbackCause) -> Phase {
    match cause {
        SetbackCause::FamilyRejection | SetbackCause::CommunityStigma => {
            Phase::FamilyCommunityAcceptance
        }
        SetbackCause::LostIncome | SetbackCause::ReMigration | SetbackCause::Other => {
            Phase::Livelihood
        }
        SetbackCause::HealthRelapse | SetbackCause::ThreatOrHarassment => Phase::BasicServices,
    }
}

fn draw_assessments(rng: &mut SplitMix64, who: &Who) -> Result<Vec<Drawn>, ReintegrationError> {
    let p = &who.profile;
    let family = p.family;
    let broker_debt = p.debts.iter().any(|d| d.creditor == Creditor::Broker);
    let mut chance = MONTHLY_SETBACK_CHANCE;
    if family == FamilyStance::Rejecting {
        chance *= 2.0;
    }
    if broker_debt {
        chance *= 1.5;
    }
    let rise = if family == FamilyStance::Supportive {
        0.14
    } else {
        0.09
    };
    let keys: Vec<&DomainKey> = DEFAULT_DOMAINS.iter().map(|(k, _)| k).collect();
    let mut levels: Vec<f64> = keys
        .iter()
        .map(|_| (who.wellbeing + (rng.unit() - 0.5) * 1.6).clamp(1.0, 5.0))
        .collect();
    let worker = WorkerId::new("syn-worker")?;
    let mut out = Vec::new();
    let mut on = p.opened_on;
    for i in 0..MAX_ASSESSMENTS_PER_CASE {
        // Assessments are made before today (an assessment today could be later than `as_of`).
        if on >= who.today {
            break;
        }
        let mut setback = None;
        if i > 0 {
            let months = (on - out.last().map_or(on, |d: &Drawn| d.on)).num_days() as f64 / 30.0;
            for level in &mut levels {
                if rng.chance(rise * months) {
                    *level = (*level + 1.0).min(5.0);
                } else if rng.chance(0.03 * months) {
                    *level = (*level - 1.0).max(1.0);
                }
            }
            if rng.chance(chance * months) {
                let cause = match rng.pick_weighted(&[0.25, 0.2, 0.3, 0.1, 0.1, 0.05]) {
                    0 => SetbackCause::FamilyRejection,
                    1 => SetbackCause::CommunityStigma,
                    2 => SetbackCause::LostIncome,
                    3 => SetbackCause::HealthRelapse,
                    4 => SetbackCause::ThreatOrHarassment,
                    _ => SetbackCause::ReMigration,
                };
                let drop = if rng.chance(0.3) { 2.0 } else { 1.0 };
                for d in setback_domains(cause) {
                    if let Some(at) = keys.iter().position(|k| *k == d) {
                        if let Some(level) = levels.get_mut(at) {
                            *level = (*level - drop).max(1.0);
                        }
                    }
                }
                setback = Some(cause);
            }
        }
        let whole: Vec<u8> = levels.iter().map(|l| l.floor() as u8).collect();
        let ratings = keys
            .iter()
            .zip(&whole)
            .map(|(k, level)| {
                let rating = match rng.pick_weighted(&[0.92, 0.05, 0.03]) {
                    0 => Rating::Level(Level::from_number(*level).map_err(field("ratings"))?),
                    1 => Rating::NotAssessed,
                    _ => Rating::Declined,
                };
                Ok(DomainRating {
                    domain: (*k).clone(),
                    rating,
                })
            })
            .collect::<Result<Vec<_>, ReintegrationError>>()?;
        let red_flags = draw_red_flags(rng, who, &whole);
        // Mid-morning on the day, in her place.
        let at = who
            .zone
            .at_local(on.and_time(chrono::NaiveTime::MIN + Duration::hours(10)))
            .ok_or_else(|| invalid("assessed_at", "a local time that exists", &on.to_string()))?;
        out.push(Drawn {
            assessment: Assessment {
                id: AssessmentId::new(format!("{}-a{i:02}", p.case_id))?,
                case_id: p.case_id.clone(),
                assessed_at: at,
                assessed_by: worker.clone(),
                ratings,
                red_flags,
                own_priorities: Vec::new(),
                not_now: Vec::new(),
                extra: BTreeMap::new(),
            },
            on,
            levels: whole,
            setback,
        });
        on += Duration::days(30 + rng.below(61) as i64);
    }
    Ok(out)
}

fn level_of(levels: &[u8], domain: &DomainKey) -> u8 {
    DEFAULT_DOMAINS
        .iter()
        .position(|(k, _)| k == domain)
        .and_then(|i| levels.get(i).copied())
        // INVARIANT: `levels` has one entry per default domain; a test checks every domain
        // named here is one of them.
        .unwrap_or(3)
}

fn draw_red_flags(rng: &mut SplitMix64, who: &Who, levels: &[u8]) -> Vec<RedFlag> {
    let mut flags = Vec::new();
    if level_of(levels, &domains::MENTAL_HEALTH) == 1 && rng.chance(0.125) {
        flags.push(RedFlag::SuicidalThoughts);
    }
    if level_of(levels, &domains::SAFETY) == 1 && rng.chance(1.0 / 3.0) {
        flags.push(RedFlag::ImmediateDanger);
    }
    if level_of(levels, &domains::PHYSICAL_HEALTH) == 1 && rng.chance(0.2) {
        flags.push(RedFlag::UntreatedInjury);
    }
    let unsafe_home = matches!(
        who.profile.family,
        FamilyStance::Rejecting | FamilyStance::NoContact
    );
    if who.child && unsafe_home && rng.chance(0.5) {
        flags.push(RedFlag::ChildWithoutSafeCaregiver);
    }
    flags
}

/// The events of the journey, each applied to the phase statuses so far only when the phase
/// state machine ([`next_status`]) allows it: the timeline always replays.
struct Journal {
    case_id: CaseId,
    events: Vec<TimelineEvent>,
    status: BTreeMap<Phase, PhaseStatus>,
}

impl Journal {
    fn push(&mut self, on: NaiveDate, event: EventKind) -> Result<bool, ReintegrationError> {
        if let Some((phase, effect)) = event.effect() {
            // A phase no event has moved yet is not started (as `Journey::replay` reads it).
            let from = self
                .status
                .get(&phase)
                .copied()
                .unwrap_or(PhaseStatus::NotStarted);
            let Some(to) = next_status(from, effect) else {
                return Ok(false);
            };
            self.status.insert(phase, to);
        }
        let id = EventId::new(format!("{}-e{:02}", self.case_id, self.events.len()))?;
        self.events.push(TimelineEvent {
            id,
            case_id: self.case_id.clone(),
            on,
            event,
            note: None,
            extra: BTreeMap::new(),
        });
        Ok(true)
    }

    fn status(&self, phase: Phase) -> PhaseStatus {
        // A phase no event has moved yet is not started.
        self.status
            .get(&phase)
            .copied()
            .unwrap_or(PhaseStatus::NotStarted)
    }
}

/// The domains whose level decides a phase is achieved.
fn phase_domains(phase: Phase) -> &'static [DomainKey] {
    static FAMILY: [DomainKey; 2] = [domains::FAMILY, domains::COMMUNITY];
    static BASIC: [DomainKey; 4] = [
        domains::SHELTER,
        domains::PHYSICAL_HEALTH,
        domains::MENTAL_HEALTH,
        domains::DOCUMENTS,
    ];
    static LIVELIHOOD: [DomainKey; 2] = [domains::LIVELIHOOD, domains::DEBT];
    match phase {
        Phase::FamilyCommunityAcceptance => &FAMILY,
        Phase::BasicServices => &BASIC,
        Phase::Livelihood => &LIVELIHOOD,
        Phase::Return | Phase::Justice | Phase::PeerSupport => &[],
    }
}

fn draw_timeline(
    rng: &mut SplitMix64,
    who: &Who,
    assessments: &[Drawn],
) -> Result<CaseTimeline, ReintegrationError> {
    let p = &who.profile;
    let mut j = Journal {
        case_id: p.case_id.clone(),
        events: Vec::new(),
        status: BTreeMap::new(),
    };
    let returned_on = p.return_journey.returned_on.ok_or_else(|| {
        invalid(
            "profile.return_journey.returned_on",
            "the day she came back (every synthetic case has one)",
            "none",
        )
    })?;
    j.push(
        returned_on,
        EventKind::Returned {
            route: p.return_journey.route,
        },
    )?;
    let worked = [
        Phase::FamilyCommunityAcceptance,
        Phase::BasicServices,
        Phase::Livelihood,
    ];
    let group = rng.chance(0.3);
    let court = rng.chance(0.15);
    for (i, a) in assessments.iter().enumerate() {
        if let Some(cause) = a.setback {
            j.push(
                a.on,
                EventKind::SetbackOccurred {
                    phase: setback_phase(cause),
                    cause,
                },
            )?;
        }
        j.push(
            a.on,
            EventKind::Assessed {
                assessment_id: a.assessment.id.clone(),
            },
        )?;
        for phase in worked {
            // INVARIANT: the three worked phases each name domains (a test checks), so the
            // minimum exists.
            let lowest = phase_domains(phase)
                .iter()
                .map(|d| level_of(&a.levels, d))
                .min()
                .unwrap_or(3);
            match j.status(phase) {
                PhaseStatus::NotStarted if lowest <= 2 => {
                    j.push(a.on, EventKind::Referred { phase })?;
                }
                PhaseStatus::InProgress | PhaseStatus::Setback if lowest >= 4 => {
                    j.push(a.on, EventKind::PhaseAchieved { phase })?;
                }
                PhaseStatus::InProgress | PhaseStatus::Setback => {
                    j.push(a.on, EventKind::ServiceReceived { phase })?;
                }
                _ => {}
            }
        }
        if group && i == 1 {
            j.push(a.on, EventKind::JoinedSurvivorGroup)?;
        }
        if group && i == 6 && rng.chance(0.1) {
            j.push(a.on, EventKind::TookLeadershipRole)?;
        }
        if court && i == 2 {
            j.push(a.on, EventKind::CaseFiled)?;
        }
        if court && i == 8 {
            let result = match rng.pick_weighted(&[1.0, 0.5, 0.5, 1.0]) {
                0 => CaseResult::WithdrawnByPerson,
                1 => CaseResult::Conviction,
                2 => CaseResult::Dismissed,
                _ => CaseResult::Settlement,
            };
            j.push(a.on, EventKind::CaseClosed { result })?;
        }
    }
    let mut risks = vec![risk_inputs(rng, who, p.opened_on, assessments.first())];
    if let Some(last) = assessments.last().filter(|l| l.on > p.opened_on) {
        risks.push(risk_inputs(rng, who, last.on, Some(last)));
    }
    Ok(CaseTimeline {
        case_id: p.case_id.clone(),
        events: j.events,
        risk_inputs: risks,
        time_zone: Some(who.zone),
    })
}

fn risk_inputs(rng: &mut SplitMix64, who: &Who, on: NaiveDate, at: Option<&Drawn>) -> RiskInputs {
    let p = &who.profile;
    let level = |d: &DomainKey| at.map_or(2, |a| level_of(&a.levels, d));
    let income = match level(&domains::LIVELIHOOD) {
        1 => Income::None,
        2 | 3 => Income::Irregular,
        _ => Income::Regular,
    };
    let broker_debt = p.debts.iter().any(|d| d.creditor == Creditor::Broker);
    let in_debt = !p.debts.is_empty();
    let stigma = level(&domains::COMMUNITY) <= 2;
    let isolated = level(&domains::PEER_SUPPORT) <= 1 && rng.chance(0.5);
    let considering = (in_debt && income != Income::Regular && rng.chance(0.4)) || rng.chance(0.05);
    RiskInputs {
        case_id: p.case_id.clone(),
        recorded_on: on,
        debts: Some(p.debts.clone()),
        income,
        family_pressure: match p.family {
            FamilyStance::Rejecting => FamilyPressure::Strong,
            FamilyStance::Mixed => FamilyPressure::Some,
            FamilyStance::Supportive | FamilyStance::NoContact => FamilyPressure::None,
            FamilyStance::Unknown => FamilyPressure::Unknown,
        },
        stigma_or_isolation: match (stigma, isolated) {
            (true, true) => SocialSituation::Both,
            (true, false) => SocialSituation::Stigma,
            (false, true) => SocialSituation::Isolation,
            (false, false) => SocialSituation::Neither,
        },
        migration_intention: match (considering, rng.chance(0.3)) {
            (true, true) => MigrationIntention::Planning,
            (true, false) => MigrationIntention::Considering,
            (false, _) => MigrationIntention::None,
        },
        broker_contact: match (broker_debt, rng.pick_weighted(&[0.6, 0.25, 0.1, 0.05])) {
            (false, _) | (true, 0) => BrokerContact::None,
            (true, 1) => BrokerContact::Past,
            (true, 2) => BrokerContact::Recent,
            (true, _) => BrokerContact::OfferReceived,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ReintegrationModel;
    use beside_core::Validate;
    use chrono::TimeZone as _;

    fn as_of() -> Timestamp {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 18, 0, 0)
            .unwrap()
    }

    #[test]
    fn every_case_validates_and_replays_into_a_trajectory() {
        let model = ReintegrationModel::default();
        for case in synthetic_cases(500, 16, as_of()).unwrap() {
            let case = case.unwrap();
            let zone = case.profile.calendar();
            case.profile.validate_at(as_of()).unwrap();
            case.timeline.validate_at(as_of()).unwrap();
            assert!(!case.assessments.is_empty(), "{}", case.profile.case_id);
            assert!(case.assessments.len() <= MAX_ASSESSMENTS_PER_CASE);
            for a in &case.assessments {
                assert!(zone.local_date(a.assessed_at) <= zone.local_date(as_of()));
                a.validate_at(as_of()).unwrap();
            }
            model
                .trajectory_in(
                    &case.assessments,
                    &case.timeline.events,
                    case.timeline.latest_risk_inputs(),
                    as_of(),
                    zone,
                )
                .unwrap();
            assert!(case.profile.case_id.as_str().starts_with("syn-"));
            assert!(case
                .profile
                .summary
                .as_deref()
                .unwrap()
                .starts_with("Synthetic."));
        }
    }

    #[test]
    fn case_i_depends_only_on_the_seed_and_i() {
        let small: Vec<_> = synthetic_cases(20, 7, as_of()).unwrap().collect();
        let large: Vec<_> = synthetic_cases(50, 7, as_of()).unwrap().take(20).collect();
        assert_eq!(small, large);
        let other: Vec<_> = synthetic_cases(20, 8, as_of()).unwrap().collect();
        assert_ne!(small, other);
        assert_eq!(
            synthetic_case(7, 3, as_of()).unwrap(),
            small[3].clone().unwrap()
        );
    }

    #[test]
    fn the_drawn_shares_are_near_the_documented_weights() {
        let cases: Vec<SyntheticCase> = synthetic_cases(4000, 1, as_of())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let share = |f: &dyn Fn(&SyntheticCase) -> bool| {
            cases.iter().filter(|c| f(c)).count() as f64 / cases.len() as f64
        };
        let own = share(&|c| c.profile.return_journey.route == ReturnRoute::OwnWay);
        assert!((own - 0.60).abs() < 0.03, "own way {own}");
        let rejecting = share(&|c| c.profile.family == FamilyStance::Rejecting);
        assert!((rejecting - 0.15).abs() < 0.02, "rejecting {rejecting}");
        let debt = share(&|c| !c.profile.debts.is_empty());
        assert!((debt - 0.55).abs() < 0.03, "debt {debt}");
        let women = share(&|c| c.profile.person.gender == Gender::Female);
        assert!((women - 0.62).abs() < 0.03, "women {women}");
        // Setbacks happen, and more often where the family rejects her.
        let setbacks = |c: &SyntheticCase| {
            c.timeline
                .events
                .iter()
                .filter(|e| matches!(e.event, EventKind::SetbackOccurred { .. }))
                .count() as f64
        };
        let mean = |stance: FamilyStance| {
            let of: Vec<f64> = cases
                .iter()
                .filter(|c| c.profile.family == stance)
                .map(setbacks)
                .collect();
            of.iter().sum::<f64>() / of.len() as f64
        };
        assert!(mean(FamilyStance::Rejecting) > 1.5 * mean(FamilyStance::Supportive));
        assert!(cases
            .iter()
            .any(|c| c.assessments.iter().any(|a| !a.red_flags.is_empty())));
    }

    #[test]
    fn every_domain_a_rule_names_is_a_default_domain() {
        let keys: Vec<&DomainKey> = DEFAULT_DOMAINS.iter().map(|(k, _)| k).collect();
        let causes = SetbackCause::ALL;
        let flagged = [
            domains::MENTAL_HEALTH,
            domains::SAFETY,
            domains::PHYSICAL_HEALTH,
        ];
        let risky = [
            domains::LIVELIHOOD,
            domains::COMMUNITY,
            domains::PEER_SUPPORT,
        ];
        let named = causes
            .iter()
            .flat_map(|c| setback_domains(*c).iter())
            .chain(Phase::ALL.iter().flat_map(|p| phase_domains(*p).iter()))
            .chain(flagged.iter())
            .chain(risky.iter());
        for p in [
            Phase::FamilyCommunityAcceptance,
            Phase::BasicServices,
            Phase::Livelihood,
        ] {
            assert!(!phase_domains(p).is_empty(), "{p:?}");
        }
        for d in named {
            assert!(keys.contains(&d), "{d}");
        }
    }

    #[test]
    fn more_than_a_million_is_refused_by_name() {
        let e = synthetic_cases(MAX_SYNTHETIC_CASES + 1, 1, as_of())
            .err()
            .unwrap();
        assert!(e.to_string().contains("cases"), "{e}");
    }
}
