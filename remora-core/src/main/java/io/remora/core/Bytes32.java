package io.remora.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte value held as four big-endian longs, so that equality and hashing cost four compares
 * and no array indirection. The subclasses ({@link ObjectId}, {@link Address}, {@link Digest}) are
 * distinct types: an object id never equals a digest with the same bytes.
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class Bytes32 implements Comparable<Bytes32> permits ObjectId, Address, Digest {
    /** Encoded length in bytes. */
    public static final int LENGTH = 32;

    final long w0;
    final long w1;
    final long w2;
    final long w3;

    Bytes32(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    static long word(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xFFL);
        }
        return v;
    }

    static void checkLength(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("length=" + bytes.length + " (expected: 32)");
        }
    }

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Writes the 32 bytes into {@code dst} at {@code offset}. */
    public final void writeTo(byte[] dst, int offset) {
        java.util.Objects.checkFromIndexSize(offset, LENGTH, dst.length);
        LONG_BE.set(dst, offset, w0);
        LONG_BE.set(dst, offset + 8, w1);
        LONG_BE.set(dst, offset + 16, w2);
        LONG_BE.set(dst, offset + 24, w3);
    }

    /** The big-endian long at absolute {@code offset} of {@code buffer}, whatever the buffer's byte order. */
    static long readWord(java.nio.ByteBuffer buffer, int offset) {
        long v = buffer.getLong(offset);
        return buffer.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    /** A fresh copy of the 32 bytes. */
    public final byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        writeTo(out, 0);
        return out;
    }

    /** Big-endian word {@code index} (0 = bytes 0..7, the most significant), without copying. */
    public final long word(int index) {
        return switch (index) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            case 3 -> w3;
            default -> throw new IndexOutOfBoundsException("index=" + index + " (expected: 0..3)");
        };
    }

    /** The first eight bytes as a long: a well-mixed value for hashing and routing. */
    public final long prefix() {
        return w0;
    }

    /** True if all 32 bytes are zero. */
    public final boolean isZero() {
        return (w0 | w1 | w2 | w3) == 0;
    }

    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        Bytes32 b = (Bytes32) o;
        return w0 == b.w0 && w1 == b.w1 && w2 == b.w2 && w3 == b.w3;
    }

    @Override
    public final int hashCode() {
        // The words are hash outputs (uniform), so folding one is enough; mix in a second for
        // structured test ids.
        long h = w0 * 0x9E3779B97F4A7C15L + w3;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public final int compareTo(Bytes32 o) {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(w1, o.w1);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(w2, o.w2);
        return c != 0 ? c : Long.compareUnsigned(w3, o.w3);
    }

    /** Lower-case hex of all 32 bytes. */
    public final String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    /** The first 8 hex digits: enough to tell values apart in logs. */
    public final String toShortHex() {
        return toHex().substring(0, 8);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + toShortHex() + ")";
    }

    static byte[] hex(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        checkLength(b);
        return Arrays.copyOf(b, LENGTH);
    }
}
