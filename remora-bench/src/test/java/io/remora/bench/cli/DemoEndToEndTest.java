package io.remora.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code remora demo --duration 5s}: an embedded primary, 2 pre-executor JVMs on loopback, the
 * simulated consensus; exit status 0 and the state digest equal to the sequential reference's.
 * Bounded in time; asserts nothing about performance.
 */
class DemoEndToEndTest {
    @Test
    void shouldExitZeroWithTheReferenceDigestAfterAShortDemo() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(new TeeStream(buf, saved), true, StandardCharsets.UTF_8));
            code = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> RemoraCli.execute(
                    "demo", "--duration", "5s", "--rate", "300", "--plain", "--no-fsync"));
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("OK: the primary's state digest equals the sequential reference executor's"), out);
        assertTrue(out.contains("| configuration | remora-2 on mixed |"), out);
    }

    @Test
    void shouldRejectBadArgumentsWithStatus2() {
        assertEquals(2, RemoraCli.execute("demo", "--duration", "soon"));
        assertEquals(2, RemoraCli.execute("bench", "--configs", "remora-x", "--out", "target/never"));
    }

    /** Writes to both streams. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
