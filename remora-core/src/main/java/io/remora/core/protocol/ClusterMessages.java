package io.remora.core.protocol;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * The cluster protocol between the primary and its pre-executors: message types and payload codecs.
 * The transport frames each message ({@code length | version | type | payload}) and authenticates
 * the peer; this class encodes and decodes only the payload, so core stays free of Netty.
 *
 * <pre>
 *  type  name             direction                 priority     payload
 *  16    EXECUTE          primary -> pre-executor   speculative  {@link Execute}: 1..1024 transactions
 *  17    RESULT           pre-executor -> primary   speculative  {@link Results}: 1..1024 PreExecResults
 *  18    STATE_UPDATE     primary -> pre-executor   reliable     {@link StateUpdate}: committed changes
 *  19    SNAPSHOT_REQUEST pre-executor -> primary   reliable     {@link SnapshotRequest}
 *  20    SNAPSHOT_CHUNK   primary -> pre-executor   reliable     {@link SnapshotChunk}: part of the state
 *  21    HOT_SET          primary -> pre-executor   reliable     {@link HotSet}: conflicting object ids
 *  22    OBJECT_REQUEST   pre-executor -> primary   speculative  {@link ObjectRequest} (optional)
 *  23    OBJECT_RESPONSE  primary -> pre-executor   reliable     {@link ObjectResponse} (optional)
 *  24    COMMITTED        primary -> pre-executor   speculative  {@link Committed}: its transactions in a commit
 *  25    LEASE_GRANT      primary -> pre-executor   reliable     {@link LeaseGrant}: a subset of the state, delegated
 *  26    LEASE_EXECUTE    primary -> pre-executor   reliable     {@link LeaseExecute}: committed transactions on it
 *  27    LEASE_END        primary -> pre-executor   reliable     {@link LeaseEnd}
 *  28    LEASE_RESULT     pre-executor -> primary   reliable     {@link LeaseResults}: a delegate's answers
 *  --    LOAD             pre-executor heartbeats   (heartbeat)  {@link LoadReport}
 * </pre>
 *
 * Every payload starts with the cluster protocol version byte ({@link WireWriter#PROTOCOL_VERSION}):
 *
 * <pre>
 *  0          1
 *  +----------+---------------------------------------------------+
 *  | version  | body (the type's own layout, see each record)     |
 *  | u8 = 1   |                                                   |
 *  +----------+---------------------------------------------------+
 *  VERSION_OFFSET = 0, BODY_OFFSET = 1; whole payload <= MAX_PAYLOAD_BYTES
 * </pre>
 *
 * A decoder checks the payload length against {@link #MAX_PAYLOAD_BYTES} before reading, then the
 * version ({@code BAD_VERSION}), checks every count against its limit and against the bytes left
 * before allocating, and requires the body to end exactly at the end of the payload
 * ({@code TRAILING_BYTES}). Any malformed input raises {@link CodecException} and nothing else.
 * Encoders refuse an out-of-limit message with {@link IllegalArgumentException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ClusterMessages {
    public static final int EXECUTE = 16;
    public static final int RESULT = 17;
    public static final int STATE_UPDATE = 18;
    public static final int SNAPSHOT_REQUEST = 19;
    public static final int SNAPSHOT_CHUNK = 20;
    public static final int HOT_SET = 21;
    public static final int OBJECT_REQUEST = 22;
    public static final int OBJECT_RESPONSE = 23;
    public static final int COMMITTED = 24;
    public static final int LEASE_GRANT = 25;
    public static final int LEASE_EXECUTE = 26;
    public static final int LEASE_END = 27;
    public static final int LEASE_RESULT = 28;
    /** Lowest and highest type of this protocol. */
    public static final int FIRST_TYPE = EXECUTE;
    public static final int LAST_TYPE = LEASE_RESULT;

    public static final int VERSION_OFFSET = 0;
    public static final int BODY_OFFSET = 1;
    /**
     * Largest payload of any cluster message: a maximal pre-execution result plus headroom
     * (8 MiB + 4 KiB), well under the transport's default 16 MiB frame.
     */
    public static final int MAX_PAYLOAD_BYTES = Limits.MAX_MESSAGE_BYTES + 4096;
    /** Transactions per EXECUTE, results per RESULT. */
    public static final int MAX_BATCH = 1024;
    /** Written objects, and deleted ids, per STATE_UPDATE. */
    public static final int MAX_UPDATE_OBJECTS = 65_536;
    /** Objects per SNAPSHOT_CHUNK. */
    public static final int MAX_CHUNK_OBJECTS = 65_536;
    /** Ids per HOT_SET. */
    public static final int MAX_HOT_SET = 4096;
    /** Ids per OBJECT_REQUEST (and found plus missing per OBJECT_RESPONSE, each). */
    public static final int MAX_OBJECT_REQUEST = 1024;
    /** Transactions per COMMITTED (a commit's entries for one peer may take several). */
    public static final int MAX_COMMITTED_ENTRIES = 4096;
    /** Objects one lease covers. */
    public static final int MAX_LEASE_OBJECTS = 4096;
    /** Smallest encoded object: id, version, immutable owner, empty type tag, empty contents. */
    static final int MIN_OBJECT_BYTES = 32 + 8 + 1 + 1 + 4;

    private ClusterMessages() {
    }

    /** The name of a cluster message type, or {@code "type-N"} for others (for logs and counters). */
    public static String typeName(int type) {
        return switch (type) {
            case EXECUTE -> "EXECUTE";
            case RESULT -> "RESULT";
            case STATE_UPDATE -> "STATE_UPDATE";
            case SNAPSHOT_REQUEST -> "SNAPSHOT_REQUEST";
            case SNAPSHOT_CHUNK -> "SNAPSHOT_CHUNK";
            case HOT_SET -> "HOT_SET";
            case OBJECT_REQUEST -> "OBJECT_REQUEST";
            case OBJECT_RESPONSE -> "OBJECT_RESPONSE";
            case COMMITTED -> "COMMITTED";
            case LEASE_GRANT -> "LEASE_GRANT";
            case LEASE_EXECUTE -> "LEASE_EXECUTE";
            case LEASE_END -> "LEASE_END";
            case LEASE_RESULT -> "LEASE_RESULT";
            default -> "type-" + type;
        };
    }

    // ---- encoding -------------------------------------------------------------------------------

    /** A thread's encoding scratch starts this large. */
    static final int SCRATCH_BYTES = 4096;
    /** A scratch grown past this by a large message (a snapshot chunk) is dropped after it. */
    static final int SCRATCH_KEEP_BYTES = 64 << 10;
    /**
     * Each thread's encoding scratch: a message is encoded into it and copied out once, exactly
     * sized, so that encoding an EXECUTE or a STATE_UPDATE does not also allocate a small writer and
     * every larger array it grows through (measured: those were ~13% of the bench JVM's
     * allocation at 8,000 tx/s). A thread holds at most {@link #SCRATCH_KEEP_BYTES} of it.
     */
    private static final ThreadLocal<WireWriter> SCRATCH = ThreadLocal.withInitial(() -> new WireWriter(SCRATCH_BYTES));

    /** The payload of {@code message} (send it under {@link ClusterMessage#type()}). */
    public static byte[] encode(ClusterMessage message) {
        WireWriter w = SCRATCH.get().reset();
        try {
            encode(message, w);
            return w.toByteArray();
        } finally {
            if (w.array().length > SCRATCH_KEEP_BYTES) {
                SCRATCH.set(new WireWriter(SCRATCH_BYTES));
            }
        }
    }

    /**
     * The EXECUTE payload of one transaction from its {@code MessageCodec} TRANSACTION frame, which
     * the caller has decoded and checked: a TRANSACTION frame and an EXECUTE carry the same
     * transaction encoding, so the frame's body goes behind the EXECUTE header verbatim and
     * admission does not encode again what it received. Byte for byte what
     * {@code encode(Execute.of(tx))} gives for the decoded transaction.
     */
    public static byte[] executeOfTransactionFrame(byte[] frame) {
        int body = frame.length - io.remora.core.codec.MessageCodec.HEADER_LENGTH;
        if (body <= 0) {
            throw new IllegalArgumentException("frame.length=" + frame.length + " (expected: a TRANSACTION frame)");
        }
        WireWriter w = new WireWriter(Execute.FIRST_TRANSACTION_OFFSET + body);
        w.version().count16("execute.count", 1, MAX_BATCH);
        w.raw(frame, io.remora.core.codec.MessageCodec.HEADER_LENGTH, body);
        return w.toByteArray();
    }

    /**
     * Appends the payload of {@code message} to {@code w}; returns the bytes written. On an
     * {@link IllegalArgumentException} the writer holds a partial payload: the caller resets it.
     */
    public static int encode(ClusterMessage message, WireWriter w) {
        int start = w.length();
        w.version();
        switch (message) {
            case Execute m -> m.encode(w);
            case Results m -> m.encode(w);
            case StateUpdate m -> m.encode(w);
            case SnapshotRequest m -> m.encode(w);
            case SnapshotChunk m -> m.encode(w);
            case HotSet m -> m.encode(w);
            case ObjectRequest m -> m.encode(w);
            case ObjectResponse m -> m.encode(w);
            case Committed m -> m.encode(w);
            case LeaseGrant m -> m.encode(w);
            case LeaseExecute m -> m.encode(w);
            case LeaseEnd m -> m.encode(w);
            case LeaseResults m -> m.encode(w);
        }
        int n = w.length() - start;
        if (n > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(typeName(message.type()) + ".length=" + n
                    + " (expected: <= " + MAX_PAYLOAD_BYTES + ")");
        }
        return n;
    }

    /** The heartbeat payload carrying {@code report}. */
    public static byte[] encode(LoadReport report) {
        WireWriter w = new WireWriter(LoadReport.LENGTH_WITH_BUSY);
        w.version();
        report.encode(w);
        return w.toByteArray();
    }

    // ---- decoding -------------------------------------------------------------------------------

    /**
     * Decodes the payload of a frame of {@code type}.
     *
     * @throws CodecException on malformed input, or {@code BAD_VALUE} if {@code type} is not a
     *                        cluster message type
     */
    public static ClusterMessage decode(int type, java.nio.ByteBuffer buffer, int offset, int length) {
        WireReader r = open(buffer, offset, length, typeName(type));
        ClusterMessage m = switch (type) {
            case EXECUTE -> Execute.decode(r);
            case RESULT -> Results.decode(r);
            case STATE_UPDATE -> StateUpdate.decode(r);
            case SNAPSHOT_REQUEST -> SnapshotRequest.decode(r);
            case SNAPSHOT_CHUNK -> SnapshotChunk.decode(r);
            case HOT_SET -> HotSet.decode(r);
            case OBJECT_REQUEST -> ObjectRequest.decode(r);
            case OBJECT_RESPONSE -> ObjectResponse.decode(r);
            case COMMITTED -> Committed.decode(r);
            case LEASE_GRANT -> LeaseGrant.decode(r);
            case LEASE_EXECUTE -> LeaseExecute.decode(r);
            case LEASE_END -> LeaseEnd.decode(r);
            case LEASE_RESULT -> LeaseResults.decode(r);
            default -> throw new CodecException(CodecException.Kind.BAD_VALUE, "message.type", 0,
                    "type " + type + " (expected: " + FIRST_TYPE + ".." + LAST_TYPE + ")");
        };
        r.expectEnd(typeName(type));
        return m;
    }

    public static ClusterMessage decode(int type, byte[] payload) {
        return decode(type, java.nio.ByteBuffer.wrap(payload), 0, payload.length);
    }

    /** Decodes a payload that must be of {@code expected}'s type. */
    public static <T extends ClusterMessage> T decode(Class<T> expected, int type, java.nio.ByteBuffer buffer,
                                                      int offset, int length) {
        ClusterMessage m = decode(type, buffer, offset, length);
        if (!expected.isInstance(m)) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "message.type", 0,
                    typeName(type) + " (expected: " + expected.getSimpleName() + ")");
        }
        return expected.cast(m);
    }

    /** Decodes a heartbeat's load report. */
    public static LoadReport decodeLoad(java.nio.ByteBuffer buffer, int offset, int length) {
        WireReader r = open(buffer, offset, length, "LOAD");
        LoadReport report = LoadReport.decode(r);
        r.expectEnd("LOAD");
        return report;
    }

    public static LoadReport decodeLoad(byte[] payload) {
        return decodeLoad(java.nio.ByteBuffer.wrap(payload), 0, payload.length);
    }

    private static WireReader open(java.nio.ByteBuffer buffer, int offset, int length, String what) {
        if (length > MAX_PAYLOAD_BYTES) {
            throw new CodecException(CodecException.Kind.LIMIT_EXCEEDED, "payload.length", 0,
                    what + " payload of " + length + " bytes (expected: <= " + MAX_PAYLOAD_BYTES + ")");
        }
        WireReader r = new WireReader(buffer, offset, length);
        r.version(what + ".version");
        return r;
    }

    // ---- shared helpers for the message records -------------------------------------------------

    /** A u16 batch count in 1..MAX_BATCH. */
    static int batchCount(WireReader r, String field) {
        int at = r.position();
        int n = r.count16(field, MAX_BATCH);
        if (n == 0) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, field, at, field + "=0 (expected: 1.." + MAX_BATCH + ")");
        }
        return n;
    }

    /**
     * A u32 count in 0..max that also fits the bytes left, each element taking at least
     * {@code minElementBytes}: checked before the caller allocates for it.
     */
    static int count(WireReader r, String field, int max, int minElementBytes) {
        int at = r.position();
        int n = r.count(field, max);
        if ((long) n * minElementBytes > r.remaining()) {
            throw new CodecException(CodecException.Kind.TRUNCATED, field, at,
                    field + "=" + n + " elements of >= " + minElementBytes + " bytes, " + r.remaining() + " left");
        }
        return n;
    }

    static void checkBatch(String field, int n) {
        if (n < 1 || n > MAX_BATCH) {
            throw new IllegalArgumentException(field + ".size=" + n + " (expected: 1.." + MAX_BATCH + ")");
        }
    }

    static void checkCount(String field, int n, int max) {
        if (n > max) {
            throw new IllegalArgumentException(field + ".size=" + n + " (expected: 0.." + max + ")");
        }
    }
}
