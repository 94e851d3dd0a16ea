package io.remora.bench.harness;

/**
 * When a point's warm-up may end (issue 12 item 7: a warm-up that ends when throughput and JIT
 * settle): sampled once a second, it is settled once {@link #INTERVALS} consecutive one-second
 * intervals each published within {@link #RATE_TOLERANCE} of the offered rate and spent less than
 * {@link #JIT_SHARE} of the interval compiling in this JVM (the primary's: the JIT of pre-executor
 * processes is not visible from here; they are kept warm across points instead). A point past
 * capacity never settles: its warm-up ends at the limit the caller sets, and the report says so.
 * {@code -Dremora.warmup.debug=true} prints every sample to stderr.
 *
 * <p>Not thread-safe: the load generator's thread.
 */
final class WarmupGate {
    static final int INTERVALS = 2;
    static final double RATE_TOLERANCE = 0.10;
    static final double JIT_SHARE = 0.05;
    private static final long SECOND = 1_000_000_000L;
    private static final boolean DEBUG = Boolean.getBoolean("remora.warmup.debug");

    private final double offeredRate;
    private long lastNanos = Long.MIN_VALUE;
    private long lastPublished;
    private long lastJitMillis;
    private int settledIntervals;

    WarmupGate(double offeredRate) {
        this.offeredRate = offeredRate;
    }

    /**
     * Whether the warm-up may end at {@code now}, given how many transactions were published so far
     * and this JVM's total compilation time (milliseconds, -1 if unknown).
     */
    boolean settled(long now, long published, long jitMillis) {
        if (lastNanos == Long.MIN_VALUE) {
            lastNanos = now;
            lastPublished = published;
            lastJitMillis = jitMillis;
            return false;
        }
        long elapsed = now - lastNanos;
        if (elapsed < SECOND) {
            return settledIntervals >= INTERVALS;
        }
        double rate = (published - lastPublished) * 1e9 / elapsed;
        double jitShare = jitMillis < 0 || lastJitMillis < 0 ? 0 : (jitMillis - lastJitMillis) * 1e6 / elapsed;
        if (DEBUG) {
            System.err.printf("warmup gate: rate %.0f of %.0f, jit %.3f%n", rate, offeredRate, jitShare);
        }
        boolean ok = Math.abs(rate - offeredRate) <= RATE_TOLERANCE * offeredRate && jitShare < JIT_SHARE;
        settledIntervals = ok ? settledIntervals + 1 : 0;
        lastNanos = now;
        lastPublished = published;
        lastJitMillis = jitMillis;
        return settledIntervals >= INTERVALS;
    }

    /** This JVM's total JIT compilation time in milliseconds, or -1 where the JVM does not tell. */
    static long jitMillis() {
        java.lang.management.CompilationMXBean c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
    }
}
