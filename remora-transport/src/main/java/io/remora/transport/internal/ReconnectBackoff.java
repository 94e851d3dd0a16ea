package io.remora.transport.internal;

import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with "equal jitter": attempt k waits a uniform delay in
 * {@code [b/2, b]} where {@code b = min(max, initial * 2^k)}.
 *
 * <p>Thread-safety: not thread-safe; used on one client's event loop (or under its lock).
 */
public final class ReconnectBackoff {
    private final long initialNanos;
    private final long maxNanos;
    private final RandomGenerator random;
    private int attempt;

    public ReconnectBackoff(long initialNanos, long maxNanos, RandomGenerator random) {
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
        this.random = random;
    }

    /** The next delay in nanoseconds; grows until {@link #reset()}. */
    public long nextDelayNanos() {
        int shift = Math.min(attempt, 40);
        attempt++;
        long base = initialNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
        long half = base / 2;
        return half + random.nextLong(base - half + 1);
    }

    public void reset() {
        attempt = 0;
    }

    public int attempts() {
        return attempt;
    }
}
