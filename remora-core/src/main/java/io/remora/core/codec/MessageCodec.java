package io.remora.core.codec;

import io.remora.core.Commit;
import io.remora.core.Effects;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;

/**
 * Encodes and decodes the top-level messages. Every message is framed as
 *
 * <pre>
 *  0          1              2
 *  +----------+--------------+-------------------------------------------+
 *  | version  | message type | body (the type's own layout)              |
 *  | u8 = 1   | u8           |                                           |
 *  +----------+--------------+-------------------------------------------+
 *  VERSION_OFFSET = 0, TYPE_OFFSET = 1, BODY_OFFSET = 2
 *
 *  type  message           body                          whole-frame limit
 *  1     TRANSACTION       Transaction                   2 + MAX_TRANSACTION_BYTES (64 KiB)
 *  2     OBJECT            StoredObject                  MAX_MESSAGE_BYTES (8 MiB)
 *  3     EFFECTS           Effects                       MAX_MESSAGE_BYTES
 *  4     PRE_EXEC_RESULT   PreExecResult                 MAX_MESSAGE_BYTES
 *  5     COMMIT            Commit                        MAX_MESSAGE_BYTES
 * </pre>
 *
 * Type 0 is reserved so that a zeroed buffer is never a valid message. The frame length is given
 * by the transport; a decoder checks it against the type's limit before reading a byte, then
 * checks the version ({@code BAD_VERSION}) and the type ({@code BAD_VALUE}), decodes the body and
 * requires it to end exactly at the end of the frame ({@code TRAILING_BYTES}). Any malformed input
 * raises {@link CodecException} and nothing else. Encoders refuse a message over its limit with
 * {@link IllegalArgumentException}, so nothing a peer would reject is ever sent.
 *
 * <p>Stateless and thread-safe. The {@code encode(x, writer)} forms append to a caller-owned
 * {@link WireWriter} and allocate nothing once the writer has grown to size.
 */
public final class MessageCodec {
    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int BODY_OFFSET = 2;
    /** Version and type bytes. */
    public static final int HEADER_LENGTH = 2;
    /** Largest transaction frame: header plus {@link Limits#MAX_TRANSACTION_BYTES}. */
    public static final int MAX_TRANSACTION_MESSAGE_BYTES = HEADER_LENGTH + Limits.MAX_TRANSACTION_BYTES;

    /** The message types and their wire codes. */
    public enum MessageType {
        TRANSACTION(1, MAX_TRANSACTION_MESSAGE_BYTES),
        OBJECT(2, Limits.MAX_MESSAGE_BYTES),
        EFFECTS(3, Limits.MAX_MESSAGE_BYTES),
        PRE_EXEC_RESULT(4, Limits.MAX_MESSAGE_BYTES),
        COMMIT(5, Limits.MAX_MESSAGE_BYTES);

        private static final MessageType[] BY_CODE = {null, TRANSACTION, OBJECT, EFFECTS, PRE_EXEC_RESULT, COMMIT};

        private final int code;
        private final int maxLength;

        MessageType(int code, int maxLength) {
            this.code = code;
            this.maxLength = maxLength;
        }

        /** The type byte on the wire. */
        public int code() {
            return code;
        }

        /** Largest whole frame (header included) of this type. */
        public int maxLength() {
            return maxLength;
        }

        /** The type with this wire code, or null. */
        public static MessageType ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    private MessageCodec() {
    }

    // ---- encoding -------------------------------------------------------------------------------

    public static byte[] encode(Transaction tx) {
        return toBytes(w -> encode(tx, w), HEADER_LENGTH + tx.encodedLength());
    }

    /** Appends the framed transaction to {@code w}; returns the number of bytes written. */
    public static int encode(Transaction tx, WireWriter w) {
        int start = header(w, MessageType.TRANSACTION);
        tx.encode(w);
        return finish(w, start, MessageType.TRANSACTION);
    }

    public static byte[] encode(StoredObject object) {
        return toBytes(w -> encode(object, w), 128 + object.contents().length);
    }

    /** Appends the framed object to {@code w}; returns the number of bytes written. */
    public static int encode(StoredObject object, WireWriter w) {
        int start = header(w, MessageType.OBJECT);
        object.encode(w);
        return finish(w, start, MessageType.OBJECT);
    }

    public static byte[] encode(Effects effects) {
        return toBytes(w -> encode(effects, w), 256);
    }

    /** Appends the framed effects to {@code w}; returns the number of bytes written. */
    public static int encode(Effects effects, WireWriter w) {
        int start = header(w, MessageType.EFFECTS);
        effects.encode(w);
        return finish(w, start, MessageType.EFFECTS);
    }

    public static byte[] encode(PreExecResult result) {
        return toBytes(w -> encode(result, w), 512);
    }

    /** Appends the framed pre-execution result to {@code w}; returns the number of bytes written. */
    public static int encode(PreExecResult result, WireWriter w) {
        int start = header(w, MessageType.PRE_EXEC_RESULT);
        result.encode(w);
        return finish(w, start, MessageType.PRE_EXEC_RESULT);
    }

    public static byte[] encode(Commit commit) {
        long n = HEADER_LENGTH + commit.encodedLength();
        checkLimit(n, MessageType.COMMIT);
        return toBytes(w -> encode(commit, w), (int) n);
    }

    /** Appends the framed commit to {@code w}; returns the number of bytes written. */
    public static int encode(Commit commit, WireWriter w) {
        checkLimit(HEADER_LENGTH + commit.encodedLength(), MessageType.COMMIT);
        int start = header(w, MessageType.COMMIT);
        commit.encode(w);
        return finish(w, start, MessageType.COMMIT);
    }

    private static byte[] toBytes(java.util.function.ToIntFunction<WireWriter> encoder, int sizeHint) {
        WireWriter w = new WireWriter(Math.max(16, sizeHint));
        encoder.applyAsInt(w);
        return w.toByteArray();
    }

    private static int header(WireWriter w, MessageType type) {
        int start = w.length();
        w.version().u8(type.code);
        return start;
    }

    /**
     * Checks the frame just written against its limit. On failure the writer holds a partial frame
     * past {@code start}: the caller resets it.
     */
    private static int finish(WireWriter w, int start, MessageType type) {
        int n = w.length() - start;
        checkLimit(n, type);
        return n;
    }

    private static void checkLimit(long n, MessageType type) {
        if (n > type.maxLength) {
            throw new IllegalArgumentException(type + ".length=" + n + " (expected: <= " + type.maxLength + ")");
        }
    }

    // ---- decoding -------------------------------------------------------------------------------

    public static Transaction decodeTransaction(java.nio.ByteBuffer buffer, int offset, int length) {
        WireReader r = open(buffer, offset, length, MessageType.TRANSACTION);
        Transaction tx = Transaction.decode(r);
        r.expectEnd("transaction");
        return tx;
    }

    public static Transaction decodeTransaction(byte[] bytes) {
        return decodeTransaction(java.nio.ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    public static StoredObject decodeObject(java.nio.ByteBuffer buffer, int offset, int length) {
        WireReader r = open(buffer, offset, length, MessageType.OBJECT);
        StoredObject object = StoredObject.decode(r);
        r.expectEnd("object");
        return object;
    }

    public static StoredObject decodeObject(byte[] bytes) {
        return decodeObject(java.nio.ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    public static Effects decodeEffects(java.nio.ByteBuffer buffer, int offset, int length) {
        WireReader r = open(buffer, offset, length, MessageType.EFFECTS);
        Effects effects = Effects.decode(r);
        r.expectEnd("effects");
        return effects;
    }

    public static Effects decodeEffects(byte[] bytes) {
        return decodeEffects(java.nio.ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    public static PreExecResult decodePreExecResult(java.nio.ByteBuffer buffer, int offset, int length) {
        WireReader r = open(buffer, offset, length, MessageType.PRE_EXEC_RESULT);
        PreExecResult result = PreExecResult.decode(r);
        r.expectEnd("result");
        return result;
    }

    public static PreExecResult decodePreExecResult(byte[] bytes) {
        return decodePreExecResult(java.nio.ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    public static Commit decodeCommit(java.nio.ByteBuffer buffer, int offset, int length) {
        WireReader r = open(buffer, offset, length, MessageType.COMMIT);
        Commit commit = Commit.decode(r);
        r.expectEnd("commit");
        return commit;
    }

    public static Commit decodeCommit(byte[] bytes) {
        return decodeCommit(java.nio.ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    /**
     * Reads and checks the header of a frame, for dispatch: the version must be ours and the type
     * known. Does not check the frame length against the type's limit (the decoder does).
     */
    public static MessageType peekType(java.nio.ByteBuffer buffer, int offset, int length) {
        WireReader r = new WireReader(buffer, offset, length);
        r.version("message.version");
        return readType(r);
    }

    private static WireReader open(java.nio.ByteBuffer buffer, int offset, int length, MessageType expected) {
        if (length > expected.maxLength) {
            throw new CodecException(CodecException.Kind.LIMIT_EXCEEDED, "message.length", 0,
                    expected + " frame of " + length + " bytes (expected: <= " + expected.maxLength + ")");
        }
        WireReader r = new WireReader(buffer, offset, length);
        r.version("message.version");
        int at = r.position();
        MessageType type = readType(r);
        if (type != expected) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "message.type", at,
                    "type " + type + " (expected: " + expected + ")");
        }
        return r;
    }

    private static MessageType readType(WireReader r) {
        int at = r.position();
        int code = r.u8("message.type");
        MessageType type = MessageType.ofCode(code);
        if (type == null) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "message.type", at, "type code " + code);
        }
        return type;
    }
}
