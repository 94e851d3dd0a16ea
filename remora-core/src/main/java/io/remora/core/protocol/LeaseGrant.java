package io.remora.core.protocol;

import io.remora.core.StoredObject;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * LEASE_GRANT (primary to pre-executor, reliable): from commit {@code startCommit} on, the
 * pre-executor is the delegate of lease {@code epoch}: it executes the committed transactions the
 * primary forwards ({@link LeaseExecute}) in consensus order against {@code objects}, the leased
 * subset of the state as the primary holds it after commit {@code startCommit - 1}.
 *
 * <pre>
 *  0        1             9                  17          21
 *  +--------+-------------+------------------+-----------+------------------------------+
 *  | ver u8 | epoch i64>0 | startCommit i64  | count u32 | StoredObject...              |
 *  | = 1    |             | >= 0             | 1..MAX_LEASE_OBJECTS, distinct ids       |
 *  +--------+-------------+------------------+-----------+------------------------------+
 *  VERSION_OFFSET = 0, EPOCH_OFFSET = 1, START_OFFSET = 9, COUNT_OFFSET = 17, OBJECTS_OFFSET = 21
 * </pre>
 *
 * A grant replaces any lease the pre-executor held. Its objects are the primary's: the delegate
 * reads them, never its possibly stale replica, for the leased ids. See {@link LeaseExecute} for
 * what the primary does with the answers.
 *
 * <p>Immutable and thread-safe.
 */
public record LeaseGrant(long epoch, long startCommit, List<StoredObject> objects) implements ClusterMessage {
    public static final int EPOCH_OFFSET = 1;
    public static final int START_OFFSET = 9;
    public static final int COUNT_OFFSET = 17;
    public static final int OBJECTS_OFFSET = 21;

    public LeaseGrant {
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch=" + epoch + " (expected: > 0)");
        }
        if (startCommit < 0) {
            throw new IllegalArgumentException("startCommit=" + startCommit + " (expected: >= 0)");
        }
        objects = List.copyOf(objects);
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("objects=0 (expected: 1.." + ClusterMessages.MAX_LEASE_OBJECTS + ")");
        }
        ClusterMessages.checkCount("objects", objects.size(), ClusterMessages.MAX_LEASE_OBJECTS);
        Set<Object> ids = new HashSet<>();
        for (StoredObject o : objects) {
            if (!ids.add(o.id())) {
                throw new IllegalArgumentException("objects: " + o.id() + " twice (expected: distinct ids)");
            }
        }
    }

    void encode(WireWriter w) {
        w.i64(epoch).i64(startCommit).count("leaseGrant.count", objects.size(), ClusterMessages.MAX_LEASE_OBJECTS);
        for (StoredObject o : objects) {
            o.encode(w);
        }
    }

    static LeaseGrant decode(WireReader r) {
        int at = r.position();
        long epoch = r.i64("leaseGrant.epoch");
        long start = r.i64("leaseGrant.startCommit");
        int n = ClusterMessages.count(r, "leaseGrant.count", ClusterMessages.MAX_LEASE_OBJECTS,
                ClusterMessages.MIN_OBJECT_BYTES);
        StoredObject[] objects = new StoredObject[n];
        for (int i = 0; i < n; i++) {
            objects[i] = StoredObject.decode(r);
        }
        try {
            return new LeaseGrant(epoch, start, List.of(objects));
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "leaseGrant", at, e.getMessage());
        }
    }
}
