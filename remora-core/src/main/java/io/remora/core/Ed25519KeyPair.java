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

    /** Verifies {@code signature} by {@code publicKey} over {@code message}; false for malformed inputs. */
    public static boolean verify(byte[] publicKey, byte[] message, int offset, int length, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, publicKey, 0, message, offset, length);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
