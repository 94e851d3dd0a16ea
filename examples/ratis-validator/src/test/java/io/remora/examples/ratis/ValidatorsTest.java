package io.remora.examples.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three validator processes on Apache Ratis (loopback), each with a RemoraPrimary on RocksDB and one
 * pre-executor process; clients submit a seeded mixed workload of signed transactions to different
 * validators (some to two, so consensus orders them twice); one validator is SIGKILLed mid-run and
 * restarted on its data directory. Every validator's per-commit digest chain must equal the others'
 * and the sequential reference executor's on the same commit order, every transaction must execute
 * exactly once, and no validator may report a divergent attestation. Replay a failure with
 * {@code -Dremora.seed=...}. Bounded waits only; every process started is stopped (the validators and
 * their pre-executors also exit when this JVM dies: their stdin pipes close).
 */
class ValidatorsTest {
    /** Prints the run's progress into the test's output file. */
    static final ValidatorsRun.View PRINT = new ValidatorsRun.View() {
        @Override
        public void tick(double t, List<Map<String, String>> statuses) {
            StringBuilder s = new StringBuilder(t < 0 ? "settling" : String.format("t=%.0fs", t));
            for (Map<String, String> st : statuses) {
                s.append(" | ").append(st.isEmpty() ? "down" : st.get("id") + " " + st.get("role") + " #" + st.get("commit"));
            }
            System.out.println(s);
        }

        @Override
        public void event(String what) {
            System.out.println(what);
        }
    };

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldAgreeWithTheReferenceAfterAValidatorIsKilledAndRestarted() throws Exception {
        String prop = System.getProperty("remora.seed");
        long seed = prop != null && !prop.isBlank() ? Long.parseLong(prop.trim()) : new Random().nextLong();
        String replay = "seed=" + seed + " (replay: -Dremora.seed=" + seed + ")";
        System.out.println("ValidatorsTest: " + replay);
        int victim = (int) Math.floorMod(seed, 3L);
        ValidatorsRun.Options o = new ValidatorsRun.Options(seed, "mixed", 3, 1, 150, Duration.ofSeconds(8), victim,
                Duration.ofSeconds(3), Duration.ofSeconds(2), 0.03, true, 256, Duration.ofMillis(10), Duration.ofSeconds(60), -1, -1);
        ValidatorsRun.Report r = new ValidatorsRun(o, PRINT).run(tmp);
        System.out.println(r);
        assertTrue(r.ok(), "failures: " + r.failures() + "; " + replay);
        assertTrue(r.commits() > 0, "no commit; " + replay);
        ValidatorsRun.ValidatorSummary killed = r.validators().get(victim);
        assertTrue(killed.recovered() >= 0, killed.id() + " had no durable commit when killed (kill too early?); " + replay);
        assertTrue(killed.replayed() > 0, killed.id() + " replayed no commit from its primary; " + replay);
        assertTrue(killed.head() > killed.recovered(), killed.id() + " executed nothing after its restart; " + replay);
        for (ValidatorsRun.ValidatorSummary v : r.validators()) {
            assertEquals(r.referenceChain(), v.chain(), v.id() + "'s chain head; " + replay);
        }
    }

    /**
     * Divergence is detected: two validators without pre-executors (so every transaction runs on the
     * primaries' engines), one of them with {@link FaultyEngine}; the honest one must report the
     * faulty one's attestations as divergent, and the run must fail.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldReportTheDivergenceOfAValidatorThatExecutesDifferently() throws Exception {
        long seed = 42;
        ValidatorsRun.Options o = new ValidatorsRun.Options(seed, "mixed", 2, 0, 150, Duration.ofSeconds(3), -1,
                Duration.ZERO, Duration.ZERO, 0, false, 256, Duration.ofMillis(10), Duration.ofSeconds(60), 1, -1);
        ValidatorsRun.Report r = new ValidatorsRun(o, PRINT).run(tmp);
        System.out.println(r);
        assertTrue(!r.ok(), "a faulty validator went unnoticed");
        ValidatorsRun.ValidatorSummary honest = r.validators().get(0);
        ValidatorsRun.ValidatorSummary faulty = r.validators().get(1);
        assertTrue(honest.divergences() > 0, "v1 reported no divergence: " + r.failures());
        assertTrue(faulty.divergences() > 0, "v2 reported no divergence either: " + r.failures());
        assertTrue(r.failures().stream().anyMatch(f -> f.startsWith("v2's chain differs from the sequential reference")),
                "the reference check did not single out v2: " + r.failures());
        assertTrue(r.failures().stream().noneMatch(f -> f.startsWith("v1's chain")), "v1 blamed: " + r.failures());
    }
}
