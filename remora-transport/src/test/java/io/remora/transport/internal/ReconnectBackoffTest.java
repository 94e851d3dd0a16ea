package io.remora.transport.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    @Test
    void shouldGrowExponentiallyWithJitterUpToTheCap() {
        long seed = 42;
        ReconnectBackoff b = new ReconnectBackoff(100, 10_000, new Random(seed));
        long base = 100;
        for (int i = 0; i < 20; i++) {
            long d = b.nextDelayNanos();
            assertTrue(d >= base / 2 && d <= base, "attempt " + i + " delay " + d + " base " + base + " seed " + seed);
            base = Math.min(10_000, base * 2);
        }
        b.reset();
        assertTrue(b.nextDelayNanos() <= 100);
    }

    @Test
    void shouldNotOverflowAfterManyAttempts() {
        ReconnectBackoff b = new ReconnectBackoff(50_000_000L, 5_000_000_000L, new Random(1));
        for (int i = 0; i < 200; i++) {
            long d = b.nextDelayNanos();
            assertTrue(d > 0 && d <= 5_000_000_000L);
        }
    }
}
