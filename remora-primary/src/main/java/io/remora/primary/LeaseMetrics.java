package io.remora.primary;

/**
 * The primary's lease counters since it started ({@link RemoraPrimary#leaseMetrics()}); see
 * {@link LeasePolicy}.
 *
 * @param granted        leases granted
 * @param delegate       the node id of the current lease's delegate (null: no lease holds now)
 * @param activeObjects  objects the current lease covers (0: none)
 * @param forwarded      committed transactions forwarded to a delegate
 * @param adopted        forwarded transactions whose delegate's answer was adopted
 * @param endedCrossing  leases ended by a transaction touching leased and non-leased objects
 * @param endedTerm      leases ended at the end of their term
 * @param endedLate      leases ended because the delegate did not answer in time
 * @param endedDiverged  leases ended because a delegate's answer did not validate
 * @param endedGone      leases ended because the delegate disconnected (or was quarantined)
 * @param endedCalm      leases ended because the load subsided
 * @param endedUnsent    leases ended because a message to the delegate could not be sent
 */
public record LeaseMetrics(long granted, String delegate, int activeObjects, long forwarded, long adopted,
                           long endedCrossing, long endedTerm, long endedLate, long endedDiverged, long endedGone,
                           long endedCalm, long endedUnsent) {
    /** Whether a lease holds now. */
    public boolean active() {
        return delegate != null;
    }

    /** Leases ended, for any reason. */
    public long ended() {
        return endedCrossing + endedTerm + endedLate + endedDiverged + endedGone + endedCalm + endedUnsent;
    }
}
