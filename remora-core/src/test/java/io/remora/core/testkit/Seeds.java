package io.remora.core.testkit;

import java.util.Random;

/**
 * Seeds for randomized tests. Each test takes its seed from {@code -Dremora.seed=...} if set (to
 * replay a failure), else a fresh one, and prints it as {@code seed=...} so any run can be replayed.
 *
 * <pre>
 *   long seed = Seeds.seed("CoinConservationTest");
 *   // ... failure message includes the seed; replay with:
 *   // ./mvnw -pl remora-core verify -Dtest=CoinConservationTest -Dremora.seed=123
 * </pre>
 */
public final class Seeds {
    /** The system property that overrides every test's seed. */
    public static final String PROPERTY = "remora.seed";

    private Seeds() {
    }

    /** The seed for {@code test}: the override if set, else a fresh one; printed either way. */
    public static long seed(String test) {
        String override = System.getProperty(PROPERTY);
        long seed = override != null && !override.isBlank() ? Long.parseLong(override.trim()) : new Random().nextLong();
        System.out.println(test + ": seed=" + seed + " (replay: -D" + PROPERTY + "=" + seed + ")");
        return seed;
    }

    /** A {@link Random} for {@code test}, seeded by {@link #seed(String)}. */
    public static Random random(String test) {
        return new Random(seed(test));
    }

    /** A message suffix naming the seed, for assertion messages. */
    public static String replay(long seed) {
        return "seed=" + seed + " (replay: -D" + PROPERTY + "=" + seed + ")";
    }
}
