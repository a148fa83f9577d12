// Needs prioritisation from Swift, typed end to end: assessment -> prioritisation -> words;
// batches, Arrow tables, comparison, merge; one bad input per operation (the typed error's
// path); JSON round trips.
import Foundation
import XCTest

@testable import Beside

final class NeedsTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01T00:00:00Z

    /// An assessment built field by field, as an app would.
    private func madeHere() -> Assessment {
        Assessment(
            id: "a-new", caseId: "case-77",
            assessedAt: Date(timeIntervalSince1970: 1_772_355_600),  // 2026-03-01T09:00:00Z
            assessedBy: "worker-1",
            ratings: [
                DomainRating(domain: "food", rating: .level(.inCrisis)),
                DomainRating(domain: "livelihood", rating: .level(.vulnerable)),
                DomainRating(domain: "legal", rating: .declined),
            ],
            redFlags: [.untreatedInjury], ownPriorities: ["livelihood"], notNow: [], extra: [:])
    }

    /// The path of the `BesideError.Invalid` that `call` throws (a failure if it throws none).
    private func invalidPath(_ call: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try call()
            XCTFail("expected BesideError.Invalid", file: file, line: line)
        } catch BesideError.Invalid(let path, _, _) {
            return path
        } catch {
            XCTFail("expected BesideError.Invalid, got \(error)", file: file, line: line)
        }
        return ""
    }

    /// The code of the `BesideError.Refused` that `call` throws.
    private func refusedCode(_ call: () throws -> Void) -> String {
        do {
            try call()
        } catch BesideError.Refused(let code, _, _) {
            return code
        } catch {
            return "unexpected \(error)"
        }
        return "no error"
    }

    func testTheTypedChain() throws {
        let needs = NeedsEngine()
        let a = madeHere()
        try needs.validateAssessment(assessment: a, now: now)
        let p = try needs.prioritise(assessment: a)
        XCTAssertEqual(p.caseId, "case-77")
        let first = try XCTUnwrap(p.items.first)
        XCTAssertEqual(first.urgency, .redFlag)
        XCTAssertTrue(first.reasons.contains { if case .redFlag(.untreatedInjury, _) = $0 { return true }; return false })
        let livelihood = try XCTUnwrap(p.items.first { $0.domain == "livelihood" })
        XCTAssertTrue(livelihood.reasons.contains { if case .ownRank(1, _) = $0 { return true }; return false })
        XCTAssertTrue(livelihood.reasons.contains { if case .aheadOfBlocker("food", _) = $0 { return true }; return false })
        // Words are a separate call over the typed answer, in a locale.
        let lines = try renderPrioritisation(prioritisation: p, locale: "en")
        XCTAssertEqual(lines.count, p.items.count)
        XCTAssertTrue(lines[0].hasPrefix("1. "), lines[0])
    }

    func testBatchesTablesAndComparison() throws {
        let needs = NeedsEngine()
        let samples = try sampleAssessments()
        let all = try needs.prioritiseBatch(assessments: samples)
        XCTAssertEqual(all.map { $0.assessmentId }, samples.map { $0.id })
        let summary = try needs.summarise(assessments: samples)
        XCTAssertEqual(summary.assessments, UInt64(samples.count))
        // The same assessments as an Arrow table (IPC stream bytes), ranked into a priorities
        // table and read back: the same answers as the records.
        let table = try assessmentsTable(assessments: samples)
        XCTAssertEqual(try needs.summariseTable(assessments: table), summary)
        XCTAssertEqual(try readPrioritiesTable(table: try needs.prioritiseTable(assessments: table)), all)
        let journey = try sampleAssessmentsOf(caseId: "case-01")
        let c = try needs.compare(before: journey[0], after: journey[1])
        XCTAssertEqual(try renderComparison(comparison: c, locale: "en").count, c.changes.count)
        let again = try NeedsEngine.withModel(model: needs.model())
        XCTAssertEqual(again.domains(), needs.domains())
    }

    func testMergingTwoPhones() throws {
        let journey = try sampleAssessmentsOf(caseId: "case-01")
        let at = journey[0].assessedAt
        var mine = journey[0]
        mine.ratings = [DomainRating(domain: "food", rating: .level(.thriving))]
        let m = try mergeAssessments(
            caseId: "case-01", base: [journey[0]],
            ours: [mine], oursEdit: Edit(by: "w1", at: at),
            theirs: journey, theirsEdit: Edit(by: "w2", at: at))
        XCTAssertEqual(m.assessments.map { $0.id }, journey.map { $0.id })
    }

    func testEachOperationRefusesBadInput() throws {
        let needs = NeedsEngine()
        let latest = try sampleLatestAssessment(caseId: "case-01")
        var badBy = latest
        badBy.assessedBy = ""
        let typed = invalidPath { _ = try needs.prioritise(assessment: badBy) }
        XCTAssertEqual(typed, "assessed_by")
        let json = try assessmentToJson(value: latest).replacingOccurrences(
            of: "\"assessed_by\":\"\(latest.assessedBy)\"", with: "\"assessed_by\":\"\"")
        XCTAssertEqual(invalidPath { _ = try assessmentFromJson(json: json) }, typed)

        var unknown = latest
        unknown.ratings = [DomainRating(domain: "unicorns", rating: .level(.safe))]
        XCTAssertEqual(invalidPath { _ = try needs.prioritise(assessment: unknown) }, "ratings[0].domain")
        XCTAssertEqual(invalidPath {
            try needs.validateAssessment(assessment: latest, now: latest.assessedAt.addingTimeInterval(-86_400))
        }, "assessed_at")
        var badId = latest
        badId.id = ""
        XCTAssertEqual(invalidPath { _ = try needs.prioritiseBatch(assessments: [latest, badId]) }, "[1].id")
        XCTAssertEqual(invalidPath { _ = try needs.summarise(assessments: [badId]) }, "[0].id")
        XCTAssertEqual(invalidPath { _ = try needs.compare(before: latest, after: badId) }, "after.id")
        let other = try XCTUnwrap(try sampleAssessments().first { $0.caseId != latest.caseId })
        XCTAssertEqual(refusedCode { _ = try needs.compare(before: latest, after: other) }, "different_cases")
        // In a table, the row and column: the unknown domain is the first row of `unknown`.
        var unknownApart = unknown
        unknownApart.id = "a-unknown"
        let mixed = try assessmentsTable(assessments: [latest, unknownApart])
        XCTAssertEqual(invalidPath { _ = try needs.prioritiseTable(assessments: mixed) }, "rows[\(latest.ratings.count)].domain")
        XCTAssertEqual(invalidPath { _ = try assessmentsTable(assessments: [badId]) }, "[0].id")
        var trailing = try assessmentsTable(assessments: [latest])
        trailing.append(0)
        XCTAssertEqual(invalidPath { _ = try needs.summariseTable(assessments: trailing) }, "")
        var empty = needs.model()
        empty.catalogue.domains = []
        XCTAssertTrue(invalidPath { _ = try NeedsEngine.withModel(model: empty) }.hasPrefix("catalogue"))
        let p = try needs.prioritise(assessment: latest)
        XCTAssertEqual(invalidPath { _ = try renderPrioritisation(prioritisation: p, locale: "xx") }, "locale")
        let c = try needs.compare(before: latest, after: latest)
        XCTAssertEqual(invalidPath { _ = try renderComparison(comparison: c, locale: "klingon") }, "locale")
        let at = latest.assessedAt
        XCTAssertEqual(refusedCode {
            _ = try mergeAssessments(
                caseId: "case-02", base: [],
                ours: [latest], oursEdit: Edit(by: nil, at: at),
                theirs: [], theirsEdit: Edit(by: nil, at: at))
        }, "different_records")
        XCTAssertEqual(invalidPath {
            _ = try mergeAssessments(
                caseId: latest.caseId, base: [],
                ours: [badId], oursEdit: Edit(by: nil, at: at),
                theirs: [], theirsEdit: Edit(by: nil, at: at))
        }, "ours[0].id")
    }

    func testJsonRoundTrips() throws {
        let needs = NeedsEngine()
        let latest = try sampleLatestAssessment(caseId: "case-01")
        XCTAssertEqual(try assessmentFromJson(json: try assessmentToJson(value: latest)), latest)
        let p = try needs.prioritise(assessment: latest)
        XCTAssertEqual(try prioritisationFromJson(json: try prioritisationToJson(value: p)), p)
        let s = try needs.summarise(assessments: try sampleAssessments())
        XCTAssertEqual(try batchSummaryFromJson(json: try batchSummaryToJson(value: s)), s)
        let journey = try sampleAssessmentsOf(caseId: "case-01")
        let c = try needs.compare(before: journey[0], after: journey[1])
        XCTAssertEqual(try assessmentComparisonFromJson(json: try assessmentComparisonToJson(value: c)), c)
        let m = needs.model()
        XCTAssertEqual(try needsModelFromJson(json: try needsModelToJson(value: m)), m)
        XCTAssertThrowsError(try prioritisationFromJson(json: "{not json")) { error in
            guard let e = error as? BesideError, case .Invalid(_, _, let errors) = e,
                case .malformed? = errors.first?.reason
            else { return XCTFail("\(error)") }
        }
    }
}
