package io.remora.primary.sim;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.Transaction;
import io.remora.core.canary.Canary;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import io.remora.primary.CommitEffects;
import io.remora.primary.FsyncPolicy;
import io.remora.primary.PeerStatus;
import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;
import io.remora.primary.SimAccess;
import io.remora.primary.TrustMode;
import io.remora.primary.internal.PrimaryRuntime;
import io.remora.transport.InMemoryTransport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One run of a whole Remora cluster in this JVM on virtual time: the real {@link RemoraPrimary}
 * (RocksDB in a temporary directory) and {@link RemoraCluster}, 1-8 real {@link PreExecutor}s, a
 * simulated consensus and clients, all over an {@link InMemoryTransport} whose every event goes
 * through a {@link SimNetwork}. Pre-executors and the cluster service run their executors on the
 * {@link SimScheduler}, so all of them run on this thread in one seeded order; the primary's own
 * threads (pipeline stages, Block-STM workers) are real, and this thread waits for each commit,
 * stepping virtual time only while the primary's result wait is blocked (the wait's probe), so the
 * primary never runs concurrently with a simulated event.
 *
 * <p>Invariants, checked as the run goes: every commit's effects and state digest equal the
 * sequential reference's on the consensus log (duplicates and forged copies included), also for
 * commits replayed after a crash; the primary's digest after recovery equals the reference's at
 * its last durable commit; no impostor is ever a peer; no task throws; and, once faults stop,
 * every commit completes within {@link #LIVENESS_NANOS} of virtual time and every pre-executor
 * still running drains its queue and catches up with the last commit.
 *
 * <p>Not thread-safe: one run, on the calling thread.
 */
final class ClusterSimulation implements AutoCloseable {
    static final long LIVENESS_NANOS = 5_000_000_000L;
    static final byte[] SECRET = "remora-simulated-cluster-secret".getBytes(StandardCharsets.UTF_8);
    private static final String HOST = "sim-primary";
    private static final int PORT = 7000;
    private static final int MAX_PRE_EXECUTORS = 8;

    /** What a run found. */
    record Outcome(SimCase simCase, String traceHash, List<String> violations, Stats stats, boolean exact) {
        boolean failed() {
            return !violations.isEmpty();
        }
    }

    /** Counts for the summary (faults injected by kind, work done). */
    record Stats(int faultsInjected, long messageFaults, int commits, int transactionsCommitted, long adopted,
                 long executed, int primaryCrashes, int preExecutorsStarted, long events, String network,
                 long parked, long lies, long leases, boolean lazyJoin, long objectRequests, long slowSnapshots,
                 long snapshotTimeouts, String peers) {
    }

    /** The crash the persistence hook throws (a crash at that boundary: the primary is gone). */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(PrimaryRuntime.PersistenceHook.Point point, long index, int chunk) {
            super("simulated crash " + point + " of commit " + index + " chunk " + chunk, null, false, false);
        }
    }

    private record Armed(PrimaryRuntime.PersistenceHook.Point point, int countdown) {
    }

    private final SimCase simCase;
    private final Random rnd;
    private final SimScheduler sched = new SimScheduler();
    private final Trace trace = new Trace(sched);
    private final SimNetwork network;
    private final InMemoryTransport transport;
    private final Workload workload;
    private final Path dir;
    private final List<String> violations = new ArrayList<>();
    // the primary and its cluster service (one incarnation at a time)
    private RemoraPrimary primary;
    private RemoraCluster cluster;
    private SimScheduler.Node clusterNode;
    private volatile Armed armed;
    private volatile boolean crashed;
    private int crashes;
    private long adoptedBefore;
    private long leasesBefore;
    /**
     * The pre-executors' snapshot timeout: shorter than the longest held-back SNAPSHOT_REQUEST
     * ({@link SimCase.Kind#SLOW_SNAPSHOT}, up to 155 ms), so some requests are asked again while the
     * first is still on its way.
     */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofMillis(100);
    /** The counters of pre-executors no longer running (killed or left), for the summary. */
    private final List<io.remora.preexec.PreExecutorMetrics> retired = new ArrayList<>();
    private long executedBefore;
    private final int workerThreads;
    private final long resultWaitNanos;
    private final int chunkSize;
    /** Result table slots: small ones make evictions happen under the faults. */
    private final int tableCapacity;
    private static final long PER_PEER_BUDGET = 1L << 20;
    private static final long TOTAL_BUDGET = 4L << 20;
    private final TrustMode trustMode;
    /**
     * Half the seeds run their pre-executors with a lazy join (work before the snapshot, objects
     * fetched with OBJECT_REQUEST); drawn from its own stream, so the other draws of a seed stay as
     * they were.
     */
    private final boolean lazyJoin;
    private final double auditRate;
    private final io.remora.primary.LeasePolicy leases;
    /** Whether a cross-checked cluster of this seed has a lying pre-executor. */
    private final boolean liars;
    private final Map<Digest, Transaction> byDigest = new HashMap<>();
    private LiarTransport liarTransport;
    // pre-executors
    private final List<Px> live = new ArrayList<>();
    private int pxStarted;
    private final Map<String, Integer> incarnations = new HashMap<>();
    // consensus and the host
    private final SimConsensus consensus;
    private final Map<Long, CommitEffects> received = new HashMap<>();
    private long nextToDeliver;
    private int faultsInjected;
    private int impostors;

    private static final class Px {
        final String id;
        final PreExecutor preExecutor;
        final SimScheduler.Node node;
        boolean paused;

        Px(String id, PreExecutor preExecutor, SimScheduler.Node node) {
            this.id = id;
            this.preExecutor = preExecutor;
            this.node = node;
        }
    }

    ClusterSimulation(SimCase simCase) throws IOException {
        this.simCase = simCase;
        this.rnd = SimCase.random(simCase.seed(), 1);
        this.network = new SimNetwork(sched, SimCase.random(simCase.seed(), 3), simCase.network(), trace);
        this.transport = new InMemoryTransport(network);
        this.workload = workload(SimCase.mix(simCase.seed(), 5), rnd.nextInt(4)).take(simCase.transactions());
        this.dir = Files.createTempDirectory("remora-sim-");
        // One Block-STM worker keeps the primary's execution on one thread, so the run is exact; a
        // quarter of the seeds use 2-3 real worker threads: effects are still checked, but which
        // results Block-STM adopts (and so the trace) may differ between two runs of such a seed.
        this.workerThreads = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(2) : 1;
        this.resultWaitNanos = new long[] {0, 2_000_000L, 10_000_000L}[rnd.nextInt(3)];
        this.chunkSize = new int[] {3, 8, 16_384}[rnd.nextInt(3)];
        this.tableCapacity = new int[] {8, 64, 200_000}[rnd.nextInt(3)];
        this.lazyJoin = (SimCase.mix(simCase.seed(), 6) & 1) == 0;
        this.trustMode = simCase.canary() == Canary.CROSS_CHECK_TRUSTS_ONE || rnd.nextInt(4) == 0
                ? TrustMode.CROSS_CHECKED : TrustMode.TRUSTED;
        this.auditRate = rnd.nextBoolean() ? 0 : 0.05;
        // Leases (TRUSTED only) in a third of the seeds, with thresholds low enough to grant them
        // here: the delegate then executes the leased transactions authoritatively; killing,
        // pausing or cutting it off are the delegate failures.
        this.leases = trustMode == TrustMode.TRUSTED && rnd.nextInt(3) == 0
                ? io.remora.primary.LeasePolicy.defaults().withOverload(0, 0.02 + rnd.nextDouble() * 0.2, 1 + rnd.nextInt(3))
                        .withCalm(0.01, 3 + rnd.nextInt(20)).withTerm(Duration.ofMillis(50 + rnd.nextInt(250)))
                        .withAnswerWait(Duration.ofMillis(2 + rnd.nextInt(30)))
                : io.remora.primary.LeasePolicy.disabled();
        this.liars = simCase.canary() == Canary.CROSS_CHECK_TRUSTS_ONE || rnd.nextBoolean();
        for (Transaction tx : workload.transactions()) {
            byDigest.put(tx.digest(), tx);
        }
        this.consensus = new SimConsensus(sched, SimCase.random(simCase.seed(), 2), trace, workload);
    }

    /** Test hook: see {@link SimScheduler#realTimeJitter}; call before {@link #run}. */
    ClusterSimulation realTimeJitter(long jitterSeed, long maxNanos) {
        sched.realTimeJitter(new Random(jitterSeed), maxNanos);
        return this;
    }

    /**
     * The seed's workload: the demo mix (conflicts on hot counters and registries), transfers among
     * few accounts (chains of one sender's transactions: pre-executors park on missing versions), or
     * very hot counters.
     */
    private static io.remora.core.workload.WorkloadGenerator workload(long seed, int pick) {
        return switch (pick) {
            case 0, 1 -> Workloads.mixed(seed);
            case 2 -> Workloads.transfers(seed, 3 + Math.floorMod(seed, 6));
            default -> Workloads.sharedCounters(seed, 4, 0.99);
        };
    }

    /** Runs the case to its end (or its first violation) and reports. */
    Outcome run() {
        Canary.plant(simCase.canary());
        try {
            startPrimary();
            int initial = 1 + rnd.nextInt(3);
            for (int i = 0; i < initial; i++) {
                startPreExecutor(null);
            }
            scheduleClients();
            scheduleTicks();
            List<SimCase.Fault> faults = simCase.active();
            int nextFault = 0;
            long faultEnd = SimScheduler.EPOCH + SimCase.FAULT_PHASE_NANOS;
            long deadline = faultEnd + LIVENESS_NANOS;
            boolean calm = false;
            while (violations.isEmpty()) {
                long now = sched.now();
                if (!calm && now >= faultEnd) {
                    calm = true;
                    endFaults();
                }
                if (consensus.ready(nextToDeliver)) {
                    deliver(nextToDeliver);
                    continue;
                }
                if (nextFault < faults.size() && SimScheduler.EPOCH + faults.get(nextFault).atNanos() <= now) {
                    inject(faults.get(nextFault++));
                    continue;
                }
                if (calm && consensus.idle() && nextToDeliver == consensus.size() && clientsDone) {
                    break;
                }
                if (now > deadline) {
                    violations.add("liveness: commit " + nextToDeliver + " of " + consensus.size() + " not done "
                            + LIVENESS_NANOS / 1_000_000 + " ms after faults stopped (mempool " + consensus.pending()
                            + ")");
                    break;
                }
                long limit = Math.min(nextFault < faults.size()
                        ? SimScheduler.EPOCH + faults.get(nextFault).atNanos() : Long.MAX_VALUE,
                        consensus.readyAt(nextToDeliver));
                limit = Math.min(limit, calm ? deadline + 1 : faultEnd);
                if (!sched.runNext(limit)) {
                    sched.advanceTo(limit);
                }
            }
            if (violations.isEmpty()) {
                checkQuiescence();
            }
            for (Throwable t : sched.uncaught()) {
                violations.add("a task threw: " + t);
            }
        } catch (RuntimeException | InterruptedException | ExecutionException | IOException e) {
            violations.add("simulation failed: " + e + stack(e));
        } finally {
            Canary.plant(null);
        }
        return new Outcome(simCase, trace.hash(), List.copyOf(violations), stats(), workerThreads == 1);
    }

    private static String stack(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement el : e.getStackTrace()) {
            if (sb.length() > 1200) {
                break;
            }
            sb.append("\n    at ").append(el);
        }
        return sb.toString();
    }

    private Stats stats() {
        long adopted = adoptedBefore;
        long executed = executedBefore;
        if (primary != null) {
            adopted += primary.metrics().adopted();
            executed += primary.metrics().transactionsExecuted();
        }
        int committed = consensus.transactions();
        String peers = "";
        if (cluster != null) {
            try {
                peers = cluster.peers().toString();
            } catch (RuntimeException closed) {
                peers = "?";
            }
        }
        StringBuilder pxs = new StringBuilder();
        for (Px p : live) {
            pxs.append(' ').append(p.preExecutor.nodeId()).append(":w").append(p.preExecutor.watermark())
                    .append(",q").append(p.preExecutor.queueDepth()).append(",").append(p.preExecutor.metrics());
        }
        return new Stats(faultsInjected, network.injected(), consensus.size(), committed, adopted, executed, crashes,
                pxStarted, sched.ran(), network.summary(), preExecutorTotal(io.remora.preexec.PreExecutorMetrics::parked),
                liarTransport == null ? 0 : liarTransport.lies(),
                leasesBefore + (primary == null ? 0 : primary.leaseMetrics().granted()), lazyJoin,
                preExecutorTotal(io.remora.preexec.PreExecutorMetrics::objectRequestsSent), network.slowSnapshots(),
                preExecutorTotal(io.remora.preexec.PreExecutorMetrics::snapshotTimeouts), peers + pxs);
    }

    /** {@code counter} summed over every pre-executor of the run, running or not. */
    private long preExecutorTotal(java.util.function.ToLongFunction<io.remora.preexec.PreExecutorMetrics> counter) {
        long sum = 0;
        for (io.remora.preexec.PreExecutorMetrics m : retired) {
            sum += counter.applyAsLong(m);
        }
        for (Px p : live) {
            sum += counter.applyAsLong(p.preExecutor.metrics());
        }
        return sum;
    }

    // ---- the primary ------------------------------------------------------------------------

    private void startPrimary() {
        String primaryId = crashes == 0 ? "primary" : "primary~" + (crashes + 1);
        network.primary(primaryId);
        clusterNode = sched.node(primaryId);
        PrimaryRuntime.PersistenceHook hook = (point, index, chunk) -> {
            Armed a = armed;
            if (a != null && a.point() == point) {
                if (a.countdown() <= 0) {
                    armed = null;
                    crashed = true;
                    throw new SimulatedCrash(point, index, chunk);
                }
                armed = new Armed(point, a.countdown() - 1);
            }
        };
        RemoraPrimary.Builder b = RemoraPrimary.builder().dataDirectory(dir.resolve("db"))
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(workload.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).workerThreads(workerThreads)
                .resultWaitTimeout(Duration.ofNanos(Math.max(1, resultWaitNanos)))
                .commitChunkSize(chunkSize).resultTableCapacity(tableCapacity)
                .resultBudgets(PER_PEER_BUDGET, TOTAL_BUDGET).trustMode(trustMode).auditRate(auditRate).leasePolicy(leases)
                .auditSecret("sim-audit-secret".getBytes(StandardCharsets.UTF_8)).scheduling(clusterNode);
        primary = SimAccess.persistenceHook(b, hook).build();
        primary.start();
        cluster = RemoraCluster.builder().primary(primary).clusterSecret(SECRET).bindHost(HOST).port(PORT)
                .consensus(consensus::propose).transport(transport).scheduling(clusterNode)
                .stallTimeout(Duration.ofMillis(100)).snapshotMinInterval(Duration.ofMillis(50))
                .routingSeed(simCase.seed()).nodeId(primaryId).build();
        cluster.start();
        trace.add("primary-start", primary.lastExecutedCommit(), primary.stateDigest(), workerThreads,
                leases.enabled());
        Digest expected = consensus.expectedDigest(primary.lastExecutedCommit());
        if (!expected.equals(primary.stateDigest())) {
            violations.add("recovered state digest at commit " + primary.lastExecutedCommit() + " is "
                    + primary.stateDigest() + ", the reference's " + expected);
        }
        // the host replays from the first commit whose effects it has not seen
        long first = 0;
        while (received.containsKey(first)) {
            first++;
        }
        nextToDeliver = Math.min(first, primary.lastExecutedCommit() + 1);
    }

    private void crashPrimary() {
        crashes++;
        adoptedBefore += primary.metrics().adopted();
        executedBefore += primary.metrics().transactionsExecuted();
        leasesBefore += primary.leaseMetrics().granted();
        trace.add("primary-crash", crashes);
        clusterNode.kill();
        network.kill(network.primary());
        cluster.close();
        primary.close();
        crashed = false;
        armed = null;
        startPrimary();
    }

    /**
     * Hands commit {@code first} to the primary, and in the non-exact seeds up to two more that are
     * ready (so that one commit executes while the previous one is persisted and published, as in
     * production), then waits for their effects in order, stepping time while the primary waits
     * for results.
     */
    private void deliver(long first) throws InterruptedException, ExecutionException {
        PrimaryRuntime rt = SimAccess.runtime(primary);
        int depth = workerThreads == 1 ? 1 : 3;
        List<CompletableFuture<CommitEffects>> inFlight = new ArrayList<>();
        long[] seen = {rt.resultWaitEntries()}; // read before submitting: the first wait may start at once
        for (long i = first; i < first + depth && consensus.ready(i); i++) {
            inFlight.add(primary.submitCommit(i, consensus.commit(i)));
        }
        for (int k = 0; k < inFlight.size(); k++) {
            CompletableFuture<CommitEffects> f = inFlight.get(k);
            sched.stepWhileWaiting(rt, f, seen);
            CommitEffects ce;
            try {
                ce = f.get();
            } catch (ExecutionException e) {
                if (crashed) {
                    inFlight.forEach(g -> sched.stepWhileWaiting(rt, g, seen));
                    crashPrimary();
                    return;
                }
                throw e;
            }
            long index = first + k;
            check(index, ce);
            checkBounds(rt);
            nextToDeliver = index + 1;
            if (!violations.isEmpty()) {
                inFlight.forEach(g -> sched.stepWhileWaiting(rt, g, seen));
                return;
            }
        }
    }

    /** The result table within its capacity and byte budgets (per source and in all). */
    private void checkBounds(PrimaryRuntime rt) {
        long[] u = rt.resultTableUsage();
        if (u[0] > tableCapacity || u[2] > TOTAL_BUDGET || u[3] > PER_PEER_BUDGET) {
            violations.add("result table over its bounds: slots " + u[0] + "/" + tableCapacity + ", bytes " + u[2]
                    + "/" + TOTAL_BUDGET + ", one source " + u[3] + "/" + PER_PEER_BUDGET);
        }
    }

    private void check(long index, CommitEffects ce) {
        trace.add("commit", index, ce.effects().size(), ce.stateDigest(), ce.timings().replayed());
        CommitEffects before = received.putIfAbsent(index, ce);
        if (before != null && !(before.effects().equals(ce.effects()) && before.stateDigest().equals(ce.stateDigest()))) {
            violations.add("commit " + index + " delivered twice with different effects");
            return;
        }
        List<Effects> expected = consensus.expectedEffects(index);
        if (!expected.equals(ce.effects())) {
            for (int i = 0; i < expected.size(); i++) {
                if (i >= ce.effects().size() || !expected.get(i).equals(ce.effects().get(i))) {
                    violations.add("commit " + index + " position " + i + ": effects " + (i < ce.effects().size()
                            ? ce.effects().get(i) : "missing") + ", the reference's " + expected.get(i));
                    return;
                }
            }
            violations.add("commit " + index + ": " + ce.effects().size() + " effects, the reference has "
                    + expected.size());
            return;
        }
        if (!consensus.expectedDigest(index).equals(ce.stateDigest())) {
            violations.add("commit " + index + ": state digest " + ce.stateDigest() + ", the reference's "
                    + consensus.expectedDigest(index));
        }
    }

    // ---- pre-executors ----------------------------------------------------------------------

    private void startPreExecutor(String replacing) {
        if (live.size() >= MAX_PRE_EXECUTORS) {
            return;
        }
        String base = replacing != null ? replacing : "px-" + (++pxStarted);
        if (replacing != null) {
            pxStarted++;
        }
        int inc = incarnations.merge(base, 1, Integer::sum);
        String id = inc == 1 ? base : base + "~" + inc;
        SimScheduler.Node node = sched.node(id);
        // In a cross-checked cluster the first pre-executor of some seeds is compromised: it lies
        // in a share of its results (one liar among the replicas must change nothing).
        boolean liar = trustMode == TrustMode.CROSS_CHECKED && liars && pxStarted == 1 && replacing == null;
        io.remora.transport.Transport t = transport;
        if (liar) {
            liarTransport = new LiarTransport(transport, byDigest, SimCase.random(simCase.seed(), 4), 0.5);
            t = liarTransport;
        }
        PreExecutor px = PreExecutor.builder().nodeId(id).primary(HOST, PORT).clusterSecret(SECRET)
                .transport(t).scheduling(node).workerThreads(1 + rnd.nextInt(3))
                .parkTimeout(Duration.ofMillis(5 + rnd.nextInt(30))).drainTimeout(Duration.ofMillis(200))
                .stateUpdateBatching(Duration.ofMillis(rnd.nextInt(3)), 1 + rnd.nextInt(64))
                .lazyJoin(lazyJoin).snapshotTimeout(SNAPSHOT_TIMEOUT).executor(BuiltinEngine.executor(id)).build();
        px.start();
        live.add(new Px(base, px, node));
        trace.add("px-start", id + (lazyJoin ? " lazy" : ""));
    }

    private Px pick(int target) {
        if (live.isEmpty()) {
            return null;
        }
        List<Px> sorted = new ArrayList<>(live);
        sorted.sort(Comparator.comparing(p -> p.preExecutor.nodeId()));
        return sorted.get(Math.floorMod(target, sorted.size()));
    }

    private void kill(Px p) {
        String id = p.preExecutor.nodeId();
        network.kill(id);
        p.node.kill();
        retired.add(p.preExecutor.metrics());
        transport.disconnect(id);
        live.remove(p);
        trace.add("px-kill", id);
    }

    // ---- faults -----------------------------------------------------------------------------

    private void inject(SimCase.Fault f) throws IOException {
        faultsInjected++;
        trace.add("fault", f);
        Px p = pick(f.target());
        switch (f.kind()) {
            case KILL -> {
                if (p != null) {
                    kill(p);
                }
            }
            case RESTART -> {
                if (p != null) {
                    kill(p);
                    startPreExecutor(p.id);
                }
            }
            case PAUSE -> {
                if (p != null && !p.paused) {
                    p.paused = true;
                    p.node.pauseMachine();
                    network.pause(p.preExecutor.nodeId());
                    sched.at(f.duration(), () -> resume(p));
                }
            }
            case JOIN -> startPreExecutor(null);
            case LEAVE -> {
                if (p != null && !p.paused) {
                    live.remove(p);
                    retired.add(p.preExecutor.metrics());
                    p.preExecutor.close(); // drains: runs the simulation meanwhile
                    trace.add("px-left", p.preExecutor.nodeId());
                }
            }
            case PARTITION -> {
                if (p != null) {
                    String id = p.preExecutor.nodeId();
                    network.partition(id);
                    transport.disconnect(id);
                    sched.at(f.duration(), () -> network.heal(id));
                }
            }
            case DISCONNECT -> {
                if (p != null) {
                    transport.disconnect(p.preExecutor.nodeId());
                }
            }
            case CRASH_PRIMARY -> {
                PrimaryRuntime.PersistenceHook.Point[] points = PrimaryRuntime.PersistenceHook.Point.values();
                armed = new Armed(points[(int) (f.duration() / 10) % points.length], (int) (f.duration() % 10));
            }
            case DUPLICATE_TX -> consensus.askDuplicate();
            case FORGED_TX -> consensus.askForged();
            case EMPTY_COMMIT -> consensus.askEmpty();
            case HUGE_COMMIT -> consensus.hold(40_000_000L + f.target() % 40 * 1_000_000L);
            case IMPOSTOR -> impostor();
            case SLOW_SNAPSHOT -> network.slowNextSnapshotRequest(f.duration());
        }
    }

    private void resume(Px p) {
        if (!p.paused || p.node.isKilled()) {
            return;
        }
        p.paused = false;
        p.node.resume();
        network.resume(p.preExecutor.nodeId());
        trace.add("px-resume", p.preExecutor.nodeId());
    }

    /** A client that does not hold a valid node key: it must never become a peer. */
    private void impostor() {
        String id = "impostor-" + (++impostors);
        byte[] wrongKey = new byte[32];
        rnd.nextBytes(wrongKey);
        TransportConfig tc = TransportConfig.builder().nodeId(id).nodeKey(wrongKey).build();
        TransportClient c = transport.connect(tc, HOST, PORT, (conn, type, payload) -> { }, new io.remora.transport.ConnectionListener() {
            @Override
            public void onConnected(io.remora.transport.Connection connection) {
                violations.add("impostor " + id + " connected to the primary");
            }

        });
        sched.at(50_000_000L, c::close);
    }

    /** Faults stop: partitions heal, paused machines resume, messages are no longer lost. */
    private void endFaults() {
        trace.add("calm");
        network.calm();
        armed = null;
        for (Px p : List.copyOf(live)) {
            network.heal(p.preExecutor.nodeId());
            resume(p);
        }
        consensus.calm();
    }

    // ---- clients, consensus, timers ---------------------------------------------------------

    private boolean clientsDone;

    private void scheduleClients() {
        List<Transaction> txs = workload.transactions();
        long span = SimCase.FAULT_PHASE_NANOS - 50_000_000L;
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            long at = (long) ((double) span * i / txs.size()) + rnd.nextInt(2_000_000);
            boolean last = i == txs.size() - 1;
            sched.at(at, () -> {
                submit(tx);
                if (last) {
                    clientsDone = true;
                }
            });
        }
    }

    private void submit(Transaction tx) {
        consensus.submitted(tx);
        if (crashed || cluster == null) {
            consensus.propose(tx); // the client reached another validator
            return;
        }
        try {
            if (!cluster.submit(tx).admitted()) {
                violations.add("a valid transaction was not admitted");
            }
        } catch (IllegalStateException closed) {
            consensus.propose(tx);
        }
    }

    private void scheduleTicks() {
        consensus.start();
        sched.at(25_000_000L, this::heartbeats);
    }

    private void heartbeats() {
        transport.heartbeat();
        sched.at(25_000_000L, this::heartbeats);
    }

    // ---- the end ----------------------------------------------------------------------------

    /** With faults stopped: every pre-executor drains its queue and catches up with the last commit. */
    private void checkQuiescence() {
        long last = primary.lastExecutedCommit();
        long until = sched.now() + 2_000_000_000L;
        while (sched.now() < until && !quiet(last)) {
            if (!sched.runNext(until)) {
                sched.advanceTo(until);
            }
        }
        for (Px p : live) {
            PreExecutor px = p.preExecutor;
            if (quarantined(px.nodeId())) {
                continue; // caught lying: refused for good, its replica is its own business
            }
            if (px.queueDepth() != 0) {
                violations.add("liveness: " + px.nodeId() + " still holds " + px.queueDepth()
                        + " transactions 2 s after the last commit");
            } else if (!px.isSnapshotInstalled()) {
                violations.add("liveness: " + px.nodeId() + " has no snapshot installed 2 s after the last commit");
            } else if (px.watermark() != last) {
                violations.add("liveness: " + px.nodeId() + " replica at commit " + px.watermark()
                        + ", the primary at " + last + " 2 s after the last commit");
            }
        }
        for (PeerStatus s : cluster.peers()) {
            if (s.nodeId().startsWith("impostor")) {
                violations.add("an impostor is a peer: " + s);
            }
        }
        if (cluster.metrics().internalErrors() != 0) { // snapshots cut off by kills and partitions are abandoned, not errors
            violations.add("the cluster service counted internal errors: " + cluster.metrics());
        }
        trace.add("end", last, primary.stateDigest(), primary.metrics().adopted());
    }

    private boolean quarantined(String nodeId) {
        return primary.quarantinedPeers().stream().anyMatch(q -> q.nodeId().equals(nodeId));
    }

    private boolean quiet(long last) {
        for (Px p : live) {
            if (quarantined(p.preExecutor.nodeId())) {
                continue;
            }
            if (p.preExecutor.queueDepth() != 0 || !p.preExecutor.isSnapshotInstalled()
                    || p.preExecutor.watermark() != last) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (Px p : live) {
            p.node.kill();
            network.kill(p.preExecutor.nodeId());
        }
        clusterNode.kill();
        if (cluster != null) {
            cluster.close();
        }
        if (primary != null) {
            primary.close();
        }
        try {
            TestDirs.delete(dir);
        } catch (UncheckedIOException e) {
            // best effort: a temp directory
        }
    }
}
