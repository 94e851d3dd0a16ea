package io.remora.core.protocol;

import io.remora.core.ObjectId;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * HOT_SET (primary to pre-executor, reliable): the objects the primary currently sees conflicting.
 *
 * <pre>
 *  0        1           9
 *  +--------+-----------+-----------+--------------------------+
 *  | ver u8 | epoch     | count u32 | ObjectId... (32 B each)  |
 *  | = 1    | i64 >= 0  | <= MAX_HOT_SET                       |
 *  +--------+-----------+-----------+--------------------------+
 *  VERSION_OFFSET = 0, EPOCH_OFFSET = 1, COUNT_OFFSET = 9
 * </pre>
 *
 * Each hot set replaces the previous one entirely; a set whose {@code epoch} is not greater than
 * the last one applied is stale and ignored. An empty set clears the hot set. Transactions
 * declaring any hot object get verify-only treatment.
 *
 * <p>Immutable and thread-safe.
 */
public record HotSet(long epoch, List<ObjectId> objects) implements ClusterMessage {
    public static final int EPOCH_OFFSET = 1;
    public static final int COUNT_OFFSET = 9;

    public HotSet {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch=" + epoch + " (expected: >= 0)");
        }
        objects = List.copyOf(objects);
        ClusterMessages.checkCount("objects", objects.size(), ClusterMessages.MAX_HOT_SET);
    }

    void encode(WireWriter w) {
        w.i64(epoch).count("hotSet.count", objects.size(), ClusterMessages.MAX_HOT_SET);
        for (ObjectId id : objects) {
            w.b32(id);
        }
    }

    static HotSet decode(WireReader r) {
        int at = r.position();
        long epoch = r.i64("hotSet.epoch");
        int n = ClusterMessages.count(r, "hotSet.count", ClusterMessages.MAX_HOT_SET, 32);
        ObjectId[] ids = new ObjectId[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.objectId("hotSet.object");
        }
        try {
            return new HotSet(epoch, List.of(ids));
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "hotSet", at, e.getMessage());
        }
    }
}
