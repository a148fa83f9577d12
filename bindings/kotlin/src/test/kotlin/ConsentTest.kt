// JUnit 5 tests of consent through the generated Kotlin bindings, typed end to end: ledger ->
// decision (reasons as sealed classes with their fields) -> audit log, minimisation, revocation
// -> withdrawals; rendering in a locale; offline merge; one bad input per operation (the typed
// error's path); JSON round trips.
package dev.beside.test

import java.time.Duration
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_consent.ActionRef
import uniffi.beside_consent.AuditEvent
import uniffi.beside_consent.ChainProblem
import uniffi.beside_consent.DataCategory
import uniffi.beside_consent.DenyReason
import uniffi.beside_consent.DependentAction
import uniffi.beside_consent.EmergencyDisclosure
import uniffi.beside_consent.FieldMap
import uniffi.beside_consent.FieldRule
import uniffi.beside_consent.Outcome
import uniffi.beside_consent.PermitBasis
import uniffi.beside_consent.Purpose
import uniffi.beside_consent.Question
import uniffi.beside_consent.Recipient
import uniffi.beside_consent.Revocation
import uniffi.beside_core.Edit
import uniffi.beside_core.OrganizationKind
import uniffi.beside_core.Reason
import uniffi.beside_ffi.AuditTrail
import uniffi.beside_ffi.BesideException
import uniffi.beside_ffi.ConsentEngine
import uniffi.beside_ffi.auditLogFromJson
import uniffi.beside_ffi.auditLogToJson
import uniffi.beside_ffi.auditVerify
import uniffi.beside_ffi.chainBrokenFromJson
import uniffi.beside_ffi.consentActionsToWithdraw
import uniffi.beside_ffi.consentDecisionFromJson
import uniffi.beside_ffi.consentDecisionToJson
import uniffi.beside_ffi.consentLedgerFromJson
import uniffi.beside_ffi.consentLedgerToJson
import uniffi.beside_ffi.consentMinimise
import uniffi.beside_ffi.consentRecordFromJson
import uniffi.beside_ffi.consentRecordToJson
import uniffi.beside_ffi.explainConsentDecision
import uniffi.beside_ffi.mergeLedgers
import uniffi.beside_ffi.renderChainBroken
import uniffi.beside_ffi.renderConsentDecision
import uniffi.beside_ffi.renderConsentPhrases
import uniffi.beside_ffi.sampleConsents
import uniffi.beside_ffi.sampleLedger

private val NOW: Instant = Instant.parse("2026-11-20T10:00:00Z")
private const val WORKER = "worker-bd-jsr-01"

private fun ask(org: String, kind: OrganizationKind, categories: List<DataCategory>) =
    Question(Recipient(org, kind), Purpose.SERVICE_REFERRAL, categories, NOW)

private fun ngoQuestion() =
    ask("org-bd-jsr-ngo-01", OrganizationKind.NGO, listOf(DataCategory.IDENTITY, DataCategory.CONTACT))

private fun case01() = ConsentEngine(sampleLedger("case-01"), NOW)

class ConsentTest {
    @Test
    fun typedChain() {
        val engine = case01()
        assertEquals("case-01", engine.caseId())
        val ngo = engine.evaluate(ngoQuestion())
        assertEquals(Outcome.PERMIT, ngo.outcome)
        assertEquals(listOf(DataCategory.IDENTITY, DataCategory.CONTACT), ngo.permitted.map { it.category })
        assertEquals(PermitBasis.Consent(listOf("consent-01-referral")), ngo.permitted[0].basis)

        val police = engine.evaluate(ask("org-bd-police-01", OrganizationKind.POLICE, listOf(DataCategory.CONTACT)))
        assertEquals(Outcome.DENY, police.outcome)
        assertEquals(DenyReason.ExplicitRefusal("refusal-01-police"), police.denied[0].reasons[0])

        // the decision feeds the audit log and the minimiser as it is
        val trail = AuditTrail()
        assertEquals(0uL, trail.recordDecision(NOW, WORKER, ngo).seq)
        val map = FieldMap(
            listOf(FieldRule("phone", DataCategory.CONTACT), FieldRule("history", DataCategory.TRAFFICKING_HISTORY)),
        )
        val view = consentMinimise("""{"phone":"+880","history":"x"}""", map, ngo)
        assertEquals("""{"phone":"+880"}""", view.view)
        assertEquals(listOf("history"), view.removed.map { it.path })

        // revocation: the open referral is withdrawn, the next decision denies
        val actions = listOf(
            DependentAction(ActionRef.Referral("ref-1"), listOf("consent-01-referral"), true),
            DependentAction(ActionRef.Referral("ref-2"), listOf("consent-01-referral"), false),
        )
        assertTrue(engine.actionsToWithdraw(actions, NOW).isEmpty())
        val revocation = engine.revoke("consent-01-referral", NOW, "changed her mind", NOW)
        trail.append(NOW, WORKER, AuditEvent.RecordRevoked("consent-01-referral", revocation))
        assertEquals(listOf("consent-01-referral"), engine.revokedAt(NOW))
        val withdrawn = engine.actionsToWithdraw(actions, NOW)
        assertEquals(listOf(ActionRef.Referral("ref-1")), withdrawn.map { it.action })
        assertEquals(withdrawn, consentActionsToWithdraw(listOf("consent-01-referral"), actions))
        val after = engine.evaluate(ngoQuestion())
        assertEquals(Outcome.DENY, after.outcome)
        assertEquals(DenyReason.Revoked("consent-01-referral", NOW), after.denied[0].reasons[0])

        // the log verifies, stored and reloaded
        trail.verify()
        auditVerify(trail.entries(), trail.checkpoint())
        assertEquals(2uL, AuditTrail.fromEntries(trail.entries(), trail.checkpoint()).len())

        // words are a separate call over the typed answer, in a locale
        assertTrue(renderConsentDecision(police, "en").contains("police"))
        assertTrue(renderConsentPhrases(engine.summary(NOW), "en").all { it.isNotEmpty() })
        assertTrue(explainConsentDecision(police)[0].key.startsWith("consent.outcome."))
    }

    @Test
    fun emergency() {
        val engine = case01()
        val disclosure = EmergencyDisclosure(
            "ev-emergency-1", "case-01", WORKER, NOW.minus(Duration.ofHours(1)), "Unconscious after a fall.",
        )
        val q = ask("org-ambulance", OrganizationKind.EMERGENCY_SERVICES, listOf(DataCategory.HEALTH))
        assertEquals(Outcome.PERMIT, engine.evaluateEmergency(disclosure, q, NOW).outcome)
        assertThrows<BesideException.Invalid> {
            engine.evaluateEmergency(disclosure.copy(caseId = "case-02"), q, NOW)
        }
    }

    @Test
    fun mergeLedgersTyped() {
        val ours = sampleLedger("case-01")
        val theirs = ours.copy(records = ours.records.filter { it.id != "refusal-01-police" })
        val merged = mergeLedgers(null, ours, Edit(null, NOW), theirs, Edit(WORKER, NOW), NOW)
        assertEquals(ours.records.size, merged.ledger.records.size)
        val e = assertThrows<BesideException.Refused> {
            mergeLedgers(null, ours, Edit(null, NOW), sampleLedger("case-02"), Edit(null, NOW), NOW)
        }
        assertEquals("different_records", e.code)
    }

    // ---- one bad input per operation: the typed error names the field -------------------------

    @Test
    fun badLedger() {
        val ledger = sampleLedger("case-01")
        val bad = ledger.copy(records = listOf(ledger.records[0].copy(id = " padded ")) + ledger.records.drop(1))
        val e = assertThrows<BesideException.Invalid> { ConsentEngine(bad, NOW) }
        assertEquals("records[0].id", e.path)
    }

    @Test
    fun badRecordSamePathAsJson() {
        val engine = case01()
        val record = sampleLedger("case-01").records[0]
        assertEquals("id", assertThrows<BesideException.Invalid> { engine.add(record, NOW) }.path) // same id again
        val typed = assertThrows<BesideException.Invalid> { engine.add(record.copy(id = ""), NOW) }
        val json = consentRecordToJson(record).replace("\"id\":\"${record.id}\"", "\"id\":\"\"")
        val fromJson = assertThrows<BesideException.Invalid> { consentRecordFromJson(json) }
        assertEquals("id", typed.path)
        assertEquals(fromJson.path, typed.path)
    }

    @Test
    fun badQuestion() {
        val e = assertThrows<BesideException.Invalid> {
            case01().evaluate(ask("", OrganizationKind.NGO, listOf(DataCategory.CONTACT)))
        }
        assertEquals("recipient.organization_id", e.path)
    }

    @Test
    fun badRevocation() {
        val engine = case01()
        assertEquals("record_id", assertThrows<BesideException.Invalid> { engine.revoke(" x", NOW, "why", NOW) }.path)
        val nf = assertThrows<BesideException.NotFound> { engine.revoke("no-such-record", NOW, "x", NOW) }
        assertEquals("no-such-record", nf.id)
        engine.revoke("consent-01-referral", NOW, "x", NOW)
        val again = assertThrows<BesideException.Refused> { engine.revoke("consent-01-referral", NOW, "again", NOW) }
        assertEquals("already_revoked", again.code)
    }

    @Test
    fun badActions() {
        val bad = listOf(DependentAction(ActionRef.Referral(""), emptyList(), true))
        // an internally tagged enum's inner field is named by the enum, as in JSON
        assertEquals("[0].action", assertThrows<BesideException.Invalid> { case01().actionsToWithdraw(bad, NOW) }.path)
        assertEquals("[0]", assertThrows<BesideException.Invalid> { consentActionsToWithdraw(listOf(""), emptyList()) }.path)
    }

    @Test
    fun badMinimiseAndLocale() {
        val d = case01().evaluate(ngoQuestion())
        val e = assertThrows<BesideException.Invalid> { consentMinimise("{not json", FieldMap(emptyList()), d) }
        assertTrue(e.errors[0].reason is Reason.Malformed)
        val l = assertThrows<BesideException.Invalid> { renderConsentDecision(d, "xx") }
        assertEquals("locale", l.path)
        assertTrue(l.detail.contains("en"))
    }

    @Test
    fun badAudit() {
        val trail = AuditTrail()
        trail.recordDecision(NOW, null, case01().evaluate(ngoQuestion()))
        val event = AuditEvent.RecordRevoked("c-1", Revocation(NOW, "asked"))
        assertEquals("actor", assertThrows<BesideException.Invalid> { trail.append(NOW, "two\tlines", event) }.path)
        assertEquals("at", assertThrows<BesideException.Invalid> { trail.append(NOW.minusSeconds(86_400), null, event) }.path)
        assertEquals(1uL, trail.len())
        val entries = trail.entries().map { it.copy(prevHash = "0".repeat(63) + "1") }
        val broken = assertThrows<BesideException.Refused> { auditVerify(entries, null) }
        assertEquals("chain_broken", broken.code)
        val problem = chainBrokenFromJson(broken.errorJson)
        assertEquals(0uL, problem.index)
        assertTrue(problem.problem is ChainProblem.BrokenLink)
        assertTrue(renderChainBroken(problem, "en").isNotEmpty())
        assertThrows<BesideException.Refused> { AuditTrail.fromEntries(entries, null) }
    }

    @Test
    fun unknownSample() {
        assertThrows<BesideException.NotFound> { ConsentEngine.sample("case-404") }
        assertThrows<BesideException.NotFound> { sampleLedger("case-404") }
    }

    // ---- JSON stays the interchange format ------------------------------------------------------

    @Test
    fun jsonRoundTrips() {
        val engine = case01()
        val ledger = engine.ledger()
        assertEquals(ledger, consentLedgerFromJson(consentLedgerToJson(ledger)))
        val d = engine.evaluate(ngoQuestion())
        val text = consentDecisionToJson(d)
        assertTrue(text.contains("\"outcome\":\"permit\""))
        assertEquals(d, consentDecisionFromJson(text))
        val record = sampleConsents()[0]
        assertEquals(record, consentRecordFromJson(consentRecordToJson(record)))
        val trail = AuditTrail()
        trail.recordDecision(NOW, WORKER, d)
        val log = auditLogFromJson(auditLogToJson(trail.log()))
        assertEquals(trail.checkpoint(), AuditTrail.fromLog(log).checkpoint())
    }
}
