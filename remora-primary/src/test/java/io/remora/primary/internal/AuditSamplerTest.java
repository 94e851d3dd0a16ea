package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Digest;
import io.remora.core.testkit.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The audit sample: SipHash-2-4 as specified, the configured rate, and the detection bound. */
class AuditSamplerTest {
    @Test
    void shouldComputeSipHash24AsTheReferenceDoes() {
        byte[] key = new byte[16];
        for (int i = 0; i < 16; i++) {
            key[i] = (byte) i;
        }
        AuditSampler s = new AuditSampler(key, 0.5);
        // Message 00 01 .. 1f as four little-endian words; the value Guava's sipHash24 and the
        // reference implementation give for it.
        long[] w = new long[4];
        for (int j = 0; j < 4; j++) {
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (8 * j + i);
            }
            w[j] = v;
        }
        assertEquals(0x7127512f72f27cceL, s.hash(w[0], w[1], w[2], w[3]));
    }

    @Test
    void shouldAuditTheConfiguredShareOfTransactions() {
        Random rnd = Seeds.random("AuditSamplerTest.rate");
        for (double rate : new double[] {0.001, 0.01, 0.1, 0.5}) {
            byte[] key = new byte[16];
            rnd.nextBytes(key);
            AuditSampler s = new AuditSampler(key, rate);
            int n = 200_000;
            int audited = 0;
            for (int i = 0; i < n; i++) {
                audited += s.audited(Digest.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong())) ? 1 : 0;
            }
            double sd = Math.sqrt(n * rate * (1 - rate));
            assertTrue(Math.abs(audited - n * rate) < 6 * sd, "rate " + rate + ": " + audited + " of " + n);
        }
        byte[] key = new byte[16];
        assertTrue(new AuditSampler(key, 1.0).audited(Digest.ZERO));
        assertTrue(!new AuditSampler(key, 0.0).audited(Digest.ZERO));
    }

    /**
     * The bound the docs promise: at 1%, a peer lying on every result has one of its first 1,000
     * results audited with probability 1 - 0.99^1000 > 99.99%. Over 10,000 independent secrets the
     * expected number of peers that escape is 0.43; more than 4 (probability < 10^-4) fails.
     */
    @Test
    void shouldCatchALiarWithinAThousandResultsAtOnePercent() {
        Random rnd = Seeds.random("AuditSamplerTest.bound");
        int escaped = 0;
        for (int trial = 0; trial < 10_000; trial++) {
            byte[] key = new byte[16];
            rnd.nextBytes(key);
            AuditSampler s = new AuditSampler(key, 0.01);
            boolean caught = false;
            for (int i = 0; i < 1_000 && !caught; i++) {
                caught = s.audited(Digest.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()));
            }
            escaped += caught ? 0 : 1;
        }
        assertTrue(escaped <= 4, escaped + " of 10,000 liars escaped their first 1,000 results");
    }
}
