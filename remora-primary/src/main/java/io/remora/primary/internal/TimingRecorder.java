package io.remora.primary.internal;

import io.remora.primary.TimingStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records durations into a fixed power-of-two histogram (see {@link TimingStats}) with no
 * allocation per record.
 *
 * <p>Thread-safe: any thread may {@link #record}; {@link #snapshot} is not atomic across fields
 * (a concurrent record may show in the count but not yet in a bucket).
 */
final class TimingRecorder {
    private final LongAdder count = new LongAdder();
    private final LongAdder total = new LongAdder();
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong max = new AtomicLong();
    private final AtomicLongArray buckets = new AtomicLongArray(TimingStats.BUCKETS);

    void record(long nanos) {
        long v = Math.max(0, nanos);
        count.increment();
        total.add(v);
        min.accumulateAndGet(v, Math::min);
        max.accumulateAndGet(v, Math::max);
        buckets.incrementAndGet(bucket(v));
    }

    static int bucket(long nanos) {
        int bits = 64 - Long.numberOfLeadingZeros(nanos); // nanos < 2^bits
        return Math.min(TimingStats.BUCKETS - 1, Math.max(0, bits - TimingStats.FIRST_BUCKET_SHIFT));
    }

    TimingStats snapshot() {
        long n = count.sum();
        long[] b = new long[TimingStats.BUCKETS];
        for (int i = 0; i < b.length; i++) {
            b[i] = buckets.get(i);
        }
        return new TimingStats(n, total.sum(), n == 0 ? 0 : min.get(), max.get(), b);
    }
}
