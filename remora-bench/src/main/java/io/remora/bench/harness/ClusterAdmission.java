package io.remora.bench.harness;

import io.remora.core.Digest;
import io.remora.core.Transaction;
import io.remora.primary.PeerStatus;
import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;
import io.remora.primary.SubmitOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Admission through a {@link RemoraCluster} on loopback with k pre-executor (or injector) processes: each
 * transaction is routed to one pre-executor and handed (by the cluster, on the submitting thread) to
 * the simulated consensus.
 *
 * <p>A pre-executor that does not start or sync within {@link #SYNC_TIMEOUT} is reported on the log
 * and the run goes on without it (the primary executes what has no result), so the digest check still
 * runs. Not thread-safe: the load generator thread submits.
 */
final class ClusterAdmission implements Admission {
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    private final RemoraCluster cluster;
    private final RunConfig cfg;
    private final RemoraPrimary primary;
    private final Map<SubmitOutcome, Long> outcomes = new EnumMap<>(SubmitOutcome.class);
    private io.remora.primary.Autoscaler autoscaler;
    /** The processes this admission started and what a replacement needs (null with warm pre-executors). */
    private final PreExecutorProcesses children;
    private final byte[] secret;
    private final Path logDir;

    private ClusterAdmission(RemoraCluster cluster, RunConfig cfg, RemoraPrimary primary, PreExecutorProcesses children,
                             byte[] secret, Path logDir) {
        this.cluster = cluster;
        this.cfg = cfg;
        this.primary = primary;
        this.children = children;
        this.secret = secret;
        this.logDir = logDir;
    }

    static Admission start(RunConfig cfg, RemoraPrimary primary, SimulatedConsensus<Integer> consensus,
                           List<Transaction> txs, PreExecutorProcesses children, Path logDir, PrintStream log,
                           RunObserver observer, WarmPreExecutors warm) throws IOException, InterruptedException {
        int n = Math.min(txs.size(), cfg.transactionsNeeded());
        Map<Digest, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(txs.get(i).digest(), i);
        }
        byte[] secret = warm != null ? warm.secret : newSecret();
        RemoraCluster cluster = RemoraCluster.builder().primary(primary).bindHost("127.0.0.1")
                .port(warm != null ? warm.port() : 0)
                .clusterSecret(secret)
                .frameProtection(cfg.frameProtection())
                .admissionBacklog(cfg.admissionBacklog())
                .routingStickiness(cfg.routingStickiness() != null ? cfg.routingStickiness() : Duration.ZERO)
                .sendLinger(cfg.sendLinger() != null ? cfg.sendLinger() : RemoraCluster.Builder.DEFAULT_SEND_LINGER)
                // Default heartbeat; it need not match PreExecutorMain's (the transport negotiates liveness).
                .consensus(tx -> {
                    Integer i = index.get(tx.digest());
                    if (i == null) {
                        throw new IllegalStateException("unknown transaction " + tx.digest());
                    }
                    consensus.offer(i, System.nanoTime());
                })
                .build().start();
        ClusterAdmission admission = new ClusterAdmission(cluster, cfg, primary, warm != null ? null : children, secret,
                logDir);
        observer.clusterStarted(cluster);
        try {
            children.pinTo(cfg.preExecCpus());
            children.sendLinger(cfg.sendLinger());
            if (cfg.autoscale()) {
                // One to begin with; the autoscaler adds (up to cfg.preExecutors()) and removes them.
                LocalProcessProvisioner provisioner = new LocalProcessProvisioner(children, "127.0.0.1", cluster.port(),
                        secret, cfg.preExecThreads(), logDir);
                provisioner.start(1);
                admission.awaitSynced(1, children, log);
                admission.autoscaler = io.remora.primary.Autoscaler.builder().primary(primary).cluster(cluster)
                        .provisioner(provisioner)
                        .policy(io.remora.primary.ScalingPolicy.builder().preExecutors(1, cfg.preExecutors())
                                .scaleUpWindow(Duration.ofSeconds(1)).scaleDownWindow(Duration.ofSeconds(10)).build())
                        .drainDeadline(Duration.ofSeconds(5))
                        .listener(a -> {
                            if (a.changes()) {
                                io.remora.primary.ScalingSignals s = a.signals();
                                log.printf(java.util.Locale.ROOT, "%nautoscaler: %d -> %d pre-executors (%s; %d able,"
                                                + " mean queue %.1f, workers %s busy)%n", a.current(), a.desired(), a.reason(),
                                        s.preExecutors(), s.meanQueueDepth(),
                                        s.meanBusy() < 0 ? "?" : Math.round(100 * s.meanBusy()) + "%");
                            }
                        })
                        .build().start();
            } else if (warm != null) {
                // Started by the sweep's first point; later points' pre-executors reconnect and resync.
                warm.startOnce(cfg, cluster.port());
                admission.awaitSynced(cfg.preExecutors(), warm.processes, log);
            } else {
                children.start(cfg.preExecutors(), "127.0.0.1", cluster.port(), secret,
                        cfg.mode() == Mode.INJECTOR ? 0 : cfg.preExecThreads(), logDir);
                admission.awaitSynced(cfg.preExecutors(), children, log);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return admission;
    }

    private void awaitSynced(int k, PreExecutorProcesses children, PrintStream log) throws InterruptedException {
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long synced = cluster.peers().stream().filter(PeerStatus::synced).count();
            if (synced >= k) {
                return;
            }
            if (synced + children.failures().size() >= k) {
                break; // the missing ones exited: no point waiting
            }
            Thread.sleep(50);
        }
        long synced = cluster.peers().stream().filter(PeerStatus::synced).count();
        log.println();
        log.println("WARNING: only " + synced + " of " + k + " pre-executors connected and synced within "
                + SYNC_TIMEOUT.toSeconds() + " s; going on without the others (the primary executes locally what has no result).");
        log.println("  peers: " + cluster.peers());
        for (String f : children.failures()) {
            log.println("  " + f);
        }
        for (PreExecutorProcesses.Child c : children.children()) {
            if (c.process().isAlive()) {
                log.println("  " + c.nodeId() + " (pid " + c.pid() + ") still running; log " + c.log() + ": "
                        + PreExecutorProcesses.lastLines(c.log(), 2));
            }
        }
    }

    /** A random cluster secret, printable (PreExecutorMain drops trailing newline bytes of the secret file). */
    static byte[] newSecret() {
        byte[] rnd = new byte[24];
        new SecureRandom().nextBytes(rnd);
        return HexFormat.of().formatHex(rnd).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean submit(int index, Transaction tx) {
        SubmitOutcome o = cluster.submit(tx);
        outcomes.merge(o, 1L, Long::sum);
        return o.admitted();
    }

    @Override
    public int syncedPreExecutors() {
        return (int) cluster.peers().stream().filter(PeerStatus::synced).count();
    }

    @Override
    public String replacePreExecutor() throws IOException {
        if (children == null || cfg.mode() != Mode.REMORA) {
            throw new UnsupportedOperationException("replacement needs pre-executor processes of this run's own"
                    + " (not warm ones, not injectors)");
        }
        PreExecutorProcesses.Child victim = children.children().stream().filter(c -> c.process().isAlive())
                .findFirst().orElseThrow(() -> new IllegalStateException("no pre-executor running"));
        children.kill(victim);
        return children.start(1, "127.0.0.1", cluster.port(), secret, cfg.preExecThreads(), logDir).get(0).nodeId();
    }

    @Override
    public List<PeerStatus> peers() {
        return cluster.peers();
    }

    @Override
    public String describe() {
        long routed = outcomes.getOrDefault(SubmitOutcome.ROUTED, 0L);
        long local = outcomes.getOrDefault(SubmitOutcome.LOCAL_ONLY, 0L);
        long delegated = outcomes.getOrDefault(SubmitOutcome.DELEGATED, 0L);
        String lease = cfg.lease() ? "lease: " + primary.leaseMetrics() : "";
        if (local == 0 && outcomes.size() - (delegated > 0 ? 1 : 0) <= 1) {
            return delegated > 0 ? "admission: " + routed + " routed, " + delegated + " delegated (under a lease); " + lease
                    : lease;
        }
        // Why a pre-executor was not routable: stalled (work outstanding, no answer for the stall
        // timeout), between a reconnection and its next snapshot, or streaming a new one.
        io.remora.primary.ClusterMetrics m = cluster.metrics();
        String why = local == 0 ? "" : " (cluster: " + m.peersStalled() + " peers stalled, " + m.peersRecovered()
                + " recovered (" + m.peersRecoveredIdle() + " by an idle report), " + m.snapshotsServed() + " snapshots served, " + m.replacedConnections()
                + " replaced connections)";
        return "admission: " + routed + " routed, " + local + " local-only (no synced pre-executor)" + why + ", " + delegated
                + " delegated, other " + outcomes + (lease.isEmpty() ? "" : "; " + lease);
    }

    @Override
    public void close() {
        if (autoscaler != null) {
            autoscaler.close();
        }
        cluster.close();
    }
}
