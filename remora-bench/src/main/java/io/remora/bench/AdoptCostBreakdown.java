package io.remora.bench;

import io.remora.core.Effects;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.codec.MessageCodec;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.Workload;
import io.remora.primary.internal.BlockStmExecutor;
import io.remora.primary.internal.CommitOutcome;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Splits {@link AdoptBenchmark#adopt} into its three parts and reports time and allocation per
 * transaction for each: {@code BlockStmExecutor.execute} (seed, validate, schedule), hashing the
 * written objects (the digests a primary computes for results received over the wire), and
 * {@code InMemoryObjectStore.apply} (state-digest entries, map updates). Allocation is measured
 * with {@code ThreadMXBean.getThreadAllocatedBytes} around each part only (JMH's {@code -prof gc}
 * also counts the untimed per-invocation setup). Not a JMH benchmark: single-threaded timings with
 * {@code System.nanoTime} over the last third of the rounds, good for proportions, not for scores.
 *
 * <pre>
 * java -cp remora-bench/target/benchmarks.jar \
 *     io.remora.bench.AdoptCostBreakdown [rounds, default 3000]
 * </pre>
 */
public final class AdoptCostBreakdown {
    private AdoptCostBreakdown() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        TransactionExecutor executor = Fixtures.executor();
        Workload w = Fixtures.workload("transfers", AdoptBenchmark.COMMIT);
        List<Transaction> txs = w.transactions();
        PreExecResult[] exact = Fixtures.exactResults(w, executor);
        byte[][] encoded = new byte[exact.length][];
        for (int i = 0; i < exact.length; i++) {
            encoded[i] = MessageCodec.encode(exact[i]);
        }
        InMemoryObjectStore genesis = w.genesisStore();
        long[] nanos = new long[3];
        long[] bytes = new long[3];
        int measured = 0;
        try (BlockStmExecutor blockStm = new BlockStmExecutor(executor, 1, "breakdown")) {
            for (int round = 0; round < rounds; round++) {
                PreExecResult[] results = new PreExecResult[encoded.length];
                for (int i = 0; i < encoded.length; i++) {
                    results[i] = MessageCodec.decodePreExecResult(encoded[i]);
                }
                InMemoryObjectStore store = genesis.copy();
                long[] t = new long[4];
                long[] b = new long[4];
                t[0] = System.nanoTime();
                b[0] = mx.getThreadAllocatedBytes(tid);
                CommitOutcome o = blockStm.execute(txs, results, store);
                t[1] = System.nanoTime();
                b[1] = mx.getThreadAllocatedBytes(tid);
                for (Effects e : o.effects()) {
                    for (Effects.Written written : e.written()) {
                        written.object().digest();
                    }
                }
                t[2] = System.nanoTime();
                b[2] = mx.getThreadAllocatedBytes(tid);
                for (Effects e : o.effects()) {
                    store.apply(e);
                }
                t[3] = System.nanoTime();
                b[3] = mx.getThreadAllocatedBytes(tid);
                if (o.adopted() != txs.size()) {
                    throw new IllegalStateException("adopted " + o.adopted() + " of " + txs.size());
                }
                if (round >= rounds - rounds / 3) {
                    measured++;
                    for (int k = 0; k < 3; k++) {
                        nanos[k] += t[k + 1] - t[k];
                        bytes[k] += b[k + 1] - b[k];
                    }
                }
            }
        }
        String[] parts = {"BlockStmExecutor.execute (seed+validate)", "digests of written objects", "store.apply"};
        double n = (double) measured * txs.size();
        double totalNs = 0;
        double totalB = 0;
        System.out.printf("adopt path, transfers, commit of %d, %d measured rounds, per transaction:%n", txs.size(), measured);
        for (int k = 0; k < 3; k++) {
            System.out.printf("  %-42s %8.1f ns %8.0f B%n", parts[k], nanos[k] / n, bytes[k] / n);
            totalNs += nanos[k] / n;
            totalB += bytes[k] / n;
        }
        System.out.printf("  %-42s %8.1f ns %8.0f B%n", "total", totalNs, totalB);
    }
}
