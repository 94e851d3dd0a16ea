package io.remora.primary;

import io.remora.core.Transaction;
import io.remora.core.codec.MessageCodec;
import io.remora.core.sched.Scheduling;
import io.remora.primary.cluster.ClusterService;
import io.remora.transport.Transport;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportMetrics;
import io.remora.transport.TransportServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Primary-side cluster service: admission of client transactions and the links to pre-executors.
 *
 * <pre>{@code
 * try (RemoraPrimary primary = RemoraPrimary.builder()...build();
 *      RemoraCluster cluster = RemoraCluster.builder()
 *              .primary(primary).port(7700).clusterSecret(secret)
 *              .consensus(tx -> host.consensus().propose(tx))
 *              .build()) {
 *     primary.start();
 *     cluster.start();                          // pre-executors may connect from now on
 *     rpc.onTransaction(bytes -> cluster.submit(bytes));
 *     consensus.onCommit((index, txs) -> primary.submitCommit(index, txs));
 * }
 * }</pre>
 *
 * Every authenticated connection is a pre-executor. {@link #submit} validates a transaction, routes
 * it to one synced pre-executor (rendezvous hashing of its objects, with a load check), and hands
 * it to the host's {@link ConsensusSubmitter}; with no pre-executor everything still works and the
 * primary executes locally. The service serves snapshots, streams committed effects lazily, feeds
 * RESULTs to the primary, pushes state to pre-executors that miss too often and broadcasts the hot
 * set. See {@code docs/architecture.md} and {@code docs/operations.md}.
 *
 * <p>Lifecycle: build, {@link #start()} (the primary must be started), {@link #close()} before
 * closing the primary. Thread-safety: {@link #submit} from any thread; everything else too.
 */
public final class RemoraCluster implements AutoCloseable {
    private final Builder config;
    private final ClusterService service;
    private final Object lifecycle = new Object();
    private TransportServer server;
    private boolean started;
    private boolean closed;

    private RemoraCluster(Builder b) {
        this.config = b;
        this.service = new ClusterService(b.primary.clusterHook(), b.consensus, new ClusterService.Config(
                b.stateUpdateInterval.toNanos(), b.missThreshold, b.missWindowCommits, b.hotSetSize, b.hotSetFloor,
                b.hotSetDecayCommits, b.routingSeed, b.snapshotMinInterval.toNanos(), b.stallTimeout.toNanos(),
                10_000, 200, b.admissionBacklog.toNanos(), b.routingStickiness.toNanos()), b.scheduling);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the server and starts serving pre-executors.
     *
     * @throws IllegalStateException if already started or closed, or the primary is not running
     */
    public RemoraCluster start() {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("started=" + started + ", closed=" + closed + " (expected: neither)");
            }
            if (!config.primary.clusterHook().isRunning()) {
                throw new IllegalStateException("primary not running (expected: primary.start() before cluster.start())");
            }
            started = true;
            TransportConfig tc = TransportConfig.builder()
                    .nodeId(config.nodeId)
                    .clusterSecret(config.clusterSecret)
                    .heartbeatInterval(config.heartbeatInterval)
                    .sendLinger(config.sendLinger)
                    .frameProtection(config.frameProtection)
                    .preAuthMaxFrameSize(config.preAuthMaxFrameSize)
                    .maxPendingHandshakes(config.maxPendingHandshakes)
                    .handshakeTimeout(config.handshakeTimeout)
                    .build();
            service.start();
            server = config.transport.bind(tc, config.bindHost, config.port, service, service);
            return this;
        }
    }

    /** The bound port (the real one when 0 was configured). */
    public int port() {
        TransportServer s = requireStarted();
        return s.port();
    }

    /**
     * Admits a transaction framed as a {@code TRANSACTION} message
     * ({@link MessageCodec#encode(Transaction)}).
     *
     * @return {@link SubmitOutcome#REJECTED_TOO_LARGE} past {@link MessageCodec#MAX_TRANSACTION_MESSAGE_BYTES},
     *         {@link SubmitOutcome#REJECTED_MALFORMED} if it does not decode (both counted; nothing sent),
     *         else as {@link #submit(Transaction)}
     */
    public SubmitOutcome submit(byte[] encodedTransaction) {
        Objects.requireNonNull(encodedTransaction, "encodedTransaction");
        requireStarted();
        return service.submit(encodedTransaction);
    }

    /**
     * Admits a transaction: forwards it (EXECUTE, speculative: a dropped send is counted, not an
     * error) to the chosen pre-executor, then hands it to the {@link ConsensusSubmitter}.
     *
     * @return {@link SubmitOutcome#ROUTED}, {@link SubmitOutcome#LOCAL_ONLY} if no pre-executor is
     *         synced, or {@link SubmitOutcome#REJECTED_TOO_LARGE} if it cannot be encoded within the limit
     */
    public SubmitOutcome submit(Transaction tx) {
        Objects.requireNonNull(tx, "tx");
        requireStarted();
        return service.submit(tx);
    }

    public ClusterMetrics metrics() {
        return service.counters();
    }

    /** The server's transport counters (frames, protocol errors by category, authentication failures). */
    public TransportMetrics transportMetrics() {
        return requireStarted().metrics();
    }

    /** The connected pre-executors, by node id. */
    public List<PeerStatus> peers() {
        return service.peers();
    }

    /** Closes every pre-executor connection and stops the service's thread; idempotent. Does not close the primary. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            service.close();
        }
    }

    private TransportServer requireStarted() {
        TransportServer s = server;
        if (s == null || closed) {
            throw new IllegalStateException("started=" + (s != null) + ", closed=" + closed + " (expected: started, not closed)");
        }
        return s;
    }

    /**
     * Configuration of a {@link RemoraCluster}. Each setter checks its value at once
     * (IllegalArgumentException, {@code name=value (expected: ...)}); {@link #build()} checks that
     * the required ones were given.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        /** The links' default send linger toward pre-executors ({@link #sendLinger(Duration)}). */
        public static final Duration DEFAULT_SEND_LINGER = Duration.ofMillis(1);

        private RemoraPrimary primary;
        private String bindHost = "127.0.0.1";
        private int port = 0;
        private byte[] clusterSecret;
        private ConsensusSubmitter consensus;
        private String nodeId = "primary";
        private Duration stateUpdateInterval = Duration.ofMillis(5);
        private int missThreshold = 16;
        private int missWindowCommits = 20;
        private int hotSetSize = 64;
        private int hotSetFloor = 4;
        private int hotSetDecayCommits = 32;
        private long routingSeed = 0x5EED;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration sendLinger = DEFAULT_SEND_LINGER;
        private Transport transport = Transport.netty();
        private io.remora.transport.FrameProtection frameProtection = io.remora.transport.FrameProtection.ENCRYPTED;
        private int preAuthMaxFrameSize = 4096;
        private int maxPendingHandshakes = 64;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration snapshotMinInterval = Duration.ofSeconds(1);
        private Duration stallTimeout = Duration.ofMillis(500);
        private Duration admissionBacklog = Duration.ofSeconds(1);
        private Duration routingStickiness = Duration.ZERO;
        private Scheduling scheduling = Scheduling.system();

        private Builder() {
        }

        /** The primary whose state this cluster serves and to which it offers results. Required. */
        public Builder primary(RemoraPrimary p) {
            this.primary = Checks.require("primary", p, "a RemoraPrimary");
            return this;
        }

        /** Address to listen on. Default 127.0.0.1. */
        public Builder bindHost(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("bindHost=" + host + " (expected: a host name or address)");
            }
            this.bindHost = host;
            return this;
        }

        /** Port to listen on (0..65535; 0 = any free port, see {@link RemoraCluster#port()}). Default 0. */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port=" + p + " (expected: 0..65535)");
            }
            this.port = p;
            return this;
        }

        /** The validator's cluster secret (>= 16 bytes), shared with the pre-executors. Required. */
        public Builder clusterSecret(byte[] secret) {
            if (secret == null || secret.length < TransportConfig.MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("clusterSecret.length=" + (secret == null ? "null" : secret.length)
                        + " (expected: >= " + TransportConfig.MIN_SECRET_LENGTH + ")");
            }
            this.clusterSecret = secret.clone();
            return this;
        }

        /** The host's consensus, which receives every admitted transaction. Required. */
        public Builder consensus(ConsensusSubmitter c) {
            this.consensus = Checks.require("consensus", c, "a ConsensusSubmitter");
            return this;
        }

        /** This node's id in the handshake (1..255 UTF-8 bytes). Default "primary". */
        public Builder nodeId(String id) {
            this.nodeId = Checks.nodeId(id);
            return this;
        }

        /** How often pending committed effects are streamed to pre-executors (1 ms..1 h). Default 5 ms. */
        public Builder stateUpdateInterval(Duration d) {
            this.stateUpdateInterval = Checks.duration("stateUpdateInterval", d, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /** Stale-replica misses of one pre-executor within a window that trigger a push (>= 1). Default 16. */
        public Builder missThreshold(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("missThreshold=" + n + " (expected: >= 1)");
            }
            this.missThreshold = n;
            return this;
        }

        /** Length of the miss-counting window, in commits (>= 1). Default 20. */
        public Builder missWindowCommits(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("missWindowCommits=" + n + " (expected: >= 1)");
            }
            this.missWindowCommits = n;
            return this;
        }

        /** Largest hot set (0..4096; 0 disables it). Default 64. */
        public Builder hotSetSize(int n) {
            if (n < 0 || n > io.remora.core.protocol.ClusterMessages.MAX_HOT_SET) {
                throw new IllegalArgumentException("hotSetSize=" + n + " (expected: 0.."
                        + io.remora.core.protocol.ClusterMessages.MAX_HOT_SET + ")");
            }
            this.hotSetSize = n;
            return this;
        }

        /** Minimum decayed conflict count of a hot object (>= 1). Default 4. */
        public Builder hotSetFloor(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("hotSetFloor=" + n + " (expected: >= 1)");
            }
            this.hotSetFloor = n;
            return this;
        }

        /** Conflict counts are halved every this many commits (>= 1). Default 32. */
        public Builder hotSetDecayCommits(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("hotSetDecayCommits=" + n + " (expected: >= 1)");
            }
            this.hotSetDecayCommits = n;
            return this;
        }

        /** Seed of the random source used by the two-choices load check (deterministic tests). */
        public Builder routingSeed(long seed) {
            this.routingSeed = seed;
            return this;
        }

        /** Transport heartbeat period toward pre-executors (1 ms..1 h). Default 1 s. */
        public Builder heartbeatInterval(Duration d) {
            this.heartbeatInterval = Checks.duration("heartbeatInterval", d, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * How long a message to a pre-executor (EXECUTE, STATE_UPDATE...) sent from another thread
         * than its link's event loop may wait for others to join its batch (one flush and one sealed
         * record for the batch): 0..{@link TransportConfig#MAX_SEND_LINGER}. Default
         * {@link #DEFAULT_SEND_LINGER} (1 ms). A batch lingers only on a busy link, one whose last
         * batch went less than a linger before (an idle link's message goes at once); there it adds
         * up to the linger to a message's delivery, which the consensus delay hides, and takes most
         * of the per-message work off the primary's I/O thread (docs/operations.md, "Batched sends";
         * docs/benchmarks.md, "Send linger on busy links"). 0: a batch is what queued while the event
         * loop was busy.
         */
        public Builder sendLinger(Duration d) {
            this.sendLinger = Checks.duration("sendLinger", d, Duration.ZERO,
                    TransportConfig.MAX_SEND_LINGER);
            return this;
        }

        /**
         * Protection of the links (sealed records) (the stronger of this and each pre-executor's is used).
         * Default {@code ENCRYPTED}: frames travel in AES-256-GCM records with sequence numbers, so
         * the network can neither alter nor read them; {@code AUTHENTICATED} (Poly1305 tags, payloads
         * readable) costs the same; {@code NONE} only for links the validator already protects.
         */
        public Builder frameProtection(io.remora.transport.FrameProtection p) {
            this.frameProtection = Checks.require("frameProtection", p, "NONE, AUTHENTICATED or ENCRYPTED");
            return this;
        }

        /** Largest frame accepted before a peer is authenticated (512..65,536 bytes). Default 4096. */
        public Builder preAuthMaxFrameSize(int bytes) {
            if (bytes < 512 || bytes > 65536) {
                throw new IllegalArgumentException("preAuthMaxFrameSize=" + bytes + " (expected: 512..65536)");
            }
            this.preAuthMaxFrameSize = bytes;
            return this;
        }

        /**
         * Connections allowed to wait for their handshake at once (1..65,536); more are closed at
         * once. With {@link #preAuthMaxFrameSize} this bounds what unauthenticated peers make the
         * primary hold: about {@code maxPendingHandshakes x 2 x preAuthMaxFrameSize} of direct memory.
         * Default 64.
         */
        public Builder maxPendingHandshakes(int n) {
            if (n < 1 || n > 65536) {
                throw new IllegalArgumentException("maxPendingHandshakes=" + n + " (expected: 1..65536)");
            }
            this.maxPendingHandshakes = n;
            return this;
        }

        /**
         * Least time between two snapshots served to one pre-executor (0..1 h): a peer asking more
         * often waits its turn (its latest request is served then), so that no peer can keep the
         * primary reading its state. Snapshots stream off the thread that sends state updates, one at
         * a time per peer. Default 1 s.
         */
        public Builder snapshotMinInterval(Duration d) {
            this.snapshotMinInterval = Checks.duration("snapshotMinInterval", d, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /**
         * A pre-executor with work outstanding that has not answered for this long (SIGSTOPped, a long
         * pause, a dead link not yet detected) gets no new work and is not waited for, until it
         * answers again, or reports itself idle with nothing unanswered (its answers were lost on the
         * way) after being stalled this long, doubled for each stall in a row without an answer, at
         * most 64 times (10 ms..1 min). Default 500 ms.
         */
        public Builder stallTimeout(Duration d) {
            this.stallTimeout = Checks.duration("stallTimeout", d, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /**
         * Admission back-pressure: {@code submit} returns {@link SubmitOutcome#REJECTED_OVERLOADED}
         * (and does not hand the transaction to consensus) when every pre-executor that could take
         * it has more than this much work queued (its queue over its execution rate, both from its
         * load reports and from what the primary sent it and got back). A result queued longer than
         * the consensus takes to order a transaction arrives after its commit and is wasted, and the
         * primary then executes the transaction itself, on its critical path: past capacity that is
         * how a run collapses. Set it below the host's submit-to-commit latency (e.g. 250 ms for the
         * bench's 300 ms simulated consensus); {@code Duration.ZERO} turns back-pressure off (every
         * transaction is admitted, executed locally if need be). A rejected transaction never
         * commits: a client that signed later transactions on its effects (an account's next payment
         * spending the coin it makes) must resubmit it, or they fail. 0..1 min; default 1 s.
         */
        public Builder admissionBacklog(Duration d) {
            this.admissionBacklog = Checks.duration("admissionBacklog", d, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /**
         * Routing stickiness: a transaction whose objects had a transaction routed to a pre-executor
         * within this long goes to the same one while it stays routable and is not overloaded
         * (queue above twice the mean plus 64), whatever the hash prefers now (after a pre-executor
         * joins). That pre-executor holds the
         * speculative versions of those objects (a chain of an account's payments not committed
         * yet); another would lack them and answer "missing input version" (verify-only) until the
         * chain commits. Objects idle that long follow the hash again. One routing entry per object
         * (at most 1,048,576; past that new objects are not tracked). {@code TRUSTED} routing only
         * (cross-checked transactions go to the r highest weights). 0 turns it off; 0..1 min;
         * default 0 (off): in the one join measured (docs/benchmarks.md, "Routing stickiness and the
         * join dip") 1 s did not shorten the dip in adopted results after a pre-executor joined.
         */
        public Builder routingStickiness(Duration d) {
            this.routingStickiness = Checks.duration("routingStickiness", d, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /** Time a connection may take to authenticate (10 ms..1 min). Default 5 s. */
        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = Checks.duration("handshakeTimeout", d, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /** The transport. Default {@link Transport#netty()}; {@code new InMemoryTransport()} in tests. */
        public Builder transport(Transport t) {
            this.transport = Checks.require("transport", t, "a Transport");
            return this;
        }

        /**
         * Time (stall detection, rate limits, snapshot pacing) and threads (the cluster thread, the
         * snapshot readers). Default {@link Scheduling#system()}; the cluster simulator passes a
         * virtual one.
         */
        public Builder scheduling(Scheduling s) {
            this.scheduling = Checks.require("scheduling", s, "a Scheduling");
            return this;
        }

        /** Checks that the required settings were given and builds a cluster (not started). */
        public RemoraCluster build() {
            Checks.require("primary", primary, "a RemoraPrimary");
            Checks.require("consensus", consensus, "a ConsensusSubmitter");
            if (clusterSecret == null) {
                throw new IllegalArgumentException("clusterSecret=null (expected: >= "
                        + TransportConfig.MIN_SECRET_LENGTH + " bytes)");
            }
            return new RemoraCluster(this);
        }


    }
}
