package io.remora.primary.cluster;

/**
 * A token bucket: {@code rate} tokens per second, at most {@code burst} saved; for per-peer
 * request rates that an honest peer never reaches.
 *
 * <p>Not thread-safe: one thread (a connection's I/O thread) uses it.
 */
final class TokenBucket {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last = Long.MIN_VALUE;

    TokenBucket(double perSecond, double burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes a token at {@code now} (monotonic nanoseconds) if one is there. */
    boolean tryTake(long now) {
        if (last != Long.MIN_VALUE) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
        }
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
