package io.remora.primary.cluster;

import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.MessageCodec;
import io.remora.core.protocol.ClusterMessage;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Committed;
import io.remora.core.protocol.Execute;
import io.remora.core.protocol.HotSet;
import io.remora.core.protocol.LeaseResults;
import io.remora.core.protocol.LoadReport;
import io.remora.core.protocol.ObjectRequest;
import io.remora.core.protocol.ObjectResponse;
import io.remora.core.protocol.Results;
import io.remora.core.protocol.SnapshotChunk;
import io.remora.core.protocol.SnapshotRequest;
import io.remora.core.protocol.StateUpdate;
import io.remora.core.sched.Scheduling;
import io.remora.primary.ConsensusSubmitter;
import io.remora.primary.PeerStatus;
import io.remora.primary.SubmitOutcome;
import io.remora.primary.internal.ClusterHook;
import io.remora.primary.internal.CommitObserver;
import io.remora.primary.internal.CommitOutcome;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException;
import io.remora.transport.SendResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.nio.ByteBuffer;

/**
 * The primary side of the cluster protocol (see {@code docs/protocol.md}, section 3).
 *
 * <pre>
 *  host threads        submit(tx) --route--> EXECUTE (speculative) --> pre-executor
 *                                 `--> ConsensusSubmitter
 *  transport I/O       RESULT --decode--> ClusterHook.offerResult(result, peer)
 *                      heartbeat LOAD --> PeerLink.load
 *                      SNAPSHOT_REQUEST / OBJECT_REQUEST --+
 *  remora-publish      CommitObserver.Detail --------------+--> remora-cluster (one thread):
 *                                                                 snapshots, state history,
 *  remora-cluster      every stateUpdateInterval: flush           miss windows, hot set
 * </pre>
 *
 * Everything that sends RELIABLE traffic to a peer (snapshot chunks, ranges, pushes, hot sets)
 * runs on the single {@code remora-cluster} thread, so a peer receives its snapshot, then ranges
 * continuing from it, in order.
 *
 * <p>Thread-safety: safe for concurrent use; see the diagram for which thread does what.
 */
public final class ClusterService implements MessageListener, ConnectionListener, CommitObserver, AutoCloseable {
    /** Snapshot chunk limits: well below the protocol's 65,536 objects / 8 MiB. */
    static final int CHUNK_OBJECTS = 4096;
    static final int CHUNK_BYTES = 1024 * 1024;
    static final int MAX_RETAINED_COMMITS = 65_536;

    /**
     * Settings, validated by {@link io.remora.primary.RemoraCluster.Builder}.
     *
     * @param missWindowCommits misses are counted over windows of this many commits
     * @param hotSetFloor       minimum decayed conflict count for an object to be hot
     * @param hotSetDecayCommits counts are halved every this many commits
     */
    public record Config(long stateUpdateIntervalNanos, int missThreshold, int missWindowCommits, int hotSetSize,
                         int hotSetFloor, int hotSetDecayCommits, long routingSeed, long snapshotMinIntervalNanos,
                         long stallTimeoutNanos, int abusiveResultsPerSecond, int objectRequestsPerSecond,
                         long admissionBacklogNanos, long routingStickyNanos) {
    }

    /** The primary, through the one door it opens to the cluster. */
    private final ClusterHook primary;
    private final ConsensusSubmitter consensus;
    private final Config config;
    private final ClusterCounters counters = new ClusterCounters();
    private final ConcurrentHashMap<Connection, PeerLink> peers = new ConcurrentHashMap<>();
    private final AdmissionRouter router;
    private final ScheduledExecutorService thread;
    /** Snapshots and object reads, off the cluster thread that streams state updates to everyone. */
    private final java.util.concurrent.ExecutorService readers;
    /**
     * Answers OBJECT_REQUESTs: apart from the snapshot readers, so that a joining pre-executor's
     * fetches are not queued behind snapshots that take seconds on a large state.
     */
    private final java.util.concurrent.ExecutorService objectReader;
    private final java.util.function.LongSupplier clock;
    private final Scheduling scheduling;
    // remora-cluster thread only
    private final StateHistory history = new StateHistory(MAX_RETAINED_COMMITS);
    private final FeedbackTracker feedback;
    private long commitsSeen;
    private long hotEpoch;
    private volatile PeerLink[] routable = new PeerLink[0];

    /**
     * {@code scheduling}: the clock (stall detection, rate limits, snapshot pacing) and the threads
     * (the cluster thread, two snapshot readers, one object reader).
     */
    public ClusterService(ClusterHook primary, ConsensusSubmitter consensus, Config config,
                          Scheduling scheduling) {
        this.scheduling = scheduling;
        this.clock = scheduling::nanoTime;
        this.readers = scheduling.pool("remora-snapshot-", 2);
        this.objectReader = scheduling.pool("remora-objects-", 1);
        this.primary = primary;
        this.consensus = consensus;
        this.config = config;
        this.router = new AdmissionRouter(config.routingSeed(), config.routingStickyNanos());
        this.feedback = new FeedbackTracker(config.hotSetSize(), config.hotSetFloor(), config.hotSetDecayCommits());
        this.thread = scheduling.singleThread("remora-cluster");
    }

    /** Registers the commit observer and starts the periodic flush. */
    public void start() {
        primary.addCommitObserver(this);
        primary.addQuarantineListener(quarantineListener);
        primary.leaseLinks(leaseLinks);
        long interval = config.stateUpdateIntervalNanos();
        thread.scheduleWithFixedDelay(this::guardedFlush, interval, interval, TimeUnit.NANOSECONDS);
    }

    public ClusterCounters counters() {
        return counters;
    }

    public List<PeerStatus> peers() {
        List<PeerStatus> out = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (PeerLink p : peers.values()) {
            out.add(p.status(false, primary.disagreements(p.nodeId)));
            listed.add(p.nodeId);
        }
        for (io.remora.primary.QuarantinedPeer q : primary.quarantinedPeers()) {
            if (listed.add(q.nodeId())) {
                out.add(new PeerStatus(q.nodeId(), false, 0, 0, -1, 0, 0, 0, 0, primary.disagreements(q.nodeId()), false, true));
            }
        }
        out.sort((a, b) -> a.nodeId().compareTo(b.nodeId()));
        return out;
    }

    /** A peer just quarantined (execution stage): close its connections; it is refused from now on. */
    private final java.util.function.Consumer<String> quarantineListener = nodeId -> {
        for (PeerLink p : peers.values()) {
            if (p.nodeId.equals(nodeId)) {
                p.connection.close();
            }
        }
    };

    /** Leases: the delegate is the least loaded routable peer; lease messages travel reliably. */
    private final ClusterHook.LeaseLinks leaseLinks = new ClusterHook.LeaseLinks() {
        @Override
        public String pickDelegate() {
            PeerLink best = null;
            for (PeerLink p : routable) {
                if (p.routable() && !primary.isQuarantined(p.nodeId)
                        && (best == null || p.load.queueDepth() < best.load.queueDepth())) {
                    best = p;
                }
            }
            return best == null ? null : best.nodeId;
        }

        @Override
        public boolean send(String peer, ClusterMessage m) {
            for (PeerLink p : peers.values()) {
                if (p.nodeId.equals(peer)) {
                    SendResult r = p.connection.send(m.type(), ClusterMessages.encode(m), Priority.RELIABLE);
                    return r == SendResult.SENT || r == SendResult.QUEUED;
                }
            }
            return false;
        }
    };

    // ---- admission (host threads) ---------------------------------------------------------------

    /** See {@link io.remora.primary.RemoraCluster#submit(byte[])}. */
    public SubmitOutcome submit(byte[] encoded) {
        counters.submitted.increment();
        if (encoded.length > MessageCodec.MAX_TRANSACTION_MESSAGE_BYTES) {
            counters.rejectedTooLarge.increment();
            return SubmitOutcome.REJECTED_TOO_LARGE;
        }
        Transaction tx;
        try {
            tx = MessageCodec.decodeTransaction(encoded);
        } catch (CodecException e) {
            counters.rejectedMalformed.increment();
            return SubmitOutcome.REJECTED_MALFORMED;
        }
        // Decoded and checked: its bytes are the EXECUTE's body as they are (one encoding of a transaction).
        return route(tx, ClusterMessages.executeOfTransactionFrame(encoded));
    }

    /** See {@link io.remora.primary.RemoraCluster#submit(Transaction)}. */
    public SubmitOutcome submit(Transaction tx) {
        counters.submitted.increment();
        byte[] payload;
        try {
            payload = ClusterMessages.encode(Execute.of(tx));
        } catch (IllegalArgumentException tooLarge) {
            counters.rejectedTooLarge.increment();
            return SubmitOutcome.REJECTED_TOO_LARGE;
        }
        if (payload.length - Execute.FIRST_TRANSACTION_OFFSET + MessageCodec.HEADER_LENGTH
                > MessageCodec.MAX_TRANSACTION_MESSAGE_BYTES) {
            counters.rejectedTooLarge.increment();
            return SubmitOutcome.REJECTED_TOO_LARGE;
        }
        return route(tx, payload);
    }

    /** Routes {@code tx}, whose EXECUTE payload is {@code executePayload}. */
    private SubmitOutcome route(Transaction tx, byte[] executePayload) {
        if (primary.leaseCovers(tx)) {
            // The delegate checks its signature now (not its effects: it executes it once committed,
            // in consensus order), so that its execution then costs only the execution.
            String delegate = primary.leaseDelegate();
            for (PeerLink p : routable) {
                if (p.nodeId.equals(delegate) && p.routable()) {
                    try {
                        primary.expectResults(tx, delegate);
                    } catch (IllegalStateException closing) {
                        // the primary is shutting down: consensus still gets the transaction
                    }
                    sendExecute(p, executePayload,
                            clock.getAsLong());
                    break;
                }
            }
            counters.delegated.increment();
            consensus.submit(tx);
            return SubmitOutcome.DELEGATED;
        }
        PeerLink[] candidates = routable;
        int replicas = primary.replicas();
        if (candidates.length >= replicas) {
            List<PeerLink> live = new ArrayList<>(candidates.length);
            String delegate = primary.leaseDelegate();
            PeerLink delegateLink = null;
            for (PeerLink p : candidates) {
                if (p.routable()) {
                    if (p.nodeId.equals(delegate)) {
                        delegateLink = p; // serves the lease first: speculative work only if nobody else can
                    } else {
                        live.add(p);
                    }
                }
            }
            if (live.size() < replicas && delegateLink != null) {
                live.add(delegateLink);
            }
            if (overloaded(live, replicas)) {
                counters.rejectedOverloaded.increment();
                return SubmitOutcome.REJECTED_OVERLOADED;
            }
            List<PeerLink> targets = router.route(tx, live, replicas, counters, clock.getAsLong());
            if (targets != null) {
                // The expectation first: a result that overtakes it would be refused as unsolicited.
                String[] ids = new String[targets.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = targets.get(i).nodeId;
                }
                try {
                    primary.expectResults(tx, ids);
                } catch (IllegalStateException closing) {
                    // the primary is shutting down: consensus still gets the transaction
                }
                byte[] payload = executePayload;
                long now = clock.getAsLong();
                for (PeerLink target : targets) {
                    sendExecute(target, payload, now);
                }
                counters.routed.increment();
                consensus.submit(tx);
                return SubmitOutcome.ROUTED;
            }
        }
        counters.localOnly.increment();
        consensus.submit(tx);
        return SubmitOutcome.LOCAL_ONLY;
    }

    /**
     * Back-pressure: fewer than {@code replicas} of the live pre-executors have less than
     * {@code admissionBacklog} of work queued ({@link PeerLink#backlogNanos}). Off when the limit is 0.
     */
    private boolean overloaded(List<PeerLink> live, int replicas) {
        long limit = config.admissionBacklogNanos();
        if (limit <= 0 || live.size() < replicas) {
            return false;
        }
        int underLimit = 0;
        for (PeerLink p : live) {
            if (p.backlogNanos() <= limit && ++underLimit >= replicas) {
                return false;
            }
        }
        return true;
    }

    /** EXECUTE to one peer, speculative: a drop under back-pressure is counted, a send marks work outstanding. */
    private void sendExecute(PeerLink target, byte[] payload, long now) {
        SendResult r = target.connection.send(ClusterMessages.EXECUTE, payload, Priority.SPECULATIVE);
        if (r != SendResult.SENT && r != SendResult.QUEUED) {
            counters.executeSendsDropped.increment();
        } else {
            target.workSent(now);
        }
    }

    // ---- transport callbacks (I/O threads) ------------------------------------------------------

    @Override
    public void onConnected(Connection connection) {
        String id = connection.remoteNodeId();
        if (primary.isQuarantined(id)) {
            counters.quarantineRefusals.increment();
            connection.close();
            return;
        }
        // One connection per node id: the newest wins (a peer that reconnected before its old
        // connection timed out). Results are keyed by node id, so two could not add a vote anyway.
        for (PeerLink old : peers.values()) {
            if (old.nodeId.equals(id) && old.connection != connection) {
                counters.replacedConnections.increment();
                peers.remove(old.connection);
                old.connection.close();
            }
        }
        peers.put(connection, new PeerLink(connection, config.objectRequestsPerSecond()));
        if (primary.isQuarantined(id)) {
            // quarantined between the check above and the registration: the listener may have missed it
            peers.remove(connection);
            counters.quarantineRefusals.increment();
            connection.close();
            return;
        }
        primary.peerConnected(id);
        refreshRoutable();
    }

    @Override
    public void onDisconnected(Connection connection, ProtocolException cause) {
        PeerLink gone = peers.remove(connection);
        if (gone != null) {
            boolean another = false;
            for (PeerLink p : peers.values()) {
                another |= p.nodeId.equals(gone.nodeId);
            }
            if (!another) {
                primary.peerDisconnected(gone.nodeId);
            }
        }
        refreshRoutable();
    }

    @Override
    public void onHeartbeat(Connection connection, ByteBuffer payload) {
        PeerLink p = peers.get(connection);
        if (p == null || payload.capacity() == 0) {
            return;
        }
        try {
            boolean wasRoutable = p.routable();
            LoadReport l = ClusterMessages.decodeLoad(payload, 0, payload.capacity());
            p.reported(l);
            if (p.idleAfterStall(l, clock.getAsLong(), config.stallTimeoutNanos())) {
                // stalled, but alive with nothing unanswered: what it was waited for was lost on the way
                counters.peersRecovered.increment();
                counters.peersRecoveredIdle.increment();
                primary.peerConnected(p.nodeId);
            }
            if (wasRoutable != p.routable()) {
                refreshRoutable();
            }
        } catch (CodecException e) {
            counters.messagesRejected.increment();
        }
    }

    @Override
    public void onMessage(Connection connection, int type, ByteBuffer payload) {
        PeerLink p = peers.get(connection);
        if (p == null) {
            return;
        }
        ClusterMessage m;
        try {
            m = ClusterMessages.decode(type, payload, 0, payload.capacity());
        } catch (CodecException | IllegalArgumentException e) {
            if (type == ClusterMessages.RESULT) {
                counters.resultsUndecodable.increment();
            } else {
                counters.messagesRejected.increment();
            }
            return;
        }
        switch (m) {
            case Results r -> offer(p, r.results(), 0);
            case LeaseResults r -> offer(p, r.results(), r.epoch());
            case SnapshotRequest r -> runOnClusterThread(() -> snapshotRequested(p, r.requestId()));
            case ObjectRequest r -> {
                if (p.objectRequests.tryTake(clock.getAsLong())) {
                    runGuarded(objectReader, () -> answerObjects(p, r));
                } else {
                    counters.objectRequestsRejected.increment();
                }
            }
            default -> counters.messagesRejected.increment(); // primary -> pre types are not accepted from a peer
        }
    }

    /** Results from {@code p}: speculative ({@code leaseEpoch == 0}) or a delegate's answers for that lease. */
    private void offer(PeerLink p, List<PreExecResult> results, long leaseEpoch) {
        long now = clock.getAsLong();
        for (PreExecResult r : results) {
            io.remora.primary.OfferOutcome o;
            try {
                o = leaseEpoch == 0 ? primary.offerResult(r, p.nodeId)
                        : primary.offerDelegatedResult(r, p.nodeId, leaseEpoch);
            } catch (IllegalStateException closed) {
                return; // the primary is shutting down: results are hints
            }
            p.results.increment();
            counters.resultsReceived.increment();
            switch (o) {
                case UNSOLICITED, OVERSIZED, OVER_BUDGET -> {
                    if (p.abusive(now, config.abusiveResultsPerSecond())) {
                        // Far more than an honest peer ever sends (it only answers what it is given):
                        // disconnected, not quarantined (it may be a bug); it may reconnect and resync.
                        counters.peersDisconnectedForAbuse.increment();
                        p.connection.close();
                        return;
                    }
                }
                default -> { }
            }
        }
        if (p.answered(now)) {
            // it was stalled: it answers again, so it may get work and be waited for
            counters.peersRecovered.increment();
            primary.peerConnected(p.nodeId);
            refreshRoutable();
        }
    }

    private void refreshRoutable() {
        synchronized (peers) {
            List<PeerLink> r = new ArrayList<>();
            for (PeerLink p : peers.values()) {
                if (p.routable()) {
                    r.add(p);
                }
            }
            r.sort((a, b) -> a.nodeId.compareTo(b.nodeId));
            routable = r.toArray(new PeerLink[0]);
        }
    }

    // ---- commits (remora-publish -> remora-cluster) ---------------------------------------------

    @Override
    public void onCommit(Detail detail) {
        runOnClusterThread(() -> processCommit(detail));
    }

    private void processCommit(Detail d) {
        history.add(d.index(), d.changes());
        byte[] causes = d.causes();
        Map<String, int[]> adoptedBy = null;
        for (int i = 0; i < causes.length; i++) {
            ObjectId missed = d.missedObjects()[i];
            if (causes[i] == CommitOutcome.ADOPTED && d.sources()[i] != null) {
                if (adoptedBy == null) {
                    adoptedBy = new HashMap<>();
                }
                adoptedBy.computeIfAbsent(d.sources()[i], k -> new int[1])[0]++;
            } else if (causes[i] == CommitOutcome.CONFLICT && missed != null) {
                feedback.conflict(missed);
            } else if (causes[i] == CommitOutcome.STALE && d.sources()[i] != null) {
                String source = d.sources()[i];
                counters.staleMiss(source);
                for (PeerLink p : peers.values()) {
                    if (p.nodeId.equals(source)) {
                        p.misses.increment();
                        p.windowMisses++;
                        if (missed != null) {
                            p.windowMissed.add(missed);
                        }
                        break;
                    }
                }
            }
        }
        if (adoptedBy != null) {
            for (PeerLink p : peers.values()) {
                int[] n = adoptedBy.get(p.nodeId);
                if (n != null) {
                    p.adopted.add(n[0]);
                }
            }
        }
        sendCommitted(d);
        boolean newWindow = ++commitsSeen % config.missWindowCommits() == 0;
        for (PeerLink p : peers.values()) {
            if (p.streaming && p.windowMisses >= config.missThreshold()) {
                push(p);
            }
            if (newWindow) {
                p.windowMisses = 0;
                p.windowMissed.clear();
            }
        }
        if (feedback.endCommit()) {
            hotEpoch++;
            counters.hotSetEpoch = hotEpoch;
            for (PeerLink p : peers.values()) {
                if (p.streaming) {
                    sendHotSet(p);
                }
            }
        }
    }

    /**
     * Tells each streaming peer which of the transactions routed to it the commit contained, and what
     * became of its result (COMMITTED, speculative: a hint). Sent before any state range that
     * includes the commit, so a peer learns that a transaction is committed before it can read state
     * holding its effects, and skips it instead of speculating it a second time.
     */
    private void sendCommitted(Detail d) {
        String[][] routed = d.routed();
        if (routed == null || peers.isEmpty()) {
            return;
        }
        Map<String, List<Committed.Entry>> byPeer = null;
        // Sized for an even split: grown from 10 entries, a 400-transaction commit's list went
        // through ten arrays (~4% of the bench JVM's allocation at 8,000 tx/s, one pre-executor).
        int perPeer = routed.length / Math.max(1, peers.size()) + 16;
        byte[] causes = d.causes();
        for (int i = 0; i < routed.length; i++) {
            if (routed[i] == null) {
                continue;
            }
            ObjectId missed = d.missedObjects()[i];
            Committed.Outcome o = switch (causes[i]) {
                case CommitOutcome.ADOPTED -> Committed.Outcome.ADOPTED;
                case CommitOutcome.STALE -> missed != null ? Committed.Outcome.STALE : Committed.Outcome.NOT_USED;
                case CommitOutcome.CONFLICT -> missed != null ? Committed.Outcome.CONFLICT : Committed.Outcome.NOT_USED;
                default -> Committed.Outcome.NOT_USED;
            };
            Committed.Entry e = new Committed.Entry(d.transactions().get(i).digest(), o, o.namesObject() ? missed : null);
            Committed.Entry plain = o.namesObject()
                    ? new Committed.Entry(e.transaction(), Committed.Outcome.NOT_USED, null) : e;
            String source = d.sources()[i];
            for (String peer : routed[i]) {
                if (byPeer == null) {
                    byPeer = new HashMap<>();
                }
                // Only the peer whose result read wrongly is told which object (CROSS_CHECKED routes
                // to several; the others' chains need no repair for it).
                byPeer.computeIfAbsent(peer, k -> new ArrayList<>(perPeer)).add(source == null || source.equals(peer) ? e : plain);
            }
        }
        if (byPeer == null) {
            return;
        }
        for (PeerLink p : peers.values()) {
            List<Committed.Entry> mine = byPeer.get(p.nodeId);
            if (mine == null || !(p.streaming || p.snapshotRunning)) {
                continue; // (a peer whose snapshot streams is told too: it may hold work it must skip)
            }
            for (int from = 0; from < mine.size(); from += ClusterMessages.MAX_COMMITTED_ENTRIES) {
                List<Committed.Entry> part = mine.subList(from, Math.min(mine.size(), from + ClusterMessages.MAX_COMMITTED_ENTRIES));
                SendResult r = p.connection.send(ClusterMessages.COMMITTED,
                        ClusterMessages.encode(new Committed(d.index(), part)), Priority.SPECULATIVE);
                if (r == SendResult.SENT || r == SendResult.QUEUED) {
                    counters.committedNoticesSent.increment();
                } else {
                    counters.committedNoticesDropped.increment();
                }
            }
        }
    }

    /** Flushes the peer's pending range at once (PUSH) and sends the missed objects' latest versions. */
    private void push(PeerLink p) {
        counters.pushesAfterMisses.increment();
        sendRanges(p, true);
        List<StoredObject> latest = new ArrayList<>();
        for (ObjectId id : p.windowMissed) {
            StoredObject o = primary.readObject(id);
            if (o != null && latest.size() < ClusterMessages.MAX_UPDATE_OBJECTS) {
                latest.add(o);
            }
        }
        if (!latest.isEmpty()) {
            send(p, StateUpdate.pushedObjects(Math.max(-1, history.latest()), latest));
            counters.stateUpdatesSent.increment();
        }
        p.windowMisses = 0;
        p.windowMissed.clear();
    }

    // ---- streaming (remora-cluster) -------------------------------------------------------------

    private void guardedFlush() {
        try {
            flush();
        } catch (RuntimeException e) {
            counters.internalErrors.increment(); // a bug or a closing primary: never kill the scheduled flush
        }
    }

    private void flush() {
        long min = Long.MAX_VALUE;
        long now = clock.getAsLong();
        boolean routingChanged = false;
        for (PeerLink p : peers.values()) {
            if (p.streaming) {
                sendRanges(p, false);
                min = Math.min(min, p.sentUpTo);
            } else if (p.snapshotRunning) {
                min = Math.min(min, p.snapshotFloor); // keep what follows its snapshot
            }
            if (p.stalled(now, config.stallTimeoutNanos())) {
                // Work outstanding and no answer for stallTimeout (e.g. SIGSTOPped): no more work for
                // it, and nothing routed to it is waited for, until it answers again or reports
                // itself idle (onHeartbeat).
                counters.peersStalled.increment();
                primary.peerDisconnected(p.nodeId);
                routingChanged = true;
            }
        }
        if (routingChanged) {
            refreshRoutable();
        }
        history.trimUpTo(min == Long.MAX_VALUE ? history.latest() : min);
    }

    private void sendRanges(PeerLink p, boolean push) {
        if (history.latest() == Long.MIN_VALUE || p.sentUpTo >= history.latest()) {
            return;
        }
        for (StateUpdate u : history.ranges(p.sentUpTo, push)) {
            send(p, u);
            counters.stateUpdatesSent.increment();
        }
        p.sentUpTo = history.latest();
    }

    /**
     * A SNAPSHOT_REQUEST (cluster thread): the latest request of a peer wins (an older id arriving
     * after a newer one on the same link is ignored); one snapshot at a time
     * per peer and at most one per {@code snapshotMinInterval} (a later request waits for its turn,
     * it is not lost); the snapshot streams on a reader thread, so that state updates to every other
     * peer go on meanwhile.
     */
    private void snapshotRequested(PeerLink p, long requestId) {
        if (!p.connection.isOpen()) {
            return;
        }
        if (requestId <= p.latestSnapshotRequest) {
            // Overtaken by a later request of the same peer: it ignores this one's chunks, and the
            // updates after them would start past its watermark, unseen until a gap.
            counters.snapshotRequestsStale.increment();
            return;
        }
        p.latestSnapshotRequest = requestId;
        if (p.pendingSnapshot >= 0 || p.snapshotRunning) {
            counters.snapshotRequestsDeferred.increment();
        }
        p.pendingSnapshot = requestId;
        maybeStartSnapshot(p);
    }

    private void maybeStartSnapshot(PeerLink p) {
        if (p.snapshotRunning || p.pendingSnapshot < 0 || !p.connection.isOpen()) {
            return;
        }
        long now = clock.getAsLong();
        if (p.snapshotsDone > 0 && now - p.lastSnapshotNanos < config.snapshotMinIntervalNanos()) {
            if (!p.snapshotScheduled) {
                p.snapshotScheduled = true;
                long wait = config.snapshotMinIntervalNanos() - (now - p.lastSnapshotNanos);
                try {
                    thread.schedule(() -> {
                        p.snapshotScheduled = false;
                        maybeStartSnapshot(p);
                    }, wait, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    // closing
                }
            }
            return;
        }
        long requestId = p.pendingSnapshot;
        p.pendingSnapshot = -1;
        p.snapshotRunning = true;
        p.streaming = false; // no ranges, pushes or hot sets until the snapshot is through
        p.snapshotFloor = history.latest();
        readOffCluster(() -> streamSnapshot(p, requestId));
    }

    /** Reader thread: streams the snapshot, waiting for the link to drain between chunks; then hands back. */
    private void streamSnapshot(PeerLink p, long requestId) {
        long commit = Long.MIN_VALUE;
        try {
            int[] sequence = {0};
            commit = primary.readSnapshot(CHUNK_OBJECTS, CHUNK_BYTES, (c, objects, last) -> {
                if (!p.connection.isOpen()) {
                    // The peer is gone: stop reading the whole state for nobody (it asks again on reconnecting).
                    throw new SnapshotAbandoned(p.nodeId, "disconnected");
                }
                if (p.latestSnapshotRequest != requestId) {
                    // It asked again (its snapshot timeout) and ignores this one's chunks: serve the new one.
                    throw new SnapshotAbandoned(p.nodeId, "superseded by request " + p.latestSnapshotRequest);
                }
                awaitWritable(p);
                send(p, new SnapshotChunk(requestId, c, sequence[0]++, last, objects));
            });
        } catch (SnapshotAbandoned e) {
            counters.snapshotsAbandoned.increment(); // the peer asks again (on reconnecting, or after its snapshot timeout)
        } catch (RuntimeException e) {
            counters.internalErrors.increment(); // a read error, or the primary closing: the peer asks again
        }
        long done = commit;
        runOnClusterThread(() -> snapshotDone(p, done));
    }

    /** Back-pressure for a snapshot: the reader waits while the peer's link is above its high water mark. */
    private void awaitWritable(PeerLink p) {
        long deadline = scheduling.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.connection.isOpen() && !p.connection.isWritable()) {
            if (scheduling.nanoTime() - deadline > 0) {
                throw new SnapshotAbandoned(p.nodeId, "link not draining for 30 s");
            }
            try {
                scheduling.pause(1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("snapshot to " + p.nodeId + " stopped: interrupted (closing)", e);
            }
        }
    }

    /** A snapshot stopped because of its peer (gone, link not draining, asked again), not an error of the primary. */
    private static final class SnapshotAbandoned extends RuntimeException {
        SnapshotAbandoned(String nodeId, String why) {
            super("snapshot to " + nodeId + " abandoned: " + why, null, false, false);
        }
    }

    private void snapshotDone(PeerLink p, long commit) {
        p.snapshotRunning = false;
        p.snapshotsDone++;
        p.lastSnapshotNanos = clock.getAsLong();
        if (commit != Long.MIN_VALUE && p.connection.isOpen()) {
            counters.snapshotsServed.increment();
            p.sentUpTo = commit;
            p.streaming = true;
            p.windowMisses = 0;
            p.windowMissed.clear();
            sendRanges(p, false); // everything published past the snapshot
            if (hotEpoch > 0) {
                sendHotSet(p);
            }
        }
        maybeStartSnapshot(p); // a newer request arrived meanwhile
    }

    private void readOffCluster(Runnable task) {
        runGuarded(readers, task);
    }

    private void sendHotSet(PeerLink p) {
        send(p, new HotSet(hotEpoch, feedback.hotSet()));
        counters.hotSetBroadcasts.increment();
    }

    private void answerObjects(PeerLink p, ObjectRequest r) {
        long asOf = primary.lastExecutedCommit();
        List<StoredObject> found = new ArrayList<>();
        List<ObjectId> missing = new ArrayList<>();
        for (ObjectId id : r.objects()) {
            StoredObject o = primary.readObject(id);
            if (o == null) {
                missing.add(id);
            } else {
                found.add(o);
            }
        }
        send(p, new ObjectResponse(r.requestId(), asOf, found, missing));
    }

    private void send(PeerLink p, ClusterMessage m) {
        p.connection.send(m.type(), ClusterMessages.encode(m), Priority.RELIABLE);
    }

    private void runOnClusterThread(Runnable task) {
        runGuarded(thread, task);
    }

    /** Runs {@code task} on {@code executor}; its failure is counted, not thrown; a closing cluster drops it. */
    private void runGuarded(java.util.concurrent.Executor executor, Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    counters.internalErrors.increment();
                }
            });
        } catch (RejectedExecutionException closing) {
            // the cluster is closing: nothing more to send
        }
    }

    /** Stops the cluster thread and unregisters from the primary; the caller closes the transport server. */
    @Override
    public void close() {
        if (primary.isRunning()) {
            primary.leaseLinks(null);
        }
        primary.removeCommitObserver(this);
        primary.removeQuarantineListener(quarantineListener);
        readers.shutdownNow();
        objectReader.shutdownNow();
        thread.shutdownNow();
        try {
            readers.awaitTermination(5, TimeUnit.SECONDS);
            objectReader.awaitTermination(5, TimeUnit.SECONDS);
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
