// XCTest tests of the generated Swift bindings (module Beside): every exported function and
// method, typed and JSON forms, and failing calls asserting the typed BesideError cases.
import Foundation
import XCTest

@testable import Beside

let when = Date(timeIntervalSince1970: 1_795_168_800)  // 2026-11-20T10:00:00Z

func sampleAssessment(id: String = "a-1", caseId: String = "case-01", at: Date = Date(timeIntervalSince1970: 1_740_819_600)) -> AssessmentInput {
    AssessmentInput(
        id: id, caseId: caseId, assessedAt: at, assessedBy: "worker-1",
        ratings: [
            DomainRatingInput(domain: "food", rating: .level(level: 1)),
            DomainRatingInput(domain: "livelihood", rating: .level(level: 2)),
            DomainRatingInput(domain: "legal", rating: .declined),
            DomainRatingInput(domain: "mental_health", rating: .level(level: 2)),
        ],
        redFlags: [.untreatedInjury], ownPriorities: ["livelihood"], notNow: ["mental_health"])
}

func question(_ org: String, _ kind: String, _ categories: [String]) -> ConsentQuestionInput {
    ConsentQuestionInput(organizationId: org, recipientKind: kind, purpose: "service_referral", categories: categories, at: when)
}

func firstObject(_ jsonArray: String) throws -> String {
    let list = try JSONSerialization.jsonObject(with: Data(jsonArray.utf8)) as! [Any]
    return String(decoding: try JSONSerialization.data(withJSONObject: list[0]), as: UTF8.self)
}

final class CoreTests: XCTestCase {
    func testVersionAndTimestamps() throws {
        XCTAssertEqual(version(), "0.1.0")
        let t = Date(timeIntervalSince1970: 1_740_819_600.5)
        XCTAssertEqual(formatTimestamp(at: t), "2025-03-01T09:00:00.500Z")
        XCTAssertEqual(try parseTimestamp(text: "2025-03-01T09:00:00.5Z"), t)
        XCTAssertThrowsError(try parseTimestamp(text: "yesterday")) { error in
            guard case let BesideError.Invalid(_, reason, detail, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(reason, "invalid")
            XCTAssertTrue(detail.contains("yesterday"))
        }
    }

    func testLabelsAndSamples() throws {
        XCTAssertTrue(try englishLabelsJson().contains("\"consent."))
        XCTAssertTrue(sampleCasesJson().contains("case-14"))
        XCTAssertTrue(sampleAssessmentsJson().contains("asmt-01-1"))
        XCTAssertTrue(try sampleAssessmentsOfJson(caseId: "case-01").contains("asmt-01-2"))
        XCTAssertTrue(sampleConsentsJson().contains("refusal-01-police"))
        XCTAssertTrue(try sampleLedgerJson(caseId: "case-01").contains("\"subject\""))
        XCTAssertTrue(sampleJourneysJson().contains("case-07"))
        XCTAssertTrue(sampleDirectoryJson().contains("organizations"))
        XCTAssertThrowsError(try sampleLedgerJson(caseId: "case-404"))
    }
}

final class NeedsTests: XCTestCase {
    let engine = NeedsEngine()

    func testEngine() throws {
        XCTAssertEqual(engine.domainCount(), 16)
        XCTAssertEqual(engine.domains().count, 16)
        XCTAssertEqual(try NeedsEngine.fromJson(modelJson: try engine.modelJson()).domains(), engine.domains())
        XCTAssertThrowsError(try NeedsEngine.fromJson(modelJson: "{\"catalogue\": {\"domains\": []}}"))
    }

    func testPrioritise() throws {
        let p = try engine.prioritise(assessment: sampleAssessment())
        XCTAssertEqual(p.caseId, "case-01")
        XCTAssertEqual(p.items.first?.urgency, .redFlag)
        XCTAssertTrue(p.items.first!.reasons.contains { if case .redFlagRaised = $0 { return true } else { return false } })
        XCTAssertFalse(p.items.first { $0.domain == "mental_health" }!.referable)
        XCTAssertEqual(p.notRated.map { $0.domain }, ["legal"])
        let one = try firstObject(try sampleAssessmentsOfJson(caseId: "case-01"))
        let json = try engine.prioritiseJson(assessmentJson: one)
        XCTAssertTrue(json.contains("\"items\""))
        XCTAssertFalse(try engine.englishLinesJson(prioritisationJson: json).isEmpty)
        try engine.validateAssessmentJson(assessmentJson: one, now: when)
    }

    func testBatchesAndCompare() throws {
        let all = sampleAssessmentsJson()
        XCTAssertTrue(try engine.prioritiseBatchJson(assessmentsJson: all).contains("asmt-01-1"))
        XCTAssertTrue(try engine.summariseJson(assessmentsJson: all).contains("\"rejected\":0"))
        XCTAssertEqual(try engine.summariseBatchJson(assessmentsJson: all).assessments, 16)
        XCTAssertEqual(try engine.prioritiseBatch(assessments: [sampleAssessment(id: "a-1"), sampleAssessment(id: "a-2")]).map { $0.assessmentId }, ["a-1", "a-2"])
        let s = engine.summarise(assessments: [sampleAssessment(), sampleAssessment(id: "")])
        XCTAssertEqual(s.rejected, 1)
        let later = sampleAssessment(id: "a-2", at: Date(timeIntervalSince1970: 1_743_498_000))
        XCTAssertEqual(try engine.compare(before: sampleAssessment(), after: later).daysBetween, 31)
        let before = "{\"id\":\"b\",\"case_id\":\"case-01\",\"assessed_at\":\"2025-01-01T00:00:00Z\",\"assessed_by\":\"w\",\"ratings\":[{\"domain\":\"food\",\"rating\":{\"level\":3}}]}"
        let after = before.replacingOccurrences(of: "\"b\"", with: "\"c\"").replacingOccurrences(of: "2025-01-01", with: "2025-02-01").replacingOccurrences(of: "{\"level\":3}", with: "{\"level\":1}")
        XCTAssertTrue(try engine.compareJson(beforeJson: before, afterJson: after).contains("\"setbacks\":1"))
        XCTAssertThrowsError(try engine.compare(before: sampleAssessment(), after: sampleAssessment(id: "a-2", caseId: "case-02"))) { error in
            guard case let BesideError.Refused(code, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(code, "different_cases")
        }
    }

    func testTypedErrors() {
        XCTAssertThrowsError(try engine.prioritiseJson(assessmentJson: "{\"id\":\"a\",\"case_id\":\"c\",\"assessed_at\":\"2025-01-01T00:00:00Z\",\"assessed_by\":\"w\",\"ratings\":[{\"domain\":\"unicorns\",\"rating\":{\"level\":1}}]}")) { error in
            guard case let BesideError.Invalid(path, reason, _, errorsJson) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(path, "ratings[0].domain")
            XCTAssertEqual(reason, "unknown")
            XCTAssertTrue(errorsJson.contains("\"known\""))
        }
        var bad = sampleAssessment()
        bad.ratings = [DomainRatingInput(domain: "food", rating: .level(level: 9))]
        XCTAssertThrowsError(try engine.prioritise(assessment: bad)) { error in
            guard case let BesideError.Invalid(path, _, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(path, "ratings[0].rating")
        }
        XCTAssertThrowsError(try engine.prioritiseBatch(assessments: [sampleAssessment(), bad]))
        XCTAssertThrowsError(try engine.prioritiseJson(assessmentJson: "{not json"))
    }
}

final class ConsentTests: XCTestCase {
    func testEvaluate() throws {
        let ledger = try ConsentEngine.sample(caseId: "case-01")
        XCTAssertEqual(ledger.caseId(), "case-01")
        XCTAssertEqual(try ConsentEngine.fromJson(ledgerJson: try ledger.ledgerJson(), now: when).recordIds(), ledger.recordIds())
        let ngo = try ledger.evaluate(question: question("org-bd-jsr-ngo-01", "ngo", ["identity", "contact"]))
        XCTAssertEqual(ngo.outcome, .permit)
        XCTAssertEqual(ngo.permitted.first?.records, ["consent-01-referral"])
        let police = try ledger.evaluate(question: question("org-bd-police-01", "police", ["contact"]))
        XCTAssertEqual(police.outcome, .deny)
        XCTAssertEqual(police.denied.first?.reasons.first?.code, "explicit_refusal")
        let q = "{\"recipient\":{\"organization_id\":\"org-bd-police-01\",\"kind\":\"police\"},\"purpose\":\"service_referral\",\"categories\":[\"contact\"],\"at\":\"2026-11-20T10:00:00Z\"}"
        XCTAssertEqual(try ledger.evaluateJson(questionJson: q), police.decisionJson)
        XCTAssertTrue(try consentExplainJson(decisionJson: police.decisionJson).contains("consent.outcome.deny"))
        XCTAssertThrowsError(try ledger.evaluate(question: question("org-1", "martians", ["contact"]))) { error in
            guard case let BesideError.Invalid(path, _, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(path, "recipient.kind")
        }
    }

    func testEmergencyRevocationSummary() throws {
        let ledger = try ConsentEngine.sample(caseId: "case-01")
        let disclosure = "{\"id\":\"ev-emergency-1\",\"case_id\":\"case-01\",\"declared_by\":\"worker-bd-jsr-01\",\"declared_at\":\"2026-11-20T09:00:00Z\",\"justification\":\"Unconscious after a fall.\"}"
        let v = try ledger.evaluateEmergency(disclosureJson: disclosure, question: question("org-amb", "emergency_services", ["health"]), now: when)
        XCTAssertEqual(v.outcome, .permit)
        let q = "{\"recipient\":{\"organization_id\":\"org-amb\",\"kind\":\"emergency_services\"},\"purpose\":\"service_referral\",\"categories\":[\"health\"],\"at\":\"2026-11-20T10:00:00Z\"}"
        XCTAssertEqual(try ledger.evaluateEmergencyJson(disclosureJson: disclosure, questionJson: q, now: when), v.decisionJson)
        XCTAssertFalse(ledger.summary(at: when).isEmpty)
        XCTAssertTrue(try ledger.summaryJson(at: when).contains("\"key\""))
        let actions = "[{\"action\":{\"kind\":\"referral\",\"id\":\"ref-1\"},\"relied_on\":[\"consent-01-referral\"],\"open\":true}]"
        XCTAssertEqual(try ledger.actionsToWithdrawJson(actionsJson: actions, at: when), "[]")
        _ = try ledger.revoke(recordId: "consent-01-referral", at: when, reason: "changed her mind", now: when)
        XCTAssertEqual(ledger.revokedAt(at: when), ["consent-01-referral"])
        XCTAssertTrue(try ledger.actionsToWithdrawJson(actionsJson: actions, at: when).contains("ref-1"))
        XCTAssertTrue(try consentActionsToWithdrawJson(revokedJson: "[\"consent-01-referral\"]", actionsJson: actions).contains("ref-1"))
        XCTAssertThrowsError(try ledger.revoke(recordId: "consent-01-referral", at: when, reason: "x", now: when)) { error in
            guard case let BesideError.Refused(code, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(code, "already_revoked")
        }
        XCTAssertThrowsError(try ledger.revoke(recordId: "nope", at: when, reason: "x", now: when)) { error in
            guard case let BesideError.NotFound(_, id, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(id, "nope")
        }
        let record = "{\"id\": \"consent-01-extra\", \"case_id\": \"case-01\", \"kind\": \"consent\", \"given_by\": {\"by\": \"person\"}, \"purposes\": [\"service_referral\"], \"recipients\": [{\"scope\": \"kind\", \"kind\": \"ngo\"}], \"categories\": [\"contact\"], \"granted_at\": \"2025-02-03T10:00:00Z\", \"method\": \"thumbprint\", \"explained_in\": \"bn\"}"
        try ledger.addJson(recordJson: record, now: when)
        XCTAssertTrue(ledger.recordIds().contains("consent-01-extra"))
        XCTAssertThrowsError(try ledger.addJson(recordJson: record, now: when))
    }

    func testMinimiseAndAudit() throws {
        let ledger = try ConsentEngine.sample(caseId: "case-01")
        let v = try ledger.evaluate(question: question("org-bd-jsr-ngo-01", "ngo", ["contact"]))
        let view = try consentMinimiseJson(recordJson: "{\"phone\":\"+880\",\"history\":\"x\"}",
            fieldMapJson: "{\"rules\":[{\"path\":\"phone\",\"category\":\"contact\"},{\"path\":\"history\",\"category\":\"trafficking_history\"}]}",
            decisionJson: v.decisionJson)
        XCTAssertTrue(view.contains("phone"))
        let trail = AuditTrail()
        XCTAssertTrue(trail.isEmpty())
        _ = try trail.recordDecisionJson(at: when, actor: "worker-bd-jsr-01", decisionJson: v.decisionJson)
        _ = try trail.appendJson(at: when, actor: nil, eventJson: "{\"event\":\"record_revoked\",\"id\":\"consent-01-referral\",\"revocation\":{\"at\":\"2026-11-20T10:00:00Z\",\"reason\":\"asked\"}}")
        XCTAssertEqual(trail.len(), 2)
        try trail.verify()
        try auditVerifyJson(entriesJson: try trail.entriesJson(), checkpointJson: try trail.checkpointJson())
        XCTAssertEqual(try AuditTrail.fromJson(entriesJson: try trail.entriesJson(), checkpointJson: "").len(), 2)
        let tampered = try trail.entriesJson().replacingOccurrences(of: "org-bd-jsr-ngo-01", with: "org-bd-jsr-ngo-02")
        XCTAssertThrowsError(try auditVerifyJson(entriesJson: tampered, checkpointJson: "")) { error in
            guard case let BesideError.Refused(code, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(code, "chain_broken")
        }
    }
}

final class ReintegrationTests: XCTestCase {
    func testTrajectoryJourneyRiskCohort() throws {
        let engine = ReintegrationEngine()
        let assessments = try sampleAssessmentsOfJson(caseId: "case-01")
        let t = try engine.trajectory(assessmentsJson: assessments, eventsJson: "", riskJson: "", now: when)
        XCTAssertEqual(t.caseId, "case-01")
        XCTAssertGreaterThanOrEqual(t.setbacks, 1)
        XCTAssertNil(t.riskLevel)
        XCTAssertEqual(try engine.trajectoryJson(assessmentsJson: assessments, eventsJson: "", riskJson: "", now: when), t.trajectoryJson)
        XCTAssertEqual(try ReintegrationEngine.iom().trajectory(assessmentsJson: assessments, eventsJson: "", riskJson: "", now: when).trends.count, 3)
        XCTAssertEqual(try ReintegrationEngine.fromJson(configJson: try engine.configJson()).configJson(), try engine.configJson())
        let risk = "{\"case_id\": \"case-01\", \"recorded_on\": \"2025-11-05\", \"debts\": [{\"creditor\": \"broker\", \"amount\": 6500000, \"currency\": \"BDT\"}], \"income\": \"irregular\", \"family_pressure\": \"some\", \"stigma_or_isolation\": \"both\", \"migration_intention\": \"considering\", \"broker_contact\": \"recent\"}"
        XCTAssertTrue(try engine.riskJson(riskInputsJson: risk).contains("\"level\""))
        XCTAssertNotNil(try engine.trajectory(assessmentsJson: assessments, eventsJson: "", riskJson: risk, now: when).riskLevel)
        let journeys = try JSONSerialization.jsonObject(with: Data(sampleJourneysJson().utf8)) as! [Any]
        let journey = String(decoding: try JSONSerialization.data(withJSONObject: journeys[0]), as: UTF8.self)
        XCTAssertFalse(try engine.journeyJson(timelineJson: journey, now: when).isEmpty)
        let c = try engine.cohortCaseJson(trajectoryJson: t.trajectoryJson, statisticsConsent: true)
        XCTAssertFalse(try cohortSummaryJson(casesJson: "[" + Array(repeating: c, count: 12).joined(separator: ",") + "]", configJson: "").isEmpty)
        XCTAssertThrowsError(try engine.trajectory(assessmentsJson: "[]", eventsJson: "", riskJson: "", now: when)) { error in
            guard case let BesideError.Invalid(path, _, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(path, "assessments")
        }
    }
}

final class ReferralTests: XCTestCase {
    func request(_ caseId: String = "case-01", _ needs: [String] = ["food", "shelter", "mental_health"]) throws -> String {
        try matchRequestJson(caseJson: try sampleCaseJson(caseId: caseId), needs: needs, at: when)
    }

    func testDirectoryRoundTrips() throws {
        let dir = try ReferralDirectory.sample()
        XCTAssertEqual(dir.serviceCount(), 100)
        XCTAssertEqual(dir.organizationCount(), 80)
        XCTAssertTrue(dir.domains().contains("food"))
        XCTAssertEqual(try ReferralDirectory.fromJson(directoryJson: try dir.directoryJson()).serviceCount(), 100)
        let hsds = try dir.hsdsJson()
        XCTAssertTrue(try hsdsImportJson(hsdsJson: hsds, optionsJson: "").contains("\"complete\":true"))
        XCTAssertEqual(try ReferralDirectory.fromHsdsJson(hsdsJson: hsds, optionsJson: "").serviceCount(), 100)
        XCTAssertEqual(try hsdsExportJson(directoryJson: try dir.directoryJson()), hsds)
    }

    func testMatchPlanGaps() throws {
        let dir = try ReferralDirectory.sample()
        let req = try request()
        let ledger = try ConsentEngine.sample(caseId: "case-01")
        let m = try dir.matchCase(requestJson: req, configJson: "", consent: ledger)
        XCTAssertTrue(m.consentChecked)
        XCTAssertEqual(m.needs.map { $0.domain }, ["food", "shelter", "mental_health"])
        for need in m.needs {
            XCTAssertEqual(need.candidates.map { $0.score }, need.candidates.map { $0.score }.sorted(by: >))
            for c in need.candidates {
                XCTAssertEqual(c.factors.map { $0.points }.reduce(0, +), c.score, accuracy: 1e-9)
            }
        }
        XCTAssertTrue(try dir.matchCaseJson(requestJson: req, configJson: "", consent: nil).contains("\"consent_checked\":false"))
        XCTAssertThrowsError(try dir.matchCase(requestJson: req, configJson: "", consent: try ConsentEngine.sample(caseId: "case-02"))) { error in
            guard case let BesideError.Refused(code, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(code, "different_cases")
        }
        let prioritisation = try NeedsEngine().prioritiseJson(assessmentJson: try sampleLatestAssessmentJson(caseId: "case-01"))
        let plan = try dir.plan(prioritisationJson: prioritisation, requestJson: req, consent: ledger)
        XCTAssertEqual(plan.steps.map { $0.step }, Array(1...UInt32(plan.steps.count)))
        XCTAssertTrue(try dir.planJson(prioritisationJson: prioritisation, requestJson: req, consent: nil).contains("\"steps\""))
        let rows = try dir.gaps(queryJson: "{\"areas\": [[\"BD\", \"Khulna\", \"Jashore\"]], \"needs\": [\"food\", \"legal\"]}")
        XCTAssertEqual(rows.map { $0.domain }, ["food", "legal"])
        XCTAssertTrue(rows.allSatisfy { $0.reachable <= $0.listed })
        XCTAssertTrue(try dir.gapsJson(queryJson: "{\"areas\": [[\"BD\", \"Khulna\", \"Jashore\"]], \"needs\": [\"food\"]}").contains("\"reachable\""))
        XCTAssertTrue(try dir.unmetNeedsJson(requestsJson: "[\(req)]", depth: 2).contains("\"people\":1"))
        XCTAssertThrowsError(try sampleCaseJson(caseId: "case-99")) { error in
            guard case let BesideError.NotFound(what, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(what, "case")
        }
    }

    func testLifecycleAndAssignment() throws {
        let referral = "{\"id\": \"ref-1\", \"case_id\": \"case-01\", \"need\": \"food\", \"service_id\": \"svc-1\", \"organization_id\": \"org-1\", \"consent_ids\": [\"consent-01-referral\"], \"created_at\": \"2026-11-20T09:00:00Z\", \"state\": {\"state\": \"proposed\"}}"
        let sent = try referralApply(referralJson: referral, eventJson: "{\"event\": \"send\"}", at: when, by: "worker-1")
        XCTAssertEqual(sent.state, "sent")
        XCTAssertTrue(try referralApplyJson(referralJson: referral, eventJson: "{\"event\": \"send\"}", at: when, by: nil).contains("\"state\":\"sent\""))
        XCTAssertTrue(try referralsWithdrawForRevokedJson(referralsJson: "[\(sent.referralJson)]", revokedConsentId: "consent-01-referral", at: when).contains("withdrawn"))
        XCTAssertThrowsError(try referralApply(referralJson: sent.referralJson, eventJson: "{\"event\": \"complete\"}", at: when, by: nil)) { error in
            guard case let BesideError.Refused(code, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(code, "impossible_transition")
        }
        let problem = "{\"cases\": [{\"id\": \"c1\", \"weight\": 2}, {\"id\": \"c2\"}], \"services\": [{\"id\": \"s1\", \"capacity\": 1}], \"eligible\": [{\"case\": \"c1\", \"service\": \"s1\", \"cost\": 5}, {\"case\": \"c2\", \"service\": \"s1\", \"cost\": 1}]}"
        let a = try assignSolve(problemJson: problem)
        XCTAssertEqual(a.unitsPlaced, 1)
        XCTAssertEqual(a.placements.first { $0.caseId == "c1" }?.services, ["s1"])
        XCTAssertTrue(try assignSolveJson(problemJson: problem).contains("\"total_cost\":5"))
        XCTAssertThrowsError(try assignSolve(problemJson: problem.replacingOccurrences(of: "\"capacity\": 1", with: "\"capacity\": -1"))) { error in
            guard case let BesideError.Invalid(path, _, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(path, "services[0].capacity")
        }
    }
}

final class PackedNeedsTests: XCTestCase {
    func testPackedBatchMatchesRecordsAndNamesBadRows() throws {
        let engine = NeedsEngine()
        let packed = try engine.packJson(assessmentsJson: sampleAssessmentsJson())
        XCTAssertEqual(packed.width, 16)
        let ranked = try engine.rankPacked(batch: packed)
        XCTAssertEqual(UInt32(packed.redFlags.count), ranked.rows)
        let domains = engine.domains()
        let entries = [UInt8](ranked.entries)
        let first = try engine.prioritisePackedRow(batch: packed, row: 0, assessmentId: "a-1", caseId: "case-01", assessedAt: when)
        let order = (0..<Int([UInt8](ranked.lens)[0])).map { domains[Int(entries[8 * $0])] }
        XCTAssertEqual(first.items.map { $0.domain }, order)
        XCTAssertEqual(try engine.summarisePacked(batch: packed).assessments, UInt64(ranked.rows))
        var ratings = [UInt8](packed.ratings)
        ratings[5] = 9
        let bad = PackedAssessments(width: packed.width, ratings: Data(ratings), ownRanks: packed.ownRanks, notNow: packed.notNow, redFlags: packed.redFlags)
        XCTAssertThrowsError(try engine.rankPacked(batch: bad)) { error in
            guard case let BesideError.Invalid(path, _, _, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(path, "rows[0].ratings[5]")
        }
    }
}
