package io.remora.bench;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.MessageCodec;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.Workload;
import io.remora.primary.internal.BlockStmExecutor;
import io.remora.primary.internal.CommitOutcome;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The adopt path per transaction (issue 3): what the primary pays for a transaction whose
 * pre-execution result is exact, side by side with full sequential execution of the same
 * transaction (signature check included) in the same run.
 *
 * <p>Input: a commit of {@value #COMMIT} conflict-free transfers (1,000 accounts), each with the
 * result of {@code TransactionExecutor.preExecute} on exactly the state it runs on. One invocation
 * executes the whole commit from a fresh copy of genesis (copied in an untimed
 * {@code Level.Invocation} setup); scores are per transaction ({@code @OperationsPerInvocation}).
 *
 * <ul>
 *   <li>{@code adopt}: {@link BlockStmExecutor#execute} on one thread (every result is exact, so
 *       its adopt-all fast path: validate every read by version and digest in position order,
 *       nothing executed; before that path existed, the same call seeded every result into the
 *       multi-version memory as incarnation 0 and validated there) plus applying the 1,000
 *       effects to the store. The results are decoded from their wire encoding in the
 *       untimed setup, so object digests are not cached: they are computed in the measured path,
 *       as on a primary that received the results over the network.</li>
 *   <li>{@code adoptPrehashed}: the same with result objects whose digests are already cached
 *       (the in-memory results the pre-executor produced): the cost without object hashing.</li>
 *   <li>{@code sequential}: the baseline, full execution with the signature check plus apply
 *       ({@code SequentialExecutor}). Target (remora.md section 10, issue 3): adopt at least 30x
 *       cheaper.</li>
 *   <li>{@code hashMapFloor}: a floor for comparison: one {@code HashMap.get} per recorded read
 *       and one {@code HashMap.put} per written object, the raw map operations adopting implies.</li>
 * </ul>
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar AdoptBenchmark -rf json -rff adopt.json
 * java -jar remora-bench/target/benchmarks.jar AdoptBenchmark.adopt -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class AdoptBenchmark {
    /** Transactions per commit. */
    static final int COMMIT = 1000;

    private TransactionExecutor executor;
    private BlockStmExecutor blockStm;
    private List<Transaction> txs;
    private InMemoryObjectStore genesis;
    private PreExecResult[] results;
    private byte[][] encodedResults;

    private InMemoryObjectStore store;

    @Setup(Level.Trial)
    public void generate() {
        executor = Fixtures.executor();
        blockStm = new BlockStmExecutor(executor, 1, "bench-blockstm");
        Workload w = Fixtures.workload("transfers", COMMIT);
        txs = w.transactions();
        genesis = w.genesisStore();
        results = Fixtures.exactResults(w, executor);
        Fixtures.requireAllSucceed(w, results);
        encodedResults = new byte[COMMIT][];
        for (int i = 0; i < COMMIT; i++) {
            encodedResults[i] = MessageCodec.encode(results[i]);
        }
        // Every result must be adopted, or this benchmark measures something else.
        CommitOutcome o = blockStm.execute(txs, results, genesis.copy());
        if (o.adopted() != COMMIT) {
            throw new IllegalStateException("adopted " + o.adopted() + " of " + COMMIT);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        blockStm.close();
    }

    @Setup(Level.Invocation)
    public void freshState() {
        store = genesis.copy();
    }

    /** Results as received from the wire: decoded per invocation, digests not yet computed. */
    @State(Scope.Benchmark)
    public static class Decoded {
        PreExecResult[] results;

        @Setup(Level.Invocation)
        public void decode(AdoptBenchmark b) {
            results = new PreExecResult[COMMIT];
            for (int i = 0; i < COMMIT; i++) {
                results[i] = MessageCodec.decodePreExecResult(b.encodedResults[i]);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(COMMIT)
    public Digest adopt(Decoded decoded) {
        return adoptAndApply(decoded.results);
    }

    @Benchmark
    @OperationsPerInvocation(COMMIT)
    public Digest adoptPrehashed() {
        return adoptAndApply(results);
    }

    private Digest adoptAndApply(PreExecResult[] rs) {
        InMemoryObjectStore s = store;
        CommitOutcome o = blockStm.execute(txs, rs, s);
        for (Effects e : o.effects()) {
            s.apply(e);
        }
        return s.stateDigest();
    }

    @Benchmark
    @OperationsPerInvocation(COMMIT)
    public Digest sequential() {
        InMemoryObjectStore s = store;
        for (Transaction tx : txs) {
            s.apply(executor.execute(tx, s).effects());
        }
        return s.stateDigest();
    }

    /** Per-trial map for {@link #hashMapFloor}, seeded with genesis. */
    @State(Scope.Benchmark)
    public static class Floor {
        HashMap<ObjectId, StoredObject> map;

        @Setup(Level.Invocation)
        public void fill(AdoptBenchmark b) {
            map = new HashMap<>(4 * COMMIT);
            for (StoredObject o : b.genesis.objects()) {
                map.put(o.id(), o);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(COMMIT)
    public int hashMapFloor(Floor floor) {
        HashMap<ObjectId, StoredObject> map = floor.map;
        int found = 0;
        for (PreExecResult r : results) {
            for (ObjectRef ref : r.lookupTable().reads()) {
                if (map.get(ref.id()) != null) {
                    found++;
                }
            }
            for (Effects.Written w : r.effects().written()) {
                map.put(w.object().id(), w.object());
            }
        }
        return found;
    }
}
