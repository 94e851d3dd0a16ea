package io.remora.primary.sim;

import io.remora.core.Digest;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Results;
import io.remora.primary.LiesAccess;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.Priority;
import io.remora.transport.SendResult;
import io.remora.transport.Transport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportMetrics;
import io.remora.transport.TransportServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A compromised pre-executor's link (the trust-model issue's liar): an authenticated, honest-looking
 * pre-executor whose RESULT messages are rewritten on the way out with a lie (falsified writes,
 * forged signature verdicts, wrong precompile outputs; see {@code Lies}) for a share of its
 * results. The primary must keep to the reference in {@code CROSS_CHECKED} mode (one liar among
 * the replicas); in {@code TRUSTED} mode a liar can corrupt state by design, so the simulator puts
 * liars only in cross-checked clusters.
 *
 * <p>Thread-safety: as the transport it wraps (used on the simulator's thread).
 */
final class LiarTransport implements Transport {
    private final Transport inner;
    private final Map<Digest, Transaction> byDigest;
    private final Random rnd;
    private final double rate;
    private long lies;

    LiarTransport(Transport inner, Map<Digest, Transaction> byDigest, Random rnd, double rate) {
        this.inner = inner;
        this.byDigest = byDigest;
        this.rnd = rnd;
        this.rate = rate;
    }

    long lies() {
        return lies;
    }

    @Override
    public TransportServer bind(TransportConfig config, String host, int port, MessageListener messages,
                                ConnectionListener connections) {
        return inner.bind(config, host, port, messages, connections);
    }

    @Override
    public TransportClient connect(TransportConfig config, String host, int port, MessageListener messages,
                                   ConnectionListener connections) {
        TransportClient c = inner.connect(config, host, port, messages, connections);
        return new TransportClient() {
            @Override
            public Optional<Connection> connection() {
                return c.connection().map(Lying::new);
            }

            @Override
            public Optional<Connection> awaitConnection(java.time.Duration timeout) throws InterruptedException {
                return c.awaitConnection(timeout).map(Lying::new);
            }

            @Override
            public TransportMetrics metrics() {
                return c.metrics();
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    private byte[] rewrite(byte[] payload, int offset, int length) {
        byte[] bytes = java.util.Arrays.copyOfRange(payload, offset, offset + length);
        Results honest = (Results) ClusterMessages.decode(ClusterMessages.RESULT, bytes);
        List<PreExecResult> out = new ArrayList<>(honest.results().size());
        boolean changed = false;
        for (PreExecResult r : honest.results()) {
            Transaction tx = byDigest.get(r.transaction());
            PreExecResult lie = tx == null || rnd.nextDouble() >= rate ? null
                    : LiesAccess.lie(rnd.nextInt(3) == 0 ? 3 : 0, tx, r, rnd); // falsified writes, wrong precompiles
            out.add(lie == null ? r : lie);
            changed |= lie != null;
        }
        if (!changed) {
            return bytes;
        }
        lies++;
        return ClusterMessages.encode(new Results(out));
    }

    /** The liar's end of its link: RESULTs go out rewritten. */
    private final class Lying implements Connection {
        private final Connection c;

        Lying(Connection c) {
            this.c = c;
        }

        @Override
        public String remoteNodeId() {
            return c.remoteNodeId();
        }

        @Override
        public String remoteAddress() {
            return c.remoteAddress();
        }

        @Override
        public boolean isOpen() {
            return c.isOpen();
        }

        @Override
        public boolean isWritable() {
            return c.isWritable();
        }

        @Override
        public SendResult send(int type, byte[] payload, int offset, int length, Priority priority) {
            if (type == ClusterMessages.RESULT) {
                byte[] lie = rewrite(payload, offset, length);
                return c.send(type, lie, 0, lie.length, priority);
            }
            return c.send(type, payload, offset, length, priority);
        }

        @Override
        public void heartbeatNow() {
            c.heartbeatNow();
        }

        @Override
        public void close() {
            c.close();
        }
    }
}
