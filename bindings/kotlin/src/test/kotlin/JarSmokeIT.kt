// Runs under failsafe after `package`: the classpath holds the built jar instead of
// target/classes, so this proves JNA loads the native library from inside the jar.
package dev.beside.test

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import uniffi.beside_ffi.version

class JarSmokeIT {
    @Test
    fun libraryLoadsFromTheJar() {
        val prefix = com.sun.jna.Platform.RESOURCE_PREFIX
        val lib = System.mapLibraryName(System.getProperty("beside.lib.name", "beside_ffi"))
        val url = javaClass.classLoader.getResource("$prefix/$lib")
            ?: error("$prefix/$lib is not on the classpath")
        assertEquals("jar", url.protocol, "expected the library inside the jar, got $url")
        assertEquals("0.1.0", version())
    }
}
