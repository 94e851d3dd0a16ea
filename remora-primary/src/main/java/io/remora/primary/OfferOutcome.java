package io.remora.primary;

/**
 * What the primary did with an offered pre-execution result. Every outcome but {@link #ACCEPTED}
 * is counted in {@link PrimaryMetrics}; none is an error: results are only hints.
 */
public enum OfferOutcome {
    /** Held until the commit containing its transaction executes (or until evicted by newer results). */
    ACCEPTED,
    /** A result for the same transaction from the same source is already held: this one was dropped. */
    DUPLICATE,
    /** Its transaction has already executed: dropped. */
    LATE,
    /**
     * From a peer the transaction was not routed to (or a transaction never routed): dropped, so
     * that no peer can preempt or crowd out the result of the peer that was given the work.
     */
    UNSOLICITED,
    /** From a quarantined peer: dropped, like everything it sends until an operator re-admits it. */
    QUARANTINED,
    /** Larger than an honest result for its transaction could be (from its gas budget): dropped. */
    OVERSIZED,
    /** Its source already holds its byte budget of results (or the table its total): dropped. */
    OVER_BUDGET
}
