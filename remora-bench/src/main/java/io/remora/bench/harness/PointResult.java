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

    /** The sequential reference was computed and the primary's digest differs from it. */
    public boolean digestMismatch() {
        return !digestMatch && !referenceDigest.isEmpty();
    }

    /**
     * Commits a point must measure for its p99 to be reported as sustained: with fewer, the p99 of
     * its transactions is the worst one or two commits' latency (a commit's transactions all finish
     * together), so one slow commit decides it.
     */
    public static final int MIN_COMMITS = 300;

    /**
     * Not saturated, served at least 95% of the offered rate, commit→effects p99 under 20 ms, and
     * measured over at least {@link #MIN_COMMITS} commits.
     */
    public boolean sustainable() {
        return !saturated && longEnough() && throughput >= 0.95 * offeredRate && commitToEffects.count() > 0
                && commitToEffects.p99Ms() < SUSTAINABLE_P99_MS;
    }

    /** At least {@link #MIN_COMMITS} commits measured. */
    public boolean longEnough() {
        return commits >= MIN_COMMITS;
    }

    /** Why the point is or is not sustained, in a few words (the tables' status column). */
    public String status() {
        if (sustainable()) {
            return "sustained";
        }
        if (saturated) {
            return "saturated";
        }
        if (throughput < 0.95 * offeredRate) {
            return "served < 95%";
        }
        if (!(commitToEffects.p99Ms() < SUSTAINABLE_P99_MS)) {
            return "p99 ≥ 20 ms";
        }
        return "too short (" + commits + " < " + MIN_COMMITS + " commits)";
    }

    /** CPU time per measured transaction, microseconds: the primary's process only. */
    public double cpuMicrosPerTxPrimary() {
        return throughput > 0 ? cpuPrimary * 1e6 / throughput : Double.NaN;
    }

    /** CPU time per measured transaction, microseconds: every process of the configuration together. */
    public double cpuMicrosPerTxTotal() {
        return throughput > 0 ? (cpuPrimary + cpuPreExecutorsTotal()) * 1e6 / throughput : Double.NaN;
    }

    public double cpuPreExecutorsTotal() {
        return cpuPreExecutors.stream().mapToDouble(Double::doubleValue).sum();
    }
}
