package io.remora.core.workload;

import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.testkit.Oracle;
import io.remora.core.testkit.Seeds;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same seed gives the same workload, the same effects and the same state digest; in generation order it succeeds. */
class WorkloadDeterminismTest {
    static Stream<Arguments> workloads() {
        return Stream.of(
                Arguments.of("transfers", (LongFunction<WorkloadGenerator>) s -> Workloads.transfers(s, 16), 1.0),
                Arguments.of("coinOps", (LongFunction<WorkloadGenerator>) s -> Workloads.coinOps(s, 6), 0.85),
                Arguments.of("fib", (LongFunction<WorkloadGenerator>) s -> Workloads.fib(s, 8, 2_000), 1.0),
                Arguments.of("sharedCounters", (LongFunction<WorkloadGenerator>) s -> Workloads.sharedCounters(s, 10, 0.99), 1.0),
                Arguments.of("amm", (LongFunction<WorkloadGenerator>) s -> Workloads.amm(s, 3), 1.0),
                Arguments.of("registry", (LongFunction<WorkloadGenerator>) s -> Workloads.registry(s, 2, 16), 1.0),
                Arguments.of("ycsbA", (LongFunction<WorkloadGenerator>) s -> Workloads.ycsbA(s, 100), 1.0),
                Arguments.of("ycsbB", (LongFunction<WorkloadGenerator>) s -> Workloads.ycsbB(s, 100), 1.0),
                Arguments.of("tpcc1", (LongFunction<WorkloadGenerator>) s -> Workloads.tpcc(s, 1), 0.95),
                Arguments.of("tpcc4", (LongFunction<WorkloadGenerator>) s -> Workloads.tpcc(s, 4, 20, 5), 0.95),
                Arguments.of("hashes", (LongFunction<WorkloadGenerator>) s -> Workloads.hashes(s, 4, 50), 1.0),
                Arguments.of("mixed", (LongFunction<WorkloadGenerator>) Workloads::mixed, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldReplayIdenticallyAndSucceedInGenerationOrder(String kind, LongFunction<WorkloadGenerator> make, double minSuccess) {
        long seed = Seeds.seed("WorkloadDeterminismTest." + kind);
        Workload a = make.apply(seed).take(150);
        Workload b = make.apply(seed).take(150);
        assertEquals(a.genesis(), b.genesis(), Seeds.replay(seed));
        assertEquals(a.transactions(), b.transactions(), Seeds.replay(seed));

        Oracle.Run ra = Oracle.run(a);
        Oracle.Run rb = Oracle.run(b);
        assertEquals(ra.effects(), rb.effects(), Seeds.replay(seed));
        assertEquals(ra.stateDigest(), rb.stateDigest(), Seeds.replay(seed));

        long ok = ra.effects().stream().filter(e -> e.status().isSuccess()).count();
        assertTrue(ok >= minSuccess * a.transactions().size(), kind + ": " + ok + " of " + a.transactions().size()
                + " succeeded, first failure " + ra.effects().stream().filter(e -> !e.status().isSuccess())
                .map(Effects::status).findFirst() + "; " + Seeds.replay(seed));
        for (Effects e : ra.effects()) {
            if (e.status() instanceof ExecutionStatus.Failure f) {
                assertTrue(f.code() >= 1000, kind + ": only program aborts expected, got " + f + "; " + Seeds.replay(seed));
            }
        }
        // re-executing each transaction with its own lookup table as hints gives the same effects
        io.remora.core.store.InMemoryObjectStore store = a.genesisStore();
        io.remora.core.exec.TransactionExecutor pre = io.remora.core.engine.BuiltinEngine.executor("pre");
        io.remora.core.exec.TransactionExecutor primary = io.remora.core.engine.BuiltinEngine.executor("primary");
        for (int i = 0; i < a.transactions().size(); i++) {
            var tx = a.transactions().get(i);
            var preResult = pre.preExecute(tx, store, i);
            var hinted = primary.execute(tx, store, preResult.lookupTable());
            assertTrue(hinted.signatureSkipped());
            assertEquals(preResult.lookupTable().precompiles().size(), hinted.precompilesReused());
            assertEquals(ra.effects().get(i), hinted.effects(), "tx " + i + "; " + Seeds.replay(seed));
            store.apply(hinted.effects());
        }
        assertEquals(ra.stateDigest(), store.stateDigest());
        // the state digest kept incrementally equals one recomputed from scratch
        assertEquals(ra.stateDigest(), ra.store().copy().stateDigest());
    }
}
