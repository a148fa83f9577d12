//! Words for referral decisions. Every exclusion, score factor, pathway step and plan choice is
//! data (a code plus figures); these templates turn it into English, and apps supply other
//! languages with the same keys through [`beside_core::Labels`].

use crate::deadline::{Awaiting, LateDeadline, ResponseTime};
use crate::gaps::{AreaNeedGap, PaperReason};
use crate::matching::{Exclusion, PathwayStep, ScoreFactor};
use crate::plan::{ChoiceReason, LeftOutReason};
use crate::whereabouts::{DistanceBand, Withheld};
use beside_core::{Labels, LanguageCode};
use std::collections::BTreeMap;

/// The English resource of referral decisions (`locales/en/referral.ftl`), complete: every key this
/// crate renders. Add it to [`beside_core::Labels`] with `Labels::english().with_english(..)`.
pub fn english_labels() -> &'static str {
    ENGLISH
}

/// The English resource of referral decisions, embedded.
pub const ENGLISH: &str = include_str!("../locales/en/referral.ftl");

/// [`Labels`] with the shared vocabulary, the needs words (red flags, durations) and these
/// templates.
pub fn labels() -> Labels {
    Labels::english()
        .with_english(beside_needs::render::english_labels())
        .with_english(english_labels())
}

/// How late, in words a person reads at a glance: whole days from two days, whole hours from
/// two hours, else minutes ("3 days", "27 hours", "45 minutes"). The exact minutes stay in the
/// data ([`LateDeadline::late_by_minutes`]).
fn render_lateness(minutes: i64, labels: &Labels, lang: &LanguageCode) -> String {
    const HOUR: i64 = 60;
    const DAY: i64 = 24 * HOUR;
    let shown = if minutes >= 2 * DAY {
        minutes / DAY * DAY
    } else if minutes >= 2 * HOUR {
        minutes / HOUR * HOUR
    } else {
        minutes
    };
    // INVARIANT: lateness is positive, and u32 minutes reach 8,000 years; a longer delay is
    // shown in its figures only.
    match u32::try_from(shown) {
        Ok(m) => beside_needs::render::render_minutes(m, labels, lang),
        Err(_) => shown.to_string(),
    }
}

/// A late deadline in words: "immediate danger: a provider should have accepted within 3
/// hours; 27 hours late".
pub fn render_late(late: &LateDeadline, labels: &Labels, lang: &LanguageCode) -> String {
    let rt = &late.response_time;
    let mut params = BTreeMap::from([
        (
            "within".to_owned(),
            beside_needs::render::render_minutes(rt.minutes(), labels, lang),
        ),
        (
            "late".to_owned(),
            render_lateness(late.late_by_minutes, labels, lang),
        ),
    ]);
    if let ResponseTime::RedFlag { flag, .. } = rt {
        params.insert(
            "flag".to_owned(),
            beside_needs::render::render_flag(*flag, labels, lang),
        );
    }
    labels.render(&format!("referral.overdue.{}", rt.key()), lang, &params)
}

/// What an overdue referral waits for, in words.
pub fn render_awaiting(awaiting: Awaiting, labels: &Labels, lang: &LanguageCode) -> String {
    let key = match awaiting {
        Awaiting::Send => "referral.awaiting.send",
        Awaiting::ProviderAnswer => "referral.awaiting.provider_answer",
    };
    labels.render(key, lang, &BTreeMap::new())
}

fn km(x: f64) -> String {
    format!("{x:.1}")
}

fn value_params(value: &serde_json::Value) -> BTreeMap<String, String> {
    let mut params = BTreeMap::new();
    if let serde_json::Value::Object(map) = value {
        for (k, v) in map {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(f) if n.is_f64() => km(f),
                    _ => n.to_string(),
                },
                other => other.to_string(),
            };
            params.insert(k.clone(), text);
        }
    }
    params
}

/// Render a tagged decision value: its tag names the template, its fields fill it.
fn render_tagged(
    value: &serde_json::Value,
    tag: &str,
    prefix: &str,
    labels: &Labels,
    lang: &LanguageCode,
) -> String {
    let code = value.get(tag).and_then(|c| c.as_str()).unwrap_or("unknown");
    let mut params = value_params(value);
    if let Some(area) = value.get("home_area").and_then(|a| a.as_array()) {
        let parts: Vec<&str> = area.iter().filter_map(|p| p.as_str()).collect();
        params.insert("home_area".into(), parts.join(" › "));
    }
    if let Some(test) = value.get("decided_by").and_then(|t| t.as_str()) {
        // Which service-area test decided, in words (`referral.area_test.<key>`).
        let words = labels.render(
            &format!("referral.area_test.{test}"),
            lang,
            &BTreeMap::new(),
        );
        params.insert("decided_by".into(), words);
    }
    if let Some(band) = value.get("distance_band").and_then(|b| b.as_str()) {
        // A withheld distance, as its band in words (`referral.distance_band.<key>`).
        let words = labels.render(
            &format!("referral.distance_band.{band}"),
            lang,
            &BTreeMap::new(),
        );
        params.insert("distance_band".into(), words);
    }
    if let Some(veto) = value.get("veto") {
        // The vetoed organisation, service, kind or area, as its id, key or path.
        let what = ["id", "kind"]
            .iter()
            .find_map(|k| veto.get(k).and_then(|v| v.as_str()).map(str::to_owned))
            .or_else(|| {
                veto.get("area").and_then(|a| a.as_array()).map(|parts| {
                    parts
                        .iter()
                        .filter_map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(" › ")
                })
            });
        if let Some(what) = what {
            params.insert("veto".into(), what);
        }
    }
    labels.render(&format!("{prefix}.{code}"), lang, &params)
}

/// An exclusion in words: "beyond the 40 km the person can travel". A missing consent names
/// its reasons in words (`referral.consent_reason.<code>`): "the consent expired and needs
/// renewing".
pub fn render_exclusion(e: &Exclusion, labels: &Labels, lang: &LanguageCode) -> String {
    if let Exclusion::NoConsent { reasons } = e {
        return labels.render(
            "referral.exclusion.no_consent",
            lang,
            &BTreeMap::from([(
                "reasons".to_owned(),
                render_consent_reasons(reasons, labels, lang),
            )]),
        );
    }
    let value = beside_core::json::to_value_for_words(e);
    render_tagged(&value, "code", "referral.exclusion", labels, lang)
}

/// Consent deny reason codes (`expired`, `explicit_refusal`…) in words, joined with "; ".
pub fn render_consent_reasons(reasons: &[String], labels: &Labels, lang: &LanguageCode) -> String {
    let words: Vec<String> = reasons
        .iter()
        .map(|code| {
            labels.render(
                &format!("referral.consent_reason.{code}"),
                lang,
                &BTreeMap::new(),
            )
        })
        .collect();
    words.join("; ")
}

/// A score factor in words, with its points: "distance 0.27: 4.2 km of a 40.0 km limit".
pub fn render_factor(f: &ScoreFactor, labels: &Labels, lang: &LanguageCode) -> String {
    let value = beside_core::json::to_value_for_words(&f.basis);
    let text = render_tagged(&value, "basis", "referral.factor", labels, lang);
    let name = serde_json::to_value(f.factor)
        .ok()
        .and_then(|v| v.as_str().map(|k| format!("referral.factor_name.{k}")))
        .map_or_else(
            || "referral.factor_name".to_owned(),
            |key| labels.render(&key, lang, &BTreeMap::new()),
        );
    format!("{name} {:.2}: {text}", f.points)
}

/// Why a candidate's whereabouts are withheld, with the distance's band when known: "a
/// confidential place: its address and exact distance are not shown (5 to 20 km)".
pub fn render_withheld(w: &Withheld, labels: &Labels, lang: &LanguageCode) -> String {
    let why = labels.render(
        &format!("referral.withheld.{}", w.reason.key()),
        lang,
        &BTreeMap::new(),
    );
    match w.distance_band {
        Some(band) => format!("{why} ({})", render_distance_band(band, labels, lang)),
        None => why,
    }
}

/// A distance band in words: "5 to 20 km".
pub fn render_distance_band(band: DistanceBand, labels: &Labels, lang: &LanguageCode) -> String {
    labels.render(
        &format!("referral.distance_band.{}", band.key()),
        lang,
        &BTreeMap::new(),
    )
}

/// A pathway step in words.
pub fn render_pathway(step: PathwayStep, labels: &Labels, lang: &LanguageCode) -> String {
    let key = match step {
        PathwayStep::ObtainCourtOrder => "referral.pathway.obtain_court_order",
        PathwayStep::ObtainReferralLetter => "referral.pathway.obtain_referral_letter",
    };
    labels.render(key, lang, &BTreeMap::new())
}

/// Why a plan chose (or could not choose) a provider, in words.
pub fn render_choice(reason: &ChoiceReason, labels: &Labels, lang: &LanguageCode) -> String {
    let value = beside_core::json::to_value_for_words(reason);
    let mut params = value_params(&value);
    for key in ["score", "best_score"] {
        if let Some(x) = value.get(key).and_then(|v| v.as_f64()) {
            params.insert(key.into(), format!("{x:.2}"));
        }
    }
    if let ChoiceReason::NoEligibleProvider { near_misses } = reason {
        return labels.render_count(
            "referral.plan.no_eligible_provider",
            lang,
            u64::from(*near_misses),
            &params,
        );
    }
    let code = value
        .get("code")
        .and_then(|c| c.as_str())
        .unwrap_or("unknown");
    labels.render(&format!("referral.plan.{code}"), lang, &params)
}

/// Why a need was left out of a plan, in words.
pub fn render_left_out(reason: &LeftOutReason, labels: &Labels, lang: &LanguageCode) -> String {
    let value = beside_core::json::to_value_for_words(reason);
    render_tagged(&value, "code", "referral.plan", labels, lang)
}

/// Why a listed service cannot be reached, in words: "only with a court order".
pub fn render_paper_reason(reason: PaperReason, labels: &Labels, lang: &LanguageCode) -> String {
    labels.render(
        &format!("referral.gap.reason.{}", reason.key()),
        lang,
        &BTreeMap::new(),
    )
}

/// One row of a gap table in words: "Food in BD › Jessore: 1 of the 3 services listed can be
/// reached". The paper-only services' reasons are [`render_paper_reason`]'s.
pub fn render_gap(gap: &AreaNeedGap, labels: &Labels, lang: &LanguageCode) -> String {
    let params = BTreeMap::from([
        (
            "domain".to_owned(),
            labels.render(&gap.domain.label_key(), lang, &BTreeMap::new()),
        ),
        ("area".to_owned(), gap.area.0.join(" › ")),
        ("reachable".to_owned(), gap.reachable.to_string()),
    ]);
    labels.render_count("referral.gap.row", lang, u64::from(gap.listed), &params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exclusion_has_words() {
        let en = LanguageCode::new("en").unwrap();
        let l = labels();
        let e = Exclusion::BeyondTravelLimit {
            distance_km: 52.34,
            limit_km: 40.0,
        };
        assert_eq!(
            render_exclusion(&e, &l, &en),
            "52.3 km away, beyond the 40.0 km the person can travel"
        );
        for code in crate::matching::ExclusionCode::ALL {
            let key = format!("referral.exclusion.{}", code.key());
            assert!(l.get(&key, &en).is_some(), "{key}");
        }
        for test in crate::matching::AreaTest::ALL {
            let key = format!("referral.area_test.{}", test.key());
            assert!(l.get(&key, &en).is_some(), "{key}");
        }
        let e = Exclusion::OutsideServiceArea {
            home_area: beside_core::AreaPath::new(["BD", "Khulna", "Narail"]).unwrap(),
            decided_by: crate::matching::AreaTest::Shape,
        };
        assert_eq!(
            render_exclusion(&e, &l, &en),
            "does not serve BD › Khulna › Narail (her home lies outside the areas it has drawn)"
        );
    }

    #[test]
    fn withheld_distances_are_bands_in_words() {
        let en = LanguageCode::new("en").unwrap();
        let l = labels();
        let e = Exclusion::BeyondTravelLimitBand {
            distance_band: DistanceBand::Over50Km,
            limit_km: 40.0,
        };
        assert_eq!(
            render_exclusion(&e, &l, &en),
            "over 50 km away, beyond the 40.0 km the person can travel"
        );
        let f = ScoreFactor {
            factor: crate::matching::Factor::Distance,
            value: 0.6875,
            weight: 0.3,
            points: 0.206,
            basis: crate::matching::FactorBasis::DistanceBand {
                distance_band: DistanceBand::From5To20Km,
                limit_km: 40.0,
            },
        };
        assert_eq!(
            render_factor(&f, &l, &en),
            "distance 0.21: 5 to 20 km, of a 40.0 km limit"
        );
        for band in DistanceBand::ALL {
            let key = format!("referral.distance_band.{}", band.key());
            assert!(l.get(&key, &en).is_some(), "{key}");
        }
        let w = Withheld {
            reason: crate::whereabouts::WithheldReason::ConfidentialLocation,
            distance_band: Some(DistanceBand::Under5Km),
        };
        assert_eq!(
            render_withheld(&w, &l, &en),
            "a confidential place: its address and exact distance are not shown (under 5 km)"
        );
    }

    #[test]
    fn gaps_are_words() {
        let en = LanguageCode::new("en").unwrap();
        let l = labels();
        for reason in PaperReason::ALL {
            let key = format!("referral.gap.reason.{}", reason.key());
            assert!(l.get(&key, &en).is_some(), "{key}");
            assert_eq!(
                serde_json::to_value(reason).unwrap(),
                serde_json::json!(reason.key())
            );
        }
        assert_eq!(
            render_paper_reason(PaperReason::RequiresCourtOrder, &l, &en),
            "only with a court order"
        );
        let gap = |listed| AreaNeedGap {
            area: beside_core::AreaPath::new(["BD", "Jessore"]).unwrap(),
            domain: beside_core::DomainKey::new("food").unwrap(),
            listed,
            reachable: 1,
            paper_only: Vec::new(),
        };
        assert_eq!(
            render_gap(&gap(3), &l, &en),
            "Food in BD › Jessore: 1 of the 3 services listed can be reached"
        );
        assert_eq!(
            render_gap(&gap(1), &l, &en),
            "Food in BD › Jessore: 1 of the 1 service listed can be reached"
        );
    }

    #[test]
    fn consent_reasons_and_counts_are_words() {
        let en = LanguageCode::new("en").unwrap();
        let l = labels();
        let e = Exclusion::NoConsent {
            reasons: vec!["expired".into(), "explicit_refusal".into()],
        };
        assert_eq!(
            render_exclusion(&e, &l, &en),
            "no consent to share the referral's data with it: the consent expired and needs renewing; the person refused it"
        );
        for code in [
            "none_given",
            "out_of_scope",
            "not_yet_granted",
            "expired",
            "revoked",
            "explicit_refusal",
            "guardian_consent_missing",
            "guardian_implicated",
            "best_interest_not_authorised",
            "assent_missing",
            "re_consent_due_at_majority",
            "guardian_for_adult",
            "not_emergency_services",
            "emergency_lapsed",
        ] {
            let key = format!("referral.consent_reason.{code}");
            assert!(l.get(&key, &en).is_some(), "{key}");
        }
        let one = ChoiceReason::NoEligibleProvider { near_misses: 1 };
        let many = ChoiceReason::NoEligibleProvider { near_misses: 4 };
        assert_eq!(
            render_choice(&one, &l, &en),
            "no eligible provider; 1 near miss"
        );
        assert_eq!(
            render_choice(&many, &l, &en),
            "no eligible provider; 4 near misses"
        );
        assert_eq!(
            l.render_rest("referral.more.near_misses", &en, 8, 1)
                .as_deref(),
            Some("… and 7 more near misses")
        );
        assert_eq!(
            l.render_rest("referral.more.cases", &en, 7, 6).as_deref(),
            Some("… and 1 more case")
        );
    }

    #[test]
    fn late_deadlines_have_words_rounded_for_reading() {
        use crate::deadline::{Awaiting, LateDeadline, ResponseTime};
        use beside_needs::RedFlag;
        let (l, en) = (labels(), LanguageCode::new("en").unwrap());
        let at = chrono::DateTime::UNIX_EPOCH;
        let late = |response_time, late_by_minutes| LateDeadline {
            response_time,
            started_at: at,
            due_at: at,
            late_by_minutes,
        };
        let flag = ResponseTime::RedFlag {
            flag: RedFlag::ImmediateDanger,
            raised_at: at,
            respond_within_minutes: 180,
        };
        let text = render_late(&late(flag, 27 * 60 + 10), &l, &en);
        assert!(
            text.ends_with("a provider should have accepted within 3 hours; 27 hours late"),
            "{text}"
        );
        let own = ResponseTime::Service {
            respond_within_minutes: 2 * 24 * 60,
        };
        assert_eq!(
            render_late(&late(own.clone(), 45), &l, &en),
            "the provider answers within 2 days of being sent; 45 minutes late"
        );
        assert!(render_late(&late(own, 3 * 24 * 60 + 59), &l, &en).ends_with("; 3 days late"));
        assert_eq!(render_awaiting(Awaiting::Send, &l, &en), "not sent yet");
    }

    #[test]
    fn the_english_resources_are_sound_fluent() {
        // Built-in resources are added unchecked (`Labels::with_english`): each must parse.
        for ftl in [
            ENGLISH,
            crate::assign::english_labels(),
            crate::hsds::english_labels(),
        ] {
            let keys = beside_core::labels::keys(&[ftl]).unwrap();
            assert!(keys.len() > 5, "{keys:?}");
        }
    }
}
