package io.remora.bench;

import io.remora.core.Digest;
import io.remora.core.LookupTable;
import io.remora.core.PreExecResult;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hinted re-execution per transaction (issue 3): executing a transaction with its pre-executor's
 * lookup table as hints ({@code TransactionExecutor.execute(tx, state, table)}: the VERIFIED
 * authenticator skips the Ed25519 check, precompile outputs are reused) side by side with full
 * execution ({@code execute(tx, state)}, signature checked) of the same transactions in the same
 * run. Both apply the effects to the store, as the sequential reference does.
 *
 * <p>Input: {@value #BATCH} conflict-free transfers (1,000 accounts) and the lookup tables of their
 * exact pre-executions; each invocation replays them from a fresh copy of genesis (untimed
 * {@code Level.Invocation} setup), scores are per transaction. Baseline: {@code full}. Target
 * (issue 3): {@code hinted} at least 8x cheaper.
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar HintedReexecutionBenchmark -rf json -rff hinted.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class HintedReexecutionBenchmark {
    /** Transactions replayed per invocation. */
    static final int BATCH = 1000;

    private TransactionExecutor executor;
    private List<Transaction> txs;
    private LookupTable[] tables;
    private InMemoryObjectStore genesis;
    private InMemoryObjectStore store;

    @Setup(Level.Trial)
    public void generate() {
        executor = Fixtures.executor();
        Workload w = Fixtures.workload("transfers", BATCH);
        txs = w.transactions();
        genesis = w.genesisStore();
        PreExecResult[] results = Fixtures.exactResults(w, executor);
        Fixtures.requireAllSucceed(w, results);
        tables = new LookupTable[BATCH];
        for (int i = 0; i < BATCH; i++) {
            tables[i] = results[i].lookupTable();
        }
    }

    @Setup(Level.Invocation)
    public void freshState() {
        store = genesis.copy();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Digest hinted() {
        InMemoryObjectStore s = store;
        for (int i = 0; i < BATCH; i++) {
            s.apply(executor.execute(txs.get(i), s, tables[i]).effects());
        }
        return s.stateDigest();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Digest full() {
        InMemoryObjectStore s = store;
        for (Transaction tx : txs) {
            s.apply(executor.execute(tx, s).effects());
        }
        return s.stateDigest();
    }
}
