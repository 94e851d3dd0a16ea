package io.remora.preexec;

/**
 * Counters of one {@link PreExecutor}, monotonic since it was built.
 *
 * <p>Thread-safety: safe to read from any thread; values are individually (not jointly) consistent.
 */
public interface PreExecutorMetrics {
    /** EXECUTE'd transactions accepted for execution. */
    long received();

    /** EXECUTE'd transactions refused: queue full ({@code maxQueuedTransactions}) or draining. */
    long rejected();

    /** Transactions fully pre-executed (a FULL result was produced). */
    long executed();

    /** Verify-only results produced for {@code reason}. */
    long verifyOnly(VerifyOnlyReason reason);

    /** Verify-only results produced, all reasons. */
    long verifyOnly();

    /** Transactions parked waiting for an owned input version (or for the first snapshot). */
    long parked();

    /** Results handed to the transport. */
    long resultsSent();

    /** Results the transport refused: back-pressure on speculative traffic, or no connection. */
    long resultsDropped();

    /** Range STATE_UPDATEs applied (each moved the watermark). */
    long stateUpdatesApplied();

    /** STATE_UPDATEs ignored because they were at or below the watermark. */
    long staleUpdatesIgnored();

    /** Objects-only pushes and OBJECT_RESPONSEs applied. */
    long objectPushesApplied();

    /** STATE_UPDATEs that did not follow the watermark (each triggers a snapshot request). */
    long updateGaps();

    /** SNAPSHOT_REQUESTs sent. */
    long snapshotsRequested();

    /** Snapshots completely received and installed. */
    long snapshotsInstalled();

    /**
     * Snapshots asked for again because none of theirs arrived for the snapshot timeout (a request
     * or a stream the primary abandoned while the link stayed up).
     */
    long snapshotTimeouts();

    /** HOT_SETs applied. */
    long hotSetsApplied();

    /** Cluster messages that failed to decode (dropped). */
    long decodeErrors();

    /** Executions that threw (a bug in the engine or the executor; no result was sent). */
    long executionErrors();

    /** COMMITTED notices applied (the primary telling which of this pre-executor's transactions committed). */
    long committedNotices();

    /**
     * Transactions not executed (or executed but not speculated) because they were already
     * committed: executing them would read state holding their own effects. Each is answered with
     * an empty verify-only result (late at the primary, but an answer).
     */
    long skippedCommitted();

    /** Chain repairs: an object's speculative writes rebuilt on committed state after a stale or conflicting read. */
    long chainRepairs();

    /** Transactions re-executed (speculation only, no result sent) by chain repairs. */
    long chainRepairExecutions();

    /** Leases granted to this pre-executor (it was the primary's delegate for a hot subset of the state). */
    long leaseGrants();

    /** Committed transactions executed as a delegate and answered. */
    long leaseExecuted();

    /** Forwarded transactions ignored because their lease had ended (or was unknown). */
    long leaseIgnored();

    /** Lazy join: OBJECT_REQUESTs sent for objects a transaction needed before the first snapshot. */
    long objectRequestsSent();

    /** Lazy join: ids answered (found, or said not to exist) by OBJECT_RESPONSEs before the first snapshot. */
    long objectsFetched();

    /**
     * How long the start-up warm-up took ({@code PreExecutor.Builder#warmup}), in nanoseconds; 0
     * while it runs and when it is off. Not monotonic like the others: set once, when it ends.
     */
    long warmupNanos();
}
