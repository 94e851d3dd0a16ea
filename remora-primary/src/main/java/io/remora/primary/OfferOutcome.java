package io.remora.primary;

/**
 * What the primary did with an offered pre-execution result. Every outcome but {@link #ACCEPTED}
 * is counted in {@link PrimaryMetrics}; none is an error: results are only hints.
 */
public enum OfferOutcome {
    /** Held until the commit containing its transaction executes (or until evicted by newer results). */
    ACCEPTED,
    /** A result for the same transaction is already held: this one was dropped. */
    DUPLICATE,
    /** Its transaction has already executed: dropped. */
    LATE
}
