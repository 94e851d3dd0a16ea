package io.remora.primary.internal;

import io.remora.core.InputObject;
import io.remora.core.Transaction;
import java.util.List;
import java.util.Random;

/**
 * Picks the pre-executor for a transaction.
 *
 * <ol>
 *   <li>Affinity: rendezvous (highest-random-weight) hashing. The key objects are the transaction's
 *       shared inputs if it has any (the contended state), else all its declared inputs; a peer's
 *       weight is the highest {@code mix(object, peer)} over the key objects. The same objects go to
 *       the same peer while the peer set is unchanged, and only the objects of a leaving peer move.</li>
 *   <li>Load check: if the preferred peer's reported queue depth exceeds
 *       {@code 2 x mean + 64}, take the less loaded of two random choices (power of two choices),
 *       from a {@link Random} seeded by configuration so runs replay.</li>
 * </ol>
 *
 * <p>Thread-safety: {@link #route} is synchronized (the random source); the candidate list is the caller's.
 */
final class AdmissionRouter {
    static final int OVERLOAD_SLACK = 64;
    private final Random random;

    AdmissionRouter(long seed) {
        this.random = new Random(seed);
    }

    /** The chosen peer among {@code candidates} (all routable), or null if there are none. */
    PeerLink route(Transaction tx, List<PeerLink> candidates, ClusterCounters counters) {
        int n = candidates.size();
        if (n == 0) {
            return null;
        }
        PeerLink preferred = n == 1 ? candidates.get(0) : preferred(tx, candidates);
        if (n == 1) {
            return preferred;
        }
        long total = 0;
        for (PeerLink p : candidates) {
            total += p.queueDepth();
        }
        double mean = (double) total / n;
        if (preferred.queueDepth() <= 2 * mean + OVERLOAD_SLACK) {
            return preferred;
        }
        PeerLink a;
        PeerLink b;
        synchronized (this) {
            a = candidates.get(random.nextInt(n));
            b = candidates.get(random.nextInt(n));
        }
        counters.rebalanced.increment();
        return a.queueDepth() <= b.queueDepth() ? a : b;
    }

    static PeerLink preferred(Transaction tx, List<PeerLink> candidates) {
        List<InputObject> inputs = tx.inputs();
        boolean anyShared = false;
        for (InputObject in : inputs) {
            if (in instanceof InputObject.Shared) {
                anyShared = true;
                break;
            }
        }
        PeerLink best = null;
        long bestWeight = Long.MIN_VALUE;
        for (PeerLink p : candidates) {
            long w = Long.MIN_VALUE;
            for (InputObject in : inputs) {
                if (anyShared && !(in instanceof InputObject.Shared)) {
                    continue;
                }
                w = Math.max(w, mix(in.id().prefix() ^ p.hash));
            }
            if (inputs.isEmpty()) {
                w = mix(tx.sender().prefix() ^ p.hash);
            }
            if (best == null || w > bestWeight || (w == bestWeight && p.nodeId.compareTo(best.nodeId) < 0)) {
                best = p;
                bestWeight = w;
            }
        }
        return best;
    }

    /** SplitMix64 finalizer: a cheap, well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
