package io.remora.core.protocol;

import io.remora.core.ObjectId;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * OBJECT_REQUEST (pre-executor to primary, speculative; optional): asks for the latest committed
 * versions of some objects (e.g. the owned inputs of a parked transaction).
 *
 * <pre>
 *  0        1           9
 *  +--------+-----------+-----------+--------------------------+
 *  | ver u8 | requestId | count u16 | ObjectId... (32 B each)  |
 *  | = 1    | i64 >= 0  | 1..MAX_OBJECT_REQUEST                |
 *  +--------+-----------+-----------+--------------------------+
 *  VERSION_OFFSET = 0, REQUEST_ID_OFFSET = 1, COUNT_OFFSET = 9
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public record ObjectRequest(long requestId, List<ObjectId> objects) implements ClusterMessage {
    public static final int REQUEST_ID_OFFSET = 1;
    public static final int COUNT_OFFSET = 9;

    public ObjectRequest {
        if (requestId < 0) {
            throw new IllegalArgumentException("requestId=" + requestId + " (expected: >= 0)");
        }
        objects = List.copyOf(objects);
        if (objects.isEmpty() || objects.size() > ClusterMessages.MAX_OBJECT_REQUEST) {
            throw new IllegalArgumentException("objects.size=" + objects.size()
                    + " (expected: 1.." + ClusterMessages.MAX_OBJECT_REQUEST + ")");
        }
    }

    void encode(WireWriter w) {
        w.i64(requestId).count16("objectRequest.count", objects.size(), ClusterMessages.MAX_OBJECT_REQUEST);
        for (ObjectId id : objects) {
            w.b32(id);
        }
    }

    static ObjectRequest decode(WireReader r) {
        int at = r.position();
        long id = r.i64("objectRequest.requestId");
        int n = r.count16("objectRequest.count", ClusterMessages.MAX_OBJECT_REQUEST);
        ObjectId[] ids = new ObjectId[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.objectId("objectRequest.object");
        }
        try {
            return new ObjectRequest(id, List.of(ids));
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "objectRequest", at, e.getMessage());
        }
    }
}
