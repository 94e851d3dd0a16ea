package io.remora.preexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.remora.core.Digest;
import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.engine.CoinProgram;
import io.remora.core.engine.CounterProgram;
import io.remora.core.engine.RegistryProgram;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.protocol.Committed;
import io.remora.core.testkit.Seeds;
import io.remora.transport.InMemoryTransport;
import io.remora.transport.Priority;
import java.nio.charset.StandardCharsets;
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
 * Lazy join ({@code PreExecutor.Builder#lazyJoin}): before its snapshot arrives (here the fake
 * primary holds it back), a pre-executor takes work and fetches what each transaction needs with
 * OBJECT_REQUEST. Every expected result is {@code TransactionExecutor.preExecute} on the primary's
 * state, so equality means the primary would adopt it. Seeded: prints its seed, replays with
 * {@code -Dremora.seed=<seed>}.
 */
@Timeout(30)
class PreExecutorLazyJoinTest {
    static final String NODE = "pre-lazy";
    private static final byte[] KEY = "k1".getBytes(StandardCharsets.US_ASCII);

    private long seed;
    private Random random;
    private final List<Ed25519KeyPair> keys = new ArrayList<>();
    private final List<ObjectId> counters = new ArrayList<>();
    private final List<ObjectId> coins = new ArrayList<>();
    private ObjectId registry;
    private final TransactionExecutor expected = BuiltinEngine.executor(NODE);
    private InMemoryTransport mem;
    private FakePrimary primary;
    private PreExecutor px;
    private long nonce;

    @BeforeEach
    void setUp() {
        seed = Seeds.seed("PreExecutorLazyJoinTest");
        random = new Random(seed);
        List<StoredObject> genesis = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            counters.add(newId());
            genesis.add(CounterProgram.genesisCounter(counters.get(i), random.nextInt(1000)));
        }
        for (int i = 0; i < 4; i++) {
            keys.add(Ed25519KeyPair.generate(random));
            coins.add(newId());
            genesis.add(CoinProgram.genesisCoin(coins.get(i), keys.get(i).address(), 1 + random.nextInt(1_000_000)));
        }
        registry = newId();
        genesis.add(RegistryProgram.genesisRegistry(registry));
        mem = new InMemoryTransport();
        primary = new FakePrimary(mem, "primary", genesis);
        primary.serveSnapshots = false; // held back: everything here happens before it
        // A dynamic child in the primary's state (the registry entry under KEY): declared by no transaction.
        primary.commit(sign(keys.get(0), List.of(InputObject.shared(registry, true)), RegistryProgram.NAME, "put",
                RegistryProgram.putArgs(KEY, new byte[] {1, 2, 3})));
    }

    @AfterEach
    void tearDown() {
        if (px != null) {
            px.close();
        }
        primary.close();
        mem.runPending();
    }

    private void start(boolean lazy, Duration park) {
        px = PreExecutor.builder().nodeId(NODE).primary("primary", primary.server.port())
                .clusterSecret(FakePrimary.SECRET).transport(mem).workerThreads(2).parkTimeout(park)
                .stateUpdateBatching(Duration.ZERO, 64).drainTimeout(Duration.ofSeconds(2)).lazyJoin(lazy)
                .build().start();
    }

    @Test
    void shouldAnswerBeforeItsSnapshotWithObjectsFetchedOnDemand() {
        start(true, Duration.ofSeconds(20));
        pump("synced (lazily)", px::isSynced);
        assertFalse(px.isSnapshotInstalled());
        Transaction inc = increment(counters.get(3), 7);
        Transaction pay = transfer(1, keys.get(2).address());
        Transaction get = sign(keys.get(3), List.of(InputObject.shared(registry, false)), RegistryProgram.NAME, "get",
                RegistryProgram.getArgs(KEY)); // reads the undeclared entry: fetched after a first run
        primary.execute(inc, pay, get);
        Map<Digest, PreExecResult> got = awaitResults(3);
        for (Transaction tx : List.of(inc, pay, get)) {
            PreExecResult r = got.get(tx.digest());
            assertTrue(r.isFull(), "full result for " + tx.function() + " " + Seeds.replay(seed));
            assertEquals(expected.preExecute(tx, primary.state, -1), r,
                    tx.function() + " on the primary's state " + Seeds.replay(seed));
        }
        assertFalse(px.isSnapshotInstalled(), "no snapshot was served");
        assertTrue(px.metrics().objectRequestsSent() >= 2, "declared objects, then the entry: " + px.metrics());
        assertEquals(primary.objectRequests.size(), px.metrics().objectRequestsSent());
        assertEquals(0, px.metrics().verifyOnly());
    }

    @Test
    void shouldFetchAnObjectAfreshOnceANoticeSaysItWasReadStale() {
        start(true, Duration.ofSeconds(20));
        pump("synced (lazily)", px::isSynced);
        ObjectId c = counters.get(5);
        Transaction x = increment(c, 1000); // routed elsewhere: this pre-executor never sees it
        Transaction t1 = increment(c, 1);
        primary.execute(t1);
        awaitResults(1);
        primary.commit(x, t1); // consensus put x first: t1 read c stale, and a lazy replica gets no update
        primary.send(new Committed(1, List.of(new Committed.Entry(t1.digest(), Committed.Outcome.STALE, c))),
                Priority.RELIABLE);
        pump("notice applied", () -> px.metrics().committedNotices() == 1);
        long fetches = px.metrics().objectRequestsSent();
        Transaction t2 = increment(c, 2);
        primary.execute(t2);
        PreExecResult r = awaitResults(2).get(t2.digest());
        assertEquals(expected.preExecute(t2, primary.state, -1), r, "t2 on x and t1 " + Seeds.replay(seed));
        assertEquals(fetches + 1, px.metrics().objectRequestsSent(), "c fetched again");
    }

    @Test
    void shouldAnswerVerifyOnlyWhenThePrimaryDropsItsFetches() {
        primary.serveObjects = false; // as over the primary's OBJECT_REQUEST rate
        start(true, Duration.ofMillis(150));
        pump("synced (lazily)", px::isSynced);
        Transaction inc = increment(counters.get(1), 3);
        primary.execute(inc);
        PreExecResult r = awaitResults(1).get(inc.digest());
        assertFalse(r.isFull(), "verify-only: nothing to read");
        assertEquals(1, px.metrics().verifyOnly(VerifyOnlyReason.NOT_SYNCED));
        assertTrue(primary.objectRequests.size() >= 1);
    }

    @Test
    void shouldUseTheSnapshotOnceItIsInstalled() {
        start(true, Duration.ofSeconds(20));
        pump("synced (lazily)", px::isSynced);
        ObjectId c = counters.get(7);
        Transaction t1 = increment(c, 4);
        primary.execute(t1);
        awaitResults(1);
        primary.commit(t1);
        pump("snapshot requested", () -> !primary.snapshotRequests.isEmpty());
        primary.sendSnapshot(primary.snapshotRequests.peek().requestId());
        pump("snapshot installed", px::isSnapshotInstalled);
        long fetches = px.metrics().objectRequestsSent();
        Transaction t2 = increment(counters.get(8), 9);
        primary.execute(t2);
        PreExecResult r = awaitResults(2).get(t2.digest());
        assertEquals(expected.preExecute(t2, primary.state, primary.commit()), r, "on the snapshot " + Seeds.replay(seed));
        assertEquals(fetches, px.metrics().objectRequestsSent(), "nothing fetched once installed");
    }

    /**
     * Speculation made while lazy survives the snapshot's install: a transaction after it still
     * chains on an uncommitted one executed before it (dropping the overlay, as a resync does,
     * would make it read the snapshot's older version: a stale result for every chain in flight).
     */
    @Test
    void shouldKeepItsSpeculationAcrossTheSnapshotInstall() {
        start(true, Duration.ofSeconds(20));
        pump("synced (lazily)", px::isSynced);
        ObjectId c = counters.get(9);
        Transaction t1 = increment(c, 4);
        primary.execute(t1);
        awaitResults(1);
        long snapshotCommit = primary.commit();
        pump("snapshot requested", () -> !primary.snapshotRequests.isEmpty());
        primary.sendSnapshot(primary.snapshotRequests.peek().requestId()); // t1 not committed yet
        pump("snapshot installed", px::isSnapshotInstalled);
        Transaction t2 = increment(c, 5);
        primary.execute(t2);
        PreExecResult r = awaitResults(2).get(t2.digest());
        primary.commit(t1); // consensus then orders t1 before t2, as speculated
        assertEquals(expected.preExecute(t2, primary.state, snapshotCommit), r,
                "t2 chained on t1's speculative write " + Seeds.replay(seed));
    }

    @Test
    void shouldWaitForTheSnapshotWhenLazyJoinIsOff() {
        start(false, Duration.ofSeconds(20));
        pump("snapshot requested", () -> !primary.snapshotRequests.isEmpty());
        for (int i = 0; i < 50; i++) {
            mem.runPending();
        }
        assertFalse(px.isSynced(), "not synced without its snapshot");
        primary.sendSnapshot(primary.snapshotRequests.peek().requestId());
        pump("synced", px::isSynced);
        assertEquals(0, px.metrics().objectRequestsSent());
        assertTrue(primary.objectRequests.isEmpty());
    }

    private Map<Digest, PreExecResult> awaitResults(int n) {
        pump(n + " results", () -> primary.results.size() >= n);
        Map<Digest, PreExecResult> out = new HashMap<>();
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
        return sign(keys.get(0), List.of(InputObject.shared(counter, true)), CounterProgram.NAME, "increment",
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
