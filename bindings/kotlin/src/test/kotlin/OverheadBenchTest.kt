// FFI overhead micro-benchmark: PRINTS ns per call (informational; asserts nothing about speed),
// wall-clock and this thread's CPU time (on a shared machine the wall clock also counts waiting).
//   version()                  free function returning a String
//   NeedsEngine.domainCount()  method returning a u32: the bare call cost
//   prioritise(typed)          a 16-domain Assessment in, a Prioritisation out (budget: 50 us in
//                              a release build); the input is checked as JSON is, in Rust
//   the Assessment crossing in / the Prioritisation crossing out: each side of that call alone
//                              (assessmentToJson, prioritisationFromJson; plus JSON work in Rust)
//   renderPrioritisation       the same answer in English words: a separate call
//   JSON path                  assessmentFromJson + prioritise + prioritisationToJson
//   summarise / prioritiseBatch  10,000 typed assessments in one call, per assessment
//   prioritiseTable / summariseTable 10,000 assessments as an Arrow table in one call, per assessment
// -Dbeside.bench.n=N sets the number of calls (0 skips).
package dev.beside.test

import org.junit.jupiter.api.Test
import uniffi.beside_ffi.NeedsEngine
import uniffi.beside_ffi.assessmentFromJson
import uniffi.beside_ffi.assessmentToJson
import uniffi.beside_ffi.assessmentsTable
import uniffi.beside_ffi.prioritisationFromJson
import uniffi.beside_ffi.prioritisationToJson
import uniffi.beside_ffi.renderPrioritisation
import uniffi.beside_ffi.sampleAssessments
import uniffi.beside_ffi.version

class OverheadBenchTest {
    private val n = System.getProperty("beside.bench.n", "100000").toInt()

    /** ns per call (or per assessment) on this thread's CPU clock. */
    private inline fun bench(label: String, calls: Int, perCall: Int = 1, crossinline call: () -> Long): Double {
        if (n <= 0) return 0.0
        var sink = 0L
        repeat(minOf(calls, 10_000)) { sink += call() } // warm-up (JIT + JNA)
        val threads = java.lang.management.ManagementFactory.getThreadMXBean()
        val start = System.nanoTime()
        val cpuStart = threads.currentThreadCpuTime
        repeat(calls) { sink += call() }
        val cpu = threads.currentThreadCpuTime - cpuStart
        val elapsed = System.nanoTime() - start
        val unit = if (perCall > 1) "assessment" else "call"
        val per = elapsed.toDouble() / calls / perCall
        val perCpu = cpu.toDouble() / calls / perCall
        println("kotlin bench: $label x $calls: ${"%.0f".format(per)} ns/$unit wall, ${"%.0f".format(perCpu)} ns/$unit cpu (${elapsed / 1_000_000} ms total, sink=$sink)")
        return perCpu
    }

    @Test
    fun overhead() {
        if (n <= 0) return
        NeedsEngine().use { engine ->
            val samples = sampleAssessments()
            val one = samples.maxBy { it.ratings.size } // a rating in each of the 16 domains
            val oneJson = assessmentToJson(one)
            bench("version()", n) { version().length.toLong() }
            bench("NeedsEngine.domainCount()", n) { engine.domainCount().toLong() }
            val typed = bench("prioritise(typed ${one.ratings.size}-domain assessment)", maxOf(n / 10, 1)) {
                engine.prioritise(one).items.size.toLong()
            }
            val p = engine.prioritise(one)
            val pJson = prioritisationToJson(p)
            // Where the time goes: each side of the crossing alone (each also does some JSON in Rust).
            bench("  the Assessment crossing in (assessmentToJson)", maxOf(n / 10, 1)) { assessmentToJson(one).length.toLong() }
            bench("  the Prioritisation crossing out (prioritisationFromJson)", maxOf(n / 10, 1)) {
                prioritisationFromJson(pJson).items.size.toLong()
            }
            bench("renderPrioritisation(${p.items.size} items, en)", maxOf(n / 10, 1)) {
                renderPrioritisation(p, "en").size.toLong()
            }
            bench("JSON path: fromJson + prioritise + toJson", maxOf(n / 10, 1)) {
                prioritisationToJson(engine.prioritise(assessmentFromJson(oneJson))).length.toLong()
            }
            // 10,000 assessments: the 16 samples repeated (ids repeat; summaries do not mind).
            val batch = List(10_000) { samples[it % samples.size] }
            bench("summarise(10,000 typed)", 3, 10_000) { engine.summarise(batch).assessments.toLong() }
            bench("prioritiseBatch(10,000 typed)", 2, 10_000) { engine.prioritiseBatch(batch).size.toLong() }
            // As an Arrow table each assessment needs its own id (rows are grouped by it).
            val table = assessmentsTable(List(10_000) { samples[it % samples.size].copy(id = "a-$it") })
            bench("prioritiseTable(10,000 as Arrow IPC)", 5, 10_000) { engine.prioritiseTable(table).size.toLong() }
            bench("summariseTable(10,000 as Arrow IPC)", 5, 10_000) { engine.summariseTable(table).assessments.toLong() }
            val verdict = if (typed / 1000 <= 50.0) "within" else "OVER"
            println("kotlin bench: typed 16-domain prioritise ${"%.1f".format(typed / 1000)} us cpu: $verdict the 50 us budget (a release build is what the budget is for)")
        }
    }
}
