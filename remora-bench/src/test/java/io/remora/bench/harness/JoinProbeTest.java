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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remora bench --replace-at}: one real pre-executor process SIGKILLed mid-point and a
 * replacement started at once. The point still ends at the sequential reference's digest, the
 * replacement connects, syncs and answers (its join figures are numbers, in order), and the curve
 * file is written. Bounded; no timing asserted.
 */
class JoinProbeTest {
    @Test
    @Timeout(180)
    void shouldReplaceAPreExecutorMidPointAndReportItsJoin(@TempDir Path dir) throws Exception {
        WorkloadSpec spec = WorkloadSpec.parse("transfers");
        RunConfig cfg = new RunConfig(spec, Mode.REMORA, 1, 200, Duration.ofMillis(500), Duration.ofSeconds(12),
                Duration.ofMillis(50), Duration.ofMillis(150), 2, 1, Duration.ofMillis(50), false, Duration.ofSeconds(10), 7,
                io.remora.primary.TrustMode.TRUSTED, io.remora.transport.FrameProtection.ENCRYPTED, false, 0, false, null,
                Duration.ofSeconds(1));
        Workload w = spec.generator(7).take(cfg.transactionsNeeded());
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path csv = dir.resolve("join.csv");
        PointResult p = new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log)
                .replaceAt(Duration.ofSeconds(1), csv).run();
        assertTrue(p.digestMatch(), p.note());
        Matcher m = Pattern.compile("replacement (pre-2): killed one and launched it at t=0; connected ([0-9.]+) s,"
                + " synced ([0-9.]+) s, first result ([0-9.]+) s").matcher(p.note());
        assertTrue(m.find(), p.note());
        double connected = Double.parseDouble(m.group(2));
        double synced = Double.parseDouble(m.group(3));
        double firstResult = Double.parseDouble(m.group(4));
        assertTrue(connected > 0 && connected <= synced && synced <= firstResult, p.note());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("seconds_since_kill,adopt_ratio,executed_tps,newcomer_state,newcomer_results,"
                + "newcomer_snapshot_installed", lines.get(0));
        assertTrue(lines.size() > 30, "3 s before the kill and more after, every 100 ms: " + lines.size());
        assertTrue(lines.stream().skip(1).map(l -> l.split(",")).anyMatch(c -> c[3].equals("2")
                && Long.parseLong(c[4]) > 0 && c[5].equals("1")),
                "a sample with the newcomer synced, answering, its snapshot installed");
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log)
                .replaceAt(Duration.ofSeconds(12), csv));
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkRun(cfg.withMode(Mode.PRIMARY, 0), w.genesis(),
                w.transactions(), null, log).replaceAt(Duration.ofSeconds(1), csv));
        assertFalse(p.note().contains("pre-executor failures"), "the killed one is no failure: " + p.note());
    }

    /**
     * {@code remora bench --steps} with the autoscaler: a stepped load (100, 600, 100 tx/s) on real
     * pre-executor processes ends at the reference digest, its note has a line per step, and the
     * timeline carries the p99 column and follows the offered steps. Whether the autoscaler adds a
     * pre-executor in time is the benchmark's question (not asserted).
     */
    @Test
    @Timeout(180)
    void shouldRunASteppedLoadAndReportEachStep(@TempDir Path dir) throws Exception {
        WorkloadSpec spec = WorkloadSpec.parse("transfers");
        List<OpenLoopPacer.Step> steps = OpenLoopPacer.Step.parse("100:2s,600:3s,100:2s");
        RunConfig cfg = new RunConfig(spec, Mode.REMORA, 2, 600, Duration.ofMillis(500), Duration.ofSeconds(7),
                Duration.ofMillis(50), Duration.ofMillis(150), 2, 1, Duration.ofMillis(50), false, Duration.ofSeconds(10), 9,
                io.remora.primary.TrustMode.TRUSTED, io.remora.transport.FrameProtection.ENCRYPTED, true, 0, false, null,
                Duration.ofSeconds(1));
        Workload w = spec.generator(9).take(cfg.transactionsNeeded());
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path csv = dir.resolve("timeline.csv");
        PointResult p = new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log).steps(steps).timeline(csv).run();
        assertTrue(p.digestMatch(), p.note());
        assertTrue(p.note().contains("elastic run: step 1 (100 tx/s from 0.0 s):"), p.note());
        assertTrue(p.note().contains(" step 2 (600 tx/s from 2.0 s):"), p.note());
        assertTrue(p.note().contains(" step 3 (100 tx/s from 5.0 s):"), p.note());
        // 50 + 200 + 1,800 + 200 offered (warm-up and steps); every one committed
        assertEquals(2250, p.transactions(), p.note());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("seconds,submitted_tps,published_tps,adopt_ratio,refused_tps,synced_pre_executors,"
                + "commit_to_effects_p99_ms", lines.get(0));
        double maxSubmitted = lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).max().orElse(0);
        assertTrue(maxSubmitted >= 400, "a second of the 600 tx/s step: " + lines);
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log)
                .steps(OpenLoopPacer.Step.parse("700:1s")), "a step above the generated rate");
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkRun(cfg, w.genesis(), w.transactions(), null, log)
                .steps(OpenLoopPacer.Step.parse("100:8s")), "steps longer than the generated duration");
    }
}
