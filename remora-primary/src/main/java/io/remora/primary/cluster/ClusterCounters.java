package io.remora.primary.cluster;

import io.remora.primary.ClusterMetrics;
import io.remora.primary.SubmitOutcome;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cluster service's counters; the live object is handed out as {@link ClusterMetrics}.
 *
 * <p>Thread-safety: every counter is a {@link LongAdder}; safe from any thread.
 */
public final class ClusterCounters implements ClusterMetrics {
    final LongAdder submitted = new LongAdder();
    final LongAdder routed = new LongAdder();
    final LongAdder localOnly = new LongAdder();
    final LongAdder delegated = new LongAdder();
    final LongAdder rejectedMalformed = new LongAdder();
    final LongAdder rejectedTooLarge = new LongAdder();
    final LongAdder rejectedOverloaded = new LongAdder();
    final LongAdder rebalanced = new LongAdder();
    final LongAdder routedSticky = new LongAdder();
    final LongAdder executeSendsDropped = new LongAdder();
    final LongAdder resultsReceived = new LongAdder();
    final LongAdder resultsUndecodable = new LongAdder();
    final LongAdder messagesRejected = new LongAdder();
    final LongAdder stateUpdatesSent = new LongAdder();
    final LongAdder pushesAfterMisses = new LongAdder();
    final LongAdder snapshotsServed = new LongAdder();
    final LongAdder hotSetBroadcasts = new LongAdder();
    final LongAdder internalErrors = new LongAdder();
    final LongAdder quarantineRefusals = new LongAdder();
    final LongAdder snapshotRequestsDeferred = new LongAdder();
    final LongAdder snapshotRequestsStale = new LongAdder();
    final LongAdder snapshotsAbandoned = new LongAdder();
    final LongAdder objectRequestsRejected = new LongAdder();
    final LongAdder peersStalled = new LongAdder();
    final LongAdder peersRecovered = new LongAdder();
    final LongAdder peersRecoveredIdle = new LongAdder();
    final LongAdder peersDisconnectedForAbuse = new LongAdder();
    final LongAdder committedNoticesSent = new LongAdder();
    final LongAdder committedNoticesDropped = new LongAdder();
    final LongAdder replacedConnections = new LongAdder();
    volatile long hotSetEpoch;
    private final ConcurrentHashMap<String, LongAdder> staleMisses = new ConcurrentHashMap<>();

    void staleMiss(String nodeId) {
        staleMisses.computeIfAbsent(nodeId, k -> new LongAdder()).increment();
    }

    @Override public long submitted() { return submitted.sum(); }
    @Override public long routed() { return routed.sum(); }
    @Override public long localOnly() { return localOnly.sum(); }
    @Override public long delegated() { return delegated.sum(); }
    @Override public long rebalanced() { return rebalanced.sum(); }
    @Override public long routedSticky() { return routedSticky.sum(); }
    @Override public long executeSendsDropped() { return executeSendsDropped.sum(); }
    @Override public long resultsReceived() { return resultsReceived.sum(); }
    @Override public long resultsUndecodable() { return resultsUndecodable.sum(); }
    @Override public long messagesRejected() { return messagesRejected.sum(); }
    @Override public long stateUpdatesSent() { return stateUpdatesSent.sum(); }
    @Override public long pushesAfterMisses() { return pushesAfterMisses.sum(); }
    @Override public long snapshotsServed() { return snapshotsServed.sum(); }
    @Override public long hotSetBroadcasts() { return hotSetBroadcasts.sum(); }
    @Override public long hotSetEpoch() { return hotSetEpoch; }
    @Override public long internalErrors() { return internalErrors.sum(); }
    @Override public long quarantineRefusals() { return quarantineRefusals.sum(); }
    @Override public long snapshotRequestsDeferred() { return snapshotRequestsDeferred.sum(); }
    @Override public long snapshotRequestsStale() { return snapshotRequestsStale.sum(); }
    @Override public long snapshotsAbandoned() { return snapshotsAbandoned.sum(); }
    @Override public long objectRequestsRejected() { return objectRequestsRejected.sum(); }
    @Override public long peersStalled() { return peersStalled.sum(); }
    @Override public long peersRecovered() { return peersRecovered.sum(); }
    @Override public long peersRecoveredIdle() { return peersRecoveredIdle.sum(); }
    @Override public long peersDisconnectedForAbuse() { return peersDisconnectedForAbuse.sum(); }
    @Override public long committedNoticesSent() { return committedNoticesSent.sum(); }
    @Override public long committedNoticesDropped() { return committedNoticesDropped.sum(); }
    @Override public long replacedConnections() { return replacedConnections.sum(); }

    @Override
    public long rejected(SubmitOutcome reason) {
        return switch (reason) {
            case REJECTED_MALFORMED -> rejectedMalformed.sum();
            case REJECTED_TOO_LARGE -> rejectedTooLarge.sum();
            case REJECTED_OVERLOADED -> rejectedOverloaded.sum();
            default -> 0;
        };
    }

    @Override
    public Map<String, Long> staleMisses() {
        Map<String, Long> out = new TreeMap<>();
        staleMisses.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "ClusterMetrics{submitted=" + submitted() + ", routed=" + routed() + ", localOnly=" + localOnly() + ", delegated=" + delegated()
                + ", rejectedMalformed=" + rejectedMalformed.sum() + ", rejectedTooLarge=" + rejectedTooLarge.sum()
                + ", rejectedOverloaded=" + rejectedOverloaded.sum()
                + ", rebalanced=" + rebalanced() + ", routedSticky=" + routedSticky() + ", executeSendsDropped=" + executeSendsDropped()
                + ", resultsReceived=" + resultsReceived() + ", resultsUndecodable=" + resultsUndecodable()
                + ", messagesRejected=" + messagesRejected() + ", stateUpdatesSent=" + stateUpdatesSent()
                + ", pushesAfterMisses=" + pushesAfterMisses() + ", snapshotsServed=" + snapshotsServed()
                + ", hotSetBroadcasts=" + hotSetBroadcasts() + ", hotSetEpoch=" + hotSetEpoch
                + ", internalErrors=" + internalErrors() + ", quarantineRefusals=" + quarantineRefusals()
                + ", replacedConnections=" + replacedConnections() + ", snapshotRequestsDeferred="
                + snapshotRequestsDeferred() + ", snapshotRequestsStale=" + snapshotRequestsStale() + ", snapshotsAbandoned=" + snapshotsAbandoned()
                + ", objectRequestsRejected=" + objectRequestsRejected()
                + ", peersStalled=" + peersStalled() + ", peersRecovered=" + peersRecovered()
                + ", peersRecoveredIdle=" + peersRecoveredIdle()
                + ", peersDisconnectedForAbuse=" + peersDisconnectedForAbuse()
                + ", committedNoticesSent=" + committedNoticesSent() + ", committedNoticesDropped=" + committedNoticesDropped()
                + ", staleMisses=" + staleMisses() + '}';
    }
}
