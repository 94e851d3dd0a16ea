package io.remora.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos run in its CI form: the real primary (child JVM, RocksDB, fsync per commit) and 2 real
 * pre-executor JVMs on loopback, with 20 pre-executor SIGKILLs (each replaced), 20 SIGSTOP/SIGCONT
 * and 20 primary SIGKILLs (each restarted on its data directory, consensus replayed from
 * {@code lastExecutedCommit() + 1}) in 70 s of load (then load until pre-execution works again, at most
 * 15 s). Every commit's effects must equal the
 * sequential reference's, none lost, none executed twice; the faults must all have happened and
 * some results must have been adopted; no process of the run may outlive it.
 *
 * <p>The seed is printed; replay with {@code -Dremora.chaos.seed=S}. Nothing here asserts
 * wall-clock time: the bound is the {@link Timeout}.
 */
class ChaosRunTest {
    static final int KILLS = 20;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldKeepEveryEffectEqualToTheReferenceUnderKillsStopsAndRestarts(@TempDir Path out) throws Exception {
        long seed = seed();
        String replay = "seed=" + seed + " (replay: -Dremora.chaos.seed=" + seed + ")";
        ChaosConfig cfg = new ChaosConfig("mixed", seed, Duration.ofSeconds(70), 2, KILLS, KILLS, KILLS, 150,
                Duration.ofMillis(50), 0, out, true);
        ChaosReport r = new ChaosRun(cfg, new PrintStream(System.out, true, StandardCharsets.UTF_8)).run();
        System.out.println(r.markdown());

        assertEquals(List.of(), r.violations(), "invariants; " + replay);
        assertTrue(r.preKills() >= KILLS, "pre-executor SIGKILLs: " + r.preKills() + "; " + replay);
        assertTrue(r.preStops() >= KILLS, "pre-executor SIGSTOPs: " + r.preStops() + "; " + replay);
        assertTrue(r.primaryKills() >= KILLS, "primary SIGKILLs: " + r.primaryKills() + "; " + replay);
        assertEquals(r.primaryKills() + 1, r.primaryStarts(), "one restart per primary kill; " + replay);
        assertTrue(r.commits() > 0 && r.positions() > 0, "something was ordered; " + replay);
        assertTrue(r.replayedDeliveries() > 0, "replays after restarts acknowledged; " + replay);
        assertTrue(r.adopted() > 0, "some pre-executed results adopted (" + r.adopted() + " of " + r.executed() + "); " + replay);
        for (Path f : r.files()) {
            assertTrue(Files.size(f) > 0, f + " written");
        }
        // Every process of the run is gone (pre-executors, SIGCONT helpers, every primary incarnation).
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        assertEquals(List.of(), left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(),
                "processes left behind; " + replay);
        assertTrue(Files.notExists(out.resolve("logs")), "logs are kept only for a failed run");
    }

    private static long seed() {
        String s = System.getProperty("remora.chaos.seed", System.getProperty("remora.seed"));
        long seed = s != null && !s.isBlank() ? Long.parseLong(s.trim()) : new Random().nextLong();
        System.out.println("ChaosRunTest: seed=" + seed + " (replay: -Dremora.chaos.seed=" + seed + ")");
        return seed;
    }
}
