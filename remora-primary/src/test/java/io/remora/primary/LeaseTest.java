package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.Effects;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.engine.CounterProgram;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Leases (the overwhelmed primary delegating a hot subset): a real primary, cluster and
 * pre-executors over loopback, a Zipf-0.99 shared-counter workload whose consensus order is a
 * seeded shuffle of the admission order (so speculation conflicts and the primary re-executes), and
 * overload thresholds at zero so that a lease is granted as soon as the primary re-executes. Every
 * commit's per-transaction effects and state digest are checked against the sequential reference,
 * whatever happened to the lease: granted and used, ended by a transaction crossing the subset, by
 * its term, by a delegate answering too late, or by the delegate being SIGKILLed mid-lease.
 *
 * <p>Seeded: {@code -Dremora.seed=N} replays a run's workload and consensus order (the seed is
 * printed); thread timing still varies, which is the point (the checks hold for every timing).
 */
class LeaseTest {
    static final long SEED = Long.getLong("remora.seed", System.nanoTime());
    private static final int COUNTERS = 8;

    private Path dir;
    private RemoraPrimary primary;
    private RemoraCluster cluster;
    private final List<AutoCloseable> preExecutors = new ArrayList<>();
    private InMemoryObjectStore oracleStore;
    private SequentialExecutor oracle;
    private long nextCommit;
    private final Random rnd = new Random(SEED);
    private final Ed25519KeyPair crosser = Ed25519KeyPair.generate(new Random(SEED ^ 0xC0FFEE));
    private long crosserNonce;
    private ObjectId cold;
    private List<Transaction> hot;
    private int hotNext;
    private TrustMode trustMode = TrustMode.TRUSTED;

    @AfterEach
    void tearDown() throws Exception {
        if (primary != null) {
            System.out.println("LeaseTest seed=" + SEED + ": " + primary.leaseMetrics() + " / adopted="
                    + primary.metrics().adopted() + " of " + primary.metrics().transactionsExecuted() + " " + primary.metrics());
        }
        for (AutoCloseable px : preExecutors) {
            px.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (primary != null) {
            primary.close();
        }
        if (dir != null) {
            TestDirs.delete(dir);
        }
    }

    /** Forced: a lease as soon as the primary re-executes anything. */
    private static LeasePolicy forced() {
        return LeasePolicy.defaults().withOverload(0, 0, 1).withCalm(0, 1_000_000);
    }

    private void start(LeasePolicy policy, int inProcess, int processes) throws Exception {
        start(policy, inProcess, processes, Workloads.sharedCounters(SEED, COUNTERS, 0.99).take(4000));
    }

    private void start(LeasePolicy policy, int inProcess, int processes, Workload w) throws Exception {
        System.out.println("LeaseTest seed=" + SEED + " (replay: -Dremora.seed=" + SEED + ")");
        hot = w.transactions();
        cold = ObjectId.of(0xC01DL, SEED, 1, 2);
        List<StoredObject> genesis = new ArrayList<>(w.genesis());
        genesis.add(CounterProgram.genesisCounter(cold, 0));
        oracleStore = new InMemoryObjectStore(genesis);
        oracle = new SequentialExecutor(BuiltinEngine.executor("oracle"), oracleStore);
        dir = Files.createTempDirectory("remora-lease");
        primary = RemoraPrimary.builder().dataDirectory(dir).transactionExecutor(BuiltinEngine.executor("primary"))
                .genesis(genesis).fsyncPolicy(FsyncPolicy.NEVER).workerThreads(2).leasePolicy(policy)
                .trustMode(trustMode).resultWaitTimeout(Duration.ofMillis(20)).build();
        primary.start();
        cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                .consensus(tx -> { }).heartbeatInterval(Duration.ofMillis(50)).build().start();
        for (int i = 0; i < inProcess; i++) {
            preExecutors.add(PreExecutor.builder().nodeId("px-" + i).primary("127.0.0.1", cluster.port())
                    .clusterSecret(ClusterIntegrationTest.SECRET).heartbeatInterval(Duration.ofMillis(50))
                    .workerThreads(2).build().start());
        }
        for (int i = 0; i < processes; i++) {
            preExecutors.add(PreExecutorProcess.start("proc-" + i, cluster.port(), ClusterIntegrationTest.SECRET,
                    dir.resolveSibling(dir.getFileName() + "-logs")));
        }
        int expected = inProcess + processes;
        ClusterIntegrationTest.await(Duration.ofSeconds(30),
                () -> cluster.peers().stream().filter(PeerStatus::synced).count() == expected,
                () -> "not synced: " + cluster.peers());
    }

    /**
     * One commit of {@code size} hot transactions (plus {@code extra} ones), submitted through the
     * cluster, ordered by a seeded shuffle, executed, and checked against the reference.
     */
    private CommitEffects commit(int size, Transaction... extra) throws Exception {
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < size && hotNext < hot.size(); i++) {
            txs.add(hot.get(hotNext++));
        }
        for (Transaction tx : txs) {
            cluster.submit(tx);
        }
        Collections.shuffle(txs, rnd);
        txs.addAll(List.of(extra));
        if (rnd.nextInt(8) == 0 && !txs.isEmpty()) {
            txs.add(txs.get(rnd.nextInt(txs.size()))); // consensus repeats one: it executes once
        }
        Thread.sleep(rnd.nextInt(8));
        long index = nextCommit++;
        CommitEffects got = primary.submitCommit(index, txs).get(30, TimeUnit.SECONDS);
        List<Effects> expected = oracle.executeAll(txs);
        for (int i = 0; i < txs.size(); i++) {
            assertEquals(expected.get(i), got.effects().get(i), "seed=" + SEED + " commit " + index + " position " + i
                    + " (" + primary.leaseMetrics() + ")");
        }
        assertEquals(oracle.stateDigest(), got.stateDigest(), "seed=" + SEED + " state after commit " + index);
        return got;
    }

    /**
     * A transaction declaring a hot counter the current lease covers and the cold one: it crosses
     * the lease. (Which hot counters a lease covers depends on the conflicts of recent commits, so
     * the counter is asked of the primary rather than assumed.)
     */
    private Transaction crossing() {
        ObjectId hotCounter = null;
        for (Transaction tx : hot) {
            ObjectId id = tx.inputs().get(0).id();
            Transaction probe = Transaction.sign(crosser, 0, 1_000_000, List.of(InputObject.shared(id, true)),
                    CounterProgram.NAME, "increment", CounterProgram.incrementArgs(1));
            if (primary.runtime().leaseCovers(probe)) {
                hotCounter = id;
                break;
            }
        }
        assertTrue(hotCounter != null, "no hot counter under the lease: " + primary.leaseMetrics());
        return Transaction.sign(crosser, crosserNonce++, 1_000_000,
                List.of(InputObject.shared(hotCounter, true), InputObject.shared(cold, true)), CounterProgram.NAME,
                "increment", CounterProgram.incrementArgs(1));
    }

    private void commitUntil(java.util.function.BooleanSupplier done, int maxCommits, String what) throws Exception {
        for (int c = 0; c < maxCommits && !done.getAsBoolean(); c++) {
            commit(40);
        }
        assertTrue(done.getAsBoolean(), "seed=" + SEED + ": " + what + " within " + maxCommits + " commits: "
                + primary.leaseMetrics() + " / " + primary.metrics());
    }

    @Test
    @Timeout(120)
    void shouldDelegateTheHotCountersAndAdoptTheDelegatesAnswers() throws Exception {
        start(forced(), 2, 0);
        commitUntil(() -> primary.leaseMetrics().adopted() >= 200, 60, "200 delegated answers adopted");
        LeaseMetrics m = primary.leaseMetrics();
        assertTrue(m.granted() >= 1, m.toString());
        assertTrue(m.forwarded() >= m.adopted(), m.toString());
        // The delegate is one of the two pre-executors, and it says so.
        long grants = 0;
        for (AutoCloseable px : preExecutors) {
            grants += ((PreExecutor) px).metrics().leaseGrants();
        }
        assertTrue(grants >= 1, "pre-executors saw no grant");
        // The lease keeps the primary's own work low: with it, most hot transactions are adopted.
        for (int c = 0; c < 10; c++) {
            commit(40);
        }
        assertTrue(primary.leaseMetrics().adopted() > m.adopted(), primary.leaseMetrics().toString());
    }

    @Test
    @Timeout(120)
    void shouldDelegateAnAmmPoolWithItsTradersCoins() throws Exception {
        // Every swap declares the pool and its trader's coin: the conflict cluster is the pool and the
        // 16 coins, and a lease over it covers every swap.
        start(forced(), 2, 0, Workloads.amm(SEED, 1).take(3000));
        commitUntil(() -> primary.leaseMetrics().adopted() >= 100, 60, "100 delegated swaps adopted");
        assertTrue(primary.leaseMetrics().activeObjects() <= 17 || !primary.leaseMetrics().active(),
                primary.leaseMetrics().toString());
    }

    @Test
    @Timeout(120)
    void shouldDelegateAComputeHeavyHotSpot() throws Exception {
        start(forced(), 2, 0, Workloads.hotCompute(SEED, 4, 0.99, 20_000).take(3000));
        commitUntil(() -> primary.leaseMetrics().adopted() >= 100, 60, "100 delegated Fib-20k transactions adopted");
        assertTrue(cluster.metrics().delegated() > 0, "admission sent covered transactions to consensus only: "
                + cluster.metrics());
    }

    @Test
    @Timeout(120)
    void shouldEndTheLeaseBeforeATransactionThatCrossesTheSubset() throws Exception {
        start(forced(), 2, 0);
        commitUntil(() -> primary.leaseMetrics().active() && primary.leaseMetrics().adopted() > 0, 60, "a lease in use");
        long before = primary.leaseMetrics().endedCrossing();
        long granted = primary.leaseMetrics().granted();
        commit(40, crossing());
        commit(40);
        assertEquals(before + 1, primary.leaseMetrics().endedCrossing(), primary.leaseMetrics().toString());
        // Granted again later (still overloaded), and every commit matched the reference meanwhile.
        commitUntil(() -> primary.leaseMetrics().granted() > granted, 60, "a new lease");
    }

    @Test
    @Timeout(120)
    void shouldEndLeasesAtTheEndOfTheirTermAndGrantAgain() throws Exception {
        start(forced().withTerm(Duration.ofMillis(150)), 2, 0);
        commitUntil(() -> primary.leaseMetrics().endedTerm() >= 2, 200, "two leases ended by their term");
        assertTrue(primary.leaseMetrics().granted() >= 2, primary.leaseMetrics().toString());
    }

    @Test
    @Timeout(120)
    void shouldEndTheLeaseWhenTheLoadSubsides() throws Exception {
        // Calm: less than 1% re-executed or delegated, for 3 commits in a row.
        start(LeasePolicy.defaults().withOverload(0, 0.01, 1).withCalm(0.01, 3), 2, 0);
        commitUntil(() -> primary.leaseMetrics().active() && primary.leaseMetrics().adopted() > 0, 60, "a lease in use");
        for (int c = 0; c < 4 && primary.leaseMetrics().active(); c++) {
            commit(0); // no transactions: the hot spot is gone
        }
        assertEquals(1, primary.leaseMetrics().endedCalm(), primary.leaseMetrics().toString());
        commit(40);
    }

    @Test
    @Timeout(120)
    void shouldEndTheLeaseWhenTheDelegateAnswersTooLate() throws Exception {
        // 1 µs to answer once a commit reaches execution: a delegate over loopback is always late.
        start(forced().withAnswerWait(Duration.ofNanos(1_000)), 2, 0);
        commitUntil(() -> primary.leaseMetrics().endedLate() >= 1, 100, "a lease ended by a late delegate");
        for (int c = 0; c < 5; c++) {
            commit(40);
        }
    }

    @Test
    @Timeout(180)
    void shouldSurviveTheDelegateBeingKilledMidLease() throws Exception {
        start(forced(), 0, 2);
        commitUntil(() -> primary.leaseMetrics().active() && primary.leaseMetrics().adopted() > 0, 100, "a lease in use");
        String delegate = primary.leaseMetrics().delegate();
        assertNotNull(delegate);
        PreExecutorProcess victim = null;
        for (AutoCloseable px : preExecutors) {
            if (((PreExecutorProcess) px).nodeId.equals(delegate)) {
                victim = (PreExecutorProcess) px;
            }
        }
        assertNotNull(victim, delegate);
        victim.kill();
        // Commits go on (the primary executes what the dead delegate does not answer); the lease
        // ends (disconnected, or late if the commit reached execution before the disconnect was seen).
        commitUntil(() -> primary.leaseMetrics().endedGone() + primary.leaseMetrics().endedLate() >= 1, 100,
                "the lease ended after the delegate was killed");
        for (int c = 0; c < 5; c++) {
            commit(40);
        }
        assertTrue(!delegate.equals(primary.leaseMetrics().delegate()), primary.leaseMetrics().toString());
    }

    @Test
    @Timeout(60)
    void shouldGrantNoLeaseInCrossCheckedMode() throws Exception {
        trustMode = TrustMode.CROSS_CHECKED;
        start(forced(), 2, 0);
        for (int c = 0; c < 15; c++) {
            commit(40);
        }
        assertEquals(0, primary.leaseMetrics().granted());
    }

    @Test
    @Timeout(60)
    void shouldGrantNoLeaseWhenDisabled() throws Exception {
        start(LeasePolicy.disabled(), 2, 0);
        for (int c = 0; c < 15; c++) {
            commit(40);
        }
        assertEquals(0, primary.leaseMetrics().granted());
        assertTrue(primary.metrics().reexecutedConflict() + primary.metrics().reexecutedStale() > 0,
                "the workload made the primary re-execute: " + primary.metrics());
    }
}
