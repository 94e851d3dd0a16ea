package io.remora.primary.internal;

import io.remora.core.ObjectId;
import io.remora.core.protocol.LoadReport;
import io.remora.primary.PeerStatus;
import io.remora.transport.Connection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The primary's view of one authenticated pre-executor connection.
 *
 * <p>Thread-safety: {@link #load} is written by the I/O thread (heartbeats) and read anywhere;
 * the counters are adders; the fields marked "cluster thread" are only touched by
 * {@code remora-cluster}.
 */
final class PeerLink {
    final Connection connection;
    final String nodeId;
    /** Hash of the node id for rendezvous hashing. */
    final long hash;
    final LongAdder misses = new LongAdder();
    final LongAdder results = new LongAdder();
    volatile LoadReport load;

    // cluster thread
    /** Last commit whose effects were sent (snapshot or ranges); meaningful when {@link #streaming}. */
    long sentUpTo;
    /** A snapshot was served: ranges follow it. */
    boolean streaming;
    long hotEpochSent;
    int windowMisses;
    final Set<ObjectId> windowMissed = new LinkedHashSet<>();

    PeerLink(Connection connection) {
        this.connection = connection;
        this.nodeId = connection.remoteNodeId();
        this.hash = AdmissionRouter.mix(nodeId.hashCode() * 0x9E3779B97F4A7C15L + nodeId.length());
    }

    /** Eligible for EXECUTE: open, reported a snapshot installed, not draining. */
    boolean routable() {
        LoadReport l = load;
        return l != null && l.synced() && !l.draining() && connection.isOpen();
    }

    int queueDepth() {
        LoadReport l = load;
        return l == null ? 0 : l.queueDepth();
    }

    PeerStatus status(boolean quarantined, long disagreements) {
        LoadReport l = load;
        return new PeerStatus(nodeId, l != null && l.synced() && !l.draining(), l == null ? 0 : l.queueDepth(),
                l == null ? 0 : l.executedPerSecond(), l == null ? -1 : l.watermark(), misses.sum(), results.sum(),
                disagreements, quarantined);
    }
}
