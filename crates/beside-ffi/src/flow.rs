//! What happens to a referral after it is chosen, across the FFI: its lifecycle (propose, send,
//! accept or decline, start, complete or close, withdraw), its withdrawal when the consent behind
//! it is revoked, its deadlines and the case worker's list of overdue work, the merge of a
//! referral edited on two phones, and the batch assignment of a caseload to limited places.
//!
//! Every function takes and returns the domain records themselves, so the answer of one call is
//! the input of the next: a [`Referral`] from [`referral_propose`] goes to [`referral_apply`],
//! a list of them to [`referrals_withdraw_for_revoked`] (with the ids
//! `ConsentEngine.revoked_at` returns) and [`referrals_overdue`]. Every typed input is checked
//! exactly as the same value written as JSON (same field paths and reasons): a path is that of
//! the argument's own JSON (`history[0].at`, `[2].consent_ids[0]` for an item of a list), and an
//! id or key passed alone is named by the argument (`by`, `revoked[1]`, `need`).
//!
//! Words for people are separate calls over a typed decision, in a locale
//! ([`render_late_deadline`], [`render_awaiting`], [`render_case_outcome`],
//! [`render_shortfall`]); the records carry codes and figures only.

use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::consent::DependentAction;
use beside::core::{
    CaseId, ConsentId, DomainKey, FieldError, Labels, LanguageCode, OrganizationId, Reason,
    ReferralId, ServiceId, Validate, Validator, WorkerId,
};
use beside::needs::Prioritisation;
use beside::referral::assign::{
    self, AssignError, AssignStats, Assignment, AssignmentProblem, CaseOutcome, Shortfall,
};
use beside::referral::deadline::{
    self, Awaiting, DeadlineError, LateDeadline, OverdueReferral, ResponseTime,
};
use beside::referral::lifecycle::{self, LifecycleError, Referral, ReferralEvent};
use beside::referral::merge::{self as referral_merge, MergedReferral, ReferralVersion};
use beside::referral::{render, Service};
use std::sync::OnceLock;

json::json_pair! {
    Referral => referral_from_json, referral_to_json;
    ReferralEvent => referral_event_from_json, referral_event_to_json;
    ResponseTime => response_time_from_json, response_time_to_json;
    OverdueReferral => overdue_referral_from_json, overdue_referral_to_json;
    ReferralVersion => referral_version_from_json, referral_version_to_json;
    MergedReferral => merged_referral_from_json, merged_referral_to_json;
    AssignmentProblem => assignment_problem_from_json, assignment_problem_to_json;
    Assignment => assignment_from_json, assignment_to_json;
    AssignStats => assign_stats_from_json, assign_stats_to_json;
}

/// A lifecycle refusal: `Refused` with its code (`impossible_transition`, `out_of_order`,
/// `no_consent`) and its figures as `error_json`.
fn lifecycle_refused(e: LifecycleError) -> BesideError {
    BesideError::refused(&e, "lifecycle_error")
}

/// A batch assignment failure: the problem's field errors, or an internal error of the solver.
pub(crate) fn assign_failed(e: AssignError) -> BesideError {
    match e {
        AssignError::Invalid(errors) => errors.into(),
        AssignError::Internal { invariant } => BesideError::refused(
            &serde_json::json!({
                "code": "internal_error",
                "invariant": invariant,
                "detail": e.to_string(),
            }),
            "internal_error",
        ),
    }
}

/// A deadline past the last representable time (validation refuses the input that could reach
/// one, so this is never expected): `Refused` with code `deadline_out_of_range`.
fn deadline_refused(e: DeadlineError) -> BesideError {
    BesideError::refused(
        &serde_json::json!({
            "code": "deadline_out_of_range",
            "referral": e.referral,
            "index": e.index,
            "detail": e.to_string(),
        }),
        "deadline_out_of_range",
    )
}

/// An id or key passed on its own (lifted unchecked), checked by its own rules, or a field
/// error named `path`.
fn checked_key<T, E>(path: impl Into<String>, value: T) -> Result<T, BesideError>
where
    T: TryFrom<String, Error = E> + ToString,
    E: Into<Reason>,
{
    T::try_from(value.to_string()).map_err(|reason| FieldError::new(path, reason.into()).into())
}

/// Every item of `values`, checked as its JSON would be, an error naming `[index]`.
fn checked_list<T>(values: Vec<T>) -> Result<Vec<T>, BesideError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| json::checked(v).map_err(|e| e.at_index(i)))
        .collect()
}

/// `value` validated at `now`: the field errors, if any.
fn validated<T: Validate>(value: &T, now: Timestamp) -> Result<(), BesideError> {
    value.validate_at(now).map_err(BesideError::from)
}

/// A new referral in state `proposed`, at `at`: of case `case_id` for need `need`, to service
/// `service_id` of organisation `organization_id`, relying on the consent records
/// `consent_ids` (it cannot be sent without one) and carrying its deadlines (from
/// [`response_times_for`]). Checked as `Referral` JSON is, then validated at `at` (response
/// times `1..` a year of minutes, raised no later than `at`).
#[allow(
    clippy::too_many_arguments,
    reason = "one argument per field of a new referral"
)]
#[uniffi::export]
pub fn referral_propose(
    id: ReferralId,
    case_id: CaseId,
    need: DomainKey,
    service_id: ServiceId,
    organization_id: OrganizationId,
    consent_ids: Vec<ConsentId>,
    response_times: Vec<ResponseTime>,
    at: Timestamp,
) -> Result<Referral, BesideError> {
    let mut referral = Referral::propose(id, case_id, need, service_id, organization_id, at)
        .with_response_times(response_times);
    referral.consent_ids = consent_ids;
    let referral = json::checked(referral)?;
    validated(&referral, at)?;
    Ok(referral)
}

/// Apply `event` to `referral` at `at`, recorded by worker `by` when known: the new referral
/// (the old one is unchanged), or `Refused` with code `impossible_transition` (the event cannot
/// happen in its state), `out_of_order` (`at` is before its last change) or `no_consent`
/// (sending needs a consent record to rely on), with the figures in `error_json`.
#[uniffi::export]
pub fn referral_apply(
    referral: Referral,
    event: ReferralEvent,
    at: Timestamp,
    by: Option<WorkerId>,
) -> Result<Referral, BesideError> {
    let referral = json::checked(referral)?;
    let event = json::checked(event)?;
    let by = by.map(|w| checked_key("by", w)).transpose()?;
    referral.apply(&event, at, by).map_err(lifecycle_refused)
}

/// **Withdrawal on revocation**: every open referral of `referrals` that relied on one of the
/// `revoked` consent records (as `ConsentEngine.revoked_at` lists them) is withdrawn at `at`
/// (or at its last change, when later), its reason naming the revoked record. Answers the
/// withdrawn referrals (new values, in the order given); the others need nothing.
#[uniffi::export]
pub fn referrals_withdraw_for_revoked(
    referrals: Vec<Referral>,
    revoked: Vec<ConsentId>,
    at: Timestamp,
) -> Result<Vec<Referral>, BesideError> {
    let referrals = checked_list(referrals)?;
    let revoked = revoked
        .into_iter()
        .enumerate()
        .map(|(i, id)| checked_key(format!("revoked[{i}]"), id))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lifecycle::withdraw_for_any_revoked(
        &referrals, &revoked, at,
    ))
}

/// The referrals as actions that depend on consent (each with the records it relies on and
/// whether it is open), for `ConsentEngine.actions_to_withdraw`, which answers the
/// [`Withdrawal`](beside::consent::Withdrawal)s a revocation requires alongside the app's other dependent actions.
#[uniffi::export]
pub fn referral_dependent_actions(
    referrals: Vec<Referral>,
) -> Result<Vec<DependentAction>, BesideError> {
    Ok(checked_list(referrals)?
        .iter()
        .map(Referral::dependent_action)
        .collect())
}

/// The deadlines of a referral proposed for need `need` of `prioritisation` (as
/// `NeedsEngine.prioritise` returns it) to `service` (from the directory): one per red flag
/// raised for the need, from the assessment's time, then the service's own response time when
/// it has one. A need that is not in the prioritisation is `Invalid` at `need`.
#[uniffi::export]
pub fn response_times_for(
    prioritisation: Prioritisation,
    need: DomainKey,
    service: Service,
) -> Result<Vec<ResponseTime>, BesideError> {
    let prioritisation = json::checked(prioritisation)?;
    let service = json::checked(service)?;
    let need = checked_key("need", need)?;
    let item = prioritisation.item(need.as_str()).ok_or_else(|| {
        FieldError::new(
            "need",
            Reason::Unknown {
                value: need.to_string(),
                known: prioritisation
                    .items
                    .iter()
                    .map(|i| i.domain.to_string())
                    .collect(),
            },
        )
    })?;
    Ok(deadline::response_times_for(
        item,
        prioritisation.assessed_at,
        &service,
    ))
}

/// **Overdue work**: the open referrals of `referrals` with a late deadline at `now`, most late
/// first (then by referral id), each with what it waits for and every late deadline with its
/// figures. The referrals are validated at `now` (a history in time order, nothing in the
/// future), errors naming `[index]`.
#[uniffi::export]
pub fn referrals_overdue(
    referrals: Vec<Referral>,
    now: Timestamp,
) -> Result<Vec<OverdueReferral>, BesideError> {
    let referrals = checked_list(referrals)?;
    validated(&referrals, now)?;
    deadline::overdue(&referrals, now).map_err(deadline_refused)
}

/// **Merge two phones' versions of one referral** (`base`: the version both last shared, when
/// known), at `now`: one valid lifecycle (the longer history when one extends the other; when
/// they part ways, the one that withdrew it, else the later edit's, flagged as a conflict),
/// consent records and response times joined, every other field merged field by field with
/// conflicts flagged. Each input is validated at `now`, its errors named from the argument
/// (`base.…`, `ours.value.…`, `theirs.value.…`); versions of different referrals or cases are
/// `Refused` with code `different_records`.
#[uniffi::export]
pub fn merge_referrals(
    base: Option<Referral>,
    ours: ReferralVersion,
    theirs: ReferralVersion,
    now: Timestamp,
) -> Result<MergedReferral, BesideError> {
    let in_arg = |name: &'static str| {
        move |e: BesideError| match e {
            BesideError::Invalid { errors, .. } => beside::core::ValidationErrors {
                errors: errors
                    .into_iter()
                    .map(|f| FieldError::new(prefixed(name, &f.path), f.reason))
                    .collect(),
            }
            .into(),
            other => other,
        }
    };
    let base = base
        .map(|b| json::checked(b).map_err(in_arg("base")))
        .transpose()?;
    let ours = json::checked(ours).map_err(in_arg("ours"))?;
    let theirs = json::checked(theirs).map_err(in_arg("theirs"))?;
    let mut v = Validator::new(now);
    if let Some(b) = &base {
        v.field("base", |v| b.validate_with(v));
    }
    v.field("ours", |v| ours.validate_with(v));
    v.field("theirs", |v| theirs.validate_with(v));
    v.finish()?;
    referral_merge::merge_referrals(base.as_ref(), &ours.into(), &theirs.into(), now)
        .map_err(BesideError::from)
}

/// `path` under argument `name`: `name.path`, `name[0]…` or `name` for the root.
fn prefixed(name: &str, path: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else if path.starts_with('[') {
        format!("{name}{path}")
    } else {
        format!("{name}.{path}")
    }
}

/// **Batch assignment**: the exact optimum of assigning the cases of `problem` to the limited
/// places of its services over its eligible pairs — most priority placed, then most places
/// filled, then least cost, ties broken deterministically — with every case's decision and its
/// reasons (a [`Shortfall`] with its figures), every service's load, and the totals. An
/// invalid problem (duplicate ids, unknown references, figures out of range) is `Invalid`
/// with every path (`eligible[3].service`).
#[uniffi::export]
pub fn assign_solve(problem: AssignmentProblem) -> Result<Assignment, BesideError> {
    assign::solve(&json::checked(problem)?).map_err(assign_failed)
}

/// An assignment and where the time of solving it went.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SolvedAssignment {
    /// The optimal assignment, as [`assign_solve`] answers it.
    pub assignment: Assignment,
    /// Time per stage and the solver's work.
    pub stats: AssignStats,
}

/// [`assign_solve`], also reporting where the time went (for benchmarks and capacity planning).
#[uniffi::export]
pub fn assign_solve_with_stats(
    problem: AssignmentProblem,
) -> Result<SolvedAssignment, BesideError> {
    let (assignment, stats) =
        assign::solve_with_stats(&json::checked(problem)?).map_err(assign_failed)?;
    Ok(SolvedAssignment { assignment, stats })
}

/// The words of this module: the referral templates (with the shared and needs vocabulary) and
/// the batch-assignment decisions.
fn labels() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS.get_or_init(|| render::labels().with_english(assign::english_labels()))
}

/// `locale` as one of the languages the labels have words in, or `Invalid` at `locale` naming
/// the known ones.
fn language(locale: &str) -> Result<(&'static Labels, LanguageCode), BesideError> {
    let labels = labels();
    match LanguageCode::new(locale) {
        Ok(code)
            if labels
                .locales
                .iter()
                .any(|t| t.language.same_language(&code)) =>
        {
            Ok((labels, code))
        }
        _ => Err(FieldError::new(
            "locale",
            Reason::Unknown {
                value: locale.to_owned(),
                known: labels
                    .locales
                    .iter()
                    .map(|t| t.language.to_string())
                    .collect(),
            },
        )
        .into()),
    }
}

/// A late deadline of an overdue referral in words, in `locale` (`en`): "immediate danger: a
/// provider should have accepted within 3 hours; 27 hours late".
#[uniffi::export]
pub fn render_late_deadline(late: LateDeadline, locale: String) -> Result<String, BesideError> {
    let (labels, lang) = language(&locale)?;
    Ok(render::render_late(&json::checked(late)?, labels, &lang))
}

/// What an overdue referral waits for, in words, in `locale` (`en`): "not sent yet".
#[uniffi::export]
pub fn render_awaiting(awaiting: Awaiting, locale: String) -> Result<String, BesideError> {
    let (labels, lang) = language(&locale)?;
    Ok(render::render_awaiting(
        json::checked(awaiting)?,
        labels,
        &lang,
    ))
}

/// A case's batch-assignment decision in words, with its figures, in `locale` (`en`):
/// "assigned 1 of 2 place(s) at a total cost of 4". The reason for a shortfall is
/// [`render_shortfall`].
#[uniffi::export]
pub fn render_case_outcome(outcome: CaseOutcome, locale: String) -> Result<String, BesideError> {
    let (labels, lang) = language(&locale)?;
    let outcome = json::checked(outcome)?;
    Ok(labels.render(outcome.label_key(), &lang, &outcome.params()))
}

/// Why places of a case were not filled, in words, with its figures, in `locale` (`en`):
/// "none of the 2 eligible service(s) has an open place".
#[uniffi::export]
pub fn render_shortfall(shortfall: Shortfall, locale: String) -> Result<String, BesideError> {
    let (labels, lang) = language(&locale)?;
    let shortfall = json::checked(shortfall)?;
    Ok(labels.render(shortfall.label_key(), &lang, &shortfall.params()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside::referral::lifecycle::{DeclineReason, ReferralState, WithdrawReason};
    use chrono::{Duration, TimeZone, Utc};

    fn t(minutes: i64) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn id<T: TryFrom<String, Error = Reason>>(text: &str) -> T {
        T::try_from(text.to_owned()).unwrap()
    }

    /// A prioritisation with a red flag on `safety`, assessed at `t(0)`.
    fn prioritisation() -> Prioritisation {
        let assessment: beside::needs::Assessment = beside::core::json::from_json_at(
            r#"{"id": "a1", "case_id": "case-01", "assessed_at": "2026-03-01T09:00:00Z",
                "assessed_by": "w1", "ratings": [{"domain": "safety", "rating": {"level": 1}},
                {"domain": "food", "rating": {"level": 2}}],
                "red_flags": ["immediate_danger"]}"#,
            t(1),
        )
        .unwrap();
        beside::needs::Prioritiser::standard()
            .prioritise(&assessment)
            .unwrap()
    }

    fn service() -> Service {
        let mut s = beside::samples::directory().unwrap().services.remove(0);
        s.respond_within_minutes = Some(24 * 60);
        s
    }

    fn proposed(response_times: Vec<ResponseTime>) -> Referral {
        referral_propose(
            id("r1"),
            id("case-01"),
            DomainKey::new("safety").unwrap(),
            id("s1"),
            id("o1"),
            vec![id("c1")],
            response_times,
            t(5),
        )
        .unwrap()
    }

    fn invalid_path(e: BesideError) -> String {
        match e {
            BesideError::Invalid { path, .. } => path,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    fn refused_code(e: BesideError) -> String {
        match e {
            BesideError::Refused { code, .. } => code,
            other => panic!("expected Refused, got {other:?}"),
        }
    }

    #[test]
    fn the_typed_chain_from_deadlines_to_withdrawal() {
        let rts = response_times_for(
            prioritisation(),
            DomainKey::new("safety").unwrap(),
            service(),
        )
        .unwrap();
        assert_eq!(rts.len(), 2);
        assert!(matches!(rts[0], ResponseTime::RedFlag { .. }));
        let r = proposed(rts);
        // Unsent after the red flag's 3 hours: on the list, waiting to be sent.
        let late = referrals_overdue(vec![r.clone()], t(4 * 60)).unwrap();
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].awaiting, Awaiting::Send);
        assert_eq!(late[0].late_by_minutes, 60);
        let words = render_late_deadline(late[0].late[0].clone(), "en".into()).unwrap();
        assert!(
            words.contains("60 minutes late") || words.contains("1 hour"),
            "{words}"
        );
        assert_eq!(
            render_awaiting(late[0].awaiting, "en".into()).unwrap(),
            "not sent yet"
        );
        let sent = referral_apply(r, ReferralEvent::Send, t(10), Some(id("w1"))).unwrap();
        let accepted = referral_apply(sent.clone(), ReferralEvent::Accept, t(20), None).unwrap();
        assert!(referrals_overdue(vec![accepted.clone()], t(10_000))
            .unwrap()
            .is_empty());
        // A revocation withdraws the open referral, once.
        let out =
            referrals_withdraw_for_revoked(vec![accepted.clone()], vec![id("c1")], t(30)).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].state,
            ReferralState::Withdrawn {
                reason: WithdrawReason::ConsentRevoked {
                    consent_id: id("c1")
                }
            }
        );
        let actions = referral_dependent_actions(vec![accepted.clone(), out[0].clone()]).unwrap();
        assert_eq!(
            actions.iter().map(|a| a.open).collect::<Vec<_>>(),
            [true, false]
        );
        // Two phones: one accepted it, the other declined it; both from the sent version.
        let declined = referral_apply(
            sent.clone(),
            ReferralEvent::Decline {
                reason: DeclineReason::NoCapacity,
            },
            t(25),
            None,
        )
        .unwrap();
        let version = |value, by: &str, at| ReferralVersion {
            value,
            edited_by: Some(id(by)),
            edited_at: at,
        };
        let merged = merge_referrals(
            Some(sent),
            version(accepted, "w1", t(20)),
            version(declined, "w2", t(25)),
            t(100),
        )
        .unwrap();
        assert_eq!(merged.conflicts.len(), 1);
        assert!(matches!(
            merged.referral.state,
            ReferralState::Declined { .. }
        ));
        let json = merged_referral_to_json(merged.clone()).unwrap();
        assert_eq!(merged_referral_from_json(json).unwrap(), merged);
    }

    #[test]
    fn lifecycle_refusals_carry_their_code_and_figures() {
        let r = proposed(Vec::new());
        let e = referral_apply(r.clone(), ReferralEvent::Complete, t(10), None).unwrap_err();
        match e {
            BesideError::Refused {
                code, error_json, ..
            } => {
                assert_eq!(code, "impossible_transition");
                assert!(
                    error_json.contains("\"state\":\"proposed\""),
                    "{error_json}"
                );
            }
            other => panic!("{other:?}"),
        }
        let e = referral_apply(r.clone(), ReferralEvent::Send, t(1), None).unwrap_err();
        assert_eq!(refused_code(e), "out_of_order");
        let mut unconsented = r;
        unconsented.consent_ids.clear();
        let e = referral_apply(unconsented, ReferralEvent::Send, t(10), None).unwrap_err();
        assert_eq!(refused_code(e), "no_consent");
    }

    #[test]
    fn bad_typed_input_is_refused_with_the_path_of_its_json() {
        // A referral with an empty consent id (a lift from abroad does not check it), typed
        // and as JSON: refused with the same path.
        let mut typed = proposed(Vec::new());
        typed.consent_ids.push(lifted::<ConsentId>(""));
        let text = serde_json::to_string(&typed).unwrap();
        let json_path = invalid_path(referral_from_json(text).unwrap_err());
        assert_eq!(json_path, "consent_ids[1]");
        let e = referral_apply(typed.clone(), ReferralEvent::Send, t(10), None).unwrap_err();
        assert_eq!(invalid_path(e), json_path);
        let e = referrals_overdue(vec![proposed(Vec::new()), typed], t(10)).unwrap_err();
        assert_eq!(invalid_path(e), format!("[1].{json_path}"));
        let e = referrals_withdraw_for_revoked(
            vec![proposed(Vec::new())],
            vec![id("c1"), lifted::<ConsentId>("")],
            t(10),
        )
        .unwrap_err();
        assert_eq!(invalid_path(e), "revoked[1]");
        let e = referral_apply(
            proposed(Vec::new()),
            ReferralEvent::Send,
            t(10),
            Some(lifted::<WorkerId>(" w1")),
        )
        .unwrap_err();
        assert_eq!(invalid_path(e), "by");
        // Response times out of range: the same path as the JSON's validation.
        let e = referral_propose(
            id("r1"),
            id("case-01"),
            DomainKey::new("safety").unwrap(),
            id("s1"),
            id("o1"),
            vec![id("c1")],
            vec![ResponseTime::Service {
                respond_within_minutes: 0,
            }],
            t(5),
        )
        .unwrap_err();
        assert_eq!(invalid_path(e), "response_times[0].respond_within_minutes");
        let e = response_times_for(
            prioritisation(),
            DomainKey::new("shelter").unwrap(),
            service(),
        )
        .unwrap_err();
        assert_eq!(invalid_path(e), "need");
        // A bad merge side is named from its argument.
        let r = proposed(Vec::new());
        let mut future = r.clone();
        future.created_at = t(10_000);
        let v = |value| ReferralVersion {
            value,
            edited_by: None,
            edited_at: t(6),
        };
        let e = merge_referrals(None, v(r.clone()), v(future), t(100)).unwrap_err();
        assert_eq!(invalid_path(e), "theirs.value.created_at");
        let mut other = r.clone();
        other.id = id("r2");
        let e = merge_referrals(None, v(r), v(other), t(100)).unwrap_err();
        assert_eq!(refused_code(e), "different_records");
    }

    /// An id as a lift from abroad makes it: unchecked.
    fn lifted<T>(text: &str) -> T
    where
        T: uniffi::Lift<crate::UniFfiTag, FfiType = uniffi::RustBuffer>,
    {
        T::try_lift(<String as uniffi::Lower<crate::UniFfiTag>>::lower(
            text.to_owned(),
        ))
        .unwrap()
    }

    fn problem() -> AssignmentProblem {
        assignment_problem_from_json(
            r#"{"cases": [{"id": "c1"}, {"id": "c2", "weight": 2}, {"id": "c3"}],
                "services": [{"id": "shelter", "capacity": 1}, {"id": "hostel", "capacity": 1}],
                "eligible": [{"case": "c1", "service": "shelter", "cost": 5},
                             {"case": "c2", "service": "shelter", "cost": 1},
                             {"case": "c2", "service": "hostel", "cost": 9},
                             {"case": "c3", "service": "hostel", "cost": 2}]}"#
                .into(),
        )
        .unwrap()
    }

    #[test]
    fn assignment_is_typed_with_its_reasons() {
        let a = assign_solve(problem()).unwrap();
        assert_eq!(a.totals.units_placed, 2);
        let unplaced = a
            .cases
            .iter()
            .find(|c| matches!(c.outcome, CaseOutcome::Unassigned { .. }))
            .unwrap();
        let shortfall = unplaced.outcome.shortfall().unwrap().clone();
        assert!(matches!(
            shortfall,
            Shortfall::CapacityExhausted { .. } | Shortfall::OutrankedByHigherPriority { .. }
        ));
        let words = render_shortfall(shortfall, "en".into()).unwrap();
        assert!(words.contains("eligible service"), "{words}");
        let words = render_case_outcome(unplaced.outcome.clone(), "en".into()).unwrap();
        assert_eq!(words, "not assigned (1 place(s) needed)");
        let solved = assign_solve_with_stats(problem()).unwrap();
        assert_eq!(solved.assignment, a);
        let text = assignment_to_json(a.clone()).unwrap();
        assert_eq!(assignment_from_json(text).unwrap(), a);
        let e = render_case_outcome(unplaced.outcome.clone(), "xx".into()).unwrap_err();
        assert_eq!(invalid_path(e), "locale");
    }

    #[test]
    fn a_bad_problem_has_the_same_path_typed_and_as_json() {
        let mut p = problem();
        p.eligible[3].service = id("nowhere");
        let text = serde_json::to_string(&p).unwrap();
        let from_json = assignment_problem_from_json(text)
            .and_then(assign_solve)
            .unwrap_err();
        let typed = assign_solve(p).unwrap_err();
        assert_eq!(invalid_path(typed.clone()), "eligible[3].service");
        assert_eq!(typed, from_json);
    }
}
