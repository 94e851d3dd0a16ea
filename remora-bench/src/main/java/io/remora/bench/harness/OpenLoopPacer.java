package io.remora.bench.harness;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The schedule of an open-loop load: submission {@code i} is due at
 * {@code start + i * 10^9 / rate} nanoseconds, whatever happened to earlier ones. The generator waits
 * for a slot only if it is early; when it is late (the system under test slowed it down), it submits
 * at once and the latency is still measured from the scheduled time, so a stall is charged to every
 * submission it delayed (no coordinated omission).
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenLoopPacer {
    private final long startNanos;
    private final double nanosPerSubmission;

    public OpenLoopPacer(double ratePerSecond, long startNanos) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate=" + ratePerSecond + " (expected: > 0)");
        }
        this.startNanos = startNanos;
        this.nanosPerSubmission = 1e9 / ratePerSecond;
    }

    /** When submission {@code i} (0-based) is due. */
    public long scheduledNanos(long i) {
        return startNanos + Math.round(i * nanosPerSubmission);
    }

    /** How many submissions are due in {@code [start, start + durationNanos)}. */
    public long submissionsWithin(long durationNanos) {
        return (long) Math.ceil(durationNanos / nanosPerSubmission - 1e-9);
    }

    /** Waits (parks) until submission {@code i} is due on {@code clock}; returns its scheduled time. */
    public long awaitSlot(long i, LongSupplier clock) {
        long due = scheduledNanos(i);
        long wait;
        while ((wait = due - clock.getAsLong()) > 0) {
            LockSupport.parkNanos(wait);
        }
        return due;
    }
}
