package io.remora.bench.harness;

import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import java.util.Locale;

/**
 * A workload by name, as the command line spells it.
 *
 * <table>
 * <tr><th>name</th><th>generator</th></tr>
 * <tr><td>{@code transfers}</td><td>{@code Workloads.transfers(seed, 4096)}: signed, conflict-free</td></tr>
 * <tr><td>{@code fib-N}</td><td>{@code Workloads.fib(seed, 4096, N)}: Pilotfish's Fib-N compute load</td></tr>
 * <tr><td>{@code hotfib-N}</td><td>{@code Workloads.hotCompute(seed, 16, 0.99, N)}: Fib-N on Zipf-hot shared accumulators</td></tr>
 * <tr><td>{@code counters-THETA}</td><td>{@code Workloads.sharedCounters(seed, 64, THETA)}: Zipf contention</td></tr>
 * <tr><td>{@code registry}</td><td>{@code Workloads.registry(seed, 16, 1024)}: dynamic children</td></tr>
 * <tr><td>{@code mixed}</td><td>{@code Workloads.mixed(seed)}: the demo's mix</td></tr>
 * </table>
 */
public record WorkloadSpec(String name) {
    /** Accounts of the owned-object workloads: far more than a commit holds, so they stay conflict-free. */
    public static final int ACCOUNTS = 4096;
    public static final int COUNTERS = 64;
    /** Shared accumulators of {@code hotfib-N} (Zipf 0.99 over them). */
    public static final int HOT_ACCUMULATORS = 16;

    public WorkloadSpec {
        build(name, 0, false); // validates without generating anything
    }

    public static WorkloadSpec parse(String name) {
        return new WorkloadSpec(name.trim().toLowerCase(Locale.ROOT));
    }

    /** A fresh generator for this workload. */
    public WorkloadGenerator generator(long seed) {
        return build(name, seed, true);
    }

    private static WorkloadGenerator build(String name, long seed, boolean create) {
        if (name.equals("transfers")) {
            return create ? Workloads.transfers(seed, ACCOUNTS) : null;
        }
        if (name.equals("registry")) {
            return create ? Workloads.registry(seed, 16, 1024) : null;
        }
        if (name.equals("mixed")) {
            return create ? Workloads.mixed(seed) : null;
        }
        if (name.startsWith("hotfib-")) {
            long n = number(name, name.substring(7));
            return create ? Workloads.hotCompute(seed, HOT_ACCUMULATORS, 0.99, n) : null;
        }
        if (name.startsWith("fib-")) {
            long n = number(name, name.substring(4));
            return create ? Workloads.fib(seed, ACCOUNTS, n) : null;
        }
        if (name.startsWith("counters-")) {
            double theta;
            try {
                theta = Double.parseDouble(name.substring(9));
            } catch (NumberFormatException e) {
                theta = Double.NaN;
            }
            if (!(theta >= 0) || theta >= 5) {
                throw new IllegalArgumentException("workload=" + name + " (expected: counters-THETA, 0 <= THETA < 5)");
            }
            return create ? Workloads.sharedCounters(seed, COUNTERS, theta) : null;
        }
        throw new IllegalArgumentException("workload=" + name
                + " (expected: transfers, fib-N, hotfib-N, counters-THETA, registry or mixed)");
    }

    private static long number(String name, String digits) {
        String d = digits.toLowerCase(Locale.ROOT);
        long scale = 1;
        if (d.endsWith("k")) {
            scale = 1_000;
            d = d.substring(0, d.length() - 1);
        } else if (d.endsWith("m")) {
            scale = 1_000_000;
            d = d.substring(0, d.length() - 1);
        }
        try {
            return Long.parseLong(d) * scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("workload=" + name + " (expected: fib-N with N a number, optionally with k or m, e.g. fib-100k, fib-1m)");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
