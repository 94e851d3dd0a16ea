package io.remora.core;

import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * What a pre-executor learned while executing a transaction:
 *
 * <pre>
 *  readCount u32 (<= 2048)      | ObjectRef...          every object read, declared and dynamic, in
 *                                                       first-read order; absent = version 0
 *  precompileCount u32 (<= 256) | PrecompileResult...   precompile calls and their outputs
 *  authenticator                | (see Authenticator)   whether the signature was verified, by whom
 * </pre>
 *
 * The primary validates a pre-executed result by checking that every read here still names the
 * version it would read at the transaction's position; on a miss it re-executes with the table as
 * hints (skip a verified signature, reuse precompile outputs, prefetch the objects named).
 *
 * <p>Immutable and thread-safe.
 */
public record LookupTable(List<ObjectRef> reads, List<PrecompileResult> precompiles, Authenticator authenticator) {
    public static final LookupTable EMPTY = new LookupTable(List.of(), List.of(), Authenticator.NOT_CHECKED);

    public LookupTable {
        reads = List.copyOf(reads);
        precompiles = List.copyOf(precompiles);
    }

    /** This table without its reads: what a verify-only result carries (state-independent parts). */
    public LookupTable withoutReads() {
        return reads.isEmpty() ? this : new LookupTable(List.of(), precompiles, authenticator);
    }

    /** The precompile output recorded for (function, input digest), or null. */
    public byte[] precompileOutput(int functionId, Digest inputDigest) {
        for (PrecompileResult p : precompiles) {
            if (p.functionId() == functionId && p.inputDigest().equals(inputDigest)) {
                return p.output();
            }
        }
        return null;
    }

    public void encode(WireWriter w) {
        w.count("lookup.reads", reads.size(), Limits.MAX_READS);
        for (ObjectRef r : reads) {
            r.encode(w);
        }
        w.count("lookup.precompiles", precompiles.size(), Limits.MAX_PRECOMPILES);
        for (PrecompileResult p : precompiles) {
            p.encode(w);
        }
        authenticator.encode(w);
    }

    public static LookupTable decode(WireReader r) {
        int nr = r.count("lookup.reads", Limits.MAX_READS);
        ObjectRef[] reads = new ObjectRef[nr];
        for (int i = 0; i < nr; i++) {
            reads[i] = ObjectRef.decode(r);
        }
        int np = r.count("lookup.precompiles", Limits.MAX_PRECOMPILES);
        PrecompileResult[] ps = new PrecompileResult[np];
        for (int i = 0; i < np; i++) {
            ps[i] = PrecompileResult.decode(r);
        }
        return new LookupTable(List.of(reads), List.of(ps), Authenticator.decode(r));
    }
}
