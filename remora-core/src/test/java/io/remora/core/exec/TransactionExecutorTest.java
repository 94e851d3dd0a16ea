package io.remora.core.exec;

import io.remora.core.Authenticator;
import io.remora.core.Ed25519KeyPair;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.LookupTable;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.engine.CoinProgram;
import io.remora.core.engine.HashProgram;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.testkit.Seeds;
import io.remora.core.testkit.Shrink;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor's authenticator, owned-input, pre-execution and hint semantics. */
class TransactionExecutorTest {
    private final TransactionExecutor executor = BuiltinEngine.executor("test-node");
    private final Random random = new Random(7);
    private final Ed25519KeyPair alice = Ed25519KeyPair.generate(random);
    private final Ed25519KeyPair bob = Ed25519KeyPair.generate(random);

    private ObjectId newId() {
        return ObjectId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    private static int code(Effects e) {
        return e.status() instanceof ExecutionStatus.Failure f ? f.code() : 0;
    }

    @Test
    void shouldRejectDoubleSpendDeterministicallyAndChangeNothing() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        StoredObject coin = CoinProgram.genesisCoin(newId(), alice.address(), 100);
        store.put(coin);
        SequentialExecutor seq = new SequentialExecutor(executor, store);
        Transaction first = Transaction.sign(alice, 0, 100_000, List.of(InputObject.owned(coin.ref())), "coin", "split",
                CoinProgram.splitArgs(60, bob.address()));
        Transaction second = Transaction.sign(alice, 1, 100_000, List.of(InputObject.owned(coin.ref())), "coin", "split",
                CoinProgram.splitArgs(60, alice.address()));
        assertTrue(seq.execute(first).status().isSuccess());
        var digest = store.stateDigest();
        Effects e1 = seq.execute(second);
        Effects e2 = executor.execute(second, store).effects();
        assertEquals(ExecutionStatus.STALE_OWNED_INPUT, code(e1));
        assertEquals(e1, e2);
        assertEquals(digest, store.stateDigest());
        assertEquals(40, CoinProgram.balance(store.read(coin.id())));
    }

    @Test
    void shouldRejectTamperedTransactionsAndChangeNothing() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        StoredObject coin = CoinProgram.genesisCoin(newId(), alice.address(), 100);
        store.put(coin);
        Transaction good = Transaction.sign(alice, 0, 100_000, List.of(InputObject.owned(coin.ref())), "coin", "transfer",
                CoinProgram.transferArgs(bob.address()));
        var digest = store.stateDigest();
        List<Transaction> tampered = List.of(
                // args modified after signing, old signature kept
                Transaction.of(good.sender(), good.publicKey(), good.nonce(), good.gasBudget(), good.inputs(), good.program(),
                        good.function(), CoinProgram.transferArgs(alice.address()), good.signature()),
                // someone else's key, signature over the same data by that key: key does not match the sender
                Transaction.of(good.sender(), bob.publicKey(), good.nonce(), good.gasBudget(), good.inputs(), good.program(),
                        good.function(), good.args(), new byte[64]),
                // garbage signature
                good.withSignature(garbage()));
        for (Transaction t : tampered) {
            ExecutionOutcome o = executor.execute(t, store);
            assertEquals(ExecutionStatus.INVALID_SIGNATURE, code(o.effects()), t.toString());
            assertTrue(o.lookupTable().reads().isEmpty());
            assertEquals(Authenticator.Status.INVALID, o.lookupTable().authenticator().status());
            store.apply(o.effects());
            assertEquals(digest, store.stateDigest());
        }
        // bob signing a tx that claims alice as sender
        Transaction forged = Transaction.sign(bob, 0, 100_000, good.inputs(), "coin", "transfer", CoinProgram.transferArgs(bob.address()));
        Transaction claimed = Transaction.of(alice.address(), bob.publicKey(), 0, 100_000, good.inputs(), "coin", "transfer",
                CoinProgram.transferArgs(bob.address()), forged.signature());
        assertEquals(ExecutionStatus.INVALID_SIGNATURE, code(executor.execute(claimed, store).effects()));
        assertTrue(executor.execute(good, store).effects().status().isSuccess());
    }

    private byte[] garbage() {
        byte[] b = new byte[64];
        random.nextBytes(b);
        return b;
    }

    @Test
    void hintsShouldSkipSignatureAndReusePrecompilesWithIdenticalEffects() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        StoredObject d = HashProgram.genesisDigest(newId(), alice.address());
        store.put(d);
        Transaction tx = Transaction.sign(alice, 0, 1_000_000, List.of(InputObject.owned(d.ref())), "hash", "digest",
                HashProgram.digestArgs(500, new byte[] {1, 2, 3}));
        ExecutionOutcome full = executor.execute(tx, store);
        assertTrue(full.effects().status().isSuccess());
        assertFalse(full.signatureSkipped());
        assertEquals(0, full.precompilesReused());
        ExecutionOutcome hinted = BuiltinEngine.executor("primary").execute(tx, store, full.lookupTable());
        assertTrue(hinted.signatureSkipped());
        assertEquals(1, hinted.precompilesReused());
        assertEquals(full.effects(), hinted.effects());
        assertEquals(full.lookupTable(), hinted.lookupTable());

        byte[] msg = {4, 5};
        Transaction verify = Transaction.sign(alice, 1, 1_000_000, List.of(), "hash", "verify",
                HashProgram.verifyArgs(msg, bob.publicKey(), bob.sign(msg)));
        ExecutionOutcome v1 = executor.execute(verify, store);
        ExecutionOutcome v2 = executor.execute(verify, store, v1.lookupTable());
        assertTrue(v2.signatureSkipped());
        assertEquals(1, v2.precompilesReused());
        assertEquals(v1.effects(), v2.effects());
    }

    @Test
    void preExecutionShouldMatchSequentialAndStaleReadsShouldNameExactlyTheChangedObjects() {
        long seed = Seeds.seed("TransactionExecutorTest.preExecution");
        Random r = new Random(seed);
        Workload w = Workloads.mixed(seed).take(300);
        int k = 1 + r.nextInt(20);
        Shrink.checkPrefixes(seed, w.transactions(), txs -> checkPreExecution(w, txs, k));
    }

    private void checkPreExecution(Workload w, List<Transaction> txs, int k) {
        InMemoryObjectStore store = w.genesisStore();
        List<InMemoryObjectStore> history = new ArrayList<>();
        List<Effects> applied = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            history.add(store.copy());
            Transaction tx = txs.get(i);
            ExecutionOutcome fresh = executor.execute(tx, store);
            PreExecResult pre = executor.preExecute(tx, store, i);
            assertEquals(fresh.effects(), pre.effects(), "tx " + i);
            assertEquals(fresh.lookupTable(), pre.lookupTable(), "tx " + i);
            if (i >= k) {
                InMemoryObjectStore stale = history.get(i - k);
                PreExecResult old = executor.preExecute(tx, stale, i - k);
                Set<ObjectId> changed = new HashSet<>();
                for (Effects e : applied.subList(i - k, i)) {
                    e.written().forEach(o -> changed.add(o.object().id()));
                    changed.addAll(e.deleted());
                }
                if (code(fresh.effects()) == 0 && code(old.effects()) == 0) {
                    for (ObjectRef ref : old.lookupTable().reads()) {
                        ObjectRef now = readRef(store, ref.id());
                        assertEquals(changed.contains(ref.id()), !now.equals(ref),
                                "tx " + i + " object " + ref.id() + " changed in between: " + changed.contains(ref.id()));
                    }
                    List<ObjectId> freshIds = fresh.lookupTable().reads().stream().map(ObjectRef::id).toList();
                    List<ObjectId> oldIds = old.lookupTable().reads().stream().map(ObjectRef::id).toList();
                    if (freshIds.equals(oldIds)) {
                        for (int j = 0; j < freshIds.size(); j++) {
                            boolean differs = !fresh.lookupTable().reads().get(j).equals(old.lookupTable().reads().get(j));
                            assertEquals(changed.contains(freshIds.get(j)), differs, "tx " + i + " read " + j);
                        }
                        if (fresh.lookupTable().reads().equals(old.lookupTable().reads())) {
                            assertEquals(fresh.effects(), old.effects(), "same reads must give the same effects, tx " + i);
                        }
                    }
                }
            }
            store.apply(fresh.effects());
            applied.add(fresh.effects());
        }
    }

    private static ObjectRef readRef(InMemoryObjectStore store, ObjectId id) {
        StoredObject o = store.read(id);
        return o == null ? ObjectRef.absent(id) : o.ref();
    }

    @Test
    void emptyHintsShouldChangeNothing() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Transaction mint = Transaction.sign(alice, 0, 100_000, List.of(), "coin", "mint", CoinProgram.mintArgs(5));
        ExecutionOutcome a = executor.execute(mint, store);
        ExecutionOutcome b = executor.execute(mint, store, LookupTable.EMPTY);
        assertEquals(a.effects(), b.effects());
        assertFalse(b.signatureSkipped());
    }
}
