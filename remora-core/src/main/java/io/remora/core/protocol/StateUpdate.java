package io.remora.core.protocol;

import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * STATE_UPDATE (primary to pre-executor, reliable): committed state changes.
 *
 * <pre>
 *  0        1       2             10            18
 *  +--------+-------+-------------+-------------+-----------+----------------+-----------+------------+
 *  | ver u8 | flags | fromCommit  | toCommit    | written   | StoredObject...| deleted   | ObjectId...|
 *  | = 1    | u8    | i64 >= -1   | i64 >= from | count u32 | (written count)| count u32 | 32 B each  |
 *  +--------+-------+-------------+-------------+-----------+----------------+-----------+------------+
 *  VERSION_OFFSET = 0, FLAGS_OFFSET = 1, FROM_OFFSET = 2, TO_OFFSET = 10, WRITTEN_COUNT_OFFSET = 18
 *
 *  flags: bit 0 PUSH         sent at once (the primary saw this peer miss), not lazily batched
 *         bit 1 OBJECTS_ONLY selected objects' latest versions, not a complete commit range
 *         other bits must be 0
 * </pre>
 *
 * <b>Range update</b> (OBJECTS_ONLY clear, {@code fromCommit < toCommit}): the net effect of commits
 * {@code fromCommit+1 .. toCommit}: every object written by them at its latest version, and every
 * object they deleted (and did not re-create). A replica whose watermark {@code w} satisfies
 * {@code fromCommit <= w < toCommit} applies it and moves to {@code toCommit}; one with
 * {@code w >= toCommit} ignores it; one with {@code w < fromCommit} has a gap and must resync.
 * Applying an overlapping range is safe because objects carry their latest versions.
 *
 * <p><b>Objects-only update</b> (OBJECTS_ONLY set, {@code fromCommit == toCommit}): the latest
 * committed versions, as of {@code toCommit}, of objects a pre-executor missed. The receiver
 * installs each object newer than its copy and leaves its watermark unchanged.
 *
 * <p>An id appears at most once across written and deleted. Immutable and thread-safe.
 */
public record StateUpdate(int flags, long fromCommit, long toCommit, List<StoredObject> written,
                          List<ObjectId> deleted) implements ClusterMessage {
    public static final int FLAGS_OFFSET = 1;
    public static final int FROM_OFFSET = 2;
    public static final int TO_OFFSET = 10;
    public static final int WRITTEN_COUNT_OFFSET = 18;
    /** Sent at once rather than lazily. */
    public static final int FLAG_PUSH = 1;
    /** Selected objects only; does not advance the watermark. */
    public static final int FLAG_OBJECTS_ONLY = 2;
    private static final int KNOWN_FLAGS = FLAG_PUSH | FLAG_OBJECTS_ONLY;

    public StateUpdate {
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("flags=" + flags + " (expected: subset of " + KNOWN_FLAGS + ")");
        }
        if (fromCommit < -1) {
            throw new IllegalArgumentException("fromCommit=" + fromCommit + " (expected: >= -1)");
        }
        boolean objectsOnly = (flags & FLAG_OBJECTS_ONLY) != 0;
        if (objectsOnly ? toCommit != fromCommit : toCommit <= fromCommit) {
            throw new IllegalArgumentException("toCommit=" + toCommit + " (expected: "
                    + (objectsOnly ? "== fromCommit=" : "> fromCommit=") + fromCommit + ")");
        }
        written = List.copyOf(written);
        deleted = List.copyOf(deleted);
        ClusterMessages.checkCount("written", written.size(), ClusterMessages.MAX_UPDATE_OBJECTS);
        ClusterMessages.checkCount("deleted", deleted.size(), ClusterMessages.MAX_UPDATE_OBJECTS);
    }

    /** A lazily batched range update for commits {@code fromCommit+1 .. toCommit}. */
    public static StateUpdate range(long fromCommit, long toCommit, List<StoredObject> written, List<ObjectId> deleted) {
        return new StateUpdate(0, fromCommit, toCommit, written, deleted);
    }

    /** A range update sent at once (flush of pending effects after misses). */
    public static StateUpdate pushedRange(long fromCommit, long toCommit, List<StoredObject> written,
                                          List<ObjectId> deleted) {
        return new StateUpdate(FLAG_PUSH, fromCommit, toCommit, written, deleted);
    }

    /** A targeted push of objects' latest versions as of {@code asOfCommit}. */
    public static StateUpdate pushedObjects(long asOfCommit, List<StoredObject> objects) {
        return new StateUpdate(FLAG_PUSH | FLAG_OBJECTS_ONLY, asOfCommit, asOfCommit, objects, List.of());
    }

    public boolean isPush() {
        return (flags & FLAG_PUSH) != 0;
    }

    public boolean isObjectsOnly() {
        return (flags & FLAG_OBJECTS_ONLY) != 0;
    }

    void encode(WireWriter w) {
        w.u8(flags).i64(fromCommit).i64(toCommit);
        w.count("update.written", written.size(), ClusterMessages.MAX_UPDATE_OBJECTS);
        for (StoredObject o : written) {
            o.encode(w);
        }
        w.count("update.deleted", deleted.size(), ClusterMessages.MAX_UPDATE_OBJECTS);
        for (ObjectId id : deleted) {
            w.b32(id);
        }
    }

    static StateUpdate decode(WireReader r) {
        int at = r.position();
        int flags = r.u8("update.flags");
        long from = r.i64("update.fromCommit");
        long to = r.i64("update.toCommit");
        int nw = ClusterMessages.count(r, "update.written", ClusterMessages.MAX_UPDATE_OBJECTS,
                ClusterMessages.MIN_OBJECT_BYTES);
        StoredObject[] written = new StoredObject[nw];
        for (int i = 0; i < nw; i++) {
            written[i] = StoredObject.decode(r);
        }
        int nd = ClusterMessages.count(r, "update.deleted", ClusterMessages.MAX_UPDATE_OBJECTS, 32);
        ObjectId[] deleted = new ObjectId[nd];
        for (int i = 0; i < nd; i++) {
            deleted[i] = r.objectId("update.deleted");
        }
        try {
            return new StateUpdate(flags, from, to, List.of(written), List.of(deleted));
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "update", at, e.getMessage());
        }
    }
}
