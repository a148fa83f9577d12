// XCTest of referral matching and the directory through the generated Swift bindings: the typed
// chain (case + prioritisation -> request -> match and plan with the case's consent ledger;
// gaps; unmet need; HSDS), exclusions as enums with their figures, words with a locale, JSON
// pairs, and one bad input per operation with the typed error's path.
import Beside
import Foundation
import XCTest

final class ReferralTests: XCTestCase {
    private func at() throws -> Date { try parseTimestamp(text: "2026-11-20T10:00:00Z") }

    private func prioritisation(_ caseId: String) throws -> Prioritisation {
        try NeedsEngine().prioritise(assessment: try sampleLatestAssessment(caseId: caseId))
    }

    private func request(_ caseId: String = "case-01") throws -> MatchRequest {
        try matchRequest(caseProfile: try sampleCase(caseId: caseId), prioritisation: try prioritisation(caseId), at: try at())
    }

    /// The path of a `BesideError.Invalid`, or a failure naming what came instead.
    private func invalidPath(_ body: () throws -> Void) -> String? {
        do {
            try body()
            XCTFail("expected BesideError.Invalid")
        } catch let BesideError.Invalid(path, _, _) {
            return path
        } catch {
            XCTFail("expected BesideError.Invalid, got \(error)")
        }
        return nil
    }

    /// The code of a `BesideError.Refused`, or a failure naming what came instead.
    private func refusedCode(_ body: () throws -> Void) -> String? {
        do {
            try body()
            XCTFail("expected BesideError.Refused")
        } catch let BesideError.Refused(code, _, _) {
            return code
        } catch {
            XCTFail("expected BesideError.Refused, got \(error)")
        }
        return nil
    }

    func testTypedChain() throws {
        let directory = try ReferralDirectory.sample()
        XCTAssertEqual(directory.serviceCount(), 100)
        XCTAssertEqual(directory.organizationCount(), 80)
        XCTAssertTrue(directory.domains().contains("food"))
        let prio = try prioritisation("case-01")
        let req = try matchRequest(caseProfile: try sampleCase(caseId: "case-01"), prioritisation: prio, at: try at())
        XCTAssertEqual(req.needs, prio.items.filter { $0.referable }.map { $0.domain })
        let ledger = try ConsentEngine.sample(caseId: "case-01")
        let result = try directory.matchCase(request: req, consent: ledger)
        XCTAssertTrue(result.consentChecked)
        XCTAssertEqual(result.needs.map { $0.domain }, req.needs)
        for need in result.needs {
            let scores = need.candidates.map { $0.score }
            XCTAssertEqual(scores, scores.sorted(by: >))
            for c in need.candidates {
                XCTAssertEqual(c.factors.count, 6)
                XCTAssertEqual(c.factors.map { $0.points }.reduce(0, +), c.score, accuracy: 1e-9)
            }
        }
        let best = try XCTUnwrap(result.needs.flatMap { $0.candidates }.first)
        XCTAssertGreaterThanOrEqual(try renderCandidate(candidate: best, locale: "en").count, 6)
        let plan = try directory.plan(prioritisation: prio, request: req, consent: ledger)
        XCTAssertTrue(plan.consentChecked && !plan.steps.isEmpty)
        XCTAssertEqual(plan.steps.map { $0.step }, (0..<plan.steps.count).map { UInt32($0 + 1) })
        for step in plan.steps {
            XCTAssertFalse(try renderChoiceReason(reason: step.reason, locale: "en").isEmpty)
        }
        for left in plan.leftOut {
            XCTAssertFalse(try renderLeftOutReason(reason: left.reason, locale: "en").isEmpty)
        }
    }

    func testAConfidentialShelterIsMatchedWithoutItsWhereabouts() throws {
        let directory = try ReferralDirectory.sample()
        let shelter = try XCTUnwrap(directory.directory().locations.first { $0.confidential != nil })
        let coordinates = try XCTUnwrap(shelter.coordinates)
        let address = try XCTUnwrap(shelter.address)
        var req = try request()
        req.needs = ["shelter"]
        XCTAssertEqual(req.viewer, .public) // the safe default
        let result = try directory.matchCase(request: req, consent: nil)
        let text = try matchResultToJson(value: result)
        for secret in ["\(coordinates.latitude)", "\(coordinates.longitude)", address] {
            XCTAssertFalse(text.contains(secret), secret)
        }
        let c = try XCTUnwrap(result.needs[0].candidates.first { $0.organizationId == shelter.organizationId })
        XCTAssertNil(c.distanceKm)
        XCTAssertNotNil(c.withheld?.distanceBand)
        XCTAssertTrue(try renderCandidate(candidate: c, locale: "en").last?.hasPrefix("a confidential place") ?? false)
        XCTAssertFalse(try maySeeWhereabouts(location: shelter, viewer: .public))
        // The organisation it is disclosed to sees the exact distance.
        let office = Viewer.organization(id: try XCTUnwrap(shelter.confidential?.disclosedTo.first))
        XCTAssertTrue(try maySeeWhereabouts(location: shelter, viewer: office))
        req.viewer = office
        let e = try XCTUnwrap(try directory.matchCase(request: req, consent: nil).needs[0].candidates
            .first { $0.organizationId == shelter.organizationId })
        XCTAssertNil(e.withheld)
        XCTAssertGreaterThan(try XCTUnwrap(e.distanceKm), 0)
        XCTAssertFalse(try directory.hsdsExport().contains(address))
    }

    func testExclusionsCarryTheirFigures() throws {
        let directory = try ReferralDirectory.sample()
        var req = try request()
        req.travelLimitKm = 1.0
        let result = try directory.matchCase(request: req, consent: nil)
        XCTAssertFalse(result.consentChecked)
        let beyond = result.needs.flatMap { $0.nearMisses }.compactMap { miss -> (Double, Double)? in
            if case let .beyondTravelLimit(distanceKm, limitKm) = miss.exclusion { return (distanceKm, limitKm) }
            return nil
        }
        let (distanceKm, limitKm) = try XCTUnwrap(beyond.first)
        XCTAssertEqual(limitKm, 1.0)
        XCTAssertGreaterThan(distanceKm, 1.0)
        let words = try renderExclusion(exclusion: .beyondTravelLimit(distanceKm: distanceKm, limitKm: limitKm), locale: "en")
        XCTAssertTrue(words.contains("1.0 km"), words)
        XCTAssertTrue(result.needs.flatMap { $0.exclusions }.contains { $0.code == .beyondTravelLimit })
    }

    func testAVetoAlwaysWins() throws {
        let directory = try ReferralDirectory.sample()
        var req = try request()
        req.needs = ["food"]
        let top = try XCTUnwrap(try directory.matchCase(request: req, consent: nil).needs.first?.candidates.first)
        req.vetoes = [.organization(id: top.organizationId)]
        let again = try XCTUnwrap(try directory.matchCase(request: req, consent: nil).needs.first)
        XCTAssertFalse(again.candidates.contains { $0.serviceId == top.serviceId })
        XCTAssertTrue(again.exclusions.contains { $0.code == .vetoed && $0.count >= 1 })
    }

    func testGapsAndUnmetNeed() throws {
        let directory = try ReferralDirectory.sample()
        let query = GapQuery(areas: [["BD", "Khulna", "Jashore"], ["KH", "Battambang"]], needs: ["food", "legal"], languages: [])
        let rows = try directory.gaps(query: query)
        XCTAssertEqual(rows.map { "\($0.area.last ?? "")/\($0.domain)" },
                       ["Jashore/food", "Jashore/legal", "Battambang/food", "Battambang/legal"])
        XCTAssertTrue(rows.allSatisfy { $0.reachable <= $0.listed })
        XCTAssertTrue(try renderAreaNeedGap(gap: rows[0], locale: "en").contains(" in "))
        XCTAssertEqual(try renderPaperReason(reason: .requiresCourtOrder, locale: "en"), "only with a court order")
        let unmet = try directory.unmetNeeds(requests: [try request("case-01"), try request("case-02")], depth: 2)
        XCTAssertFalse(unmet.isEmpty)
        XCTAssertTrue(unmet.allSatisfy { $0.unmet <= $0.people })
    }

    func testHsdsAndJsonRoundTrips() throws {
        let directory = try ReferralDirectory.sample()
        // The keeper's export: the confidential shelter whole (the default export is for the public).
        let keeper = try exportOptionsFromJson(json: "{\"viewer\": {\"viewer\": \"keeper\"}}")
        XCTAssertEqual(keeper.viewer, .keeper)
        let hsds = try directory.hsdsExport(options: keeper)
        let imported = try hsdsImport(hsdsJson: hsds)
        XCTAssertTrue(imported.report.complete)
        XCTAssertEqual(imported.directory, directory.directory())
        XCTAssertEqual(try ReferralDirectory.fromHsds(hsdsJson: hsds, options: defaultImportOptions()).serviceCount(),
                       directory.serviceCount())
        XCTAssertEqual(try ReferralDirectory(directory: try sampleDirectory()).domains(), directory.domains())
        let req = try request()
        XCTAssertEqual(try matchRequestFromJson(json: try matchRequestToJson(value: req)), req)
        let result = try directory.matchCase(request: req, consent: nil)
        XCTAssertEqual(try matchResultFromJson(json: try matchResultToJson(value: result)), result)
        let plan = try directory.plan(prioritisation: try prioritisation("case-01"), request: req, consent: nil)
        XCTAssertEqual(try planFromJson(json: try planToJson(value: plan)), plan)
        let config = defaultMatchConfig()
        XCTAssertEqual(try matchConfigFromJson(json: try matchConfigToJson(value: config)), config)
    }

    func testBadMatchRequestNamesTheField() throws {
        let directory = try ReferralDirectory.sample()
        var req = try request()
        req.travelLimitKm = -1.0
        XCTAssertEqual(invalidPath { _ = try directory.matchCase(request: req, consent: nil) }, "travel_limit_km")
        var badKey = try request()
        badKey.needs = ["food", "Not A Key"]
        let typed = invalidPath { _ = try directory.matchCase(request: badKey, consent: nil) }
        XCTAssertEqual(typed, "needs[1]")
        let text = try matchRequestToJson(value: try request())
            .replacingOccurrences(of: #""needs":\[[^\]]*\]"#, with: #""needs":["food","Not A Key"]"#,
                                  options: .regularExpression)
        XCTAssertEqual(invalidPath { _ = try matchRequestFromJson(json: text) }, typed)
    }

    func testBadPlanAndRequestInputs() throws {
        let directory = try ReferralDirectory.sample()
        var req = try request()
        req.travelLimitKm = -1.0
        let prio = try prioritisation("case-01")
        XCTAssertEqual(invalidPath { _ = try directory.plan(prioritisation: prio, request: req, consent: nil) }, "travel_limit_km")
        let other = try prioritisation("case-02")
        let mine = try request("case-01")
        XCTAssertEqual(refusedCode { _ = try directory.plan(prioritisation: other, request: mine, consent: nil) }, "different_cases")
        let ledger = try ConsentEngine.sample(caseId: "case-02")
        XCTAssertEqual(refusedCode { _ = try directory.matchCase(request: mine, consent: ledger) }, "different_cases")
        let case01 = try sampleCase(caseId: "case-01")
        let when = try at()
        XCTAssertEqual(refusedCode { _ = try matchRequest(caseProfile: case01, prioritisation: other, at: when) }, "different_cases")
    }

    func testBadGapQueryAndCohort() throws {
        let directory = try ReferralDirectory.sample()
        XCTAssertEqual(invalidPath { _ = try directory.gaps(query: GapQuery(areas: [], needs: [], languages: [])) }, "areas")
        var bad = try request("case-02")
        bad.travelLimitKm = -1.0
        let good = try request("case-01")
        XCTAssertEqual(invalidPath { _ = try directory.unmetNeeds(requests: [good, bad], depth: 1) }, "[1].travel_limit_km")
    }

    func testBadDirectoryAndHsds() throws {
        var d = try sampleDirectory()
        d.services[0].domains = ["Not A Key"]
        XCTAssertEqual(invalidPath { _ = try ReferralDirectory(directory: d) }, "services[0].domains[0]")
        var options = defaultImportOptions()
        options.termCodes = [TermCode(taxonomy: "mine", code: "x", besideCode: "no_such_code", value: nil)]
        XCTAssertEqual(invalidPath { _ = try hsdsImport(hsdsJson: "[]", options: options) }, "term_codes[0].beside_code")
        XCTAssertNotNil(refusedCode { _ = try ReferralDirectory.fromHsds(hsdsJson: "{\"oops\": 1}") })
    }

    func testWordsNeedAKnownLocale() throws {
        XCTAssertEqual(invalidPath { _ = try renderPathwayStep(step: .obtainCourtOrder, locale: "xx") }, "locale")
        XCTAssertFalse(try renderPathwayStep(step: .obtainCourtOrder, locale: "en").isEmpty)
        XCTAssertFalse(try renderChoiceReason(reason: .bestScore(score: 0.5), locale: "en").isEmpty)
    }
}
