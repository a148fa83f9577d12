// Referral flow, typed end to end: propose -> send -> accept or decline -> withdrawal when the
// consent behind it is revoked; deadlines and overdue work; the merge of a referral edited on two
// phones; batch assignment with its reasons. One bad-input error per operation, JSON round trips.
package dev.beside.test

import java.time.Instant
import java.time.temporal.ChronoUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.beside_ffi.*
import uniffi.beside_needs.RedFlag
import uniffi.beside_referral.AssignCase
import uniffi.beside_referral.AssignService
import uniffi.beside_referral.AssignmentProblem
import uniffi.beside_referral.Awaiting
import uniffi.beside_referral.CaseOutcome
import uniffi.beside_referral.DeclineReason
import uniffi.beside_referral.EligibleArc
import uniffi.beside_referral.Referral
import uniffi.beside_referral.ReferralEvent
import uniffi.beside_referral.ReferralState
import uniffi.beside_referral.ReferralVersion
import uniffi.beside_referral.ResponseTime
import uniffi.beside_referral.Shortfall
import uniffi.beside_referral.WithdrawReason

class FlowTest {
    private val t0: Instant = Instant.parse("2026-03-01T09:00:00Z")

    private fun at(minutes: Long): Instant = t0.plus(minutes, ChronoUnit.MINUTES)

    private val redFlag = ResponseTime.RedFlag(RedFlag.IMMEDIATE_DANGER, t0, 180u)
    private val own = ResponseTime.Service(24u * 60u)

    private fun proposed(
        responseTimes: List<ResponseTime> = emptyList(),
        consentIds: List<String> = listOf("c1"),
    ): Referral = referralPropose("r1", "case-01", "safety", "s1", "o1", consentIds, responseTimes, at(5))

    private fun invalidPath(call: () -> Unit): String = assertThrows<BesideException.Invalid> { call() }.path

    private fun refusedCode(call: () -> Unit): String = assertThrows<BesideException.Refused> { call() }.code

    private fun problem(lastService: String = "hostel") = AssignmentProblem(
        cases = listOf(AssignCase("c1", 1, 1), AssignCase("c2", 2, 1), AssignCase("c3", 1, 1)),
        services = listOf(AssignService("shelter", 1), AssignService("hostel", 1)),
        eligible = listOf(
            EligibleArc("c1", "shelter", 5),
            EligibleArc("c2", "shelter", 1),
            EligibleArc("c2", "hostel", 9),
            EligibleArc("c3", lastService, 2),
        ),
    )

    @Test
    fun lifecycleChainToWithdrawalOnRevocation() {
        val r = proposed(listOf(redFlag, own))
        assertEquals(ReferralState.Proposed, r.state)
        val sent = referralApply(r, ReferralEvent.Send, at(10), "w1")
        assertEquals("w1", sent.history[0].by)
        val accepted = referralApply(sent, ReferralEvent.Accept, at(20), null)
        val declined = referralApply(sent, ReferralEvent.Decline(DeclineReason.NO_CAPACITY), at(25), null)
        assertEquals(ReferralState.Declined(DeclineReason.NO_CAPACITY), declined.state)
        // The ids ConsentEngine.revokedAt answers: every open referral relying on one is withdrawn.
        val out = referralsWithdrawForRevoked(listOf(accepted, declined), listOf("c1"), at(30))
        assertEquals(listOf("r1"), out.map { it.id })
        assertEquals(ReferralState.Withdrawn(WithdrawReason.ConsentRevoked("c1")), out[0].state)
        val actions = referralDependentActions(listOf(accepted, out[0]))
        assertEquals(listOf(true, false), actions.map { it.open })
        assertEquals("impossible_transition", refusedCode { referralApply(r, ReferralEvent.Complete, at(10), null) })
    }

    @Test
    fun overdueWorkAndItsWords() {
        val late = referralsOverdue(listOf(proposed(listOf(redFlag, own))), at(240))
        assertEquals(1, late.size)
        assertEquals(Awaiting.SEND, late[0].awaiting)
        assertEquals(60L, late[0].lateByMinutes)
        assertEquals(at(180), late[0].dueAt)
        assertTrue(late[0].late[0].responseTime is ResponseTime.RedFlag)
        assertEquals("not sent yet", renderAwaiting(late[0].awaiting, "en"))
        assertTrue(renderLateDeadline(late[0].late[0], "en").startsWith("immediate danger"))
        assertEquals(late[0], overdueReferralFromJson(overdueReferralToJson(late[0])))
    }

    @Test
    fun responseTimesComposeWithThePrioritisationAndTheDirectory() {
        val p = NeedsEngine().prioritise(sampleLatestAssessment("case-01"))
        val service = sampleDirectory().services[0]
        val times = responseTimesFor(p, p.items[0].domain, service)
        assertTrue(times.all { it is ResponseTime.RedFlag || it is ResponseTime.Service })
        assertEquals("need", invalidPath { responseTimesFor(p, "not_a_need", service) })
    }

    @Test
    fun mergeOfTwoPhones() {
        val sent = referralApply(proposed(), ReferralEvent.Send, at(10), null)
        val accepted = referralApply(sent, ReferralEvent.Accept, at(20), null)
        val withdrawn = referralApply(sent, ReferralEvent.Withdraw(WithdrawReason.PersonChangedMind), at(25), null)
        val merged = mergeReferrals(
            sent,
            ReferralVersion(value = accepted, editedBy = "w1", editedAt = at(20)),
            ReferralVersion(value = withdrawn, editedBy = "w2", editedAt = at(25)),
            at(100),
        )
        assertEquals(withdrawn.state, merged.referral.state)
        assertEquals(listOf("history"), merged.conflicts.map { it.path })
        assertEquals(merged, mergedReferralFromJson(mergedReferralToJson(merged)))
    }

    @Test
    fun batchAssignmentWithItsReasons() {
        val a = assignSolve(problem())
        assertEquals(2uL, a.totals.unitsPlaced)
        val unplaced = a.cases.single { it.outcome is CaseOutcome.Unassigned }
        val shortfall = (unplaced.outcome as CaseOutcome.Unassigned).shortfall
        assertTrue(shortfall is Shortfall.CapacityExhausted || shortfall is Shortfall.OutrankedByHigherPriority)
        assertEquals("not assigned (1 place(s) needed)", renderCaseOutcome(unplaced.outcome, "en"))
        assertTrue(renderShortfall(shortfall, "en").contains("eligible service"))
        val solved = assignSolveWithStats(problem())
        assertEquals(a, solved.assignment)
        assertEquals(solved.stats, assignStatsFromJson(assignStatsToJson(solved.stats)))
        assertEquals(a, assignmentFromJson(assignmentToJson(a)))
        assertEquals(problem(), assignmentProblemFromJson(assignmentProblemToJson(problem())))
    }

    @Test
    fun oneBadInputPerOperation() {
        val good = proposed()
        val bad = good.copy(consentIds = listOf("c1", ""))
        assertEquals("consent_ids[1]", invalidPath { referralToJson(bad) })
        assertEquals(
            "response_times[0].respond_within_minutes",
            invalidPath { proposed(listOf(ResponseTime.Service(0u))) },
        )
        assertEquals("consent_ids[1]", invalidPath { referralApply(bad, ReferralEvent.Send, at(10), null) })
        assertEquals("by", invalidPath { referralApply(good, ReferralEvent.Send, at(10), " w1") })
        assertEquals("revoked[1]", invalidPath { referralsWithdrawForRevoked(listOf(good), listOf("c1", ""), at(10)) })
        assertEquals("[1].consent_ids[1]", invalidPath { referralDependentActions(listOf(good, bad)) })
        val future = good.copy(createdAt = at(100_000))
        assertEquals("[1].created_at", invalidPath { referralsOverdue(listOf(good, future), at(10)) })
        val ours = ReferralVersion(good, null, at(6))
        assertEquals(
            "theirs.value.created_at",
            invalidPath { mergeReferrals(null, ours, ReferralVersion(future, null, at(6)), at(10)) },
        )
        assertEquals(
            "different_records",
            refusedCode { mergeReferrals(null, ours, ReferralVersion(good.copy(id = "r2"), null, at(6)), at(10)) },
        )
        assertEquals("eligible[3].service", invalidPath { assignSolve(problem("nowhere")) })
        assertEquals("eligible[3].service", invalidPath { assignSolveWithStats(problem("nowhere")) })
        // The same problem as JSON is refused with the same path.
        val json = assignmentProblemToJson(problem()).replace("\"c3\",\"service\":\"hostel\"", "\"c3\",\"service\":\"nowhere\"")
        assertEquals("eligible[3].service", invalidPath { assignSolve(assignmentProblemFromJson(json)) })
        assertEquals("locale", invalidPath { renderAwaiting(Awaiting.SEND, "xx") })
        assertEquals("locale", invalidPath { renderShortfall(Shortfall.NoEligibleService, "") })
        assertEquals("locale", invalidPath { renderCaseOutcome(CaseOutcome.Assigned(1u, 0), "klingon") })
        assertEquals("locale", invalidPath { renderLateDeadline(referralsOverdue(listOf(proposed(listOf(redFlag))), at(240))[0].late[0], "xx") })
    }

    @Test
    fun jsonPairsReadWhatTheyWrite() {
        val r = proposed(listOf(redFlag, own))
        assertEquals(r, referralFromJson(referralToJson(r)))
        assertEquals(ReferralEvent.Send, referralEventFromJson("""{"event": "send"}"""))
        assertEquals("""{"event":"accept"}""", referralEventToJson(ReferralEvent.Accept))
        assertEquals(redFlag, responseTimeFromJson(responseTimeToJson(redFlag)))
        assertThrows<BesideException.Invalid> { referralEventFromJson("""{"event": "send", "reason": "other"}""") }
        val version = ReferralVersion(r, null, at(6))
        assertEquals(version, referralVersionFromJson(referralVersionToJson(version)))
    }
}
