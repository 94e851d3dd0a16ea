package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.sched.Scheduling;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import io.remora.preexec.VerifyOnlyReason;
import io.remora.primary.sim.SimLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feedback from the primary to a pre-executor (an in-process {@link PreExecutor}), driven step by
 * step so the outcome of every position is known: stale-replica misses past the threshold trigger
 * a state push, and same-commit conflicts make an object hot, which reaches the pre-executor and
 * turns its transactions verify-only. Cluster logic, not networking: it runs on the simulator's
 * in-memory network and virtual clock ({@link SimLoop}), so every wait is a count of simulated
 * events and the run does not depend on the machine's load.
 */
class ClusterFeedbackTest {
    private Path dir;
    private RemoraPrimary primary;
    private RemoraCluster cluster;
    private PreExecutor px;
    private final List<List<Transaction>> committed = new ArrayList<>();
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private final SimLoop loop = new SimLoop(14, HEARTBEAT);
    /** Generous for a simulated link of under a millisecond: a condition not met by then never will be. */
    private static final Duration WITHIN = Duration.ofSeconds(5);
    /** Simulated time after each commit for the cluster's reaction to reach the pre-executor and back. */
    private static final Duration SETTLE = Duration.ofMillis(200);

    @AfterEach
    void tearDown() {
        if (px != null) {
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

    /** One shared counter: every transaction conflicts with every other. No owned inputs. */
    private Workload start(RemoraCluster.Builder clusterConfig) throws Exception {
        dir = Files.createTempDirectory("remora-feedback");
        Workload w = Workloads.sharedCounters(7, 1, 0.0).take(40);
        Scheduling primaryMachine = loop.node(SimLoop.PRIMARY);
        primary = RemoraPrimary.builder().dataDirectory(dir).transactionExecutor(BuiltinEngine.executor("primary"))
                .genesis(w.genesis()).fsyncPolicy(FsyncPolicy.NEVER).workerThreads(2)
                .auditRate(0) // an audited position is re-executed first: its miss would not count
                .scheduling(primaryMachine).build();
        primary.start();
        cluster = clusterConfig.primary(primary).clusterSecret(ClusterIntegrationTest.SECRET).consensus(tx -> { })
                .heartbeatInterval(HEARTBEAT).transport(loop.transport()).scheduling(primaryMachine)
                .nodeId(SimLoop.PRIMARY).bindHost(SimLoop.HOST).port(SimLoop.PORT).build().start();
        px = PreExecutor.builder().nodeId("px").primary(SimLoop.HOST, SimLoop.PORT)
                .clusterSecret(ClusterIntegrationTest.SECRET).heartbeatInterval(HEARTBEAT)
                .workerThreads(2).stateUpdateBatching(Duration.ZERO, 1).transport(loop.transport())
                .scheduling(loop.node("px")).build().start();
        loop.runUntil(WITHIN, () -> cluster.peers().stream().anyMatch(PeerStatus::synced),
                () -> "not synced: " + cluster.peers());
        return w;
    }

    /** Submits through the cluster and waits until the pre-executor's results reached the primary. */
    private void preExecute(Transaction... txs) throws Exception {
        long before = cluster.metrics().resultsReceived();
        for (Transaction tx : txs) {
            assertEquals(SubmitOutcome.ROUTED, cluster.submit(tx));
        }
        loop.runUntil(WITHIN, () -> cluster.metrics().resultsReceived() >= before + txs.length,
                () -> "results: " + cluster.metrics());
    }

    /** Commits, then lets the cluster and the pre-executor react (their work is simulated events). */
    private void commit(Transaction... txs) throws Exception {
        List<Transaction> list = List.of(txs);
        loop.commit(primary, committed.size(), list);
        committed.add(list);
        loop.runFor(SETTLE);
    }

    private void assertMatchesReference(Workload w) {
        SequentialExecutor oracle = new SequentialExecutor(BuiltinEngine.executor("oracle"), w.genesisStore());
        committed.forEach(oracle::executeAll);
        assertEquals(oracle.stateDigest(), primary.stateDigest());
    }

    @Test
    @Timeout(30)
    void shouldPushStateToAPreExecutorWhoseMissesPassTheThreshold() throws Exception {
        // The lazy stream never flushes on its own: only a push can refresh the replica.
        Workload w = start(RemoraCluster.builder().stateUpdateInterval(Duration.ofHours(1)).missThreshold(2)
                .missWindowCommits(1000));
        List<Transaction> t = w.transactions();
        commit(t.get(0), t.get(1)); // executed locally: the replica does not learn of it
        preExecute(t.get(2));
        commit(t.get(2));           // miss 1: read the counter at genesis
        assertEquals(1, cluster.metrics().staleMisses("px"));
        assertEquals(0, cluster.metrics().pushesAfterMisses());
        preExecute(t.get(3));
        commit(t.get(3));           // miss 2: threshold reached -> push
        // commit() settled the loop: the push has reached the pre-executor, no waiting needed.
        assertTrue(px.metrics().stateUpdatesApplied() > 0 && px.metrics().objectPushesApplied() > 0,
                () -> "pre-executor: " + px.metrics());
        assertEquals(2, cluster.metrics().staleMisses("px"));
        assertEquals(1, cluster.metrics().pushesAfterMisses());
        assertEquals(2, primary.metrics().reexecutedStale());
        // After the push the replica is current: the next result is adopted.
        assertEquals(2, px.watermark());
        preExecute(t.get(4));
        commit(t.get(4));
        assertEquals(1, primary.metrics().adopted());
        // Each routed transaction's commit was announced to its pre-executor (COMMITTED), and the
        // stale ones named the counter, whose chain the pre-executor then rebuilt.
        assertEquals(3, px.metrics().committedNotices());
        assertTrue(px.metrics().chainRepairs() >= 1, () -> "pre-executor: " + px.metrics());
        assertEquals(3, cluster.metrics().committedNoticesSent());
        assertMatchesReference(w);
    }

    @Test
    @Timeout(30)
    void shouldMakeConflictingObjectsHotAndTurnTheirTransactionsVerifyOnly() throws Exception {
        Workload w = start(RemoraCluster.builder().hotSetFloor(2).hotSetDecayCommits(1000));
        List<Transaction> t = w.transactions();
        for (int i = 0; i < 4; i += 2) {
            preExecute(t.get(i), t.get(i + 1)); // the second chains on the first's speculative write
            commit(t.get(i + 1), t.get(i));     // consensus swaps them: the first's read is a same-commit conflict
        }
        assertEquals(2, primary.metrics().reexecutedConflict());
        // The cluster thread processed the published commits (ClusterService.onCommit) while
        // commit() settled the loop, and the hot set reached the pre-executor.
        assertEquals(1, cluster.metrics().hotSetEpoch(), () -> "cluster: " + cluster.metrics());
        assertEquals(1, px.metrics().hotSetsApplied(), () -> "pre-executor: " + px.metrics());
        assertEquals(0, px.metrics().verifyOnly(VerifyOnlyReason.HOT));
        preExecute(t.get(4), t.get(5));
        commit(t.get(4), t.get(5));
        assertEquals(2, px.metrics().verifyOnly(VerifyOnlyReason.HOT));
        assertTrue(cluster.metrics().hotSetBroadcasts() >= 1);
        assertMatchesReference(w);
    }
}
