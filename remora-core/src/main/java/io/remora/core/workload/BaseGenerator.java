package io.remora.core.workload;

import io.remora.core.Address;
import io.remora.core.Ed25519KeyPair;
import io.remora.core.Effects;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Common machinery of the generators: the seeded random source, keys, genesis ids, nonces, signing
 * and (for workloads with owned inputs) the shadow state. Not thread-safe.
 */
abstract class BaseGenerator implements WorkloadGenerator {
    /** A gas budget comfortably above what any non-compute built-in call uses. */
    static final long DEFAULT_GAS = 200_000;

    protected final Random random;
    private final String name;
    private final List<StoredObject> genesis = new ArrayList<>();
    private final java.util.Map<Address, Ed25519KeyPair> keys = new java.util.HashMap<>();
    private ShadowState shadow;
    private long nonce;

    BaseGenerator(String name, long seed) {
        this.name = name;
        this.random = new Random(seed);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<StoredObject> genesis() {
        return List.copyOf(genesis);
    }

    protected final Ed25519KeyPair newKey() {
        Ed25519KeyPair k = Ed25519KeyPair.generate(random);
        keys.put(k.address(), k);
        return k;
    }

    @Override
    public final Ed25519KeyPair signer(Address sender) {
        return keys.get(sender);
    }

    protected final List<Ed25519KeyPair> newKeys(int n) {
        List<Ed25519KeyPair> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(newKey());
        }
        return keys;
    }

    protected final ObjectId newId() {
        return ObjectId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    protected final void addGenesis(StoredObject o) {
        if (shadow != null) {
            throw new IllegalStateException("genesis is sealed once the shadow state started");
        }
        genesis.add(o);
    }

    /** Starts tracking state: call once genesis is complete, for workloads with owned inputs. */
    protected final void startShadow() {
        shadow = new ShadowState(genesis);
    }

    protected final ShadowState shadow() {
        return shadow;
    }

    /** Signs a transaction and, if a shadow state is kept, executes it there. */
    protected final Transaction sign(Ed25519KeyPair key, long gasBudget, List<InputObject> inputs, String program,
                                     String function, byte[] args) {
        Transaction tx = Transaction.sign(key, nonce++, gasBudget, inputs, program, function, args);
        if (shadow != null) {
            afterShadowApply(shadow.apply(tx));
        }
        return tx;
    }

    /** Called with the shadow effects of each generated transaction (indexes of owned objects). */
    protected void afterShadowApply(Effects effects) {
    }

    protected static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + "=" + value + " (expected: >= 1)");
        }
    }
}
