package io.remora.core.canary;

/**
 * Planted bugs for the cluster simulator's self-test: each one is a real mistake an engineer could
 * make, placed in the production code path behind a switch, and the simulator must catch every one
 * within its CI seeds (a simulator that misses a planted bug would miss the real one too).
 *
 * <p>The switch is off unless the JVM runs with {@code -Dremora.canaries=true} (the test JVMs of
 * remora-primary only): {@link #ENABLED} is then a constant false and every check folds away. A
 * test plants at most one canary at a time with {@link #plant}; nothing in production calls it.
 *
 * <p>Thread-safety: {@link #plant} publishes through a volatile field.
 */
public enum Canary {
    /** The primary's validation skips the last read of every lookup table (stale results get adopted). */
    ADOPT_SKIPS_LAST_READ,
    /** Exactly-once forgets digests once their commit is durable (a later copy executes again). */
    EXACTLY_ONCE_FORGETS_DURABLE,
    /** A restarted primary believes its last durable commit is one earlier (the host's replay applies it twice). */
    RECOVERY_REPLAYS_LAST_COMMIT,
    /** A pre-executor loses a parked transaction (never answered; its queue never drains). */
    PRE_EXECUTOR_LOSES_PARKED,
    /** In CROSS_CHECKED mode the primary takes the first result instead of waiting for replicas that agree (a liar gets in). */
    CROSS_CHECK_TRUSTS_ONE;

    /** Whether canaries can be planted in this JVM ({@code -Dremora.canaries=true}). */
    public static final boolean ENABLED = Boolean.getBoolean("remora.canaries");

    private static volatile Canary planted;

    /** Whether this canary is planted now. */
    public boolean active() {
        return ENABLED && planted == this;
    }

    /**
     * Plants {@code canary} (null removes it).
     *
     * @throws IllegalStateException if this JVM was not started with {@code -Dremora.canaries=true}
     */
    public static void plant(Canary canary) {
        if (!ENABLED && canary != null) {
            throw new IllegalStateException("remora.canaries=false (expected: -Dremora.canaries=true to plant "
                    + canary + ")");
        }
        planted = canary;
    }
}
