package io.remora.core.engine;

import io.remora.core.ExecutionStatus;
import io.remora.core.Hashing;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.Precompile;
import io.remora.core.exec.ProgramAbort;

/**
 * Precompile {@value #ID}: iterated SHA-256.
 *
 * <pre>
 *  input:  rounds u32 (big-endian, 1..10000) | data (rest of the input)
 *  output: h_rounds (32), where h_1 = SHA-256(data), h_i = SHA-256(h_{i-1})
 * </pre>
 *
 * Gas: {@link EngineGas#SHA256_BASE} + rounds * {@link EngineGas#SHA256_PER_ROUND} + one
 * {@link EngineGas#SHA256_PER_BLOCK} per 64 data bytes. Pure and thread-safe.
 */
public final class Sha256Precompile implements Precompile {
    /** A new instance (stateless: one may be shared). */
    public Sha256Precompile() {
    }

    public static final int ID = 1;
    public static final int MAX_ROUNDS = 10_000;

    @Override
    public int id() {
        return ID;
    }

    /** The precompile input for (rounds, data). */
    public static byte[] input(int rounds, byte[] data) {
        return new WireWriter(4 + data.length).i32(rounds).raw(data).toByteArray();
    }

    private static int rounds(byte[] input) {
        if (input.length < 4) {
            return -1;
        }
        return ((input[0] & 0xFF) << 24) | ((input[1] & 0xFF) << 16) | ((input[2] & 0xFF) << 8) | (input[3] & 0xFF);
    }

    @Override
    public long gasCost(byte[] input) {
        int rounds = rounds(input);
        long r = rounds < 1 || rounds > MAX_ROUNDS ? 0 : rounds;
        return EngineGas.SHA256_BASE + r * EngineGas.SHA256_PER_ROUND
                + ((input.length + 63L) / 64) * EngineGas.SHA256_PER_BLOCK;
    }

    @Override
    public byte[] apply(byte[] input) {
        int rounds = rounds(input);
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS,
                    "sha256 rounds=" + rounds + " (expected: 1.." + MAX_ROUNDS + ")");
        }
        byte[] h = Hashing.rawSha256(input, 4, input.length - 4);
        for (int i = 1; i < rounds; i++) {
            h = Hashing.rawSha256(h, 0, h.length);
        }
        return h;
    }
}
