// Referral flow, typed end to end: propose -> send -> accept or decline -> withdrawal when the
// consent behind it is revoked; deadlines and overdue work; the merge of a referral edited on two
// phones; batch assignment with its reasons. One bad-input error per operation, JSON round trips.
import Foundation
import XCTest

import Beside

private let t0 = Date(timeIntervalSince1970: 1_772_355_600)  // 2026-03-01T09:00:00Z

private func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }

private let redFlag = ResponseTime.redFlag(flag: .immediateDanger, raisedAt: t0, respondWithinMinutes: 180)
private let own = ResponseTime.service(respondWithinMinutes: 24 * 60)

private func proposed(_ responseTimes: [ResponseTime] = [], consentIds: [String] = ["c1"]) throws -> Referral {
    try referralPropose(
        id: "r1", caseId: "case-01", need: "safety", serviceId: "s1", organizationId: "o1",
        consentIds: consentIds, responseTimes: responseTimes, at: at(5))
}

private func problem(lastService: String = "hostel") -> AssignmentProblem {
    AssignmentProblem(
        cases: [AssignCase(id: "c1", weight: 1, demand: 1), AssignCase(id: "c2", weight: 2, demand: 1),
                AssignCase(id: "c3", weight: 1, demand: 1)],
        services: [AssignService(id: "shelter", capacity: 1), AssignService(id: "hostel", capacity: 1)],
        eligible: [
            EligibleArc(case: "c1", service: "shelter", cost: 5),
            EligibleArc(case: "c2", service: "shelter", cost: 1),
            EligibleArc(case: "c2", service: "hostel", cost: 9),
            EligibleArc(case: "c3", service: lastService, cost: 2),
        ])
}

/// The path of the `Invalid` error `call` throws.
private func invalidPath<T>(_ call: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        _ = try call()
        XCTFail("expected BesideError.Invalid", file: file, line: line)
    } catch let BesideError.Invalid(path, _, _) {
        return path
    } catch {
        XCTFail("expected BesideError.Invalid, got \(error)", file: file, line: line)
    }
    return nil
}

/// The code of the `Refused` error `call` throws.
private func refusedCode<T>(_ call: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        _ = try call()
        XCTFail("expected BesideError.Refused", file: file, line: line)
    } catch let BesideError.Refused(code, _, _) {
        return code
    } catch {
        XCTFail("expected BesideError.Refused, got \(error)", file: file, line: line)
    }
    return nil
}

final class FlowTests: XCTestCase {
    func testLifecycleChainToWithdrawalOnRevocation() throws {
        let r = try proposed([redFlag, own])
        XCTAssertEqual(r.state, .proposed)
        let sent = try referralApply(referral: r, event: .send, at: at(10), by: "w1")
        XCTAssertEqual(sent.history[0].by, "w1")
        let accepted = try referralApply(referral: sent, event: .accept, at: at(20), by: nil)
        let declined = try referralApply(referral: sent, event: .decline(reason: .noCapacity), at: at(25), by: nil)
        XCTAssertEqual(declined.state, .declined(reason: .noCapacity))
        // The ids ConsentEngine.revokedAt answers: every open referral relying on one is withdrawn.
        let out = try referralsWithdrawForRevoked(referrals: [accepted, declined], revoked: ["c1"], at: at(30))
        XCTAssertEqual(out.map(\.id), ["r1"])
        XCTAssertEqual(out[0].state, .withdrawn(reason: .consentRevoked(consentId: "c1")))
        let actions = try referralDependentActions(referrals: [accepted, out[0]])
        XCTAssertEqual(actions.map(\.open), [true, false])
        XCTAssertEqual(refusedCode { try referralApply(referral: r, event: .complete, at: at(10), by: nil) },
                       "impossible_transition")
    }

    func testOverdueWorkAndItsWords() throws {
        let late = try referralsOverdue(referrals: [try proposed([redFlag, own])], now: at(240))
        XCTAssertEqual(late.count, 1)
        XCTAssertEqual(late[0].awaiting, .send)
        XCTAssertEqual(late[0].lateByMinutes, 60)
        XCTAssertEqual(late[0].dueAt, at(180))
        XCTAssertEqual(try renderAwaiting(awaiting: late[0].awaiting, locale: "en"), "not sent yet")
        XCTAssertTrue(try renderLateDeadline(late: late[0].late[0], locale: "en").hasPrefix("immediate danger"))
        XCTAssertEqual(try overdueReferralFromJson(json: try overdueReferralToJson(value: late[0])), late[0])
    }

    func testResponseTimesComposeWithThePrioritisationAndTheDirectory() throws {
        let p = try NeedsEngine().prioritise(assessment: try sampleLatestAssessment(caseId: "case-01"))
        let service = try sampleDirectory().services[0]
        let times = try responseTimesFor(prioritisation: p, need: p.items[0].domain, service: service)
        for t in times {
            switch t {
            case .redFlag, .service: break
            }
        }
        XCTAssertEqual(invalidPath { try responseTimesFor(prioritisation: p, need: "not_a_need", service: service) }, "need")
    }

    func testMergeOfTwoPhones() throws {
        let sent = try referralApply(referral: try proposed(), event: .send, at: at(10), by: nil)
        let accepted = try referralApply(referral: sent, event: .accept, at: at(20), by: nil)
        let withdrawn = try referralApply(referral: sent, event: .withdraw(reason: .personChangedMind), at: at(25), by: nil)
        let merged = try mergeReferrals(
            base: sent,
            ours: ReferralVersion(value: accepted, editedBy: "w1", editedAt: at(20)),
            theirs: ReferralVersion(value: withdrawn, editedBy: "w2", editedAt: at(25)),
            now: at(100))
        XCTAssertEqual(merged.referral.state, withdrawn.state)
        XCTAssertEqual(merged.conflicts.map(\.path), ["history"])
        XCTAssertEqual(try mergedReferralFromJson(json: try mergedReferralToJson(value: merged)), merged)
    }

    func testBatchAssignmentWithItsReasons() throws {
        let a = try assignSolve(problem: problem())
        XCTAssertEqual(a.totals.unitsPlaced, 2)
        let unplaced = a.cases.filter { if case .unassigned = $0.outcome { return true } else { return false } }
        XCTAssertEqual(unplaced.count, 1)
        guard case let .unassigned(_, shortfall) = unplaced[0].outcome else { return XCTFail("\(unplaced)") }
        switch shortfall {
        case .capacityExhausted, .outrankedByHigherPriority: break
        default: XCTFail("unexpected \(shortfall)")
        }
        XCTAssertEqual(try renderCaseOutcome(outcome: unplaced[0].outcome, locale: "en"), "not assigned (1 place(s) needed)")
        XCTAssertTrue(try renderShortfall(shortfall: shortfall, locale: "en").contains("eligible service"))
        let solved = try assignSolveWithStats(problem: problem())
        XCTAssertEqual(solved.assignment, a)
        XCTAssertEqual(try assignStatsFromJson(json: try assignStatsToJson(value: solved.stats)), solved.stats)
        XCTAssertEqual(try assignmentFromJson(json: try assignmentToJson(value: a)), a)
        XCTAssertEqual(try assignmentProblemFromJson(json: try assignmentProblemToJson(value: problem())), problem())
    }

    func testOneBadInputPerOperation() throws {
        let good = try proposed()
        var bad = good
        bad.consentIds = ["c1", ""]
        XCTAssertEqual(invalidPath { try referralToJson(value: bad) }, "consent_ids[1]")
        XCTAssertEqual(invalidPath { try proposed([.service(respondWithinMinutes: 0)]) },
                       "response_times[0].respond_within_minutes")
        XCTAssertEqual(invalidPath { try referralApply(referral: bad, event: .send, at: at(10), by: nil) }, "consent_ids[1]")
        XCTAssertEqual(invalidPath { try referralApply(referral: good, event: .send, at: at(10), by: " w1") }, "by")
        XCTAssertEqual(invalidPath { try referralsWithdrawForRevoked(referrals: [good], revoked: ["c1", ""], at: at(10)) },
                       "revoked[1]")
        XCTAssertEqual(invalidPath { try referralDependentActions(referrals: [good, bad]) }, "[1].consent_ids[1]")
        var future = good
        future.createdAt = at(100_000)
        XCTAssertEqual(invalidPath { try referralsOverdue(referrals: [good, future], now: at(10)) }, "[1].created_at")
        let ours = ReferralVersion(value: good, editedBy: nil, editedAt: at(6))
        XCTAssertEqual(
            invalidPath { try mergeReferrals(base: nil, ours: ours, theirs: ReferralVersion(value: future, editedBy: nil, editedAt: at(6)), now: at(10)) },
            "theirs.value.created_at")
        var other = good
        other.id = "r2"
        XCTAssertEqual(
            refusedCode { try mergeReferrals(base: nil, ours: ours, theirs: ReferralVersion(value: other, editedBy: nil, editedAt: at(6)), now: at(10)) },
            "different_records")
        XCTAssertEqual(invalidPath { try assignSolve(problem: problem(lastService: "nowhere")) }, "eligible[3].service")
        XCTAssertEqual(invalidPath { try assignSolveWithStats(problem: problem(lastService: "nowhere")) }, "eligible[3].service")
        // The same problem as JSON is refused with the same path.
        let json = try assignmentProblemToJson(value: problem())
            .replacingOccurrences(of: "\"c3\",\"service\":\"hostel\"", with: "\"c3\",\"service\":\"nowhere\"")
        XCTAssertEqual(invalidPath { try assignSolve(problem: try assignmentProblemFromJson(json: json)) }, "eligible[3].service")
        XCTAssertEqual(invalidPath { try renderAwaiting(awaiting: .send, locale: "xx") }, "locale")
        XCTAssertEqual(invalidPath { try renderShortfall(shortfall: .noEligibleService, locale: "") }, "locale")
        XCTAssertEqual(invalidPath { try renderCaseOutcome(outcome: .assigned(units: 1, cost: 0), locale: "klingon") }, "locale")
        let late = try referralsOverdue(referrals: [try proposed([redFlag])], now: at(240))[0].late[0]
        XCTAssertEqual(invalidPath { try renderLateDeadline(late: late, locale: "xx") }, "locale")
    }

    func testJsonPairsReadWhatTheyWrite() throws {
        let r = try proposed([redFlag, own])
        XCTAssertEqual(try referralFromJson(json: try referralToJson(value: r)), r)
        XCTAssertEqual(try referralEventFromJson(json: #"{"event": "send"}"#), .send)
        XCTAssertEqual(try referralEventToJson(value: .accept), #"{"event":"accept"}"#)
        XCTAssertEqual(try responseTimeFromJson(json: try responseTimeToJson(value: redFlag)), redFlag)
        XCTAssertNotNil(invalidPath { try referralEventFromJson(json: #"{"event": "send", "reason": "other"}"#) })
        let version = ReferralVersion(value: r, editedBy: nil, editedAt: at(6))
        XCTAssertEqual(try referralVersionFromJson(json: try referralVersionToJson(value: version)), version)
    }
}
