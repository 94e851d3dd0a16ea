package io.remora.core.engine;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.Effects;
import io.remora.core.Event;
import io.remora.core.ExecutionStatus;
import io.remora.core.Hashing;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.exec.ExecutionOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Success and failure paths of counter, compute, amm, registry, kv and hash. */
class ProgramsTest {
    private final EngineFixture f = new EngineFixture();

    @Test
    void counterShouldIncrementAndEmitOnRead() {
        ObjectId c = f.put(CounterProgram.genesisCounter(f.newId(), 5)).id();
        f.ok(f.tx(f.alice, List.of(InputObject.shared(c, true)), "counter", "increment", CounterProgram.incrementArgs(3)));
        assertEquals(8, CounterProgram.value(f.read(c)));
        Effects read = f.ok(f.tx(f.bob, List.of(InputObject.shared(c, false)), "counter", "read", CounterProgram.readArgs()));
        assertTrue(read.written().isEmpty());
        assertEquals(new Event(CounterProgram.VALUE_EVENT, Objects.u64(8)), read.events().get(0));
    }

    @Test
    void counterShouldRefuseWriteThroughReadOnlyInput() {
        ObjectId c = f.put(CounterProgram.genesisCounter(f.newId(), 5)).id();
        f.fails(f.tx(f.alice, List.of(InputObject.shared(c, false)), "counter", "increment", CounterProgram.incrementArgs(1)),
                ExecutionStatus.IMMUTABLE_WRITE);
    }

    @Test
    void counterDeclaredAsOwnedShouldBeRejected() {
        StoredObject c = f.put(CounterProgram.genesisCounter(f.newId(), 5));
        f.fails(f.tx(f.alice, List.of(InputObject.owned(c.ref())), "counter", "increment", CounterProgram.incrementArgs(1)),
                ExecutionStatus.WRONG_OWNER);
    }

    @Test
    void computeShouldMatchReferenceAndChargePerIteration() {
        ObjectId acc = f.put(ComputeProgram.genesisAccumulator(f.newId(), f.alice.address(), 7)).id();
        Effects small = f.ok(f.tx(f.alice, List.of(f.owned(acc)), "compute", "fib", ComputeProgram.fibArgs(10)));
        assertEquals(ComputeProgram.reference(7, 10), ComputeProgram.value(f.read(acc)));
        long v = ComputeProgram.value(f.read(acc));
        Effects big = f.ok(f.tx(f.alice, ComputeProgram.gasBudgetFor(100_000), List.of(f.owned(acc)), "compute", "fib",
                ComputeProgram.fibArgs(100_000)));
        assertEquals(ComputeProgram.reference(v, 100_000), ComputeProgram.value(f.read(acc)));
        assertTrue(big.gasUsed() - small.gasUsed() >= 100_000 - 10, "gas grows with n");
    }

    @Test
    void computeShouldRunOutOfGasForLargeN() {
        ObjectId acc = f.put(ComputeProgram.genesisAccumulator(f.newId(), f.alice.address(), 7)).id();
        f.fails(f.tx(f.alice, 50_000, List.of(f.owned(acc)), "compute", "fib", ComputeProgram.fibArgs(1_000_000)),
                ExecutionStatus.OUT_OF_GAS);
        f.fails(f.tx(f.alice, List.of(f.owned(acc)), "compute", "fib", ComputeProgram.fibArgs(-1)), ExecutionStatus.BAD_ARGUMENTS);
    }

    @Test
    void ammShouldSwapAlongConstantProduct() {
        ObjectId pool = f.put(AmmProgram.genesisPool(f.newId(), new AmmProgram.Pool(1_000_000, 2_000_000, 30))).id();
        ObjectId coin = f.put(CoinProgram.genesisCoin(f.newId(), f.alice.address(), 10_000)).id();
        long expected = new AmmProgram.Pool(1_000_000, 2_000_000, 30).amountOut(10_000, true);
        Effects e = f.ok(f.tx(f.alice, List.of(InputObject.shared(pool, true), f.owned(coin)), "amm", "swap",
                AmmProgram.swapArgs(10_000, true, expected)));
        AmmProgram.Pool after = AmmProgram.pool(f.read(pool));
        assertEquals(1_010_000, after.reserveA());
        assertEquals(2_000_000 - expected, after.reserveB());
        assertTrue(expected > 0 && expected < 20_000 * 9970 / 10000 + 1);
        // k never decreases
        assertTrue((double) after.reserveA() * after.reserveB() >= 1_000_000.0 * 2_000_000.0);
        assertEquals(0, CoinProgram.balance(f.read(coin)));
        StoredObject out = e.written().stream().filter(Effects.Written::created).findFirst().orElseThrow().object();
        assertEquals(expected, CoinProgram.balance(out));
        assertEquals(Owner.address(f.alice.address()), out.owner());
    }

    @Test
    void ammShouldAbortBelowMinOutAndOnOverdraw() {
        ObjectId pool = f.put(AmmProgram.genesisPool(f.newId(), new AmmProgram.Pool(1_000_000, 1_000_000, 30))).id();
        ObjectId coin = f.put(CoinProgram.genesisCoin(f.newId(), f.alice.address(), 1_000)).id();
        long quote = AmmProgram.pool(f.read(pool)).amountOut(1_000, false);
        f.fails(f.tx(f.alice, List.of(InputObject.shared(pool, true), f.owned(coin)), "amm", "swap",
                AmmProgram.swapArgs(1_000, false, quote + 1)), AmmProgram.SLIPPAGE);
        f.fails(f.tx(f.alice, List.of(InputObject.shared(pool, true), f.owned(coin)), "amm", "swap",
                AmmProgram.swapArgs(1_001, false, 0)), CoinProgram.INSUFFICIENT_BALANCE);
        f.fails(f.tx(f.alice, List.of(InputObject.shared(pool, true)), "amm", "swap",
                AmmProgram.swapArgs(1, false, 0)), ExecutionStatus.BAD_ARGUMENTS);
    }

    @Test
    void registryChildrenShouldBeCreatedReadDeletedAndRecorded() {
        ObjectId reg = f.put(RegistryProgram.genesisRegistry(f.newId())).id();
        byte[] key = "alpha".getBytes(StandardCharsets.UTF_8);
        ObjectId child = RegistryProgram.entryId(reg, key);

        // get of an absent key: the absent child is a recorded read at version 0
        ExecutionOutcome miss = f.run(f.tx(f.bob, List.of(InputObject.shared(reg, false)), "registry", "get", RegistryProgram.getArgs(key)));
        assertTrue(miss.effects().status().isSuccess());
        assertTrue(miss.lookupTable().reads().contains(ObjectRef.absent(child)));
        assertArrayEquals(new byte[] {0}, miss.effects().events().get(0).data());

        // put creates the child (not a declared input) and counts it
        ExecutionOutcome put = f.run(f.tx(f.alice, List.of(InputObject.shared(reg, true)), "registry", "put",
                RegistryProgram.putArgs(key, new byte[] {9, 9})));
        assertTrue(put.effects().status().isSuccess());
        assertTrue(put.lookupTable().reads().contains(ObjectRef.absent(child)));
        assertTrue(put.effects().written().stream().anyMatch(w -> w.created() && w.object().id().equals(child)));
        StoredObject entry = f.read(child);
        assertEquals(Owner.parent(reg), entry.owner());
        assertEquals(1, RegistryProgram.entryCount(f.read(reg)));

        // overwrite keeps the count; the child read is recorded at its version
        ExecutionOutcome put2 = f.run(f.tx(f.alice, List.of(InputObject.shared(reg, true)), "registry", "put",
                RegistryProgram.putArgs(key, new byte[] {7})));
        assertTrue(put2.lookupTable().reads().contains(entry.ref()));
        assertEquals(1, RegistryProgram.entryCount(f.read(reg)));

        ExecutionOutcome hit = f.run(f.tx(f.bob, List.of(InputObject.shared(reg, false)), "registry", "get", RegistryProgram.getArgs(key)));
        assertTrue(hit.lookupTable().reads().contains(f.read(child).ref()));
        assertArrayEquals(new byte[] {1, 7}, hit.effects().events().get(0).data());

        // remove through a read-only input is refused; through a mutable one it deletes
        f.fails(f.tx(f.bob, List.of(InputObject.shared(reg, false)), "registry", "remove", RegistryProgram.removeArgs(key)),
                ExecutionStatus.IMMUTABLE_WRITE);
        ExecutionOutcome rm = f.run(f.tx(f.bob, List.of(InputObject.shared(reg, true)), "registry", "remove", RegistryProgram.removeArgs(key)));
        assertEquals(List.of(child), rm.effects().deleted());
        assertNull(f.read(child));
        assertEquals(0, RegistryProgram.entryCount(f.read(reg)));
        // removing again is a no-op that still records the (absent) read
        ExecutionOutcome rm2 = f.run(f.tx(f.bob, List.of(InputObject.shared(reg, true)), "registry", "remove", RegistryProgram.removeArgs(key)));
        assertTrue(rm2.effects().status().isSuccess());
        assertTrue(rm2.lookupTable().reads().contains(ObjectRef.absent(child)));
        f.fails(f.tx(f.bob, List.of(InputObject.shared(reg, true)), "registry", "put", RegistryProgram.putArgs(new byte[0], new byte[1])),
                ExecutionStatus.BAD_ARGUMENTS);
    }

    @Test
    void kvShouldReadAndUpdate() {
        ObjectId rec = f.put(KvProgram.genesisRecord(f.newId(), new byte[] {1, 2, 3})).id();
        Effects r = f.ok(f.tx(f.alice, List.of(InputObject.shared(rec, false)), "kv", "read", KvProgram.readArgs()));
        assertArrayEquals(new byte[] {1, 2, 3}, r.events().get(0).data());
        f.ok(f.tx(f.alice, List.of(InputObject.shared(rec, true)), "kv", "update", KvProgram.updateArgs(new byte[] {4})));
        assertArrayEquals(new byte[] {4}, f.read(rec).contents());
        f.fails(f.tx(f.alice, List.of(InputObject.shared(rec, false)), "kv", "update", KvProgram.updateArgs(new byte[] {5})),
                ExecutionStatus.IMMUTABLE_WRITE);
        f.fails(f.tx(f.alice, List.of(InputObject.shared(rec, true)), "kv", "update",
                new io.remora.core.codec.WireWriter().i32(5000).raw(new byte[5000]).toByteArray()),
                ExecutionStatus.BAD_ARGUMENTS);
    }

    @Test
    void hashDigestShouldIterateSha256AndRecordThePrecompile() {
        ObjectId d = f.put(HashProgram.genesisDigest(f.newId(), f.alice.address())).id();
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        ExecutionOutcome o = f.run(f.tx(f.alice, List.of(f.owned(d)), "hash", "digest", HashProgram.digestArgs(3, data)));
        assertTrue(o.effects().status().isSuccess());
        byte[] expected = Hashing.rawSha256(data, 0, data.length);
        expected = Hashing.rawSha256(expected, 0, 32);
        expected = Hashing.rawSha256(expected, 0, 32);
        assertArrayEquals(expected, f.read(d).contents());
        assertEquals(1, o.lookupTable().precompiles().size());
        assertEquals(Sha256Precompile.ID, o.lookupTable().precompiles().get(0).functionId());
        assertArrayEquals(expected, o.lookupTable().precompiles().get(0).output());
        f.fails(f.tx(f.alice, List.of(f.owned(d)), "hash", "digest", HashProgram.digestArgs(10_001, data)),
                ExecutionStatus.BAD_ARGUMENTS);
    }

    @Test
    void hashVerifyShouldAcceptValidAndAbortOnInvalidSignature() {
        byte[] msg = "pay 5".getBytes(StandardCharsets.UTF_8);
        byte[] sig = f.bob.sign(msg);
        Effects ok = f.ok(f.tx(f.alice, List.of(), "hash", "verify", HashProgram.verifyArgs(msg, f.bob.publicKey(), sig)));
        assertArrayEquals(f.bob.publicKey(), ok.events().get(0).data());
        byte[] bad = sig.clone();
        bad[5] ^= 1;
        f.fails(f.tx(f.alice, List.of(), "hash", "verify", HashProgram.verifyArgs(msg, f.bob.publicKey(), bad)),
                HashProgram.INVALID_SIGNATURE);
        f.fails(f.tx(f.alice, List.of(), "hash", "verify", HashProgram.verifyArgs(msg, f.alice.publicKey(), sig)),
                HashProgram.INVALID_SIGNATURE);
    }

    @Test
    void precompilesShouldBePureAndValidateInput() {
        Sha256Precompile sha = new Sha256Precompile();
        byte[] in = Sha256Precompile.input(5, new byte[] {1});
        assertArrayEquals(sha.apply(in), sha.apply(in));
        assertTrue(sha.gasCost(Sha256Precompile.input(100, new byte[0])) > sha.gasCost(Sha256Precompile.input(1, new byte[0])));
        assertEquals(ExecutionStatus.BAD_ARGUMENTS, assertAbort(() -> sha.apply(new byte[2])));
        Ed25519VerifyPrecompile ed = new Ed25519VerifyPrecompile();
        Ed25519KeyPair k = f.alice;
        byte[] sig = k.sign(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1}, ed.apply(Ed25519VerifyPrecompile.input(k.publicKey(), sig, new byte[] {1, 2})));
        assertArrayEquals(new byte[] {0}, ed.apply(Ed25519VerifyPrecompile.input(k.publicKey(), sig, new byte[] {1, 3})));
        assertEquals(ExecutionStatus.BAD_ARGUMENTS, assertAbort(() -> ed.apply(new byte[95])));
        assertFalse(Arrays.equals(sha.apply(in), sha.apply(Sha256Precompile.input(4, new byte[] {1}))));
        assertNotNull(BuiltinEngine.precompiles().get(1));
        assertNotNull(BuiltinEngine.precompiles().get(2));
    }

    private static int assertAbort(Runnable r) {
        try {
            r.run();
        } catch (io.remora.core.exec.ProgramAbort a) {
            return a.code();
        }
        throw new AssertionError("expected ProgramAbort");
    }
}
