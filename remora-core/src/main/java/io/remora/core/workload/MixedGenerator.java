package io.remora.core.workload;

import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A weighted mix of other generators over the union of their (disjoint) genesis states. Each part
 * keeps its own shadow state, which is exact because parts touch disjoint objects.
 */
final class MixedGenerator implements WorkloadGenerator {
    private final String name;
    private final List<WorkloadGenerator> parts;
    private final double[] cumulative;
    private final Random random;

    MixedGenerator(String name, long seed, List<WorkloadGenerator> parts, double[] weights) {
        if (parts.size() != weights.length || parts.isEmpty()) {
            throw new IllegalArgumentException("weights.length=" + weights.length + " (expected: " + parts.size() + ")");
        }
        this.name = name;
        this.parts = List.copyOf(parts);
        this.random = new Random(seed);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < weights.length; i++) {
            cumulative[i] /= sum;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<StoredObject> genesis() {
        List<StoredObject> all = new ArrayList<>();
        for (WorkloadGenerator p : parts) {
            all.addAll(p.genesis());
        }
        return all;
    }

    @Override
    public Transaction next() {
        double u = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return parts.get(i).next();
            }
        }
        return parts.get(parts.size() - 1).next();
    }

    @Override
    public io.remora.core.Ed25519KeyPair signer(io.remora.core.Address sender) {
        for (WorkloadGenerator p : parts) {
            io.remora.core.Ed25519KeyPair k = p.signer(sender);
            if (k != null) {
                return k;
            }
        }
        return null;
    }
}
