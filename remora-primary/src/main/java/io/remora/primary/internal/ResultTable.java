package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.primary.OfferOutcome;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.agrona.collections.Hashing;
import org.agrona.collections.LongHashSet;
import org.agrona.collections.Object2ObjectHashMap;

/**
 * Pre-execution results by transaction digest, waiting for the commit that holds their transaction.
 *
 * <ul>
 *   <li>Bounded: a result still held when {@code capacity} newer results have been offered is
 *       dropped (counted), so at most {@code capacity} are held. Results for transactions that
 *       never commit leave this way.</li>
 *   <li>A second result for a held transaction is counted as a duplicate and dropped (the first
 *       one wins; both are only hints).</li>
 *   <li>The digests of the last {@code capacity} executed transactions are remembered: a result
 *       for one of them is counted as late and dropped.</li>
 *   <li>{@link #collect} takes the results of one commit's transactions, waiting until a deadline
 *       for missing ones; an offer for a transaction being waited for wakes the waiter.</li>
 * </ul>
 *
 * <p>Thread-safe: any thread may offer; one thread (the execution stage) collects. All state is
 * guarded by this object's monitor; operations are O(1) per result, O(n) per commit of n.
 */
final class ResultTable {
    private final int capacity;
    private final MetricsCounters metrics;
    private final LongSupplier nanoClock;
    /** Open addressing (no node per entry, no linked list to unlink on removal). */
    private final Object2ObjectHashMap<Digest, Held> held;
    /** The digests of the last {@code capacity} offers, oldest at {@link #offeredNext}. */
    private final Digest[] offered;
    private int offeredNext;
    /**
     * The last {@code capacity} executed transactions, by the first 8 bytes of their digest (a
     * SHA-256, so uniformly spread): a FIFO ring over a primitive set, no allocation per
     * transaction. Two digests sharing those 8 bytes (odds ~capacity / 2^64 per offer) only make
     * a result count as late: a lost hint, never a wrong result.
     */
    private final LongHashSet executed;
    private final long[] executedRing;
    private int executedNext;
    private int executedCount;
    private final Set<Digest> awaited = new HashSet<>();

    ResultTable(int capacity, MetricsCounters metrics, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        this.held = new Object2ObjectHashMap<>(Math.min(capacity, 1 << 16) * 2, Hashing.DEFAULT_LOAD_FACTOR);
        this.offered = new Digest[capacity];
        this.executed = new LongHashSet(Math.min(capacity, 1 << 16) * 2);
        this.executedRing = new long[capacity];
    }

    private static long key(Digest d) {
        return d.word(0);
    }

    private void markExecuted(Digest d) {
        long k = key(d);
        if (executedCount == executedRing.length) {
            executed.remove(executedRing[executedNext]);
        } else {
            executedCount++;
        }
        executedRing[executedNext] = k;
        executedNext = executedNext + 1 == executedRing.length ? 0 : executedNext + 1;
        executed.add(k);
    }

    /** A held result and the peer it came from (null: offered by the host directly). */
    private record Held(PreExecResult result, String source) {
    }

    synchronized OfferOutcome offer(PreExecResult result) {
        return offer(result, null);
    }

    /** Offers a result tagged with the pre-executor it came from ({@code source}, null if unknown). */
    synchronized OfferOutcome offer(PreExecResult result, String source) {
        Digest d = result.transaction();
        if (executed.contains(key(d))) {
            metrics.resultsLate.increment();
            return OfferOutcome.LATE;
        }
        if (held.putIfAbsent(d, new Held(result, source)) != null) {
            metrics.resultsDuplicate.increment();
            return OfferOutcome.DUPLICATE;
        }
        metrics.resultsAccepted.increment();
        // The offer `capacity` offers ago leaves the ring: if its result is still held, drop it.
        Digest oldest = offered[offeredNext];
        if (oldest != null && !oldest.equals(d) && held.remove(oldest) != null) {
            metrics.resultsDropped.increment();
        }
        offered[offeredNext] = d;
        offeredNext = offeredNext + 1 == offered.length ? 0 : offeredNext + 1;
        if (!awaited.isEmpty() && awaited.remove(d)) {
            notifyAll();
        }
        return OfferOutcome.ACCEPTED;
    }

    /**
     * Takes the results for {@code txs} (slot i for transaction i, null if none), waiting until
     * {@code deadlineNanos} (on the table's clock) for missing ones; then marks all of {@code txs}
     * executed, so later results for them count as late.
     *
     * @throws InterruptedException if interrupted while waiting (nothing is marked executed)
     */
    synchronized PreExecResult[] collect(List<Transaction> txs, long deadlineNanos) throws InterruptedException {
        return collect(txs, deadlineNanos, null);
    }

    /**
     * As {@link #collect(List, long)}, also filling {@code sources[i]} (if not null) with the peer
     * the result of transaction i came from (null if none or unknown).
     */
    synchronized PreExecResult[] collect(List<Transaction> txs, long deadlineNanos, String[] sources)
            throws InterruptedException {
        int n = txs.size();
        PreExecResult[] out = new PreExecResult[n];
        Held[] got = new Held[n];
        // Results already taken by digest, for the same transaction twice in a commit: built at
        // the first miss only (most commits have none).
        Map<Digest, Held> taken = null;
        try {
            while (true) {
                int missing = 0;
                for (int i = 0; i < n; i++) {
                    if (out[i] == null) {
                        Digest d = txs.get(i).digest();
                        Held r = held.remove(d);
                        if (r == null) {
                            if (taken == null) {
                                taken = HashMap.newHashMap(n);
                                for (int j = 0; j < n; j++) {
                                    if (got[j] != null) {
                                        taken.putIfAbsent(txs.get(j).digest(), got[j]);
                                    }
                                }
                            }
                            r = taken.get(d);
                        } else if (taken != null) {
                            taken.put(d, r);
                        }
                        if (r != null) {
                            got[i] = r;
                            out[i] = r.result();
                            if (sources != null) {
                                sources[i] = r.source();
                            }
                        } else {
                            missing++;
                            awaited.add(d);
                        }
                    }
                }
                long remaining = deadlineNanos - nanoClock.getAsLong();
                if (missing == 0 || remaining <= 0) {
                    break;
                }
                wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
            }
        } finally {
            awaited.clear();
        }
        for (Transaction tx : txs) {
            markExecuted(tx.digest());
        }
        return out;
    }

    synchronized int held() {
        return held.size();
    }
}
