package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remora.core.engine.BuiltinEngine;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A joining pre-executor is routed work as soon as its snapshot is installed: it announces it with
 * an immediate heartbeat (its LOAD report says SYNCED) instead of at its next regular one, which
 * here is an hour away.
 */
class JoinTest {
    private Path dir;
    private RemoraPrimary primary;
    private RemoraCluster cluster;
    private PreExecutor px;

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
        primary = RemoraPrimary.builder().dataDirectory(dir).transactionExecutor(BuiltinEngine.executor("primary"))
                .genesis(w.genesis()).fsyncPolicy(FsyncPolicy.NEVER).build();
        primary.start();
        cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                .consensus(tx -> { }).build().start();
        px = PreExecutor.builder().nodeId("late-joiner").primary("127.0.0.1", cluster.port())
                .clusterSecret(ClusterIntegrationTest.SECRET).heartbeatInterval(Duration.ofHours(1)).build().start();
        // Well within the first regular heartbeat (an hour): only the announcement can make it synced.
        ClusterIntegrationTest.await(Duration.ofSeconds(30),
                () -> cluster.peers().stream().anyMatch(p -> p.nodeId().equals("late-joiner") && p.synced()),
                () -> "not announced: " + cluster.peers() + ", pre-executor synced=" + px.isSynced());
        assertEquals(SubmitOutcome.ROUTED, cluster.submit(w.transactions().get(0)));
    }
}
