package io.remora.primary.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.remora.core.canary.Canary;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The whole-cluster simulation (see {@link ClusterSimulation}): {@code remora.sim.seeds} seeds
 * (default 1,000) from {@code remora.sim.from} (default 1), each with at least 20 injected faults,
 * checked against the sequential reference; a share of them run twice to check that one seed gives
 * one trace; every planted {@link Canary} must be caught. A failing seed is shrunk and printed as one
 * command that replays it ({@link #replay}).
 *
 * <p>Long runs: {@code ./mvnw -o -pl remora-primary verify -Dtest=ClusterSimulationTest#shouldMatchTheReferenceOnEverySeed
 * -Dsurefire.failIfNoSpecifiedTests=false -Dremora.sim.seeds=100000 -Dremora.sim.from=5000}.
 */
class ClusterSimulationTest {
    static final int SEEDS = Integer.getInteger("remora.sim.seeds", 1000);
    static final long FROM = Long.getLong("remora.sim.from", 1L);
    /**
     * Every this many exact seeds (one Block-STM worker: see {@link ClusterSimulation}), the seed
     * runs a second time and must give the same trace hash.
     */
    static final int RERUN_EVERY = 20;
    static final String REPLAY = "./mvnw -o -pl remora-primary verify -Dsurefire.failIfNoSpecifiedTests=false"
            + " -Dtest=ClusterSimulationTest#replay ";

    static ClusterSimulation.Outcome run(SimCase c) {
        try (ClusterSimulation sim = new ClusterSimulation(c)) {
            return sim.run();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Timeout(1500)
    void shouldMatchTheReferenceOnEverySeed() {
        long started = System.nanoTime();
        Map<SimCase.Kind, Integer> byKind = new EnumMap<>(SimCase.Kind.class);
        long faults = 0;
        long messageFaults = 0;
        long commits = 0;
        long txs = 0;
        long crashes = 0;
        long reruns = 0;
        long adopted = 0;
        long executed = 0;
        long parked = 0;
        long exact = 0;
        long lies = 0;
        long leases = 0;
        long lazySeeds = 0;
        long objectRequests = 0;
        long slowSnapshots = 0;
        long snapshotTimeouts = 0;
        for (long seed = FROM; seed < FROM + SEEDS; seed++) {
            SimCase c = SimCase.draw(seed, null);
            ClusterSimulation.Outcome o = run(c);
            if (o.failed()) {
                reportFailure(o);
            }
            ClusterSimulation.Stats s = o.stats();
            assertTrue(s.faultsInjected() + s.messageFaults() >= 20,
                    () -> "seed " + c.seed() + " injected only " + s.faultsInjected() + " + " + s.messageFaults()
                            + " faults (expected: >= 20)");
            if (o.exact() && ++exact % RERUN_EVERY == 1) {
                ClusterSimulation.Outcome again = run(c);
                reruns++;
                assertEquals(o.traceHash(), again.traceHash(), () -> "seed " + c.seed() + " is not deterministic: "
                        + o.stats() + " vs " + again.stats() + "; replay: " + REPLAY + c.replayProperties());
            }
            for (SimCase.Fault f : c.active()) {
                byKind.merge(f.kind(), 1, Integer::sum);
            }
            faults += s.faultsInjected();
            messageFaults += s.messageFaults();
            commits += s.commits();
            txs += s.transactionsCommitted();
            crashes += s.primaryCrashes();
            adopted += s.adopted();
            executed += s.executed();
            parked += s.parked();
            lies += s.lies();
            leases += s.leases();
            lazySeeds += s.lazyJoin() ? 1 : 0;
            objectRequests += s.objectRequests();
            slowSnapshots += s.slowSnapshots();
            snapshotTimeouts += s.snapshotTimeouts();
            long done = seed - FROM + 1;
            if (done % 100 == 0 || done == SEEDS) {
                System.out.printf("simulation: %d/%d seeds, %d faults + %d message faults, %d primary crashes,"
                                + " %d commits, %d transactions, adopted %d/%d, parked %d, %.1f s%n", done, SEEDS, faults,
                        messageFaults, crashes, commits, txs, adopted, executed, parked, (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.println("simulation summary: seeds " + FROM + ".." + (FROM + SEEDS - 1) + ", re-run for determinism "
                + reruns + ", scheduled faults by kind " + byKind + ", message faults " + messageFaults
                + ", primary crashes " + crashes + ", lying results " + lies + ", leases granted " + leases
                + ", lazy-join seeds " + lazySeeds + " (OBJECT_REQUESTs " + objectRequests + "), SNAPSHOT_REQUESTs held back "
                + slowSnapshots + ", snapshot timeouts " + snapshotTimeouts + ", failures 0");
        long lazy = lazySeeds;
        long fetched = objectRequests;
        assertTrue(SEEDS < 200 || (lazy > 0 && lazy < SEEDS && fetched > 0),
                () -> "lazy join in some seeds, not all, and fetching: " + lazy + " seeds, " + fetched + " requests");
        for (SimCase.Kind k : SimCase.Kind.values()) {
            assertTrue(SEEDS < 200 || byKind.getOrDefault(k, 0) > 0, () -> "fault " + k + " never injected");
        }
    }

    /** Seeds that diverged under {@link #STALL_NANOS} stalls while the primary's result wait had a real-time limit. */
    static final long[] STALLED_SEEDS = {3, 4, 11, 59};
    /** Longer than the longest result wait a seed configures (10 ms), so that a real-time limit would expire. */
    static final long STALL_NANOS = 12_000_000L;

    /**
     * One seed, one trace, however slow the simulator's thread is in real time: each step it takes
     * while the primary waits for results is preceded by a random real stall (up to
     * {@link #STALL_NANOS}, as on a loaded machine), and the trace must be that of the run without
     * stalls. The primary's threads are real, so this holds only if none of them acts on real time.
     */
    @Test
    @Timeout(300)
    void shouldGiveOneTraceWhateverTheRealTiming() throws java.io.IOException {
        for (long seed : STALLED_SEEDS) {
            SimCase c = SimCase.draw(seed, null);
            ClusterSimulation.Outcome plain = run(c);
            ClusterSimulation.Outcome stalled;
            try (ClusterSimulation sim = new ClusterSimulation(c).realTimeJitter(seed, STALL_NANOS)) {
                stalled = sim.run();
            }
            assertTrue(plain.exact(), () -> "seed " + seed + " is exact (one Block-STM worker)");
            assertTrue(!plain.failed() && !stalled.failed(), () -> "seed " + seed + ": " + plain.violations() + " / "
                    + stalled.violations());
            assertEquals(plain.traceHash(), stalled.traceHash(), () -> "seed " + seed + " depends on real timing: "
                    + plain.stats() + " vs, with stalls, " + stalled.stats());
            assertEquals(plain.stats().events(), stalled.stats().events(), () -> "seed " + seed + " events");
        }
    }

    /** Every planted bug is caught within the CI run's seeds. */
    @Test
    @Timeout(600)
    void shouldCatchEveryCanary() {
        assertTrue(Canary.ENABLED, "the test JVM runs with -Dremora.canaries=true (remora-primary's surefire setup)");
        List<String> missed = new ArrayList<>();
        for (Canary canary : Canary.values()) {
            boolean caught = false;
            for (long seed = 1; seed <= 200 && !caught; seed++) {
                ClusterSimulation.Outcome o = run(SimCase.draw(seed, canary));
                if (o.failed()) {
                    caught = true;
                    System.out.println("canary " + canary + " caught by seed " + seed + ": " + o.violations().get(0));
                }
            }
            if (!caught) {
                missed.add(canary.name());
            }
        }
        assertTrue(missed.isEmpty(), () -> "canaries not caught in 200 seeds: " + missed);
    }

    /** Replays one case: {@code -Dremora.sim.seed=S} (and what a failure printed). */
    @Test
    @EnabledIfSystemProperty(named = "remora.sim.seed", matches = "-?\\d+")
    void replay() {
        SimCase c = SimCase.fromProperties(Long.getLong("remora.sim.seed"));
        System.out.println("replaying " + c);
        ClusterSimulation.Outcome o = run(c);
        System.out.println("trace " + o.traceHash() + ", " + o.stats());
        if (o.failed()) {
            reportFailure(o);
        }
    }

    private static void reportFailure(ClusterSimulation.Outcome o) {
        System.out.println("seed " + o.simCase().seed() + " FAILED: " + o.violations());
        SimCase small = Shrinker.shrink(o.simCase(), ClusterSimulationTest::run);
        ClusterSimulation.Outcome again = run(small);
        fail("simulation seed " + o.simCase().seed() + " failed: " + o.violations().get(0)
                + "\n  replay: " + REPLAY + o.simCase().replayProperties()
                + "\n  shrunk to " + small + ": " + (again.failed() ? again.violations().get(0) : "(passes?)")
                + "\n  replay the shrunk case: " + REPLAY + small.replayProperties());
    }
}
