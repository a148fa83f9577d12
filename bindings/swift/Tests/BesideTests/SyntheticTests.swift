// XCTest tests of synthetic cohorts through the generated Swift bindings, typed end to end:
// syntheticCases -> the case's own ledger (syntheticLedger) -> ConsentEngine -> a research
// question; the same case -> trajectory; pages joining into one cohort; two-way suppression.
import Foundation
import XCTest

@testable import Beside

private let asOf = Date(timeIntervalSince1970: 1_796_061_600)  // 2026-11-30T18:00:00Z

final class SyntheticTests: XCTestCase {
    func testCasesLedgersAndTrajectoriesChain() throws {
        let engine = ReintegrationEngine()
        let cases = try syntheticCases(seed: 16, first: 0, count: 40, asOf: asOf)
        XCTAssertEqual(cases.count, 40)
        XCTAssertEqual(cases[0].profile.caseId, "syn-0000000")
        let page = try syntheticCases(seed: 16, first: 10, count: 10, asOf: asOf)
        XCTAssertEqual(cases[10..<20].map { $0.profile.caseId }, page.map { $0.profile.caseId })
        XCTAssertEqual(
            try cases[10..<20].map { try caseProfileToJson(value: $0.profile) },
            try page.map { try caseProfileToJson(value: $0.profile) })
        var permitted = 0
        for c in cases {
            XCTAssertTrue(c.profile.summary!.hasPrefix("Synthetic."))
            let ledger = try ConsentEngine(ledger: try syntheticLedger(syntheticCase: c, asOf: asOf), now: asOf)
            let d = try ledger.evaluate(question: Question(
                recipient: Recipient(organizationId: "org-research-01", kind: .research),
                purpose: .statistics, categories: [.health], at: asOf))
            if d.outcome == .permit {
                permitted += 1
                XCTAssertEqual(c.researchConsent, .agreed)
            }
            let t = try engine.trajectory(timeline: c.timeline, assessments: c.assessments, now: asOf)
            XCTAssertEqual(t.points.count, c.assessments.count)
        }
        XCTAssertTrue((25...40).contains(permitted), "\(permitted) of 40")
        XCTAssertThrowsError(try syntheticCases(seed: 16, first: 0, count: 10_001, asOf: asOf))
    }

    func testTwoWaySuppression() throws {
        let t = try suppressTable(counts: [[3, 10, 20], [12, 7, 30]], k: 5)
        guard case .belowThreshold(k: 5) = t.cells[0][0] else { return XCTFail("\(t.cells[0][0])") }
        guard case .complementary(k: 5) = t.cells[1][1] else { return XCTFail("\(t.cells[1][1])") }
        guard case .published(let total) = t.total else { return XCTFail("\(t.total)") }
        XCTAssertEqual(total, 82)
        XCTAssertEqual(try renderCohortCount(count: t.cells[0][0], locale: "en"), "<5")
        do {
            _ = try suppressTable(counts: [[1], []], k: 5)
            XCTFail("expected BesideError.Invalid")
        } catch BesideError.Invalid(let path, _, _) {
            XCTAssertEqual(path, "counts[1]")
        }
    }

    /// An Arrow IPC stream: the continuation marker 0xFFFFFFFF, then the schema, which names it.
    private func assertArrowStream(_ bytes: Data, _ schema: String, line: UInt = #line) {
        XCTAssertGreaterThan(bytes.count, 8, line: line)
        XCTAssertEqual(Array(bytes.prefix(4)), [0xFF, 0xFF, 0xFF, 0xFF], line: line)
        XCTAssertNotNil(bytes.range(of: Data(schema.utf8)), schema, line: line)
    }

    func testResultsAsArrowTables() throws {
        let engine = ReintegrationEngine()
        let cases = try syntheticCases(seed: 16, first: 0, count: 20, asOf: asOf)
        let trajectories = try cases.map {
            try engine.trajectory(timeline: $0.timeline, assessments: $0.assessments, now: asOf)
        }
        let t = try trajectoryTables(trajectories: trajectories)
        assertArrowStream(t.points, "beside.points/1")
        assertArrowStream(t.outcomeScores, "beside.outcome_scores/1")
        assertArrowStream(t.trends, "beside.trends/1")
        assertArrowStream(t.setbacks, "beside.setbacks/1")
        assertArrowStream(t.followUps, "beside.follow_ups/1")
        let risks = trajectories.compactMap { $0.risk }
        XCTAssertFalse(risks.isEmpty)
        assertArrowStream(try riskTable(risks: risks), "beside.risk/1")
        let suppressed = try suppressTable(counts: [[3, 40], [25, 31]], k: 11)
        assertArrowStream(try suppressedCellsTable(table: suppressed), "beside.suppressed/1")
        var bad = trajectories[0]
        bad.caseId = ""
        do {
            _ = try trajectoryTables(trajectories: [trajectories[1], bad])
            XCTFail("expected BesideError.Invalid")
        } catch BesideError.Invalid(let path, _, _) {
            XCTAssertEqual(path, "trajectories[1].case_id")
        }
    }

    func testTrajectoriesFromTables() throws {
        let engine = ReintegrationEngine()
        let cases = try syntheticCases(seed: 16, first: 0, count: 20, asOf: asOf)
        let journeys = try journeysTable(timelines: cases.map { $0.timeline })
        assertArrowStream(journeys, "beside.journeys/1")
        XCTAssertEqual(try readJourneysTable(table: journeys, now: asOf).map { $0.events },
                       cases.map { $0.timeline.events })
        let assessments = try assessmentsTable(assessments: cases.flatMap { $0.assessments })
        let fromTables = try engine.trajectoriesOfTables(assessments: assessments, journeys: journeys, now: asOf)
        // The journeys table holds the events, not the risk inputs.
        let fromRecords = try trajectoryTables(trajectories: cases.map {
            var timeline = $0.timeline
            timeline.riskInputs = []
            return try engine.trajectory(timeline: timeline, assessments: $0.assessments, now: asOf)
        })
        XCTAssertEqual(fromTables, fromRecords)
    }
}
