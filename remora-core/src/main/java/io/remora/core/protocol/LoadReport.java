package io.remora.core.protocol;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * LOAD: the heartbeat payload a pre-executor reports (not a message type of its own: it rides in
 * the transport's heartbeat frames).
 *
 * <pre>
 *  0        1       2             4             8                 12
 *  +--------+-------+-------------+-------------+-----------------+--------------+
 *  | ver u8 | flags | workers u16 | queueDepth  | executedPerSec  | watermark    |
 *  | = 1    | u8    | 1..65535    | u32 (i32>=0)| u32 (i32 >= 0)  | i64 >= -1    |
 *  +--------+-------+-------------+-------------+-----------------+--------------+
 *  VERSION_OFFSET = 0, FLAGS_OFFSET = 1, WORKERS_OFFSET = 2, QUEUE_DEPTH_OFFSET = 4,
 *  RATE_OFFSET = 8, WATERMARK_OFFSET = 12, LENGTH = 20
 *
 *  flags: bit 0 SYNCED   a snapshot is installed (results are worth waiting for)
 *         bit 1 DRAINING shutting down: send no more EXECUTE
 *         other bits must be 0
 * </pre>
 *
 * {@code queueDepth} counts transactions received and not yet answered (queued, parked or
 * running); {@code executedPerSecond} is the recent answer rate; {@code watermark} the last commit
 * applied (-1: none). An empty heartbeat payload means "no report".
 *
 * <p>Immutable and thread-safe.
 */
public record LoadReport(int flags, int workers, int queueDepth, int executedPerSecond, long watermark) {
    public static final int FLAGS_OFFSET = 1;
    public static final int WORKERS_OFFSET = 2;
    public static final int QUEUE_DEPTH_OFFSET = 4;
    public static final int RATE_OFFSET = 8;
    public static final int WATERMARK_OFFSET = 12;
    public static final int LENGTH = 20;
    public static final int FLAG_SYNCED = 1;
    public static final int FLAG_DRAINING = 2;
    private static final int KNOWN_FLAGS = FLAG_SYNCED | FLAG_DRAINING;

    public LoadReport {
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("flags=" + flags + " (expected: subset of " + KNOWN_FLAGS + ")");
        }
        if (workers < 1 || workers > 0xFFFF) {
            throw new IllegalArgumentException("workers=" + workers + " (expected: 1..65535)");
        }
        if (queueDepth < 0) {
            throw new IllegalArgumentException("queueDepth=" + queueDepth + " (expected: >= 0)");
        }
        if (executedPerSecond < 0) {
            throw new IllegalArgumentException("executedPerSecond=" + executedPerSecond + " (expected: >= 0)");
        }
        if (watermark < -1) {
            throw new IllegalArgumentException("watermark=" + watermark + " (expected: >= -1)");
        }
    }

    public boolean synced() {
        return (flags & FLAG_SYNCED) != 0;
    }

    public boolean draining() {
        return (flags & FLAG_DRAINING) != 0;
    }

    void encode(WireWriter w) {
        w.u8(flags).u16(workers).i32(queueDepth).i32(executedPerSecond).i64(watermark);
    }

    static LoadReport decode(WireReader r) {
        int at = r.position();
        int flags = r.u8("load.flags");
        int workers = r.u16("load.workers");
        int depth = r.i32("load.queueDepth");
        int rate = r.i32("load.executedPerSecond");
        long wm = r.i64("load.watermark");
        try {
            return new LoadReport(flags, workers, depth, rate, wm);
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "load", at, e.getMessage());
        }
    }
}
