package io.remora.preexec;

import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.LoadReport;
import io.remora.core.sched.Scheduling;
import io.remora.preexec.internal.ClusterAdapter;
import io.remora.preexec.internal.Counters;
import io.remora.preexec.internal.ExecutionScheduler;
import io.remora.preexec.internal.LeaseExecutor;
import io.remora.preexec.internal.Replica;
import io.remora.preexec.internal.ResultProxy;
import io.remora.preexec.internal.StateSync;
import io.remora.preexec.internal.Warmup;
import io.remora.transport.Transport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A pre-executor: connects to the primary, keeps a replica of its state, and pre-executes the
 * transactions the primary forwards, answering each with a {@code PreExecResult}.
 *
 * <pre>
 *   PreExecutor px = PreExecutor.builder()
 *           .nodeId("pre-1").primary("10.0.0.1", 7700).clusterSecret(secret)
 *           .build()
 *           .start();
 *   ...
 *   px.close(); // drains
 * </pre>
 *
 * Threads: the transport's I/O thread decodes messages; one {@code remora-preexec-state} thread
 * applies snapshots, state updates and hot sets and handles parked transactions; a pool of
 * {@code remora-preexec-worker-N} threads executes; one {@code remora-preexec-lease} thread executes
 * the committed transactions of a lease the primary granted it; while it starts, one
 * {@code remora-preexec-warmup} thread warms the JVM up ({@link Builder#warmup}). See the package
 * documentation for the pipeline.
 *
 * <p>Thread-safety: safe for concurrent use; {@link #start()} once, {@link #close()} is idempotent.
 */
public final class PreExecutor implements AutoCloseable {
    private final Builder config;
    private final Counters counters = new Counters();
    private final Replica replica = new Replica();
    private final ExecutorService workers;
    private final ScheduledExecutorService stateThread;
    private final ExecutorService leaseThread;
    private final LeaseExecutor lease;
    private final StateSync sync;
    private final ExecutionScheduler scheduler;
    /** The start-up warm-up, null when it is off. */
    private final Warmup warmup;
    private final Object lifecycle = new Object();
    private volatile TransportClient client;
    private volatile boolean draining;
    private boolean started;
    private boolean closed;
    /** Snapshot installs already announced with an immediate heartbeat (state thread only). */
    private long installsAnnounced;
    /** A lazy join already announced (state thread only). */
    private boolean lazyAnnounced;
    // executed-per-second sampling for LOAD reports
    private long rateSampleNanos;
    private long rateSampleCount;
    private int rate;
    private long busySampleNanos;
    /** Basis points of worker time busy over the last sampling window. */
    private int busy;

    private PreExecutor(Builder b) {
        this.config = b;
        Scheduling sched = b.scheduling;
        this.workers = sched.pool("remora-preexec-worker-", b.workerThreads);
        this.stateThread = sched.singleThread("remora-preexec-state");
        TransactionExecutor executor = b.executor != null ? b.executor : BuiltinEngine.executor(b.nodeId);
        this.sync = new StateSync(replica, counters, (type, payload, priority) -> {
            TransportClient c = client;
            if (c != null) {
                c.send(type, payload, priority);
            }
        }, stateThread, b.stateUpdateDelay, b.stateUpdateMaxBatch, b.lazyJoin(), sched::nanoTime);
        sync.snapshotTimeout(b.snapshotTimeout, () -> {
            TransportClient c = client;
            return c != null && c.connection().isPresent();
        });
        this.scheduler = new ExecutionScheduler(executor, replica, sync, counters, workers, stateThread,
                new ResultProxy(() -> client, counters), b.parkTimeout, sched::nanoTime, b.maxQueuedTransactions,
                b.speculationTtl);
        sync.onStateChanged(this::stateChanged);
        this.leaseThread = sched.singleThread("remora-preexec-lease");
        this.lease = new LeaseExecutor(executor, replica, leaseThread,
                new ResultProxy(() -> client, counters, io.remora.transport.Priority.RELIABLE), counters);
        scheduler.leaseExecutor(lease);
        int warmups = b.warmupTransactions();
        this.warmup = warmups == 0 ? null : new Warmup(executor, warmups,
                b.warmupMaxTime.toNanos(), sched::nanoTime, counters, b.warmupHook, this::warmedUp);
        this.rateSampleNanos = sched.nanoTime();
    }

    /** After committed state changed (state thread). */
    private void stateChanged(java.util.Collection<io.remora.core.StoredObject> written) {
        scheduler.stateApplied(written);
        if (replica.installs() != installsAnnounced || (replica.lazy() && !lazyAnnounced)) {
            // A snapshot was installed, or a lazy join began: tell the primary at once (LOAD says
            // SYNCED), so that it routes work here now rather than at the next heartbeat, up to an
            // interval later.
            installsAnnounced = replica.installs();
            lazyAnnounced |= replica.lazy();
            TransportClient c = client;
            if (c != null) {
                c.connection().ifPresent(io.remora.transport.Connection::heartbeatNow);
            }
        }
    }

    /**
     * After the warm-up ended (warm-up thread): if the snapshot is already installed, the warm-up
     * was what held the SYNCED flag back, so tell the primary at once, as on an install.
     */
    private void warmedUp() {
        if (replica.usable()) {
            TransportClient c = client;
            if (c != null) {
                c.connection().ifPresent(io.remora.transport.Connection::heartbeatNow);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects to the primary (asynchronously; the transport reconnects with backoff). Once only. */
    public PreExecutor start() {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("started=" + started + ", closed=" + closed + " (expected: neither)");
            }
            started = true;
            if (warmup != null) {
                warmup.start(); // overlapped with connecting and the snapshot download
            }
            TransportConfig tc = TransportConfig.builder()
                    .nodeId(config.nodeId)
                    .clusterSecret(config.clusterSecret)
                    .nodeKey(config.nodeKey)
                    .frameProtection(config.frameProtection)
                    .heartbeatInterval(config.heartbeatInterval)
                    .sendLinger(config.sendLinger)
                    .heartbeatPayload(this::loadPayload)
                    .build();
            ClusterAdapter adapter = new ClusterAdapter(scheduler, sync, stateThread, counters, lease);
            client = config.transport.connect(tc, config.primaryHost, config.primaryPort, adapter, adapter);
            long ttl = config.speculationTtl.toNanos();
            stateThread.scheduleWithFixedDelay(() -> replica.expire(config.scheduling.nanoTime() - ttl),
                    ttl / 2, ttl / 2, TimeUnit.NANOSECONDS);
            return this;
        }
    }

    /** Waits until {@link #isSynced()}; returns whether it was within {@code timeout}. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        Scheduling sched = config.scheduling;
        long deadline = sched.nanoTime() + timeout.toNanos();
        while (!isSynced()) {
            if (sched.nanoTime() - deadline >= 0) {
                return false;
            }
            sched.pause(1_000_000);
        }
        return true;
    }

    /**
     * Whether a snapshot is installed, or a lazy join has begun (results are then worth something),
     * and the start-up warm-up has ended (they then come at speed): what heartbeats report as
     * SYNCED, so that the primary routes work here only from then on.
     */
    public boolean isSynced() {
        return replica.usable() && (warmup == null || warmup.isDone());
    }

    /** Whether its first snapshot is installed (with a lazy join, {@link #isSynced} comes before this). */
    public boolean isSnapshotInstalled() {
        return replica.installed();
    }

    /**
     * Waits up to {@code timeout} for the start-up warm-up to end (at once when it is off); returns
     * whether it has. For {@link PreExecutorMain}'s started line.
     */
    boolean awaitWarmup(Duration timeout) throws InterruptedException {
        return warmup == null || warmup.await(timeout.toNanos());
    }

    /** The last commit applied to the replica, -1 before any. */
    public long watermark() {
        return replica.watermark();
    }

    /** Transactions received and not yet answered. */
    public int queueDepth() {
        return scheduler.queueDepth();
    }

    public String nodeId() {
        return config.nodeId;
    }

    public PreExecutorMetrics metrics() {
        return counters;
    }

    /** The transport client's counters (handshake failures, reconnects, drops...), or null before {@link #start()}. */
    public TransportMetrics transportMetrics() {
        TransportClient c = client;
        return c == null ? null : c.metrics();
    }

    /** The load report sent in heartbeats. */
    synchronized LoadReport load() {
        long now = config.scheduling.nanoTime();
        long elapsed = now - rateSampleNanos;
        if (elapsed >= 250_000_000L) {
            long count = scheduler.answered();
            rate = (int) Math.min(Integer.MAX_VALUE, (count - rateSampleCount) * 1_000_000_000L / elapsed);
            rateSampleCount = count;
            rateSampleNanos = now;
            long busyNow = scheduler.busyNanos();
            busy = busyBasisPoints(busyNow - busySampleNanos, elapsed, config.workerThreads);
            busySampleNanos = busyNow;
        }
        int flags = (isSynced() ? LoadReport.FLAG_SYNCED : 0) | (draining ? LoadReport.FLAG_DRAINING : 0);
        return new LoadReport(flags, Math.min(config.workerThreads, 0xFFFF), scheduler.queueDepth(), rate,
                replica.watermark(), busy);
    }

    /** {@code busyNanos} of {@code workers} over {@code elapsedNanos}, in basis points (0..10000). */
    static int busyBasisPoints(long busyNanos, long elapsedNanos, int workers) {
        if (elapsedNanos <= 0 || workers <= 0 || busyNanos <= 0) {
            return 0;
        }
        double share = (double) busyNanos / ((double) elapsedNanos * workers);
        return (int) Math.min(LoadReport.BUSY_FULL, Math.round(share * LoadReport.BUSY_FULL));
    }

    private byte[] loadPayload() {
        return ClusterMessages.encode(load());
    }

    /**
     * Drains and stops: stops the warm-up if it still runs, refuses new transactions, answers parked ones verify-only, waits up to the
     * drain timeout for queued work to be answered, then closes the connection and the threads.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (warmup != null) {
            warmup.close();
        }
        draining = true;
        scheduler.stopAccepting();
        stateThread.execute(scheduler::releaseParked);
        Scheduling sched = config.scheduling;
        long deadline = sched.nanoTime() + config.drainTimeout.toNanos();
        while (scheduler.queueDepth() > 0 && sched.nanoTime() - deadline < 0) {
            try {
                sched.pause(1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        TransportClient c = client;
        if (c != null) {
            c.close();
        }
        workers.shutdownNow();
        stateThread.shutdownNow();
        leaseThread.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            stateThread.awaitTermination(5, TimeUnit.SECONDS);
            leaseThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "PreExecutor{" + config.nodeId + " -> " + config.primaryHost + ":" + config.primaryPort
                + ", watermark=" + watermark() + ", queueDepth=" + queueDepth() + '}';
    }

    /**
     * Settings of a {@link PreExecutor}; {@link #build()} validates them and throws
     * {@link IllegalArgumentException} with a {@code name=value (expected: ...)} message.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        /** The default send linger of RESULTs ({@link #sendLinger(Duration)}). */
        public static final Duration DEFAULT_SEND_LINGER = Duration.ofMillis(1);

        private String nodeId;
        private String primaryHost;
        private int primaryPort = -1;
        private byte[] clusterSecret;
        private byte[] nodeKey;
        private io.remora.transport.FrameProtection frameProtection = io.remora.transport.FrameProtection.ENCRYPTED;
        private int workerThreads = Runtime.getRuntime().availableProcessors();
        private Duration parkTimeout = Duration.ofMillis(50);
        private Duration stateUpdateDelay = Duration.ofMillis(2);
        private int stateUpdateMaxBatch = 64;
        private Duration drainTimeout = Duration.ofSeconds(5);
        private Duration snapshotTimeout = Duration.ofSeconds(60);
        private Duration speculationTtl = Duration.ofSeconds(5);
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration sendLinger = DEFAULT_SEND_LINGER;
        private int maxQueuedTransactions = 65_536;
        private Transport transport = Transport.netty();
        private TransactionExecutor executor;
        private Scheduling scheduling = Scheduling.system();
        /** Null until {@link #warmup} is called: then the default depends on {@link #scheduling}. */
        private Integer warmupTransactions;
        private Duration warmupMaxTime = Duration.ofSeconds(2);
        private Runnable warmupHook;
        /** Null until {@link #lazyJoin} is called: then the default depends on {@link #scheduling}. */
        private Boolean lazyJoin;

        private Builder() {
        }

        /** This node's id, proved to the primary in the handshake (1..255 UTF-8 bytes). Required. */
        public Builder nodeId(String v) { nodeId = v; return this; }

        /** The primary's host and port. Required. */
        public Builder primary(String host, int port) { primaryHost = host; primaryPort = port; return this; }

        /**
         * This pre-executor's own key (32 bytes, {@code TransportConfig.deriveNodeKey(clusterSecret, nodeId)},
         * made by the operator): it authenticates as its node id and nothing else. Required unless
         * {@link #clusterSecret} is given.
         */
        public Builder nodeKey(byte[] v) { nodeKey = v == null ? null : v.clone(); return this; }

        /**
         * The validator's cluster secret (>= 16 bytes), from which the node key is derived. Prefer
         * {@link #nodeKey}: a machine holding the cluster secret can authenticate under any node id.
         */
        public Builder clusterSecret(byte[] v) { clusterSecret = v == null ? null : v.clone(); return this; }

        /** Link protection this side asks for (the stronger of the two sides' is used). Default ENCRYPTED. */
        public Builder frameProtection(io.remora.transport.FrameProtection v) { frameProtection = v; return this; }

        /** Execution threads. Default: the number of cores. */
        public Builder workerThreads(int v) { workerThreads = v; return this; }

        /** How long a transaction waits for a missing owned input version before a verify-only answer. Default 50 ms. */
        public Builder parkTimeout(Duration v) { parkTimeout = v; return this; }

        /**
         * Lazy application of STATE_UPDATEs: an update waits up to {@code delay} to be applied together
         * with later ones, or until {@code maxBatch} are pending; pushed updates apply at once.
         * Default 2 ms, 64. A zero delay applies every update at once.
         */
        public Builder stateUpdateBatching(Duration delay, int maxBatch) {
            stateUpdateDelay = delay;
            stateUpdateMaxBatch = maxBatch;
            return this;
        }

        /** How long {@link PreExecutor#close()} waits for queued work. Default 5 s. */
        public Builder drainTimeout(Duration v) { drainTimeout = v; return this; }

        /**
         * How long a snapshot being received may go without its first or next chunk, while connected,
         * before it is asked for again (0..1 h; zero: never). Above the primary's usual pauses (it
         * waits up to 30 s for a link to drain between chunks, and defers a peer's requests by its
         * {@code snapshotMinInterval}); a request that also waited for a snapshot reader busy with
         * other peers can time out, and then the primary stops streaming the superseded one and
         * serves the new one. Default 60 s.
         */
        public Builder snapshotTimeout(Duration v) { snapshotTimeout = v; return this; }

        /** Age past which a speculative write that never committed stops shadowing the replica. Default 5 s. */
        public Builder speculationTtl(Duration v) { speculationTtl = v; return this; }

        /** Heartbeat (and load report) period. Default 1 s. */
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }

        /**
         * How long a RESULT sent from a worker may wait for others to share its flush and sealed
         * record ({@code TransportConfig.sendLinger}): 0..1 ms. Default {@link #DEFAULT_SEND_LINGER}
         * (1 ms), which lingers only on a busy link (one whose last batch went less than a linger
         * before); 0: a batch is what queued while the I/O thread was busy.
         */
        public Builder sendLinger(Duration v) { sendLinger = v; return this; }

        /** Transactions queued or running past which EXECUTEs are refused. Default 65,536. */
        public Builder maxQueuedTransactions(int v) { maxQueuedTransactions = v; return this; }

        /** The transport. Default {@link Transport#netty()}; tests pass an in-memory one. */
        public Builder transport(Transport v) { transport = v; return this; }

        /** The executor (engine and precompiles). Default: the built-in engine, verifier = node id. */
        public Builder executor(TransactionExecutor v) { executor = v; return this; }

        /**
         * Time (park deadlines, speculation ages, rates, the drain) and threads (state, workers,
         * lease). Default {@link Scheduling#system()}; the cluster simulator passes a virtual one.
         */
        public Builder scheduling(Scheduling v) { scheduling = v; return this; }

        /**
         * The start-up warm-up: from {@link PreExecutor#start()}, overlapped with connecting and the
         * snapshot download, one thread signs, verifies, pre-executes (with {@link #executor}, on a
         * private in-memory state) and encodes up to {@code transactions} synthetic transactions,
         * for at most {@code maxTime}; the pre-executor reports itself synced only once it has ended.
         * A cold JVM otherwise answers its first transactions (Ed25519 and Bouncy Castle loading,
         * the JIT) so slowly that the primary marks a joining pre-executor stalled. It never touches
         * the replica, the network or the counters of real work ({@link PreExecutorMetrics#warmupNanos}
         * records its duration). {@code transactions = 0} turns it off (synced as soon as a snapshot
         * is installed). Default 500 transactions, at most 2 s; off under a virtual
         * {@link #scheduling} ({@link Scheduling#isVirtual()}): it runs on a real thread in real time,
         * and a simulated run would depend on how fast that went.
         */
        public Builder warmup(int transactions, Duration maxTime) {
            warmupTransactions = transactions;
            warmupMaxTime = maxTime;
            return this;
        }

        /**
         * Lazy join: from its first connection until its first snapshot is installed, the
         * pre-executor takes work at once, fetching the objects each transaction declares (and the
         * undeclared ones it reads) from the primary on demand (OBJECT_REQUEST, batched and paced
         * below the primary's limit) instead of waiting for the whole state: a newcomer is useful
         * within a round trip of joining, whatever the state's size. Until the snapshot lands the
         * replica gets no updates, so objects fetched go stale as commits change them; a result
         * read stale is re-executed by the primary (which checks every read version) and the object
         * is fetched afresh. Default on; off under a virtual {@link #scheduling} (the simulator's
         * traces stay those of the snapshot path) unless set. Off: SYNCED only once the snapshot
         * is installed.
         */
        public Builder lazyJoin(boolean on) { lazyJoin = on; return this; }

        private boolean lazyJoin() {
            return lazyJoin != null ? lazyJoin : !scheduling.isVirtual();
        }

        /** Tests: run on the warm-up thread before each synthetic transaction (to hold the warm-up there). */
        Builder warmupHook(Runnable v) { warmupHook = v; return this; }

        /** The warm-up's transactions: as set, else the default for {@link #scheduling} (call after checking it). */
        private int warmupTransactions() {
            return warmupTransactions != null ? warmupTransactions : scheduling.isVirtual() ? 0 : 500;
        }

        /** Validates and builds an unstarted pre-executor. */
        public PreExecutor build() {
            int idLen = nodeId == null ? 0 : nodeId.getBytes(StandardCharsets.UTF_8).length;
            check(idLen >= 1 && idLen <= 255, "nodeId", nodeId, "1..255 UTF-8 bytes");
            check(primaryHost != null && !primaryHost.isBlank(), "primaryHost", primaryHost, "a host name or address");
            check(primaryPort >= 0 && primaryPort <= 65535, "primaryPort", primaryPort, "0..65535");
            check(nodeKey != null || clusterSecret != null, "nodeKey", null, "32 bytes, or a clusterSecret");
            check(frameProtection != null, "frameProtection", null, "NONE, AUTHENTICATED or ENCRYPTED");
            check(nodeKey == null || nodeKey.length == 32, "nodeKey", nodeKey == null ? null : "<" + nodeKey.length
                    + " bytes>", "32 bytes");
            check(clusterSecret == null || clusterSecret.length >= TransportConfig.MIN_SECRET_LENGTH, "clusterSecret",
                    clusterSecret == null ? null : "<" + clusterSecret.length + " bytes>",
                    ">= " + TransportConfig.MIN_SECRET_LENGTH + " bytes");
            check(workerThreads >= 1 && workerThreads <= 1024, "workerThreads", workerThreads, "1..1024");
            positive("parkTimeout", parkTimeout);
            check(stateUpdateDelay != null && !stateUpdateDelay.isNegative(), "stateUpdateDelay", stateUpdateDelay,
                    ">= 0");
            check(stateUpdateMaxBatch >= 1, "stateUpdateMaxBatch", stateUpdateMaxBatch, ">= 1");
            check(drainTimeout != null && !drainTimeout.isNegative(), "drainTimeout", drainTimeout, ">= 0");
            check(snapshotTimeout != null && !snapshotTimeout.isNegative()
                    && snapshotTimeout.compareTo(Duration.ofHours(1)) <= 0, "snapshotTimeout", snapshotTimeout, "0..1 h");
            positive("speculationTtl", speculationTtl);
            check(sendLinger != null && !sendLinger.isNegative()
                    && sendLinger.compareTo(TransportConfig.MAX_SEND_LINGER) <= 0, "sendLinger", sendLinger, "0..1ms");
            check(heartbeatInterval != null && heartbeatInterval.compareTo(Duration.ofMillis(1)) >= 0
                    && heartbeatInterval.compareTo(Duration.ofHours(1)) <= 0, "heartbeatInterval", heartbeatInterval,
                    "1 ms..1 h, the range the transport handshake carries");
            check(maxQueuedTransactions >= 1, "maxQueuedTransactions", maxQueuedTransactions, ">= 1");
            check(transport != null, "transport", null, "non-null");
            check(scheduling != null, "scheduling", null, "non-null");
            check(warmupTransactions() >= 0 && warmupTransactions() <= 1_000_000, "warmupTransactions",
                    warmupTransactions(), "0..1,000,000 (0: off)");
            check(warmupMaxTime != null && warmupMaxTime.compareTo(Duration.ofMillis(1)) >= 0
                    && warmupMaxTime.compareTo(Duration.ofMinutes(1)) <= 0, "warmupMaxTime", warmupMaxTime,
                    "1 ms..1 min");
            return new PreExecutor(this);
        }

        private static void positive(String name, Duration d) {
            check(d != null && !d.isNegative() && !d.isZero(), name, d, "a positive duration");
        }

        private static void check(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                throw new IllegalArgumentException(name + "=" + Objects.toString(value) + " (expected: " + expected + ")");
            }
        }
    }
}
