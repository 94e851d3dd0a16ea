package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.core.engine.HashProgram;
import java.util.List;

/**
 * Precompile-heavy traffic: account {@code i mod A} either hashes 64 random bytes {@code rounds}
 * times into its own digest object (80%) or has a contract verify an Ed25519 signature it made over
 * random bytes (20%). What a lookup table saves on hinted re-execution shows here.
 */
final class HashGenerator extends BaseGenerator {
    private final List<Ed25519KeyPair> accounts;
    private final ObjectId[] digests;
    private final int rounds;
    private long count;

    HashGenerator(long seed, int accounts, int rounds) {
        super("hashes(accounts=" + accounts + ", rounds=" + rounds + ")", seed);
        requirePositive("accounts", accounts);
        if (rounds < 1 || rounds > io.remora.core.engine.Sha256Precompile.MAX_ROUNDS) {
            throw new IllegalArgumentException("rounds=" + rounds + " (expected: 1.."
                    + io.remora.core.engine.Sha256Precompile.MAX_ROUNDS + ")");
        }
        this.rounds = rounds;
        this.accounts = newKeys(accounts);
        this.digests = new ObjectId[accounts];
        for (int i = 0; i < accounts; i++) {
            digests[i] = newId();
            addGenesis(HashProgram.genesisDigest(digests[i], this.accounts.get(i).address()));
        }
        startShadow();
    }

    @Override
    public Transaction next() {
        int a = (int) (count++ % accounts.size());
        Ed25519KeyPair key = accounts.get(a);
        byte[] data = new byte[64];
        random.nextBytes(data);
        if (random.nextInt(5) == 0) {
            return sign(key, DEFAULT_GAS, List.of(), HashProgram.NAME, "verify",
                    HashProgram.verifyArgs(data, key.publicKey(), key.sign(data)));
        }
        long gas = DEFAULT_GAS + rounds * io.remora.core.engine.EngineGas.SHA256_PER_ROUND;
        return sign(key, gas, List.of(InputObject.owned(shadow().ref(digests[a]))), HashProgram.NAME, "digest",
                HashProgram.digestArgs(rounds, data));
    }
}
