package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scaling policy on a virtual clock: rises only after the up window, falls only after the down window. */
class ScalingPolicyTest {
    private static final long MS = 1_000_000L;

    private static ScalingSignals load(int peers, double depth) {
        return new ScalingSignals(peers, depth, 1000, 0, 0);
    }

    @Test
    void shouldScaleUpAfterTheUpWindowAndDownOnlyAfterTheDownWindow() {
        ScalingPolicy p = ScalingPolicy.builder().preExecutors(1, 8).targetQueueDepth(64).targetUtilisation(0.8)
                .scaleUpWindow(Duration.ofSeconds(1)).scaleDownWindow(Duration.ofSeconds(30)).build();
        int current = 1;
        long t = 0;
        for (; t <= 2000 * MS; t += 500 * MS) { // light load: stays
            assertEquals(1, p.evaluate(t, current, load(1, 10)).desired());
        }
        // A ramp: depth 200 per pre-executor asks for ceil(1 x 3.125 / 0.8) = 4, once it has held 1 s.
        long rampAt = t;
        ScalingAdvice a = null;
        for (; t < rampAt + 1000 * MS; t += 500 * MS) {
            a = p.evaluate(t, current, load(1, 200));
            assertEquals(4, a.recommended());
            assertEquals(1, a.desired(), "rose before the up window at +" + (t - rampAt) / MS + " ms");
        }
        a = p.evaluate(t, current, load(1, 200));
        assertEquals(4, a.desired(), "the rise held for the up window");
        assertTrue(a.reason().contains("queue depth"), a.reason());
        current = 4;
        t += 500 * MS;
        // Load falls: the recommendation drops to the minimum, the advice only after 30 s of it.
        long dropAt = t;
        for (; t < dropAt + 30_000 * MS; t += 500 * MS) {
            a = p.evaluate(t, current, load(4, 5));
            assertEquals(1, a.recommended());
            assertEquals(4, a.desired(), "fell within the down window at +" + (t - dropAt) / MS + " ms");
        }
        a = p.evaluate(t, current, load(4, 5));
        assertEquals(3, a.desired(), "fell by one once load stayed low for the down window");
        current = 3;
        long firstDown = t;
        for (t += 500 * MS; t < firstDown + 30_000 * MS; t += 500 * MS) {
            assertEquals(3, p.evaluate(t, current, load(3, 5)).desired(), "a second step down within a window");
        }
        assertEquals(2, p.evaluate(t, current, load(3, 5)).desired(), "the next step a window later");
    }

    /** Busy workers ask for more before their queues grow; lightly busy ones with empty queues for fewer. */
    @Test
    void shouldUseTheWorkersBusyShareBesideTheQueueDepth() {
        ScalingPolicy p = ScalingPolicy.builder().preExecutors(1, 8).targetQueueDepth(64).targetUtilisation(0.8)
                .scaleUpWindow(Duration.ZERO).scaleDownWindow(Duration.ZERO).build();
        ScalingAdvice busy = p.evaluate(0, 2, new ScalingSignals(2, 1, 1000, 0, 0, 0, 0.95, 0.95));
        assertEquals(3, busy.recommended(), "ceil(2 x 0.95 / 0.8): " + busy.reason());
        assertTrue(busy.reason().contains("95% busy"), busy.reason());
        ScalingAdvice idle = p.evaluate(1, 4, new ScalingSignals(4, 0, 1000, 0, 0, 0, 0.3, 0.35));
        assertEquals(2, idle.recommended(), "ceil(4 x 0.3 / 0.8)");
        ScalingAdvice queued = p.evaluate(2, 2, new ScalingSignals(2, 128, 1000, 0, 0, 0, 0.4, 0.4));
        assertEquals(5, queued.recommended(), "the queue, when it says more: ceil(2 x 2 / 0.8)");
        ScalingAdvice unreported = p.evaluate(3, 2, new ScalingSignals(2, 32, 1000, 0, 0, 0, -1, -1));
        assertEquals(2, unreported.recommended(), "no busy share: the queue alone, ceil(2 x 0.5 / 0.8)");
        // Results missing while the workers are mostly idle: not capacity, so hold (neither up nor down).
        ScalingAdvice idleMisses = p.evaluate(4, 2, new ScalingSignals(2, 0, 1000, 0.06, 0, 0, 0.08, 0.1));
        assertEquals(2, idleMisses.recommended(), idleMisses.reason());
        assertTrue(idleMisses.reason().contains("would not help"), idleMisses.reason());
        ScalingAdvice busyMisses = p.evaluate(5, 2, new ScalingSignals(2, 0, 1000, 0.06, 0, 0, 0.5, 0.5));
        assertEquals(3, busyMisses.recommended(), "busy enough: the misses ask for one more; " + busyMisses.reason());
        ScalingAdvice unroutable = p.evaluate(6, 2, new ScalingSignals(2, 0, 1000, 0, 0.2, 0, 0.08, 0.1));
        assertEquals(3, unroutable.recommended(), "routed nowhere asks for more even when idle");
        ScalingAdvice blind = p.evaluate(7, 2, new ScalingSignals(2, 0, 1000, 0.06, 0, 0, -1, -1));
        assertEquals(3, blind.recommended(), "no busy share reported: the misses alone decide");
        ScalingAdvice oneSaturated = p.evaluate(8, 4, new ScalingSignals(4, 0, 1000, 0.06, 0, 0, 0.25, 1.0));
        assertEquals(5, oneSaturated.recommended(), "one busy peer among idle ones: its misses may be capacity");
        ScalingAdvice someUnreported = p.evaluate(9, 2, new ScalingSignals(2, 0, 1000, 0.06, 0, 0, 0.08, -1));
        assertEquals(3, someUnreported.recommended(), "a peer that does not report: the misses decide");
        assertThrows(IllegalArgumentException.class, () -> new ScalingSignals(1, 0, 0, 0, 0, 0, 1.5, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new ScalingSignals(1, 0, 0, 0, 0, 0, -0.5, -1));
        assertThrows(IllegalArgumentException.class, () -> new ScalingSignals(1, 0, 0, 0, 0, 0, 0.5, 0.4));
    }

    @Test
    void shouldNotAskForMoreWhilePreExecutorsAreStartingUntilTheGraceEnds() {
        ScalingPolicy p = ScalingPolicy.builder().preExecutors(1, 8).targetQueueDepth(64).targetUtilisation(0.8)
                .scaleUpWindow(Duration.ZERO).scaleDownWindow(Duration.ofSeconds(30)).startupGrace(Duration.ofSeconds(10))
                .build();
        // Two running, one synced with a deep queue and misses, the other still starting: hold at 2.
        ScalingSignals starting = new ScalingSignals(1, 300, 1000, 0.5, 0, 1);
        long t = 0;
        for (; t < 10_000 * MS; t += 500 * MS) {
            ScalingAdvice a = p.evaluate(t, 2, starting);
            assertEquals(2, a.desired(), "rose while one was starting, at " + t / MS + " ms");
            assertTrue(a.reason().startsWith("holding: 1 pre-executor(s) still starting ("), a.reason());
        }
        // Past the grace the starting one is taken for lost: the advice rises.
        // ceil(2 x (300 / 64) / 0.8) = 12, clamped to 8
        assertEquals(8, p.evaluate(t, 2, starting).desired());
        // Once it synced (nothing starting), a later start is given a fresh grace.
        p.evaluate(t + 1000 * MS, 2, new ScalingSignals(2, 10, 1000, 0, 0, 0));
        ScalingAdvice a = p.evaluate(t + 1500 * MS, 2, new ScalingSignals(1, 300, 1000, 0.5, 0, 1));
        assertEquals(2, a.desired(), a.reason());
        assertThrows(IllegalArgumentException.class, () -> ScalingPolicy.builder().startupGrace(Duration.ofHours(2)));
        assertThrows(IllegalArgumentException.class, () -> new ScalingSignals(1, 0, 0, 0, 0, -1));
    }

    @Test
    void shouldHoldWhileResultsStillComeLateNearTheThreshold() {
        ScalingPolicy p = ScalingPolicy.builder().preExecutors(1, 8).missThreshold(0.1)
                .scaleUpWindow(Duration.ZERO).scaleDownWindow(Duration.ZERO).build();
        // Queues are short (which alone would ask for 1), but 7% miss: between half the threshold and it.
        ScalingAdvice a = p.evaluate(0, 4, new ScalingSignals(4, 2, 1000, 0.07, 0));
        assertEquals(4, a.recommended());
        assertEquals(4, a.desired());
        assertTrue(a.reason().startsWith("holding"), a.reason());
        assertEquals(3, p.evaluate(1, 4, new ScalingSignals(4, 2, 1000, 0.01, 0)).desired(), "below half: down by one");
    }

    @Test
    void shouldAskForOneMoreWhenResultsComeLateOrNothingIsRoutable() {
        ScalingPolicy p = ScalingPolicy.builder().preExecutors(0, 8).scaleUpWindow(Duration.ZERO).build();
        ScalingAdvice late = p.evaluate(0, 2, new ScalingSignals(2, 1, 1000, 0.2, 0));
        assertEquals(3, late.desired());
        assertTrue(late.reason().contains("without a result in time"), late.reason());
        ScalingPolicy q = ScalingPolicy.builder().preExecutors(0, 8).scaleUpWindow(Duration.ZERO).build();
        assertEquals(1, q.evaluate(0, 0, new ScalingSignals(0, 0, 500, 0, 1)).desired(), "none running, load arriving");
        ScalingPolicy capped = ScalingPolicy.builder().preExecutors(0, 3).scaleUpWindow(Duration.ZERO).build();
        assertEquals(3, capped.evaluate(0, 2, new ScalingSignals(2, 6400, 1000, 0, 0)).desired(), "capped at max");
        ScalingPolicy idle = ScalingPolicy.builder().preExecutors(2, 8).scaleDownWindow(Duration.ZERO).build();
        ScalingAdvice quiet = idle.evaluate(0, 5, new ScalingSignals(5, 0, 0, 0, 0));
        assertEquals(2, quiet.recommended(), "idle: the minimum");
        assertEquals(4, quiet.desired(), "down one at a time");
    }

    @Test
    void shouldNameABadSetting() {
        assertThrows(IllegalArgumentException.class, () -> ScalingPolicy.builder().preExecutors(3, 2));
        assertThrows(IllegalArgumentException.class, () -> ScalingPolicy.builder().targetUtilisation(0));
        assertThrows(IllegalArgumentException.class, () -> ScalingPolicy.builder().targetQueueDepth(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ScalingPolicy.builder().scaleDownWindow(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new ScalingSignals(1, 1, 1, 1.5, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScalingPolicy.builder().missThreshold(2));
        assertTrue(e.getMessage().startsWith("missThreshold=2.0 (expected: "), e.getMessage());
    }
}
