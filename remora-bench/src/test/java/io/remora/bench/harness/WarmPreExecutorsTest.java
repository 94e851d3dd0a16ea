package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.workload.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two bench points sharing long-lived pre-executors: the second point's fresh primary and cluster
 * get the same process, which reconnected and installed the new primary's snapshot, and its results
 * are adopted; both points end at the sequential reference's digest. Bounded; no timing asserted.
 */
class WarmPreExecutorsTest {
    @Test
    @Timeout(180)
    void shouldServeASecondPointsFreshPrimaryWithTheSameProcess(@TempDir Path kept) throws Exception {
        WorkloadSpec spec = WorkloadSpec.parse("transfers");
        RunConfig cfg = new RunConfig(spec, Mode.REMORA, 1, 200, Duration.ofMillis(500), Duration.ofMillis(1500),
                Duration.ofMillis(50), Duration.ofMillis(150), 2, 1, Duration.ofMillis(50), false, Duration.ofSeconds(10), 7,
                io.remora.primary.TrustMode.TRUSTED, io.remora.transport.FrameProtection.ENCRYPTED, false, 0, false, null,
                Duration.ofSeconds(1));
        Workload w = spec.generator(7).take(cfg.transactionsNeeded());
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path logs = kept.resolve("logs");
        try (WarmPreExecutors warm = new WarmPreExecutors(1, logs)) {
            PointResult first = new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log).warm(warm).run();
            List<Long> pids = warm.processes.children().stream().map(PreExecutorProcesses.Child::pid).toList();
            PointResult second = new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log).warm(warm).run();
            assertEquals(pids, warm.processes.children().stream().map(PreExecutorProcesses.Child::pid).toList(),
                    "the same pre-executor process served both points");
            assertTrue(warm.processes.children().get(0).process().isAlive());
            for (PointResult p : List.of(first, second)) {
                assertTrue(p.digestMatch(), p.note());
                assertFalse(p.saturated(), p.note());
            }
            assertTrue(second.adopted() > 0, "the reconnected pre-executor's results are adopted: " + second.note());
        }
        // Closed: its log is kept, ending with its counters over both points.
        String kept1 = Files.readString(logs.resolve("pre-1.log"));
        assertTrue(kept1.contains("remora-preexec pre-1 drained: "), kept1);
        assertFalse(Files.exists(logs.resolve(TempDirectory.OWNER_FILE)), "the temporary directory's owner file is not a log");
        RunConfig sequential = cfg.withMode(Mode.SEQUENTIAL, 0);
        try (WarmPreExecutors wrong = new WarmPreExecutors(2)) {
            assertThrows(IllegalArgumentException.class,
                    () -> new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log).warm(wrong));
            assertThrows(IllegalArgumentException.class,
                    () -> new BenchmarkRun(sequential, w.genesis(), w.transactions(), null, log).warm(wrong));
        }
    }
}
