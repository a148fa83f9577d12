"""Consent, typed end to end: ledger -> decision (reasons as enums with their fields) -> audit
log, minimisation, revocation -> withdrawals; rendering in a locale; offline merge; one bad
input per operation (the typed error's path); JSON round trips."""

import datetime as dt
import json

import pytest

import beside
from beside import (
    ActionRef,
    AuditEvent,
    AuditTrail,
    BesideError,
    ConsentEngine,
    DataCategory,
    DenyReason,
    DependentAction,
    Edit,
    EmergencyDisclosure,
    FieldMap,
    FieldRule,
    OrganizationKind,
    Outcome,
    PermitBasis,
    Purpose,
    Question,
    Recipient,
    Revocation,
)

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
WORKER = "worker-bd-jsr-01"


def ask(org, kind, categories, at=WHEN):
    return Question(
        recipient=Recipient(organization_id=org, kind=kind),
        purpose=Purpose.SERVICE_REFERRAL,
        categories=categories,
        at=at,
    )


def ngo_question():
    return ask("org-bd-jsr-ngo-01", OrganizationKind.NGO, [DataCategory.IDENTITY, DataCategory.CONTACT])


@pytest.fixture()
def case01():
    return ConsentEngine(beside.sample_ledger("case-01"), WHEN)


def test_typed_chain(case01):
    assert case01.case_id() == "case-01"
    ngo = case01.evaluate(ngo_question())
    assert ngo.outcome == Outcome.PERMIT
    assert [p.category for p in ngo.permitted] == [DataCategory.IDENTITY, DataCategory.CONTACT]
    assert ngo.permitted[0].basis == PermitBasis.CONSENT(records=["consent-01-referral"])

    police = case01.evaluate(ask("org-bd-police-01", OrganizationKind.POLICE, [DataCategory.CONTACT]))
    assert police.outcome == Outcome.DENY
    reason = police.denied[0].reasons[0]
    assert reason.is_EXPLICIT_REFUSAL() and reason.record == "refusal-01-police"

    # the decision feeds the audit log and the minimiser as it is
    trail = AuditTrail()
    entry = trail.record_decision(WHEN, WORKER, ngo)
    assert entry.seq == 0 and entry.event.is_DECIDED()
    field_map = FieldMap(rules=[
        FieldRule(path="phone", category=DataCategory.CONTACT),
        FieldRule(path="history", category=DataCategory.TRAFFICKING_HISTORY),
    ])
    view = beside.consent_minimise(json.dumps({"phone": "+880", "history": "x"}), field_map, ngo)
    assert json.loads(view.view) == {"phone": "+880"}
    assert [r.path for r in view.removed] == ["history"]

    # revocation: the open referral is withdrawn, the next decision denies
    actions = [
        DependentAction(action=ActionRef.REFERRAL(id="ref-1"), relied_on=["consent-01-referral"], open=True),
        DependentAction(action=ActionRef.REFERRAL(id="ref-2"), relied_on=["consent-01-referral"], open=False),
    ]
    assert case01.actions_to_withdraw(actions, WHEN) == []
    revocation = case01.revoke("consent-01-referral", WHEN, "changed her mind", WHEN)
    assert revocation.reason == "changed her mind"
    trail.append(WHEN, WORKER, AuditEvent.RECORD_REVOKED(id="consent-01-referral", revocation=revocation))
    assert case01.revoked_at(WHEN) == ["consent-01-referral"]
    withdrawn = case01.actions_to_withdraw(actions, WHEN)
    assert [w.action.id for w in withdrawn] == ["ref-1"]
    assert beside.consent_actions_to_withdraw(["consent-01-referral"], actions) == withdrawn
    after = case01.evaluate(ngo_question())
    assert after.outcome == Outcome.DENY
    assert after.denied[0].reasons[0] == DenyReason.REVOKED(record="consent-01-referral", revoked_at=WHEN)

    # the log verifies, stored and reloaded
    trail.verify()
    beside.audit_verify(trail.entries(), trail.checkpoint())
    assert AuditTrail.from_entries(trail.entries(), trail.checkpoint()).len() == 2

    # words are a separate call over the typed answer, in a locale
    text = beside.render_consent_decision(police, "en")
    assert "police" in text
    lines = beside.render_consent_phrases(case01.summary(WHEN), "en")
    assert lines and all(isinstance(x, str) and x for x in lines)
    assert beside.explain_consent_decision(police)[0].key.startswith("consent.outcome.")


def test_emergency(case01):
    disclosure = EmergencyDisclosure(
        id="ev-emergency-1", case_id="case-01", declared_by=WORKER,
        declared_at=WHEN - dt.timedelta(hours=1), justification="Unconscious after a fall.",
    )
    q = ask("org-ambulance", OrganizationKind.EMERGENCY_SERVICES, [DataCategory.HEALTH])
    d = case01.evaluate_emergency(disclosure, q, WHEN)
    assert d.outcome == Outcome.PERMIT
    assert d.permitted[0].basis.is_CONSENT() or d.permitted[0].basis.is_EMERGENCY()
    disclosure.case_id = "case-02"
    with pytest.raises(BesideError.Invalid):
        case01.evaluate_emergency(disclosure, q, WHEN)


def test_merge_ledgers():
    ours = beside.sample_ledger("case-01")
    theirs = beside.sample_ledger("case-01")
    theirs.records = [r for r in theirs.records if r.id != "refusal-01-police"]
    merged = beside.merge_ledgers(None, ours, Edit(by=None, at=WHEN), theirs, Edit(by=WORKER, at=WHEN), WHEN)
    assert len(merged.ledger.records) == len(ours.records)
    with pytest.raises(BesideError.Refused) as info:
        beside.merge_ledgers(None, ours, Edit(by=None, at=WHEN), beside.sample_ledger("case-02"),
                             Edit(by=None, at=WHEN), WHEN)
    assert info.value.code == "different_records"


# ---- one bad input per operation: the typed error names the field ---------------------------

def test_bad_ledger():
    ledger = beside.sample_ledger("case-01")
    ledger.records[0].id = " padded "
    with pytest.raises(BesideError.Invalid) as info:
        ConsentEngine(ledger, WHEN)
    assert info.value.path == "records[0].id"


def test_bad_record_same_path_as_json(case01):
    record = beside.sample_ledger("case-01").records[0]
    with pytest.raises(BesideError.Invalid) as typed:
        case01.add(record, WHEN)  # the same id again
    assert typed.value.path == "id"
    record.id = ""
    with pytest.raises(BesideError.Invalid) as typed:
        case01.add(record, WHEN)
    text = json.loads(beside.consent_record_to_json(beside.sample_ledger("case-01").records[0]))
    text["id"] = ""
    with pytest.raises(BesideError.Invalid) as from_json:
        beside.consent_record_from_json(json.dumps(text))
    assert typed.value.path == from_json.value.path == "id"


def test_bad_question(case01):
    with pytest.raises(BesideError.Invalid) as info:
        case01.evaluate(ask("", OrganizationKind.NGO, [DataCategory.CONTACT]))
    assert info.value.path == "recipient.organization_id"


def test_bad_revocation(case01):
    with pytest.raises(BesideError.Invalid) as info:
        case01.revoke(" x", WHEN, "why", WHEN)
    assert info.value.path == "record_id"
    with pytest.raises(BesideError.NotFound) as nf:
        case01.revoke("no-such-record", WHEN, "x", WHEN)
    assert nf.value.id == "no-such-record"
    case01.revoke("consent-01-referral", WHEN, "x", WHEN)
    with pytest.raises(BesideError.Refused) as again:
        case01.revoke("consent-01-referral", WHEN, "again", WHEN)
    assert again.value.code == "already_revoked"


def test_bad_actions(case01):
    bad = [DependentAction(action=ActionRef.REFERRAL(id=""), relied_on=[], open=True)]
    with pytest.raises(BesideError.Invalid) as info:
        case01.actions_to_withdraw(bad, WHEN)
    # an internally tagged enum's inner field is named by the enum, as in JSON
    assert info.value.path == "[0].action"
    item = json.loads(beside.dependent_action_to_json(
        DependentAction(action=ActionRef.REFERRAL(id="r"), relied_on=[], open=True)))
    item["action"]["id"] = ""
    with pytest.raises(BesideError.Invalid) as as_json:
        beside.dependent_action_from_json(json.dumps(item))
    assert "[0]." + as_json.value.path == info.value.path
    with pytest.raises(BesideError.Invalid) as free:
        beside.consent_actions_to_withdraw([""], [])
    assert free.value.path == "[0]"


def test_bad_minimise_and_locale(case01):
    d = case01.evaluate(ngo_question())
    with pytest.raises(BesideError.Invalid) as info:
        beside.consent_minimise("{not json", FieldMap(rules=[]), d)
    assert info.value.errors[0].reason.is_MALFORMED()
    with pytest.raises(BesideError.Invalid) as info:
        beside.render_consent_decision(d, "xx")
    assert info.value.path == "locale" and "en" in info.value.detail


def test_bad_audit(case01):
    trail = AuditTrail()
    trail.record_decision(WHEN, None, case01.evaluate(ngo_question()))
    event = AuditEvent.RECORD_REVOKED(id="c-1", revocation=Revocation(at=WHEN, reason="asked"))
    with pytest.raises(BesideError.Invalid) as info:
        trail.append(WHEN, "two\tlines", event)
    assert info.value.path == "actor"
    with pytest.raises(BesideError.Invalid) as info:
        trail.append(WHEN - dt.timedelta(days=1), None, event)
    assert info.value.path == "at"
    assert trail.len() == 1
    entries = trail.entries()
    entries[0].prev_hash = "0" * 63 + "1"
    with pytest.raises(BesideError.Refused) as broken:
        beside.audit_verify(entries, None)
    assert broken.value.code == "chain_broken"
    problem = beside.chain_broken_from_json(broken.value.error_json)
    assert problem.index == 0 and problem.problem.is_BROKEN_LINK()
    assert beside.render_chain_broken(problem, "en")
    with pytest.raises(BesideError.Refused):
        AuditTrail.from_entries(entries, None)


def test_unknown_sample():
    with pytest.raises(BesideError.NotFound):
        ConsentEngine.sample("case-404")
    with pytest.raises(BesideError.NotFound):
        beside.sample_ledger("case-404")


# ---- JSON stays the interchange format --------------------------------------------------------

def test_json_round_trips(case01):
    ledger = case01.ledger()
    assert beside.consent_ledger_from_json(beside.consent_ledger_to_json(ledger)) == ledger
    d = case01.evaluate(ngo_question())
    text = beside.consent_decision_to_json(d)
    assert json.loads(text)["outcome"] == "permit"
    assert beside.consent_decision_from_json(text) == d
    records = beside.sample_consents()
    assert beside.consent_record_from_json(beside.consent_record_to_json(records[0])) == records[0]
    trail = AuditTrail()
    trail.record_decision(WHEN, WORKER, d)
    log = beside.audit_log_from_json(beside.audit_log_to_json(trail.log()))
    assert AuditTrail.from_log(log).checkpoint() == trail.checkpoint()
    with pytest.raises(BesideError.Invalid) as info:
        beside.consent_question_from_json('{"recipient": {"organization_id": "o", "kind": "martians"}}')
    assert info.value.path.startswith("recipient")
