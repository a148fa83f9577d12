// JUnit 5 tests of the person's language (Project Fluent) through the generated Kotlin bindings:
// the consent read-back in Bengali with Bengali digits and in Khmer, a locale added at run time
// from .ftl text, a malformed .ftl refused with its line, an app's locale file checked against
// English.
package dev.beside.test

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_consent.Phrase
import uniffi.beside_ffi.BesideException
import uniffi.beside_ffi.ConsentEngine
import uniffi.beside_ffi.checkLocale
import uniffi.beside_ffi.consentLabels
import uniffi.beside_ffi.labelsWithLocale
import uniffi.beside_ffi.renderConsentPhrases
import uniffi.beside_ffi.renderConsentPhrasesWith

private val WHEN: Instant = Instant.parse("2026-11-20T10:00:00Z")
private const val BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"

class LocalesTest {
    @Test
    fun theReadBackInBengaliAndKhmer() {
        ConsentEngine.sample("case-01").use { engine ->
            val summary = engine.summary(WHEN)
            val english = renderConsentPhrases(summary, "en")
            val bengali = renderConsentPhrases(summary, "bn")
            assertEquals(english.size, bengali.size)
            assertTrue(english[0].contains("until 2027-02-03"), english[0])
            assertTrue(bengali[0].contains("৩ ফেব্রুয়ারি ২০২৭ পর্যন্ত"), bengali[0])
            assertTrue(bengali[0].endsWith("[consent-01-referral]"), bengali[0])
            assertTrue(renderConsentPhrases(summary, "km")[0].contains("២០២៧"))
        }
    }

    @Test
    fun aLocaleAddedAtRunTime() {
        val labels = labelsWithLocale(consentLabels(), "bn", "consent-summary-nothing = আপনি এখনো কিছু ভাগ করতে রাজি হননি।\n")
        val nothing = listOf(Phrase("consent.summary.nothing", listOf()))
        assertEquals(listOf("আপনি এখনো কিছু ভাগ করতে রাজি হননি।"), renderConsentPhrasesWith(nothing, labels, "bn"))
        ConsentEngine.sample("case-01").use { engine ->
            val lines = renderConsentPhrasesWith(engine.summary(WHEN), labels, "bn")
            assertTrue(lines.any { line -> line.any { BENGALI_DIGITS.contains(it) } })
        }
    }

    @Test
    fun aMalformedFtlNamesItsLine() {
        val e = assertThrows<BesideException.Invalid> { labelsWithLocale(consentLabels(), "bn", "a = ঠিক\nb = আশ্রয় }\n") }
        assertEquals("ftl", e.path)
        assertTrue(e.detail.contains("line 2, column 12"), e.detail)
        val report = checkLocale("consent-summary-nothing = { \$who }\nno-such-key = x\n")
        assertEquals(listOf("no.such.key"), report.extra)
        assertEquals(listOf("consent.summary.nothing: \$who"), report.unknownPlaceables)
        assertTrue(report.missing.contains("consent.summary.consent"))
    }
}
