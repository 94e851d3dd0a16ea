package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Digest;
import io.remora.core.Ed25519KeyPair;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.engine.CoinProgram;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.testkit.Seeds;
import io.remora.core.testkit.Signatures;
import io.remora.core.workload.Workload;
import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 (exactly once) when consensus orders a transaction again: a digest executes at most
 * once with a valid signature, across commits and restarts; later copies (any signature) are
 * DUPLICATE and write nothing; a forged copy ordered first does not block the genuine one; a
 * commit is re-acknowledged with exactly the effects it had. Checked against the sequential
 * reference, which applies the same rule.
 */
class ExactlyOnceTest {
    private static final Ed25519KeyPair ALICE = Ed25519KeyPair.generate(new Random(1));
    private static final Ed25519KeyPair BOB = Ed25519KeyPair.generate(new Random(2));

    @TempDir
    Path dir;

    private RemoraPrimary open(Path data, List<StoredObject> genesis, int threads) {
        RemoraPrimary p = RemoraPrimary.builder().dataDirectory(data)
                .transactionExecutor(BuiltinEngine.executor("primary")).workerThreads(threads)
                .resultWaitTimeout(Duration.ofMillis(1)).fsyncPolicy(FsyncPolicy.NEVER).genesis(genesis).build();
        p.start();
        return p;
    }

    private static Transaction mint(Ed25519KeyPair k, long nonce, long amount) {
        return Transaction.sign(k, nonce, 100_000, List.of(), CoinProgram.NAME, "mint", CoinProgram.mintArgs(amount));
    }

    private static Transaction garbled(Transaction tx, long seed) {
        byte[] sig = new byte[64];
        new Random(seed).nextBytes(sig);
        return tx.withSignature(sig);
    }

    private static int code(Effects e) {
        return e.status() instanceof ExecutionStatus.Failure f ? f.code() : 0;
    }

    @Test
    void shouldExecuteAMintOrderedAgainOnceAndKeepTheCoinsVersionMovingForward() throws Exception {
        try (RemoraPrimary p = open(dir, List.of(), 2)) {
            Transaction mint = mint(ALICE, 1, 1000);
            ObjectId coin = ObjectId.created(mint.digest(), 0);
            Effects minted = p.submitCommit(0, List.of(mint)).get(10, TimeUnit.SECONDS).effects().get(0);
            assertTrue(minted.status().isSuccess());
            Transaction split = Transaction.sign(ALICE, 2, 100_000, List.of(InputObject.owned(p.readObject(coin).ref())),
                    CoinProgram.NAME, "split", CoinProgram.splitArgs(400, BOB.address()));
            assertTrue(p.submitCommit(1, List.of(split)).get(10, TimeUnit.SECONDS).effects().get(0).status().isSuccess());
            long versionAfterSplit = p.readObject(coin).version();
            // Consensus orders the mint again: same signature, and a copy with a garbage signature.
            List<Effects> again = p.submitCommit(2, List.of(mint, garbled(mint, 3))).get(10, TimeUnit.SECONDS).effects();
            assertEquals(ExecutionStatus.DUPLICATE, code(again.get(0)));
            assertEquals(ExecutionStatus.DUPLICATE, code(again.get(1)));
            assertEquals(versionAfterSplit, p.readObject(coin).version(), "the coin's version does not go back");
            assertEquals(600, CoinProgram.balance(p.readObject(coin)), "supply is not minted twice");
            // A later transaction on the coin's current version is not stale.
            Transaction transfer = Transaction.sign(ALICE, 3, 100_000, List.of(InputObject.owned(p.readObject(coin).ref())),
                    CoinProgram.NAME, "transfer", CoinProgram.transferArgs(BOB.address()));
            assertTrue(p.submitCommit(3, List.of(transfer)).get(10, TimeUnit.SECONDS).effects().get(0).status().isSuccess());
            // Re-acknowledging commit 0 returns what it returned the first time.
            CommitEffects replay = p.submitCommit(0, List.of(mint)).get(10, TimeUnit.SECONDS);
            assertTrue(replay.timings().replayed());
            assertEquals(minted, replay.effects().get(0));
            assertEquals(again, p.submitCommit(2, List.of(mint, garbled(mint, 3))).get().effects());
        }
    }

    @Test
    void shouldNotLetAForgedCopyOrderedFirstBlockTheGenuineTransactionAcrossARestart() throws Exception {
        Transaction mint = mint(ALICE, 7, 50);
        Transaction other = Signatures.resigned(mint, ALICE, 99);
        List<List<Transaction>> commits = List.of(
                List.of(garbled(mint, 1)),                        // forged first: fails, marks nothing
                List.of(garbled(mint, 2), mint, other, mint),     // genuine executes once; later copies DUPLICATE
                List.of(other, garbled(mint, 3)));                // any later copy: DUPLICATE
        List<List<Effects>> first = new ArrayList<>();
        try (RemoraPrimary p = open(dir, List.of(), 3)) {
            for (int c = 0; c < 2; c++) {
                first.add(p.submitCommit(c, commits.get(c)).get(10, TimeUnit.SECONDS).effects());
            }
        }
        try (RemoraPrimary p = open(dir, List.of(), 1)) {
            assertEquals(1, p.lastExecutedCommit());
            first.add(p.submitCommit(2, commits.get(2)).get(10, TimeUnit.SECONDS).effects());
            for (int c = 0; c < 3; c++) {
                assertEquals(first.get(c), p.submitCommit(c, commits.get(c)).get().effects(), "re-acknowledged commit " + c);
            }
        }
        assertEquals(List.of(ExecutionStatus.INVALID_SIGNATURE), first.get(0).stream().map(ExactlyOnceTest::code).toList());
        assertEquals(List.of(ExecutionStatus.INVALID_SIGNATURE, 0, ExecutionStatus.DUPLICATE, ExecutionStatus.DUPLICATE),
                first.get(1).stream().map(ExactlyOnceTest::code).toList());
        assertEquals(List.of(ExecutionStatus.DUPLICATE, ExecutionStatus.DUPLICATE),
                first.get(2).stream().map(ExactlyOnceTest::code).toList());
        SequentialExecutor oracle = new SequentialExecutor(BuiltinEngine.executor("oracle"), new InMemoryObjectStore());
        for (int c = 0; c < 3; c++) {
            assertEquals(first.get(c), oracle.executeAll(commits.get(c)), "the reference agrees on commit " + c);
        }
    }

    @Test
    void shouldRefuseACommitResubmittedWithOtherSignaturesAndGoOn() throws Exception {
        Transaction a = mint(ALICE, 1, 5);
        Transaction b = mint(BOB, 1, 6);
        try (RemoraPrimary p = open(dir, List.of(), 2)) {
            List<Effects> first = p.submitCommit(0, List.of(a, b)).get(10, TimeUnit.SECONDS).effects();
            CommitMismatchException resigned = assertThrows(CommitMismatchException.class,
                    () -> p.submitCommit(0, List.of(a, Signatures.resigned(b, BOB, 5))));
            assertEquals(0, resigned.commitIndex());
            assertTrue(resigned.getMessage().contains("signature"), resigned.getMessage());
            CommitMismatchException reordered = assertThrows(CommitMismatchException.class,
                    () -> p.submitCommit(0, List.of(b, a)));
            assertEquals(0, reordered.position());
            assertEquals(-1, assertThrows(CommitMismatchException.class, () -> p.submitCommit(0, List.of(a))).position());
            assertEquals(first, p.submitCommit(0, List.of(a, b)).get().effects());
            assertTrue(p.submitCommit(1, List.of(mint(ALICE, 2, 1))).get(10, TimeUnit.SECONDS).effects().get(0)
                    .status().isSuccess(), "the primary goes on");
        }
    }

    @Test
    void shouldGiveTypedErrorsForNullArgumentsAndGoOn() throws Exception {
        assertInvalid("genesis[1]", () -> RemoraPrimary.builder().genesis(java.util.Arrays.asList(
                CoinProgram.genesisCoin(ObjectId.of(1, 2, 3, 4), ALICE.address(), 1), null)));
        try (RemoraPrimary p = open(dir, List.of(), 2)) {
            assertInvalid("transactions", () -> p.submitCommit(0, null));
            assertInvalid("transactions[1]", () -> p.submitCommit(0, java.util.Arrays.asList(mint(ALICE, 1, 1), null)));
            assertInvalid("commitIndex", () -> p.submitCommit(-1, List.of()));
            assertTrue(p.submitCommit(0, List.of(mint(ALICE, 1, 1))).get(10, TimeUnit.SECONDS).effects().get(0)
                    .status().isSuccess());
        }
    }

    private static void assertInvalid(String name, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(name + "=") && e.getMessage().contains("(expected: "), e.getMessage());
    }

    /**
     * Copies of earlier transactions at random positions (same signature, another valid one, a
     * garbage one, forged copies sometimes first), results of every kind, 1 to 8 threads, clean
     * restarts at random commit boundaries: per-transaction effects and digests equal the
     * reference's; the coin supply is conserved.
     */
    @Test
    void shouldMatchTheReferenceWithCopiesAtRandomPositionsAndRestarts() throws Exception {
        long seed = Seeds.seed("ExactlyOnceTest");
        Random rnd = new Random(seed);
        int duplicates = 0;
        for (int c = 0; c < 24; c++) {
            long caseSeed = rnd.nextLong();
            int kind = c % 3;
            WorkloadGenerator g = kind == 0 ? Workloads.coinOps(caseSeed, 5)
                    : kind == 1 ? Workloads.transfers(caseSeed, 6) : Workloads.mixed(caseSeed);
            Workload w = g.take(30 + rnd.nextInt(40));
            Random caseRnd = new Random(caseSeed);
            List<List<Transaction>> commits = Duplicates.inject(Reference.cut(w.transactions(), 12, caseRnd), g, caseRnd, 0.2);
            String label = "case " + c + " (" + w.name() + ", caseSeed=" + caseSeed + ") of " + Seeds.replay(seed);
            duplicates += runCase(w, commits, caseRnd, tmpDir(c), label);
        }
        assertTrue(duplicates > 50, "duplicates drawn: " + duplicates + "; " + Seeds.replay(seed));
    }

    private Path tmpDir(int c) {
        return dir.resolve("case-" + c);
    }

    private int runCase(Workload w, List<List<Transaction>> commits, Random rnd, Path data, String label) throws Exception {
        Map<Digest, PreExecResult> correct = new HashMap<>();
        Reference ref = Reference.run(w, commits, (c, tx, live) ->
                correct.putIfAbsent(tx.digest(), Reference.EXECUTOR.preExecute(tx, live, c - 1L)));
        int threads = 1 + rnd.nextInt(8);
        RemoraPrimary p = open(data, w.genesis(), threads);
        try {
            List<CompletableFuture<CommitEffects>> futures = new ArrayList<>();
            for (int c = 0; c < commits.size(); c++) {
                if (rnd.nextInt(6) == 0) {
                    for (CompletableFuture<CommitEffects> f : futures) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                    p.close(); // restart: the executed-digest index must survive it
                    p = open(data, w.genesis(), 1 + rnd.nextInt(8));
                    assertEquals(c - 1, p.lastExecutedCommit(), label);
                }
                for (Transaction tx : commits.get(c)) {
                    int fault = rnd.nextInt(4);
                    if (fault == 0) {
                        p.offerResult(correct.get(tx.digest()));
                    } else if (fault == 1) {
                        p.offerResult(Reference.EXECUTOR.preExecute(tx, ref.snapshots.get(c), c - 1L));
                    } else if (fault == 2) {
                        p.offerResult(Reference.EXECUTOR.verifyOnly(tx, ref.snapshots.get(c), c - 1L));
                    }
                }
                int index = c;
                futures.add(p.submitCommit(c, commits.get(c)).thenApply(ce -> {
                    assertEquals(ref.effects.get(index), ce.effects(), label + ": effects of commit " + index);
                    assertEquals(ref.digestAfter.get(index), ce.stateDigest(), label + ": digest after commit " + index);
                    return ce;
                }));
            }
            for (CompletableFuture<CommitEffects> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(ref.finalDigest(), p.stateDigest(), label);
            int k = rnd.nextInt(commits.size());
            assertEquals(ref.effects.get(k), p.submitCommit(k, commits.get(k)).get().effects(), label + ": re-ack " + k);
        } finally {
            p.close();
        }
        if (w.name().startsWith("coinOps")) {
            assertEquals(supply(w.genesisStore()), supply(ref.snapshots.get(ref.snapshots.size() - 1)), label + ": supply");
        }
        int duplicates = 0;
        for (List<Effects> commit : ref.effects) {
            duplicates += (int) commit.stream().filter(e -> code(e) == ExecutionStatus.DUPLICATE).count();
        }
        return duplicates;
    }

    private static long supply(InMemoryObjectStore store) {
        long total = 0;
        for (StoredObject o : store.objects()) {
            if (o.typeTag().equals(CoinProgram.TYPE)) {
                total += CoinProgram.balance(o);
            }
        }
        return total;
    }

    /**
     * A consensus engine decides commit sizes: 250,000 transactions execute in one commit, persist
     * in chunks and are re-acknowledged after a restart with the same effects. Mints are
     * independent of each other, so the oracle runs as sequential executors over disjoint ranges in
     * parallel (the state digest is a sum over objects, independent of order), and the primary gets
     * an honest pre-executor's result for 99% of them: the test checks the commit's size, not the
     * machine's signature rate.
     */
    @Test
    @Timeout(300)
    void shouldExecuteAndPersistACommitOf250000Transactions() throws Exception {
        int n = 250_000;
        int ranges = 10;
        List<Ed25519KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            keys.add(Ed25519KeyPair.generate(new Random(100 + i)));
        }
        Transaction[] signed = new Transaction[n];
        java.util.stream.IntStream.range(0, n).parallel()
                .forEach(i -> signed[i] = mint(keys.get(i % keys.size()), i, 1 + i % 1000));
        signed[n - 1] = signed[n - 2]; // consensus ordered the last one twice: a DUPLICATE, in the oracle too
        List<Transaction> txs = List.of(signed);
        int per = n / ranges;
        List<List<Effects>> parts = java.util.stream.IntStream.range(0, ranges).parallel().mapToObj(r ->
                new SequentialExecutor(BuiltinEngine.executor("oracle"), new InMemoryObjectStore())
                        .executeAll(txs.subList(r * per, r == ranges - 1 ? n : (r + 1) * per))).toList();
        List<Effects> expected = new ArrayList<>(n);
        parts.forEach(expected::addAll);
        io.remora.core.store.StateDigest digest = new io.remora.core.store.StateDigest();
        expected.forEach(e -> e.written().forEach(w -> digest.add(w.object())));
        assertEquals(ExecutionStatus.DUPLICATE, code(expected.get(n - 1)));
        List<Effects> first;
        try (RemoraPrimary p = open(dir, List.of(), 2)) {
            for (int i = 0; i < n; i++) {
                if (i % 100 != 0) { // an honest pre-executor answered 99%: no inputs, nothing read, signature verified
                    p.offerResult(PreExecResult.full(expected.get(i), new io.remora.core.LookupTable(List.of(), List.of(),
                            io.remora.core.Authenticator.verified(txs.get(i), "pre-1")), -1));
                }
            }
            first = p.submitCommit(0, txs).get(240, TimeUnit.SECONDS).effects();
            assertEquals(digest.digest(), p.stateDigest());
        }
        assertEquals(expected, first);
        try (RemoraPrimary p = open(dir, List.of(), 2)) {
            assertEquals(0, p.lastExecutedCommit());
            assertEquals(digest.digest(), p.stateDigest());
            CommitEffects again = p.submitCommit(0, txs).get(60, TimeUnit.SECONDS);
            assertTrue(again.timings().replayed());
            assertEquals(expected, again.effects());
        }
    }
}
