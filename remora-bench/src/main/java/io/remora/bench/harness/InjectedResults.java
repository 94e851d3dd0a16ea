package io.remora.bench.harness;

import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Results;
import io.remora.core.store.InMemoryObjectStore;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The pre-recorded RESULTs that {@link ResultInjector}s replay: each transaction of a run pre-executed
 * (signature checked, real verdict in its lookup table) on exactly the state it will run on at the
 * primary, i.e. genesis plus every earlier transaction in consensus order, which in the harness is
 * the submission order (without {@code --shuffle-commits}). The primary's version checks then pass
 * for every one of them.
 *
 * <p>File layout, one record per transaction, in order:
 * <pre>
 *  0                        32            36
 *  +------------------------+-------------+---------------------------------+
 *  | transaction digest     | length u32  | RESULT payload (ClusterMessages  |
 *  | (32 bytes)             | (big end.)  | encoding of Results.of(result))  |
 *  +------------------------+-------------+---------------------------------+
 * </pre>
 *
 * <p>The file of the longest prefix computed so far is kept for the JVM's lifetime (recording costs a
 * signature check and an execution per transaction), so the points of a sweep share it.
 *
 * <p>Thread-safe (synchronized).
 */
public final class InjectedResults {
    static final int DIGEST_BYTES = 32;

    private static List<Transaction> cachedFor;
    private static int cachedCount;
    private static Path cachedFile;

    private InjectedResults() {
    }

    /**
     * Exact results of {@code txs[0..count)} in order from {@code genesis}, each handed to {@code sink}
     * as soon as it is computed (nothing is retained).
     */
    public static void exact(List<StoredObject> genesis, List<Transaction> txs, int count, TransactionExecutor executor,
                             Consumer<PreExecResult> sink) {
        InMemoryObjectStore replica = new InMemoryObjectStore(genesis);
        for (int i = 0; i < count; i++) {
            PreExecResult r = executor.preExecute(txs.get(i), replica, 0);
            replica.apply(r.effects());
            sink.accept(r);
        }
    }

    /** A file holding the recorded results of at least {@code txs[0..count)}; computed unless cached. */
    static synchronized Path file(List<StoredObject> genesis, List<Transaction> txs, int count, PrintStream log)
            throws IOException {
        if (cachedFor == txs && cachedCount >= count && Files.exists(cachedFile)) {
            return cachedFile;
        }
        int n = Math.min(count, txs.size());
        Path f = Files.createTempFile("remora-injected-", ".bin");
        f.toFile().deleteOnExit();
        long t0 = System.nanoTime();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 20))) {
            IOException[] failed = new IOException[1];
            exact(genesis, txs, n, BuiltinEngine.executor("injector"), r -> {
                try {
                    byte[] payload = ClusterMessages.encode(Results.of(r));
                    out.write(r.transaction().toBytes());
                    out.writeInt(payload.length);
                    out.write(payload);
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        }
        log.printf(Locale.ROOT, "injector: recorded %d exact results (%d MiB) in %.1f s%n", n, Files.size(f) >> 20,
                (System.nanoTime() - t0) / 1e9);
        if (cachedFile != null) {
            Files.deleteIfExists(cachedFile);
        }
        cachedFor = txs;
        cachedCount = n;
        cachedFile = f;
        return f;
    }
}
