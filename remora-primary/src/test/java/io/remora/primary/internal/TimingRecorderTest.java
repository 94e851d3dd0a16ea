package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remora.primary.TimingStats;
import org.junit.jupiter.api.Test;

class TimingRecorderTest {
    @Test
    void shouldBucketByPowersOfTwoAndKeepMinMaxTotal() {
        TimingRecorder r = new TimingRecorder();
        r.record(500);          // < 1.024 µs: bucket 0
        r.record(1_500);        // < 2.048 µs: bucket 1
        r.record(3_000_000);    // ~3 ms
        r.record(Long.MAX_VALUE);
        TimingStats s = r.snapshot();
        assertEquals(4, s.count());
        assertEquals(500, s.minNanos());
        assertEquals(Long.MAX_VALUE, s.maxNanos());
        assertEquals(1, s.buckets()[0]);
        assertEquals(1, s.buckets()[1]);
        assertEquals(1, s.buckets()[TimingRecorder.bucket(3_000_000)]);
        assertEquals(1, s.buckets()[TimingStats.BUCKETS - 1]);
        assertEquals(1024, s.quantileUpperBoundNanos(0.25));
        assertEquals(Long.MAX_VALUE, s.quantileUpperBoundNanos(1.0));
        assertEquals(0, new TimingRecorder().snapshot().minNanos());
    }
}
