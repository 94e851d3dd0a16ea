package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Digest;
import io.remora.core.ExecutionStatus;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.MessageCodec;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoraPrimaryTest {
    static final Workload WORKLOAD = Workloads.transfers(42, 8).take(40);
    static final List<List<Transaction>> COMMITS = List.of(
            WORKLOAD.transactions().subList(0, 10), WORKLOAD.transactions().subList(10, 20),
            WORKLOAD.transactions().subList(20, 30), WORKLOAD.transactions().subList(30, 40));
    static final Reference REF = Reference.run(WORKLOAD, COMMITS, null);

    @TempDir
    Path dir;

    private RemoraPrimary.Builder builder() {
        return RemoraPrimary.builder()
                .dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary"))
                .workerThreads(2)
                .resultWaitTimeout(Duration.ZERO)
                // No audits (a random 1% of relied-on results): the tests count reused hints exactly.
                .auditRate(0)
                .genesis(WORKLOAD.genesis());
    }

    private RemoraPrimary started(Consumer<RemoraPrimary.Builder> config) {
        RemoraPrimary.Builder b = builder();
        config.accept(b);
        RemoraPrimary p = b.build();
        p.start();
        return p;
    }

    private static void assertInvalid(String name, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(name + "=") && e.getMessage().contains("(expected: "), e.getMessage());
    }

    @Test
    void shouldRejectInvalidConfigurationWithNameValueExpectedMessages() {
        RemoraPrimary.Builder b = RemoraPrimary.builder();
        assertInvalid("workerThreads", () -> b.workerThreads(0));
        assertInvalid("workerThreads", () -> b.workerThreads(1025));
        assertInvalid("resultWaitTimeout", () -> b.resultWaitTimeout(Duration.ofMillis(-1)));
        assertInvalid("resultWaitTimeout", () -> b.resultWaitTimeout(null));
        assertInvalid("adaptiveResultWait", () -> b.adaptiveResultWait(null));
        assertInvalid("adaptiveResultWait", () -> b.adaptiveResultWait(Duration.ofMillis(-1)));
        assertInvalid("adaptiveResultWait", RemoraPrimary.builder().dataDirectory(dir).builtinEngine()
                .resultWaitTimeout(Duration.ofMillis(30)).adaptiveResultWait(Duration.ofMillis(20))::build);
        assertInvalid("resultTableCapacity", () -> b.resultTableCapacity(0));
        assertInvalid("resultTableCapacity", () -> b.resultTableCapacity((1 << 24) + 1));
        assertInvalid("objectCacheSize", () -> b.objectCacheSize(-1));
        assertInvalid("memtableBytes", () -> b.memtableBytes((1 << 20) - 1));
        assertInvalid("nodeId", () -> b.nodeId(""));
        assertInvalid("nodeId", () -> b.nodeId("x".repeat(256)));
        assertInvalid("fsyncPolicy", () -> b.fsyncPolicy(null));
        assertInvalid("dataDirectory", () -> b.dataDirectory(null));
        assertInvalid("engine", () -> b.executionEngine(null, BuiltinEngine.precompiles()));
        assertInvalid("dataDirectory", b::build);
        b.dataDirectory(dir);
        assertInvalid("executionEngine", b::build);
        b.transactionExecutor(BuiltinEngine.executor("p")).executionEngine(BuiltinEngine.instance(), BuiltinEngine.precompiles());
        assertInvalid("executionEngine", b::build);
    }

    @Test
    void shouldRejectUseBeforeStartAndAfterClose() {
        RemoraPrimary p = builder().build();
        assertThrows(IllegalStateException.class, p::lastExecutedCommit);
        assertThrows(IllegalStateException.class, () -> p.submitCommit(0, COMMITS.get(0)));
        p.start();
        assertThrows(IllegalStateException.class, p::start);
        p.close();
        p.close(); // idempotent
        assertThrows(IllegalStateException.class, p::stateDigest);
        assertThrows(IllegalStateException.class, () -> p.readObject(ObjectId.ZERO));
        assertThrows(IllegalStateException.class, () -> p.offerResult(new byte[] {1}));
        assertThrows(IllegalStateException.class, p::start);
    }

    @Test
    void shouldExecuteWithAnEngineAndPrecompilesAndDeliverInOrderToTheListener() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (RemoraPrimary p = started(b -> b.transactionExecutor(BuiltinEngine.executor("x"))
                .commitListener(ce -> seen.add(ce.commitIndex())))) {
            assertEquals(-1, p.lastExecutedCommit());
            assertEquals(REF.snapshots.get(0).stateDigest(), p.stateDigest(), "genesis digest");
            List<CompletableFuture<CommitEffects>> fs = new ArrayList<>();
            for (int c = 0; c < COMMITS.size(); c++) {
                fs.add(p.submitCommit(c, COMMITS.get(c)));
            }
            for (int c = 0; c < COMMITS.size(); c++) {
                assertEquals(REF.effects.get(c), fs.get(c).get().effects());
            }
            assertEquals(List.of(0L, 1L, 2L, 3L), seen);
            assertEquals(REF.finalDigest(), p.stateDigest());
            PrimaryMetrics m = p.metrics();
            assertEquals(4, m.commitsExecuted());
            assertEquals(4, m.execution().count());
            assertEquals(4, m.persistence().count());
            assertEquals(40, m.reexecutedNoResult());
        }
        RemoraPrimary.Builder b = RemoraPrimary.builder().dataDirectory(dir.resolve("engine"))
                .executionEngine(BuiltinEngine.instance(), BuiltinEngine.precompiles()).genesis(WORKLOAD.genesis());
        try (RemoraPrimary p = b.build()) {
            p.start();
            assertEquals(REF.effects.get(0), p.submitCommit(0, COMMITS.get(0)).get().effects());
        }
        // builtinEngine(): the built-in programs without the host naming BuiltinEngine.
        try (RemoraPrimary p = RemoraPrimary.builder().dataDirectory(dir.resolve("builtin")).builtinEngine()
                .genesis(WORKLOAD.genesis()).build()) {
            p.start();
            for (int c = 0; c < COMMITS.size(); c++) {
                assertEquals(REF.effects.get(c), p.submitCommit(c, COMMITS.get(c)).get().effects());
            }
            assertEquals(REF.finalDigest(), p.stateDigest());
        }
        assertInvalid("executionEngine", RemoraPrimary.builder().dataDirectory(dir.resolve("both")).builtinEngine()
                .transactionExecutor(BuiltinEngine.executor("p"))::build);
    }

    @Test
    void shouldRecoverAndAcknowledgeResubmittedCommitsIdempotentlyAfterRestart() throws Exception {
        List<CommitEffects> first = new ArrayList<>();
        // The smallest memtables allowed: the store flushes to table files as it goes.
        try (RemoraPrimary p = started(b -> b.fsyncPolicy(FsyncPolicy.EVERY_COMMIT).memtableBytes(1 << 20))) {
            for (int c = 0; c < 3; c++) {
                first.add(p.submitCommit(c, COMMITS.get(c)).get());
            }
        }
        // Reopening in the same JVM also proves every RocksDB handle was closed (the DB lock is released).
        List<CommitEffects> listened = new CopyOnWriteArrayList<>();
        try (RemoraPrimary p = started(b -> b.commitListener(listened::add))) {
            assertEquals(2, p.lastExecutedCommit());
            assertEquals(REF.digestAfter.get(2), p.stateDigest());
            for (int c = 0; c < 3; c++) {
                CommitEffects again = p.submitCommit(c, COMMITS.get(c)).get();
                assertEquals(first.get(c).effects(), again.effects());
                assertEquals(first.get(c).stateDigest(), again.stateDigest());
                assertTrue(again.timings().replayed());
            }
            assertThrows(IllegalArgumentException.class, () -> p.submitCommit(1, COMMITS.get(2)));
            CommitGapException gap = assertThrows(CommitGapException.class, () -> p.submitCommit(5, COMMITS.get(3)));
            assertEquals(3, gap.expectedIndex());
            assertTrue(listened.isEmpty(), "re-submissions are not published again");
            assertEquals(REF.effects.get(3), p.submitCommit(3, COMMITS.get(3)).get().effects());
            assertEquals(REF.finalDigest(), p.stateDigest());
            for (StoredObject o : REF.snapshots.get(4).objects()) {
                assertEquals(o, p.readObject(o.id()));
            }
        }
        try (RemoraPrimary p = started(b -> b.objectCacheSize(0))) {
            assertEquals(3, p.lastExecutedCommit());
            assertEquals(REF.finalDigest(), p.stateDigest());
        }
    }

    @Test
    void shouldRejectAGapOnAFreshStore() {
        try (RemoraPrimary p = started(b -> { })) {
            CommitGapException e = assertThrows(CommitGapException.class, () -> p.submitCommit(1, COMMITS.get(0)));
            assertEquals(0, e.expectedIndex());
            assertEquals(1, e.submittedIndex());
            assertThrows(IllegalArgumentException.class, () -> p.submitCommit(-1, COMMITS.get(0)));
        }
    }

    @Test
    void shouldAcknowledgeAnInFlightResubmissionWithTheSameEffects() throws Exception {
        try (RemoraPrimary p = started(b -> b.resultWaitTimeout(Duration.ofSeconds(30)))) {
            // Commit 0 waits for the results the host said it will offer (long timeout): re-submit
            // it while in flight.
            COMMITS.get(0).forEach(tx -> p.expectResult(tx.digest(), null));
            CompletableFuture<CommitEffects> f = p.submitCommit(0, COMMITS.get(0));
            CompletableFuture<CommitEffects> g = p.submitCommit(0, COMMITS.get(0));
            for (Transaction tx : COMMITS.get(0)) {
                p.offerResult(Reference.EXECUTOR.verifyOnly(tx, REF.snapshots.get(0), -1));
            }
            assertEquals(f.get().effects(), g.get().effects());
            assertEquals(REF.effects.get(0), g.get().effects());
            assertEquals(10, p.metrics().signaturesSkipped());
        }
    }

    /** With nothing routed anywhere, a commit never waits for results that cannot come. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void shouldNotWaitForResultsNobodyWasAskedFor() throws Exception {
        try (RemoraPrimary p = started(b -> b.resultWaitTimeout(Duration.ofHours(1)))) {
            for (int c = 0; c < COMMITS.size(); c++) {
                assertEquals(REF.effects.get(c), p.submitCommit(c, COMMITS.get(c)).get().effects());
            }
        }
    }

    @Test
    void shouldRefuseToStartWithAnotherGenesis() {
        try (RemoraPrimary p = started(b -> { })) {
            assertNotNull(p.stateDigest());
        }
        RemoraPrimary other = builder().genesis(WORKLOAD.genesis().subList(1, WORKLOAD.genesis().size())).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, other::start);
        assertTrue(e.getMessage().contains("genesis"), e.getMessage());
        other.close();
        try (RemoraPrimary p = started(b -> { })) { // the failed start released the store
            assertEquals(-1, p.lastExecutedCommit());
        }
    }

    @Test
    void shouldCountAndSurviveMalformedResultBytes() throws Exception {
        try (RemoraPrimary p = started(b -> { })) {
            byte[] good = MessageCodec.encode(Reference.EXECUTOR.preExecute(COMMITS.get(0).get(0), REF.snapshots.get(0), -1));
            List<byte[]> bad = List.of(new byte[0], new byte[] {1}, Arrays.copyOf(good, good.length - 1),
                    Arrays.copyOf(good, good.length + 1), withByte(good, 0, 9), withByte(good, 1, 1), withByte(good, 2, 7));
            for (byte[] b : bad) {
                assertThrows(CodecException.class, () -> p.offerResult(b));
            }
            assertEquals(bad.size(), p.metrics().resultsUndecodable());
            assertEquals(OfferOutcome.ACCEPTED, p.offerResult(good));
            assertEquals(OfferOutcome.DUPLICATE, p.offerResult(good));
            for (int c = 0; c < COMMITS.size(); c++) {
                assertEquals(REF.effects.get(c), p.submitCommit(c, COMMITS.get(c)).get().effects());
            }
            assertEquals(1, p.metrics().adopted());
            assertEquals(OfferOutcome.LATE, p.offerResult(good));
            assertEquals(REF.finalDigest(), p.stateDigest());
        }
    }

    private static byte[] withByte(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    @Test
    void shouldDropResultsForUnknownTransactionsBeyondCapacity() throws Exception {
        Workload other = Workloads.transfers(7, 4).take(12);
        try (RemoraPrimary p = started(b -> b.resultTableCapacity(5))) {
            for (Transaction tx : other.transactions()) {
                PreExecResult r = Reference.EXECUTOR.preExecute(tx, other.genesisStore(), -1);
                assertEquals(OfferOutcome.ACCEPTED, p.offerResult(r));
            }
            assertEquals(12 - 5, p.metrics().resultsDropped());
            assertEquals(REF.effects.get(0), p.submitCommit(0, COMMITS.get(0)).get().effects());
            assertEquals(0, p.metrics().adopted());
        }
    }

    @Test
    void shouldFailATransactionWithAnInvalidSignatureAndGoOn() throws Exception {
        Transaction valid = COMMITS.get(0).get(0);
        byte[] sig = valid.signature();
        sig[0] ^= 1;
        Transaction forged = valid.withSignature(sig);
        List<Transaction> commit0 = new ArrayList<>(COMMITS.get(0));
        commit0.set(0, forged);
        List<List<Transaction>> commits = new ArrayList<>(COMMITS);
        commits.set(0, commit0);
        Reference ref = Reference.run(WORKLOAD, commits, null);
        try (RemoraPrimary p = started(b -> { })) {
            for (int c = 0; c < commits.size(); c++) {
                assertEquals(ref.effects.get(c), p.submitCommit(c, commits.get(c)).get().effects());
            }
            CommitEffects replay = p.submitCommit(0, commit0).get();
            ExecutionStatus s = replay.effects().get(0).status();
            assertFalse(s.isSuccess());
            assertEquals(ExecutionStatus.INVALID_SIGNATURE, ((ExecutionStatus.Failure) s).code());
            assertEquals(ref.finalDigest(), p.stateDigest());
        }
    }

    @Test
    void shouldCountListenerErrorsAndKeepPublishing() throws Exception {
        try (RemoraPrimary p = started(b -> b.commitListener(ce -> {
            throw new IllegalStateException("host bug");
        }))) {
            for (int c = 0; c < COMMITS.size(); c++) {
                p.submitCommit(c, COMMITS.get(c)).get();
            }
            assertEquals(4, p.metrics().listenerErrors());
            assertEquals(3, p.lastExecutedCommit());
        }
    }

    @Test
    void shouldFailRatherThanHangWhenTheListenerThrowsAnError() throws Exception {
        // An Error (not a RuntimeException) escaping the listener stops publication: that commit's
        // future and every later one's fail; the commits before stay published.
        try (RemoraPrimary p = started(b -> b.commitListener(ce -> {
            if (ce.commitIndex() == 1) {
                throw new StackOverflowError("host bug");
            }
        }))) {
            List<CompletableFuture<CommitEffects>> futures = new ArrayList<>();
            for (int c = 0; c < COMMITS.size(); c++) {
                futures.add(p.submitCommit(c, COMMITS.get(c)));
            }
            assertEquals(REF.effects.get(0), futures.get(0).get(30, java.util.concurrent.TimeUnit.SECONDS).effects());
            for (int c = 1; c < COMMITS.size(); c++) {
                int commit = c;
                assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> futures.get(commit).get(30, java.util.concurrent.TimeUnit.SECONDS), "commit " + c);
            }
        }
    }

    @Test
    void shouldReadAbsentObjectsAsNull() {
        try (RemoraPrimary p = started(b -> { })) {
            assertNull(p.readObject(Digest.of(1, 2, 3, 4).asObjectId()));
        }
    }
}
