package io.remora.core.codec;

import io.remora.core.Bytes32;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An append cursor over a growable Agrona buffer. Encoders check the same limits as decoders, so
 * an oversized value is refused at the sender ({@link IllegalArgumentException}) rather than
 * produced and rejected by the peer. All integers are big-endian.
 *
 * <p>Not thread-safe. Reusable: {@link #reset()} keeps the backing array, so a long-lived writer
 * encodes without allocating once warmed up.
 */
public final class WireWriter {
    /** The wire protocol version carried by every top-level message. */
    public static final int PROTOCOL_VERSION = 1;

    private final ExpandableArrayBuffer buffer;
    private int position;

    public WireWriter() {
        this(256);
    }

    public WireWriter(int initialCapacity) {
        this.buffer = new ExpandableArrayBuffer(initialCapacity);
    }

    public WireWriter reset() {
        position = 0;
        return this;
    }

    public int length() {
        return position;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        byte[] out = new byte[position];
        buffer.getBytes(0, out);
        return out;
    }

    /** The backing array (valid bytes are [0, length())); no copy. */
    public byte[] array() {
        return buffer.byteArray();
    }

    public WireWriter u8(int v) {
        buffer.putByte(position++, (byte) v);
        return this;
    }

    public WireWriter u16(int v) {
        buffer.putShort(position, (short) v, ByteOrder.BIG_ENDIAN);
        position += 2;
        return this;
    }

    public WireWriter i32(int v) {
        buffer.putInt(position, v, ByteOrder.BIG_ENDIAN);
        position += 4;
        return this;
    }

    /** Overwrites a previously written i32 (for back-patched lengths). */
    public WireWriter i32At(int at, int v) {
        buffer.putInt(at, v, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public WireWriter i64(long v) {
        buffer.putLong(position, v, ByteOrder.BIG_ENDIAN);
        position += 8;
        return this;
    }

    public WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public WireWriter b32(Bytes32 v) {
        buffer.checkLimit(position + 32);
        v.writeTo(buffer, position);
        position += 32;
        return this;
    }

    /** A count, checked against its limit. */
    public WireWriter count(String field, int n, int max) {
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(field + "=" + n + " (expected: 0.." + max + ")");
        }
        return i32(n);
    }

    public WireWriter count16(String field, int n, int max) {
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(field + "=" + n + " (expected: 0.." + max + ")");
        }
        return u16(n);
    }

    /** A u32-length-prefixed byte string, checked against {@code max}. */
    public WireWriter bytes(String field, byte[] v, int max) {
        count(field + ".length", v.length, max);
        return raw(v);
    }

    public WireWriter raw(byte[] v) {
        buffer.putBytes(position, v);
        position += v.length;
        return this;
    }

    public WireWriter raw(byte[] v, int offset, int length) {
        buffer.putBytes(position, v, offset, length);
        position += length;
        return this;
    }

    /** A u8-length-prefixed UTF-8 string of at most 255 bytes. */
    public WireWriter shortString(String field, String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        if (b.length > Limits.MAX_SHORT_STRING) {
            throw new IllegalArgumentException(field + ".length=" + b.length + " (expected: 0..255)");
        }
        u8(b.length);
        return raw(b);
    }

    public WireWriter version() {
        return u8(PROTOCOL_VERSION);
    }
}
