package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ResourceLeakDetector;
import io.remora.core.workload.Workload;
import io.remora.primary.TrustMode;
import io.remora.transport.FrameProtection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code injector-2} point at a modest rate: two injector processes answer every EXECUTE with
 * its recorded exact result over encrypted links, and the primary adopts them (all but its 1% audit
 * sample) and ends with the sequential reference's state digest. Bounded in time (a 2.5 s point);
 * asserts nothing about performance (latencies are not looked at). The processes are stopped by the run.
 */
class InjectorRunTest {
    /**
     * Long, so that adoption does not depend on the machine's speed: a commit waits for the results
     * routed to connected peers rather than executing them locally when a loaded machine delays
     * them (at a 50 ms wait, a CI machine at load 6-9 on 2 cores saw 8% adopted).
     */
    private static final Duration RESULT_WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldAdoptTheInjectedResultsAndMatchTheReference() throws Exception {
        WorkloadSpec spec = WorkloadSpec.parse("transfers");
        RunConfig cfg = new RunConfig(spec, Mode.INJECTOR, 2, 1500, Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofMillis(100), Duration.ofMillis(300), 2, 0, RESULT_WAIT, true, Duration.ofSeconds(30),
                42, TrustMode.TRUSTED, FrameProtection.ENCRYPTED, false, 0, false, null, Duration.ofSeconds(1));
        Workload w = spec.generator(42).take(cfg.transactionsNeeded());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path commits = dir.resolve("commits.csv");
        // The test JVM runs Netty's PARANOID leak detection (a stack trace recorded per buffer): at
        // thousands of frames per second the primary's I/O thread then falls hundreds of ms behind and
        // results arrive after their commit executed. This test is about adoption, not leaks (the
        // transport's own tests run under PARANOID), so it runs at Netty's default level.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        PointResult r;
        try {
            r = new BenchmarkRun(cfg, w.genesis(), w.transactions(), null,
                    new PrintStream(buf, true, StandardCharsets.UTF_8)).commitLog(commits).run();
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
        String log = buf.toString(StandardCharsets.UTF_8) + "\n" + r;
        assertEquals("injector-2", r.configuration(), log);
        assertFalse(r.saturated(), log);
        assertTrue(r.digestMatch(), log);
        assertEquals("", r.note(), log);
        assertTrue(r.adoptRatio() >= 0.95, "adopted " + r.adoptRatio() + ": " + log);
        // Exact results: nothing stale or conflicting; what is not adopted is the 1% audit sample.
        assertEquals(0, r.breakdown().stale() + r.breakdown().conflict(), log);
        assertEquals(2, r.cpuPreExecutors().size(), log);
        assertCommitLog(commits, r, log);
    }

    /**
     * One row per measured commit, its stages inside its commit->effects as the primary timed it,
     * and that inside what the harness saw (which starts before submitCommit and ends after).
     */
    private static void assertCommitLog(Path csv, PointResult r, String log) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("commit,transactions,delivered_s,wait_ms,execute_ms,persist_ms,primary_commit_to_effects_ms,"
                + "observed_commit_to_effects_ms,delivered_epoch_ms", lines.get(0), log);
        assertTrue(lines.size() > 1, "no measured commit logged: " + log);
        long transactions = 0;
        long lastCommit = -1;
        long lastDelivered = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(9, f.length, line);
            long commit = Long.parseLong(f[0]);
            assertTrue(commit > lastCommit, "commits out of order: " + line);
            lastCommit = commit;
            int n = Integer.parseInt(f[1]);
            assertTrue(n > 0, line);
            transactions += n;
            double wait = Double.parseDouble(f[3]);
            double execute = Double.parseDouble(f[4]);
            double persist = Double.parseDouble(f[5]);
            double primary = Double.parseDouble(f[6]);
            double observed = Double.parseDouble(f[7]);
            assertTrue(wait >= 0 && execute > 0 && persist > 0, line);
            assertTrue(wait + execute + persist <= primary + 0.01, "stages longer than the commit: " + line);
            assertTrue(primary <= observed + 0.01, "the primary's time longer than the harness's: " + line);
            long deliveredEpochMs = Long.parseLong(f[8]);
            assertTrue(deliveredEpochMs >= lastDelivered && deliveredEpochMs <= System.currentTimeMillis(),
                    "delivery wall clock out of order or in the future: " + line);
            lastDelivered = deliveredEpochMs;
        }
        // A logged commit holds at least one measured transaction, and may hold warm-up ones too.
        long measured = r.commitToEffects().count();
        assertTrue(measured > 0 && transactions >= measured && transactions <= r.transactions(),
                transactions + " logged vs " + measured + " measured of " + r.transactions() + ": " + log);
    }
}
