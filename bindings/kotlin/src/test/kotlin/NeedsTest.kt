// Needs prioritisation from Kotlin, typed end to end: assessment -> prioritisation -> words;
// batches, Arrow tables, comparison, merge; one bad input per operation (the typed error's
// path); JSON round trips.
package dev.beside.test

import java.time.Duration
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_core.Edit
import uniffi.beside_core.Level
import uniffi.beside_core.Rating
import uniffi.beside_core.Reason
import uniffi.beside_ffi.BesideException
import uniffi.beside_ffi.NeedsEngine
import uniffi.beside_ffi.assessmentComparisonFromJson
import uniffi.beside_ffi.assessmentComparisonToJson
import uniffi.beside_ffi.assessmentFromJson
import uniffi.beside_ffi.assessmentToJson
import uniffi.beside_ffi.assessmentsTable
import uniffi.beside_ffi.batchSummaryFromJson
import uniffi.beside_ffi.batchSummaryToJson
import uniffi.beside_ffi.mergeAssessments
import uniffi.beside_ffi.needsModelFromJson
import uniffi.beside_ffi.needsModelToJson
import uniffi.beside_ffi.prioritisationFromJson
import uniffi.beside_ffi.prioritisationToJson
import uniffi.beside_ffi.readPrioritiesTable
import uniffi.beside_ffi.renderComparison
import uniffi.beside_ffi.renderPrioritisation
import uniffi.beside_ffi.sampleAssessments
import uniffi.beside_ffi.sampleAssessmentsOf
import uniffi.beside_ffi.sampleLatestAssessment
import uniffi.beside_needs.Assessment
import uniffi.beside_needs.Change
import uniffi.beside_needs.DomainRating
import uniffi.beside_needs.PriorityReason
import uniffi.beside_needs.RedFlag
import uniffi.beside_needs.Urgency

class NeedsTest {
    private val now: Instant = Instant.parse("2030-01-01T00:00:00Z")

    /** An assessment built field by field, as an app would. */
    private fun madeHere() = Assessment(
        id = "a-new",
        caseId = "case-77",
        assessedAt = Instant.parse("2026-03-01T09:00:00Z"),
        assessedBy = "worker-1",
        ratings = listOf(
            DomainRating("food", Rating.Level(Level.IN_CRISIS)),
            DomainRating("livelihood", Rating.Level(Level.VULNERABLE)),
            DomainRating("legal", Rating.Declined),
        ),
        redFlags = listOf(RedFlag.UNTREATED_INJURY),
        ownPriorities = listOf("livelihood"),
        notNow = listOf(),
        extra = mapOf(),
    )

    private fun invalid(call: () -> Unit): BesideException.Invalid =
        assertThrows<BesideException.Invalid> { call() }

    @Test
    fun theTypedChain() {
        NeedsEngine().use { needs ->
            val a = madeHere()
            needs.validateAssessment(a, now)
            val p = needs.prioritise(a)
            assertEquals("case-77", p.caseId)
            val first = p.items.first()
            assertEquals(Urgency.RED_FLAG, first.urgency)
            assertTrue(first.reasons.any { it is PriorityReason.RedFlag && it.flag == RedFlag.UNTREATED_INJURY })
            val livelihood = p.items.first { it.domain == "livelihood" }
            assertTrue(livelihood.reasons.any { it is PriorityReason.OwnRank && it.rank == 1u })
            assertTrue(livelihood.reasons.any { it is PriorityReason.AheadOfBlocker && it.blocker == "food" })
            // Words are a separate call over the typed answer, in a locale.
            val lines = renderPrioritisation(p, "en")
            assertEquals(p.items.size, lines.size)
            assertTrue(lines[0].startsWith("1. "), lines[0])
        }
    }

    @Test
    fun batchesTablesAndComparison() {
        NeedsEngine().use { needs ->
            val samples = sampleAssessments()
            val all = needs.prioritiseBatch(samples)
            assertEquals(samples.map { it.id }, all.map { it.assessmentId })
            val summary = needs.summarise(samples)
            assertEquals(samples.size.toULong(), summary.assessments)
            // The same assessments as an Arrow table (IPC stream bytes), ranked into a
            // priorities table and read back: the same answers as the records.
            val table = assessmentsTable(samples)
            assertEquals(summary, needs.summariseTable(table))
            assertEquals(all, readPrioritiesTable(needs.prioritiseTable(table)))
            val journey = sampleAssessmentsOf("case-01")
            val c = needs.compare(journey[0], journey[1])
            assertTrue(c.changes.all { it.change is Change })
            assertEquals(c.changes.size, renderComparison(c, "en").size)
            val again = NeedsEngine.withModel(needs.model())
            again.use { assertEquals(needs.domains(), it.domains()) }
        }
    }

    @Test
    fun mergingTwoPhones() {
        val journey = sampleAssessmentsOf("case-01")
        val at = journey[0].assessedAt
        val mine = journey[0].copy(ratings = listOf(DomainRating("food", Rating.Level(Level.THRIVING))))
        val m = mergeAssessments(
            "case-01", listOf(journey[0]),
            listOf(mine), Edit("w1", at), journey, Edit("w2", at),
        )
        assertEquals(journey.map { it.id }, m.assessments.map { it.id })
    }

    @Test
    fun eachOperationRefusesBadInput() {
        NeedsEngine().use { needs ->
            val latest = sampleLatestAssessment("case-01")
            val badBy = latest.copy(assessedBy = "")
            val typed = invalid { needs.prioritise(badBy) }
            assertEquals("assessed_by", typed.path)
            val json = assessmentToJson(latest).replace("\"assessed_by\":\"${latest.assessedBy}\"", "\"assessed_by\":\"\"")
            assertEquals(typed.path, invalid { assessmentFromJson(json) }.path)

            val unknown = latest.copy(ratings = listOf(DomainRating("unicorns", Rating.Level(Level.SAFE))))
            val e = invalid { needs.prioritise(unknown) }
            assertEquals("ratings[0].domain", e.path)
            assertTrue((e.errors[0].reason as Reason.Unknown).known.contains("food"))
            assertEquals("assessed_at", invalid { needs.validateAssessment(latest, latest.assessedAt.minus(Duration.ofDays(1))) }.path)
            val badId = latest.copy(id = "")
            assertEquals("[1].id", invalid { needs.prioritiseBatch(listOf(latest, badId)) }.path)
            assertEquals("[0].id", invalid { needs.summarise(listOf(badId)) }.path)
            assertEquals("after.id", invalid { needs.compare(latest, badId) }.path)
            val other = sampleAssessments().first { it.caseId != latest.caseId }
            assertEquals("different_cases", assertThrows<BesideException.Refused> { needs.compare(latest, other) }.code)
            // In a table, the row and column: the unknown domain is the first row of `unknown`.
            val mixed = assessmentsTable(listOf(latest, unknown.copy(id = "a-unknown")))
            assertEquals("rows[${latest.ratings.size}].domain", invalid { needs.prioritiseTable(mixed) }.path)
            assertEquals("[0].id", invalid { assessmentsTable(listOf(badId)) }.path)
            val trailing = assessmentsTable(listOf(latest)) + byteArrayOf(0)
            assertEquals("", invalid { needs.summariseTable(trailing) }.path)
            val model = needs.model()
            val empty = model.copy(catalogue = model.catalogue.copy(domains = listOf()))
            assertTrue(invalid { NeedsEngine.withModel(empty) }.path.startsWith("catalogue"))
            val p = needs.prioritise(latest)
            assertEquals("locale", invalid { renderPrioritisation(p, "xx") }.path)
            val c = needs.compare(latest, latest)
            assertEquals("locale", invalid { renderComparison(c, "klingon") }.path)
            val at = latest.assessedAt
            val refused = assertThrows<BesideException.Refused> {
                mergeAssessments("case-02", listOf(), listOf(latest), Edit(null, at), listOf(), Edit(null, at))
            }
            assertEquals("different_records", refused.code)
            assertEquals("ours[0].id", invalid {
                mergeAssessments(latest.caseId, listOf(), listOf(badId), Edit(null, at), listOf(), Edit(null, at))
            }.path)
        }
    }

    @Test
    fun jsonRoundTrips() {
        NeedsEngine().use { needs ->
            val latest = sampleLatestAssessment("case-01")
            assertEquals(latest, assessmentFromJson(assessmentToJson(latest)))
            val p = needs.prioritise(latest)
            assertEquals(p, prioritisationFromJson(prioritisationToJson(p)))
            val s = needs.summarise(sampleAssessments())
            assertEquals(s, batchSummaryFromJson(batchSummaryToJson(s)))
            val journey = sampleAssessmentsOf("case-01")
            val c = needs.compare(journey[0], journey[1])
            assertEquals(c, assessmentComparisonFromJson(assessmentComparisonToJson(c)))
            val m = needs.model()
            assertEquals(m, needsModelFromJson(needsModelToJson(m)))
            val e = invalid { prioritisationFromJson("{not json") }
            assertTrue(e.errors[0].reason is Reason.Malformed)
        }
    }
}
