package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmupGateTest {
    private static final long S = 1_000_000_000L;

    @Test
    void shouldSettleAfterTwoSteadyIntervalsWithoutCompilation() {
        WarmupGate g = new WarmupGate(1000);
        assertFalse(g.settled(0, 0, 100));
        assertFalse(g.settled(S, 1000, 100), "one steady interval is not enough");
        assertTrue(g.settled(2 * S, 1990, 120), "two in a row, 20 ms of 1 s compiling");
        assertTrue(g.settled(2 * S + S / 2, 2400, 120), "between samples the verdict stands");
    }

    @Test
    void shouldNotSettleWhileCompilingOrOffRateAndStartOverAfterABadInterval() {
        WarmupGate g = new WarmupGate(1000);
        g.settled(0, 0, 0);
        assertFalse(g.settled(S, 1000, 200), "20% of the interval compiling");
        assertFalse(g.settled(2 * S, 2000, 210));
        assertFalse(g.settled(3 * S, 2800, 210), "800 tx/s of 1,000 offered: behind");
        assertFalse(g.settled(4 * S, 3800, 210), "the count starts over after a bad interval");
        assertTrue(g.settled(5 * S, 4800, 210));
        WarmupGate unknownJit = new WarmupGate(500);
        unknownJit.settled(0, 0, -1);
        unknownJit.settled(S, 500, -1);
        assertTrue(unknownJit.settled(2 * S, 1000, -1), "a JVM that does not report compilation time: rate only");
    }
}
