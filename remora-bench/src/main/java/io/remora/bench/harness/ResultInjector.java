package io.remora.bench.harness;

import io.remora.core.Digest;
import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.protocol.ClusterMessage;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Execute;
import io.remora.core.protocol.LoadReport;
import io.remora.core.protocol.SnapshotChunk;
import io.remora.core.protocol.SnapshotRequest;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.FrameProtection;
import io.remora.transport.MessageListener;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException;
import io.remora.transport.SendResult;
import io.remora.transport.Transport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stand-in for a pre-executor that measures the primary's own ceiling ({@code injector-k}): it
 * connects to the primary's cluster port like a {@code PreExecutor} (same transport, handshake with
 * its own node key, frame protection, heartbeats with LOAD reports), asks for a snapshot so that
 * the primary serves it one and streams it state updates and COMMITTED notices from then on, reports
 * itself SYNCED, and answers every EXECUTE routed to it with the RESULT recorded beforehand for that
 * transaction ({@link InjectedResults}), at speculative priority as a pre-executor does. It executes
 * nothing and checks no signature at run time; what the primary receives is what an exact
 * pre-executor would send, so the primary runs its whole path (decode, match, validate, adopt,
 * persist, publish, state updates) on it. State updates, COMMITTED notices and hot sets are received
 * (the transport opens and frames them) and counted, not decoded.
 *
 * <pre>
 * java -cp ... io.remora.bench.harness.ResultInjector --primary 127.0.0.1:7700 --node-id inj-1 \
 *      --key-stdin --results FILE [--frame-protection ENCRYPTED] [--exit-on-stdin-eof]
 * </pre>
 * Started by the harness through {@link PreExecutorProcesses#injectors}; the node key is the first
 * line of standard input, and with {@code --exit-on-stdin-eof} the process exits when that pipe
 * ends (the launcher is gone).
 *
 * <p>Thread-safety: the transport's I/O thread runs the listeners; counters are adders.
 */
public final class ResultInjector implements MessageListener, ConnectionListener, AutoCloseable {
    private final Map<Digest, byte[]> recorded;
    private final String nodeId;
    private final LongAdder answered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder otherMessages = new LongAdder();
    private volatile boolean synced;
    private long lastLoadNanos;
    private long answeredAtLastLoad;
    private volatile long snapshotCommit = -1;
    private long requestId;
    private TransportClient client;

    private ResultInjector(String nodeId, Map<Digest, byte[]> recorded) {
        this.nodeId = nodeId;
        this.recorded = recorded;
    }

    /** Reads {@code file} (see {@link InjectedResults}) and connects to the primary. */
    public static ResultInjector start(String nodeId, byte[] nodeKey, String host, int port, FrameProtection protection,
                                       Path file) throws IOException {
        ResultInjector inj = new ResultInjector(nodeId, read(file));
        TransportConfig tc = TransportConfig.builder().nodeId(nodeId).nodeKey(nodeKey).frameProtection(protection)
                .heartbeatInterval(Duration.ofSeconds(1)).heartbeatPayload(inj::load)
                .reliableQueueLimitBytes(256L << 20).build();
        inj.client = Transport.netty().connect(tc, host, port, inj, inj);
        return inj;
    }

    static Map<Digest, byte[]> read(Path file) throws IOException {
        Map<Digest, byte[]> out = new HashMap<>();
        byte[] digest = new byte[InjectedResults.DIGEST_BYTES];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            while (true) {
                try {
                    in.readFully(digest);
                } catch (EOFException end) {
                    return out;
                }
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                out.put(Digest.wrap(digest), payload);
            }
        }
    }

    /** Heartbeat thread: the load report, with the answers of the last interval as the execution rate. */
    private byte[] load() {
        long now = System.nanoTime();
        long total = answered.sum();
        int rate = lastLoadNanos == 0 ? 0
                : (int) Math.min(Integer.MAX_VALUE, (total - answeredAtLastLoad) * 1_000_000_000L / Math.max(1, now - lastLoadNanos));
        lastLoadNanos = now;
        answeredAtLastLoad = total;
        return ClusterMessages.encode(new LoadReport(synced ? LoadReport.FLAG_SYNCED : 0, 1, 0, rate, snapshotCommit));
    }

    @Override
    public void onConnected(Connection connection) {
        synced = false;
        connection.send(ClusterMessages.SNAPSHOT_REQUEST, ClusterMessages.encode(new SnapshotRequest(++requestId, -1)),
                Priority.RELIABLE);
    }

    @Override
    public void onDisconnected(Connection connection, ProtocolException cause) {
        synced = false; // the client reconnects; onConnected asks for a snapshot again
    }

    @Override
    public void onMessage(Connection connection, int type, ByteBuffer payload) {
        if (type != ClusterMessages.EXECUTE && type != ClusterMessages.SNAPSHOT_CHUNK) {
            otherMessages.increment(); // state updates, COMMITTED, hot sets: not needed to answer
            return;
        }
        ClusterMessage m;
        try {
            m = ClusterMessages.decode(type, payload, 0, payload.capacity());
        } catch (CodecException e) {
            otherMessages.increment();
            return;
        }
        if (m instanceof Execute x) {
            for (Transaction tx : x.transactions()) {
                byte[] result = recorded.get(tx.digest());
                if (result == null) {
                    unknown.increment(); // not recorded: no answer, the primary executes it
                    continue;
                }
                SendResult r = connection.send(ClusterMessages.RESULT, result, Priority.SPECULATIVE);
                (r == SendResult.SENT || r == SendResult.QUEUED ? answered : dropped).increment();
            }
        } else if (m instanceof SnapshotChunk c && c.last() && c.requestId() == requestId) {
            snapshotCommit = c.snapshotCommit();
            synced = true;
            connection.heartbeatNow(); // SYNCED now, not at the next heartbeat: the primary routes here
        }
    }

    @Override
    public String toString() {
        return "injector " + nodeId + ": " + recorded.size() + " recorded, " + answered.sum() + " answered, "
                + dropped.sum() + " dropped, " + unknown.sum() + " unknown, " + otherMessages.sum()
                + " other messages; transport " + client.metrics();
    }

    @Override
    public void close() {
        client.close();
    }

    public static void main(String[] args) throws Exception {
        String host = null;
        int port = -1;
        String nodeId = null;
        Path file = null;
        FrameProtection protection = FrameProtection.ENCRYPTED;
        boolean keyStdin = false;
        boolean exitOnEof = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--primary" -> {
                    String v = args[++i];
                    host = v.substring(0, v.lastIndexOf(':'));
                    port = Integer.parseInt(v.substring(v.lastIndexOf(':') + 1));
                }
                case "--node-id" -> nodeId = args[++i];
                case "--results" -> file = Path.of(args[++i]);
                case "--frame-protection" -> protection = FrameProtection.valueOf(args[++i]);
                case "--key-stdin" -> keyStdin = true;
                case "--exit-on-stdin-eof" -> exitOnEof = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (expected: --primary, --node-id, --results, --frame-protection, --key-stdin, --exit-on-stdin-eof)");
            }
        }
        if (host == null || nodeId == null || file == null || !keyStdin) {
            throw new IllegalArgumentException("--primary, --node-id, --results and --key-stdin are required");
        }
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        byte[] key = HexFormat.of().parseHex(stdin.readLine().strip());
        ResultInjector inj = start(nodeId, key, host, port, protection, file);
        System.out.println("remora-injector " + nodeId + " started: " + inj.recorded.size() + " recorded results");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(inj);
            inj.close();
            stopped.countDown();
        }, "remora-injector-shutdown"));
        Thread stats = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(1000);
                    System.out.println(inj);
                }
            } catch (InterruptedException stop) {
                // exiting
            }
        }, "remora-injector-stats");
        stats.setDaemon(true);
        stats.start();
        if (exitOnEof) {
            Thread watch = new Thread(() -> {
                try {
                    while (stdin.readLine() != null) {
                        // nothing more is expected from the launcher
                    }
                } catch (IOException gone) {
                    // the pipe broke: the launcher is gone
                }
                System.exit(0);
            }, "remora-injector-parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        stopped.await();
    }
}
