package io.remora.bench.harness;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram recorded in nanoseconds, in milliseconds.
 *
 * @param count values recorded
 */
public record LatencySummary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
    public static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** The summary of {@code h} (values in nanoseconds); {@link #EMPTY} if it holds nothing. */
    public static LatencySummary of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(h.getTotalCount(), h.getMean() / 1e6,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }

    /** A new histogram for latencies from 1 µs to 10 min at 3 significant digits. */
    public static Histogram newHistogram() {
        Histogram h = new Histogram(1_000, 600_000_000_000L, 3);
        return h;
    }

    /** Records {@code nanos} (clamped into the histogram's range) {@code count} times. */
    public static void record(Histogram h, long nanos, long count) {
        long v = Math.max(h.getLowestDiscernibleValue(), Math.min(nanos, h.getHighestTrackableValue()));
        h.recordValueWithCount(v, count);
    }
}
