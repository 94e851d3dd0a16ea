package io.remora.core.protocol;

import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * OBJECT_RESPONSE (primary to pre-executor, reliable; optional): answers an OBJECT_REQUEST with
 * the latest committed versions as of {@code asOfCommit}.
 *
 * <pre>
 *  0        1           9            17
 *  +--------+-----------+------------+-----------+-----------------+-----------+------------+
 *  | ver u8 | requestId | asOfCommit | found u16 | StoredObject... | missing   | ObjectId...|
 *  | = 1    | i64 >= 0  | i64 >= -1  | <= MAX_OBJECT_REQUEST       | count u16 | 32 B each  |
 *  +--------+-----------+------------+-----------+-----------------+-----------+------------+
 *  VERSION_OFFSET = 0, REQUEST_ID_OFFSET = 1, COMMIT_OFFSET = 9, FOUND_COUNT_OFFSET = 17
 * </pre>
 *
 * {@code missing} lists requested ids that do not exist at {@code asOfCommit}. The receiver
 * installs each found object newer than its copy; its watermark does not change.
 *
 * <p>Immutable and thread-safe.
 */
public record ObjectResponse(long requestId, long asOfCommit, List<StoredObject> found, List<ObjectId> missing) implements ClusterMessage {
    public static final int REQUEST_ID_OFFSET = 1;
    public static final int COMMIT_OFFSET = 9;
    public static final int FOUND_COUNT_OFFSET = 17;

    public ObjectResponse {
        if (requestId < 0) {
            throw new IllegalArgumentException("requestId=" + requestId + " (expected: >= 0)");
        }
        if (asOfCommit < -1) {
            throw new IllegalArgumentException("asOfCommit=" + asOfCommit + " (expected: >= -1)");
        }
        found = List.copyOf(found);
        missing = List.copyOf(missing);
        ClusterMessages.checkCount("found", found.size(), ClusterMessages.MAX_OBJECT_REQUEST);
        ClusterMessages.checkCount("missing", missing.size(), ClusterMessages.MAX_OBJECT_REQUEST);
    }

    void encode(WireWriter w) {
        w.i64(requestId).i64(asOfCommit);
        w.count16("objectResponse.found", found.size(), ClusterMessages.MAX_OBJECT_REQUEST);
        for (StoredObject o : found) {
            o.encode(w);
        }
        w.count16("objectResponse.missing", missing.size(), ClusterMessages.MAX_OBJECT_REQUEST);
        for (ObjectId id : missing) {
            w.b32(id);
        }
    }

    static ObjectResponse decode(WireReader r) {
        int at = r.position();
        long id = r.i64("objectResponse.requestId");
        long commit = r.i64("objectResponse.asOfCommit");
        int nf = r.count16("objectResponse.found", ClusterMessages.MAX_OBJECT_REQUEST);
        StoredObject[] found = new StoredObject[nf];
        for (int i = 0; i < nf; i++) {
            found[i] = StoredObject.decode(r);
        }
        int nm = r.count16("objectResponse.missing", ClusterMessages.MAX_OBJECT_REQUEST);
        ObjectId[] missing = new ObjectId[nm];
        for (int i = 0; i < nm; i++) {
            missing[i] = r.objectId("objectResponse.missing");
        }
        try {
            return new ObjectResponse(id, commit, List.of(found), List.of(missing));
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "objectResponse", at, e.getMessage());
        }
    }
}
