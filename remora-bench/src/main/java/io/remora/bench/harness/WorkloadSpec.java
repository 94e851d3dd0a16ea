package io.remora.bench.harness;

import io.remora.core.engine.ComputeProgram;
import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import io.remora.core.workload.Zipf;
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
 * <tr><td>{@code tpcc-W}</td><td>{@code Workloads.tpcc(seed, W)}: TPC-C NewOrder/Payment on W (1..1000) warehouses</td></tr>
 * <tr><td>{@code ycsb-a-N}</td><td>{@code Workloads.ycsbA(seed, N)}: N records, 50% updates, Zipf 0.99</td></tr>
 * <tr><td>{@code ycsb-b-N}</td><td>{@code Workloads.ycsbB(seed, N)}: N records, 5% updates, Zipf 0.99</td></tr>
 * </table>
 *
 * N and W take an optional {@code k} or {@code m} suffix ({@code ycsb-a-100k}).
 */
public record WorkloadSpec(String name) {
    /** Accounts of the owned-object workloads: far more than a commit holds, so they stay conflict-free. */
    public static final int ACCOUNTS = 4096;
    public static final int COUNTERS = 64;
    /** Shared accumulators of {@code hotfib-N} (Zipf 0.99 over them). */
    public static final int HOT_ACCUMULATORS = 16;
    /** Most warehouses of {@code tpcc-W} (each adds 411 genesis objects). */
    public static final int MAX_WAREHOUSES = 1_000;

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
        if (name.startsWith("tpcc-")) {
            int w = (int) number(name, name.substring(5), "tpcc-W", 1, MAX_WAREHOUSES);
            return create ? Workloads.tpcc(seed, w) : null;
        }
        if (name.startsWith("ycsb-a-") || name.startsWith("ycsb-b-")) {
            int n = (int) number(name, name.substring(7), "ycsb-a-N or ycsb-b-N", 1, Zipf.MAX_N);
            return create ? name.charAt(5) == 'a' ? Workloads.ycsbA(seed, n) : Workloads.ycsbB(seed, n) : null;
        }
        if (name.startsWith("hotfib-")) {
            long n = number(name, name.substring(7), "hotfib-N", 0, ComputeProgram.MAX_N);
            return create ? Workloads.hotCompute(seed, HOT_ACCUMULATORS, 0.99, n) : null;
        }
        if (name.startsWith("fib-")) {
            long n = number(name, name.substring(4), "fib-N", 0, ComputeProgram.MAX_N);
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
                + " (expected: transfers, fib-N, hotfib-N, counters-THETA, registry, mixed, tpcc-W, ycsb-a-N or ycsb-b-N)");
    }

    private static long number(String name, String digits, String pattern, long min, long max) {
        String d = digits.toLowerCase(Locale.ROOT);
        long scale = 1;
        if (d.endsWith("k")) {
            scale = 1_000;
            d = d.substring(0, d.length() - 1);
        } else if (d.endsWith("m")) {
            scale = 1_000_000;
            d = d.substring(0, d.length() - 1);
        }
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(d), scale);
        } catch (NumberFormatException | ArithmeticException e) {
            n = min - 1;
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("workload=" + name + " (expected: " + pattern + " with " + min + " <= "
                    + pattern.substring(pattern.length() - 1) + " <= " + max + ", optionally with k or m, e.g. fib-100k, ycsb-a-1m)");
        }
        return n;
    }

    @Override
    public String toString() {
        return name;
    }
}
