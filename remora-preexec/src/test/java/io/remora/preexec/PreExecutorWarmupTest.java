package io.remora.preexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.remora.core.ObjectId;
import io.remora.core.engine.CounterProgram;
import io.remora.core.protocol.LoadReport;
import io.remora.transport.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The start-up warm-up gates the SYNCED report: held on its first synthetic transaction by the
 * builder's test hook (no timing involved), the pre-executor with its snapshot installed still
 * reports itself unsynced, and synced once the hook lets the warm-up go on.
 */
@Timeout(30)
class PreExecutorWarmupTest {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private InMemoryTransport mem;
    private FakePrimary primary;
    private PreExecutor px;
    private volatile Thread warmupThread;

    @BeforeEach
    void setUp() {
        mem = new InMemoryTransport();
        primary = new FakePrimary(mem, "primary", List.of(CounterProgram.genesisCounter(ObjectId.of(1, 2, 3, 4), 7)));
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        if (px != null) {
            px.close();
        }
        primary.close();
        mem.runPending();
    }

    private PreExecutor start(int warmupTransactions) {
        px = PreExecutor.builder().nodeId("pre-1").primary("primary", primary.server.port())
                .clusterSecret(FakePrimary.SECRET).transport(mem).workerThreads(1)
                .drainTimeout(Duration.ofSeconds(2))
                .warmup(warmupTransactions, Duration.ofMinutes(1))
                .warmupHook(this::hold)
                .build().start();
        return px;
    }

    /** The warm-up's hook: stops it on its first transaction until released (or interrupted by close). */
    private void hold() {
        warmupThread = Thread.currentThread();
        entered.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldReportSyncedOnlyOnceTheWarmupHasEndedEvenWithTheSnapshotInstalled() throws Exception {
        start(20);
        pump("snapshot installed", () -> px.metrics().snapshotsInstalled() == 1);
        assertTrue(entered.await(10, TimeUnit.SECONDS), "warm-up reached its first transaction");
        assertFalse(px.isSynced());
        assertFalse(px.load().synced());
        assertFalse(px.awaitSynced(Duration.ofMillis(20)));
        assertEquals(0, px.metrics().warmupNanos());

        release.countDown();
        pump("synced", px::isSynced);
        assertTrue(px.load().synced());
        assertTrue(px.metrics().warmupNanos() > 0);
        pump("a SYNCED load report at the primary", () -> primary.loads.stream().anyMatch(LoadReport::synced));
        // The synthetic transactions are not real work.
        assertEquals(0, px.metrics().received());
        assertEquals(0, px.metrics().executed());
        assertEquals(0, px.metrics().resultsSent());
        assertEquals(0, px.metrics().executionErrors());
    }

    @Test
    void shouldReportSyncedOnInstallWithTheWarmupOff() {
        start(0);
        pump("snapshot installed", () -> px.metrics().snapshotsInstalled() == 1);
        assertTrue(px.isSynced());
        assertTrue(px.load().synced());
        assertEquals(1, entered.getCount(), "no warm-up ran");
        assertEquals(0, px.metrics().warmupNanos());
    }

    @Test
    void shouldStopTheWarmupWhenClosedWhileItRuns() throws Exception {
        start(1_000_000);
        assertTrue(entered.await(10, TimeUnit.SECONDS), "warm-up reached its first transaction");
        Thread closer = new Thread(px::close, "closer");
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(closer.isAlive(), "close() returned");
        warmupThread.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(warmupThread.isAlive(), "the warm-up thread ended");
        assertEquals("remora-preexec-warmup", warmupThread.getName());
        assertTrue(px.metrics().warmupNanos() > 0, "the warm-up recorded its (stopped) end");
    }

    @Test
    void shouldRejectABadWarmup() {
        PreExecutor.Builder b = PreExecutor.builder().nodeId("pre-1").primary("127.0.0.1", 7700)
                .clusterSecret(FakePrimary.SECRET);
        assertThrows(IllegalArgumentException.class, () -> b.warmup(-1, Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> b.warmup(10, Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> b.warmup(10, null).build());
        assertThrows(IllegalArgumentException.class,
                () -> PreExecutorMain.parse(new String[] {"--primary", "h:1", "--warmup", "x"}, "s".repeat(16)));
        PreExecutorMain.parse(new String[] {"--primary", "h:1", "--node-id", "p", "--warmup", "0"}, "s".repeat(16))
                .build().close();
    }

    private void pump(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            mem.runPending();
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what + "; " + (px == null ? "" : px.metrics()));
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
