package io.remora.primary.cluster;

import io.remora.core.InputObject;
import io.remora.core.Transaction;
import io.remora.primary.TrustMode;
import java.util.List;
import java.util.Random;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Picks the pre-executor for a transaction.
 *
 * <ol>
 *   <li>Stickiness (TRUSTED, one peer per transaction): if one of the transaction's key objects had a
 *       transaction routed within {@code stickyNanos} to a peer still among the candidates and not
 *       overloaded (the load check below), that peer, whatever the hash prefers now: it holds the
 *       speculative versions of those objects (an account's chain of payments in flight), which any
 *       other peer lacks. After a join only idle objects move to the newcomer.</li>
 *   <li>Affinity: rendezvous (highest-random-weight) hashing. The key objects are the transaction's
 *       shared inputs if it has any (the contended state), else all its declared inputs; a peer's
 *       weight is the highest {@code mix(object, peer)} over the key objects. The same objects go to
 *       the same peer while the peer set is unchanged, and only the objects of a leaving peer move.</li>
 *   <li>Load check: if the preferred peer's reported queue depth exceeds
 *       {@code 2 x mean + 64}, take the less loaded of two random choices (power of two choices),
 *       from a {@link Random} seeded by configuration so runs replay.</li>
 * </ol>
 *
 * <p>{@link TrustMode#CROSS_CHECKED}: {@link #route(Transaction, List, int, ClusterCounters)} picks
 * {@code r} distinct peers, the {@code r} highest weights, with the same load check per pick.
 *
 * <p>Thread-safety: the random source and the sticky entries are used under this object's monitor;
 * the candidate list is the caller's.
 */
final class AdmissionRouter {
    static final int OVERLOAD_SLACK = 64;
    /** Sticky entries kept at most (16 bytes of key and value plus an entry object each, ~40 MB at most). */
    static final int MAX_STICKY_ENTRIES = 1 << 20;
    /** Routes between two sweeps of expired sticky entries. */
    private static final int SWEEP_EVERY = 4096;
    private final Random random;
    private final long stickyNanos;
    /** Object id prefix -> where and when a transaction with it as a key object was last routed. */
    private final Long2ObjectHashMap<Sticky> sticky = new Long2ObjectHashMap<>();
    private int routesSinceSweep;

    private static final class Sticky {
        PeerLink peer;
        long at;
    }

    /** {@code stickyNanos}: how long an object stays with the peer it was last routed to (0: not at all). */
    AdmissionRouter(long seed, long stickyNanos) {
        this.random = new Random(seed);
        this.stickyNanos = stickyNanos;
    }

    /**
     * The chosen peer among {@code candidates} (all routable), or null if there are none, at
     * {@code now} (the cluster's clock; stickiness).
     */
    PeerLink route(Transaction tx, List<PeerLink> candidates, ClusterCounters counters, long now) {
        if (stickyNanos == 0 || candidates.isEmpty()) {
            return route(tx, candidates, counters);
        }
        synchronized (this) {
            PeerLink held = stuck(tx, candidates, now);
            PeerLink chosen;
            if (held != null && !overloaded(held, candidates)) {
                counters.routedSticky.increment();
                chosen = held;
            } else {
                chosen = route(tx, candidates, counters);
            }
            remember(tx, chosen, now);
            return chosen;
        }
    }

    /** The peer a key object of {@code tx} was routed to within the window, if still a candidate. */
    private PeerLink stuck(Transaction tx, List<PeerLink> candidates, long now) {
        List<InputObject> inputs = tx.inputs();
        boolean anyShared = anyShared(inputs);
        for (InputObject in : inputs) {
            if (anyShared && !(in instanceof InputObject.Shared)) {
                continue;
            }
            Sticky s = sticky.get(in.id().prefix());
            if (s != null && now - s.at < stickyNanos && candidates.contains(s.peer)) {
                return s.peer;
            }
        }
        return null;
    }

    private void remember(Transaction tx, PeerLink peer, long now) {
        if (++routesSinceSweep >= SWEEP_EVERY) {
            routesSinceSweep = 0;
            sticky.values().removeIf(s -> now - s.at >= stickyNanos);
        }
        List<InputObject> inputs = tx.inputs();
        boolean anyShared = anyShared(inputs);
        for (InputObject in : inputs) {
            if (anyShared && !(in instanceof InputObject.Shared)) {
                continue;
            }
            long key = in.id().prefix();
            Sticky s = sticky.get(key);
            if (s == null) {
                if (sticky.size() >= MAX_STICKY_ENTRIES) {
                    continue;
                }
                s = new Sticky();
                sticky.put(key, s);
            }
            s.peer = peer;
            s.at = now;
        }
    }

    /** The load check: {@code p}'s queue above {@link #overloadLimit} of the candidates. */
    private static boolean overloaded(PeerLink p, List<PeerLink> candidates) {
        return p.queueDepth() > overloadLimit(candidates);
    }

    /** {@code 2 x mean + OVERLOAD_SLACK} of the candidates' reported queue depths. */
    private static double overloadLimit(List<PeerLink> candidates) {
        long total = 0;
        for (PeerLink c : candidates) {
            total += c.queueDepth();
        }
        return 2.0 * total / candidates.size() + OVERLOAD_SLACK;
    }

    /** Sticky entries held now (tests). */
    synchronized int stickyEntries() {
        return sticky.size();
    }

    private static boolean anyShared(List<InputObject> inputs) {
        for (InputObject in : inputs) {
            if (in instanceof InputObject.Shared) {
                return true;
            }
        }
        return false;
    }

    /** The chosen peer among {@code candidates} (all routable), or null if there are none (no stickiness). */
    PeerLink route(Transaction tx, List<PeerLink> candidates, ClusterCounters counters) {
        int n = candidates.size();
        if (n == 0) {
            return null;
        }
        PeerLink preferred = n == 1 ? candidates.get(0) : preferred(tx, candidates);
        if (n == 1) {
            return preferred;
        }
        if (!overloaded(preferred, candidates)) {
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

    /**
     * {@code r} distinct peers among {@code candidates} (all routable), or null if there are fewer:
     * the {@code r} highest rendezvous weights, each overloaded one ({@code > 2 x mean + 64})
     * replaced by the least loaded peer not chosen yet. For {@code r = 1}, {@link #route}.
     */
    List<PeerLink> route(Transaction tx, List<PeerLink> candidates, int r, ClusterCounters counters, long now) {
        if (r == 1) {
            PeerLink p = route(tx, candidates, counters, now);
            return p == null ? null : List.of(p);
        }
        int n = candidates.size();
        if (n < r) {
            return null;
        }
        long[] weights = new long[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            weights[i] = weight(tx, candidates.get(i));
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> weights[a] != weights[b] ? Long.compare(weights[b], weights[a])
                : candidates.get(a).nodeId.compareTo(candidates.get(b).nodeId));
        double limit = overloadLimit(candidates);
        List<PeerLink> chosen = new java.util.ArrayList<>(r);
        boolean[] used = new boolean[n];
        for (int k = 0; k < r; k++) {
            int pick = order[k];
            if (candidates.get(pick).queueDepth() > limit) {
                int best = -1;
                for (int j = 0; j < n; j++) {
                    if (!used[j] && (best < 0 || candidates.get(j).queueDepth() < candidates.get(best).queueDepth())
                            && !chosenIndex(order, k, r, j)) {
                        best = j;
                    }
                }
                if (best >= 0) {
                    pick = best;
                    counters.rebalanced.increment();
                }
            }
            used[pick] = true;
            chosen.add(candidates.get(pick));
        }
        return chosen;
    }

    /** Whether {@code j} is among the top-r picks still to come (positions k+1..r-1 of {@code order}). */
    private static boolean chosenIndex(Integer[] order, int k, int r, int j) {
        for (int m = k + 1; m < r; m++) {
            if (order[m] == j) {
                return true;
            }
        }
        return false;
    }

    /** A peer's rendezvous weight for {@code tx}: the highest mix over the transaction's key objects. */
    static long weight(Transaction tx, PeerLink p) {
        List<InputObject> inputs = tx.inputs();
        if (inputs.isEmpty()) {
            return mix(tx.sender().prefix() ^ p.hash);
        }
        boolean anyShared = anyShared(inputs);
        long w = Long.MIN_VALUE;
        for (InputObject in : inputs) {
            if (anyShared && !(in instanceof InputObject.Shared)) {
                continue;
            }
            w = Math.max(w, mix(in.id().prefix() ^ p.hash));
        }
        return w;
    }

    /** The peer with the highest {@link #weight} (ties: the smallest node id). */
    static PeerLink preferred(Transaction tx, List<PeerLink> candidates) {
        PeerLink best = null;
        long bestWeight = Long.MIN_VALUE;
        for (PeerLink p : candidates) {
            long w = weight(tx, p);
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
