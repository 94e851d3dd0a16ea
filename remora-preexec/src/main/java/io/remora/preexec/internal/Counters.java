package io.remora.preexec.internal;

import io.remora.preexec.PreExecutorMetrics;
import io.remora.preexec.VerifyOnlyReason;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@link PreExecutorMetrics}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class Counters implements PreExecutorMetrics {
    final LongAdder received = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder executed = new LongAdder();
    private final LongAdder[] verifyOnly = new LongAdder[VerifyOnlyReason.values().length];
    final LongAdder parked = new LongAdder();
    final LongAdder resultsSent = new LongAdder();
    final LongAdder resultsDropped = new LongAdder();
    final LongAdder stateUpdatesApplied = new LongAdder();
    final LongAdder staleUpdatesIgnored = new LongAdder();
    final LongAdder objectPushesApplied = new LongAdder();
    final LongAdder objectRequestsSent = new LongAdder();
    final LongAdder objectsFetched = new LongAdder();
    final LongAdder updateGaps = new LongAdder();
    final LongAdder snapshotsRequested = new LongAdder();
    final LongAdder snapshotsInstalled = new LongAdder();
    final LongAdder snapshotTimeouts = new LongAdder();
    final LongAdder hotSetsApplied = new LongAdder();
    final LongAdder decodeErrors = new LongAdder();
    final LongAdder executionErrors = new LongAdder();
    final LongAdder committedNotices = new LongAdder();
    final LongAdder skippedCommitted = new LongAdder();
    final LongAdder chainRepairs = new LongAdder();
    final LongAdder chainRepairExecutions = new LongAdder();
    final LongAdder leaseGrants = new LongAdder();
    final LongAdder leaseExecuted = new LongAdder();
    final LongAdder leaseIgnored = new LongAdder();
    /** Set once by {@link Warmup} when it ends; 0 before, and for good when the warm-up is off. */
    volatile long warmupNanos;

    public Counters() {
        for (int i = 0; i < verifyOnly.length; i++) {
            verifyOnly[i] = new LongAdder();
        }
    }

    void verifyOnly(VerifyOnlyReason reason, long n) {
        verifyOnly[reason.ordinal()].add(n);
    }

    /** Counts a message that failed to decode. */
    public void decodeError() {
        decodeErrors.increment();
    }

    @Override
    public long received() {
        return received.sum();
    }

    @Override
    public long rejected() {
        return rejected.sum();
    }

    @Override
    public long executed() {
        return executed.sum();
    }

    @Override
    public long verifyOnly(VerifyOnlyReason reason) {
        return verifyOnly[reason.ordinal()].sum();
    }

    @Override
    public long verifyOnly() {
        long n = 0;
        for (LongAdder a : verifyOnly) {
            n += a.sum();
        }
        return n;
    }

    @Override
    public long parked() {
        return parked.sum();
    }

    @Override
    public long resultsSent() {
        return resultsSent.sum();
    }

    @Override
    public long resultsDropped() {
        return resultsDropped.sum();
    }

    @Override
    public long stateUpdatesApplied() {
        return stateUpdatesApplied.sum();
    }

    @Override
    public long staleUpdatesIgnored() {
        return staleUpdatesIgnored.sum();
    }

    @Override
    public long objectPushesApplied() {
        return objectPushesApplied.sum();
    }

    @Override
    public long updateGaps() {
        return updateGaps.sum();
    }

    @Override
    public long snapshotsRequested() {
        return snapshotsRequested.sum();
    }

    @Override
    public long snapshotsInstalled() {
        return snapshotsInstalled.sum();
    }

    @Override
    public long snapshotTimeouts() {
        return snapshotTimeouts.sum();
    }

    @Override
    public long hotSetsApplied() {
        return hotSetsApplied.sum();
    }

    @Override
    public long decodeErrors() {
        return decodeErrors.sum();
    }

    @Override
    public long executionErrors() {
        return executionErrors.sum();
    }

    @Override
    public long committedNotices() {
        return committedNotices.sum();
    }

    @Override
    public long skippedCommitted() {
        return skippedCommitted.sum();
    }

    @Override
    public long chainRepairs() {
        return chainRepairs.sum();
    }

    @Override
    public long chainRepairExecutions() {
        return chainRepairExecutions.sum();
    }

    @Override
    public String toString() {
        return "PreExecutorMetrics{received=" + received() + ", rejected=" + rejected() + ", executed=" + executed()
                + ", verifyOnly=" + verifyOnly() + " (missing=" + verifyOnly(VerifyOnlyReason.MISSING_VERSION)
                + ", hot=" + verifyOnly(VerifyOnlyReason.HOT) + ", notSynced=" + verifyOnly(VerifyOnlyReason.NOT_SYNCED)
                + "), parked=" + parked() + ", resultsSent=" + resultsSent() + ", resultsDropped=" + resultsDropped()
                + ", stateUpdatesApplied=" + stateUpdatesApplied() + ", staleUpdatesIgnored=" + staleUpdatesIgnored()
                + ", objectPushesApplied=" + objectPushesApplied() + ", objectRequestsSent=" + objectRequestsSent()
                + ", objectsFetched=" + objectsFetched() + ", updateGaps=" + updateGaps()
                + ", snapshotsRequested=" + snapshotsRequested() + ", snapshotsInstalled=" + snapshotsInstalled()
                + ", snapshotTimeouts=" + snapshotTimeouts()
                + ", hotSetsApplied=" + hotSetsApplied() + ", decodeErrors=" + decodeErrors()
                + ", executionErrors=" + executionErrors() + ", committedNotices=" + committedNotices()
                + ", skippedCommitted=" + skippedCommitted() + ", chainRepairs=" + chainRepairs()
                + ", chainRepairExecutions=" + chainRepairExecutions() + ", warmupNanos=" + warmupNanos() + '}';
    }

    @Override
    public long leaseGrants() {
        return leaseGrants.sum();
    }

    @Override
    public long leaseExecuted() {
        return leaseExecuted.sum();
    }

    @Override
    public long leaseIgnored() {
        return leaseIgnored.sum();
    }

    @Override
    public long objectRequestsSent() {
        return objectRequestsSent.sum();
    }

    @Override
    public long objectsFetched() {
        return objectsFetched.sum();
    }

    @Override
    public long warmupNanos() {
        return warmupNanos;
    }
}
