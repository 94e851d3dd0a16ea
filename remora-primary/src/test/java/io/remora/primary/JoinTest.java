package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remora.core.engine.BuiltinEngine;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.core.sched.Scheduling;
import io.remora.preexec.PreExecutor;
import io.remora.primary.sim.SimLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A joining pre-executor is routed work as soon as its snapshot is installed: it announces it with
 * an immediate heartbeat (its LOAD report says SYNCED) instead of at its next regular one, which
 * here is an hour away. Logic, not networking: on the simulator's in-memory network and virtual
 * clock ({@link SimLoop}), so the hour is simulated and machine load cannot change the outcome.
 */
class JoinTest {
    private Path dir;
    private RemoraPrimary primary;
    private RemoraCluster cluster;
    private PreExecutor px;
    /** The pre-executor's regular heartbeat, and so every transport heartbeat of the loop. */
    private static final Duration HOUR = Duration.ofHours(1);
    private final SimLoop loop = new SimLoop(3, HOUR);

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

    @Test
    @Timeout(60)
    void shouldRouteToAPreExecutorAsSoonAsItsSnapshotIsInstalled() throws Exception {
        dir = Files.createTempDirectory("remora-join");
        Workload w = Workloads.transfers(3, 2000).take(10);
        Scheduling primaryMachine = loop.node(SimLoop.PRIMARY);
        primary = RemoraPrimary.builder().dataDirectory(dir).transactionExecutor(BuiltinEngine.executor("primary"))
                .genesis(w.genesis()).fsyncPolicy(FsyncPolicy.NEVER).scheduling(primaryMachine).build();
        primary.start();
        cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                .consensus(tx -> { }).transport(loop.transport()).scheduling(primaryMachine).nodeId(SimLoop.PRIMARY)
                .bindHost(SimLoop.HOST).port(SimLoop.PORT).build().start();
        px = PreExecutor.builder().nodeId("late-joiner").primary(SimLoop.HOST, SimLoop.PORT)
                .clusterSecret(ClusterIntegrationTest.SECRET).heartbeatInterval(HOUR).transport(loop.transport())
                .scheduling(loop.node("late-joiner")).build().start();
        // Well within the first regular heartbeat (an hour): only the announcement can make it synced.
        loop.runUntil(Duration.ofSeconds(30),
                () -> cluster.peers().stream().anyMatch(p -> p.nodeId().equals("late-joiner") && p.synced()),
                () -> "not announced: " + cluster.peers() + ", pre-executor synced=" + px.isSynced());
        assertEquals(SubmitOutcome.ROUTED, cluster.submit(w.transactions().get(0)));
    }
}
