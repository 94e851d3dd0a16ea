package io.remora.core.testkit;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.Workload;
import java.util.List;

/**
 * The sequential reference run of a workload: what every other execution path is compared with.
 *
 * <pre>
 *   Oracle.Run expected = Oracle.run(workload);
 *   assertEquals(expected.stateDigest(), primary.stateDigest());
 * </pre>
 */
public final class Oracle {
    private Oracle() {
    }

    /** The reference effects of each transaction, the final store and its digest. */
    public record Run(List<Effects> effects, InMemoryObjectStore store, Digest stateDigest) {
    }

    /** Runs {@code workload} sequentially from its genesis with the built-in engine. */
    public static Run run(Workload workload) {
        InMemoryObjectStore store = workload.genesisStore();
        SequentialExecutor seq = new SequentialExecutor(BuiltinEngine.executor("oracle"), store);
        List<Effects> effects = seq.executeAll(workload.transactions());
        return new Run(effects, store, store.stateDigest());
    }
}
