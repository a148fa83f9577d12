// JUnit 5 tests of the core functions of the generated Kotlin bindings: version, timestamps, the
// calendar of a place, samples, JSON pairs and the typed error. Engines have their own test files.
package dev.beside.test

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_core.CaseProfile
import uniffi.beside_core.Reason
import uniffi.beside_ffi.*

class CoreTest {
    @Test
    fun versionAndTimestamps() {
        assertEquals("0.1.0", version())
        val t = Instant.parse("2025-03-01T09:00:00.500Z")
        assertEquals("2025-03-01T09:00:00.500Z", formatTimestamp(t))
        assertEquals(t, parseTimestamp("2025-03-01T09:00:00.5Z"))
        val e = assertThrows<BesideException.Invalid> { parseTimestamp("yesterday") }
        assertTrue(e.errors[0].reason is Reason.Invalid)
    }

    @Test
    fun theCalendarOfAPlace() {
        val at = Instant.parse("2026-03-14T18:30:00Z")
        assertEquals("2026-03-15", localDate(at, "Asia/Dhaka"))
        val case: CaseProfile = sampleCase("case-11")
        assertEquals("Asia/Phnom_Penh", caseTimeZone(case))
        val e = assertThrows<BesideException.Invalid> { localDate(at, "Dhaka") }
        assertEquals("time_zone", e.path)
    }

    @Test
    fun jsonPairsRoundTripAndAreStrict() {
        val case = sampleCase("case-01")
        val text = caseProfileToJson(case)
        assertEquals(case, caseProfileFromJson(text))
        val e = assertThrows<BesideException.Invalid> { caseProfileFromJson(text.dropLast(1) + ", \"vetos\": []}") }
        assertTrue(e.detail.contains("unknown field `vetos`"), e.detail)
        assertThrows<BesideException.Invalid> { caseProfileFromJson("$text garbage") }
    }

    @Test
    fun aBadTypedIdIsRefusedWithItsPath() {
        val bad = sampleCase("case-01").copy(caseId = "   ")
        val e = assertThrows<BesideException.Invalid> { caseTimeZone(bad) }
        assertEquals("case_id", e.path)
    }

    @Test
    fun samplesAndLabels() {
        assertTrue(sampleCases().size >= 14)
        val of = sampleAssessmentsOf("case-01")
        assertTrue(of.all { it.caseId == "case-01" })
        val e = assertThrows<BesideException.NotFound> { sampleCase("case-404") }
        assertEquals("case-404", e.id)
        assertTrue(englishLabels().keys.any { it.startsWith("consent.") })
    }
}
