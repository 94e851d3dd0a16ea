package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Digest;
import io.remora.core.LookupTable;
import io.remora.core.PreExecResult;
import io.remora.core.PrecompileResult;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Execute;
import io.remora.core.protocol.LoadReport;
import io.remora.core.protocol.Results;
import io.remora.core.protocol.SnapshotRequest;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.FrameProtection;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException;
import io.remora.transport.Transport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster links and service against an attacker on the path and against abusive peers, over
 * loopback, bounded in count and time: a relay without keys cannot alter, replay, drop or inject a
 * frame unnoticed; unauthenticated and authenticated floods stay within their bounds while commits
 * go on and honest results are still adopted; a snapshot flood does not freeze state updates to
 * others; a SIGSTOPped pre-executor stops getting work and gets it again once resumed. Every
 * primary digest is checked against the sequential reference.
 */
class ClusterHardeningTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Path dir;
    private Workload w;
    private RemoraPrimary primary;
    private RemoraCluster cluster;
    private int commits;
    private int submitted;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("remora-hardening");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        TestDirs.delete(dir);
    }

    private <T extends AutoCloseable> T track(T c) {
        closing.add(c);
        return c;
    }

    private void start(FrameProtection protection) {
        start(protection, Duration.ofMillis(300), Duration.ofMillis(300));
    }

    private void start(FrameProtection protection, Duration resultWait, Duration stallTimeout) {
        w = Workloads.transfers(91, 40).take(400);
        primary = track(RemoraPrimary.builder().dataDirectory(dir.resolve("db"))
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).workerThreads(2).resultWaitTimeout(resultWait)
                .resultBudgets(2L << 20, 8L << 20).build());
        primary.start();
        cluster = track(RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                .consensus(tx -> { }).heartbeatInterval(Duration.ofMillis(100)).frameProtection(protection)
                .stallTimeout(stallTimeout).build().start());
    }

    private PreExecutor honest(String id, int port) throws Exception {
        PreExecutor p = track(PreExecutor.builder().nodeId(id).primary("127.0.0.1", port)
                .nodeKey(TransportConfig.deriveNodeKey(ClusterIntegrationTest.SECRET, id))
                .heartbeatInterval(Duration.ofMillis(100)).workerThreads(1).build().start());
        ClusterIntegrationTest.await(Duration.ofSeconds(20),
                () -> cluster.peers().stream().anyMatch(s -> s.nodeId().equals(id) && s.synced()),
                () -> "not synced: " + cluster.peers());
        return p;
    }

    /**
     * A peer that authenticates as {@code id}, reports itself synced with {@code queueDepth} queued
     * at {@code rate} tx/s every {@code heartbeat}, and ignores every message (answers nothing);
     * returns once the cluster counts it synced.
     */
    private void reportingPeer(String id, Duration heartbeat, int queueDepth, int rate) throws Exception {
        TransportConfig config = TransportConfig.builder().nodeId(id)
                .nodeKey(TransportConfig.deriveNodeKey(ClusterIntegrationTest.SECRET, id))
                .heartbeatInterval(heartbeat)
                .heartbeatPayload(() -> ClusterMessages.encode(new LoadReport(LoadReport.FLAG_SYNCED, 1, queueDepth, rate,
                        primary.lastExecutedCommit())))
                .build();
        track(Transport.netty().connect(config, "127.0.0.1", cluster.port(), (c, type, payload) -> { },
                new ConnectionListener() { })).awaitConnection(Duration.ofSeconds(10)).orElseThrow();
        ClusterIntegrationTest.await(Duration.ofSeconds(10),
                () -> cluster.peers().stream().anyMatch(s -> s.nodeId().equals(id) && s.synced()),
                () -> "not synced: " + cluster.peers());
    }

    /** Submits the next {@code n} transactions through admission and commits them. */
    private void commitNext(int n) throws Exception {
        List<Transaction> commit = w.transactions().subList(submitted, submitted + n);
        for (Transaction tx : commit) {
            cluster.submit(tx);
        }
        Thread.sleep(50); // pre-execution happens while "consensus" orders
        primary.submitCommit(commits++, commit).get(30, TimeUnit.SECONDS);
        submitted += n;
    }

    private void assertReferenceState() {
        SequentialExecutor oracle = new SequentialExecutor(BuiltinEngine.executor("oracle"), w.genesisStore());
        oracle.executeAll(w.transactions().subList(0, submitted));
        assertEquals(oracle.stateDigest(), primary.stateDigest(), "state digest: " + primary.metrics());
    }

    @Test
    @Timeout(120)
    void shouldDetectEveryTamperingOfARelayWithoutKeys() throws Exception {
        Object[][] cases = {
            {Relay.Action.ALTER, ProtocolException.Category.BAD_MAC, FrameProtection.AUTHENTICATED},
            {Relay.Action.ALTER, ProtocolException.Category.BAD_MAC, FrameProtection.ENCRYPTED},
            {Relay.Action.REPLAY, ProtocolException.Category.SEQUENCE, FrameProtection.AUTHENTICATED},
            {Relay.Action.DROP, ProtocolException.Category.SEQUENCE, FrameProtection.ENCRYPTED},
            {Relay.Action.INJECT, ProtocolException.Category.BAD_MAC, FrameProtection.AUTHENTICATED}};
        for (Object[] c : cases) {
            tearDown();
            closing.clear();
            setUp();
            commits = 0;
            submitted = 0;
            Relay.Action action = (Relay.Action) c[0];
            ProtocolException.Category expected = (ProtocolException.Category) c[1];
            start((FrameProtection) c[2]);
            Relay relay = track(new Relay(cluster.port(), action));
            honest("pre-1", relay.port());
            for (int k = 0; k < 6; k++) {
                commitNext(20);
            }
            ClusterIntegrationTest.await(Duration.ofSeconds(10), relay::acted, () -> action + ": never acted");
            ClusterIntegrationTest.await(Duration.ofSeconds(10),
                    () -> cluster.transportMetrics().protocolErrors(expected) >= 1,
                    () -> action + ": " + cluster.transportMetrics());
            // The pre-executor reconnects (the relay acts once) and the cluster goes on.
            ClusterIntegrationTest.await(Duration.ofSeconds(20),
                    () -> cluster.peers().stream().anyMatch(PeerStatus::synced), () -> "peers " + cluster.peers());
            for (int k = 0; k < 4; k++) {
                commitNext(20);
            }
            assertReferenceState();
            assertTrue(primary.metrics().adopted() > 0, action + ": " + primary.metrics());
        }
    }

    @Test
    @Timeout(60)
    void shouldBoundWhatUnauthenticatedPeersCanMakeThePrimaryHold() throws Exception {
        start(FrameProtection.AUTHENTICATED);
        honest("pre-1", cluster.port());
        commitNext(20);
        long before = io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 128; i++) {
                Socket s = new Socket("127.0.0.1", cluster.port());
                flood.add(s);
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(ByteBuffer.allocate(8).putInt(16 << 20).put((byte) Transport.PROTOCOL_VERSION)
                            .put((byte) 1).putShort((short) 0).array());
                    out.write(new byte[2048]);
                    out.flush();
                } catch (java.io.IOException refused) {
                    // closed by the pending-handshake limit already
                }
            }
            ClusterIntegrationTest.await(Duration.ofSeconds(10), () ->
                    cluster.transportMetrics().protocolErrors(ProtocolException.Category.FRAME_TOO_LARGE)
                            + cluster.transportMetrics().protocolErrors(ProtocolException.Category.HANDSHAKE_LIMIT) >= 128,
                    () -> "" + cluster.transportMetrics());
            long after = io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            assertTrue(after - before <= 32L << 20, "direct memory grew by " + (after - before));
            for (int k = 0; k < 3; k++) {
                commitNext(20); // commits go on
            }
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        assertReferenceState();
        assertTrue(primary.metrics().adopted() > 0);
    }

    /** The bloater's answers: every other one a 6 MiB full result, the others 1 MiB of precompile outputs. */
    private static void bloat(Connection connection, Execute e, java.util.concurrent.atomic.AtomicInteger answers) {
        for (Transaction tx : e.transactions()) {
            PreExecResult big;
            if (answers.incrementAndGet() % 2 == 0) {
                List<io.remora.core.Effects.Written> written = new ArrayList<>();
                for (int i = 0; i < 96; i++) {
                    written.add(new io.remora.core.Effects.Written(new io.remora.core.StoredObject(
                            io.remora.core.ObjectId.of(i, 7, 7, 7), 1, io.remora.core.Owner.IMMUTABLE, "junk",
                            new byte[64 * 1024]), true));
                }
                big = PreExecResult.full(new io.remora.core.Effects(tx.digest(),
                        io.remora.core.ExecutionStatus.SUCCESS, 0, 1, List.of(), written, List.of(), List.of()),
                        LookupTable.EMPTY, 0);
            } else {
                List<PrecompileResult> junk = new ArrayList<>();
                for (int i = 0; i < 255; i++) {
                    junk.add(new PrecompileResult(1, Digest.of(i, 2, 3, 4), new byte[4096]));
                }
                big = PreExecResult.verifyOnly(tx.digest(), new LookupTable(List.of(), junk,
                        io.remora.core.Authenticator.NOT_CHECKED), 0);
            }
            connection.send(ClusterMessages.RESULT, ClusterMessages.encode(Results.of(big)), Priority.RELIABLE);
        }
    }

    /** A raw authenticated client with its own key; it reports a synced replica if {@code synced}. */
    private TransportClient rogue(String id, boolean synced, io.remora.transport.MessageListener onMessage) throws Exception {
        TransportConfig config = TransportConfig.builder().nodeId(id)
                .nodeKey(TransportConfig.deriveNodeKey(ClusterIntegrationTest.SECRET, id))
                .heartbeatInterval(Duration.ofMillis(100))
                .heartbeatPayload(() -> ClusterMessages.encode(new LoadReport(synced ? LoadReport.FLAG_SYNCED : 0, 1, 0, 0,
                        primary.lastExecutedCommit())))
                .build();
        TransportClient c = track(Transport.netty().connect(config, "127.0.0.1", cluster.port(), onMessage,
                new ConnectionListener() { }));
        c.awaitConnection(Duration.ofSeconds(10)).orElseThrow();
        return c;
    }

    @Test
    @Timeout(90)
    void shouldBoundWhatAnAuthenticatedPeerCanMakeThePrimaryHold() throws Exception {
        // Commits wait (up to 2 s) for the bloater's multi-megabyte results, so that they arrive
        // before their commits (a late result is LATE, whatever its size) also on a loaded machine.
        start(FrameProtection.AUTHENTICATED, Duration.ofSeconds(2), Duration.ofSeconds(5));
        honest("pre-1", cluster.port());
        // A peer that answers every transaction it is given with results as big as the wire allows,
        // sent reliably (it is the attacker's choice): every other one larger than an honest result
        // could be for the transaction's gas, the others piling up against its budget.
        java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService builder = java.util.concurrent.Executors.newSingleThreadExecutor();
        track(builder::shutdownNow);
        rogue("bloater", true, (connection, type, payload) -> {
            if (type != ClusterMessages.EXECUTE) {
                return;
            }
            Execute e = (Execute) ClusterMessages.decode(type, payload, 0, payload.capacity());
            builder.execute(() -> bloat(connection, e, answers)); // off its I/O thread: its heartbeats go on
        });
        ClusterIntegrationTest.await(Duration.ofSeconds(10),
                () -> cluster.peers().stream().filter(PeerStatus::synced).count() == 2, () -> "" + cluster.peers());
        // And one that floods results for transactions nobody gave it.
        TransportClient flooder = rogue("flooder", false, (c, t, p) -> { });
        Connection f = flooder.awaitConnection(Duration.ofSeconds(5)).orElseThrow();
        List<PreExecResult> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(PreExecResult.verifyOnly(Digest.of(i, 9, 9, 9), LookupTable.EMPTY, 0));
        }
        byte[] payload = ClusterMessages.encode(new Results(batch));
        for (int i = 0; i < 300 && f.isOpen(); i++) {
            f.send(ClusterMessages.RESULT, payload, Priority.SPECULATIVE);
        }
        // At least 6 commits, and more (up to the workload's 20) until one of the bloater's results
        // has reached the primary: on a loaded machine they may all come after their commits (late).
        for (int k = 0; k < 20 && (k < 6 || primary.metrics().resultsOversized() == 0); k++) {
            commitNext(20);
            assertTrue(primary.runtime().heldResultBytes("bloater") <= 2L << 20, "held " + primary.runtime().heldResultBytes("bloater"));
        }
        ClusterIntegrationTest.await(Duration.ofSeconds(10), () -> cluster.metrics().peersDisconnectedForAbuse() >= 1,
                () -> "" + cluster.metrics());
        PrimaryMetrics m = primary.metrics();
        // (Refusal past the byte budget itself: ResultTableTest; here the bound is checked after every commit.)
        assertTrue(m.resultsOversized() > 0, m + " " + cluster.peers() + " " + cluster.metrics());
        assertTrue(m.resultsUnsolicited() >= 10_000, "" + m);
        assertEquals(0, primary.runtime().heldResultBytes("flooder"));
        assertTrue(m.adopted() > 0, "the honest peer's results are still adopted: " + m);
        assertReferenceState();
    }

    @Test
    @Timeout(90)
    void shouldKeepStreamingStateToOthersDuringASnapshotFlood() throws Exception {
        start(FrameProtection.AUTHENTICATED);
        honest("pre-1", cluster.port());
        TransportClient asker = rogue("asker", false, (c, t, p) -> { });
        Connection a = asker.awaitConnection(Duration.ofSeconds(5)).orElseThrow();
        long servedBefore = cluster.metrics().snapshotsServed();
        long updatesBefore = cluster.metrics().stateUpdatesSent();
        for (int i = 0; i < 500; i++) {
            a.send(ClusterMessages.SNAPSHOT_REQUEST, ClusterMessages.encode(new SnapshotRequest(i, -1)), Priority.RELIABLE);
        }
        long t0 = System.nanoTime();
        for (int k = 0; k < 8; k++) {
            commitNext(20);
        }
        int last = commits - 1;
        ClusterIntegrationTest.await(Duration.ofSeconds(10), () -> cluster.peers().stream()
                .anyMatch(p -> p.nodeId().equals("pre-1") && p.watermark() >= last), () -> "watermark frozen: " + cluster.peers());
        assertTrue(cluster.metrics().stateUpdatesSent() > updatesBefore);
        // The cluster thread works through the flood in its own time (slowly on a loaded machine):
        // wait until it has seen most of it, then check that it served at most one a second.
        ClusterIntegrationTest.await(Duration.ofSeconds(30), () -> cluster.metrics().snapshotRequestsDeferred() >= 400,
                () -> "" + cluster.metrics());
        long seconds = Math.max(1, (System.nanoTime() - t0) / 1_000_000_000L + 1);
        assertTrue(cluster.metrics().snapshotsServed() - servedBefore <= seconds + 2,
                "at most one snapshot a second for the asker: " + cluster.metrics());
        assertEquals(0, cluster.metrics().snapshotRequestsStale(), "ids only increased");
        // Requests older than the latest (overtaken, or given up on by the peer) are ignored.
        for (int i = 10; i < 15; i++) {
            a.send(ClusterMessages.SNAPSHOT_REQUEST, ClusterMessages.encode(new SnapshotRequest(i, -1)), Priority.RELIABLE);
        }
        ClusterIntegrationTest.await(Duration.ofSeconds(30), () -> cluster.metrics().snapshotRequestsStale() == 5,
                () -> "" + cluster.metrics());
        assertReferenceState();
    }

    private long sent(String id) {
        return cluster.peers().stream().filter(p -> p.nodeId().equals(id)).mapToLong(PeerStatus::executesSent).sum();
    }

    @Test
    @Timeout(120)
    void shouldStopRoutingToAStoppedPreExecutorAndResumeWhenItAnswers() throws Exception {
        start(FrameProtection.ENCRYPTED);
        PreExecutorProcess a = track(PreExecutorProcess.start("pre-a", cluster.port(), ClusterIntegrationTest.SECRET,
                dir.resolve("logs")));
        PreExecutorProcess b = track(PreExecutorProcess.start("pre-b", cluster.port(), ClusterIntegrationTest.SECRET,
                dir.resolve("logs")));
        ClusterIntegrationTest.await(Duration.ofSeconds(60),
                () -> cluster.peers().stream().filter(PeerStatus::synced).count() == 2, () -> "peers " + cluster.peers());
        for (int k = 0; k < 3; k++) {
            commitNext(20); // warm both up
        }
        a.signal("STOP");
        try {
            commitNext(20); // work routed to pre-a is not answered
            ClusterIntegrationTest.await(Duration.ofSeconds(10), () -> cluster.peers().stream()
                    .anyMatch(p -> p.nodeId().equals("pre-a") && p.stalled()), () -> "not stalled: " + cluster.peers());
            long sentToA = sent("pre-a");
            long sentToB = sent("pre-b");
            long local = cluster.metrics().localOnly();
            commitNext(40); // no longer routed to pre-a (nor waited for): pre-b takes it (or, while
                            // pre-b is itself briefly slow to answer, the primary executes it)
            assertEquals(sentToA, sent("pre-a"), "no work for a stalled peer: " + cluster.peers());
            assertEquals(40, sent("pre-b") - sentToB + cluster.metrics().localOnly() - local, "" + cluster.peers());
            assertTrue(cluster.metrics().peersStalled() >= 1);
        } finally {
            a.signal("CONT");
        }
        ClusterIntegrationTest.await(Duration.ofSeconds(30), () -> cluster.peers().stream()
                .anyMatch(p -> p.nodeId().equals("pre-a") && !p.stalled() && p.resultsReceived() > 0),
                () -> "pre-a never answered again: " + cluster.peers() + " " + cluster.metrics());
        long beforeResume = sent("pre-a");
        commitNext(40);
        assertTrue(sent("pre-a") > beforeResume, "work for pre-a again once it answers: " + cluster.peers() + "\n" + a.output());
        assertReferenceState();
        assertTrue(b.process.isAlive());
    }

    /**
     * A stall that nothing would end: a pre-executor alive and reporting nothing unanswered whose
     * answers never arrive (they were dropped under back-pressure while the primary was slow to
     * read, as after a long GC pause). Stalled, it gets no work, so it would never answer again;
     * its idle load report ends the stall instead (after the stall timeout, doubled for each stall
     * in a row without an answer), it gets work again, and the state is the reference's.
     */
    @Test
    @Timeout(90)
    void shouldRouteAgainToAStalledPreExecutorThatReportsItselfIdle() throws Exception {
        start(FrameProtection.ENCRYPTED, Duration.ofMillis(100), Duration.ofMillis(150));
        // It takes every EXECUTE and answers none of them, as if every answer were lost on the way.
        reportingPeer("mute", Duration.ofMillis(50), 0, 8_000);
        for (int round = 1; round <= 2; round++) {
            long before = sent("mute");
            commitNext(20);
            assertTrue(sent("mute") > before, "round " + round + ": no work for the idle peer: " + cluster.peers());
            int r = round;
            ClusterIntegrationTest.await(Duration.ofSeconds(10), () -> cluster.metrics().peersStalled() >= r,
                    () -> "never stalled: " + cluster.metrics());
            ClusterIntegrationTest.await(Duration.ofSeconds(10), () -> cluster.metrics().peersRecoveredIdle() >= r
                    && cluster.peers().stream().anyMatch(s -> s.nodeId().equals("mute") && !s.stalled()),
                    () -> "stalled for good: " + cluster.peers() + " " + cluster.metrics());
        }
        assertEquals(cluster.metrics().peersRecovered(), cluster.metrics().peersRecoveredIdle(), "it never answered");
        assertReferenceState();
    }

    /**
     * Back-pressure: with every routable pre-executor reporting more queued work than
     * admissionBacklog allows, submit refuses the transaction (typed, counted) and consensus never
     * gets it; once a pre-executor without a backlog is routable, submissions are admitted again.
     */
    @Test
    @Timeout(90)
    void shouldRejectAdmissionWhileEveryPreExecutorIsBackloggedAndAdmitAgainWhenOneIsNot() throws Exception {
        w = Workloads.transfers(92, 40).take(60);
        primary = track(RemoraPrimary.builder().dataDirectory(dir.resolve("db"))
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).workerThreads(2).resultWaitTimeout(Duration.ofMillis(300)).build());
        primary.start();
        List<Transaction> ordered = new java.util.concurrent.CopyOnWriteArrayList<>();
        cluster = track(RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                .consensus(ordered::add).heartbeatInterval(Duration.ofMillis(100)).frameProtection(FrameProtection.ENCRYPTED)
                .admissionBacklog(Duration.ofMillis(100)).build().start());
        // 50,000 queued at 2,000 tx/s: 25 s of work, far over the 100 ms allowed.
        reportingPeer("backlogged", Duration.ofMillis(100), 50_000, 2_000);
        List<Transaction> txs = w.transactions();
        for (int i = 0; i < 20; i++) {
            assertEquals(SubmitOutcome.REJECTED_OVERLOADED, cluster.submit(txs.get(i)), "tx " + i + ": " + cluster.peers());
        }
        assertEquals(20, cluster.metrics().rejected(SubmitOutcome.REJECTED_OVERLOADED));
        assertTrue(ordered.isEmpty(), "a rejected transaction must not reach consensus");
        assertEquals(0, sent("backlogged"), "nothing is sent to a backlogged pre-executor on rejection");
        assertFalse(SubmitOutcome.REJECTED_OVERLOADED.admitted());

        honest("pre-free", cluster.port());
        for (int i = 20; i < 60; i++) {
            assertTrue(cluster.submit(txs.get(i)).admitted(), "tx " + i + ": " + cluster.peers());
        }
        assertEquals(40, ordered.size());
        assertEquals(20, cluster.metrics().rejected(SubmitOutcome.REJECTED_OVERLOADED));
        // The admitted ones execute to the reference state of exactly what consensus ordered.
        primary.submitCommit(0, List.copyOf(ordered)).get(30, TimeUnit.SECONDS);
        io.remora.core.store.InMemoryObjectStore oracle = w.genesisStore();
        new io.remora.core.exec.SequentialExecutor(BuiltinEngine.executor("oracle"), oracle).executeAll(ordered);
        assertEquals(oracle.stateDigest(), primary.stateDigest());
    }
}
