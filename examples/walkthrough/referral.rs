//! Walkthrough step: referrals. Every sample case is matched to providers for its three most
//! urgent needs, with consent checked against its own records; then a plan for case-01, a
//! referral's lifecycle ending in a revocation, a batch assignment of the caseload to limited
//! places, and a gap table per district.

use beside::core::{Labels, LanguageCode, ReferralId, Timestamp};
use beside::needs::{Prioritisation, Prioritiser};
use beside::referral::assign::{self, AssignCase, AssignService, AssignmentProblem, EligibleArc};
use beside::referral::deadline::{overdue, response_times_for};
use beside::referral::gaps::{AreaLanguages, GapQuery};
use beside::referral::lifecycle::{withdraw_for_revoked, Referral, ReferralEvent};
use beside::referral::matching::{
    ConsentGate, ConsentNotChecked, Exclusion, LedgerGate, MatchConfig, MatchIndex, MatchRequest,
    MatchResult,
};
use beside::referral::plan::PlanConfig;
use beside::referral::render::{
    labels, render_awaiting, render_choice, render_exclusion, render_factor, render_late,
    render_left_out, render_pathway, render_withheld,
};
use beside::referral::{may_see_whereabouts, Viewer};
use beside::samples;
use std::collections::BTreeMap;

type Error = Box<dyn std::error::Error>;

/// The latest assessment of each case, prioritised.
fn priorities(prioritiser: &Prioritiser) -> Result<BTreeMap<String, Prioritisation>, Error> {
    let mut latest = BTreeMap::new();
    for a in samples::needs::assessments()? {
        let key = a.case_id.to_string();
        let newer = latest
            .get(&key)
            .is_none_or(|b: &beside::needs::Assessment| a.assessed_at > b.assessed_at);
        if newer {
            latest.insert(key, a);
        }
    }
    let mut out = BTreeMap::new();
    for (case, a) in latest {
        out.insert(case, prioritiser.prioritise(&a)?);
    }
    Ok(out)
}

fn request(
    case: &beside::core::CaseProfile,
    list: &Prioritisation,
    needs: usize,
    at: Timestamp,
) -> MatchRequest {
    let urgent = list
        .referable()
        .take(needs)
        .map(|i| i.domain.clone())
        .collect();
    let mut req = MatchRequest::from_case(case, urgent, at);
    req.formally_identified = case.return_journey.route == beside::core::ReturnRoute::Formal;
    req
}

/// A need's name from the labels ("Debt and financial stability").
fn domain(key: &beside::core::DomainKey, words: &Labels, en: &LanguageCode) -> String {
    words.render(&key.label_key(), en, &BTreeMap::new())
}

/// The case worker's list of late work, two and a half days after case-04's assessment raised two
/// red flags: each of her matched needs was proposed an hour after it, with the response times
/// of its flags and of its service; only the first was sent, two hours after.
fn overdue_work(
    out: &mut String,
    index: &MatchIndex,
    results: &[(String, MatchResult)],
    lists: &BTreeMap<String, Prioritisation>,
    words: &Labels,
    en: &LanguageCode,
) -> Result<(), Error> {
    let (Some(list), Some((_, result))) = (
        lists.get("case-04"),
        results.iter().find(|(case, _)| case == "case-04"),
    ) else {
        return Ok(());
    };
    let hours = |h| list.assessed_at + chrono::Duration::hours(h);
    let consent = samples::consent::ledger("case-04")?
        .records()
        .iter()
        .find(|r| r.revoked.is_none())
        .map(|r| r.id.clone());
    let mut referrals = Vec::new();
    for need in &result.needs {
        let (Some(choice), Some(item)) = (need.candidates.first(), list.item(need.domain.as_str()))
        else {
            continue;
        };
        let Some(service) = index
            .directory()
            .services
            .iter()
            .find(|s| s.id == choice.service_id)
        else {
            continue;
        };
        let mut r = Referral::propose(
            ReferralId::new(format!("ref-04-{}", referrals.len() + 1))?,
            list.case_id.clone(),
            need.domain.clone(),
            choice.service_id.clone(),
            choice.organization_id.clone(),
            hours(1),
        )
        .with_response_times(response_times_for(item, list.assessed_at, service));
        r.consent_ids.extend(consent.clone());
        if referrals.is_empty() {
            r = r.apply(&ReferralEvent::Send, hours(2), None)?;
        }
        referrals.push(r);
    }
    let now = hours(60);
    let late = overdue(&referrals, now)?;
    say!(
        out,
        "\nOverdue work at {} ({} of {} referrals for case-04):",
        now.format("%Y-%m-%d %H:%M UTC"),
        late.len(),
        referrals.len()
    );
    for o in &late {
        say!(
            out,
            "  {} {} to {}: {}",
            o.referral_id,
            domain(&o.need, words, en),
            o.service_id,
            render_awaiting(o.awaiting, words, en)
        );
        for l in &o.late {
            say!(out, "    {}", render_late(l, words, en));
        }
    }
    Ok(())
}

/// How the matched needs of all cases ended.
#[derive(Default)]
struct Tally {
    needs: usize,
    with_provider: usize,
    consent_near_misses: usize,
    needs_with_consent_near_miss: usize,
    no_provider_with_consent_near_miss: usize,
}

impl Tally {
    fn add(&mut self, need: &beside::referral::matching::NeedMatch) {
        self.needs += 1;
        let provider = !need.candidates.is_empty();
        self.with_provider += usize::from(provider);
        let consent = need
            .near_misses
            .iter()
            .filter(|n| matches!(n.exclusion, Exclusion::NoConsent { .. }))
            .count();
        self.consent_near_misses += consent;
        self.needs_with_consent_near_miss += usize::from(consent > 0);
        self.no_provider_with_consent_near_miss += usize::from(consent > 0 && !provider);
    }
}

pub fn run(out: &mut String) -> Result<(), Error> {
    let en = LanguageCode::new("en")?;
    let words = labels();
    let index = MatchIndex::new(samples::directory()?)?;
    let config = MatchConfig::default();
    let cases = samples::cases()?;
    let lists = priorities(&Prioritiser::standard())?;
    let at = crate::when()?;

    say!(
        out,
        "Each case's three most urgent referable needs, matched with consent checked:"
    );
    let mut results: Vec<(String, MatchResult)> = Vec::new();
    let mut tally = Tally::default();
    for case in &cases {
        let Some(list) = lists.get(case.case_id.as_str()) else {
            continue;
        };
        let req = request(case, list, 3, at);
        let ledger = samples::consent::ledger(case.case_id.as_str()).ok();
        let gate: Box<dyn ConsentGate + '_> = match &ledger {
            Some(l) => Box::new(LedgerGate::referral(l)),
            None => Box::new(ConsentNotChecked),
        };
        let result = index.match_case(&req, &config, gate.as_ref())?;
        say!(
            out,
            "\n{} (consent {}):",
            case.case_id,
            if result.consent_checked {
                "checked"
            } else {
                "not on record: exploring only"
            }
        );
        for need in &result.needs {
            tally.add(need);
            say!(
                out,
                "  {}: {} looked at, {} eligible",
                domain(&need.domain, &words, &en),
                need.considered,
                need.eligible
            );
            const SHOWN: usize = 2;
            for c in need.candidates.iter().take(SHOWN) {
                let factors: Vec<String> = c
                    .factors
                    .iter()
                    .filter(|f| f.points > 0.0)
                    .map(|f| render_factor(f, &words, &en))
                    .collect();
                let steps: Vec<String> = c
                    .pathway
                    .iter()
                    .map(|p| render_pathway(*p, &words, &en))
                    .collect();
                say!(
                    out,
                    "    {} {:.2} [{}]{}",
                    c.service_id,
                    c.score,
                    c.organization_kind.key(),
                    if steps.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", steps.join(", "))
                    }
                );
                say!(out, "      {}", factors.join("; "));
                if let Some(w) = &c.withheld {
                    say!(out, "      {}", render_withheld(w, &words, &en));
                }
            }
            let eligible = usize::try_from(need.eligible)?;
            if let Some(rest) = words.render_rest("referral.more.candidates", &en, eligible, SHOWN)
            {
                say!(out, "    {rest}");
            }
            if need.candidates.is_empty() {
                say!(out, "    no eligible provider");
            }
            // The nearest near miss, and the nearest one a consent stands in the way of.
            let first = need.near_misses.first();
            let consent = need
                .near_misses
                .iter()
                .find(|n| matches!(n.exclusion, Exclusion::NoConsent { .. }));
            let shown: Vec<_> = first
                .into_iter()
                .chain(consent.filter(|c| first.is_none_or(|f| f.service_id != c.service_id)))
                .collect();
            for n in &shown {
                say!(
                    out,
                    "    near miss: {} — {}",
                    n.service_id,
                    render_exclusion(&n.exclusion, &words, &en)
                );
            }
            if let Some(rest) = words.render_rest(
                "referral.more.near_misses",
                &en,
                need.near_misses.len(),
                shown.len(),
            ) {
                say!(out, "    {rest}");
            }
        }
        results.push((case.case_id.to_string(), result));
    }

    say!(
        out,
        "\nAcross the {} cases: {} of {} needs have an eligible provider, {} have none; {} on {} ({} of them with no provider)",
        results.len(),
        tally.with_provider,
        tally.needs,
        tally.needs - tally.with_provider,
        crate::count(
            u64::try_from(tally.consent_near_misses)?,
            "consent near miss",
            "consent near misses"
        ),
        crate::count(u64::try_from(tally.needs_with_consent_near_miss)?, "need", "needs"),
        tally.no_provider_with_consent_near_miss
    );

    confidential_shelter(out, &index, &config, &cases, at)?;

    // A plan for case-01, from her own prioritised list.
    if let (Some(case), Some(list)) = (
        cases.iter().find(|c| c.case_id.as_str() == "case-01"),
        lists.get("case-01"),
    ) {
        let ledger = samples::consent::ledger("case-01")?;
        let plan = index.plan(
            list,
            &request(case, list, 16, at),
            &config,
            &PlanConfig::default(),
            &LedgerGate::referral(&ledger),
        )?;
        say!(
            out,
            "\nPlan for case-01: {} steps with {} providers",
            plan.steps.len(),
            plan.providers.len()
        );
        for s in &plan.steps {
            let who = s
                .choice
                .as_ref()
                .map_or("—".to_owned(), |c| c.service_id.to_string());
            say!(
                out,
                "  {}. {} ({}): {} — {}",
                s.step,
                domain(&s.domain, &words, &en),
                s.urgency.key(),
                who,
                render_choice(&s.reason, &words, &en)
            );
        }
        for l in &plan.left_out {
            say!(
                out,
                "  left out: {} — {}",
                domain(&l.domain, &words, &en),
                render_left_out(&l.reason, &words, &en)
            );
        }

        // A referral through its lifecycle; then the consent behind it is revoked.
        if let Some(step) = plan.steps.iter().find(|s| s.choice.is_some()) {
            if let Some(choice) = &step.choice {
                let mut referral = Referral::propose(
                    ReferralId::new("ref-01-1")?,
                    case.case_id.clone(),
                    step.domain.clone(),
                    choice.service_id.clone(),
                    choice.organization_id.clone(),
                    at,
                );
                referral.consent_ids = ledger
                    .records()
                    .iter()
                    .filter(|r| r.revoked.is_none())
                    .map(|r| r.id.clone())
                    .take(1)
                    .collect();
                let sent = referral.apply(&ReferralEvent::Send, at, None)?;
                let accepted = sent.apply(&ReferralEvent::Accept, at, None)?;
                say!(
                    out,
                    "\nReferral {} to {}: {} → {}",
                    accepted.id,
                    accepted.service_id,
                    referral.state.key(),
                    accepted.state.key()
                );
                if let Err(e) = accepted.apply(&ReferralEvent::Send, at, None) {
                    say!(out, "  sending it again is refused: {e}");
                }
                if let Some(consent) = accepted.consent_ids.first() {
                    for w in withdraw_for_revoked(std::slice::from_ref(&accepted), consent, at) {
                        say!(
                            out,
                            "  consent {consent} revoked → referral {}",
                            w.state.key()
                        );
                    }
                }
            }
        }
    }

    overdue_work(out, &index, &results, &lists, &words, &en)?;

    // Batch assignment: each case's most urgent need that has eligible providers, against one
    // place per provider, so cases compete for places.
    let mut problem = AssignmentProblem {
        cases: Vec::new(),
        services: Vec::new(),
        eligible: Vec::new(),
    };
    for (case, result) in &results {
        let Some(need) = result.needs.iter().find(|n| !n.candidates.is_empty()) else {
            continue;
        };
        problem.cases.push(AssignCase {
            id: beside::core::CaseId::new(case.as_str())?,
            weight: 1,
            demand: 1,
        });
        for c in &need.candidates {
            // Cost: how far the match is from perfect, in thousandths.
            let cost = ((1.0 - c.score) * 1000.0).round() as i64;
            problem.eligible.push(EligibleArc {
                case: beside::core::CaseId::new(case.as_str())?,
                service: c.service_id.clone(),
                cost,
            });
            if !problem.services.iter().any(|s| s.id == c.service_id) {
                let places = index
                    .directory()
                    .services
                    .iter()
                    .find(|s| s.id == c.service_id)
                    .and_then(|s| s.capacity)
                    .unwrap_or(3)
                    .min(1);
                problem.services.push(AssignService {
                    id: c.service_id.clone(),
                    capacity: places,
                });
            }
        }
    }
    let assignment = assign::solve(&problem)?;
    let t = &assignment.totals;
    say!(out,
        "\nBatch assignment of {} cases to {} services (one place each): {} assigned, {} unassigned, total cost {}",
        problem.cases.len(),
        problem.services.len(),
        t.cases_assigned,
        t.cases_unassigned,
        t.total_cost
    );
    const LISTED: usize = 6;
    for c in assignment.cases.iter().take(LISTED) {
        let to: Vec<String> = c.placements.iter().map(|p| p.service.to_string()).collect();
        say!(
            out,
            "  {} → {}",
            c.case,
            if to.is_empty() {
                "unassigned".into()
            } else {
                to.join(", ")
            }
        );
    }
    if let Some(rest) =
        words.render_rest("referral.more.cases", &en, assignment.cases.len(), LISTED)
    {
        say!(out, "  {rest}");
    }

    // Gap table: what a person in each district could actually reach.
    let area = |parts: &[&str]| beside::core::AreaPath::new(parts.iter().copied());
    let query = GapQuery {
        areas: vec![
            area(&["BD", "Khulna", "Jashore"])?,
            area(&["BD", "Khulna", "Satkhira"])?,
            area(&["BD", "Chattogram", "Cox's Bazar"])?,
            area(&["BD", "Dhaka", "Dhaka"])?,
            area(&["KH", "Banteay Meanchey"])?,
            area(&["KH", "Phnom Penh"])?,
        ],
        needs: ["shelter", "mental_health", "legal", "livelihood", "debt"]
            .iter()
            .map(|d| beside::core::DomainKey::new(d))
            .collect::<Result<_, _>>()?,
        languages: vec![
            AreaLanguages {
                area: area(&["BD"])?,
                languages: vec![LanguageCode::new("bn")?],
            },
            AreaLanguages {
                area: area(&["KH"])?,
                languages: vec![LanguageCode::new("km")?],
            },
        ],
    };
    say!(
        out,
        "\nGap table: services listed / reachable (paper-only reasons)"
    );
    for row in index.gaps(&query)? {
        let mut why: BTreeMap<String, usize> = BTreeMap::new();
        for p in &row.paper_only {
            for r in &p.reasons {
                let key = serde_json::to_value(r)?.as_str().unwrap_or("?").to_owned();
                *why.entry(key).or_default() += 1;
            }
        }
        let why: Vec<String> = why.iter().map(|(k, n)| format!("{k} {n}")).collect();
        say!(
            out,
            "  {:<32} {:<14} {:>2} / {:>2}  {}",
            row.area.to_string(),
            row.domain.as_str(),
            row.listed,
            row.reachable,
            why.join(", ")
        );
    }
    Ok(())
}

/// The confidential women's shelter in Jashore, matched for case-01's need of a shelter: the
/// public (and any app not entitled to it) gets a distance band and no address; the district
/// office it is disclosed to gets the exact distance and the address. The HSDS export for the
/// public leaves its address and coordinates out.
fn confidential_shelter(
    out: &mut String,
    index: &MatchIndex,
    config: &MatchConfig,
    cases: &[beside::core::CaseProfile],
    at: Timestamp,
) -> Result<(), Error> {
    let words = labels();
    let en = LanguageCode::new("en")?;
    let Some(case) = cases.iter().find(|c| c.case_id.as_str() == "case-01") else {
        return Err("case-01 is not among the samples".into());
    };
    let directory = index.directory();
    let Some(shelter) = directory
        .locations
        .iter()
        .find(|l| l.confidential.is_some())
    else {
        return Err("the sample directory has no confidential location".into());
    };
    let org = directory
        .organization(&shelter.organization_id)
        .ok_or("the shelter's organisation is not in the directory")?;
    say!(
        out,
        "\nA confidential place: {} keeps its address secret (shelter need of case-01):",
        org.name
    );
    let office = beside::core::OrganizationId::new("org-bd-jsr-gov-01")?;
    for (who, viewer) in [
        ("the public", Viewer::Public),
        (
            "the district social services office",
            Viewer::Organization { id: office },
        ),
    ] {
        let mut req =
            MatchRequest::from_case(case, vec![beside::core::DomainKey::new("shelter")?], at);
        req.viewer = viewer.clone();
        let result = index.match_case(&req, config, &ConsentNotChecked)?;
        let need = result
            .needs
            .first()
            .ok_or("no answer for the shelter need")?;
        let Some(c) = need
            .candidates
            .iter()
            .find(|c| c.organization_id == shelter.organization_id)
        else {
            return Err("the confidential shelter is not matched for case-01".into());
        };
        let place = match (&c.withheld, c.distance_km) {
            (Some(w), _) => render_withheld(w, &words, &en),
            (None, Some(km)) => format!("{km:.1} km away"),
            (None, None) => "distance not known".to_owned(),
        };
        say!(
            out,
            "  for {who}: {} {:.2} (ranked {} of {}) — {place}",
            c.service_id,
            c.score,
            need.candidates
                .iter()
                .position(|x| x.service_id == c.service_id)
                .map_or(0, |i| i + 1),
            need.candidates.len()
        );
        if let Some(f) = c.factors.first() {
            say!(out, "    {}", render_factor(f, &words, &en));
        }
        if may_see_whereabouts(shelter, &viewer) {
            if let Some(address) = &shelter.address {
                say!(out, "    its address, for {who} only: {address}");
            }
        }
    }
    let export: serde_json::Value =
        serde_json::from_str(&beside::referral::hsds::export_json(directory)?)?;
    let hsds_location = export
        .get("contents")
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
        .flat_map(|o| {
            o.get("locations")
                .and_then(|l| l.as_array())
                .into_iter()
                .flatten()
        })
        .find(|l| l.get("id").and_then(|i| i.as_str()) == Some(shelter.id.as_str()))
        .ok_or("the shelter is not in the HSDS export")?;
    let address = hsds_location
        .pointer("/addresses/0/address_1")
        .and_then(|a| a.as_str());
    if address != Some("") || hsds_location.get("latitude").is_some() {
        return Err("the public HSDS export shows the confidential shelter's whereabouts".into());
    }
    say!(
        out,
        "  the public HSDS export writes its name ({}) and area ({}), its street address empty and no coordinates",
        hsds_location
            .get("name")
            .and_then(|n| n.as_str())
            .ok_or("an HSDS location without a name")?,
        shelter.area.0.join(" › ")
    );
    Ok(())
}
