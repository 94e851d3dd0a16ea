package io.remora.core;

import java.security.SecureRandom;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair (RFC 8032, Bouncy Castle). Workload generators derive keys from a seeded
 * {@link Random} so that a run can be replayed; real hosts use {@link #generate(SecureRandom)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Ed25519KeyPair {
    public static final int PUBLIC_KEY_LENGTH = Ed25519.PUBLIC_KEY_SIZE;
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private final byte[] secret;
    private final byte[] publicKey;
    private final Address address;

    private Ed25519KeyPair(byte[] secret) {
        this.secret = secret;
        this.publicKey = new byte[PUBLIC_KEY_LENGTH];
        Ed25519.generatePublicKey(secret, 0, publicKey, 0);
        this.address = Address.fromPublicKey(publicKey);
    }

    /** From a 32-byte secret seed. */
    public static Ed25519KeyPair fromSeed(byte[] seed) {
        if (seed.length != Ed25519.SECRET_KEY_SIZE) {
            throw new IllegalArgumentException("seed.length=" + seed.length + " (expected: 32)");
        }
        return new Ed25519KeyPair(seed.clone());
    }

    /** Deterministic key from a seeded generator (tests and workloads). */
    public static Ed25519KeyPair generate(Random random) {
        byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
        random.nextBytes(seed);
        return new Ed25519KeyPair(seed);
    }

    public static Ed25519KeyPair generate(SecureRandom random) {
        return generate((Random) random);
    }

    /** A copy of the public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public Address address() {
        return address;
    }

    public byte[] sign(byte[] message, int offset, int length) {
        byte[] sig = new byte[SIGNATURE_LENGTH];
        Ed25519.sign(secret, 0, message, offset, length, sig, 0);
        return sig;
    }

    public byte[] sign(byte[] message) {
        return sign(message, 0, message.length);
    }

    /**
     * Verifies {@code signature} by {@code publicKey} over {@code message}; false for malformed inputs.
     *
     * <p>The public key's decoded curve point (a square root in the field, ~10-15% of a verify) is
     * cached, so a sender signing again is verified faster: {@value #POINT_CACHE} slots, direct
     * mapped by a hash of the key, holding immutable entries (a racy read sees a whole entry or
     * none; the key bytes are compared before use). The decoding is Bouncy Castle's own, the one
     * {@code verify(signature, publicKey bytes, ...)} does (canonical encoding, on the curve), and the
     * verification is the same RFC 8032 check: the two give the same answer for every input
     * ({@code Ed25519KeyPairTest}).
     */
    public static boolean verify(byte[] publicKey, byte[] message, int offset, int length, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Ed25519.PublicPoint point = point(publicKey);
            return point != null && Ed25519.verify(signature, 0, point, message, offset, length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Slots of the decoded public key cache (a power of two). */
    static final int POINT_CACHE = 4096;

    private record CachedPoint(byte[] publicKey, Ed25519.PublicPoint point) {
    }

    private static final CachedPoint[] POINTS = new CachedPoint[POINT_CACHE];

    /** The decoded point of {@code publicKey} (cached), or null if it is not a valid encoding. */
    private static Ed25519.PublicPoint point(byte[] publicKey) {
        int h = java.util.Arrays.hashCode(publicKey);
        int slot = (h ^ (h >>> 16)) & (POINT_CACHE - 1);
        CachedPoint c = POINTS[slot];
        if (c != null && java.util.Arrays.equals(c.publicKey, publicKey)) {
            return c.point;
        }
        Ed25519.PublicPoint p = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
        if (p != null) {
            POINTS[slot] = new CachedPoint(publicKey.clone(), p);
        }
        return p;
    }
}
