// JUnit 5 tests of the generated Kotlin bindings (package uniffi.beside_ffi): every exported
// function and method, typed and JSON forms, and failing calls asserting the typed
// BesideException variants.
package dev.beside.test

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_ffi.*

val WHEN: Instant = Instant.parse("2026-11-20T10:00:00Z")

fun level(n: Int) = RatingValue.Level(n.toUByte())

fun sampleAssessment(id: String = "a-1", case: String = "case-01", at: String = "2025-03-01T09:00:00Z") =
    AssessmentInput(
        id = id, caseId = case, assessedAt = Instant.parse(at), assessedBy = "worker-1",
        ratings = listOf(
            DomainRatingInput("food", level(1)),
            DomainRatingInput("livelihood", level(2)),
            DomainRatingInput("legal", RatingValue.Declined),
            DomainRatingInput("mental_health", level(2)),
        ),
        redFlags = listOf(RedFlagKind.UNTREATED_INJURY),
        ownPriorities = listOf("livelihood"),
        notNow = listOf("mental_health"),
    )

fun question(org: String, kind: String, categories: List<String>, purpose: String = "service_referral") =
    ConsentQuestionInput(org, kind, purpose, categories, WHEN)

class CoreTest {
    @Test
    fun versionAndTimestamps() {
        assertEquals("0.1.0", version())
        val t = Instant.parse("2025-03-01T09:00:00.500Z")
        assertEquals("2025-03-01T09:00:00.500Z", formatTimestamp(t))
        assertEquals(t, parseTimestamp("2025-03-01T09:00:00.5Z"))
        val e = assertThrows<BesideException.Invalid> { parseTimestamp("yesterday") }
        assertEquals("invalid", e.reason)
        assertTrue(e.detail.contains("yesterday"))
    }

    @Test
    fun labelsAndSamples() {
        assertTrue(englishLabelsJson().contains("\"consent."))
        assertTrue(sampleCasesJson().contains("case-14"))
        assertTrue(sampleAssessmentsJson().contains("asmt-01-1"))
        assertTrue(sampleAssessmentsOfJson("case-01").contains("asmt-01-2"))
        assertTrue(sampleConsentsJson().contains("refusal-01-police"))
        assertTrue(sampleLedgerJson("case-01").contains("\"subject\""))
        assertTrue(sampleJourneysJson().contains("case-07"))
        assertTrue(sampleDirectoryJson().contains("organizations"))
        assertThrows<BesideException.Invalid> { sampleLedgerJson("case-404") }
    }
}

class NeedsTest {
    private val engine = NeedsEngine()

    @Test
    fun engineBasics() {
        assertEquals(16u, engine.domainCount())
        assertEquals(16, engine.domains().size)
        NeedsEngine.fromJson(engine.modelJson()).use { again -> assertEquals(engine.domains(), again.domains()) }
        assertThrows<BesideException.Invalid> { NeedsEngine.fromJson("""{"catalogue": {"domains": []}}""") }
    }

    @Test
    fun prioritiseTyped() {
        val p = engine.prioritise(sampleAssessment())
        assertEquals("case-01", p.caseId)
        assertEquals(Instant.parse("2025-03-01T09:00:00Z"), p.assessedAt)
        val first = p.items.first()
        assertEquals(1u, first.position)
        assertEquals(NeedUrgency.RED_FLAG, first.urgency)
        assertTrue(first.reasons.any { it is NeedReason.RedFlagRaised })
        assertTrue(p.items.all { it.english.isNotEmpty() })
        assertFalse(p.items.first { it.domain == "mental_health" }.referable)
        assertEquals(listOf("legal"), p.notRated.map { it.domain })
    }

    @Test
    fun prioritiseJsonAndBatches() {
        val json = sampleAssessmentsJson()
        val batch = engine.prioritiseBatchJson(json)
        assertTrue(batch.startsWith("[") && batch.contains("\"assessment_id\":\"asmt-01-1\""))
        val one = engine.prioritiseJson(sampleAssessmentsOfJson("case-01").let { it.substring(1, it.indexOf("},{\"id\"") + 1) })
        assertTrue(one.contains("\"items\""))
        assertEquals(one.length, one.length)
        val lines = engine.englishLinesJson(one)
        assertTrue(lines.isNotEmpty())
        assertTrue(engine.summariseJson(json).contains("\"rejected\":0"))
        val s = engine.summariseBatchJson(json)
        assertEquals(16uL, s.assessments)
        val typed = engine.prioritiseBatch(listOf(sampleAssessment("a-1"), sampleAssessment("a-2")))
        assertEquals(listOf("a-1", "a-2"), typed.map { it.assessmentId })
        val st = engine.summarise(listOf(sampleAssessment("a-1"), sampleAssessment("").copy()))
        assertEquals(2uL, st.assessments)
        assertEquals(1uL, st.rejected)
    }

    @Test
    fun validateAndCompare() {
        val a = sampleAssessmentsOfJson("case-01")
        engine.validateAssessmentJson(a.substring(1, a.indexOf("},{\"id\"") + 1), WHEN)
        val c = engine.compare(sampleAssessment("a-1"), sampleAssessment("a-2", at = "2025-04-01T09:00:00Z"))
        assertEquals(31L, c.daysBetween)
        assertEquals(0u, c.setbacks)
        val before = """{"id":"b","case_id":"case-01","assessed_at":"2025-01-01T00:00:00Z","assessed_by":"w","ratings":[{"domain":"food","rating":{"level":3}}]}"""
        val after = before.replace("\"b\"", "\"c\"").replace("2025-01-01", "2025-02-01").replace("{\"level\":3}", "{\"level\":1}")
        assertTrue(engine.compareJson(before, after).contains("\"setbacks\":1"))
        val e = assertThrows<BesideException.Refused> {
            engine.compare(sampleAssessment("a-1"), sampleAssessment("a-2", case = "case-02"))
        }
        assertEquals("different_cases", e.code)
    }

    @Test
    fun typedErrors() {
        val e = assertThrows<BesideException.Invalid> {
            engine.prioritiseJson("""{"id":"a","case_id":"c","assessed_at":"2025-01-01T00:00:00Z","assessed_by":"w","ratings":[{"domain":"unicorns","rating":{"level":1}}]}""")
        }
        assertEquals("ratings[0].domain", e.path)
        assertEquals("unknown", e.reason)
        assertTrue(e.errorsJson.contains("\"known\""))
        val bad = sampleAssessment().copy(ratings = listOf(DomainRatingInput("food", level(9))))
        assertEquals("ratings[0].rating", assertThrows<BesideException.Invalid> { engine.prioritise(bad) }.path)
        assertEquals("malformed", assertThrows<BesideException.Invalid> { engine.prioritiseJson("{not json") }.reason)
        assertTrue(assertThrows<BesideException.Invalid> { engine.prioritiseBatch(listOf(sampleAssessment(), bad)) }.path.startsWith("[1]"))
        assertThrows<BesideException.Invalid> { engine.validateAssessmentJson("{}", WHEN) }
    }
}

class ConsentTest {
    @Test
    fun evaluateTypedAndJson() = ConsentEngine.sample("case-01").use { ledger ->
        assertEquals("case-01", ledger.caseId())
        assertTrue(ledger.recordIds().contains("refusal-01-police"))
        ConsentEngine.fromJson(ledger.ledgerJson(), WHEN).use { assertEquals(ledger.recordIds(), it.recordIds()) }
        val ngo = ledger.evaluate(question("org-bd-jsr-ngo-01", "ngo", listOf("identity", "contact")))
        assertEquals(ConsentOutcome.PERMIT, ngo.outcome)
        assertEquals(listOf("consent-01-referral"), ngo.permitted.first().records)
        val police = ledger.evaluate(question("org-bd-police-01", "police", listOf("contact")))
        assertEquals(ConsentOutcome.DENY, police.outcome)
        assertEquals("explicit_refusal", police.denied.first().reasons.first().code)
        val q = """{"recipient":{"organization_id":"org-bd-police-01","kind":"police"},"purpose":"service_referral","categories":["contact"],"at":"2026-11-20T10:00:00Z"}"""
        assertEquals(police.decisionJson, ledger.evaluateJson(q))
        assertTrue(consentExplainJson(police.decisionJson).contains("consent.outcome.deny"))
        val e = assertThrows<BesideException.Invalid> { ledger.evaluate(question("org-1", "martians", listOf("contact"))) }
        assertEquals("recipient.kind", e.path)
    }

    @Test
    fun emergencyRevocationSummary() = ConsentEngine.sample("case-01").use { ledger ->
        val disclosure = """{"id":"ev-emergency-1","case_id":"case-01","declared_by":"worker-bd-jsr-01","declared_at":"2026-11-20T09:00:00Z","justification":"Unconscious after a fall."}"""
        val v = ledger.evaluateEmergency(disclosure, question("org-amb", "emergency_services", listOf("health")), WHEN)
        assertEquals(ConsentOutcome.PERMIT, v.outcome)
        val q = """{"recipient":{"organization_id":"org-amb","kind":"emergency_services"},"purpose":"service_referral","categories":["health"],"at":"2026-11-20T10:00:00Z"}"""
        assertEquals(v.decisionJson, ledger.evaluateEmergencyJson(disclosure, q, WHEN))
        assertTrue(ledger.summary(WHEN).isNotEmpty())
        assertTrue(ledger.summaryJson(WHEN).contains("\"key\""))
        val actions = """[{"action":{"kind":"referral","id":"ref-1"},"relied_on":["consent-01-referral"],"open":true}]"""
        assertEquals("[]", ledger.actionsToWithdrawJson(actions, WHEN))
        assertTrue(ledger.revoke("consent-01-referral", WHEN, "changed her mind", WHEN).contains("changed her mind"))
        assertEquals(listOf("consent-01-referral"), ledger.revokedAt(WHEN))
        assertTrue(ledger.actionsToWithdrawJson(actions, WHEN).contains("ref-1"))
        assertTrue(consentActionsToWithdrawJson("[\"consent-01-referral\"]", actions).contains("ref-1"))
        assertEquals("already_revoked", assertThrows<BesideException.Refused> { ledger.revoke("consent-01-referral", WHEN, "x", WHEN) }.code)
        assertEquals("nope", assertThrows<BesideException.NotFound> { ledger.revoke("nope", WHEN, "x", WHEN) }.id)
        val record = """{"id": "consent-01-extra", "case_id": "case-01", "kind": "consent", "given_by": {"by": "person"}, "purposes": ["service_referral"], "recipients": [{"scope": "kind", "kind": "ngo"}], "categories": ["contact"], "granted_at": "2025-02-03T10:00:00Z", "method": "thumbprint", "explained_in": "bn"}"""
        ledger.addJson(record, WHEN)
        assertTrue(ledger.recordIds().contains("consent-01-extra"))
        assertEquals("duplicate", assertThrows<BesideException.Invalid> { ledger.addJson(record, WHEN) }.reason)
    }

    @Test
    fun minimiseAndAudit() = ConsentEngine.sample("case-01").use { ledger ->
        val v = ledger.evaluate(question("org-bd-jsr-ngo-01", "ngo", listOf("contact")))
        val view = consentMinimiseJson("""{"phone":"+880","history":"x"}""",
            """{"rules":[{"path":"phone","category":"contact"},{"path":"history","category":"trafficking_history"}]}""", v.decisionJson)
        assertTrue(view.contains("phone"))
        AuditTrail().use { trail ->
            assertTrue(trail.isEmpty())
            trail.recordDecisionJson(WHEN, "worker-bd-jsr-01", v.decisionJson)
            trail.appendJson(WHEN, null, """{"event":"record_revoked","id":"consent-01-referral","revocation":{"at":"2026-11-20T10:00:00Z","reason":"asked"}}""")
            assertEquals(2uL, trail.len())
            trail.verify()
            auditVerifyJson(trail.entriesJson(), trail.checkpointJson())
            AuditTrail.fromJson(trail.entriesJson(), "").use { assertEquals(2uL, it.len()) }
            val tampered = trail.entriesJson().replace("org-bd-jsr-ngo-01", "org-bd-jsr-ngo-02")
            assertEquals("chain_broken", assertThrows<BesideException.Refused> { auditVerifyJson(tampered, "") }.code)
        }
    }
}

class ReintegrationTest {
    @Test
    fun trajectoryJourneyRiskCohort() = ReintegrationEngine().use { engine ->
        val assessments = sampleAssessmentsOfJson("case-01")
        val t = engine.trajectory(assessments, "", "", WHEN)
        assertEquals("case-01", t.caseId)
        assertTrue(t.setbacks >= 1u)
        assertNull(t.riskLevel)
        assertEquals(t.trajectoryJson, engine.trajectoryJson(assessments, "", "", WHEN))
        ReintegrationEngine.iom().use { assertEquals(3, it.trajectory(assessments, "", "", WHEN).trends.size) }
        ReintegrationEngine.fromJson(engine.configJson()).use { assertEquals(engine.configJson(), it.configJson()) }
        val risk = """{"case_id": "case-01", "recorded_on": "2025-11-05", "debts": [{"creditor": "broker", "amount": 6500000, "currency": "BDT"}], "income": "irregular", "family_pressure": "some", "stigma_or_isolation": "both", "migration_intention": "considering", "broker_contact": "recent"}"""
        assertTrue(engine.riskJson(risk).contains("\"level\""))
        val withRisk = engine.trajectory(assessments, "", risk, WHEN)
        assertTrue(withRisk.riskLevel in setOf("low", "moderate", "high"))
        val case = engine.cohortCaseJson(t.trajectoryJson, true)
        assertTrue(cohortSummaryJson("[" + List(12) { case }.joinToString(",") + "]", "").isNotEmpty())
        assertEquals("assessments", assertThrows<BesideException.Invalid> { engine.trajectory("[]", "", "", WHEN) }.path)
        assertThrows<BesideException> { engine.journeyJson("{\"case_id\":\"case-01\",\"events\":[{\"id\":\"e\",\"case_id\":\"case-01\",\"on\":\"2025-01-01\",\"event\":{\"kind\":\"setback\",\"phase\":\"livelihood\",\"cause\":\"lost_income\"}}]}", WHEN) }
    }
}

fun matchRequest(case: String, needs: List<String>) = matchRequestJson(sampleCaseJson(case), needs, WHEN)

class ReferralTest {
    @Test
    fun directoryRoundTrips() = ReferralDirectory.sample().use { dir ->
        assertEquals(100uL, dir.serviceCount())
        assertEquals(80uL, dir.organizationCount())
        assertTrue("food" in dir.domains())
        ReferralDirectory.fromJson(dir.directoryJson()).use { assertEquals(100uL, it.serviceCount()) }
        val hsds = dir.hsdsJson()
        assertTrue(hsdsImportJson(hsds, "").contains("\"complete\":true"))
        ReferralDirectory.fromHsdsJson(hsds, "").use { assertEquals(100uL, it.serviceCount()) }
        assertEquals(hsds, hsdsExportJson(dir.directoryJson()))
    }

    @Test
    fun matchPlanGaps() = ReferralDirectory.sample().use { dir ->
        val req = matchRequest("case-01", listOf("food", "shelter", "mental_health"))
        ConsentEngine.sample("case-01").use { ledger ->
            val m = dir.matchCase(req, "", ledger)
            assertTrue(m.consentChecked)
            assertEquals(listOf("food", "shelter", "mental_health"), m.needs.map { it.domain })
            for (need in m.needs) {
                assertEquals(need.candidates.map { it.score }.sortedDescending(), need.candidates.map { it.score })
                for (c in need.candidates) assertEquals(c.score, c.factors.sumOf { it.points }, 1e-9)
            }
            assertTrue(dir.matchCaseJson(req, "", ledger).contains("\"consent_checked\":true"))
            val latest = NeedsEngine().use { it.prioritiseJson(sampleLatestAssessmentJson("case-01")) }
            val plan = dir.plan(latest, req, ledger)
            assertEquals((1..plan.steps.size).map { it.toUInt() }, plan.steps.map { it.step })
            assertTrue(dir.planJson(latest, req, null).contains("\"steps\""))
        }
        ConsentEngine.sample("case-02").use { other ->
            assertEquals("different_cases", assertThrows<BesideException.Refused> { dir.matchCase(req, "", other) }.code)
        }
        val rows = dir.gaps("""{"areas": [["BD", "Khulna", "Jashore"]], "needs": ["food", "legal"]}""")
        assertEquals(listOf("food", "legal"), rows.map { it.domain })
        assertTrue(rows.all { it.reachable <= it.listed })
        assertTrue(dir.gapsJson("""{"areas": [["BD", "Khulna", "Jashore"]], "needs": ["food"]}""").contains("\"reachable\""))
        assertTrue(dir.unmetNeedsJson("[$req]", 2u).contains("\"people\":1"))
        assertEquals("case", assertThrows<BesideException.NotFound> { sampleCaseJson("case-99") }.what)
    }

    @Test
    fun lifecycleAndAssignment() {
        val referral = """{"id": "ref-1", "case_id": "case-01", "need": "food", "service_id": "svc-1", "organization_id": "org-1", "consent_ids": ["consent-01-referral"], "created_at": "2026-11-20T09:00:00Z", "state": {"state": "proposed"}}"""
        val sent = referralApply(referral, """{"event": "send"}""", WHEN, "worker-1")
        assertEquals("sent", sent.state)
        assertTrue(referralApplyJson(referral, """{"event": "send"}""", WHEN, null).contains("\"state\":\"sent\""))
        assertTrue(referralsWithdrawForRevokedJson("[${sent.referralJson}]", "consent-01-referral", WHEN).contains("withdrawn"))
        assertEquals("impossible_transition", assertThrows<BesideException.Refused> { referralApply(sent.referralJson, """{"event": "complete"}""", WHEN, null) }.code)
        val problem = """{"cases": [{"id": "c1", "weight": 2}, {"id": "c2"}], "services": [{"id": "s1", "capacity": 1}], "eligible": [{"case": "c1", "service": "s1", "cost": 5}, {"case": "c2", "service": "s1", "cost": 1}]}"""
        val a = assignSolve(problem)
        assertEquals(1uL, a.unitsPlaced)
        assertEquals(listOf("s1"), a.placements.first { it.caseId == "c1" }.services)
        assertTrue(assignSolveJson(problem).contains("\"total_cost\":5"))
        assertEquals("services[0].capacity", assertThrows<BesideException.Invalid> { assignSolve(problem.replace("\"capacity\": 1", "\"capacity\": -1")) }.path)
    }
}

class PackedNeedsTest {
    @Test
    fun packedBatchMatchesRecordsAndNamesBadRows() = NeedsEngine().use { engine ->
        val packed = engine.packJson(sampleAssessmentsJson())
        assertEquals(16u, packed.width)
        val ranked = engine.rankPacked(packed)
        assertEquals(packed.redFlags.size.toUInt(), ranked.rows)
        val domains = engine.domains()
        val first = engine.prioritisePackedRow(packed, 0u, "a-1", "case-01", WHEN)
        val order = (0 until ranked.lens[0].toInt()).map { domains[ranked.entries[8 * it].toInt()] }
        assertEquals(first.items.map { it.domain }, order)
        assertEquals(ranked.rows.toULong(), engine.summarisePacked(packed).assessments)
        val bad = packed.copy(ratings = packed.ratings.copyOf().also { it[5] = 9 })
        assertEquals("rows[0].ratings[5]", assertThrows<BesideException.Invalid> { engine.rankPacked(bad) }.path)
    }
}
