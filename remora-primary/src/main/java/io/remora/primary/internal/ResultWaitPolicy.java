package io.remora.primary.internal;

import java.util.Arrays;

/**
 * How long a commit waits, from its arrival, for results still missing: fixed ({@code min == max}),
 * or adapted to how late results actually come, within {@code [min, max]}.
 *
 * <p>The adaptive rule, applied when each commit starts collecting its results:
 * <ul>
 *   <li><b>Grow</b> when results came late since the last commit (offered after their transaction
 *       had been executed without them, {@code LATE}) and a longer wait would have caught them: by
 *       the 90th percentile of the shortfalls of those that {@code max} could have caught (time from
 *       the execution to the late offer), capped at {@code max}. It grows only when such results
 *       are at least 1% of the transactions collected since (one straggler does not move it).</li>
 *   <li><b>Ignore</b> late results that even {@code max} would have missed: pre-executors that far
 *       behind are not helped by waiting (admission back-pressure is what limits that lag), and
 *       waiting for them would stall every commit behind this one.</li>
 *   <li><b>Shrink</b> otherwise: by 1/16 of the excess over {@code min} per commit (at 10 commits a
 *       second the excess halves in about a second), so a wait grown for a burst of lateness does not
 *       stay.</li>
 * </ul>
 * The wait only bounds how long a commit <em>may</em> wait: a commit whose results are all in (or
 * whose missing transactions were routed to nobody) never waits.
 *
 * <p>Not thread-safe: {@link ResultTable} calls it under its lock.
 */
final class ResultWaitPolicy {
    /** Shortfalls kept between two commits (the first ones; enough for a percentile). */
    private static final int SAMPLES = 512;
    private final long minNanos;
    private final long maxNanos;
    private long currentNanos;
    private final long[] shortfalls = new long[SAMPLES];
    private int sampled;
    private long catchable;
    private long collected;
    private final MetricsCounters metrics;

    ResultWaitPolicy(long minNanos, long maxNanos, MetricsCounters metrics) {
        if (minNanos < 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("resultWait=" + minNanos + ".." + maxNanos + " ns (expected: 0 <= min <= max)");
        }
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.currentNanos = minNanos;
        this.metrics = metrics;
        metrics.resultWaitTargetNanos = minNanos;
    }

    /** A result came {@code shortfallNanos} after its transaction executed without it. */
    void late(long shortfallNanos) {
        if (minNanos == maxNanos || shortfallNanos < 0 || currentNanos + shortfallNanos > maxNanos) {
            return;
        }
        catchable++;
        if (sampled < SAMPLES) {
            shortfalls[sampled++] = shortfallNanos;
        }
    }

    /** The wait for a commit of {@code transactions} starting to collect now (updates the rule first). */
    long nextWait(int transactions) {
        if (minNanos == maxNanos) {
            return minNanos;
        }
        if (catchable > 0 && catchable * 100 >= Math.max(1, collected)) {
            Arrays.sort(shortfalls, 0, sampled);
            long p90 = shortfalls[Math.min(sampled - 1, (int) (sampled * 0.9))];
            currentNanos = Math.min(maxNanos, currentNanos + Math.max(1, p90));
        } else {
            currentNanos -= (currentNanos - minNanos) / 16;
        }
        catchable = 0;
        sampled = 0;
        collected = transactions;
        metrics.resultWaitTargetNanos = currentNanos;
        return currentNanos;
    }
}
