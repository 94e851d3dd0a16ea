package io.remora.examples.ratis;

import io.remora.bench.harness.PreExecutorProcesses;
import io.remora.bench.harness.WorkloadSpec;
import io.remora.core.Digest;
import io.remora.core.StoredObject;
import io.remora.core.codec.MessageCodec;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.StateDigest;
import io.remora.primary.FsyncPolicy;
import io.remora.primary.PeerStatus;
import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;

/**
 * One validator: a Ratis server whose state machine is the commit hook of an embedded
 * {@link RemoraPrimary} (RocksDB under {@code <data-dir>/primary}), a {@link RemoraCluster} on an
 * ephemeral loopback port with its own pre-executor processes, a {@link Proposer} that turns admitted
 * transactions into Raft entries, and the client HTTP API ({@link ValidatorHttpApi}).
 *
 * <pre>
 *  client ──HTTP /submit──► RemoraCluster.submit ──► own pre-executor(s) (speculation)
 *     │                          └─ConsensusSubmitter─► Proposer ──BATCH──► Raft (Ratis) log
 *     └─(gossip) other validators' /submit: their pre-executors only     │ applyTransaction, log order
 *                                  DigestChain ◄── effects ◄── primary.submitCommit(k, txs)
 *                                      └─ head ──► Proposer ──ATTEST──► Raft log ──► every replica compares
 * </pre>
 *
 * <p>Thread-safety: built and closed by one thread; the parts are safe as their own javadoc says.
 */
final class Validator implements AutoCloseable {
    /** The Raft group of the example (one group, fixed id: every validator derives the same). */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
            "remora-example-validators".getBytes(StandardCharsets.US_ASCII)));

    private final ValidatorConfig cfg;
    private final ThreadLocal<Boolean> gossiped = ThreadLocal.withInitial(() -> false);
    private RemoraPrimary primary;
    private io.remora.primary.micrometer.PrimaryPrometheus metrics;
    private RemoraCluster cluster;
    private PreExecutorProcesses preExecutors;
    private RaftServer server;
    private RaftClient client;
    private Proposer proposer;
    private DigestChain chain;
    private ValidatorStateMachine stateMachine;
    private ValidatorHttpApi api;

    Validator(ValidatorConfig cfg) {
        this.cfg = cfg;
    }

    void start() throws IOException, InterruptedException {
        Files.createDirectories(cfg.dataDir());
        List<StoredObject> genesis = WorkloadSpec.parse(cfg.workload()).generator(cfg.seed()).genesis();
        primary = RemoraPrimary.builder()
                .dataDirectory(cfg.dataDir().resolve("primary"))
                .transactionExecutor(cfg.faultInjection()
                        ? new TransactionExecutor(new FaultyEngine(), BuiltinEngine.precompiles(), cfg.id())
                        : BuiltinEngine.executor(cfg.id()))
                .genesis(genesis)
                .fsyncPolicy(cfg.fsync() ? FsyncPolicy.EVERY_COMMIT : FsyncPolicy.NEVER)
                .build();
        primary.start();
        phase("primary started (RocksDB open, last durable commit " + primary.lastExecutedCommit() + ")");
        chain = new DigestChain(genesisDigest(genesis));

        RaftGroup group = group(cfg.peers());
        RaftProperties props = raftProperties(cfg.dataDir().resolve("ratis"), cfg.self().raftPort());
        client = RaftClient.newBuilder().setProperties(props).setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
        proposer = new Proposer(cfg.id(), client, cfg.maxBatch(), 4 << 20, cfg.linger(), 8, 100_000);

        byte[] rnd = new byte[24];
        new SecureRandom().nextBytes(rnd);
        // A fresh cluster secret per process life: only this validator's own pre-executors use it.
        byte[] secret = HexFormat.of().formatHex(rnd).getBytes(StandardCharsets.US_ASCII);
        cluster = RemoraCluster.builder().primary(primary).bindHost("127.0.0.1").port(0).clusterSecret(secret)
                .nodeId(cfg.id())
                .consensus(tx -> {
                    if (!gossiped.get() && !proposer.propose(MessageCodec.encode(tx))) {
                        throw new IllegalStateException("proposal queue full");
                    }
                })
                .build().start();
        if (cfg.metricsPort() >= 0) {
            metrics = io.remora.primary.micrometer.PrimaryPrometheus.serve(
                    new java.net.InetSocketAddress("127.0.0.1", cfg.metricsPort()), cfg.id()).bind(primary).bind(cluster);
            phase("metrics on " + metrics.url());
        }
        preExecutors = new PreExecutorProcesses();
        preExecutors.start(cfg.preExecutors(), "127.0.0.1", cluster.port(), secret, cfg.preExecutorThreads(),
                cfg.dataDir().resolve("logs"));
        phase("cluster service on port " + cluster.port() + ", " + cfg.preExecutors() + " pre-executor process(es) started");

        stateMachine = new ValidatorStateMachine(primary, chain, proposer::attest);
        Path ratisDir = cfg.dataDir().resolve("ratis");
        boolean fresh = !Files.isDirectory(ratisDir) || isEmpty(ratisDir);
        server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(cfg.id())).setGroup(group)
                .setProperties(props).setStateMachine(stateMachine)
                .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        phase("Raft server started");
        // Attest the head we start from (genesis, or the recovered chain once replayed): once every
        // replica has applied every validator's first attestation, the Raft path works end to end.
        proposer.attest(chain.head());
        api = new ValidatorHttpApi(this, cfg);
        api.start();
    }

    private static void phase(String what) {
        System.out.println("[" + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms] " + what);
    }

    static RaftGroup group(List<ValidatorConfig.Peer> peers) {
        return RaftGroup.valueOf(GROUP_ID, peers.stream()
                .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.host() + ":" + p.raftPort()).build())
                .toList());
    }

    private static RaftProperties raftProperties(Path storage, int port) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(storage.toFile()));
        GrpcConfigKeys.Server.setPort(p, port);
        // Election timeouts well above a GC pause or a scheduling hiccup of a loaded 2-core machine.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        // The leader retries a follower it cannot reach every 100 ms (Ratis' default backs off to 5 s after
        // ~30 failures, which made a validator restarted after 20 s wait up to 5 s more for its first entry).
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10, 100ms,1000000");
        return p;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static Digest genesisDigest(List<StoredObject> genesis) {
        StateDigest d = new StateDigest();
        genesis.forEach(d::add);
        return d.digest();
    }

    /** Admits a client's transaction (routing + proposal), or, for gossip, routing only. */
    io.remora.primary.SubmitOutcome admit(byte[] encoded, boolean gossip) {
        gossiped.set(gossip);
        try {
            return cluster.submit(encoded);
        } finally {
            gossiped.set(false);
        }
    }

    RemoraPrimary primary() {
        return primary;
    }

    RemoraCluster cluster() {
        return cluster;
    }

    DigestChain chain() {
        return chain;
    }

    Proposer proposer() {
        return proposer;
    }

    ValidatorStateMachine stateMachine() {
        return stateMachine;
    }

    /** LEADER, FOLLOWER, CANDIDATE... as Ratis sees this server now. */
    String role() {
        try {
            return server.getDivision(GROUP_ID).getInfo().getCurrentRole().name();
        } catch (IOException | RuntimeException e) {
            return "UNKNOWN";
        }
    }

    long syncedPreExecutors() {
        return cluster.peers().stream().filter(PeerStatus::synced).count();
    }

    @Override
    public void close() {
        closeQuietly(api);
        closeQuietly(metrics);
        closeQuietly(proposer);
        closeQuietly(client);
        closeQuietly(server);
        closeQuietly(cluster);
        closeQuietly(preExecutors);
        closeQuietly(primary);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("close " + c.getClass().getSimpleName() + ": " + e);
        }
    }
}
