package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The open-loop schedule: fixed slots whatever the submissions cost; late slots fire at once. */
class OpenLoopPacerTest {
    @Test
    void shouldScheduleSubmissionsAtFixedSlotsFromTheStart() {
        OpenLoopPacer p = new OpenLoopPacer(4000, 1_000);
        assertEquals(1_000, p.scheduledNanos(0));
        assertEquals(1_000 + 250_000, p.scheduledNanos(1));
        assertEquals(1_000 + 1_000_000_000L, p.scheduledNanos(4000));
        assertEquals(4000, p.submissionsWithin(1_000_000_000L));
        assertEquals(1, p.submissionsWithin(1));
        assertEquals(0, p.submissionsWithin(0));
    }

    @Test
    void shouldNotDriftOnNonIntegralPeriods() {
        OpenLoopPacer p = new OpenLoopPacer(3, 0); // 333,333,333.3 ns per submission
        assertEquals(1_000_000_000L, p.scheduledNanos(3));
        assertEquals(100_000_000_000L, p.scheduledNanos(300));
    }

    @Test
    void shouldKeepTheScheduleWhenTheGeneratorFallsBehind() {
        OpenLoopPacer p = new OpenLoopPacer(1000, 0);
        AtomicLong clock = new AtomicLong(5_500_000); // 5.5 ms late already: slots 0..5 are due
        for (int i = 0; i <= 5; i++) {
            assertEquals(i * 1_000_000L, p.awaitSlot(i, clock::get), "a late slot returns its scheduled time at once");
        }
        assertEquals(5_500_000, clock.get());
    }

    @Test
    void shouldWaitForAnEarlySlot() {
        OpenLoopPacer p = new OpenLoopPacer(1000, System.nanoTime() + 2_000_000);
        long due = p.awaitSlot(0, System::nanoTime);
        assertEquals(true, System.nanoTime() >= due);
    }

    @Test
    void shouldRejectNonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopPacer(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopPacer(Double.NaN, 0));
    }
}
