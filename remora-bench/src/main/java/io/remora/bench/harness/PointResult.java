package io.remora.bench.harness;

import java.util.List;

/**
 * What one run measured.
 *
 * @param throughput      transactions whose effects were published during the measurement window, per second
 * @param commitToEffects from the commit's delivery to the primary to its effects' publication (one value per transaction)
 * @param submitToEffects from the transaction's scheduled submission to its effects' publication
 * @param adoptRatio      share of the measured commits' transactions whose pre-execution result was adopted
 * @param cpuPrimary      cores used by this JVM (primary, admission, load generator, simulated consensus)
 * @param cpuPreExecutors cores used by each pre-executor process
 * @param saturated       the backlog passed the limit, or the effects did not drain in time
 * @param digestMatch     the primary's final state digest equals the sequential reference's on the committed order
 * @param primaryDigest   the primary's final state digest (hex)
 * @param referenceDigest the sequential reference's digest after the same commits (hex; empty if not computed)
 */
public record PointResult(String workload, String configuration, int preExecutors, double offeredRate,
                          double throughput, long transactions, long commits, LatencySummary commitToEffects,
                          LatencySummary submitToEffects, double adoptRatio, long adopted, long reexecuted,
                          double cpuPrimary, List<Double> cpuPreExecutors, boolean saturated, boolean digestMatch,
                          String primaryDigest, String referenceDigest, Breakdown breakdown, String note) {
    /**
     * Where the primary's time and re-executions went during the measurement (from {@code PrimaryMetrics}).
     *
     * @param waitMs    mean time per commit waiting for missing pre-execution results
     * @param executeMs mean time per commit merging and executing
     * @param persistMs mean time per commit writing RocksDB
     */
    public record Breakdown(double waitMs, double executeMs, double persistMs, long stale, long conflict, long noResult) {
        public static final Breakdown NONE = new Breakdown(Double.NaN, Double.NaN, Double.NaN, 0, 0, 0);
    }

    /** Pilotfish's criterion: p99 latency below this is "sustained". */
    public static final double SUSTAINABLE_P99_MS = 20.0;

    public PointResult {
        cpuPreExecutors = List.copyOf(cpuPreExecutors);
    }

    /** Not saturated, served at least 95% of the offered rate, and commit→effects p99 under 20 ms. */
    public boolean sustainable() {
        return !saturated && throughput >= 0.95 * offeredRate && commitToEffects.count() > 0
                && commitToEffects.p99Ms() < SUSTAINABLE_P99_MS;
    }

    public double cpuPreExecutorsTotal() {
        return cpuPreExecutors.stream().mapToDouble(Double::doubleValue).sum();
    }
}
