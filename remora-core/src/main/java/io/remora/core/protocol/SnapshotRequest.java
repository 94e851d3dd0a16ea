package io.remora.core.protocol;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * SNAPSHOT_REQUEST (pre-executor to primary, reliable): asks for the whole committed state.
 *
 * <pre>
 *  0        1              9
 *  +--------+--------------+--------------+
 *  | ver u8 | requestId    | watermark    |
 *  | = 1    | i64 >= 0     | i64 >= -1    |
 *  +--------+--------------+--------------+
 *  VERSION_OFFSET = 0, REQUEST_ID_OFFSET = 1, WATERMARK_OFFSET = 9, LENGTH = 17
 * </pre>
 *
 * {@code requestId} is echoed in every chunk of the answer, so chunks of an abandoned request are
 * recognised and ignored. {@code watermark} is the requester's last applied commit (-1: none),
 * for logs and for a primary that prefers to answer a small lag with updates.
 *
 * <p>Immutable and thread-safe.
 */
public record SnapshotRequest(long requestId, long watermark) implements ClusterMessage {
    public static final int REQUEST_ID_OFFSET = 1;
    public static final int WATERMARK_OFFSET = 9;
    public static final int LENGTH = 17;

    public SnapshotRequest {
        if (requestId < 0) {
            throw new IllegalArgumentException("requestId=" + requestId + " (expected: >= 0)");
        }
        if (watermark < -1) {
            throw new IllegalArgumentException("watermark=" + watermark + " (expected: >= -1)");
        }
    }

    void encode(WireWriter w) {
        w.i64(requestId).i64(watermark);
    }

    static SnapshotRequest decode(WireReader r) {
        int at = r.position();
        long id = r.i64("snapshotRequest.requestId");
        long wm = r.i64("snapshotRequest.watermark");
        try {
            return new SnapshotRequest(id, wm);
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "snapshotRequest", at, e.getMessage());
        }
    }
}
