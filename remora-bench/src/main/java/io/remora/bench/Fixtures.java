package io.remora.bench;

import io.remora.core.Authenticator;
import io.remora.core.Effects;
import io.remora.core.LookupTable;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.workload.Workload;
import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import java.util.List;

/** Shared benchmark inputs: named workloads and exact pre-execution results. */
final class Fixtures {
    /** Seed of every benchmark workload (fixed so that runs compare). */
    static final long SEED = 42;

    /** The lookup table that makes {@link TransactionExecutor#execute} skip {@code tx}'s signature check and nothing else. */
    static LookupTable skipSignature(Transaction tx) {
        return new LookupTable(List.of(), List.of(), Authenticator.verified(tx, "bench"));
    }

    private Fixtures() {
    }

    static TransactionExecutor executor() {
        return BuiltinEngine.executor("bench");
    }

    /**
     * The workload named {@code spec}:
     * {@code transfers} (1,000 accounts), {@code fib-N} (100 accounts, compute::fib(N)),
     * {@code counters} (100 shared counters, Zipf 0.99), {@code amm} (4 pools), {@code registry}
     * (4 registries of 64 keys), {@code ycsbA} (1,000 records, Zipf 0.99).
     */
    static WorkloadGenerator generator(String spec) {
        if (spec.startsWith("fib-")) {
            return Workloads.fib(SEED, 100, Long.parseLong(spec.substring(4)));
        }
        return switch (spec) {
            case "transfers" -> Workloads.transfers(SEED, 1000);
            case "counters" -> Workloads.sharedCounters(SEED, 100, 0.99);
            case "amm" -> Workloads.amm(SEED, 4);
            case "registry" -> Workloads.registry(SEED, 4, 64);
            case "ycsbA" -> Workloads.ycsbA(SEED, 1000);
            default -> throw new IllegalArgumentException("unknown workload " + spec);
        };
    }

    static Workload workload(String spec, int n) {
        return generator(spec).take(n);
    }

    /**
     * Exact pre-execution results: each transaction pre-executed (signature checked) on a replica
     * that is exactly the state it will run on, i.e. genesis plus every earlier transaction of
     * the workload, in order. The primary adopts such results without executing anything.
     */
    static PreExecResult[] exactResults(Workload w, TransactionExecutor executor) {
        PreExecResult[] out = new PreExecResult[w.transactions().size()];
        int[] next = {0};
        io.remora.bench.harness.InjectedResults.exact(w.genesis(), w.transactions(), out.length, executor,
                r -> out[next[0]++] = r);
        return out;
    }

    /** Fails fast if a workload's transactions do not all succeed from genesis (a broken benchmark input). */
    static void requireAllSucceed(Workload w, PreExecResult[] results) {
        for (int i = 0; i < results.length; i++) {
            Effects e = results[i].effects();
            if (!e.status().isSuccess()) {
                throw new IllegalStateException(w.name() + ": transaction " + i + " failed: " + e.status());
            }
        }
    }
}
