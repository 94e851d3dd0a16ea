package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Digest;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Results;
import io.remora.core.protocol.SnapshotRequest;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import io.remora.transport.ConnectionListener;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException;
import io.remora.transport.SendResult;
import io.remora.transport.Transport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that cannot prove the cluster secret change nothing and learn nothing; garbage and
 * oversized frames are rejected while an authenticated pre-executor keeps being served.
 */
class ClusterSecurityTest {

    @Test
    @Timeout(40)
    void shouldRejectUnauthenticatedPeersAndBadFramesWhileServingAPreExecutor() throws Exception {
        Path dir = Files.createTempDirectory("remora-security");
        Workload w = Workloads.mixed(11).take(60);
        List<Transaction> txs = w.transactions();
        ConcurrentLinkedQueue<Transaction> consensus = new ConcurrentLinkedQueue<>();
        try (RemoraPrimary primary = RemoraPrimary.builder().dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).workerThreads(2).build()) {
            primary.start();
            try (RemoraCluster cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                    .consensus(consensus::add).heartbeatInterval(Duration.ofMillis(100)).build().start()) {
                primary.submitCommit(0, txs.subList(0, 20)).get(10, TimeUnit.SECONDS);
                Digest digest = primary.stateDigest();
                // A forged result for an upcoming transaction: if it were accepted, it would be counted.
                PreExecResult forged = forgedResult(txs.get(20));
                byte[] resultPayload = ClusterMessages.encode(Results.of(forged));

                // 1. No credentials: application frames on a raw socket, then garbage.
                try (Socket s = new Socket("127.0.0.1", cluster.port())) {
                    OutputStream out = s.getOutputStream();
                    out.write(frame(ClusterMessages.RESULT, resultPayload));
                    out.write(frame(ClusterMessages.SNAPSHOT_REQUEST, ClusterMessages.encode(new SnapshotRequest(1, -1))));
                    out.flush();
                    assertClosedWithoutData(s);
                }
                // 2. The wrong secret: the handshake fails, nothing can be sent.
                ConcurrentLinkedQueue<Object> wrongSideEvents = new ConcurrentLinkedQueue<>();
                TransportConfig wrong = TransportConfig.builder().nodeId("intruder")
                        .clusterSecret("not-the-cluster-secret-at-all-!!".getBytes(StandardCharsets.UTF_8))
                        .reconnectInitialDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(50)).build();
                try (TransportClient intruder = Transport.netty().connect(wrong, "127.0.0.1", cluster.port(),
                        (c, type, payload) -> wrongSideEvents.add(type), new ConnectionListener() {
                            @Override
                            public void onConnected(io.remora.transport.Connection c) {
                                wrongSideEvents.add(c);
                            }
                        })) {
                    assertTrue(intruder.awaitConnection(Duration.ofMillis(500)).isEmpty());
                    assertEquals(SendResult.CLOSED, intruder.send(ClusterMessages.RESULT, resultPayload, Priority.RELIABLE));
                    // the intruder's side detects the primary's proof does not match its secret
                    ClusterIntegrationTest.await(Duration.ofSeconds(5), () -> intruder.metrics().authFailures() >= 1,
                            () -> "intruder: " + intruder.metrics());
                }
                assertTrue(wrongSideEvents.isEmpty(), "the intruder received nothing: " + wrongSideEvents);
                // 3. Garbage bytes and an oversized frame.
                try (Socket s = new Socket("127.0.0.1", cluster.port())) {
                    byte[] garbage = new byte[256];
                    new Random(3).nextBytes(garbage);
                    s.getOutputStream().write(garbage);
                    assertClosedWithoutData(s);
                }
                try (Socket s = new Socket("127.0.0.1", cluster.port())) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeInt(1 << 30);
                    out.writeInt(0x01100000);
                    out.flush();
                    assertClosedWithoutData(s);
                }
                ClusterIntegrationTest.await(Duration.ofSeconds(5), () -> cluster.transportMetrics().authFailures() >= 1
                                && cluster.transportMetrics().protocolErrors() >= 3
                                && cluster.transportMetrics().protocolErrors(ProtocolException.Category.FRAME_TOO_LARGE) >= 1,
                        () -> "transport: " + cluster.transportMetrics());
                assertEquals(0, cluster.metrics().resultsReceived());
                assertEquals(0, primary.metrics().resultsAccepted());
                assertEquals(0, cluster.metrics().snapshotsServed());
                assertTrue(cluster.peers().isEmpty(), () -> "no peer registered: " + cluster.peers());
                assertEquals(digest, primary.stateDigest());

                // 4. Meanwhile an authenticated pre-executor is served and its results are used.
                try (PreExecutor px = PreExecutor.builder().nodeId("px").primary("127.0.0.1", cluster.port())
                        .clusterSecret(ClusterIntegrationTest.SECRET).heartbeatInterval(Duration.ofMillis(100))
                        .workerThreads(1).build().start()) {
                    ClusterIntegrationTest.await(Duration.ofSeconds(10),
                            () -> cluster.peers().stream().anyMatch(PeerStatus::synced), () -> "peers " + cluster.peers());
                    try (Socket s = new Socket("127.0.0.1", cluster.port())) {
                        s.getOutputStream().write(frame(ClusterMessages.RESULT, resultPayload)); // still rejected
                        assertClosedWithoutData(s);
                    }
                    List<Transaction> next = txs.subList(20, 40);
                    for (Transaction tx : next) {
                        assertEquals(SubmitOutcome.ROUTED, cluster.submit(tx));
                    }
                    ClusterIntegrationTest.await(Duration.ofSeconds(10),
                            () -> cluster.metrics().resultsReceived() >= next.size(), () -> "" + cluster.metrics());
                    primary.submitCommit(1, next).get(10, TimeUnit.SECONDS);
                    assertTrue(primary.metrics().adopted() > 0, () -> "" + primary.metrics());
                    assertEquals(SubmitOutcome.REJECTED_MALFORMED, cluster.submit(new byte[] {1, 2, 3}));
                    assertEquals(SubmitOutcome.REJECTED_TOO_LARGE, cluster.submit(new byte[1 << 20]));
                    assertEquals(1, cluster.metrics().rejected(SubmitOutcome.REJECTED_MALFORMED));
                    assertEquals(1, cluster.metrics().rejected(SubmitOutcome.REJECTED_TOO_LARGE));
                    assertEquals(next, List.copyOf(consensus));
                }
                SequentialExecutor oracle = new SequentialExecutor(BuiltinEngine.executor("oracle"), w.genesisStore());
                oracle.executeAll(txs.subList(0, 40));
                assertEquals(oracle.stateDigest(), primary.stateDigest());
            }
        } finally {
            TestDirs.delete(dir);
        }
    }

    /** A plausible-looking result: the transaction's own sequential effects, claimed verified. */
    private static PreExecResult forgedResult(Transaction tx) {
        return PreExecResult.verifyOnly(tx.digest(), new io.remora.core.LookupTable(List.of(), List.of(),
                io.remora.core.Authenticator.verified(tx, "mallory")), -1);
    }

    private static byte[] frame(int type, byte[] payload) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + payload.length);
        b.putInt(4 + payload.length).put((byte) io.remora.transport.Transport.PROTOCOL_VERSION).put((byte) type).putShort((short) 0).put(payload);
        return b.array();
    }

    /** The server closes the connection and never sends an application frame (only a CHALLENGE at most is possible, never here). */
    private static void assertClosedWithoutData(Socket s) throws Exception {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        int total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
        }
        assertFalse(total > 0, "server sent " + total + " bytes to an unauthenticated peer");
    }
}
