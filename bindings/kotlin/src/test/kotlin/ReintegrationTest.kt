// JUnit 5 tests of reintegration through the generated Kotlin bindings, typed end to end:
// timeline -> journey; timeline + assessments -> trajectory -> risk, follow-up, cohort case ->
// cohort summary; merges, words, JSON round trips, and one bad input per operation with its
// typed BesideException and field path.
package dev.beside.test

import java.time.Duration
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_core.Edit
import uniffi.beside_ffi.*
import uniffi.beside_reintegration.*

// Tests declare `: Unit`: JUnit runs only methods returning void, and `use { }` returns its last value.
class ReintegrationTest {
    private val now: Instant = Instant.parse("2026-11-20T10:00:00Z")

    private fun invalidPath(call: () -> Unit): String = assertThrows<BesideException.Invalid> { call() }.path

    @Test
    fun typedChain(): Unit = ReintegrationEngine().use { engine ->
        val timeline = sampleJourney("case-01")
        val assessments = sampleAssessmentsOf("case-01")

        val journey = engine.journey(timeline, now)
        assertEquals("case-01", journey.caseId)
        assertEquals(Phase.RETURN, journey.phases[0].phase)
        assertEquals(PhaseStatus.ACHIEVED, journey.phases[0].status)

        val t = engine.trajectory(timeline, assessments, now)
        assertEquals(assessments.size, t.points.size)
        assertEquals(t.points.size * t.trends.size, t.scores.size)
        assertTrue(t.setbacks.isNotEmpty())
        assertTrue(t.setbacks.all { it is Setback.Domain || it is Setback.Outcome })
        assertEquals(6, t.phases.size)

        val risk = engine.risk(timeline.riskInputs.last())
        assertEquals(t.risk, risk)
        assertTrue(risk.factors.isNotEmpty())

        val followUp = engine.followUp(sampleLatestAssessment("case-01"), risk.level, "")
        assertEquals(t.followUp, followUp)

        val case = engine.cohortCase(t, true)
        assertEquals(4, case.outcomes.size)
        assertEquals(6, case.phases.size)
        assertEquals(risk.level, case.risk)
        val summary = cohortSummary(List(12) { case }, defaultCohortConfig())
        assertEquals(Count.Published(12uL), summary.total)
        assertEquals(Count.CohortTooSmall(11u), cohortSummary(List(3) { case }, defaultCohortConfig()).total)

        ReintegrationEngine.iom().use { iom ->
            assertEquals(3, iom.trajectory(timeline, assessments, now).trends.size)
            ReintegrationEngine.withConfig(iom.config()).use { assertEquals(iom.config(), it.config()) }
        }
    }

    @Test
    fun wordsTakeALocale(): Unit = ReintegrationEngine().use { engine ->
        val t = engine.trajectory(sampleJourney("case-01"), sampleAssessmentsOf("case-01"), now)
        assertTrue(renderSetback(t.setbacks[0], "en").contains(" fell from "))
        assertTrue(renderFollowUpReason(t.followUp.reason, "en").isNotEmpty())
        assertTrue(t.risk!!.factors.all { renderRiskFactor(it, "en").contains("(+") })
        assertTrue(t.risk!!.basis.all { renderRiskBasis(it, "en").isNotEmpty() })
        assertEquals("<11", renderCohortCount(Count.BelowThreshold(11u), "en"))
        assertEquals("Access to justice", renderPhase(Phase.JUSTICE, "en"))
        assertEquals("declined by the person", renderPhaseStatus(PhaseStatus.DECLINED, "en"))
        assertEquals("improving", renderTrend(Trend.IMPROVING, "en"))
        assertEquals("high", renderRiskLevel(RiskLevel.HIGH, "en"))
        assertEquals("Financial health", renderOutcomeName("financial_health", "en"))
        assertEquals("locale", invalidPath { renderTrend(Trend.STABLE, "xx") })
    }

    @Test
    fun jsonRoundTrips(): Unit = ReintegrationEngine().use { engine ->
        val timeline = sampleJourney("case-01")
        val t = engine.trajectory(timeline, sampleAssessmentsOf("case-01"), now)
        assertEquals(t, trajectoryFromJson(trajectoryToJson(t)))
        assertEquals(timeline, caseTimelineFromJson(caseTimelineToJson(timeline)))
        val journey = engine.journey(timeline, now)
        assertEquals(journey, journeyFromJson(journeyToJson(journey)))
        val case = engine.cohortCase(t, true)
        assertTrue(cohortCaseToJson(case).contains("\"statistics_consent\":true"))
        assertEquals(case, cohortCaseFromJson(cohortCaseToJson(case)))
        assertEquals(engine.config(), modelConfigFromJson(modelConfigToJson(engine.config())))
        assertEquals(t.followUp, followUpFromJson(followUpToJson(t.followUp)))
        assertEquals("k", invalidPath { cohortConfigFromJson("{\"k\": \"eleven\"}") })
    }

    @Test
    fun mergeJourneys() {
        val events = sampleJourney("case-01").events
        val base = events.take(3)
        val ours = events.take(5)
        val theirs = base + events.subList(5, 7)
        val oursEdit = Edit(by = "worker-1", at = now.minus(Duration.ofDays(2)))
        val theirsEdit = Edit(by = null, at = now.minus(Duration.ofDays(1)))
        val merged = mergeJourneys("case-01", base, ours, oursEdit, theirs, theirsEdit, now, "")
        assertEquals("case-01", merged.journey.caseId)
        assertEquals(merged, mergedJourneyFromJson(mergedJourneyToJson(merged)))
        val bad = listOf(ours[0].copy(id = "")) + ours.drop(1)
        assertEquals("ours[0].id", invalidPath { mergeJourneys("case-01", base, bad, oursEdit, theirs, theirsEdit, now, "") })
        val refused = assertThrows<BesideException.Refused> {
            mergeJourneys("case-07", base, ours, oursEdit, theirs, theirsEdit, now, "")
        }
        assertEquals("different_records", refused.code)
    }

    @Test
    fun badInputOfEachOperation(): Unit = ReintegrationEngine().use { engine ->
        val timeline = sampleJourney("case-01")
        val assessments = sampleAssessmentsOf("case-01")
        val badEvents = timeline.events.toMutableList().also { it[1] = it[1].copy(id = "") }
        val bad = timeline.copy(events = badEvents)
        val json = caseTimelineToJson(timeline).replaceFirst("\"id\":\"${timeline.events[1].id}\"", "\"id\":\"\"")
        assertEquals("events[1].id", invalidPath { caseTimelineFromJson(json) })
        assertEquals("events[1].id", invalidPath { engine.journey(bad, now) })
        assertEquals("timeline.events[1].id", invalidPath { engine.trajectory(bad, assessments, now) })
        assertEquals("assessments", invalidPath { engine.trajectory(timeline, emptyList(), now) })
        assertEquals("assessments[0].case_id", invalidPath { engine.trajectory(sampleJourney("case-07"), assessments, now) })

        val impossible = timeline.copy(
            events = listOf(
                TimelineEvent(
                    id = "ev-x", caseId = "case-01", on = "2025-01-20",
                    event = EventKind.SetbackOccurred(Phase.LIVELIHOOD, SetbackCause.LOST_INCOME),
                    note = null, extra = emptyMap(),
                ),
            ),
            riskInputs = emptyList(),
        )
        assertEquals("impossible_transition", assertThrows<BesideException.Refused> { engine.journey(impossible, now) }.code)

        val future = timeline.riskInputs.last().copy(recordedOn = "2999-01-01")
        assertEquals("recorded_on", invalidPath { engine.risk(future) })

        val latest = assessments.last()
        val badRatings = latest.ratings.toMutableList().also { it[0] = it[0].copy(domain = "Food!") }
        assertTrue(invalidPath { engine.followUp(latest.copy(ratings = badRatings), null, "") }.startsWith("assessment.ratings[0]"))
        assertEquals("time_zone", invalidPath { engine.followUp(latest, null, "Dhaka") })

        val t = engine.trajectory(timeline, assessments, now)
        assertEquals("case_id", invalidPath { engine.cohortCase(t.copy(caseId = ""), true) })
        assertEquals("config.k", invalidPath { cohortSummary(emptyList(), defaultCohortConfig().copy(k = 1u)) })

        val model = engine.config()
        val badModel = model.copy(trend = model.trend.copy(domainDrop = 0u))
        assertEquals("trend.domain_drop", invalidPath { ReintegrationEngine.withConfig(badModel).close() })

        assertThrows<BesideException.NotFound> { sampleJourney("case-99") }
    }
}
