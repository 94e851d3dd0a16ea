package io.remora.bench;

import io.remora.core.PreExecResult;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Results;
import io.remora.core.workload.Workload;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.FrameProtection;
import io.remora.transport.Priority;
import io.remora.transport.Transport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback RESULT stream for the ingest benchmarks: a server named {@code primary-<protection>}
 * whose listener decodes every RESULT ({@code ClusterMessages.decode}, as the primary's cluster
 * service does) and counts it, and a client that sends pre-encoded RESULT messages (one exact
 * transfer result each, ~430 bytes) through the real Netty transport with the given frame
 * protection. Closed by {@link #close()}.
 *
 * <p>Thread-safety: {@link #sendBatch} from one thread at a time.
 */
final class IngestRig implements AutoCloseable {
    private static final byte[] SECRET = "ingest-bench-cluster-secret-0123456789".getBytes(StandardCharsets.US_ASCII);

    final FrameProtection protection;
    private final byte[][] payloads;
    private final TransportServer server;
    private final TransportClient client;
    private final Connection connection;
    private final AtomicLong decoded = new AtomicLong();
    private final String serverThreads;
    private final String clientThreads;
    private long expected;

    IngestRig(FrameProtection protection, int batch) throws InterruptedException {
        this.protection = protection;
        Workload w = Fixtures.workload("transfers", batch);
        PreExecResult[] results = Fixtures.exactResults(w, Fixtures.executor());
        payloads = new byte[batch][];
        for (int i = 0; i < batch; i++) {
            payloads[i] = ClusterMessages.encode(Results.of(results[i]));
        }
        String name = "primary-" + protection;
        serverThreads = "remora-server-" + name + "-";
        String clientName = "pre-" + protection;
        clientThreads = "remora-client-" + clientName + "-";
        TransportConfig serverConfig = TransportConfig.builder().nodeId(name).clusterSecret(SECRET)
                .frameProtection(protection).build();
        server = Transport.netty().bind(serverConfig, "127.0.0.1", 0, (c, type, payload) -> {
            ClusterMessages.decode(type, payload, 0, payload.capacity());
            decoded.incrementAndGet();
        }, new ConnectionListener() { });
        TransportConfig clientConfig = TransportConfig.builder().nodeId(clientName)
                .nodeKey(TransportConfig.deriveNodeKey(SECRET, clientName)).frameProtection(protection)
                .reliableQueueLimitBytes(256L << 20).build();
        client = Transport.netty().connect(clientConfig, "127.0.0.1", server.port(), (c, t, p) -> { },
                new ConnectionListener() { });
        connection = client.awaitConnection(Duration.ofSeconds(10)).orElseThrow();
    }

    int batch() {
        return payloads.length;
    }

    /** Sends every payload once and waits until the server has decoded them all. */
    long sendBatch() {
        expected += payloads.length;
        for (byte[] p : payloads) {
            connection.send(ClusterMessages.RESULT, p, Priority.RELIABLE);
        }
        while (decoded.get() < expected) {
            LockSupport.parkNanos(20_000);
        }
        return decoded.get();
    }

    long decoded() {
        return decoded.get();
    }

    /** Frames the server read off the wire (a sealed record counts once). */
    long wireFrames() {
        return server.metrics().framesIn();
    }

    /** CPU time of this rig's server event-loop threads (the primary's side: open, decode). */
    long serverCpuNanos() {
        return threadsCpuNanos(serverThreads);
    }

    /** CPU time of this rig's client event-loop threads (the pre-executor's side: seal, write). */
    long clientCpuNanos() {
        return threadsCpuNanos(clientThreads);
    }

    /** CPU time of the live threads whose names start with {@code prefix}. */
    static long threadsCpuNanos(String prefix) {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith(prefix)) {
                long c = t.getThreadCpuTime(th.threadId());
                if (c > 0) {
                    total += c;
                }
            }
        }
        return total;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
