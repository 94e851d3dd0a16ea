package io.remora.core.exec;

import io.remora.core.Effects;
import io.remora.core.Event;
import io.remora.core.LookupTable;
import io.remora.core.PreExecResult;
import io.remora.core.PrecompileResult;
import io.remora.core.codec.Limits;

/**
 * How big a pre-execution result may honestly be, and how much one costs to hold.
 *
 * <p>{@link #maxHonestBytes}: an honest result for a transaction with gas budget {@code g} cannot
 * exceed a bound that follows from how {@link ExecutionSession} charges gas (whatever the engine):
 * every read costs at least {@link Gas#PER_OBJECT_READ}, every write {@link Gas#PER_OBJECT_WRITE}
 * plus {@link Gas#PER_BYTE_WRITTEN} per content byte, every event {@link Gas#PER_EVENT}; deleted and
 * modified objects were read first. Precompile calls are charged by the engine's own precompiles, so
 * they are bounded by the protocol limits only. A result above the bound is not the honest result of
 * that transaction, whatever its contents: the primary drops it before holding it. (For a
 * 200,000-gas transfer: ~2.3 MiB, against the 8 MiB any result may have on the wire.)
 *
 * <p>{@link #heldBytes}: an estimate of a decoded result's size (its encoding, roughly; the Java
 * objects cost a small multiple), for the primary's per-peer and total budgets.
 *
 * <p>Stateless; thread-safe.
 */
public final class ResultBounds {
    private static final long FIXED = 1024;             // kind, digests, watermark, status and verifier strings, counts
    private static final long READ = 72;                // ObjectRef
    private static final long WRITTEN = 1 + 32 + 8 + 65 + 256 + 4; // created flag, id, version, owner, type tag, length
    private static final long MODIFIED = 40;
    private static final long DELETED = 32;
    private static final long EVENT = 256 + 4 + Limits.MAX_EVENT_BYTES;
    private static final long PRECOMPILES = (long) Limits.MAX_PRECOMPILES * (2 + 32 + 4 + Limits.MAX_PRECOMPILE_OUTPUT);

    private ResultBounds() {
    }

    /** The largest encoding an honest result for a transaction with this gas budget can have. */
    public static long maxHonestBytes(long gasBudget) {
        long g = Math.max(0, gasBudget);
        long reads = Math.min(Limits.MAX_READS, g / Gas.PER_OBJECT_READ);
        long writes = Math.min(Limits.MAX_OBJECTS_PER_EFFECTS, g / Gas.PER_OBJECT_WRITE);
        long events = Math.min(Limits.MAX_EVENTS, g / Gas.PER_EVENT);
        long contentBytes = Math.min((long) Limits.MAX_OBJECTS_PER_EFFECTS * Limits.MAX_OBJECT_BYTES,
                g / Gas.PER_BYTE_WRITTEN);
        long modified = Math.min(Limits.MAX_OBJECTS_PER_EFFECTS, reads);
        return FIXED + reads * READ + writes * WRITTEN + contentBytes + modified * (MODIFIED + DELETED)
                + events * EVENT + PRECOMPILES;
    }

    /** About the bytes {@code r} occupies (its encoding, with the same per-item allowances). */
    public static long heldBytes(PreExecResult r) {
        LookupTable t = r.lookupTable();
        long bytes = FIXED / 4 + (long) t.reads().size() * READ;
        for (PrecompileResult p : t.precompiles()) {
            bytes += 38 + p.output().length;
        }
        Effects e = r.effects();
        if (e != null) {
            for (Effects.Written w : e.written()) {
                bytes += 48 + w.object().typeTag().length() + w.object().contents().length;
            }
            bytes += (long) e.modifiedAt().size() * MODIFIED + (long) e.deleted().size() * DELETED;
            for (Event ev : e.events()) {
                bytes += 8 + ev.type().length() + ev.data().length;
            }
        }
        return bytes;
    }
}
