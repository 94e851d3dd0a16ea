package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Percentile math, clamping, weighting, and the "sustainable" criterion. */
class LatencySummaryTest {
    @Test
    void shouldComputePercentilesInMillisecondsWithinHistogramPrecision() {
        Histogram h = LatencySummary.newHistogram();
        for (int ms = 1; ms <= 100; ms++) {
            LatencySummary.record(h, ms * 1_000_000L, 1);
        }
        LatencySummary s = LatencySummary.of(h);
        assertEquals(100, s.count());
        assertEquals(50, s.p50Ms(), 0.1);
        assertEquals(90, s.p90Ms(), 0.1);
        assertEquals(99, s.p99Ms(), 0.1);
        assertEquals(100, s.maxMs(), 0.1);
        assertEquals(50.5, s.meanMs(), 0.1);
    }

    @Test
    void shouldWeightACommitLatencyByItsTransactions() {
        Histogram h = LatencySummary.newHistogram();
        LatencySummary.record(h, 2_000_000, 99);   // one commit of 99 transactions at 2 ms
        LatencySummary.record(h, 50_000_000, 1);   // one commit of 1 transaction at 50 ms
        LatencySummary s = LatencySummary.of(h);
        assertEquals(2, s.p50Ms(), 0.01);
        assertEquals(2, s.p99Ms(), 0.01);
        assertEquals(50, s.maxMs(), 0.1);
    }

    @Test
    void shouldClampValuesOutsideTheRange() {
        Histogram h = LatencySummary.newHistogram();
        LatencySummary.record(h, -5, 1);
        LatencySummary.record(h, Long.MAX_VALUE, 1);
        assertEquals(2, h.getTotalCount());
        assertTrue(LatencySummary.of(h).maxMs() >= 600_000 * 0.999);
    }

    @Test
    void shouldSummarizeAnEmptyHistogramAsNaN() {
        assertSame(LatencySummary.EMPTY, LatencySummary.of(LatencySummary.newHistogram()));
        assertTrue(Double.isNaN(LatencySummary.EMPTY.p50Ms()));
    }

    @Test
    void shouldCallAPointSustainableOnlyBelow20MsP99AtTheOfferedRate() {
        assertTrue(point(1000, 990, 19.9, false).sustainable());
        assertFalse(point(1000, 990, 20.0, false).sustainable());
        assertFalse(point(1000, 900, 5, false).sustainable(), "served < 95% of the offered rate");
        assertFalse(point(1000, 1000, 5, true).sustainable());
        PointResult ok = point(1000, 1000, 5, false);
        PointResult shortRun = new PointResult(ok.workload(), ok.configuration(), 2, 1000, 1000, 100,
                PointResult.MIN_COMMITS - 1, ok.commitToEffects(), ok.submitToEffects(), 0.97, 97, 3, 0.5,
                List.of(0.25, 0.5), false, true, "ab", "ab", PointResult.Breakdown.NONE, "");
        assertFalse(shortRun.sustainable(), "fewer than 300 commits: the p99 is one or two commits' latency");
        assertEquals("too short (299 < 300 commits)", shortRun.status());
        assertEquals("sustained", ok.status());
        assertEquals("p99 ≥ 20 ms", point(1000, 990, 25, false).status());
        assertEquals("served < 95%", point(1000, 900, 5, false).status());
        // 0.5 + 0.25 + 0.5 cores at 1,000 tx/s: 1,250 us of CPU per transaction, 500 of them the primary's.
        assertEquals(500, ok.cpuMicrosPerTxPrimary(), 1e-9);
        assertEquals(1250, ok.cpuMicrosPerTxTotal(), 1e-9);
    }

    static PointResult point(double offered, double tput, double p99, boolean saturated) {
        LatencySummary c = new LatencySummary(100, 1, 1, 2, p99, p99 + 1);
        return new PointResult("transfers", "remora-2", 2, offered, tput, 100, PointResult.MIN_COMMITS, c, c, 0.97, 97, 3, 0.5,
                List.of(0.25, 0.5), saturated, true, "ab", "ab", PointResult.Breakdown.NONE, "");
    }
}
