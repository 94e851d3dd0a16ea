package io.remora.core.protocol;

import io.remora.core.StoredObject;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * SNAPSHOT_CHUNK (primary to pre-executor, reliable): one part of the committed state as of
 * {@code snapshotCommit}, answering the SNAPSHOT_REQUEST {@code requestId}.
 *
 * <pre>
 *  0        1           9                17          21      22
 *  +--------+-----------+----------------+-----------+-------+-----------+-----------------+
 *  | ver u8 | requestId | snapshotCommit | sequence  | last  | count u32 | StoredObject... |
 *  | = 1    | i64 >= 0  | i64 >= -1      | i32 >= 0  | u8 0/1| <= MAX_CHUNK_OBJECTS          |
 *  +--------+-----------+----------------+-----------+-------+-----------+-----------------+
 *  VERSION_OFFSET = 0, REQUEST_ID_OFFSET = 1, COMMIT_OFFSET = 9, SEQUENCE_OFFSET = 17,
 *  LAST_OFFSET = 21, COUNT_OFFSET = 22
 * </pre>
 *
 * Chunks of one snapshot are numbered 0, 1, 2, ... and all carry the same {@code snapshotCommit};
 * the one with {@code last = 1} completes it (an empty state is one empty last chunk). After the
 * last chunk the replica's watermark is {@code snapshotCommit}, and the primary continues with
 * STATE_UPDATEs whose {@code fromCommit <= snapshotCommit}.
 *
 * <p>Immutable and thread-safe.
 */
public record SnapshotChunk(long requestId, long snapshotCommit, int sequence, boolean last,
                            List<StoredObject> objects) implements ClusterMessage {
    public static final int REQUEST_ID_OFFSET = 1;
    public static final int COMMIT_OFFSET = 9;
    public static final int SEQUENCE_OFFSET = 17;
    public static final int LAST_OFFSET = 21;
    public static final int COUNT_OFFSET = 22;

    public SnapshotChunk {
        if (requestId < 0) {
            throw new IllegalArgumentException("requestId=" + requestId + " (expected: >= 0)");
        }
        if (snapshotCommit < -1) {
            throw new IllegalArgumentException("snapshotCommit=" + snapshotCommit + " (expected: >= -1)");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence=" + sequence + " (expected: >= 0)");
        }
        objects = List.copyOf(objects);
        ClusterMessages.checkCount("objects", objects.size(), ClusterMessages.MAX_CHUNK_OBJECTS);
    }

    void encode(WireWriter w) {
        w.i64(requestId).i64(snapshotCommit).i32(sequence).bool(last);
        w.count("chunk.count", objects.size(), ClusterMessages.MAX_CHUNK_OBJECTS);
        for (StoredObject o : objects) {
            o.encode(w);
        }
    }

    static SnapshotChunk decode(WireReader r) {
        int at = r.position();
        long id = r.i64("chunk.requestId");
        long commit = r.i64("chunk.snapshotCommit");
        int seq = r.i32("chunk.sequence");
        boolean last = r.bool("chunk.last");
        int n = ClusterMessages.count(r, "chunk.count", ClusterMessages.MAX_CHUNK_OBJECTS,
                ClusterMessages.MIN_OBJECT_BYTES);
        StoredObject[] objects = new StoredObject[n];
        for (int i = 0; i < n; i++) {
            objects[i] = StoredObject.decode(r);
        }
        try {
            return new SnapshotChunk(id, commit, seq, last, List.of(objects));
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "chunk", at, e.getMessage());
        }
    }
}
