// XCTest tests of the person's language (Project Fluent) through the generated Swift bindings
// (module Beside): the consent read-back in Bengali with Bengali digits and in Khmer, a locale
// added at run time from .ftl text, a malformed .ftl refused with its line, an app's locale
// file checked against English.
import Foundation
import XCTest

@testable import Beside

private let when = Date(timeIntervalSince1970: 1_795_168_800)  // 2026-11-20T10:00:00Z
private let bengaliDigits = Set("০১২৩৪৫৬৭৮৯")

final class LocalesTests: XCTestCase {
    func testTheReadBackInBengaliAndKhmer() throws {
        let summary = try ConsentEngine.sample(caseId: "case-01").summary(at: when)
        let english = try renderConsentPhrases(phrases: summary, locale: "en")
        let bengali = try renderConsentPhrases(phrases: summary, locale: "bn")
        XCTAssertEqual(english.count, bengali.count)
        XCTAssertTrue(english[0].contains("until 2027-02-03"), english[0])
        XCTAssertTrue(bengali[0].contains("৩ ফেব্রুয়ারি ২০২৭ পর্যন্ত"), bengali[0])
        XCTAssertTrue(bengali[0].hasSuffix("[consent-01-referral]"), bengali[0])
        XCTAssertTrue(try renderConsentPhrases(phrases: summary, locale: "km")[0].contains("២០២៧"))
    }

    func testALocaleAddedAtRunTime() throws {
        let labels = try labelsWithLocale(
            labels: consentLabels(), locale: "bn", ftl: "consent-summary-nothing = আপনি এখনো কিছু ভাগ করতে রাজি হননি।\n")
        let nothing = [Phrase(key: "consent.summary.nothing", params: [])]
        XCTAssertEqual(
            try renderConsentPhrasesWith(phrases: nothing, labels: labels, locale: "bn"),
            ["আপনি এখনো কিছু ভাগ করতে রাজি হননি।"])
        let summary = try ConsentEngine.sample(caseId: "case-01").summary(at: when)
        let lines = try renderConsentPhrasesWith(phrases: summary, labels: labels, locale: "bn")
        XCTAssertTrue(lines.contains { line in line.contains { bengaliDigits.contains($0) } })
    }

    func testAMalformedFtlNamesItsLine() throws {
        do {
            _ = try labelsWithLocale(labels: consentLabels(), locale: "bn", ftl: "a = ঠিক\nb = আশ্রয় }\n")
            XCTFail("a malformed .ftl was accepted")
        } catch BesideError.Invalid(let path, let detail, _) {
            XCTAssertEqual(path, "ftl")
            XCTAssertTrue(detail.contains("line 2, column 12"), detail)
        }
        let report = try checkLocale(ftl: "consent-summary-nothing = { $who }\nno-such-key = x\n")
        XCTAssertEqual(report.extra, ["no.such.key"])
        XCTAssertEqual(report.unknownPlaceables, ["consent.summary.nothing: $who"])
        XCTAssertTrue(report.missing.contains("consent.summary.consent"))
    }
}
