package io.remora.bench.harness;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The garbage collections of this JVM so far, from its {@link GarbageCollectorMXBean}s: how many
 * collection cycles ran and how long they took (concurrent work included). ZGC reports each cycle
 * twice, as "ZGC Minor/Major Cycles" (the whole cycle) and "ZGC Minor/Major Pauses" (its
 * stop-the-world parts, inside the cycle): only the cycles count here, so that a cycle is not
 * counted twice. A collection that runs concurrently takes CPU from the threads beside it, which on
 * the one core a benchmark pins the primary to is what its latency sees.
 *
 * <p>Stateless and thread-safe.
 */
public final class GcSampler {
    /** Collection cycles and their total duration in milliseconds, since the JVM started. */
    public record Totals(long cycles, long millis) {
        /** What ran between {@code earlier} and this. */
        public Totals minus(Totals earlier) {
            return new Totals(cycles - earlier.cycles, millis - earlier.millis);
        }
    }

    private GcSampler() {
    }

    public static Totals totals() {
        return totals(ManagementFactory.getGarbageCollectorMXBeans());
    }

    static Totals totals(List<GarbageCollectorMXBean> beans) {
        long cycles = 0;
        long millis = 0;
        for (GarbageCollectorMXBean b : beans) {
            if (b.getName().endsWith(" Pauses")) {
                continue; // ZGC: the pauses lie inside the cycles counted by "... Cycles"
            }
            cycles += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new Totals(cycles, millis);
    }
}
