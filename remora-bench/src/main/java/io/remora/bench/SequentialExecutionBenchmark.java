package io.remora.bench;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.LookupTable;
import io.remora.core.Transaction;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.Workload;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sequential execution per transaction, for every built-in workload, with and without the
 * signature check: the reference executor's cost, i.e. the baseline the primary must beat.
 *
 * <p>One operation is one transaction executed by {@link TransactionExecutor#execute} and its
 * effects applied to an {@link InMemoryObjectStore} (exactly what {@code SequentialExecutor}
 * does). Owned-object transactions can only run once, in order, so each invocation replays the
 * same pre-generated {@value #BATCH} transactions from a fresh copy of the genesis state (the copy
 * is made in an untimed {@code Level.Invocation} setup; an invocation takes milliseconds, so the
 * setup's timestamps are negligible). {@code signature=false} passes a lookup table whose
 * authenticator is VERIFIED, which skips the Ed25519 check and nothing else: the difference
 * between the two rows is the signature's share of sequential execution.
 *
 * <p>Baselines: the {@code signature=true} row of each workload is the sequential reference; the
 * {@code signature=false} row is the cost floor of executing at all.
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar SequentialExecutionBenchmark -rf json -rff seq.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SequentialExecutionBenchmark {
    /** Transactions replayed per invocation. */
    static final int BATCH = 1000;

    @Param({"transfers", "fib-10", "fib-1000", "fib-100000", "counters", "amm", "registry", "ycsbA"})
    public String workload;

    @Param({"true", "false"})
    public boolean signature;

    private TransactionExecutor executor;
    private List<Transaction> txs;
    private InMemoryObjectStore genesis;
    private LookupTable[] hints;
    private InMemoryObjectStore store;

    @Setup(Level.Trial)
    public void generate() {
        executor = Fixtures.executor();
        Workload w = Fixtures.workload(workload, BATCH);
        txs = w.transactions();
        genesis = w.genesisStore();
        hints = new LookupTable[txs.size()];
        for (int i = 0; i < hints.length; i++) {
            hints[i] = signature ? null : Fixtures.skipSignature(txs.get(i));
        }
    }

    @Setup(Level.Invocation)
    public void freshState() {
        store = genesis.copy();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Digest execute() {
        InMemoryObjectStore s = store;
        for (int i = 0; i < txs.size(); i++) {
            Effects e = executor.execute(txs.get(i), s, hints[i]).effects();
            s.apply(e);
        }
        return s.stateDigest();
    }
}
