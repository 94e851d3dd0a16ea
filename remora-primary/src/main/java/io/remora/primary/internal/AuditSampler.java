package io.remora.primary.internal;

import io.remora.core.Digest;

/**
 * Picks the results the primary audits: a transaction is audited when
 * {@code SipHash-2-4(key, its digest) < rate x 2^64}. The key is the primary's own secret (never
 * sent anywhere), so a pre-executor cannot tell which of its results will be checked and cannot
 * lie only where it is safe; the choice is a function of the digest, so a replayed commit audits
 * the same transactions. SipHash is a keyed pseudo-random function built for exactly this (short
 * inputs, secret key, ~40 ns for a digest), far cheaper than an HMAC per transaction.
 *
 * <p>Immutable and thread-safe.
 */
final class AuditSampler {
    private final long k0;
    private final long k1;
    /** Unsigned threshold: audited iff hash < threshold (unsigned); rate 1 audits everything. */
    private final long threshold;
    private final boolean all;
    private final boolean none;

    AuditSampler(byte[] key16, double rate) {
        if (key16.length != 16) {
            throw new IllegalArgumentException("auditSecret.length=" + key16.length + " (expected: 16)");
        }
        this.k0 = le(key16, 0);
        this.k1 = le(key16, 8);
        this.all = rate >= 1.0;
        this.none = rate <= 0.0;
        // rate x 2^64 as an unsigned long
        this.threshold = all || none ? 0 : (long) (rate * 0x1p63) << 1;
    }

    boolean audited(Digest tx) {
        if (none) {
            return false;
        }
        if (all) {
            return true;
        }
        return Long.compareUnsigned(hash(tx.word(0), tx.word(1), tx.word(2), tx.word(3)), threshold) < 0;
    }

    boolean enabled() {
        return !none;
    }

    private static long le(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** SipHash-2-4 of the four 64-bit words m0..m3 (a 32-byte message). */
    long hash(long m0, long m1, long m2, long m3) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        long[] m = {m0, m1, m2, m3, 32L << 56};
        for (long w : m) {
            v3 ^= w;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= w;
        }
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
