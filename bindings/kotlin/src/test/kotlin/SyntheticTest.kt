// JUnit 5 tests of synthetic cohorts through the generated Kotlin bindings, typed end to end:
// syntheticCases -> the case's own ledger (syntheticLedger) -> ConsentEngine -> a research
// question; the same case -> trajectory; pages joining into one cohort; two-way suppression;
// the results as Arrow tables (IPC stream bytes, what pyarrow and Arrow Java read).
package dev.beside.test

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_consent.DataCategory
import uniffi.beside_consent.Outcome
import uniffi.beside_consent.Purpose
import uniffi.beside_consent.Question
import uniffi.beside_consent.Recipient
import uniffi.beside_core.OrganizationKind
import uniffi.beside_ffi.*
import uniffi.beside_reintegration.Count
import uniffi.beside_reintegration.ResearchAnswer

class SyntheticTest {
    private val asOf: Instant = Instant.parse("2026-11-30T18:00:00Z")

    @Test
    fun casesLedgersAndTrajectoriesChain(): Unit = ReintegrationEngine().use { engine ->
        val cases = syntheticCases(16uL, 0u, 40u, asOf)
        assertEquals(40, cases.size)
        assertEquals("syn-0000000", cases[0].profile.caseId)
        assertEquals(cases.subList(10, 20), syntheticCases(16uL, 10u, 10u, asOf))
        var permitted = 0
        for (c in cases) {
            assertTrue(c.profile.summary!!.startsWith("Synthetic."))
            ConsentEngine(syntheticLedger(c, asOf), asOf).use { ledger ->
                val d = ledger.evaluate(Question(
                    Recipient("org-research-01", OrganizationKind.RESEARCH), Purpose.STATISTICS,
                    listOf(DataCategory.HEALTH), asOf))
                if (d.outcome == Outcome.PERMIT) {
                    permitted++
                    assertEquals(ResearchAnswer.AGREED, c.researchConsent)
                }
            }
            val t = engine.trajectory(c.timeline, c.assessments, asOf)
            assertEquals(c.assessments.size, t.points.size)
        }
        assertTrue(permitted in 25..40, "$permitted of 40")
        assertThrows<BesideException.Invalid> { syntheticCases(16uL, 0u, 10_001u, asOf) }
    }

    @Test
    fun twoWaySuppression(): Unit {
        val t = suppressTable(listOf(listOf(3uL, 10uL, 20uL), listOf(12uL, 7uL, 30uL)), 5u)
        assertTrue(t.cells[0][0] is Count.BelowThreshold)
        assertTrue(t.cells[1][1] is Count.Complementary)
        assertEquals(Count.Published(82uL), t.total)
        assertEquals("<5", renderCohortCount(t.cells[0][0], "en"))
        val e = assertThrows<BesideException.Invalid> { suppressTable(listOf(listOf(1uL), listOf()), 5u) }
        assertEquals("counts[1]", e.path)
    }

    /** An Arrow IPC stream: the continuation marker 0xFFFFFFFF, then the schema, which names it. */
    private fun assertArrowStream(bytes: ByteArray, schema: String) {
        assertTrue(bytes.size > 8)
        assertEquals(-1, java.nio.ByteBuffer.wrap(bytes, 0, 4).int)
        assertTrue(String(bytes, Charsets.ISO_8859_1).contains(schema), schema)
    }

    @Test
    fun resultsAsArrowTables(): Unit = ReintegrationEngine().use { engine ->
        val cases = syntheticCases(16uL, 0u, 20u, asOf)
        val trajectories = cases.map { engine.trajectory(it.timeline, it.assessments, asOf) }
        val t = trajectoryTables(trajectories)
        assertArrowStream(t.points, "beside.points/1")
        assertArrowStream(t.outcomeScores, "beside.outcome_scores/1")
        assertArrowStream(t.trends, "beside.trends/1")
        assertArrowStream(t.setbacks, "beside.setbacks/1")
        assertArrowStream(t.followUps, "beside.follow_ups/1")
        assertTrue(String(t.points, Charsets.ISO_8859_1).contains(cases[19].profile.caseId))
        val risks = trajectories.mapNotNull { it.risk }
        assertTrue(risks.isNotEmpty())
        assertArrowStream(riskTable(risks), "beside.risk/1")
        val suppressed = suppressTable(listOf(listOf(3uL, 40uL), listOf(25uL, 31uL)), 11u)
        assertArrowStream(suppressedCellsTable(suppressed), "beside.suppressed/1")
        val bad = trajectories[0].copy(caseId = "")
        assertEquals("trajectories[1].case_id",
            assertThrows<BesideException.Invalid> { trajectoryTables(listOf(trajectories[1], bad)) }.path)
    }

    @Test
    fun trajectoriesFromTables(): Unit = ReintegrationEngine().use { engine ->
        val cases = syntheticCases(16uL, 0u, 20u, asOf)
        val journeys = journeysTable(cases.map { it.timeline })
        assertArrowStream(journeys, "beside.journeys/1")
        assertEquals(cases.map { it.timeline.events }, readJourneysTable(journeys, asOf).map { it.events })
        val assessments = assessmentsTable(cases.flatMap { it.assessments })
        val fromTables = engine.trajectoriesOfTables(assessments, journeys, asOf)
        // The journeys table holds the events, not the risk inputs.
        val fromRecords = trajectoryTables(cases.map {
            engine.trajectory(it.timeline.copy(riskInputs = listOf()), it.assessments, asOf)
        })
        // ByteArray fields compare by content (a data class compares arrays by reference).
        assertArrayEquals(fromRecords.points, fromTables.points)
        assertArrayEquals(fromRecords.outcomeScores, fromTables.outcomeScores)
        assertArrayEquals(fromRecords.trends, fromTables.trends)
        assertArrayEquals(fromRecords.setbacks, fromTables.setbacks)
        assertArrayEquals(fromRecords.followUps, fromTables.followUps)
        val e = assertThrows<BesideException.Invalid> {
            engine.trajectoriesOfTables(assessments, journeysTable(cases.drop(1).map { it.timeline }), asOf)
        }
        assertEquals("assessments", e.path)
    }
}
