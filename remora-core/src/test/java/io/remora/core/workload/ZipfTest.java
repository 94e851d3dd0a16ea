package io.remora.core.workload;

import io.remora.core.testkit.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipfTest {
    @Test
    void probabilitiesShouldFollowThePowerLaw() {
        Zipf z = new Zipf(100, 0.99);
        double h = 0;
        for (int i = 1; i <= 100; i++) {
            h += Math.pow(i, -0.99);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(Math.pow(i + 1, -0.99) / h, z.probability(i), 1e-12);
        }
        Zipf u = new Zipf(10, 0);
        for (int i = 0; i < 10; i++) {
            assertEquals(0.1, u.probability(i), 1e-12);
        }
    }

    @Test
    void frequenciesShouldMatchTheoryForAFixedSeed() {
        checkFrequencies(new Zipf(50, 0.99), new Random(12345));
        checkFrequencies(new Zipf(20, 0.0), new Random(12345));
        checkFrequencies(new Zipf(1000, 1.2), new Random(12345));
    }

    @Test
    void frequenciesShouldMatchTheoryForARandomSeed() {
        long seed = Seeds.seed("ZipfTest");
        checkFrequencies(new Zipf(30, 0.99), new Random(seed));
    }

    /** Each of the 10 most popular items within 5 standard deviations of n*p; chi-square overall. */
    private static void checkFrequencies(Zipf z, Random random) {
        int samples = 200_000;
        int[] counts = new int[z.n()];
        for (int i = 0; i < samples; i++) {
            counts[z.sample(random)]++;
        }
        double chi2 = 0;
        for (int i = 0; i < z.n(); i++) {
            double expected = samples * z.probability(i);
            if (i < 10) {
                double sd = Math.sqrt(expected * (1 - z.probability(i)));
                assertTrue(Math.abs(counts[i] - expected) < 5 * sd,
                        "item " + i + ": " + counts[i] + " vs " + expected + " (theta " + z.theta() + ")");
            }
            chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        int df = z.n() - 1;
        // a generous bound: mean df, sd sqrt(2 df)
        assertTrue(chi2 < df + 6 * Math.sqrt(2.0 * df), "chi2=" + chi2 + " df=" + df);
    }

    @Test
    void shouldValidateParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Zipf(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Zipf(10, -1));
        assertThrows(IllegalArgumentException.class, () -> new Zipf(10, Double.NaN));
        assertEquals(0, new Zipf(1, 0.99).sample(new Random(1)));
    }
}
