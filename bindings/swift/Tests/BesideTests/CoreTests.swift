// XCTest tests of the core functions of the generated Swift bindings (module Beside): version,
// timestamps, the calendar of a place, samples, JSON pairs and the typed error.
import Foundation
import XCTest

@testable import Beside

final class CoreTests: XCTestCase {
    func testVersionAndTimestamps() throws {
        XCTAssertEqual(version(), "0.1.0")
        let t = Date(timeIntervalSince1970: 1_740_819_600.5)  // 2025-03-01T09:00:00.500Z
        XCTAssertEqual(formatTimestamp(at: t), "2025-03-01T09:00:00.500Z")
        XCTAssertEqual(try parseTimestamp(text: "2025-03-01T09:00:00.5Z"), t)
        XCTAssertThrowsError(try parseTimestamp(text: "yesterday")) { error in
            guard case BesideError.Invalid(_, _, let errors) = error else { return XCTFail("\(error)") }
            guard case .invalid = errors[0].reason else { return XCTFail("\(errors)") }
        }
    }

    func testTheCalendarOfAPlace() throws {
        let at = Date(timeIntervalSince1970: 1_773_513_000)  // 2026-03-14T18:30:00Z
        XCTAssertEqual(try localDate(at: at, timeZone: "Asia/Dhaka"), "2026-03-15")
        let c: CaseProfile = try sampleCase(caseId: "case-11")
        XCTAssertEqual(try caseTimeZone(profile: c), "Asia/Phnom_Penh")
        XCTAssertThrowsError(try localDate(at: at, timeZone: "Dhaka")) { error in
            guard case BesideError.Invalid(let path, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "time_zone")
        }
    }

    func testJsonPairsRoundTripAndAreStrict() throws {
        let c = try sampleCase(caseId: "case-01")
        let text = try caseProfileToJson(value: c)
        XCTAssertEqual(try caseProfileFromJson(json: text), c)
        XCTAssertThrowsError(try caseProfileFromJson(json: String(text.dropLast()) + ", \"vetos\": []}")) { error in
            guard case BesideError.Invalid(_, let detail, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("unknown field `vetos`"), detail)
        }
        XCTAssertThrowsError(try caseProfileFromJson(json: text + " garbage"))
    }

    func testABadTypedIdIsRefusedWithItsPath() throws {
        var c = try sampleCase(caseId: "case-01")
        c.caseId = "   "
        XCTAssertThrowsError(try caseTimeZone(profile: c)) { error in
            guard case BesideError.Invalid(let path, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "case_id")
        }
    }

    func testSamplesAndLabels() throws {
        XCTAssertGreaterThanOrEqual(try sampleCases().count, 14)
        XCTAssertTrue(try sampleAssessmentsOf(caseId: "case-01").allSatisfy { $0.caseId == "case-01" })
        XCTAssertThrowsError(try sampleCase(caseId: "case-404")) { error in
            guard case BesideError.NotFound(_, let id, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "case-404")
        }
        XCTAssertTrue(try englishLabels().keys.contains { $0.hasPrefix("consent.") })
    }
}
