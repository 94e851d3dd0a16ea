package io.remora.preexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.engine.CounterProgram;
import io.remora.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pre-executor over real TCP on loopback: authentication gates the snapshot. */
@Timeout(30)
class PreExecutorLoopbackTest {
    private FakePrimary primary;
    private final List<StoredObject> genesis = new ArrayList<>();

    @BeforeEach
    void setUp() {
        for (int i = 0; i < 10; i++) {
            genesis.add(CounterProgram.genesisCounter(ObjectId.of(1, 2, 3, i), i));
        }
        primary = new FakePrimary(Transport.netty(), "127.0.0.1", genesis);
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    private PreExecutor.Builder preExecutor(byte[] secret) {
        return PreExecutor.builder().nodeId("pre-tcp").primary("127.0.0.1", primary.server.port())
                .clusterSecret(secret).workerThreads(2).heartbeatInterval(Duration.ofMillis(100))
                .drainTimeout(Duration.ofSeconds(2));
    }

    @Test
    void shouldSyncAndPreExecuteWithTheRightSecret() throws Exception {
        try (PreExecutor px = preExecutor(FakePrimary.SECRET).build().start()) {
            assertTrue(px.awaitSynced(Duration.ofSeconds(10)), "synced");
            assertEquals(-1, px.watermark());
            Transaction tx = Transaction.sign(Ed25519KeyPair.generate(new java.util.Random(7)), 0, 1_000_000,
                    List.of(InputObject.shared(genesis.get(3).id(), true)), CounterProgram.NAME, "increment",
                    CounterProgram.incrementArgs(4));
            primary.execute(tx);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (primary.results.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            PreExecResult r = primary.results.peek();
            assertEquals(BuiltinEngine.executor("pre-tcp").preExecute(tx, primary.state, -1), r);
            while (primary.loads.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertTrue(primary.loads.stream().anyMatch(l -> l.synced()), "a synced load report arrived");
        }
    }

    @Test
    void shouldNeverGetASnapshotWithAWrongSecret() throws Exception {
        byte[] wrong = "not-the-cluster-secret-at-all!!".getBytes(StandardCharsets.UTF_8);
        try (PreExecutor px = preExecutor(wrong).build().start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (authFailures(px) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertTrue(authFailures(px) > 0, "handshake refused");
            assertFalse(px.awaitSynced(Duration.ofMillis(300)), "never synced");
            assertTrue(primary.snapshotRequests.isEmpty(), "no request reached the primary");
            assertTrue(primary.server.connections().isEmpty());
            assertEquals(0, px.metrics().snapshotsInstalled());
        }
    }

    private long authFailures(PreExecutor px) {
        return primary.server.metrics().authFailures() + px.transportMetrics().authFailures();
    }
}
