// JUnit 5 tests of referral matching and the directory through the generated Kotlin bindings:
// the typed chain (case + prioritisation -> request -> match and plan with the case's consent
// ledger; gaps; unmet need; HSDS), exclusions as sealed classes with their figures, words with
// a locale, JSON pairs, and one bad input per operation with the typed error's path.
package dev.beside.test

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_ffi.*
import uniffi.beside_referral.ChoiceReason
import uniffi.beside_referral.Exclusion
import uniffi.beside_referral.ExclusionCode
import uniffi.beside_referral.GapQuery
import uniffi.beside_referral.MatchRequest
import uniffi.beside_referral.PaperReason
import uniffi.beside_referral.PathwayStep
import uniffi.beside_referral.TermCode
import uniffi.beside_referral.Veto
import uniffi.beside_referral.Viewer

class ReferralTest {
    private val at: Instant = Instant.parse("2026-11-20T10:00:00Z")
    private val directory = ReferralDirectory.sample()

    private fun prioritisation(caseId: String) = NeedsEngine().prioritise(sampleLatestAssessment(caseId))

    private fun request(caseId: String = "case-01"): MatchRequest =
        matchRequest(sampleCase(caseId), prioritisation(caseId), at)

    @Test
    fun typedChain() {
        assertEquals(100UL, directory.serviceCount())
        assertEquals(80UL, directory.organizationCount())
        assertTrue(directory.domains().contains("food"))
        val prio = prioritisation("case-01")
        val req = matchRequest(sampleCase("case-01"), prio, at)
        assertEquals(prio.items.filter { it.referable }.map { it.domain }, req.needs)
        val ledger = ConsentEngine.sample("case-01")
        val result = directory.matchCase(req, ledger)
        assertTrue(result.consentChecked)
        assertEquals(req.needs, result.needs.map { it.domain })
        for (need in result.needs) {
            val scores = need.candidates.map { it.score }
            assertEquals(scores.sortedDescending(), scores)
            for (c in need.candidates) {
                assertEquals(6, c.factors.size)
                assertEquals(c.score, c.factors.sumOf { it.points }, 1e-9)
            }
        }
        val best = result.needs.flatMap { it.candidates }.first()
        assertTrue(renderCandidate(best, "en").size >= 6)
        val plan = directory.plan(prio, req, ledger)
        assertTrue(plan.consentChecked && plan.steps.isNotEmpty())
        assertEquals((1..plan.steps.size).map { it.toUInt() }, plan.steps.map { it.step })
        plan.steps.forEach { assertTrue(renderChoiceReason(it.reason, "en").isNotEmpty()) }
        plan.leftOut.forEach { assertTrue(renderLeftOutReason(it.reason, "en").isNotEmpty()) }
    }

    @Test
    fun exclusionsCarryTheirFigures() {
        val result = directory.matchCase(request().copy(travelLimitKm = 1.0), null)
        assertFalse(result.consentChecked)
        val beyond = result.needs.flatMap { it.nearMisses }.map { it.exclusion }
            .filterIsInstance<Exclusion.BeyondTravelLimit>().first()
        assertEquals(1.0, beyond.limitKm)
        assertTrue(beyond.distanceKm > 1.0)
        assertTrue(renderExclusion(beyond, "en").contains("1.0 km"))
        assertTrue(result.needs.flatMap { it.exclusions }.any { it.code == ExclusionCode.BEYOND_TRAVEL_LIMIT })
    }

    @Test
    fun aConfidentialShelterIsMatchedWithoutItsWhereabouts() {
        val shelter = directory.directory().locations.first { it.confidential != null }
        val coordinates = shelter.coordinates!!
        val req = request().copy(needs = listOf("shelter"))
        assertEquals(Viewer.Public, req.viewer) // the safe default
        val result = directory.matchCase(req, null)
        val text = matchResultToJson(result)
        for (secret in listOf(coordinates.latitude.toString(), coordinates.longitude.toString(), shelter.address!!)) {
            assertFalse(text.contains(secret), secret)
        }
        val c = result.needs[0].candidates.first { it.organizationId == shelter.organizationId }
        assertEquals(null, c.distanceKm)
        assertTrue(c.withheld?.distanceBand != null)
        assertTrue(renderCandidate(c, "en").last().startsWith("a confidential place"))
        assertFalse(maySeeWhereabouts(shelter, Viewer.Public))
        // The organisation it is disclosed to sees the exact distance.
        val office = Viewer.Organization(shelter.confidential!!.disclosedTo[0])
        assertTrue(maySeeWhereabouts(shelter, office))
        val e = directory.matchCase(req.copy(viewer = office), null).needs[0].candidates
            .first { it.organizationId == shelter.organizationId }
        assertTrue(e.withheld == null && (e.distanceKm ?: 0.0) > 0.0)
        assertFalse(directory.hsdsExport().contains(shelter.address!!))
    }

    @Test
    fun aVetoAlwaysWins() {
        val req = request().copy(needs = listOf("food"))
        val top = directory.matchCase(req, null).needs[0].candidates[0]
        val again = directory.matchCase(req.copy(vetoes = listOf(Veto.Organization(top.organizationId))), null).needs[0]
        assertFalse(again.candidates.any { it.serviceId == top.serviceId })
        assertTrue(again.exclusions.any { it.code == ExclusionCode.VETOED && it.count >= 1U })
    }

    @Test
    fun gapsAndUnmetNeed() {
        val query = GapQuery(listOf(listOf("BD", "Khulna", "Jashore"), listOf("KH", "Battambang")), listOf("food", "legal"), listOf())
        val rows = directory.gaps(query)
        assertEquals(listOf("Jashore" to "food", "Jashore" to "legal", "Battambang" to "food", "Battambang" to "legal"),
            rows.map { it.area.last() to it.domain })
        assertTrue(rows.all { it.reachable <= it.listed })
        assertTrue(renderAreaNeedGap(rows[0], "en").contains(" in "))
        assertEquals("only with a court order", renderPaperReason(PaperReason.REQUIRES_COURT_ORDER, "en"))
        val unmet = directory.unmetNeeds(listOf(request("case-01"), request("case-02")), 2U)
        assertTrue(unmet.isNotEmpty() && unmet.all { it.unmet <= it.people })
    }

    @Test
    fun hsdsAndJsonRoundTrips() {
        // The keeper's export: the confidential shelter whole (the default export is for the public).
        val keeper = exportOptionsFromJson("{\"viewer\": {\"viewer\": \"keeper\"}}")
        assertEquals(Viewer.Keeper, keeper.viewer)
        val hsds = directory.hsdsExport(keeper)
        val imported = hsdsImport(hsds)
        assertTrue(imported.report.complete)
        assertEquals(directory.directory(), imported.directory)
        assertEquals(directory.serviceCount(), ReferralDirectory.fromHsds(hsds, defaultImportOptions()).serviceCount())
        assertEquals(directory.domains(), ReferralDirectory(sampleDirectory()).domains())
        val req = request()
        assertEquals(req, matchRequestFromJson(matchRequestToJson(req)))
        val result = directory.matchCase(req, null)
        assertEquals(result, matchResultFromJson(matchResultToJson(result)))
        val plan = directory.plan(prioritisation("case-01"), req, null)
        assertEquals(plan, planFromJson(planToJson(plan)))
        val config = defaultMatchConfig()
        assertEquals(config, matchConfigFromJson(matchConfigToJson(config)))
    }

    @Test
    fun badMatchRequestNamesTheField() {
        val e = assertThrows<BesideException.Invalid> { directory.matchCase(request().copy(travelLimitKm = -1.0), null) }
        assertEquals("travel_limit_km", e.path)
        val typed = assertThrows<BesideException.Invalid> {
            directory.matchCase(request().copy(needs = listOf("food", "Not A Key")), null)
        }
        assertEquals("needs[1]", typed.path)
        val text = matchRequestToJson(request()).replace(Regex("\"needs\":\\[[^\\]]*\\]"), "\"needs\":[\"food\",\"Not A Key\"]")
        val fromJson = assertThrows<BesideException.Invalid> { matchRequestFromJson(text) }
        assertEquals(typed.path, fromJson.path)
    }

    @Test
    fun badPlanAndRequestInputs() {
        val e = assertThrows<BesideException.Invalid> {
            directory.plan(prioritisation("case-01"), request().copy(travelLimitKm = -1.0), null)
        }
        assertEquals("travel_limit_km", e.path)
        val other = assertThrows<BesideException.Refused> { directory.plan(prioritisation("case-02"), request("case-01"), null) }
        assertEquals("different_cases", other.code)
        val ledger = assertThrows<BesideException.Refused> { directory.matchCase(request("case-01"), ConsentEngine.sample("case-02")) }
        assertEquals("different_cases", ledger.code)
        val mixed = assertThrows<BesideException.Refused> { matchRequest(sampleCase("case-01"), prioritisation("case-02"), at) }
        assertEquals("different_cases", mixed.code)
    }

    @Test
    fun badGapQueryAndCohort() {
        val e = assertThrows<BesideException.Invalid> { directory.gaps(GapQuery(listOf(), listOf(), listOf())) }
        assertEquals("areas", e.path)
        val bad = request("case-02").copy(travelLimitKm = -1.0)
        val cohort = assertThrows<BesideException.Invalid> { directory.unmetNeeds(listOf(request("case-01"), bad), 1U) }
        assertEquals("[1].travel_limit_km", cohort.path)
    }

    @Test
    fun badDirectoryAndHsds() {
        val d = sampleDirectory()
        val broken = d.copy(services = listOf(d.services[0].copy(domains = listOf("Not A Key"))) + d.services.drop(1))
        val e = assertThrows<BesideException.Invalid> { ReferralDirectory(broken) }
        assertEquals("services[0].domains[0]", e.path)
        val options = defaultImportOptions().copy(termCodes = listOf(TermCode("mine", "x", "no_such_code", null)))
        val bad = assertThrows<BesideException.Invalid> { hsdsImport("[]", options) }
        assertEquals("term_codes[0].beside_code", bad.path)
        assertThrows<BesideException.Refused> { ReferralDirectory.fromHsds("{\"oops\": 1}") }
    }

    @Test
    fun wordsNeedAKnownLocale() {
        val e = assertThrows<BesideException.Invalid> { renderPathwayStep(PathwayStep.OBTAIN_COURT_ORDER, "xx") }
        assertEquals("locale", e.path)
        assertTrue(e.detail.contains("en"))
        assertTrue(renderPathwayStep(PathwayStep.OBTAIN_COURT_ORDER, "en").isNotEmpty())
        assertTrue(renderChoiceReason(ChoiceReason.BestScore(0.5), "en").isNotEmpty())
    }
}
