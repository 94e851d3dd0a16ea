package io.remora.core.testkit;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.Transaction;
import java.lang.reflect.Field;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Random;

/**
 * Signatures for tests of exactly-once execution: a <em>second, different, valid</em> Ed25519
 * signature by the same key over the same message. RFC 8032 signing is deterministic, but
 * verification accepts any nonce: {@code R = r·B, S = r + H(R | A | M)·a mod L} verifies for every
 * {@code r}. So a transaction can reach consensus twice with two valid signatures (a client that
 * signs with a randomized or hedged nonce, or a wallet and a relay signing the same data), and
 * the primary must execute it once.
 *
 * <pre>
 *   Transaction again = Signatures.resigned(tx, generator.signer(tx.sender()), seed);
 *   assertNotEquals(tx, again); assertEquals(tx.digest(), again.digest()); assertTrue(again.verifySignature());
 * </pre>
 */
public final class Signatures {
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private Signatures() {
    }

    /** {@code tx} signed again by {@code key} with a nonce drawn from {@code nonceSeed}. */
    public static Transaction resigned(Transaction tx, Ed25519KeyPair key, long nonceSeed) {
        return tx.withSignature(anotherValidSignature(key, tx.digest().toBytes(), nonceSeed));
    }

    /** A valid signature of {@code message} by {@code key}, with the nonce scalar drawn from {@code nonceSeed}. */
    public static byte[] anotherValidSignature(Ed25519KeyPair key, byte[] message, long nonceSeed) {
        try {
            BigInteger a = clampedScalar(secretSeed(key));
            byte[] rSeed = new byte[32];
            new Random(nonceSeed).nextBytes(rSeed);
            byte[] bigR = Ed25519KeyPair.fromSeed(rSeed).publicKey(); // R = r·B for r = clamp(SHA-512(rSeed))
            BigInteger r = clampedScalar(rSeed);
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            sha512.update(bigR);
            sha512.update(key.publicKey());
            sha512.update(message);
            BigInteger k = littleEndian(sha512.digest()).mod(L);
            BigInteger s = r.add(k.multiply(a)).mod(L);
            byte[] sig = new byte[64];
            System.arraycopy(bigR, 0, sig, 0, 32);
            byte[] sBytes = toLittleEndian32(s);
            System.arraycopy(sBytes, 0, sig, 32, 32);
            return sig;
        } catch (ReflectiveOperationException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] secretSeed(Ed25519KeyPair key) throws ReflectiveOperationException {
        Field f = Ed25519KeyPair.class.getDeclaredField("secret");
        f.setAccessible(true);
        return ((byte[]) f.get(key)).clone();
    }

    private static BigInteger clampedScalar(byte[] seed) throws java.security.NoSuchAlgorithmException {
        byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
        byte[] a = java.util.Arrays.copyOf(h, 32);
        a[0] &= (byte) 248;
        a[31] &= 127;
        a[31] |= 64;
        return littleEndian(a);
    }

    private static BigInteger littleEndian(byte[] b) {
        byte[] be = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            be[b.length - i] = b[i];
        }
        return new BigInteger(be);
    }

    private static byte[] toLittleEndian32(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }
}
