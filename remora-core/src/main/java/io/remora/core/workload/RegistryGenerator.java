package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.core.engine.RegistryProgram;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Registry traffic on dynamic children: put 50%, get 30%, remove 20%, on a registry and key chosen
 * uniformly ({@code key-0 .. key-(keys-1)}), 32-byte random values; 8 senders take turns.
 */
final class RegistryGenerator extends BaseGenerator {
    private final List<Ed25519KeyPair> senders;
    private final ObjectId[] registries;
    private final int keys;
    private long count;

    RegistryGenerator(long seed, int registries, int keys) {
        super("registry(registries=" + registries + ", keys=" + keys + ")", seed);
        requirePositive("registries", registries);
        requirePositive("keys", keys);
        this.keys = keys;
        this.senders = newKeys(8);
        this.registries = new ObjectId[registries];
        for (int i = 0; i < registries; i++) {
            this.registries[i] = newId();
            addGenesis(RegistryProgram.genesisRegistry(this.registries[i]));
        }
    }

    /** The key bytes of key number {@code i}. */
    static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Transaction next() {
        Ed25519KeyPair sender = senders.get((int) (count++ % senders.size()));
        ObjectId reg = registries[random.nextInt(registries.length)];
        byte[] key = key(random.nextInt(keys));
        int op = random.nextInt(10);
        if (op < 5) {
            byte[] value = new byte[32];
            random.nextBytes(value);
            return sign(sender, DEFAULT_GAS, List.of(InputObject.shared(reg, true)), RegistryProgram.NAME, "put",
                    RegistryProgram.putArgs(key, value));
        }
        if (op < 8) {
            return sign(sender, DEFAULT_GAS, List.of(InputObject.shared(reg, false)), RegistryProgram.NAME, "get",
                    RegistryProgram.getArgs(key));
        }
        return sign(sender, DEFAULT_GAS, List.of(InputObject.shared(reg, true)), RegistryProgram.NAME, "remove",
                RegistryProgram.removeArgs(key));
    }
}
