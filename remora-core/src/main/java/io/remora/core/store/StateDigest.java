package io.remora.core.store;

import io.remora.core.Digest;
import io.remora.core.StoredObject;

/**
 * An order-independent accumulator over the live objects: the sum, modulo 2^256, of
 * SHA-256(DOMAIN_STATE_ENTRY | id | version | object digest) over every live object. Adding an
 * object adds its entry, removing it subtracts it, so the digest updates in O(1) per change and two
 * states compare in O(1) whatever order their objects were written in.
 *
 * <p>Not thread-safe: owned by one writer. {@link #digest()} returns an immutable snapshot.
 */
public final class StateDigest {
    private long w0;
    private long w1;
    private long w2;
    private long w3;

    /** The entry an object contributes: SHA-256(DOMAIN_STATE_ENTRY | id | version | digest), cached by the object. */
    public static Digest entry(StoredObject o) {
        return o.stateEntry();
    }

    public void add(StoredObject o) {
        add(entry(o));
    }

    public void remove(StoredObject o) {
        subtract(entry(o));
    }

    /** Adds a 256-bit value (big-endian words, w0 most significant) with carry. */
    public void add(Digest e) {
        byte[] b = e.toBytes();
        long[] x = words(b);
        long s3 = w3 + x[3];
        long c = Long.compareUnsigned(s3, w3) < 0 ? 1 : 0;
        long s2 = w2 + x[2] + c;
        c = (Long.compareUnsigned(s2, w2) < 0 || (c == 1 && s2 == w2)) ? 1 : 0;
        long s1 = w1 + x[1] + c;
        c = (Long.compareUnsigned(s1, w1) < 0 || (c == 1 && s1 == w1)) ? 1 : 0;
        long s0 = w0 + x[0] + c;
        w0 = s0;
        w1 = s1;
        w2 = s2;
        w3 = s3;
    }

    /** Subtracts a 256-bit value with borrow. */
    public void subtract(Digest e) {
        long[] x = words(e.toBytes());
        long d3 = w3 - x[3];
        long b = Long.compareUnsigned(w3, x[3]) < 0 ? 1 : 0;
        long d2 = w2 - x[2] - b;
        b = (Long.compareUnsigned(w2, x[2]) < 0 || (b == 1 && w2 == x[2])) ? 1 : 0;
        long d1 = w1 - x[1] - b;
        b = (Long.compareUnsigned(w1, x[1]) < 0 || (b == 1 && w1 == x[1])) ? 1 : 0;
        long d0 = w0 - x[0] - b;
        w0 = d0;
        w1 = d1;
        w2 = d2;
        w3 = d3;
    }

    private static long[] words(byte[] b) {
        long[] x = new long[4];
        for (int w = 0; w < 4; w++) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[w * 8 + i] & 0xFFL);
            }
            x[w] = v;
        }
        return x;
    }

    public Digest digest() {
        return Digest.of(w0, w1, w2, w3);
    }

    /** Resets to a saved digest (recovery). */
    public void set(Digest d) {
        byte[] b = d.toBytes();
        long[] x = words(b);
        w0 = x[0];
        w1 = x[1];
        w2 = x[2];
        w3 = x[3];
    }
}
