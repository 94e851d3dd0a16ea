package io.remora.core.engine;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.ExecutionStatus;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.Precompile;
import io.remora.core.exec.ProgramAbort;

/**
 * Precompile {@value #ID}: Ed25519 signature verification (Bouncy Castle).
 *
 * <pre>
 *  input:  publicKey (32) | signature (64) | message (rest of the input)
 *  output: one byte, 1 if the signature verifies, else 0
 * </pre>
 *
 * Gas: {@link EngineGas#ED25519_VERIFY} + one {@link EngineGas#ED25519_PER_BLOCK} per 64 message
 * bytes. An input shorter than 96 bytes aborts with BAD_ARGUMENTS. Pure and thread-safe.
 */
public final class Ed25519VerifyPrecompile implements Precompile {
    /** A new instance (stateless: one may be shared). */
    public Ed25519VerifyPrecompile() {
    }

    public static final int ID = 2;
    private static final int HEADER = Ed25519KeyPair.PUBLIC_KEY_LENGTH + Ed25519KeyPair.SIGNATURE_LENGTH;

    @Override
    public int id() {
        return ID;
    }

    /** The precompile input for (publicKey, signature, message). */
    public static byte[] input(byte[] publicKey, byte[] signature, byte[] message) {
        if (publicKey.length != Ed25519KeyPair.PUBLIC_KEY_LENGTH || signature.length != Ed25519KeyPair.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("publicKey.length=" + publicKey.length + ", signature.length="
                    + signature.length + " (expected: 32, 64)");
        }
        return new WireWriter(HEADER + message.length).raw(publicKey).raw(signature).raw(message).toByteArray();
    }

    @Override
    public long gasCost(byte[] input) {
        long msg = Math.max(0, input.length - HEADER);
        return EngineGas.ED25519_VERIFY + ((msg + 63) / 64) * EngineGas.ED25519_PER_BLOCK;
    }

    @Override
    public byte[] apply(byte[] input) {
        if (input.length < HEADER) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, "ed25519 input of " + input.length + " bytes (expected: >= 96)");
        }
        byte[] pk = java.util.Arrays.copyOfRange(input, 0, 32);
        byte[] sig = java.util.Arrays.copyOfRange(input, 32, HEADER);
        boolean ok = Ed25519KeyPair.verify(pk, input, HEADER, input.length - HEADER, sig);
        return new byte[] {(byte) (ok ? 1 : 0)};
    }
}
