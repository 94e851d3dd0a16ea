package io.remora.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.primary.CommitEffects;
import io.remora.primary.RemoraPrimary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproduction of a remora-primary bug the chaos run found (no crash, no pre-executor needed): with
 * commits persisted in several chunks ({@code commitChunkSize} below the commit's size) and the
 * object cache on (the default), the state digest, and sometimes an object, drifts from the
 * sequential reference's. {@code CommitPipeline.syncAndPublish} calls
 * {@code CommittedState.markDurable(k, changes)} once per chunk: for an object written in chunks 1
 * and 2 of commit k, the first call caches chunk 1's version and removes the overlay entry, which
 * holds chunk 2's (newer) version (its commit is k too); until the second call, a read by the
 * execution of commit k+1 (its {@code apply}, which removes the previous version from the digest,
 * or its workers) sees the stale version. Passes with one chunk per commit or with
 * {@code objectCacheSize(0)}. Disabled until the primary is fixed (e.g. mark the commit durable
 * once, with its chunks' changes merged, later chunks winning); fails in most rounds before.
 */
class ChunkedCommitCacheRaceTest {
    @Test
    @Disabled("remora-primary bug: per-chunk markDurable exposes a stale cached version; enable once fixed")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldMatchTheReferenceWithMultiChunkCommits(@TempDir Path tmp) throws Exception {
        int commits = 2000;
        int perCommit = 8;
        for (int round = 0; round < 4; round++) {
            Workload w = Workloads.sharedCounters(round, 2, 0.99).take(commits * perCommit);
            List<List<Transaction>> cs = new ArrayList<>();
            SequentialExecutor ref = new SequentialExecutor(BuiltinEngine.executor("oracle"), w.genesisStore());
            List<String> digests = new ArrayList<>();
            for (int c = 0; c < commits; c++) {
                List<Transaction> txs = w.transactions().subList(c * perCommit, (c + 1) * perCommit);
                cs.add(txs);
                txs.forEach(ref::execute);
                digests.add(ref.stateDigest().toHex());
            }
            try (RemoraPrimary p = RemoraPrimary.builder().dataDirectory(tmp.resolve("round-" + round))
                    .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                    .commitChunkSize(1).workerThreads(2).build()) {
                p.start();
                Random rnd = new Random(round);
                List<CompletableFuture<CommitEffects>> fs = new ArrayList<>();
                for (int c = 0; c < commits; c++) {
                    fs.add(p.submitCommit(c, cs.get(c)));
                    if (c > 0 && rnd.nextInt(3) == 0) {
                        fs.get(c - 1).get(); // commit c executes while c - 1 is being published
                    }
                }
                for (int c = 0; c < commits; c++) {
                    assertEquals(digests.get(c), fs.get(c).get().stateDigest().toHex(), "round " + round + ", commit " + c);
                }
            }
        }
    }
}
