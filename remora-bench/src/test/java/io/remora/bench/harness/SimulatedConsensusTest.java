package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The simulated consensus on a virtual clock: commit boundaries, delivery delay, order, no gaps. */
class SimulatedConsensusTest {
    static final long MS = 1_000_000L;

    @Test
    void shouldCutOneCommitPerIntervalAndDeliverItAfterTheDelay() {
        SimulatedConsensus<String> c = new SimulatedConsensus<>(0, 100 * MS, 300 * MS);
        c.offer("a", 0);
        c.offer("b", 99 * MS);
        c.offer("c", 100 * MS); // exactly at the cut: next commit
        assertTrue(c.poll(399 * MS).isEmpty(), "commit 0 is due at 100 + 300 ms");
        List<SimulatedConsensus.Commit<String>> due = c.poll(400 * MS);
        assertEquals(1, due.size());
        assertEquals(new SimulatedConsensus.Commit<>(0, 100 * MS, 400 * MS, List.of("a", "b")), due.get(0));
        List<SimulatedConsensus.Commit<String>> next = c.poll(500 * MS);
        assertEquals(List.of("c"), next.get(0).items());
        assertEquals(1, next.get(0).index());
        assertTrue(c.isIdle());
    }

    @Test
    void shouldSkipEmptyIntervalsWithoutGapsInIndices() {
        SimulatedConsensus<Integer> c = new SimulatedConsensus<>(0, 10 * MS, 5 * MS);
        c.offer(1, 1 * MS);
        c.offer(2, 55 * MS);     // four empty intervals in between
        c.offer(3, 10_000 * MS); // a long idle stretch
        List<SimulatedConsensus.Commit<Integer>> all = c.poll(20_000 * MS);
        assertEquals(List.of(0L, 1L, 2L), all.stream().map(SimulatedConsensus.Commit::index).toList());
        assertEquals(60 * MS, all.get(1).cutNanos());
        assertEquals(10_010 * MS, all.get(2).cutNanos());
        assertEquals(10_015 * MS, all.get(2).deliverAtNanos());
    }

    @Test
    void shouldPreserveOfferOrderAndDeliverEveryItemOnceOnARandomSchedule() {
        long seed = Long.getLong("remora.seed", System.nanoTime());
        System.out.println("SimulatedConsensusTest seed=" + seed + " (replay: -Dremora.seed=" + seed + ")");
        Random rnd = new Random(seed);
        SimulatedConsensus<Integer> c = new SimulatedConsensus<>(7 * MS, 100 * MS, 300 * MS);
        List<Integer> delivered = new ArrayList<>();
        long lastIndex = -1;
        long now = 7 * MS;
        for (int i = 0; i < 5000; i++) {
            now += rnd.nextInt(3) == 0 ? rnd.nextInt(250) * MS : rnd.nextInt(1000) * 1000L;
            c.offer(i, now);
            if (rnd.nextInt(10) == 0) {
                for (SimulatedConsensus.Commit<Integer> k : c.poll(now)) {
                    assertEquals(lastIndex + 1, k.index(), "seed=" + seed);
                    assertTrue(k.deliverAtNanos() <= now && k.deliverAtNanos() == k.cutNanos() + 300 * MS, "seed=" + seed);
                    lastIndex = k.index();
                    delivered.addAll(k.items());
                }
            }
        }
        // Drain what is due now; then the next event (a cut or a delivery) lies in the future.
        for (SimulatedConsensus.Commit<Integer> k : c.poll(now)) {
            assertEquals(lastIndex + 1, k.index(), "seed=" + seed);
            lastIndex = k.index();
            delivered.addAll(k.items());
        }
        assertFalse(c.isIdle());
        assertTrue(c.nextEventNanos() > now, "seed=" + seed);
        for (SimulatedConsensus.Commit<Integer> k : c.poll(now + 1000 * MS)) {
            assertEquals(lastIndex + 1, k.index(), "seed=" + seed);
            lastIndex = k.index();
            delivered.addAll(k.items());
        }
        assertTrue(c.isIdle());
        for (int i = 0; i < delivered.size(); i++) {
            assertEquals(i, delivered.get(i), "seed=" + seed);
        }
        assertEquals(5000, delivered.size());
    }

    @Test
    void shouldRejectNonPositiveInterval() {
        assertThrows(IllegalArgumentException.class, () -> new SimulatedConsensus<>(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedConsensus<>(0, 1, -1));
    }
}
