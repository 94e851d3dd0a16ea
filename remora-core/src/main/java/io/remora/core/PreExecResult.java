package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * A pre-executor's answer for one transaction.
 *
 * <pre>
 *  kind u8 (0 full, 1 verify-only) | txDigest (32) | watermark i64 | LookupTable
 *  | [Effects]   -- present only for kind = full
 * </pre>
 *
 * The watermark is the last commit the pre-executor had applied when it executed: it tells the
 * primary how stale the replica was. A verify-only result carries no effects: only the
 * authenticator status and state-independent precompile outputs (the pre-executor lacked an input
 * version, or the primary marked an input hot).
 *
 * <p>Immutable and thread-safe.
 */
public record PreExecResult(Kind kind, Digest transaction, long watermark, LookupTable lookupTable, Effects effects) {
    public enum Kind {
        FULL, VERIFY_ONLY
    }

    public PreExecResult {
        if ((kind == Kind.FULL) != (effects != null)) {
            throw new IllegalArgumentException("effects=" + effects + " (expected: present iff kind=FULL, kind=" + kind + ")");
        }
        if (effects != null && !effects.transaction().equals(transaction)) {
            throw new IllegalArgumentException("effects.transaction=" + effects.transaction()
                    + " (expected: " + transaction + ")");
        }
    }

    public static PreExecResult full(Effects effects, LookupTable table, long watermark) {
        return new PreExecResult(Kind.FULL, effects.transaction(), watermark, table, effects);
    }

    public static PreExecResult verifyOnly(Digest tx, LookupTable table, long watermark) {
        return new PreExecResult(Kind.VERIFY_ONLY, tx, watermark, table, null);
    }

    public boolean isFull() {
        return kind == Kind.FULL;
    }

    public void encode(WireWriter w) {
        w.u8(kind.ordinal()).b32(transaction).i64(watermark);
        lookupTable.encode(w);
        if (effects != null) {
            effects.encode(w);
        }
    }

    public static PreExecResult decode(WireReader r) {
        int at = r.position();
        int k = r.u8("result.kind");
        if (k > 1) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "result.kind", at, "kind " + k);
        }
        Digest tx = r.digest("result.transaction");
        long watermark = r.i64("result.watermark");
        LookupTable table = LookupTable.decode(r);
        if (k == 1) {
            return create(Kind.VERIFY_ONLY, tx, watermark, table, null, at);
        }
        int effAt = r.position();
        Effects e = Effects.decode(r);
        if (!e.transaction().equals(tx)) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "result.effects.transaction", effAt,
                    "effects for " + e.transaction() + " in a result for " + tx);
        }
        return create(Kind.FULL, tx, watermark, table, e, at);
    }

    private static PreExecResult create(Kind kind, Digest tx, long watermark, LookupTable table, Effects effects, int at) {
        try {
            return new PreExecResult(kind, tx, watermark, table, effects);
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "result", at, e.getMessage());
        }
    }
}
