// FFI overhead micro-benchmark: PRINTS ns per call (informational; asserts nothing about speed),
// wall-clock and this thread's CPU time (on a shared machine the wall clock also counts waiting).
//   version()                  free function returning a String
//   NeedsEngine.domainCount()  method returning a u32: the bare call cost
//   prioritise(typed)          a typical assessment (16 domains) as typed records, both ways
//   prioritiseJson             the same assessment as JSON in and out
//   summariseJson / prioritiseBatchJson   10,000 assessments in one call, per assessment
//   rankPacked / summarisePacked          10,000 assessments as bytes in one call, per assessment
// -Dbeside.bench.n=N sets the number of calls (0 skips).
package dev.beside.test

import org.junit.jupiter.api.Test
import uniffi.beside_ffi.NeedsEngine
import uniffi.beside_ffi.sampleAssessmentsJson
import uniffi.beside_ffi.sampleAssessmentsOfJson
import uniffi.beside_ffi.version

class OverheadBenchTest {
    private val n = System.getProperty("beside.bench.n", "100000").toInt()

    private inline fun bench(label: String, calls: Int, perCall: Int = 1, crossinline call: () -> Long) {
        if (n <= 0) return
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
    }

    @Test
    fun overhead() {
        NeedsEngine().use { engine ->
            bench("version()", n) { version().length.toLong() }
            bench("NeedsEngine.domainCount()", n) { engine.domainCount().toLong() }
            val one = sampleAssessmentsOfJson("case-01").let { it.substring(1, it.indexOf("},{\"id\"") + 1) }
            bench("prioritiseJson(16-domain assessment)", n / 10) { engine.prioritiseJson(one).length.toLong() }
            val typed = sampleAssessment()
            bench("prioritise(typed assessment)", n / 10) { engine.prioritise(typed).items.size.toLong() }
            val samples = sampleAssessmentsJson().trim().removePrefix("[").removeSuffix("]").trim()
            // 10,000 assessments: the 16 samples repeated (ids repeat; summaries do not mind).
            val objects = samples.split(Regex("(?<=\\}),\\s*(?=\\{\\s*\"id\")"))
            val batch = "[" + List(10_000) { objects[it % objects.size] }.joinToString(",") + "]"
            bench("summariseJson(10,000)", 3, 10_000) { engine.summariseJson(batch).length.toLong() }
            bench("prioritiseBatchJson(10,000)", 2, 10_000) { engine.prioritiseBatchJson(batch).length.toLong() }
            val packed = engine.packJson(batch)
            bench("rankPacked(10,000 as bytes)", 20, 10_000) { engine.rankPacked(packed).entries.size.toLong() }
            bench("summarisePacked(10,000 as bytes)", 20, 10_000) { engine.summarisePacked(packed).assessments.toLong() }
        }
    }
}
