package io.remora.bench.harness;

import java.time.Duration;

/**
 * One measured point: a workload at a fixed offered rate against one configuration.
 *
 * @param warmup        load before the measurement starts (not recorded)
 * @param duration      measured load
 * @param commitInterval simulated consensus: a commit is cut every interval
 * @param deliveryDelay simulated consensus: a commit reaches the primary this long after its cut
 * @param primaryThreads Block-STM threads of the primary in {@code PRIMARY}/{@code REMORA} mode
 * @param preExecThreads worker threads per pre-executor (0: its default)
 * @param resultWait     how long the primary waits for a missing pre-execution result (the least, if adaptive)
 * @param routingStickiness REMORA mode: {@code RemoraCluster.Builder.routingStickiness}, or null: the library's default
 * @param sendLinger     REMORA mode: the links' send linger, both ways ({@code RemoraCluster.Builder.sendLinger} and
 *                       each pre-executor's {@code --send-linger-us}), or null: the library's default (1 ms)
 * @param resultWaitMax  the adaptive result wait's bound ({@code RemoraPrimary.Builder.adaptiveResultWait}), or null: fixed
 * @param maxBacklog     the point is abandoned (saturated) when this much offered load is unpublished
 * @param admissionBacklog REMORA mode: the cluster's admission back-pressure limit
 *                       ({@code RemoraCluster.Builder.admissionBacklog}; 0: off)
 * @param leaseMaxObjects the primary's {@code LeasePolicy}: 0 leases off, else {@code LeasePolicy.defaults()}
 *                       with at most this many objects per lease (1..4096)
 * @param autoscale      REMORA mode: start with one pre-executor and let an {@code Autoscaler} run
 *                       between 1 and {@code preExecutors} of them (local processes); ignored by
 *                       {@link #withMode} for the other modes
 */
public record RunConfig(WorkloadSpec workload, Mode mode, int preExecutors, double rate, Duration warmup,
                        Duration duration, Duration commitInterval, Duration deliveryDelay, int primaryThreads,
                        int preExecThreads, Duration resultWait, boolean fsync, Duration maxBacklog, long seed,
                        io.remora.primary.TrustMode trust, io.remora.transport.FrameProtection frameProtection,
                        boolean autoscale, int leaseMaxObjects, boolean shuffle, String preExecCpus, Duration admissionBacklog,
                        Duration resultWaitMax, Duration routingStickiness, Duration sendLinger) {
    /** A point with a fixed result wait ({@code resultWaitMax} null). */
    public RunConfig(WorkloadSpec workload, Mode mode, int preExecutors, double rate, Duration warmup,
                     Duration duration, Duration commitInterval, Duration deliveryDelay, int primaryThreads,
                     int preExecThreads, Duration resultWait, boolean fsync, Duration maxBacklog, long seed,
                     io.remora.primary.TrustMode trust, io.remora.transport.FrameProtection frameProtection,
                     boolean autoscale, int leaseMaxObjects, boolean shuffle, String preExecCpus, Duration admissionBacklog) {
        this(workload, mode, preExecutors, rate, warmup, duration, commitInterval, deliveryDelay, primaryThreads,
                preExecThreads, resultWait, fsync, maxBacklog, seed, trust, frameProtection, autoscale, leaseMaxObjects, shuffle,
                preExecCpus, admissionBacklog, null, null, null);
    }

    public RunConfig {
        if (leaseMaxObjects < 0 || leaseMaxObjects > io.remora.primary.LeasePolicy.MAX_OBJECTS) {
            throw new IllegalArgumentException("leaseMaxObjects=" + leaseMaxObjects + " (expected: 0..4096, 0: no leases)");
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate=" + rate + " (expected: > 0)");
        }
        if (!mode.clustered() && preExecutors != 0) {
            throw new IllegalArgumentException("preExecutors=" + preExecutors + " (expected: 0 in " + mode + " mode)");
        }
        if (autoscale && mode != Mode.REMORA) {
            throw new IllegalArgumentException("autoscale=true (expected: only in REMORA mode)");
        }
        if (mode.clustered() && preExecutors < 1) {
            throw new IllegalArgumentException("preExecutors=" + preExecutors + " (expected: >= 1 in " + mode + " mode)");
        }
    }

    /**
     * {@code sequential}, {@code primary}, {@code remora-k}, {@code remora-k-auto} (autoscaled between
     * 1 and k) or {@code injector-k}.
     */
    public String configuration() {
        return mode.label(preExecutors) + (autoscale ? "-auto" : "");
    }

    /** Whether the primary may grant leases. */
    public boolean lease() {
        return leaseMaxObjects > 0;
    }

    public RunConfig withRate(double r) {
        return new RunConfig(workload, mode, preExecutors, r, warmup, duration, commitInterval, deliveryDelay,
                primaryThreads, preExecThreads, resultWait, fsync, maxBacklog, seed, trust, frameProtection, autoscale, leaseMaxObjects,
                shuffle, preExecCpus, admissionBacklog, resultWaitMax, routingStickiness, sendLinger);
    }

    /** The same point, measured for {@code d} (a sweep's unrecorded warm-up pass). */
    public RunConfig withDuration(Duration d) {
        return new RunConfig(workload, mode, preExecutors, rate, warmup, d, commitInterval, deliveryDelay,
                primaryThreads, preExecThreads, resultWait, fsync, maxBacklog, seed, trust, frameProtection, autoscale, leaseMaxObjects,
                shuffle, preExecCpus, admissionBacklog, resultWaitMax, routingStickiness, sendLinger);
    }

    public RunConfig withMode(Mode m, int k) {
        return new RunConfig(workload, m, k, rate, warmup, duration, commitInterval, deliveryDelay,
                primaryThreads, preExecThreads, resultWait, fsync, maxBacklog, seed, trust, frameProtection, autoscale && m == Mode.REMORA, leaseMaxObjects,
                shuffle, preExecCpus, admissionBacklog, resultWaitMax, routingStickiness, sendLinger);
    }

    /** The same point, autoscaled (REMORA mode only). */
    public RunConfig withAutoscale(boolean on) {
        return new RunConfig(workload, mode, preExecutors, rate, warmup, duration, commitInterval, deliveryDelay,
                primaryThreads, preExecThreads, resultWait, fsync, maxBacklog, seed, trust, frameProtection, on, leaseMaxObjects,
                shuffle, preExecCpus, admissionBacklog, resultWaitMax, routingStickiness, sendLinger);
    }

    public RunConfig withWorkload(WorkloadSpec w) {
        return new RunConfig(w, mode, preExecutors, rate, warmup, duration, commitInterval, deliveryDelay,
                primaryThreads, preExecThreads, resultWait, fsync, maxBacklog, seed, trust, frameProtection, autoscale, leaseMaxObjects,
                shuffle, preExecCpus, admissionBacklog, resultWaitMax, routingStickiness, sendLinger);
    }

    /** The longest warm-up, as a multiple of {@link #warmup}: it ends earlier once throughput and the JIT settle. */
    public static final int MAX_WARMUP_FACTOR = 3;

    /** {@link #warmup} x {@link #MAX_WARMUP_FACTOR}. */
    public Duration maxWarmup() {
        return warmup.multipliedBy(MAX_WARMUP_FACTOR);
    }

    /** Transactions the run may submit: the longest warm-up plus the measurement, at the offered rate. */
    public int transactionsNeeded() {
        double seconds = (maxWarmup().toNanos() + duration.toNanos()) / 1e9;
        return (int) Math.ceil(seconds * rate) + 1;
    }
}
