package io.remora.preexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.engine.CoinProgram;
import io.remora.core.engine.CounterProgram;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.protocol.Committed;
import io.remora.core.protocol.Execute;
import io.remora.core.protocol.LoadReport;
import io.remora.core.protocol.SnapshotChunk;
import io.remora.core.protocol.StateUpdate;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.testkit.Seeds;
import io.remora.transport.InMemoryTransport;
import io.remora.transport.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pre-executor against a fake primary over the deterministic in-memory transport. Every
 * expected result is {@code TransactionExecutor.preExecute} on the state the primary would
 * validate against, so equality means the primary would adopt the result. Seeded: prints its seed,
 * replays with {@code -Dremora.seed=<seed>}.
 */
@Timeout(30)
class PreExecutorTest {
    static final String NODE = "pre-1";
    static final int COUNTERS = 24;
    static final int COINS = 8;
    static final Duration PARK = Duration.ofMillis(150);
    /** For tests where the state must arrive while parked: long enough never to expire on a loaded machine. */
    static final Duration LONG_PARK = Duration.ofSeconds(20);

    private long seed;
    private Random random;
    private final List<Ed25519KeyPair> keys = new ArrayList<>();
    private final List<ObjectId> counters = new ArrayList<>();
    private final List<ObjectId> coins = new ArrayList<>();
    private final TransactionExecutor expected = BuiltinEngine.executor(NODE);
    private InMemoryTransport mem;
    private FakePrimary primary;
    private PreExecutor px;
    private long nonce;

    @BeforeEach
    void setUp() {
        seed = Seeds.seed("PreExecutorTest");
        random = new Random(seed);
        List<StoredObject> genesis = new ArrayList<>();
        for (int i = 0; i < COUNTERS; i++) {
            counters.add(newId());
            genesis.add(CounterProgram.genesisCounter(counters.get(i), random.nextInt(1000)));
        }
        for (int i = 0; i < COINS; i++) {
            keys.add(Ed25519KeyPair.generate(random));
            coins.add(newId());
            genesis.add(CoinProgram.genesisCoin(coins.get(i), keys.get(i).address(), 1 + random.nextInt(1_000_000)));
        }
        mem = new InMemoryTransport();
        primary = new FakePrimary(mem, "primary", genesis);
    }

    @AfterEach
    void tearDown() {
        if (px != null) {
            px.close();
        }
        primary.close();
        mem.runPending();
    }

    private PreExecutor start(Duration batchDelay) {
        return start(batchDelay, PARK);
    }

    private PreExecutor start(Duration batchDelay, Duration park) {
        startUnsynced(batchDelay, park);
        pump("first snapshot installed", px::isSynced);
        return px;
    }

    private PreExecutor startUnsynced(Duration batchDelay, Duration park) {
        px = PreExecutor.builder().nodeId(NODE).primary("primary", primary.server.port())
                .clusterSecret(FakePrimary.SECRET).transport(mem).workerThreads(2).parkTimeout(park)
                .stateUpdateBatching(batchDelay, 64).drainTimeout(Duration.ofSeconds(2))
                .lazyJoin(false) // these tests are about the snapshot path; PreExecutorLazyJoinTest has the other
                .build().start();
        return px;
    }

    @Test
    void shouldAnswerWithTheResultsPreExecutionGivesOnTheSameState() {
        start(Duration.ZERO);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < COUNTERS; i++) {
            txs.add(increment(counters.get(i), 1 + random.nextInt(100)));
        }
        for (int i = 0; i < COINS; i++) {
            txs.add(transfer(i, keys.get(random.nextInt(COINS)).address()));
        }
        java.util.Collections.shuffle(txs, random);
        for (int i = 0; i < txs.size(); i += 5) {
            primary.execute(txs.subList(i, Math.min(i + 5, txs.size())).toArray(Transaction[]::new));
        }
        Map<io.remora.core.Digest, PreExecResult> got = awaitResults(txs.size());
        for (Transaction tx : txs) {
            assertEquals(expected.preExecute(tx, primary.state, -1), got.get(tx.digest()), tx + " " + Seeds.replay(seed));
            assertTrue(got.get(tx.digest()).isFull());
        }
        assertEquals(txs.size(), px.metrics().executed());
        assertEquals(0, px.metrics().verifyOnly());
    }

    @Test
    void shouldChainTransactionsOnTheSameObjectInArrivalOrder() {
        start(Duration.ZERO);
        ObjectId c = counters.get(0);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            txs.add(increment(c, 1 + random.nextInt(100)));
        }
        // Interleave work on other objects; each chained increment goes in its own message.
        for (int i = 0; i < txs.size(); i++) {
            primary.execute(txs.get(i), increment(counters.get(1 + i), 1));
        }
        Map<io.remora.core.Digest, PreExecResult> got = awaitResults(2 * txs.size());
        // Consensus keeps admission order: each result equals pre-execution after its predecessors.
        InMemoryObjectStore sequential = primary.state.copy();
        for (Transaction tx : txs) {
            PreExecResult want = expected.preExecute(tx, sequential, -1);
            assertEquals(want, got.get(tx.digest()), tx + " " + Seeds.replay(seed));
            sequential.apply(want.effects());
        }
        long first = got.get(txs.get(0).digest()).effects().lamportVersion();
        assertEquals(first, read(got.get(txs.get(1).digest()), c).version(), "second read the first's write");
    }

    @Test
    void shouldParkThenAnswerVerifyOnlyWhenAnOwnedVersionIsMissing() {
        start(Duration.ZERO);
        Ed25519KeyPair bob = keys.get(1);
        primary.commit(transfer(0, bob.address())); // committed, but the update is never sent
        Transaction next = sign(bob, List.of(InputObject.owned(primary.state.read(coins.get(0)).ref())),
                CoinProgram.NAME, "transfer", CoinProgram.transferArgs(keys.get(2).address()));
        primary.execute(next);
        PreExecResult r = awaitResults(1).get(next.digest());
        // Parked, then answered at the timeout (counted; no wall-clock assertion).
        assertEquals(expected.verifyOnly(next, staleReplica(), -1), r);
        assertFalse(r.isFull());
        assertEquals(1, px.metrics().parked());
        assertEquals(1, px.metrics().verifyOnly(VerifyOnlyReason.MISSING_VERSION));
    }

    @Test
    void shouldRunAParkedTransactionOnceItsStateArrives() {
        start(Duration.ZERO, LONG_PARK);
        Ed25519KeyPair bob = keys.get(1);
        StateUpdate update = primary.commit(transfer(0, bob.address()));
        Transaction next = sign(bob, List.of(InputObject.owned(primary.state.read(coins.get(0)).ref())),
                CoinProgram.NAME, "transfer", CoinProgram.transferArgs(keys.get(2).address()));
        primary.execute(next);
        pump("parked", () -> px.metrics().parked() == 1);
        primary.send(update, Priority.RELIABLE);
        PreExecResult r = awaitResults(1).get(next.digest());
        assertEquals(expected.preExecute(next, primary.state, 0), r);
        assertTrue(r.isFull());
        assertEquals(0, px.metrics().verifyOnly());
    }

    @Test
    void shouldGiveVerifyOnlyTreatmentToHotObjects() {
        start(Duration.ZERO);
        primary.hotSet(counters.get(3));
        pump("hot set applied", () -> px.metrics().hotSetsApplied() == 1);
        Transaction hot = increment(counters.get(3), 5);
        Transaction cold = increment(counters.get(4), 5);
        primary.execute(hot, cold);
        Map<io.remora.core.Digest, PreExecResult> got = awaitResults(2);
        assertEquals(expected.verifyOnly(hot, primary.state, -1), got.get(hot.digest()));
        assertEquals(expected.preExecute(cold, primary.state, -1), got.get(cold.digest()));
        assertEquals(1, px.metrics().verifyOnly(VerifyOnlyReason.HOT));
        // A later, empty hot set clears it.
        primary.hotSet();
        pump("hot set cleared", () -> px.metrics().hotSetsApplied() == 2);
        Transaction again = increment(counters.get(3), 6);
        primary.execute(again);
        assertTrue(awaitResults(3).get(again.digest()).isFull());
    }

    @Test
    void shouldSkipATransactionTheNoticeSaysIsCommittedBeforeItRuns() {
        // T waits (no snapshot yet) while consensus commits it: the snapshot then holds T's own
        // effects. Executing T on it would apply T twice in the chain of speculative writes (and
        // every later increment would read one increment too many). The COMMITTED notice makes the
        // pre-executor skip it.
        primary.serveSnapshots = false;
        startUnsynced(Duration.ZERO, LONG_PARK);
        pump("snapshot requested", () -> primary.snapshotRequests.size() == 1);
        ObjectId c = counters.get(2);
        Transaction t = increment(c, 7);
        primary.execute(t);
        pump("parked", () -> px.metrics().parked() == 1);
        primary.commit(t);
        primary.send(new Committed(0, List.of(new Committed.Entry(t.digest(), Committed.Outcome.NOT_USED, null))),
                Priority.RELIABLE);
        pump("notice applied", () -> px.metrics().committedNotices() == 1);
        primary.sendSnapshot(primary.snapshotRequests.peek().requestId());
        pump("skipped", () -> px.metrics().skippedCommitted() == 1);
        Transaction next = increment(c, 5);
        primary.execute(next);
        Map<io.remora.core.Digest, PreExecResult> got = awaitResults(2);
        // t is answered, so the primary sees the pre-executor keep up, but with nothing to use.
        assertEquals(PreExecResult.verifyOnly(t.digest(), new io.remora.core.LookupTable(List.of(), List.of(),
                io.remora.core.Authenticator.NOT_CHECKED), 0), got.get(t.digest()));
        assertEquals(expected.preExecute(next, primary.state, 0), got.get(next.digest()),
                "read the committed counter once " + Seeds.replay(seed));
        assertEquals(0, px.metrics().verifyOnly());
        assertEquals(1, px.metrics().executed());
    }

    @Test
    void shouldRebuildAChainThatLeftTheCommittedOrderOnAStaleNotice() {
        start(Duration.ZERO);
        ObjectId c = counters.get(4);
        Transaction x = increment(c, 1000); // routed elsewhere: this pre-executor never sees it
        Transaction t1 = increment(c, 1);
        Transaction t2 = increment(c, 2);
        primary.execute(t1);
        primary.execute(t2);
        awaitResults(2); // speculated in a chain that lacks x
        StateUpdate u0 = primary.commit(x, t1); // consensus put x first: t1's result was stale
        primary.send(new Committed(0, List.of(new Committed.Entry(t1.digest(), Committed.Outcome.STALE, c))),
                Priority.RELIABLE);
        primary.send(u0, Priority.RELIABLE);
        pump("repaired", () -> px.metrics().chainRepairs() == 1 && px.metrics().chainRepairExecutions() == 1);
        // t2 is not committed yet: the next increment must build on x, t1 and t2.
        Transaction t3 = increment(c, 3);
        primary.execute(t3);
        PreExecResult r = awaitResults(3).get(t3.digest());
        InMemoryObjectStore sequential = primary.state.copy();
        sequential.apply(expected.execute(t2, sequential).effects());
        assertEquals(expected.preExecute(t3, sequential, 0), r, "t3 on x, t1, t2 " + Seeds.replay(seed));
        // A second miss of a result computed before the repair does not repair again.
        primary.commit(t2);
        primary.send(new Committed(1, List.of(new Committed.Entry(t2.digest(), Committed.Outcome.STALE, c))),
                Priority.RELIABLE);
        pump("notice applied", () -> px.metrics().committedNotices() == 2);
        mem.runPending();
        assertEquals(1, px.metrics().chainRepairs());
    }

    @Test
    void shouldRequestANewSnapshotWhenAStateUpdateLeavesAGap() {
        start(Duration.ZERO);
        assertEquals(1, primary.snapshotRequests.size());
        primary.commit(increment(counters.get(0), 1)); // commit 0: its update is lost
        StateUpdate second = primary.commit(increment(counters.get(1), 1)); // commit 1: from 0
        primary.send(second, Priority.RELIABLE);
        pump("resynced at commit 1", () -> px.watermark() == 1);
        assertEquals(2, primary.snapshotRequests.size());
        assertEquals(1, px.metrics().updateGaps());
        assertEquals(2, px.metrics().snapshotsInstalled());
        Transaction tx = increment(counters.get(0), 2);
        primary.execute(tx);
        assertEquals(expected.preExecute(tx, primary.state, 1), awaitResults(1).get(tx.digest()));
    }

    @Test
    void shouldApplyUpdatesInCommitOrderIgnoreStaleOnesAndReportLoad() {
        StateUpdate beforeStart = primary.commit(increment(counters.get(0), 1));
        start(Duration.ofMillis(5)); // lazily batched
        assertEquals(0, px.watermark());
        primary.send(beforeStart, Priority.RELIABLE); // at the watermark: ignored
        for (int i = 1; i <= 5; i++) {
            primary.send(primary.commit(increment(counters.get(i % 3), i)), Priority.RELIABLE);
        }
        pump("caught up", () -> px.watermark() == 5);
        assertEquals(1, px.metrics().staleUpdatesIgnored());
        assertEquals(5, px.metrics().stateUpdatesApplied());
        Transaction tx = increment(counters.get(1), 9);
        primary.execute(tx);
        assertEquals(expected.preExecute(tx, primary.state, 5), awaitResults(1).get(tx.digest()));
        // The snapshot's install was announced at once (an immediate heartbeat: synced at commit 0).
        assertTrue(primary.loads.stream().anyMatch(l -> l.synced() && l.watermark() == 0), "" + primary.loads);
        mem.heartbeat();
        pump("load report", () -> primary.loads.stream().anyMatch(l -> l.watermark() == 5));
        LoadReport load = primary.loads.stream().filter(l -> l.watermark() == 5).findFirst().orElseThrow();
        assertTrue(load.synced());
        assertEquals(2, load.workers());
        assertTrue(load.busy() >= 0, "busy reported: " + load);
    }

    /** LOAD's busy share: above 0 after the workers ran transactions, back to 0 once they are idle. */
    @Test
    void shouldReportItsWorkersBusyShare() {
        start(Duration.ZERO);
        List<Transaction> txs = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < COINS; i++) {
                txs.add(transfer(i, keys.get(random.nextInt(COINS)).address())); // a signature check each
            }
        }
        for (Transaction tx : txs) {
            primary.execute(tx);
        }
        awaitResults(txs.size());
        pump("a busy share above 0 (the window covering the work)", () -> px.load().busy() > 0);
        assertTrue(px.load().busy() <= LoadReport.BUSY_FULL);
        pump("a busy share of 0 once idle", () -> px.load().busy() == 0);
    }

    @Test
    void shouldComputeTheBusyShareInBasisPoints() {
        assertEquals(0, PreExecutor.busyBasisPoints(0, 1_000_000, 2));
        assertEquals(5_000, PreExecutor.busyBasisPoints(1_000_000, 1_000_000, 2), "one of two workers all the time");
        assertEquals(10_000, PreExecutor.busyBasisPoints(5_000_000, 1_000_000, 2), "capped (a task counted at its end)");
        assertEquals(0, PreExecutor.busyBasisPoints(1_000, 0, 2), "no window");
        assertEquals(2_500, PreExecutor.busyBasisPoints(250, 1_000, 1));
    }

    /**
     * A SNAPSHOT_REQUEST the primary never answers, on a link that stays up (the primary abandoned
     * the snapshot after a read error): the pre-executor asks again after its snapshot timeout, and
     * stops asking once one is installed.
     */
    @Test
    void shouldAskForTheSnapshotAgainWhenNoneArrivesInTime() throws InterruptedException {
        primary.serveSnapshots = false;
        px = PreExecutor.builder().nodeId(NODE).primary("primary", primary.server.port())
                .clusterSecret(FakePrimary.SECRET).transport(mem).workerThreads(2).parkTimeout(LONG_PARK)
                .lazyJoin(false).snapshotTimeout(Duration.ofMillis(100)).build().start();
        pump("request 1", () -> primary.snapshotRequests.size() == 1);
        pump("asked again after the timeout", () -> primary.snapshotRequests.size() >= 2);
        assertTrue(px.metrics().snapshotTimeouts() >= 1, px.metrics().toString());
        assertFalse(px.isSynced());
        primary.serveSnapshots = true; // requests from now on are answered (one may come before this)
        long latest = new ArrayList<>(primary.snapshotRequests).get(primary.snapshotRequests.size() - 1).requestId();
        primary.sendSnapshot(latest);
        pump("installed", px::isSynced);
        long requests = px.metrics().snapshotsRequested();
        Thread.sleep(300); // three timeouts' worth: nothing more is asked once installed
        mem.runPending();
        assertEquals(requests, px.metrics().snapshotsRequested(), px.metrics().toString());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PreExecutor.builder().nodeId(NODE).primary("h", 1)
                .clusterSecret(FakePrimary.SECRET).snapshotTimeout(Duration.ofHours(2)).build());
    }

    @Test
    void shouldRestartASnapshotOnAnOutOfSequenceChunkAndIgnoreAbandonedOnes() {
        primary.serveSnapshots = false;
        startUnsynced(Duration.ZERO, LONG_PARK);
        pump("request 1", () -> primary.snapshotRequests.size() == 1);
        long first = primary.snapshotRequests.peek().requestId();
        List<StoredObject> all = primary.state.objects();
        primary.send(new SnapshotChunk(first, -1, 1, true, all), Priority.RELIABLE); // chunk 0 never came
        pump("request 2", () -> primary.snapshotRequests.size() == 2);
        long second = new ArrayList<>(primary.snapshotRequests).get(1).requestId();
        assertTrue(second > first);
        primary.send(new SnapshotChunk(first, -1, 0, true, List.of()), Priority.RELIABLE); // abandoned: ignored
        // Parked until the snapshot lands, then executed against it.
        Transaction tx = increment(counters.get(5), 3);
        primary.execute(tx);
        pump("parked", () -> px.metrics().parked() == 1);
        assertFalse(px.isSynced());
        primary.sendSnapshot(second);
        assertEquals(expected.preExecute(tx, primary.state, -1), awaitResults(1).get(tx.digest()));
        assertEquals(1, px.metrics().snapshotsInstalled());
        assertEquals(all.size(), primary.state.size());
    }

    @Test
    void shouldCountResultsDroppedUnderBackPressure() {
        start(Duration.ZERO);
        mem.dropSpeculative(true); // every speculative send is refused, as under back-pressure
        Transaction tx = increment(counters.get(1), 1);
        primary.send(new Execute(List.of(tx)), Priority.RELIABLE);
        pump("result dropped", () -> px.metrics().resultsDropped() == 1);
        mem.dropSpeculative(false);
        mem.runPending();
        assertTrue(primary.results.isEmpty());
        assertEquals(0, px.metrics().resultsSent());
        assertEquals(1, px.metrics().executed());
    }

    @Test
    void shouldDrainOnClose() {
        start(Duration.ZERO);
        Ed25519KeyPair bob = keys.get(1);
        primary.commit(transfer(0, bob.address()));
        Transaction parked = sign(bob, List.of(InputObject.owned(primary.state.read(coins.get(0)).ref())),
                CoinProgram.NAME, "transfer", CoinProgram.transferArgs(keys.get(2).address()));
        Transaction quick = increment(counters.get(7), 1);
        primary.execute(parked, quick);
        pump("parked", () -> px.metrics().parked() == 1 && px.metrics().executed() == 1);
        Thread closer = new Thread(px::close);
        closer.start();
        pump("drained", () -> !closer.isAlive());
        mem.runPending();
        assertEquals(2, primary.results.size(), "both answered before the link closed");
        assertEquals(1, px.metrics().verifyOnly(VerifyOnlyReason.MISSING_VERSION));
        px = null;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private InMemoryObjectStore staleReplica() {
        // The pre-executor's view: genesis (no commit applied).
        InMemoryObjectStore s = new InMemoryObjectStore();
        for (StoredObject o : primary.state.objects()) {
            s.put(o);
        }
        return s;
    }

    private static ObjectRef read(PreExecResult r, ObjectId id) {
        return r.lookupTable().reads().stream().filter(ref -> ref.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no read of " + id));
    }

    private Map<io.remora.core.Digest, PreExecResult> awaitResults(int n) {
        pump(n + " results", () -> primary.results.size() >= n);
        Map<io.remora.core.Digest, PreExecResult> out = new HashMap<>();
        for (PreExecResult r : primary.results) {
            out.put(r.transaction(), r);
        }
        assertEquals(n, out.size(), "distinct results");
        return out;
    }

    /** Runs the in-memory network until {@code done}, for at most 10 s. */
    private void pump(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            mem.runPending();
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what + "; " + (px == null ? "" : px.metrics()) + " " + Seeds.replay(seed));
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private ObjectId newId() {
        return ObjectId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    private Transaction increment(ObjectId counter, long by) {
        return sign(keys.isEmpty() ? Ed25519KeyPair.generate(random) : keys.get(0),
                List.of(InputObject.shared(counter, true)), CounterProgram.NAME, "increment",
                CounterProgram.incrementArgs(by));
    }

    private Transaction transfer(int coin, io.remora.core.Address to) {
        return sign(keys.get(coin), List.of(InputObject.owned(primary.state.read(coins.get(coin)).ref())),
                CoinProgram.NAME, "transfer", CoinProgram.transferArgs(to));
    }

    private Transaction sign(Ed25519KeyPair key, List<InputObject> inputs, String program, String function, byte[] args) {
        return Transaction.sign(key, nonce++, 1_000_000, inputs, program, function, args);
    }
}
