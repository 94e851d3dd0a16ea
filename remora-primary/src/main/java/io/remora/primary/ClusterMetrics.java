package io.remora.primary;

import java.util.Map;

/**
 * Counters of a {@link RemoraCluster}, monotonic since it started.
 *
 * <p>Thread-safety: safe to read from any thread; values are individually (not jointly) consistent.
 */
public interface ClusterMetrics {
    /** Calls to {@code submit}, whatever their outcome. */
    long submitted();

    /** Transactions forwarded to a pre-executor ({@link SubmitOutcome#ROUTED}). */
    long routed();

    /** Transactions admitted with no pre-executor available ({@link SubmitOutcome#LOCAL_ONLY}). */
    long localOnly();

    /** Transactions admitted while a lease covered all their objects: to consensus only, not speculated. */
    long delegated();

    /** Submissions rejected for {@code reason} ({@code REJECTED_MALFORMED}, {@code REJECTED_TOO_LARGE} or {@code REJECTED_OVERLOADED}). */
    long rejected(SubmitOutcome reason);

    /** Routed transactions whose preferred pre-executor was overloaded (two random choices used). */
    long rebalanced();

    /**
     * Routed transactions sent to the pre-executor one of their objects was last routed to
     * ({@code RemoraCluster.Builder.routingStickiness}), not where the hash would.
     */
    long routedSticky();

    /** EXECUTE sends the transport dropped under back-pressure (or found closed): counted, not an error. */
    long executeSendsDropped();

    /** Pre-execution results decoded and offered to the primary. */
    long resultsReceived();

    /** RESULT payloads that did not decode (dropped; the connection stays up). */
    long resultsUndecodable();

    /** Other cluster messages that did not decode or were not expected from a pre-executor. */
    long messagesRejected();

    /** STATE_UPDATE messages sent (lazy ranges, pushes, objects-only). */
    long stateUpdatesSent();

    /** Immediate state updates pushed to a pre-executor after its misses passed the threshold. */
    long pushesAfterMisses();

    /** Snapshots streamed in answer to SNAPSHOT_REQUEST. */
    long snapshotsServed();

    /** HOT_SET messages sent (one per peer per change, plus one to each newly synced peer). */
    long hotSetBroadcasts();

    /** The current hot set's epoch (0: never changed). */
    long hotSetEpoch();

    /**
     * Failures inside the cluster thread (e.g. a snapshot read while the primary closes); the task
     * is skipped and the service goes on.
     */
    long internalErrors();

    /** Connections of a quarantined peer closed as soon as they authenticated. */
    long quarantineRefusals();

    /**
     * Older connections closed because the same node id authenticated again (one connection per
     * node id: a peer reconnecting, or a stolen key in use; the newest wins).
     */
    long replacedConnections();

    /**
     * SNAPSHOT_REQUESTs that had to wait their turn (a snapshot for that peer running, or one served
     * less than {@code snapshotMinInterval} ago); each is served when its turn comes, the latest one
     * per peer.
     */
    long snapshotRequestsDeferred();

    /**
     * SNAPSHOT_REQUESTs ignored because the peer had already sent a later one on the same link (a
     * request overtaken in the network, or one the peer gave up on after its snapshot timeout):
     * serving it would restart its updates from a snapshot it no longer waits for.
     */
    long snapshotRequestsStale();

    /**
     * Snapshots stopped before their last chunk because of the peer: it disconnected, its link did
     * not drain for 30 s (it asks again on reconnecting, or after its snapshot timeout), or it asked
     * again meanwhile (the stream stops; the later request is served next).
     */
    long snapshotsAbandoned();

    /** OBJECT_REQUESTs dropped because their peer passed its rate. */
    long objectRequestsRejected();

    /** Times a peer was found stalled (work outstanding, no answer for {@code stallTimeout}): no work for it until it answers or reports itself idle. */
    long peersStalled();

    /** Stall episodes ended: the peer answered again, or reported itself idle ({@link #peersRecoveredIdle}). */
    long peersRecovered();

    /**
     * Stall episodes ended by a load report with nothing unanswered rather than by an answer: its
     * results (or the work) were lost on the way, e.g. results dropped under back-pressure while
     * the primary was slow to read. Also counted in {@link #peersRecovered}.
     */
    long peersRecoveredIdle();

    /** Peers disconnected for sending far more unsolicited, oversized or over-budget results than an honest one can. */
    long peersDisconnectedForAbuse();

    /** COMMITTED notices sent: which routed transactions a commit held, and what became of their results. */
    long committedNoticesSent();

    /** COMMITTED notices not sent because the peer's link was backed up (hints: nothing is lost). */
    long committedNoticesDropped();

    /** Stale-replica misses per pre-executor node id, since the cluster started. */
    Map<String, Long> staleMisses();

    /** Stale-replica misses of one pre-executor (0 if unknown). */
    default long staleMisses(String nodeId) {
        return staleMisses().getOrDefault(nodeId, 0L);
    }
}
