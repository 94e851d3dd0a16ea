package io.remora.primary;

import io.remora.core.sched.Scheduling;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps the number of pre-executors where a {@link ScalingPolicy} wants it: every {@code interval}
 * it measures the period's signals (the primary's executed and no-result counts, the cluster's
 * submitted and local-only counts, the pre-executors' reported queue depths), asks the policy, and
 * has the {@link Provisioner} start or stop the difference.
 *
 * <pre>
 * Autoscaler scaler = Autoscaler.builder().primary(primary).cluster(cluster)
 *         .provisioner(myProvisioner).policy(ScalingPolicy.builder().preExecutors(1, 32).build())
 *         .build().start();
 * ...
 * scaler.close();   // stops evaluating; what the provisioner runs keeps running
 * </pre>
 *
 * <p>Thread-safety: {@link #start}, {@link #evaluateNow} and {@link #close} may be called from any
 * thread; evaluations never overlap (they run under this object's monitor).
 */
public final class Autoscaler implements AutoCloseable {
    private final RemoraPrimary primary;
    private final RemoraCluster cluster;
    private final Provisioner provisioner;
    private final ScalingPolicy policy;
    private final long intervalNanos;
    private final Duration drainDeadline;
    private final Consumer<ScalingAdvice> listener;
    private final LongSupplier clock;
    private final Scheduling scheduling;
    private ScheduledExecutorService timer;
    private volatile ScalingAdvice last;
    private long executed0 = -1;
    private long noResult0;
    private long submitted0;
    private long local0;
    private boolean closed;
    private final long settleNanos;
    /** When each listed pre-executor was first seen synced (entries of unlisted ones are dropped). */
    private final java.util.HashMap<String, Long> syncedSince = new java.util.HashMap<>();

    private Autoscaler(Builder b) {
        this.primary = b.primary;
        this.cluster = b.cluster;
        this.provisioner = b.provisioner;
        this.policy = b.policy;
        this.intervalNanos = b.interval.toNanos();
        this.drainDeadline = b.drainDeadline;
        this.listener = b.listener;
        this.clock = b.clock != null ? b.clock : b.scheduling::nanoTime;
        this.scheduling = b.scheduling;
        this.settleNanos = b.settle.toNanos();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Evaluates every interval from now on, on a daemon thread. Once only. */
    public synchronized Autoscaler start() {
        if (timer != null || closed) {
            throw new IllegalStateException("started=" + (timer != null) + ", closed=" + closed + " (expected: neither)");
        }
        timer = scheduling.singleThread("remora-autoscaler");
        timer.scheduleWithFixedDelay(() -> {
            try {
                evaluateNow();
            } catch (RuntimeException e) {
                // a provisioner failure must not stop scaling; the next evaluation tries again
            }
        }, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        return this;
    }

    /** One evaluation now: measures, asks the policy and acts on its advice; returns the advice. */
    public synchronized ScalingAdvice evaluateNow() {
        PrimaryMetrics pm = primary.metrics();
        ClusterMetrics cm = cluster.metrics();
        long executed = pm.transactionsExecuted();
        long noResult = pm.reexecutedNoResult();
        long submitted = cm.submitted();
        long local = cm.localOnly();
        if (executed0 < 0) { // the first evaluation measures from the counters' current values
            executed0 = executed;
            noResult0 = noResult;
            submitted0 = submitted;
            local0 = local;
        }
        long dExec = executed - executed0;
        long dSub = submitted - submitted0;
        long now = clock.getAsLong();
        List<PeerStatus> peers = cluster.peers();
        PeerLoad load = PeerLoad.of(peers);
        int able = load.able();
        int settled = settled(peers, now);
        int running = provisioner.running();
        ScalingSignals s = new ScalingSignals(able, load.meanQueueDepth(), Math.max(dExec, dSub),
                dExec <= 0 ? 0 : Math.min(1, (double) (noResult - noResult0) / dExec),
                dSub <= 0 ? 0 : Math.min(1, (double) (local - local0) / dSub), Math.max(0, running - settled),
                load.meanBusy(), load.maxBusy());
        executed0 = executed;
        noResult0 = noResult;
        submitted0 = submitted;
        local0 = local;
        ScalingAdvice a = policy.evaluate(now, running, s);
        if (a.desired() > running) {
            provisioner.start(a.desired() - running);
        } else if (a.desired() < running) {
            provisioner.stop(running - a.desired(), drainDeadline);
        }
        last = a;
        if (listener != null) {
            listener.accept(a);
        }
        return a;
    }

    /**
     * What the pre-executors able to take work (synced, not stalled, not quarantined) report: how
     * many, their mean queue depth, their mean busy share over those that report one (-1: none),
     * and the highest (-1 unless all of them report one).
     */
    record PeerLoad(int able, double meanQueueDepth, double meanBusy, double maxBusy) {
        static PeerLoad of(List<PeerStatus> peers) {
            int able = 0;
            long depth = 0;
            int reportingBusy = 0;
            double busy = 0;
            double max = 0;
            for (PeerStatus p : peers) {
                if (p.synced() && !p.stalled() && !p.quarantined()) {
                    able++;
                    depth += p.queueDepth();
                    if (p.busy() >= 0) {
                        reportingBusy++;
                        busy += p.busy();
                        max = Math.max(max, p.busy());
                    }
                }
            }
            double mean = reportingBusy == 0 ? -1 : Math.min(1, busy / reportingBusy);
            return new PeerLoad(able, able == 0 ? 0 : (double) depth / able, mean,
                    reportingBusy == 0 || reportingBusy < able ? -1 : Math.max(mean, Math.min(1, max)));
        }
    }

    /**
     * Pre-executors no longer starting at {@code now}: stalled, or synced for at least the settle
     * time (remembering when each was first seen synced; a resync starts over, an unlisted one is
     * forgotten). Under this object's monitor.
     */
    int settled(List<PeerStatus> peers, long now) {
        int settled = 0;
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (PeerStatus p : peers) {
            if (p.quarantined()) {
                continue;
            }
            listed.add(p.nodeId());
            Long since = null;
            if (p.synced()) {
                since = syncedSince.computeIfAbsent(p.nodeId(), id -> now);
            } else {
                syncedSince.remove(p.nodeId());
            }
            if (p.stalled() || (since != null && now - since >= settleNanos)) {
                settled++;
            }
        }
        syncedSince.keySet().retainAll(listed);
        return settled;
    }

    /** The last advice (null before the first evaluation). */
    public ScalingAdvice advice() {
        return last;
    }

    /** Stops evaluating (the provisioner's pre-executors keep running; stop them through it). */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Options; {@code primary}, {@code cluster} and {@code provisioner} are required. */
    public static final class Builder {
        private RemoraPrimary primary;
        private RemoraCluster cluster;
        private Provisioner provisioner;
        private ScalingPolicy policy = ScalingPolicy.builder().build();
        private Duration interval = Duration.ofMillis(500);
        private Duration drainDeadline = Duration.ofSeconds(30);
        private Consumer<ScalingAdvice> listener;
        private LongSupplier clock;
        private Scheduling scheduling = Scheduling.system();
        private Duration settle = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * How long after it first reports synced a pre-executor still counts as starting
         * ({@link ScalingSignals#starting}: the policy does not scale up on it), because a fresh JVM
         * keeps compiling and its queue is deep for seconds (0..10 min; 0: from the moment it syncs).
         * Default: 5 s. Kubernetes' HPA has the same idea (its CPU initialization period).
         */
        public Builder settle(Duration d) {
            if (d == null || d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("settle=" + d + " (expected: 0..10 min)");
            }
            this.settle = d;
            return this;
        }

        public Builder primary(RemoraPrimary p) {
            this.primary = Objects.requireNonNull(p, "primary");
            return this;
        }

        public Builder cluster(RemoraCluster c) {
            this.cluster = Objects.requireNonNull(c, "cluster");
            return this;
        }

        public Builder provisioner(Provisioner p) {
            this.provisioner = Objects.requireNonNull(p, "provisioner");
            return this;
        }

        public Builder policy(ScalingPolicy p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        /** Time between evaluations (10 ms..1 min). Default: 500 ms (the Remora paper's scaler checks as often). */
        public Builder interval(Duration d) {
            if (d == null || d.compareTo(Duration.ofMillis(10)) < 0 || d.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("interval=" + d + " (expected: 10 ms..1 min)");
            }
            this.interval = d;
            return this;
        }

        /** Drain deadline given to a pre-executor being stopped (0..10 min). Default: 30 s. */
        public Builder drainDeadline(Duration d) {
            if (d == null || d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("drainDeadline=" + d + " (expected: 0..10 min)");
            }
            this.drainDeadline = d;
            return this;
        }

        /** Called with every advice, on the evaluating thread (must not block). */
        public Builder listener(Consumer<ScalingAdvice> l) {
            this.listener = l;
            return this;
        }

        /** The evaluation thread and, unless {@link #clock} is set, the clock. Default {@link Scheduling#system()}. */
        public Builder scheduling(Scheduling s) {
            this.scheduling = Objects.requireNonNull(s, "scheduling");
            return this;
        }

        /** Monotonic clock in nanoseconds (tests). Default: the scheduling's ({@link System#nanoTime()}). */
        public Builder clock(LongSupplier c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Autoscaler build() {
            if (primary == null || cluster == null || provisioner == null) {
                throw new IllegalArgumentException("primary=" + primary + ", cluster=" + cluster + ", provisioner="
                        + provisioner + " (expected: all set)");
            }
            return new Autoscaler(this);
        }
    }
}
