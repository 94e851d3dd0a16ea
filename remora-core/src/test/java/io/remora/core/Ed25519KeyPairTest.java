package io.remora.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.testkit.Seeds;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/** Verification with the cached public key point gives exactly Bouncy Castle's answer, for every input. */
class Ed25519KeyPairTest {
    private static boolean reference(byte[] pk, byte[] msg, byte[] sig) {
        try {
            return Ed25519.verify(sig, 0, pk, 0, msg, 0, msg.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void shouldAgreeWithBouncyCastleOnValidForgedAndMalformedInputs() {
        long seed = Seeds.seed("Ed25519KeyPairTest");
        Random rnd = new Random(seed);
        // A few keys used many times (the cache's case), slot collisions included, and garbage keys:
        // random bytes, the identity and other small-order encodings, non-canonical y.
        byte[][] special = {new byte[32], hex("0100000000000000000000000000000000000000000000000000000000000000"),
                hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
                hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
                hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")};
        Ed25519KeyPair[] keys = new Ed25519KeyPair[Ed25519KeyPair.POINT_CACHE + 8];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Ed25519KeyPair.generate(rnd);
        }
        int valid = 0;
        for (int i = 0; i < 6_000; i++) {
            byte[] msg = new byte[1 + rnd.nextInt(64)];
            rnd.nextBytes(msg);
            Ed25519KeyPair k = keys[rnd.nextInt(rnd.nextBoolean() ? 8 : keys.length)];
            byte[] pk = k.publicKey();
            byte[] sig = k.sign(msg);
            switch (rnd.nextInt(6)) {
                case 0 -> sig[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> rnd.nextBytes(pk);
                case 2 -> pk = special[rnd.nextInt(special.length)].clone();
                case 3 -> msg[0] ^= 1;
                default -> { }
            }
            boolean expected = reference(pk, msg, sig);
            assertEquals(expected, Ed25519KeyPair.verify(pk, msg, 0, msg.length, sig), "case " + i + "; " + Seeds.replay(seed));
            // and again: now from the cache
            assertEquals(expected, Ed25519KeyPair.verify(pk, msg, 0, msg.length, sig), "cached, case " + i);
            valid += expected ? 1 : 0;
        }
        assertTrue(valid > 1_500, "valid cases: " + valid);
    }

    @Test
    void shouldVerifyCorrectlyFromManyThreadsSharingTheCache() {
        Random rnd = new Random(7);
        int n = 64;
        Ed25519KeyPair[] keys = new Ed25519KeyPair[n];
        byte[][] msgs = new byte[n][];
        byte[][] sigs = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = Ed25519KeyPair.generate(rnd);
            msgs[i] = new byte[32];
            rnd.nextBytes(msgs[i]);
            sigs[i] = keys[i].sign(msgs[i]);
        }
        AtomicInteger wrong = new AtomicInteger();
        IntStream.range(0, 4_000).parallel().forEach(j -> {
            int i = j % n;
            int other = (i + 1) % n;
            if (!Ed25519KeyPair.verify(keys[i].publicKey(), msgs[i], 0, 32, sigs[i])
                    || Ed25519KeyPair.verify(keys[other].publicKey(), msgs[i], 0, 32, sigs[i])) {
                wrong.incrementAndGet();
            }
        });
        assertEquals(0, wrong.get());
    }

    private static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h);
    }
}
