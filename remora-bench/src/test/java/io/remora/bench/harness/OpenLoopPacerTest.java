package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
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
    void shouldFollowSteppedRatesEachFromTheEndOfTheLastStep() {
        // 1,000 tx/s for 1 s, then 4,000 for 0.5 s, then 100 on and on.
        OpenLoopPacer p = OpenLoopPacer.steps(List.of(new OpenLoopPacer.Step(1000, Duration.ofSeconds(1)),
                new OpenLoopPacer.Step(4000, Duration.ofMillis(500)), new OpenLoopPacer.Step(100, Duration.ofSeconds(1))), 7);
        assertEquals(7, p.scheduledNanos(0));
        assertEquals(7 + 999_000_000L, p.scheduledNanos(999), "the last slot of the first step");
        assertEquals(7 + 1_000_000_000L, p.scheduledNanos(1000), "the second step starts when the first ends");
        assertEquals(7 + 1_000_250_000L, p.scheduledNanos(1001));
        assertEquals(7 + 1_500_000_000L, p.scheduledNanos(3000), "third step");
        assertEquals(7 + 2_500_000_000L, p.scheduledNanos(3100), "after the last step its rate goes on");
        assertEquals(7 + 3_500_000_000L, p.scheduledNanos(3200));
        assertEquals(0, p.submissionsWithin(0));
        assertEquals(1000, p.submissionsWithin(1_000_000_000L));
        assertEquals(1001, p.submissionsWithin(1_000_000_001L));
        assertEquals(3000, p.submissionsWithin(1_500_000_000L));
        assertEquals(3100, p.submissionsWithin(2_500_000_000L));
        assertEquals(3110, p.submissionsWithin(2_600_000_000L));
        for (long i = 0; i < 3300; i++) {
            long t = p.scheduledNanos(i) - 7;
            assertEquals(i, p.submissionsWithin(t), "submissions due before slot " + i);
            assertEquals(i + 1, p.submissionsWithin(t + 1), "slot " + i + " itself");
        }
    }

    @Test
    void shouldParseStepsAndRejectMalformedOnes() {
        assertEquals(List.of(new OpenLoopPacer.Step(500, Duration.ofSeconds(10)), new OpenLoopPacer.Step(2000, Duration.ofMillis(250)),
                new OpenLoopPacer.Step(1.5, Duration.ofMinutes(2))), OpenLoopPacer.Step.parse("500:10s, 2000:250ms,1.5:2m"));
        for (String bad : new String[] {"", "500", "500:10", "x:10s", "0:10s", "-5:1s", "500:0s", "500:10s,", "500:10s:1",
                "NaN:1s", "Infinity:1s"}) {
            assertThrows(IllegalArgumentException.class, () -> OpenLoopPacer.Step.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> OpenLoopPacer.Step.parse("1:1s,".repeat(OpenLoopPacer.MAX_STEPS + 1)));
    }

    @Test
    void shouldRejectNonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopPacer(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopPacer(Double.NaN, 0));
    }
}
