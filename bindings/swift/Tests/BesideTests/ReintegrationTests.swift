// XCTest tests of reintegration through the generated Swift bindings, typed end to end:
// timeline -> journey; timeline + assessments -> trajectory -> risk, follow-up, cohort case ->
// cohort summary; merges, words, JSON round trips, and one bad input per operation with its
// typed BesideError and field path.
import Foundation
import XCTest

@testable import Beside

private let now = Date(timeIntervalSince1970: 1_795_168_800)  // 2026-11-20T10:00:00Z

/// The path of the `BesideError.Invalid` that `call` throws ("" and a failure otherwise).
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

final class ReintegrationTests: XCTestCase {
    func testTypedChain() throws {
        let engine = ReintegrationEngine()
        let timeline = try sampleJourney(caseId: "case-01")
        let assessments = try sampleAssessmentsOf(caseId: "case-01")

        let journey = try engine.journey(timeline: timeline, now: now)
        XCTAssertEqual(journey.caseId, "case-01")
        XCTAssertEqual(journey.phases.count, 6)
        XCTAssertEqual(journey.phases[0].status, .achieved)

        let t = try engine.trajectory(timeline: timeline, assessments: assessments, now: now)
        XCTAssertEqual(t.points.count, assessments.count)
        XCTAssertEqual(t.scores.count, t.points.count * t.trends.count)
        XCTAssertFalse(t.setbacks.isEmpty)
        XCTAssertEqual(t.phases.count, 6)

        let risk = try engine.risk(inputs: timeline.riskInputs.last!)
        XCTAssertEqual(try riskAssessmentToJson(value: risk), try riskAssessmentToJson(value: t.risk!))
        XCTAssertFalse(risk.factors.isEmpty)

        let followUp = try engine.followUp(
            assessment: try sampleLatestAssessment(caseId: "case-01"), risk: risk.level, timeZone: "")
        XCTAssertEqual(try followUpToJson(value: followUp), try followUpToJson(value: t.followUp))

        let cohortCase = try engine.cohortCase(trajectory: t, statisticsConsent: true)
        XCTAssertEqual(cohortCase.outcomes.count, 4)
        XCTAssertEqual(cohortCase.phases.count, 6)
        XCTAssertEqual(cohortCase.risk, risk.level)
        let summary = try cohortSummary(cases: Array(repeating: cohortCase, count: 12), config: defaultCohortConfig())
        guard case .published(let total) = summary.total else { return XCTFail("got \(summary.total)") }
        XCTAssertEqual(total, 12)
        let small = try cohortSummary(cases: Array(repeating: cohortCase, count: 3), config: defaultCohortConfig())
        guard case .cohortTooSmall(let k) = small.total else { return XCTFail("got \(small.total)") }
        XCTAssertEqual(k, 11)

        let iom = try ReintegrationEngine.iom()
        XCTAssertEqual(try iom.trajectory(timeline: timeline, assessments: assessments, now: now).trends.count, 3)
        let same = try ReintegrationEngine.withConfig(config: iom.config())
        XCTAssertEqual(try modelConfigToJson(value: same.config()), try modelConfigToJson(value: iom.config()))
    }

    func testWordsTakeALocale() throws {
        let engine = ReintegrationEngine()
        let t = try engine.trajectory(
            timeline: try sampleJourney(caseId: "case-01"), assessments: try sampleAssessmentsOf(caseId: "case-01"), now: now)
        XCTAssertTrue(try renderSetback(setback: t.setbacks[0], locale: "en").contains(" fell from "))
        XCTAssertFalse(try renderFollowUpReason(reason: t.followUp.reason, locale: "en").isEmpty)
        for factor in t.risk!.factors {
            XCTAssertTrue(try renderRiskFactor(factor: factor, locale: "en").contains("(+"))
        }
        for basis in t.risk!.basis {
            XCTAssertFalse(try renderRiskBasis(basis: basis, locale: "en").isEmpty)
        }
        XCTAssertEqual(try renderCohortCount(count: .belowThreshold(k: 11), locale: "en"), "<11")
        XCTAssertEqual(try renderPhase(phase: .justice, locale: "en"), "Access to justice")
        XCTAssertEqual(try renderPhaseStatus(status: .declined, locale: "en"), "declined by the person")
        XCTAssertEqual(try renderTrend(trend: .improving, locale: "en"), "improving")
        XCTAssertEqual(try renderRiskLevel(level: .high, locale: "en"), "high")
        XCTAssertEqual(try renderOutcomeName(outcome: "financial_health", locale: "en"), "Financial health")
        XCTAssertEqual(invalidPath { _ = try renderTrend(trend: .stable, locale: "xx") }, "locale")
    }

    func testJsonRoundTrips() throws {
        let engine = ReintegrationEngine()
        let timeline = try sampleJourney(caseId: "case-01")
        let t = try engine.trajectory(timeline: timeline, assessments: try sampleAssessmentsOf(caseId: "case-01"), now: now)
        let text = try trajectoryToJson(value: t)
        XCTAssertEqual(try trajectoryToJson(value: try trajectoryFromJson(json: text)), text)
        let timelineText = try caseTimelineToJson(value: timeline)
        XCTAssertEqual(try caseTimelineToJson(value: try caseTimelineFromJson(json: timelineText)), timelineText)
        let journeyText = try journeyToJson(value: try engine.journey(timeline: timeline, now: now))
        XCTAssertEqual(try journeyToJson(value: try journeyFromJson(json: journeyText)), journeyText)
        let caseText = try cohortCaseToJson(value: try engine.cohortCase(trajectory: t, statisticsConsent: true))
        XCTAssertTrue(caseText.contains("\"statistics_consent\":true"))
        XCTAssertEqual(try cohortCaseToJson(value: try cohortCaseFromJson(json: caseText)), caseText)
        XCTAssertEqual(invalidPath { _ = try cohortConfigFromJson(json: "{\"k\": \"eleven\"}") }, "k")
    }

    func testMergeJourneys() throws {
        let events = try sampleJourney(caseId: "case-01").events
        let base = Array(events[0..<3])
        let ours = Array(events[0..<5])
        let theirs = base + Array(events[5..<7])
        let oursEdit = Edit(by: "worker-1", at: now.addingTimeInterval(-2 * 86_400))
        let theirsEdit = Edit(by: nil, at: now.addingTimeInterval(-86_400))
        let merged = try mergeJourneys(
            caseId: "case-01", base: base, ours: ours, oursEdit: oursEdit, theirs: theirs, theirsEdit: theirsEdit,
            now: now, timeZone: "")
        XCTAssertEqual(merged.journey.caseId, "case-01")
        let text = try mergedJourneyToJson(value: merged)
        XCTAssertEqual(try mergedJourneyToJson(value: try mergedJourneyFromJson(json: text)), text)
        var bad = ours
        bad[0].id = ""
        XCTAssertEqual(invalidPath {
            _ = try mergeJourneys(
                caseId: "case-01", base: base, ours: bad, oursEdit: oursEdit, theirs: theirs, theirsEdit: theirsEdit,
                now: now, timeZone: "")
        }, "ours[0].id")
        XCTAssertThrowsError(try mergeJourneys(
            caseId: "case-07", base: base, ours: ours, oursEdit: oursEdit, theirs: theirs, theirsEdit: theirsEdit,
            now: now, timeZone: "")) { error in
            guard case let BesideError.Refused(code, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(code, "different_records")
        }
    }

    func testBadInputOfEachOperation() throws {
        let engine = ReintegrationEngine()
        let timeline = try sampleJourney(caseId: "case-01")
        let assessments = try sampleAssessmentsOf(caseId: "case-01")
        var bad = timeline
        bad.events[1].id = ""
        let json = try caseTimelineToJson(value: timeline).replacingOccurrences(
            of: "\"id\":\"\(timeline.events[1].id)\"", with: "\"id\":\"\"")
        XCTAssertEqual(invalidPath { _ = try caseTimelineFromJson(json: json) }, "events[1].id")
        XCTAssertEqual(invalidPath { _ = try engine.journey(timeline: bad, now: now) }, "events[1].id")
        XCTAssertEqual(invalidPath { _ = try engine.trajectory(timeline: bad, assessments: assessments, now: now) }, "timeline.events[1].id")
        XCTAssertEqual(invalidPath { _ = try engine.trajectory(timeline: timeline, assessments: [], now: now) }, "assessments")
        let other = try sampleJourney(caseId: "case-07")
        XCTAssertEqual(invalidPath { _ = try engine.trajectory(timeline: other, assessments: assessments, now: now) }, "assessments[0].case_id")

        var impossible = timeline
        impossible.events = [
            TimelineEvent(
                id: "ev-x", caseId: "case-01", on: "2025-01-20",
                event: .setbackOccurred(phase: .livelihood, cause: .lostIncome), note: nil, extra: [:]),
        ]
        impossible.riskInputs = []
        XCTAssertThrowsError(try engine.journey(timeline: impossible, now: now)) { error in
            guard case let BesideError.Refused(code, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(code, "impossible_transition")
        }

        var future = timeline.riskInputs.last!
        future.recordedOn = "2999-01-01"
        XCTAssertEqual(invalidPath { _ = try engine.risk(inputs: future) }, "recorded_on")

        var latest = assessments.last!
        latest.ratings[0].domain = "Food!"
        XCTAssertTrue(invalidPath { _ = try engine.followUp(assessment: latest, risk: nil, timeZone: "") }.hasPrefix("assessment.ratings[0]"))
        XCTAssertEqual(invalidPath { _ = try engine.followUp(assessment: assessments.last!, risk: nil, timeZone: "Dhaka") }, "time_zone")

        var t = try engine.trajectory(timeline: timeline, assessments: assessments, now: now)
        t.caseId = ""
        XCTAssertEqual(invalidPath { _ = try engine.cohortCase(trajectory: t, statisticsConsent: true) }, "case_id")

        var config = defaultCohortConfig()
        config.k = 1
        XCTAssertEqual(invalidPath { _ = try cohortSummary(cases: [], config: config) }, "config.k")

        var model = engine.config()
        model.trend.domainDrop = 0
        XCTAssertEqual(invalidPath { _ = try ReintegrationEngine.withConfig(config: model) }, "trend.domain_drop")

        XCTAssertThrowsError(try sampleJourney(caseId: "case-99")) { error in
            guard case BesideError.NotFound = error else { return XCTFail("got \(error)") }
        }
    }
}
