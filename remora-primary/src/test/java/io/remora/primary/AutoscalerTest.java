package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.transport.InMemoryTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The autoscaler over a real primary and cluster (in-memory transport, no pre-executor) and a
 * recording provisioner, on a virtual clock: load with nothing to route it to asks for one
 * pre-executor after the up window; idleness asks to stop it only after the down window.
 */
class AutoscalerTest {
    /** Counts what it is asked; "runs" what it was asked to start. */
    static final class RecordingProvisioner implements Provisioner {
        int running;
        final List<String> calls = new ArrayList<>();

        @Override
        public int running() {
            return running;
        }

        @Override
        public void start(int count) {
            calls.add("start " + count);
            running += count;
        }

        @Override
        public void stop(int count, Duration drainDeadline) {
            calls.add("stop " + count + " within " + drainDeadline.toSeconds() + " s");
            running -= count;
        }
    }

    @Test
    @Timeout(60)
    void shouldStartAPreExecutorForUnroutedLoadAndStopItOnlyAfterTheDownWindow() throws Exception {
        Path dir = Files.createTempDirectory("remora-autoscaler");
        Workload w = Workloads.sharedCounters(3, 4, 0.0).take(40);
        long[] now = {0};
        try (RemoraPrimary primary = RemoraPrimary.builder().dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).workerThreads(1).build()) {
            primary.start();
            try (RemoraCluster cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                    .consensus(tx -> { }).transport(new InMemoryTransport()).build().start()) {
                RecordingProvisioner prov = new RecordingProvisioner();
                List<ScalingAdvice> seen = new ArrayList<>();
                Autoscaler scaler = Autoscaler.builder().primary(primary).cluster(cluster).provisioner(prov)
                        .policy(ScalingPolicy.builder().preExecutors(0, 4).scaleUpWindow(Duration.ofSeconds(1))
                                .scaleDownWindow(Duration.ofSeconds(10)).build())
                        .drainDeadline(Duration.ofSeconds(30)).clock(() -> now[0]).listener(seen::add).build();
                scaler.evaluateNow(); // baseline
                List<Transaction> txs = w.transactions();
                int commit = 0;
                // 2 s of load (20 transactions per half second), none routable: no pre-executor yet.
                for (int step = 0; step < 4; step++) {
                    List<Transaction> batch = txs.subList(step * 5, step * 5 + 5);
                    batch.forEach(cluster::submit);
                    primary.submitCommit(commit++, batch).get(10, TimeUnit.SECONDS);
                    now[0] += 500_000_000L;
                    scaler.evaluateNow();
                    if (now[0] < 1_000_000_000L) {
                        assertEquals(List.of(), prov.calls, "started before the up window");
                    }
                }
                assertEquals(List.of("start 1"), prov.calls);
                assertEquals(1.0, seen.get(1).signals().localShare(), "every submission routed nowhere");
                // Idle from now on: nothing stops until 10 s of idleness.
                for (int step = 0; step < 19; step++) {
                    now[0] += 500_000_000L;
                    scaler.evaluateNow();
                }
                assertEquals(List.of("start 1"), prov.calls, "stopped within the down window");
                assertEquals(1, scaler.advice().signals().starting(), "the one started never connected: still starting");
                assertEquals(0, seen.get(0).signals().starting());
                now[0] += 1_500_000_000L;
                scaler.evaluateNow();
                assertEquals(List.of("start 1", "stop 1 within 30 s"), prov.calls);
                assertEquals(0, prov.running);
                assertEquals(0, scaler.advice().desired());
                scaler.close();
            }
        } finally {
            TestDirs.delete(dir);
        }
        assertThrows(IllegalArgumentException.class, () -> Autoscaler.builder().build());
    }

    /** A pre-executor counts as starting until it has been synced for the settle time (a stalled one never does). */
    @Test
    void shouldCountAPreExecutorAsStartingUntilItHasBeenSyncedForTheSettleTime() throws Exception {
        Path dir = Files.createTempDirectory("remora-autoscaler");
        Workload w = Workloads.sharedCounters(3, 4, 0.0).take(1);
        try (RemoraPrimary primary = RemoraPrimary.builder().dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).workerThreads(1).build()) {
            primary.start();
            try (RemoraCluster cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                    .consensus(tx -> { }).transport(new InMemoryTransport()).build().start()) {
                Autoscaler a = Autoscaler.builder().primary(primary).cluster(cluster).provisioner(new RecordingProvisioner())
                        .settle(Duration.ofSeconds(5)).build();
                long s = 1_000_000_000L;
                PeerStatus syncing = status("pre-1", false, false);
                PeerStatus synced = status("pre-1", true, false);
                PeerStatus stalled = status("pre-2", false, true);
                synchronized (a) {
                    assertEquals(1, a.settled(List.of(syncing, stalled), 0), "syncing: starting; stalled: settled");
                    assertEquals(1, a.settled(List.of(synced, stalled), 1 * s), "synced at 1 s");
                    assertEquals(1, a.settled(List.of(synced, stalled), 5 * s), "4 s after: still starting");
                    assertEquals(2, a.settled(List.of(synced, stalled), 6 * s), "5 s after: settled");
                    assertEquals(1, a.settled(List.of(syncing, stalled), 7 * s), "a resync starts over");
                    assertEquals(1, a.settled(List.of(synced, stalled), 8 * s));
                    assertEquals(2, a.settled(List.of(synced, stalled), 13 * s));
                    assertEquals(0, a.settled(List.of(status("pre-3", true, false)), 14 * s), "a newcomer");
                    assertEquals(0, a.settled(List.of(synced), 14 * s), "pre-1 was forgotten when unlisted: starts over");
                    assertEquals(1, a.settled(List.of(synced), 19 * s));
                }
            }
        } finally {
            TestDirs.delete(dir);
        }
        assertThrows(IllegalArgumentException.class, () -> Autoscaler.builder().settle(Duration.ofMinutes(11)));
    }

    /** The signals from peers: only those able to take work count; the busy mean over those that report it. */
    @Test
    void shouldAverageTheLoadOfThePeersAbleToTakeWork() {
        PeerStatus a = new PeerStatus("a", true, 10, 0, 1, 0, 0, 0, 0, 0, false, false, 0.9);
        PeerStatus b = new PeerStatus("b", true, 30, 0, 1, 0, 0, 0, 0, 0, false, false, 0.5);
        PeerStatus old = new PeerStatus("old", true, 20, 0, 1, 0, 0, 0, 0, 0, false, false); // does not report busy
        PeerStatus stalled = new PeerStatus("s", true, 500, 0, 1, 0, 0, 0, 0, 0, true, false, 1.0);
        PeerStatus syncing = new PeerStatus("y", false, 500, 0, -1, 0, 0, 0, 0, 0, false, false, 1.0);
        Autoscaler.PeerLoad l = Autoscaler.PeerLoad.of(List.of(a, b, old, stalled, syncing));
        assertEquals(3, l.able());
        assertEquals(20.0, l.meanQueueDepth(), 1e-9);
        assertEquals(0.7, l.meanBusy(), 1e-9);
        assertEquals(-1, l.maxBusy(), "old does not report: no maximum");
        assertEquals(0.9, Autoscaler.PeerLoad.of(List.of(a, b, stalled)).maxBusy(), 1e-9);
        assertEquals(-1, Autoscaler.PeerLoad.of(List.of(old)).meanBusy(), "none reports it");
        assertEquals(new Autoscaler.PeerLoad(0, 0, -1, -1), Autoscaler.PeerLoad.of(List.of(stalled, syncing)));
    }

    private static PeerStatus status(String id, boolean synced, boolean stalled) {
        return new PeerStatus(id, synced, 0, 0, synced ? 1 : -1, 0, 0, 0, 0, 0, stalled, false);
    }
}
