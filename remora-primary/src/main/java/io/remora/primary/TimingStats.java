package io.remora.primary;

import java.util.Arrays;

/**
 * A snapshot of a duration distribution: count, total, min, max and a power-of-two histogram.
 * Bucket {@code i} counts durations below {@code 2^(FIRST_BUCKET_SHIFT + i)} ns that did not fit
 * the previous bucket (bucket 0: below 1.024 µs; the last bucket takes everything longer).
 *
 * <p>Immutable and thread-safe.
 *
 * @param count number of durations recorded
 * @param totalNanos their sum
 * @param minNanos the smallest (0 if none)
 * @param maxNanos the largest (0 if none)
 */
public record TimingStats(long count, long totalNanos, long minNanos, long maxNanos, long[] buckets) {
    /** Bucket 0's upper bound is 2^10 ns. */
    public static final int FIRST_BUCKET_SHIFT = 10;
    /** Number of buckets: up to 2^(10+27) ns (~137 s), then the overflow bucket. */
    public static final int BUCKETS = 28;

    public TimingStats {
        buckets = buckets.clone();
    }

    @Override
    public long[] buckets() {
        return buckets.clone();
    }

    /** Mean in nanoseconds (0 if none). */
    public long meanNanos() {
        return count == 0 ? 0 : totalNanos / count;
    }

    /**
     * An upper bound of the {@code q}-quantile ({@code 0 < q <= 1}): the upper edge of the bucket
     * holding it, capped at {@link #maxNanos}. Accurate to a factor of two.
     */
    public long quantileUpperBoundNanos(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("q=" + q + " (expected: 0 < q <= 1)");
        }
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return i == buckets.length - 1 ? maxNanos : Math.min(maxNanos, 1L << (FIRST_BUCKET_SHIFT + i));
            }
        }
        return maxNanos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimingStats t && count == t.count && totalNanos == t.totalNanos && minNanos == t.minNanos
                && maxNanos == t.maxNanos && Arrays.equals(buckets, t.buckets);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Long.hashCode(totalNanos);
    }

    @Override
    public String toString() {
        return "TimingStats(n=" + count + " mean=" + meanNanos() + "ns min=" + minNanos + "ns max=" + maxNanos
                + "ns p99<=" + quantileUpperBoundNanos(0.99) + "ns)";
    }
}
