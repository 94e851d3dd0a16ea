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
 *  20                 22
 *  +------------------+
 *  | busy u16 0..10000|   only with flag BUSY
 *  +------------------+
 *  VERSION_OFFSET = 0, FLAGS_OFFSET = 1, WORKERS_OFFSET = 2, QUEUE_DEPTH_OFFSET = 4,
 *  RATE_OFFSET = 8, WATERMARK_OFFSET = 12, BUSY_OFFSET = 20, LENGTH = 20 (22 with BUSY)
 *
 *  flags: bit 0 SYNCED   a snapshot is installed (results are worth waiting for)
 *         bit 1 DRAINING shutting down: send no more EXECUTE
 *         bit 2 BUSY     a busy field follows
 *         other bits must be 0
 * </pre>
 *
 * {@code queueDepth} counts transactions received and not yet answered (queued, parked or
 * running); {@code executedPerSecond} is the recent answer rate; {@code watermark} the last commit
 * applied (-1: none); {@code busy} the share of its workers' time spent running transactions over
 * the recent sampling window, in basis points (10000: every worker busy all the time; -1 in the
 * record: not reported, no BUSY flag on the wire). An empty heartbeat payload means "no report".
 *
 * <p>Immutable and thread-safe.
 */
public record LoadReport(int flags, int workers, int queueDepth, int executedPerSecond, long watermark, int busy) {
    public static final int FLAGS_OFFSET = 1;
    public static final int WORKERS_OFFSET = 2;
    public static final int QUEUE_DEPTH_OFFSET = 4;
    public static final int RATE_OFFSET = 8;
    public static final int WATERMARK_OFFSET = 12;
    public static final int BUSY_OFFSET = 20;
    public static final int LENGTH = 20;
    /** Length with the busy field ({@link #FLAG_BUSY}). */
    public static final int LENGTH_WITH_BUSY = 22;
    public static final int FLAG_SYNCED = 1;
    public static final int FLAG_DRAINING = 2;
    /** A busy field follows; set by the constructor when {@code busy >= 0}. */
    public static final int FLAG_BUSY = 4;
    /** {@code busy} of workers busy all the time. */
    public static final int BUSY_FULL = 10_000;
    private static final int KNOWN_FLAGS = FLAG_SYNCED | FLAG_DRAINING | FLAG_BUSY;

    /** A report without the busy field. */
    public LoadReport(int flags, int workers, int queueDepth, int executedPerSecond, long watermark) {
        this(flags, workers, queueDepth, executedPerSecond, watermark, -1);
    }

    /**
     * @param busy -1 (not reported) or 0..{@value #BUSY_FULL}; when reported, {@link #FLAG_BUSY} is
     *             added to {@code flags}, which may carry it only then
     */
    public LoadReport {
        if (busy < -1 || busy > BUSY_FULL) {
            throw new IllegalArgumentException("busy=" + busy + " (expected: -1 or 0.." + BUSY_FULL + ")");
        }
        if (busy < 0 && (flags & FLAG_BUSY) != 0) {
            throw new IllegalArgumentException("flags=" + flags + " with busy=-1 (expected: BUSY only with a busy value)");
        }
        if (busy >= 0) {
            flags |= FLAG_BUSY;
        }
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

    /** The workers' busy share (0..1), or -1 if not reported. */
    public double busyShare() {
        return busy < 0 ? -1 : busy / (double) BUSY_FULL;
    }

    void encode(WireWriter w) {
        w.u8(flags).u16(workers).i32(queueDepth).i32(executedPerSecond).i64(watermark);
        if (busy >= 0) {
            w.u16(busy);
        }
    }

    static LoadReport decode(WireReader r) {
        int at = r.position();
        int flags = r.u8("load.flags");
        int workers = r.u16("load.workers");
        int depth = r.i32("load.queueDepth");
        int rate = r.i32("load.executedPerSecond");
        long wm = r.i64("load.watermark");
        int busy = (flags & FLAG_BUSY) != 0 ? r.u16("load.busy") : -1;
        try {
            return new LoadReport(flags, workers, depth, rate, wm, busy);
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "load", at, e.getMessage());
        }
    }
}
