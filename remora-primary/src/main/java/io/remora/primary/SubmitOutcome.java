package io.remora.primary;

/**
 * Result of {@link RemoraCluster#submit}. Rejection is an outcome, not an exception.
 *
 * <p>Thread-safety: immutable.
 */
public enum SubmitOutcome {
    /** Forwarded to a pre-executor (the send may still have been dropped under back-pressure) and handed to consensus. */
    ROUTED,
    /** No synced pre-executor was available; consensus still got it and the primary will execute it locally. */
    LOCAL_ONLY,
    /**
     * Every object it declares is under a lease ({@link LeasePolicy}): handed to consensus, and to the
     * lease's delegate for its signature check only (not speculated); the delegate executes it once
     * committed (the primary, if the lease has ended by then).
     */
    DELEGATED,
    /** The bytes are not a well-formed TRANSACTION message (a typed {@code CodecException}); nothing was forwarded. */
    REJECTED_MALFORMED,
    /** Larger than {@code MessageCodec.MAX_TRANSACTION_MESSAGE_BYTES}; nothing was forwarded. */
    REJECTED_TOO_LARGE,
    /**
     * Back-pressure: every pre-executor that could take it already has more queued work than
     * {@code RemoraCluster.Builder.admissionBacklog} allows, so its result would come too late to be
     * adopted and the primary would execute it itself on its critical path. Nothing was forwarded,
     * and consensus did not get it: the host tells its client to retry later (as a validator answers
     * "overloaded"), or submits it again after a delay.
     */
    REJECTED_OVERLOADED;

    /** Whether consensus received the transaction. */
    public boolean admitted() {
        return this == ROUTED || this == LOCAL_ONLY || this == DELEGATED;
    }
}
