package io.remora.core.codec;

import io.remora.core.Bytes32;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An append cursor over a growable byte array. Encoders check the same limits as decoders, so
 * an oversized value is refused at the sender ({@link IllegalArgumentException}) rather than
 * produced and rejected by the peer. All integers are big-endian.
 *
 * <p>Not thread-safe. Reusable: {@link #reset()} keeps the backing array, so a long-lived writer
 * encodes without allocating once warmed up.
 */
public final class WireWriter {
    /** The wire protocol version carried by every top-level message. */
    public static final int PROTOCOL_VERSION = 1;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Larger arrays than this cannot be allocated on some JVMs. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    private byte[] buffer;
    private int position;

    public WireWriter() {
        this(256);
    }

    public WireWriter(int initialCapacity) {
        this.buffer = new byte[Math.max(16, initialCapacity)];
    }

    public WireWriter reset() {
        position = 0;
        return this;
    }

    public int length() {
        return position;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    /** The backing array (valid bytes are [0, length())); no copy, replaced when it grows. */
    public byte[] array() {
        return buffer;
    }

    /** Room for {@code n} more bytes. */
    private void ensure(int n) {
        int need = position + n;
        if (need < 0 || need > MAX_CAPACITY) {
            throw new IllegalArgumentException("writer.length=" + ((long) position + n) + " (expected: <= " + MAX_CAPACITY + ")");
        }
        if (need > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_CAPACITY, Math.max(need, 2L * buffer.length)));
        }
    }

    public WireWriter u8(int v) {
        ensure(1);
        buffer[position++] = (byte) v;
        return this;
    }

    public WireWriter u16(int v) {
        ensure(2);
        SHORT.set(buffer, position, (short) v);
        position += 2;
        return this;
    }

    public WireWriter i32(int v) {
        ensure(4);
        INT.set(buffer, position, v);
        position += 4;
        return this;
    }

    /** Overwrites a previously written i32 (for back-patched lengths). */
    public WireWriter i32At(int at, int v) {
        java.util.Objects.checkFromIndexSize(at, 4, position);
        INT.set(buffer, at, v);
        return this;
    }

    public WireWriter i64(long v) {
        ensure(8);
        LONG.set(buffer, position, v);
        position += 8;
        return this;
    }

    public WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public WireWriter b32(Bytes32 v) {
        ensure(32);
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
        ensure(v.length);
        System.arraycopy(v, 0, buffer, position, v.length);
        position += v.length;
        return this;
    }

    public WireWriter raw(byte[] v, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, v.length);
        ensure(length);
        System.arraycopy(v, offset, buffer, position, length);
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
