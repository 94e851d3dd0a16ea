package io.remora.core;

import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.Arrays;

/**
 * A memoized precompile call: {@code functionId u16 | inputDigest (32) | output (u32 len + bytes, <= 4 KiB)}.
 * Precompiles are pure, so the output is a function of (function, input); the input digest is
 * SHA-256(DOMAIN_PRECOMPILE_INPUT | functionId-prefixed input).
 */
public record PrecompileResult(int functionId, Digest inputDigest, byte[] output) {
    public void encode(WireWriter w) {
        w.u16(functionId).b32(inputDigest).bytes("precompile.output", output, Limits.MAX_PRECOMPILE_OUTPUT);
    }

    public static PrecompileResult decode(WireReader r) {
        return new PrecompileResult(r.u16("precompile.functionId"), r.digest("precompile.inputDigest"),
                r.bytes("precompile.output", Limits.MAX_PRECOMPILE_OUTPUT));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrecompileResult p && functionId == p.functionId && inputDigest.equals(p.inputDigest)
                && Arrays.equals(output, p.output);
    }

    @Override
    public int hashCode() {
        return inputDigest.hashCode() * 31 + functionId;
    }

    @Override
    public String toString() {
        return "Precompile(" + functionId + ", " + inputDigest.toShortHex() + " -> " + output.length + "B)";
    }
}
