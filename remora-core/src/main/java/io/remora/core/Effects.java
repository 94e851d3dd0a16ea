package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * The effects of one transaction: a pure function of (transaction, versions read).
 *
 * <pre>
 *  txDigest (32) | status (see ExecutionStatus) | gasUsed i64 | lamport i64
 *  | modifiedCount u32 | (id 32 | version i64)...      versions the mutated/deleted objects had
 *  | writtenCount u32  | (created u8 | StoredObject)... new contents, all at version = lamport
 *  | deletedCount u32  | id (32)...
 *  | eventCount u32    | Event...
 * </pre>
 *
 * modified + written + deleted are each at most {@link Limits#MAX_OBJECTS_PER_EFFECTS}. A failed
 * transaction writes and deletes nothing. The effects digest is SHA-256(DOMAIN_EFFECTS | encoding).
 *
 * <p>Immutable and thread-safe.
 */
public record Effects(Digest transaction, ExecutionStatus status, long gasUsed, long lamportVersion,
                      List<ModifiedAt> modifiedAt, List<Written> written, List<ObjectId> deleted,
                      List<Event> events) {

    /** An input object that was mutated or deleted, with the version it had before. */
    public record ModifiedAt(ObjectId id, long version) {
    }

    /** An object written at {@code lamportVersion}; {@code created} if it did not exist before. */
    public record Written(StoredObject object, boolean created) {
    }

    public Effects {
        modifiedAt = List.copyOf(modifiedAt);
        written = List.copyOf(written);
        deleted = List.copyOf(deleted);
        events = List.copyOf(events);
    }

    /** Effects of a transaction that failed before or during execution: nothing written. */
    public static Effects failure(Digest tx, ExecutionStatus.Failure status, long gasUsed, long lamport) {
        return new Effects(tx, status, gasUsed, lamport, List.of(), List.of(), List.of(), List.of());
    }

    /**
     * True if these are the effects of an <em>authenticated</em> execution: the signature verified,
     * whatever happened next (success, or a failure such as a stale input or running out of gas).
     * Such effects mark their transaction digest as executed for good (exactly-once): every later
     * copy of the digest is a {@link ExecutionStatus#DUPLICATE}. False for
     * {@link ExecutionStatus#INVALID_SIGNATURE} (a forged copy must not block the genuine
     * transaction) and for {@link ExecutionStatus#DUPLICATE} itself.
     */
    public boolean authenticatedExecution() {
        return !(status instanceof ExecutionStatus.Failure f)
                || (f.code() != ExecutionStatus.INVALID_SIGNATURE && f.code() != ExecutionStatus.DUPLICATE);
    }

    public void encode(WireWriter w) {
        w.b32(transaction);
        status.encode(w);
        w.i64(gasUsed).i64(lamportVersion);
        w.count("effects.modifiedAt", modifiedAt.size(), Limits.MAX_OBJECTS_PER_EFFECTS);
        for (ModifiedAt m : modifiedAt) {
            w.b32(m.id()).i64(m.version());
        }
        w.count("effects.written", written.size(), Limits.MAX_OBJECTS_PER_EFFECTS);
        for (Written o : written) {
            w.bool(o.created());
            o.object().encode(w);
        }
        w.count("effects.deleted", deleted.size(), Limits.MAX_OBJECTS_PER_EFFECTS);
        for (ObjectId id : deleted) {
            w.b32(id);
        }
        w.count("effects.events", events.size(), Limits.MAX_EVENTS);
        for (Event e : events) {
            e.encode(w);
        }
    }

    public static Effects decode(WireReader r) {
        Digest tx = r.digest("effects.transaction");
        ExecutionStatus status = ExecutionStatus.decode(r);
        long gas = r.i64InRange("effects.gasUsed", 0, Long.MAX_VALUE);
        long lamport = r.i64InRange("effects.lamportVersion", 1, Long.MAX_VALUE);
        int nm = r.count("effects.modifiedAt", Limits.MAX_OBJECTS_PER_EFFECTS);
        ModifiedAt[] mods = new ModifiedAt[nm];
        for (int i = 0; i < nm; i++) {
            mods[i] = new ModifiedAt(r.objectId("effects.modifiedAt.id"),
                    r.i64InRange("effects.modifiedAt.version", 0, Long.MAX_VALUE));
        }
        int nw = r.count("effects.written", Limits.MAX_OBJECTS_PER_EFFECTS);
        Written[] ws = new Written[nw];
        for (int i = 0; i < nw; i++) {
            boolean created = r.bool("effects.written.created");
            int at = r.position();
            StoredObject o = StoredObject.decode(r);
            if (o.version() != lamport) {
                throw new CodecException(CodecException.Kind.BAD_VALUE, "effects.written.version", at,
                        "object version " + o.version() + " != lamport " + lamport);
            }
            ws[i] = new Written(o, created);
        }
        int nd = r.count("effects.deleted", Limits.MAX_OBJECTS_PER_EFFECTS);
        ObjectId[] del = new ObjectId[nd];
        for (int i = 0; i < nd; i++) {
            del[i] = r.objectId("effects.deleted.id");
        }
        int ne = r.count("effects.events", Limits.MAX_EVENTS);
        Event[] ev = new Event[ne];
        for (int i = 0; i < ne; i++) {
            ev[i] = Event.decode(r);
        }
        return new Effects(tx, status, gas, lamport, List.of(mods), List.of(ws), List.of(del), List.of(ev));
    }

    /** SHA-256 of the encoding: what a host signs or compares. Computed on each call. */
    public Digest digest() {
        WireWriter w = new WireWriter(256);
        encode(w);
        return Hashing.sha256(Hashing.DOMAIN_EFFECTS, null, w.array(), 0, w.length());
    }

    @Override
    public String toString() {
        return "Effects(" + transaction.toShortHex() + " " + status + " v" + lamportVersion + " w" + written.size()
                + " d" + deleted.size() + ")";
    }
}
