package io.remora.core.workload;

import java.util.Random;

/**
 * A Zipf sampler over {@code 0..n-1}: {@code P(i) = (i+1)^-theta / H(n, theta)}. Theta 0 is uniform;
 * 0.99 is YCSB's default skew. Precomputes the CDF once ({@code 8n} bytes) and samples by binary
 * search in O(log n).
 *
 * <p>Immutable and thread-safe (the {@link Random} passed to {@link #sample} is the caller's).
 */
public final class Zipf {
    /** Largest supported n (a 128 MiB table). */
    public static final int MAX_N = 1 << 24;

    private final int n;
    private final double theta;
    private final double[] cdf;

    public Zipf(int n, double theta) {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n=" + n + " (expected: 1.." + MAX_N + ")");
        }
        if (!(theta >= 0) || theta > 10) {
            throw new IllegalArgumentException("theta=" + theta + " (expected: 0..10)");
        }
        this.n = n;
        this.theta = theta;
        this.cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += weight(i);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        cdf[n - 1] = 1.0;
    }

    private double weight(int i) {
        return theta == 0 ? 1.0 : Math.pow(i + 1, -theta);
    }

    public int n() {
        return n;
    }

    public double theta() {
        return theta;
    }

    /** The exact probability of {@code i}. */
    public double probability(int i) {
        return i == 0 ? cdf[0] : cdf[i] - cdf[i - 1];
    }

    /** A sample in {@code 0..n-1}; 0 is the most popular. */
    public int sample(Random random) {
        double u = random.nextDouble();
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
