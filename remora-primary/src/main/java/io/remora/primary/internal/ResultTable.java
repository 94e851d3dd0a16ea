package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.exec.ResultBounds;
import io.remora.primary.OfferOutcome;
import io.remora.primary.TrustMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2ObjectHashMap;

/**
 * Pre-execution results by transaction digest, waiting for the commit that holds their transaction,
 * and the expectations that say which results can still come.
 *
 * <ul>
 *   <li><b>Slots.</b> A transaction gets a slot when admission routes it ({@link #expect}: the peers
 *       it was sent to) or when the host offers a result for it without a source. At most
 *       {@code capacity} slots exist: creating one drops the slot created {@code capacity} creations
 *       ago if it is still there (its results counted as dropped). Slots for transactions that
 *       never commit leave this way.</li>
 *   <li><b>Who may answer.</b> A result from a peer is accepted only if the transaction was routed to
 *       that peer (else {@link OfferOutcome#UNSOLICITED}: a peer cannot preempt or crowd out the
 *       routed peer's result, nor create slots), once per peer ({@link OfferOutcome#DUPLICATE}),
 *       and never from a quarantined peer ({@link OfferOutcome#QUARANTINED}). A result offered by
 *       the host itself (no source) needs no expectation.</li>
 *   <li><b>Bytes.</b> A result larger than an honest one for its transaction could be (from its gas
 *       budget, {@link ResultBounds#maxHonestBytes}) is {@link OfferOutcome#OVERSIZED}; results held
 *       count against a per-source and a total byte budget ({@link OfferOutcome#OVER_BUDGET}), so
 *       no peer, whatever it sends, holds more than its budget of the primary's heap.</li>
 *   <li><b>Late.</b> The digests of the last {@code capacity} executed transactions are remembered:
 *       a result for one of them is {@link OfferOutcome#LATE}.</li>
 *   <li><b>Waiting only for what can come.</b> {@link #collect} waits, until the commit's deadline,
 *       only for transactions routed to a peer that is still connected, not quarantined and has
 *       not answered yet (or that the host said it would answer, {@link #expectFromHost}); an offer,
 *       a disconnection or a quarantine wakes it. With no pre-executor connected it never waits.</li>
 *   <li><b>Trust.</b> {@link TrustMode#TRUSTED}: the first result is usable. {@link TrustMode#CROSS_CHECKED}:
 *       a write set is usable only if {@code replicas} results from distinct sources agree exactly
 *       (effects, reads, precompile outputs, signature verdict); a signature verdict and precompile
 *       outputs only if that many agree on them; otherwise nothing is usable and the transaction
 *       executes without hints. Every result received is returned as a claim, to be checked
 *       against the primary's own execution where it executes anyway.</li>
 * </ul>
 *
 * <p>Thread-safe: any thread may offer, expect, connect, disconnect or quarantine; one thread (the
 * execution stage) collects. All state is guarded by this object's monitor.
 */
final class ResultTable {
    /** The source of a result offered by the host itself (no peer). */
    static final String HOST = "";

    /** A result, who sent it ({@link #HOST} for the host) and about how many bytes it holds. */
    record Claim(PreExecResult result, String source, long bytes) {
        Claim(PreExecResult result, String source) {
            this(result, source, 0);
        }
    }

    /** What {@link #collect} found for one commit, by position. */
    static final class Collected {
        /** What the engine may use (adoption, or hints for re-execution); null: nothing. */
        final PreExecResult[] usable;
        /** Where the usable result came from (null: nowhere). */
        final String[] sources;
        /** Every result received (null: none), to audit or to check against the primary's execution. */
        final Claim[][] claims;
        /** {@link TrustMode#CROSS_CHECKED}: results from distinct sources disagreed. */
        final boolean[] disagreed;
        /** The peers each transaction was routed to (null: none), to tell them it committed. */
        final String[][] routed;
        /** The usable result is a lease delegate's answer (LEASE_RESULT), not a speculative one. */
        final boolean[] fromDelegate;

        Collected(int n) {
            usable = new PreExecResult[n];
            sources = new String[n];
            claims = new Claim[n][];
            disagreed = new boolean[n];
            routed = new String[n][];
            fromDelegate = new boolean[n];
        }
    }

    private static final Claim[] NO_CLAIMS = new Claim[0];

    private static final class Slot {
        /** Peers the transaction was routed to (null: not routed). */
        String[] routed;
        /** The largest honest result for the transaction ({@link ResultBounds#maxHonestBytes}). */
        long maxBytes = Long.MAX_VALUE;
        boolean hostExpected;
        /** The delegate of a lease the transaction was forwarded to (null: none), and the lease's epoch. */
        String delegate;
        long delegateEpoch;
        /** The delegate's answer (LEASE_RESULT), used before any other claim. */
        Claim delegated;
        Claim[] claims = NO_CLAIMS;

        boolean answered(String source) {
            return claimOf(source) != null;
        }

        boolean routedTo(String peer) {
            if (routed != null) {
                for (String p : routed) {
                    if (p.equals(peer)) {
                        return true;
                    }
                }
            }
            return false;
        }

        void add(Claim c) {
            Claim[] next = java.util.Arrays.copyOf(claims, claims.length + 1);
            next[claims.length] = c;
            claims = next;
        }

        /** The claim from {@code source}, or null. */
        Claim claimOf(String source) {
            for (Claim c : claims) {
                if (c.source().equals(source)) {
                    return c;
                }
            }
            return null;
        }

        void replace(Claim old, Claim c) {
            Claim[] next = claims.clone();
            for (int i = 0; i < next.length; i++) {
                if (next[i] == old) {
                    next[i] = c;
                }
            }
            claims = next;
        }
    }

    private final int capacity;
    private final TrustMode mode;
    private final int replicas;
    private final MetricsCounters metrics;
    private final LongSupplier nanoClock;
    /** Open addressing (no node per entry, no linked list to unlink on removal). */
    private final Object2ObjectHashMap<Digest, Slot> slots;
    /** The digests of the last {@code capacity} slots created, oldest at {@link #createdNext}. */
    private final Digest[] created;
    private int createdNext;
    private int claimsHeld;
    /**
     * The last {@code capacity} executed transactions, by the first 8 bytes of their digest (a
     * SHA-256, so uniformly spread): a FIFO ring over a primitive set, no allocation per
     * transaction. Two digests sharing those 8 bytes (odds ~capacity / 2^64 per offer) only make
     * a result count as late: a lost hint, never a wrong result. The value is when the commit
     * stopped waiting for a result it was still expecting ({@link #NOT_WAITED} if it expected none or
     * had it): a later offer tells {@link ResultWaitPolicy} by how much the wait fell short.
     */
    private final Long2LongHashMap executed;
    private static final long NOT_WAITED = Long.MIN_VALUE + 1;
    private ResultWaitPolicy waitPolicy;
    private final long[] executedRing;
    private int executedNext;
    private int executedCount;
    private final Set<Digest> awaited = new HashSet<>();
    /** Times {@link #collect} started waiting, and until when (its clock) it last did: the simulator's probe. */
    private volatile long waitEntries;
    /** False on a simulator's virtual clock: see {@link #wake()}. */
    private volatile boolean wakeOnChange = true;
    /** Calls of {@link #wakeWaiters} (under the lock): on a virtual clock, what ends one wait of {@link #collect}. */
    private long wakesAsked;
    private volatile long waitingUntil;
    private final Set<String> connected = new HashSet<>();
    private final Set<String> quarantined = new HashSet<>();
    /** Bytes held per source ({@link ResultBounds#heldBytes}) and in all; bounded by the budgets. */
    private final HashMap<String, long[]> bytesBySource = new HashMap<>();
    private long totalBytes;
    private final long sourceBudget;
    private final long totalBudget;

    ResultTable(int capacity, MetricsCounters metrics, LongSupplier nanoClock) {
        this(capacity, TrustMode.TRUSTED, 1, Long.MAX_VALUE, Long.MAX_VALUE, metrics, nanoClock);
    }

    /**
     * @param sourceBudget bytes of results one source may have held at once
     * @param totalBudget  bytes of results held at once in all
     */
    ResultTable(int capacity, TrustMode mode, int replicas, long sourceBudget, long totalBudget, MetricsCounters metrics,
                LongSupplier nanoClock) {
        this.sourceBudget = sourceBudget;
        this.totalBudget = totalBudget;
        this.capacity = capacity;
        this.mode = mode;
        this.replicas = mode == TrustMode.CROSS_CHECKED ? replicas : 1;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        this.slots = new Object2ObjectHashMap<>(Math.min(capacity, 1 << 16) * 2, Hashing.DEFAULT_LOAD_FACTOR);
        this.created = new Digest[capacity];
        this.executed = new Long2LongHashMap(Math.min(capacity, 1 << 16) * 2, Hashing.DEFAULT_LOAD_FACTOR, Long.MIN_VALUE);
        this.waitPolicy = new ResultWaitPolicy(0, 0, metrics);
        this.executedRing = new long[capacity];
    }

    private static long key(Digest d) {
        return d.word(0);
    }

    /** The result wait's policy (fixed or adaptive); set once, before the first commit. */
    synchronized void waitPolicy(ResultWaitPolicy policy) {
        this.waitPolicy = policy;
    }

    /** When a commit that arrived at {@code arrivalNanos}, of {@code transactions}, stops waiting for results. */
    synchronized long waitDeadline(long arrivalNanos, int transactions) {
        return arrivalNanos + waitPolicy.nextWait(transactions);
    }

    /** {@code waitedUntil}: when the commit gave up on a result still expected, or {@link #NOT_WAITED}. */
    private void markExecuted(Digest d, long waitedUntil) {
        long k = key(d);
        if (executedCount == executedRing.length) {
            executed.remove(executedRing[executedNext]);
        } else {
            executedCount++;
        }
        executedRing[executedNext] = k;
        executedNext = executedNext + 1 == executedRing.length ? 0 : executedNext + 1;
        executed.put(k, waitedUntil);
    }

    private Slot slot(Digest d) {
        Slot s = slots.get(d);
        if (s != null) {
            return s;
        }
        Digest oldest = created[createdNext];
        if (oldest != null) {
            Slot gone = slots.remove(oldest);
            if (gone != null && gone.claims.length > 0) {
                metrics.resultsDropped.add(gone.claims.length);
                release(gone);
            }
        }
        created[createdNext] = d;
        createdNext = createdNext + 1 == created.length ? 0 : createdNext + 1;
        s = new Slot();
        slots.put(d, s);
        return s;
    }

    /**
     * Admission routed {@code tx} to {@code peers}: their results are accepted, and a commit holding
     * {@code tx} waits for them while they are connected.
     */
    synchronized void expect(Digest tx, String... peers) {
        expect(tx, -1, peers);
    }

    /**
     * As {@link #expect(Digest, String...)}, for a transaction with gas budget {@code gasBudget}
     * (-1: unknown): a result larger than an honest one could be is refused
     * ({@link OfferOutcome#OVERSIZED}).
     */
    synchronized void expect(Digest tx, long gasBudget, String... peers) {
        if (executed.containsKey(key(tx))) {
            return;
        }
        Slot s = slot(tx);
        if (gasBudget >= 0) {
            s.maxBytes = ResultBounds.maxHonestBytes(gasBudget);
        }
        if (s.routed == null) {
            s.routed = peers.clone();
        } else {
            String[] merged = java.util.Arrays.copyOf(s.routed, s.routed.length + peers.length);
            System.arraycopy(peers, 0, merged, s.routed.length, peers.length);
            s.routed = merged;
        }
    }

    /**
     * {@code tx} was forwarded, committed, to {@code delegate}, the holder of a lease over its
     * objects ({@link LeaseManager}): its result is accepted, and it is the one used when several
     * arrived (it was computed in consensus order, the others speculatively).
     */
    synchronized void expectDelegated(Digest tx, long gasBudget, String delegate, long epoch) {
        if (executed.containsKey(key(tx))) {
            return;
        }
        expect(tx, gasBudget, delegate);
        Slot s = slots.get(tx);
        s.delegate = delegate;
        s.delegateEpoch = epoch;
    }

    /**
     * A delegate's answer for lease {@code epoch}: accepted only for a transaction forwarded to that
     * source under that epoch ({@link OfferOutcome#UNSOLICITED} otherwise); it replaces the
     * speculative result the same source may have sent before ordering.
     */
    synchronized OfferOutcome offerDelegated(PreExecResult result, String source, long epoch) {
        Digest d = result.transaction();
        OfferOutcome early = lateOrQuarantined(d, source);
        if (early != null) {
            return early;
        }
        Slot s = slots.get(d);
        if (s == null || !source.equals(s.delegate) || s.delegateEpoch != epoch) {
            metrics.resultsUnsolicited.increment();
            return OfferOutcome.UNSOLICITED;
        }
        if (s.delegated != null) {
            metrics.resultsDuplicate.increment();
            return OfferOutcome.DUPLICATE;
        }
        return hold(s, d, result, source, s.claimOf(source), true);
    }

    /** Whether {@code tx} is among the last executed transactions (its result would be late). */
    synchronized boolean recentlyExecuted(Digest tx) {
        return executed.containsKey(key(tx));
    }

    /** The host will offer a result for {@code tx} itself: a commit holding it waits for it. */
    synchronized void expectFromHost(Digest tx) {
        if (!executed.containsKey(key(tx))) {
            slot(tx).hostExpected = true;
        }
    }

    /** {@code peer} is connected: transactions routed to it are worth waiting for. */
    synchronized void peerConnected(String peer) {
        connected.add(peer);
    }

    /** {@code peer} is gone: nothing routed to it is awaited any more. */
    synchronized void peerDisconnected(String peer) {
        connected.remove(peer);
        wake();
    }

    /** From now on every result from {@code source} is ignored, including those already held. */
    synchronized void quarantine(String source) {
        quarantined.add(source);
        wake();
    }

    /** Results from {@code source} are accepted again. */
    synchronized void readmit(String source) {
        quarantined.remove(source);
    }

    synchronized boolean quarantined(String source) {
        return quarantined.contains(source);
    }

    synchronized OfferOutcome offer(PreExecResult result) {
        return offer(result, null);
    }

    /** Offers a result from the pre-executor {@code source} (null: offered by the host itself). */
    synchronized OfferOutcome offer(PreExecResult result, String source) {
        Digest d = result.transaction();
        String from = source == null ? HOST : source;
        OfferOutcome early = lateOrQuarantined(d, from);
        if (early != null) {
            return early;
        }
        Slot s;
        if (source == null) {
            s = slot(d);
        } else {
            s = slots.get(d);
            if (s == null || !s.routedTo(source)) {
                metrics.resultsUnsolicited.increment();
                return OfferOutcome.UNSOLICITED;
            }
        }
        if (s.answered(from)) {
            metrics.resultsDuplicate.increment();
            return OfferOutcome.DUPLICATE;
        }
        return hold(s, d, result, from, null, false);
    }

    /** LATE or QUARANTINED (counted) if the result cannot be taken whatever its slot, else null. */
    private OfferOutcome lateOrQuarantined(Digest d, String from) {
        long waitedUntil = executed.get(key(d));
        if (waitedUntil != Long.MIN_VALUE) {
            metrics.resultsLate.increment();
            if (waitedUntil != NOT_WAITED) {
                waitPolicy.late(nanoClock.getAsLong() - waitedUntil);
            }
            return OfferOutcome.LATE;
        }
        if (quarantined.contains(from)) {
            metrics.resultsQuarantined.increment();
            return OfferOutcome.QUARANTINED;
        }
        return null;
    }

    /**
     * Holds {@code result} from {@code from} in {@code s} if it is within its honest size and the
     * byte budgets (net of {@code replaces}, the claim it takes the place of, or null); as the slot's
     * delegate answer if {@code delegated}.
     */
    private OfferOutcome hold(Slot s, Digest d, PreExecResult result, String from, Claim replaces, boolean delegated) {
        long bytes = ResultBounds.heldBytes(result);
        if (bytes > s.maxBytes) {
            metrics.resultsOversized.increment();
            return OfferOutcome.OVERSIZED;
        }
        long net = bytes - (replaces == null ? 0 : replaces.bytes());
        long[] mine = bytesBySource.computeIfAbsent(from, k -> new long[1]);
        if (mine[0] + net > sourceBudget || totalBytes + net > totalBudget) {
            metrics.resultsOverBudget.increment();
            return OfferOutcome.OVER_BUDGET;
        }
        Claim c = new Claim(result, from, bytes);
        if (replaces == null) {
            s.add(c);
            claimsHeld++;
        } else {
            s.replace(replaces, c);
        }
        if (delegated) {
            s.delegated = c;
        }
        mine[0] += net;
        totalBytes += net;
        metrics.resultsAccepted.increment();
        if (!awaited.isEmpty() && awaited.remove(d)) {
            wake();
        }
        return OfferOutcome.ACCEPTED;
    }

    /** On a simulator's virtual clock: only {@link #wakeWaiters} wakes a waiting {@link #collect}. */
    void wakeOnlyWhenAsked() {
        wakeOnChange = false;
    }

    /** How many times {@link #collect} has started to wait (a simulator steps its clock meanwhile). */
    long waitEntries() {
        return waitEntries;
    }

    /** The deadline (table's clock) of the latest wait {@link #collect} started. */
    long waitingUntil() {
        return waitingUntil;
    }

    /** Wakes a waiting {@link #collect} so that it reads the clock again (a simulator moved it). */
    synchronized void wakeWaiters() {
        wakesAsked++;
        notifyAll();
    }

    /**
     * An arrival or departure a waiting {@link #collect} may be waiting for. On a virtual clock the
     * simulator wakes the wait itself after each of its steps ({@link #wakeWaiters}), so that the
     * waiting thread never runs concurrently with one.
     */
    private void wake() {
        if (wakeOnChange) {
            notifyAll();
        }
    }

    /**
     * Takes what was received for {@code txs} (position i for transaction i), waiting until
     * {@code deadlineNanos} (on the table's clock) for results that can still come; then marks all
     * of {@code txs} executed, so later results for them count as late.
     *
     * @throws InterruptedException if interrupted while waiting (nothing is marked executed)
     */
    synchronized Collected collect(List<Transaction> txs, long deadlineNanos) throws InterruptedException {
        return collect(txs, deadlineNanos, null, 0);
    }

    /**
     * As {@link #collect(List, long)}, except for the positions {@code i} with {@code delegated[i]}
     * (forwarded to a lease's delegate): those wait, until {@code leaseDeadlineNanos}, for the
     * delegate's own result (a speculative one from another peer does not end the wait), as long
     * as the delegate is connected and not quarantined.
     */
    synchronized Collected collect(List<Transaction> txs, long deadlineNanos, boolean[] delegated,
                                   long leaseDeadlineNanos) throws InterruptedException {
        int n = txs.size();
        Slot[] got = new Slot[n];
        boolean[] done = new boolean[n];
        // Slots already taken by digest, for the same transaction twice in a commit: built at the
        // first position without a slot only (a commit where every transaction has one builds none).
        Map<Digest, Slot> taken = null;
        try {
            while (true) {
                boolean waitMore = false;
                long now = nanoClock.getAsLong();
                long until = Long.MAX_VALUE;
                for (int i = 0; i < n; i++) {
                    if (done[i]) {
                        continue;
                    }
                    Digest d = txs.get(i).digest();
                    Slot s = slots.get(d);
                    if (s == null) {
                        if (taken == null) {
                            taken = HashMap.newHashMap(n);
                            for (int j = 0; j < n; j++) {
                                if (got[j] != null) {
                                    taken.putIfAbsent(txs.get(j).digest(), got[j]);
                                }
                            }
                        }
                        s = taken.get(d);
                    }
                    boolean lease = delegated != null && delegated[i];
                    long deadline = lease ? leaseDeadlineNanos : deadlineNanos;
                    boolean finished = s == null || now - deadline >= 0
                            || (lease && s.delegate != null ? !awaitingDelegate(s) : complete(s) || !pending(s));
                    if (finished) {
                        done[i] = true;
                        got[i] = s;
                        if (s != null && slots.remove(d) != null) {
                            // Taken for good: from now on an offer for it is late.
                            boolean timedOut = !lease && now - deadline >= 0 && !complete(s) && pending(s);
                            release(s);
                            markExecuted(d, timedOut ? now : NOT_WAITED);
                            if (taken != null) {
                                taken.put(d, s);
                            }
                        }
                    } else {
                        waitMore = true;
                        until = Math.min(until, deadline - now);
                        awaited.add(d);
                    }
                }
                if (!waitMore) {
                    break;
                }
                long remaining = Math.max(1, until);
                waitingUntil = now + remaining;
                waitEntries++;
                if (wakeOnChange) {
                    wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
                } else {
                    awaitWakeWaiters();
                }
            }
        } finally {
            awaited.clear();
        }
        Collected out = new Collected(n);
        boolean trustFirst = mode == TrustMode.TRUSTED && quarantined.isEmpty();
        for (int i = 0; i < n; i++) {
            Slot s = got[i];
            if (s == null) {
                // No slot (nothing offered, nothing routed), or still pending at the deadline.
                Digest d = txs.get(i).digest();
                s = slots.remove(d);
                if (s != null) {
                    release(s);
                } else if (taken != null && taken.containsKey(d)) {
                    s = taken.get(d);
                }
                markExecuted(d, NOT_WAITED);
                if (s == null) {
                    continue;
                }
            }
            out.routed[i] = s.routed;
            if (trustFirst) {
                if (s.claims.length > 0) {
                    Claim first = first(s, java.util.Arrays.asList(s.claims));
                    out.claims[i] = s.claims;
                    out.usable[i] = first.result();
                    out.sources[i] = first.source();
                    out.fromDelegate[i] = first == s.delegated;
                }
            } else {
                decide(s, txs.get(i), out, i);
            }
        }
        return out;
    }

    /**
     * On a virtual clock: waits (lock held on entry and exit) for the simulator's next
     * {@link #wakeWaiters}, with no real-time limit. {@code remaining} there is virtual time, which
     * only the simulator moves: a wait that ended by itself after that much real time (or spuriously)
     * would read the table while the simulator is halfway through an event, or start another wait
     * that the simulator counts as a step it has not taken, and so let machine load decide which
     * results a commit takes and what runs concurrently with it (two runs of one seed diverged).
     */
    private void awaitWakeWaiters() throws InterruptedException {
        long asked = wakesAsked;
        while (wakesAsked == asked) {
            wait();
        }
    }

    /** TRUSTED: the delegate's answer if it sent one, else the first that came. */
    private static Claim first(Slot s, List<Claim> valid) {
        if (s.delegated != null && valid.contains(s.delegated)) {
            return s.delegated;
        }
        return valid.get(0);
    }

    /** Whether the slot's delegate can still answer: connected, not quarantined, not answered yet. */
    private boolean awaitingDelegate(Slot s) {
        return s.delegated == null && connected.contains(s.delegate) && !quarantined.contains(s.delegate);
    }

    /** Whether enough results arrived for a decision (TRUSTED: one; CROSS_CHECKED: {@code replicas}). */
    private boolean complete(Slot s) {
        if (quarantined.isEmpty()) {
            return s.claims.length >= replicas;
        }
        int valid = 0;
        for (Claim c : s.claims) {
            if (!quarantined.contains(c.source())) {
                valid++;
            }
        }
        return valid >= replicas;
    }

    /** Whether a result for the slot can still come: from a connected routed peer, or from the host. */
    private boolean pending(Slot s) {
        if (s.hostExpected && !s.answered(HOST)) {
            return true;
        }
        if (s.routed != null) {
            for (String p : s.routed) {
                if (connected.contains(p) && !quarantined.contains(p) && !s.answered(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void decide(Slot s, Transaction tx, Collected out, int i) {
        List<Claim> valid;
        if (quarantined.isEmpty()) {
            valid = java.util.Arrays.asList(s.claims);
        } else {
            valid = new ArrayList<>(s.claims.length);
            for (Claim c : s.claims) {
                if (!quarantined.contains(c.source())) {
                    valid.add(c);
                }
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        out.claims[i] = quarantined.isEmpty() ? s.claims : valid.toArray(new Claim[0]);
        if (mode == TrustMode.TRUSTED) {
            Claim first = first(s, valid);
            out.usable[i] = first.result();
            out.sources[i] = first.source();
            out.fromDelegate[i] = first == s.delegated;
            return;
        }
        for (int a = 0; a < valid.size(); a++) {
            for (int b = a + 1; b < valid.size(); b++) {
                if (!Agreement.exact(valid.get(a).result(), valid.get(b).result())) {
                    out.disagreed[i] = true;
                }
            }
        }
        int need = io.remora.core.canary.Canary.CROSS_CHECK_TRUSTS_ONE.active() ? 1 : replicas; // planted bug if 1
        if (valid.size() < need) {
            return; // not enough independent answers: no hint is trusted
        }
        Claim full = Agreement.group(valid, need, true);
        if (full != null) {
            out.usable[i] = full.result();
            out.sources[i] = full.source();
            return;
        }
        Claim hints = Agreement.group(valid, need, false);
        if (hints != null) {
            PreExecResult r = hints.result();
            out.usable[i] = PreExecResult.verifyOnly(tx.digest(), r.lookupTable().withoutReads(), r.watermark());
            out.sources[i] = hints.source();
        }
    }

    /** A slot leaves the table: its claims no longer count against their sources' budgets. */
    private void release(Slot s) {
        claimsHeld -= s.claims.length;
        for (Claim c : s.claims) {
            long[] b = bytesBySource.get(c.source());
            if (b != null) {
                b[0] -= c.bytes();
                if (b[0] <= 0) {
                    bytesBySource.remove(c.source());
                }
            }
            totalBytes -= c.bytes();
        }
    }

    /** Bytes of results held from {@code source} (tests, metrics). */
    synchronized long heldBytes(String source) {
        long[] b = bytesBySource.get(source);
        return b == null ? 0 : b[0];
    }

    /** Bytes of results held in all (tests, metrics). */
    synchronized long heldBytes() {
        return totalBytes;
    }

    /** Slots (transactions with results waiting), at most {@code capacity} (tests). */
    synchronized int slotCount() {
        return slots.size();
    }

    /** The most bytes one source holds now (tests: the per-source budget's bound). */
    synchronized long maxSourceBytes() {
        long max = 0;
        for (long[] b : bytesBySource.values()) {
            max = Math.max(max, b[0]);
        }
        return max;
    }

    /** Results held, across all slots (tests, metrics). */
    synchronized int held() {
        return claimsHeld;
    }
}
