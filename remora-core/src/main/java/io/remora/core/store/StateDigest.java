package io.remora.core.store;

import io.remora.core.Digest;
import io.remora.core.StoredObject;

/**
 * An order-independent accumulator over the live objects: the sum, modulo 2^256, of the digests of
 * every live object. An object's digest already binds its id and version (it is SHA-256 over the
 * object's encoding, which starts with both), and at most one version of an id is live, so the
 * object digest serves directly as the object's entry: no second hash per change. Adding an object
 * adds its digest, removing it subtracts it, so the digest updates in O(1) per change and two
 * states compare in O(1) whatever order their objects were written in.
 *
 * <p>Allocation-free except for {@link #digest()}. Not thread-safe: owned by one writer;
 * {@link #digest()} returns an immutable snapshot.
 */
public final class StateDigest {
    /** A new instance (stateless until objects are added). */
    public StateDigest() {
    }

    private long w0;
    private long w1;
    private long w2;
    private long w3;

    /** The entry an object contributes: its digest (cached by the object). */
    public static Digest entry(StoredObject o) {
        return o.digest();
    }

    public void add(StoredObject o) {
        add(entry(o));
    }

    public void remove(StoredObject o) {
        subtract(entry(o));
    }

    /** Adds a 256-bit value (big-endian words, word 0 most significant) with carry. */
    public void add(Digest e) {
        long x3 = e.word(3);
        long x2 = e.word(2);
        long x1 = e.word(1);
        long x0 = e.word(0);
        long s3 = w3 + x3;
        long c = Long.compareUnsigned(s3, w3) < 0 ? 1 : 0;
        long s2 = w2 + x2 + c;
        c = (Long.compareUnsigned(s2, w2) < 0 || (c == 1 && s2 == w2)) ? 1 : 0;
        long s1 = w1 + x1 + c;
        c = (Long.compareUnsigned(s1, w1) < 0 || (c == 1 && s1 == w1)) ? 1 : 0;
        w0 = w0 + x0 + c;
        w1 = s1;
        w2 = s2;
        w3 = s3;
    }

    /** Subtracts a 256-bit value with borrow. */
    public void subtract(Digest e) {
        long x3 = e.word(3);
        long x2 = e.word(2);
        long x1 = e.word(1);
        long x0 = e.word(0);
        long d3 = w3 - x3;
        long b = Long.compareUnsigned(w3, x3) < 0 ? 1 : 0;
        long d2 = w2 - x2 - b;
        b = (Long.compareUnsigned(w2, x2) < 0 || (b == 1 && w2 == x2)) ? 1 : 0;
        long d1 = w1 - x1 - b;
        b = (Long.compareUnsigned(w1, x1) < 0 || (b == 1 && w1 == x1)) ? 1 : 0;
        w0 = w0 - x0 - b;
        w1 = d1;
        w2 = d2;
        w3 = d3;
    }

    public Digest digest() {
        return Digest.of(w0, w1, w2, w3);
    }

    /** Resets to a saved digest (recovery). */
    public void set(Digest d) {
        w0 = d.word(0);
        w1 = d.word(1);
        w2 = d.word(2);
        w3 = d.word(3);
    }
}
