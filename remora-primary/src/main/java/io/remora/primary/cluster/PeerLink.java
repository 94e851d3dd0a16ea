package io.remora.primary.cluster;

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
    /** Its results the primary adopted (counted when the commit's notices go out). */
    final LongAdder adopted = new LongAdder();
    final LongAdder results = new LongAdder();
    final LongAdder executesSent = new LongAdder();
    volatile LoadReport load;
    /** {@link #executesSent} and {@link #results} when {@link #load} arrived (set before it; read after it). */
    private volatile long sentAtReport;
    private volatile long answeredAtReport;
    /** When the oldest EXECUTE still unanswered was sent (0: none); reset by every result. */
    private volatile long unansweredSince;
    /** Reported stalled: not routable, not waited for, until it answers (or reports itself idle, {@link #idleAfterStall}). */
    private volatile boolean stalled;
    /** When it became stalled (cluster thread writes, its I/O thread reads). */
    private volatile long stalledAt;
    /**
     * Stalls in a row with no answer in between (reset by every result): the n-th such stall may
     * end by a load report only after {@code timeout << min(n - 1, MAX_BACKOFF_SHIFT)}, so that a peer
     * that keeps reporting itself idle but never answers gets less and less work. Written by the
     * cluster thread (stall) and its I/O thread (answer); a lost update only shifts the backoff.
     */
    private volatile int silentStalls;
    /** OBJECT_REQUESTs it may still send (its I/O thread only). */
    final TokenBucket objectRequests;
    // its I/O thread only: abusive results in the current 1 s window
    private long abuseWindowStart = Long.MIN_VALUE;
    private int abuseCount;

    // cluster thread
    /** Last commit whose effects were sent (snapshot or ranges); meaningful when {@link #streaming}. */
    long sentUpTo;
    /** A snapshot was served: ranges follow it. */
    boolean streaming;
    /** Snapshots: one at a time; the latest request waits its turn (-1: none). */
    boolean snapshotRunning;
    boolean snapshotScheduled;
    long pendingSnapshot = -1;
    /** The highest SNAPSHOT_REQUEST id seen on this link (written on the cluster thread, read by snapshot readers); -1: none. */
    volatile long latestSnapshotRequest = -1;
    long lastSnapshotNanos;
    long snapshotsDone;
    /** History to keep for the snapshot running: the last commit published when it started. */
    long snapshotFloor;
    int windowMisses;
    final Set<ObjectId> windowMissed = new LinkedHashSet<>();

    PeerLink(Connection connection, int objectRequestsPerSecond) {
        this.objectRequests = new TokenBucket(objectRequestsPerSecond, 2L * objectRequestsPerSecond);
        this.connection = connection;
        this.nodeId = connection.remoteNodeId();
        this.hash = AdmissionRouter.mix(nodeId.hashCode() * 0x9E3779B97F4A7C15L + nodeId.length());
    }

    /** Eligible for EXECUTE: open, reported a snapshot installed, not draining, not stalled. */
    boolean routable() {
        LoadReport l = load;
        return l != null && l.synced() && !l.draining() && !stalled && connection.isOpen();
    }

    /** Work was sent at {@code now} (any thread). */
    void workSent(long now) {
        executesSent.increment();
        if (unansweredSince == 0) {
            unansweredSince = now == 0 ? 1 : now;
        }
    }

    /** A result arrived at {@code now} (its I/O thread); true if it was stalled until now. */
    boolean answered(long now) {
        unansweredSince = 0;
        silentStalls = 0;
        if (stalled) {
            stalled = false;
            return true;
        }
        return false;
    }

    /** Whether it just became stalled: work outstanding and no answer for {@code timeout} (cluster thread). */
    boolean stalled(long now, long timeoutNanos) {
        long since = unansweredSince;
        if (!stalled && since != 0 && now - since > timeoutNanos) {
            stalledAt = now;
            silentStalls = silentStalls + 1;
            stalled = true;
            return true;
        }
        return false;
    }

    /**
     * A load report {@code l} arrived at {@code now} (its I/O thread): true if it ends a stall. A stalled
     * peer that reports nothing received and unanswered ({@code queueDepth == 0}) is alive and idle:
     * what made it look stalled was lost on the way (its results dropped under back-pressure while the
     * primary was slow to read, EXECUTEs it refused with its queue full, or a result that raced the
     * stall check), and, getting no work while stalled, it would never answer again. It is routable
     * again once it has been stalled for {@code timeoutNanos}, doubled for each stall in a row that
     * no answer interrupted (at most {@code 2^MAX_BACKOFF_SHIFT} times). A SIGSTOPped or dead peer sends no
     * reports, and one still working reports a queue, so neither is taken for idle.
     */
    boolean idleAfterStall(LoadReport l, long now, long timeoutNanos) {
        if (!stalled || l.queueDepth() != 0) {
            return false;
        }
        int shift = Math.min(Math.max(silentStalls - 1, 0), MAX_BACKOFF_SHIFT);
        if (now - stalledAt < timeoutNanos << shift) {
            return false;
        }
        unansweredSince = 0;
        stalled = false;
        return true;
    }

    /** The longest wait before a load report may end a stall: {@code stallTimeout * 2^6} (32 s at 500 ms). */
    static final int MAX_BACKOFF_SHIFT = 6;

    /** Counts an abusive result (unsolicited, oversized, over budget); true past {@code perSecond} in a second. */
    boolean abusive(long now, int perSecond) {
        if (abuseWindowStart == Long.MIN_VALUE || now - abuseWindowStart > 1_000_000_000L) {
            abuseWindowStart = now;
            abuseCount = 0;
        }
        return ++abuseCount > perSecond;
    }

    /** A load report arrived (its I/O thread): the counters at that moment anchor {@link #backlogNanos}. */
    void reported(LoadReport l) {
        sentAtReport = executesSent.sum();
        answeredAtReport = results.sum();
        load = l;
    }

    /**
     * Estimated time the peer needs for the work queued at it, in nanoseconds: its queue over its
     * execution rate. The queue is the one it last reported plus what the primary sent it since,
     * minus what it answered since (so the estimate is current between heartbeats, and an EXECUTE
     * it refused without answering, e.g. with its queue full, skews it only until the next report).
     * The rate is the reported one, at least {@value #RATE_FLOOR} tx/s, so that a pre-executor
     * that just joined (no rate yet) is not taken for an overloaded one.
     */
    long backlogNanos() {
        LoadReport l = load;
        if (l == null) {
            return 0;
        }
        long queued = l.queueDepth() + (executesSent.sum() - sentAtReport) - (results.sum() - answeredAtReport);
        return Math.max(0, queued) * 1_000_000_000L / Math.max(RATE_FLOOR, l.executedPerSecond());
    }

    /** Tx/s below which a reported execution rate is not believed by {@link #backlogNanos}. */
    static final int RATE_FLOOR = 1_000;

    int queueDepth() {
        LoadReport l = load;
        return l == null ? 0 : l.queueDepth();
    }

    PeerStatus status(boolean quarantined, long disagreements) {
        LoadReport l = load;
        return new PeerStatus(nodeId, l != null && l.synced() && !l.draining(), l == null ? 0 : l.queueDepth(),
                l == null ? 0 : l.executedPerSecond(), l == null ? -1 : l.watermark(), misses.sum(), executesSent.sum(), results.sum(),
                adopted.sum(), disagreements, stalled, quarantined, l == null ? -1 : l.busyShare());
    }
}
