"""Consent: evaluation (typed and JSON), emergencies, revocation, summaries, minimisation,
the hash-chained audit log, and typed errors."""

import datetime as dt
import json

import pytest

import beside
from beside import AuditTrail, BesideError, ConsentEngine, ConsentOutcome, ConsentQuestionInput

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def ask(org, kind, categories, purpose="service_referral", at=WHEN):
    return ConsentQuestionInput(
        organization_id=org, recipient_kind=kind, purpose=purpose, categories=categories, at=at
    )


def question_json(org, kind, categories, purpose="service_referral", at="2026-11-20T10:00:00Z"):
    return json.dumps(
        {"recipient": {"organization_id": org, "kind": kind}, "purpose": purpose,
         "categories": categories, "at": at}
    )


@pytest.fixture()
def case01():
    return ConsentEngine.sample("case-01")


def test_engine_from_json_matches_sample(case01):
    again = ConsentEngine.from_json(beside.sample_ledger_json("case-01"), WHEN)
    assert again.record_ids() == case01.record_ids()
    assert again.case_id() == "case-01"
    assert json.loads(again.ledger_json()) == json.loads(case01.ledger_json())


def test_permit_partial_and_refusal(case01):
    ngo = case01.evaluate(ask("org-bd-jsr-ngo-01", "ngo", ["identity", "contact"]))
    assert ngo.outcome == ConsentOutcome.PERMIT
    assert [p.category for p in ngo.permitted] == ["identity", "contact"]
    assert ngo.permitted[0].records == ["consent-01-referral"]
    assert ngo.english
    partial = case01.evaluate(ask("org-bd-jsr-ngo-01", "ngo", ["contact", "trafficking_history"]))
    assert partial.outcome == ConsentOutcome.PARTIAL_PERMIT
    police = case01.evaluate(ask("org-bd-police-01", "police", ["contact"]))
    assert police.outcome == ConsentOutcome.DENY
    assert police.denied[0].reasons[0].code == "explicit_refusal"
    assert police.denied[0].reasons[0].record == "refusal-01-police"
    # the JSON form gives the same decision
    j = json.loads(case01.evaluate_json(question_json("org-bd-police-01", "police", ["contact"])))
    assert j == json.loads(police.decision_json)


def test_unknown_kind_is_a_typed_error(case01):
    with pytest.raises(BesideError.Invalid) as info:
        case01.evaluate(ask("org-1", "martians", ["contact"]))
    assert info.value.path == "recipient.kind"
    assert "police" in info.value.detail


def test_emergency(case01):
    disclosure = json.dumps({
        "id": "ev-emergency-1", "case_id": "case-01", "declared_by": "worker-bd-jsr-01",
        "declared_at": "2026-11-20T09:00:00Z", "justification": "Unconscious after a fall; ambulance called.",
    })
    v = case01.evaluate_emergency(disclosure, ask("org-ambulance", "emergency_services", ["health"]), WHEN)
    assert v.outcome == ConsentOutcome.PERMIT
    j = json.loads(case01.evaluate_emergency_json(
        disclosure, question_json("org-ambulance", "emergency_services", ["health"]), WHEN))
    assert j == json.loads(v.decision_json)
    wrong_case = disclosure.replace('"case-01"', '"case-02"')
    with pytest.raises(BesideError.Invalid):
        case01.evaluate_emergency(wrong_case, ask("org-ambulance", "emergency_services", ["health"]), WHEN)


def test_revocation_reaches_open_referrals(case01):
    actions = json.dumps([
        {"action": {"kind": "referral", "id": "ref-1"}, "relied_on": ["consent-01-referral"], "open": True},
        {"action": {"kind": "referral", "id": "ref-2"}, "relied_on": ["consent-01-referral"], "open": False},
    ])
    assert json.loads(case01.actions_to_withdraw_json(actions, WHEN)) == []
    revocation = json.loads(case01.revoke("consent-01-referral", WHEN, "changed her mind", WHEN))
    assert revocation["reason"] == "changed her mind"
    assert case01.revoked_at(WHEN) == ["consent-01-referral"]
    withdrawn = json.loads(case01.actions_to_withdraw_json(actions, WHEN))
    assert [w["action"]["id"] for w in withdrawn] == ["ref-1"]
    free = json.loads(beside.consent_actions_to_withdraw_json(json.dumps(["consent-01-referral"]), actions))
    assert free == withdrawn
    after = case01.evaluate(ask("org-bd-jsr-ngo-01", "ngo", ["contact"]))
    assert after.outcome == ConsentOutcome.DENY
    with pytest.raises(BesideError.Refused) as info:
        case01.revoke("consent-01-referral", WHEN, "again", WHEN)
    assert info.value.code == "already_revoked"
    with pytest.raises(BesideError.NotFound) as nf:
        case01.revoke("no-such-record", WHEN, "x", WHEN)
    assert nf.value.id == "no-such-record"


def test_add_record(case01):
    record = json.loads(beside.sample_ledger_json("case-01"))["records"][0]
    with pytest.raises(BesideError.Invalid) as info:
        case01.add_json(json.dumps(record), WHEN)  # same id again
    assert info.value.reason == "duplicate"
    record["id"] = "consent-01-extra"
    case01.add_json(json.dumps(record), WHEN)
    assert "consent-01-extra" in case01.record_ids()


def test_summary(case01):
    lines = case01.summary(WHEN)
    assert lines and all(isinstance(x, str) and x for x in lines)
    phrases = json.loads(case01.summary_json(WHEN))
    assert len(phrases) == len(lines) and all("key" in p for p in phrases)


def test_minimise_and_explain(case01):
    v = case01.evaluate(ask("org-bd-jsr-ngo-01", "ngo", ["contact", "health"]))
    record = {"name": "R.", "phone": "+880 1700 000000", "diagnosis": "x", "history": "y"}
    field_map = {"rules": [
        {"path": "name", "category": "identity"}, {"path": "phone", "category": "contact"},
        {"path": "diagnosis", "category": "health"}, {"path": "history", "category": "trafficking_history"},
    ]}
    view = json.loads(beside.consent_minimise_json(json.dumps(record), json.dumps(field_map), v.decision_json))
    assert "phone" in json.dumps(view) and "history" not in json.dumps(view["view"])
    phrases = json.loads(beside.consent_explain_json(v.decision_json))
    assert phrases[0]["key"].startswith("consent.outcome.")


def test_audit_trail(case01):
    trail = AuditTrail()
    assert trail.is_empty()
    v = case01.evaluate(ask("org-bd-jsr-ngo-01", "ngo", ["contact"]))
    trail.record_decision_json(WHEN, "worker-bd-jsr-01", v.decision_json)
    event = json.dumps({"event": "record_revoked", "id": "consent-01-referral",
                        "revocation": {"at": "2026-11-20T10:00:00Z", "reason": "asked"}})
    entry = json.loads(trail.append_json(WHEN, None, event))
    assert entry["seq"] == 1 and trail.len() == 2
    trail.verify()
    entries, checkpoint = trail.entries_json(), trail.checkpoint_json()
    beside.audit_verify_json(entries, checkpoint)
    assert AuditTrail.from_json(entries, checkpoint).len() == 2
    tampered = entries.replace("org-bd-jsr-ngo-01", "org-bd-jsr-ngo-02")
    with pytest.raises(BesideError.Refused) as info:
        beside.audit_verify_json(tampered, "")
    assert info.value.code == "chain_broken"
    with pytest.raises(BesideError.Refused):
        AuditTrail.from_json(tampered, "")
    earlier = WHEN - dt.timedelta(days=1)
    with pytest.raises(BesideError.Invalid):
        trail.append_json(earlier, None, event)
    assert trail.len() == 2
