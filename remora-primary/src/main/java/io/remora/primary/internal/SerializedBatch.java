package io.remora.primary.internal;

import io.remora.core.Bytes32;
import java.util.Arrays;

/**
 * A RocksDB write batch built in Java in RocksDB's own serialized form (its WAL record format,
 * {@code db/write_batch.cc}), so that a commit's thousands of puts cross JNI once, as
 * {@code new WriteBatch(toByteArray())}, instead of once per put (each copying its key and value).
 *
 * <pre>
 *  header  sequence fixed64 LE (0: assigned by the write) | count fixed32 LE
 *  record  0x05 kTypeColumnFamilyValue    | cf id varint32 | key len varint32 | key | value len varint32 | value
 *          0x04 kTypeColumnFamilyDeletion | cf id varint32 | key len varint32 | key
 *          column family 0: 0x01 kTypeValue / 0x00 kTypeDeletion, without the cf id
 * </pre>
 *
 * These are exactly the bytes {@code WriteBatch.put/delete(handle, ...)} would produce for the same
 * operations in the same order ({@code SerializedBatchTest} compares them with
 * {@code WriteBatch.data()}); the batch stays one atomic write.
 *
 * <p>Not thread-safe. Reusable: {@link #reset()} keeps the backing array.
 */
final class SerializedBatch {
    static final int HEADER = 12;
    private static final byte TYPE_DELETION = 0x00;
    private static final byte TYPE_VALUE = 0x01;
    private static final byte TYPE_CF_DELETION = 0x04;
    private static final byte TYPE_CF_VALUE = 0x05;

    private byte[] buf;
    private int length;
    private int count;

    SerializedBatch(int initialCapacity) {
        buf = new byte[Math.max(HEADER + 64, initialCapacity)];
        reset();
    }

    SerializedBatch reset() {
        Arrays.fill(buf, 0, HEADER, (byte) 0);
        length = HEADER;
        count = 0;
        return this;
    }

    int count() {
        return count;
    }

    /** Bytes written so far, header included. */
    int length() {
        return length;
    }

    SerializedBatch put(int cf, byte[] key, byte[] value, int valueOffset, int valueLength) {
        ensure(11 + key.length + 5 + valueLength);
        header(cf, TYPE_VALUE, TYPE_CF_VALUE);
        varint(key.length);
        System.arraycopy(key, 0, buf, length, key.length);
        length += key.length;
        value(value, valueOffset, valueLength);
        return this;
    }

    SerializedBatch put(int cf, byte[] key, byte[] value) {
        return put(cf, key, value, 0, value.length);
    }

    /** A put whose key is the 32 bytes of {@code key} (no key array allocated). */
    SerializedBatch put(int cf, Bytes32 key, byte[] value, int valueOffset, int valueLength) {
        ensure(11 + Bytes32.LENGTH + 5 + valueLength);
        header(cf, TYPE_VALUE, TYPE_CF_VALUE);
        key32(key);
        value(value, valueOffset, valueLength);
        return this;
    }

    SerializedBatch delete(int cf, Bytes32 key) {
        ensure(11 + Bytes32.LENGTH);
        header(cf, TYPE_DELETION, TYPE_CF_DELETION);
        key32(key);
        return this;
    }

    SerializedBatch delete(int cf, byte[] key) {
        ensure(11 + 5 + key.length);
        header(cf, TYPE_DELETION, TYPE_CF_DELETION);
        varint(key.length);
        System.arraycopy(key, 0, buf, length, key.length);
        length += key.length;
        return this;
    }

    /** An exactly sized copy, with the record count in the header. */
    byte[] toByteArray() {
        int c = count;
        buf[8] = (byte) c;
        buf[9] = (byte) (c >>> 8);
        buf[10] = (byte) (c >>> 16);
        buf[11] = (byte) (c >>> 24);
        return Arrays.copyOf(buf, length);
    }

    private void header(int cf, byte defaultType, byte cfType) {
        if (cf < 0) {
            throw new IllegalArgumentException("cf=" + cf + " (expected: >= 0)");
        }
        count++;
        if (cf == 0) {
            buf[length++] = defaultType;
        } else {
            buf[length++] = cfType;
            varint(cf);
        }
    }

    private void key32(Bytes32 key) {
        buf[length++] = Bytes32.LENGTH;
        key.writeTo(buf, length);
        length += Bytes32.LENGTH;
    }

    private void value(byte[] value, int offset, int n) {
        varint(n);
        System.arraycopy(value, offset, buf, length, n);
        length += n;
    }

    private void varint(int v) {
        while ((v & ~0x7F) != 0) {
            buf[length++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[length++] = (byte) v;
    }

    private void ensure(int extra) {
        long needed = (long) length + extra;
        if (needed > buf.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("write batch of " + needed + " bytes (expected: < 2 GiB)");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
        }
    }
}
