// XCTest tests of consent through the generated Swift bindings (module Beside), typed end to
// end: ledger -> decision (reasons as enums with their fields) -> audit log, minimisation,
// revocation -> withdrawals; rendering in a locale; offline merge; one bad input per operation
// (the typed error's path); JSON round trips.
import Foundation
import XCTest

@testable import Beside

private let now = Date(timeIntervalSince1970: 1_795_168_800)  // 2026-11-20T10:00:00Z
private let worker = "worker-bd-jsr-01"

private func ask(_ org: String, _ kind: OrganizationKind, _ categories: [DataCategory]) -> Question {
    Question(
        recipient: Recipient(organizationId: org, kind: kind), purpose: .serviceReferral,
        categories: categories, at: now)
}

private func ngoQuestion() -> Question {
    ask("org-bd-jsr-ngo-01", .ngo, [.identity, .contact])
}

private func case01() throws -> ConsentEngine {
    try ConsentEngine(ledger: try sampleLedger(caseId: "case-01"), now: now)
}

/// The path of the `BesideError.Invalid` that `body` throws (fails the test otherwise).
private func invalidPath(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        try body()
        XCTFail("expected BesideError.Invalid", file: file, line: line)
    } catch BesideError.Invalid(let path, _, _) {
        return path
    } catch {
        XCTFail("expected BesideError.Invalid, got \(error)", file: file, line: line)
    }
    return nil
}

/// The code of the `BesideError.Refused` that `body` throws.
private func refusedCode(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        try body()
        XCTFail("expected BesideError.Refused", file: file, line: line)
    } catch BesideError.Refused(let code, _, _) {
        return code
    } catch {
        XCTFail("expected BesideError.Refused, got \(error)", file: file, line: line)
    }
    return nil
}

final class ConsentTests: XCTestCase {
    func testTypedChain() throws {
        let engine = try case01()
        XCTAssertEqual(engine.caseId(), "case-01")
        let ngo = try engine.evaluate(question: ngoQuestion())
        XCTAssertEqual(ngo.outcome, .permit)
        XCTAssertEqual(ngo.permitted.map { $0.category }, [.identity, .contact])
        XCTAssertEqual(ngo.permitted[0].basis, .consent(records: ["consent-01-referral"]))

        let police = try engine.evaluate(question: ask("org-bd-police-01", .police, [.contact]))
        XCTAssertEqual(police.outcome, .deny)
        XCTAssertEqual(police.denied[0].reasons[0], .explicitRefusal(record: "refusal-01-police"))

        // the decision feeds the audit log and the minimiser as it is
        let trail = AuditTrail()
        XCTAssertEqual(try trail.recordDecision(at: now, actor: worker, decision: ngo).seq, 0)
        let map = FieldMap(rules: [
            FieldRule(path: "phone", category: .contact),
            FieldRule(path: "history", category: .traffickingHistory),
        ])
        let view = try consentMinimise(recordJson: #"{"phone":"+880","history":"x"}"#, fieldMap: map, decision: ngo)
        XCTAssertEqual(view.view, #"{"phone":"+880"}"#)
        XCTAssertEqual(view.removed.map { $0.path }, ["history"])

        // revocation: the open referral is withdrawn, the next decision denies
        let actions = [
            DependentAction(action: .referral(id: "ref-1"), reliedOn: ["consent-01-referral"], open: true),
            DependentAction(action: .referral(id: "ref-2"), reliedOn: ["consent-01-referral"], open: false),
        ]
        XCTAssertTrue(try engine.actionsToWithdraw(actions: actions, at: now).isEmpty)
        let revocation = try engine.revoke(recordId: "consent-01-referral", at: now, reason: "changed her mind", now: now)
        _ = try trail.append(at: now, actor: worker, event: .recordRevoked(id: "consent-01-referral", revocation: revocation))
        XCTAssertEqual(engine.revokedAt(at: now), ["consent-01-referral"])
        let withdrawn = try engine.actionsToWithdraw(actions: actions, at: now)
        XCTAssertEqual(withdrawn.map { $0.action }, [.referral(id: "ref-1")])
        XCTAssertEqual(try consentActionsToWithdraw(revoked: ["consent-01-referral"], actions: actions), withdrawn)
        let after = try engine.evaluate(question: ngoQuestion())
        XCTAssertEqual(after.outcome, .deny)
        XCTAssertEqual(after.denied[0].reasons[0], .revoked(record: "consent-01-referral", revokedAt: now))

        // the log verifies, stored and reloaded
        try trail.verify()
        try auditVerify(entries: trail.entries(), checkpoint: trail.checkpoint())
        XCTAssertEqual(try AuditTrail.fromEntries(entries: trail.entries(), checkpoint: trail.checkpoint()).len(), 2)

        // words are a separate call over the typed answer, in a locale
        XCTAssertTrue(try renderConsentDecision(decision: police, locale: "en").contains("police"))
        XCTAssertFalse(try renderConsentPhrases(phrases: engine.summary(at: now), locale: "en").isEmpty)
        XCTAssertTrue(try explainConsentDecision(decision: police)[0].key.hasPrefix("consent.outcome."))
    }

    func testEmergency() throws {
        let engine = try case01()
        var disclosure = EmergencyDisclosure(
            id: "ev-emergency-1", caseId: "case-01", declaredBy: worker,
            declaredAt: now.addingTimeInterval(-3600), justification: "Unconscious after a fall.")
        let q = ask("org-ambulance", .emergencyServices, [.health])
        XCTAssertEqual(try engine.evaluateEmergency(disclosure: disclosure, question: q, now: now).outcome, .permit)
        disclosure.caseId = "case-02"
        XCTAssertNotNil(invalidPath { _ = try engine.evaluateEmergency(disclosure: disclosure, question: q, now: now) })
    }

    func testMergeLedgers() throws {
        let ours = try sampleLedger(caseId: "case-01")
        var theirs = ours
        theirs.records = ours.records.filter { $0.id != "refusal-01-police" }
        let merged = try mergeLedgers(
            base: nil, ours: ours, oursEdit: Edit(by: nil, at: now), theirs: theirs,
            theirsEdit: Edit(by: worker, at: now), now: now)
        XCTAssertEqual(merged.ledger.records.count, ours.records.count)
        let other = try sampleLedger(caseId: "case-02")
        XCTAssertEqual(
            refusedCode {
                _ = try mergeLedgers(
                    base: nil, ours: ours, oursEdit: Edit(by: nil, at: now), theirs: other,
                    theirsEdit: Edit(by: nil, at: now), now: now)
            }, "different_records")
    }

    // ---- one bad input per operation: the typed error names the field ------------------------

    func testBadLedger() throws {
        var ledger = try sampleLedger(caseId: "case-01")
        ledger.records[0].id = " padded "
        XCTAssertEqual(invalidPath { _ = try ConsentEngine(ledger: ledger, now: now) }, "records[0].id")
    }

    func testBadRecordSamePathAsJson() throws {
        let engine = try case01()
        var record = try sampleLedger(caseId: "case-01").records[0]
        XCTAssertEqual(invalidPath { try engine.add(record: record, now: now) }, "id")  // the same id again
        let json = try consentRecordToJson(value: record)
            .replacingOccurrences(of: "\"id\":\"\(record.id)\"", with: "\"id\":\"\"")
        record.id = ""
        let typed = invalidPath { try engine.add(record: record, now: now) }
        XCTAssertEqual(typed, "id")
        XCTAssertEqual(invalidPath { _ = try consentRecordFromJson(json: json) }, typed)
    }

    func testBadQuestion() throws {
        let engine = try case01()
        XCTAssertEqual(
            invalidPath { _ = try engine.evaluate(question: ask("", .ngo, [.contact])) },
            "recipient.organization_id")
    }

    func testBadRevocation() throws {
        let engine = try case01()
        XCTAssertEqual(invalidPath { _ = try engine.revoke(recordId: " x", at: now, reason: "why", now: now) }, "record_id")
        do {
            _ = try engine.revoke(recordId: "no-such-record", at: now, reason: "x", now: now)
            XCTFail("expected NotFound")
        } catch BesideError.NotFound(_, let id, _) {
            XCTAssertEqual(id, "no-such-record")
        }
        _ = try engine.revoke(recordId: "consent-01-referral", at: now, reason: "x", now: now)
        XCTAssertEqual(
            refusedCode { _ = try engine.revoke(recordId: "consent-01-referral", at: now, reason: "again", now: now) },
            "already_revoked")
    }

    func testBadActions() throws {
        let engine = try case01()
        let bad = [DependentAction(action: .referral(id: ""), reliedOn: [], open: true)]
        // an internally tagged enum's inner field is named by the enum, as in JSON
        XCTAssertEqual(invalidPath { _ = try engine.actionsToWithdraw(actions: bad, at: now) }, "[0].action")
        XCTAssertEqual(invalidPath { _ = try consentActionsToWithdraw(revoked: [""], actions: []) }, "[0]")
    }

    func testBadMinimiseAndLocale() throws {
        let d = try case01().evaluate(question: ngoQuestion())
        XCTAssertNotNil(invalidPath { _ = try consentMinimise(recordJson: "{not json", fieldMap: FieldMap(rules: []), decision: d) })
        XCTAssertEqual(invalidPath { _ = try renderConsentDecision(decision: d, locale: "xx") }, "locale")
    }

    func testBadAudit() throws {
        let trail = AuditTrail()
        _ = try trail.recordDecision(at: now, actor: nil, decision: try case01().evaluate(question: ngoQuestion()))
        let event = AuditEvent.recordRevoked(id: "c-1", revocation: Revocation(at: now, reason: "asked"))
        XCTAssertEqual(invalidPath { _ = try trail.append(at: now, actor: "two\tlines", event: event) }, "actor")
        XCTAssertEqual(invalidPath { _ = try trail.append(at: now.addingTimeInterval(-86_400), actor: nil, event: event) }, "at")
        XCTAssertEqual(trail.len(), 1)
        var entries = trail.entries()
        entries[0].prevHash = String(repeating: "0", count: 63) + "1"
        do {
            try auditVerify(entries: entries, checkpoint: nil)
            XCTFail("expected chain_broken")
        } catch BesideError.Refused(let code, _, let errorJson) {
            XCTAssertEqual(code, "chain_broken")
            let problem = try chainBrokenFromJson(json: errorJson)
            XCTAssertEqual(problem.index, 0)
            guard case .brokenLink = problem.problem else { return XCTFail("expected brokenLink") }
            XCTAssertFalse(try renderChainBroken(broken: problem, locale: "en").isEmpty)
        }
        XCTAssertNotNil(refusedCode { _ = try AuditTrail.fromEntries(entries: entries, checkpoint: nil) })
    }

    func testUnknownSample() {
        XCTAssertThrowsError(try ConsentEngine.sample(caseId: "case-404"))
        XCTAssertThrowsError(try sampleLedger(caseId: "case-404"))
    }

    // ---- JSON stays the interchange format ------------------------------------------------------

    func testJsonRoundTrips() throws {
        let engine = try case01()
        let ledger = engine.ledger()
        XCTAssertEqual(try consentLedgerFromJson(json: try consentLedgerToJson(value: ledger)), ledger)
        let d = try engine.evaluate(question: ngoQuestion())
        let text = try consentDecisionToJson(value: d)
        XCTAssertTrue(text.contains(#""outcome":"permit""#))
        XCTAssertEqual(try consentDecisionFromJson(json: text), d)
        let record = try sampleConsents()[0]
        XCTAssertEqual(try consentRecordFromJson(json: try consentRecordToJson(value: record)), record)
        let trail = AuditTrail()
        _ = try trail.recordDecision(at: now, actor: worker, decision: d)
        let log = try auditLogFromJson(json: try auditLogToJson(value: trail.log()))
        XCTAssertEqual(try AuditTrail.fromLog(log: log).checkpoint(), trail.checkpoint())
    }
}
