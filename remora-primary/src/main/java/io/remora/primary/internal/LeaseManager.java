package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.LeaseEnd;
import io.remora.core.protocol.LeaseExecute;
import io.remora.core.protocol.LeaseGrant;
import io.remora.primary.LeaseMetrics;
import io.remora.primary.LeasePolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Leases (design guide §7, the overwhelmed primary): detects overload, picks the hot subset of the
 * state the primary keeps re-executing, grants a lease over it to a pre-executor (the delegate), and
 * forwards to it, in consensus order, every committed transaction that touches only leased objects.
 *
 * <pre>
 *  consensus thread   enqueued(k)  ──► all inputs leased? ──► LEASE_EXECUTE(epoch, k, positions) ──► delegate
 *                                      some, not all?  ──► the lease ends before commit k
 *  remora-execute     plan(k)      ──► positions of k forwarded: the result wait holds them for the
 *                                      delegate's answer until answerWait after k reached execution
 *                     executed(k)  ──► judge (late? did not validate?), measure load, end or grant
 * </pre>
 *
 * <b>Why it is correct whatever the delegate does.</b> A delegate's answer is an ordinary result:
 * the engine validates its read versions at its position and adopts it only if they hold, exactly as
 * for a speculative result; otherwise it re-executes. The lease makes answers right (the delegate
 * executes after ordering, in order, on the leased objects as the primary handed them over, which no
 * other transaction writes while the lease holds), not trusted; in {@code TRUSTED} mode the audit
 * sample covers them as any other result. The primary therefore always holds the whole state itself:
 * when a lease ends for any reason it simply executes what the delegate did not answer, from the
 * last commit it applied; a lease is not durable and a restarted primary has none.
 *
 * <p>Checking the reads costs a hash lookup per read (the adopt path, ~0.6 µs per transaction);
 * the design guide allows skipping it, which would make a delegate's mistake undetectable: kept.
 *
 * <p>Thread-safety: every method is synchronized; {@link #enqueued} runs on the host's consensus
 * thread, {@link #plan} and {@link #executed} on the execution stage, {@link #peerGone} on any.
 */
final class LeaseManager {
    /** The positions of one commit forwarded to the delegate, and how long to wait for its answers. */
    record Plan(long epoch, String delegate, boolean[] delegated, long deadlineNanos) {
    }

    private enum End { CROSSING, TERM, LATE, DIVERGED, GONE, CALM, UNSENT }

    /** Commits enqueued and not yet executed that a grant may have to catch up on (the ring holds 1,024). */
    private static final int MAX_RECENT = 4096;
    /** Declared inputs of the last transactions the primary executed itself, for choosing a subset. */
    private static final int REEXECUTED_RING = 16_384;
    /** Digests forwarded under one lease, so that a repeated transaction is forwarded once. */
    private static final int MAX_FORWARDED_DIGESTS = 65_536;
    private static final double SMOOTHING = 0.2;

    private static final class Lease {
        final long epoch;
        final String delegate;
        final Set<ObjectId> objects;
        final long grantedNanos;
        /** The first commit not delegated (Long.MAX_VALUE while the lease holds). */
        long endAt = Long.MAX_VALUE;
        End reason;
        /** The last commit {@link #forward} examined. */
        long examinedThrough;
        final Map<Long, boolean[]> delegated = new HashMap<>();
        final LinkedHashSet<Digest> forwarded = new LinkedHashSet<>();

        Lease(long epoch, String delegate, Set<ObjectId> objects, long start, long grantedNanos) {
            this.epoch = epoch;
            this.delegate = delegate;
            this.objects = objects;
            this.grantedNanos = grantedNanos;
            this.examinedThrough = start - 1;
        }
    }

    private record Pending(long index, List<Transaction> txs) {
    }

    private final LeasePolicy policy;
    private final boolean allowed;
    private final ResultTable results;
    private final CommittedState state;
    private final LongSupplier clock;
    private ClusterHook.LeaseLinks links;
    private final ArrayDeque<Pending> recent = new ArrayDeque<>();
    private Lease lease;
    /** The lease while it delegates (null once it ends or none holds), for admission; read without the lock. */
    private volatile Lease delegating;
    private long nextEpoch = ThreadLocalRandom.current().nextLong(1, 1L << 62);
    private long lastPlanned = Long.MIN_VALUE;
    // load, measured at each executed commit
    private double busy;
    private long lastExecutedNanos = Long.MIN_VALUE;
    private int overloadRun;
    private int calmRun;
    private int cooldown;
    private final ObjectId[][] reexecuted = new ObjectId[REEXECUTED_RING][];
    private int reexecutedNext;

    private final LongAdder granted = new LongAdder();
    private final LongAdder forwardedCount = new LongAdder();
    private final LongAdder adopted = new LongAdder();
    private final LongAdder[] ended = new LongAdder[End.values().length];

    /** {@code allowed}: leases enabled by the policy and possible in the trust mode. */
    LeaseManager(LeasePolicy policy, boolean allowed, ResultTable results, CommittedState state, LongSupplier clock) {
        this.policy = policy;
        this.allowed = allowed && policy.enabled();
        this.results = results;
        this.state = state;
        this.clock = clock;
        for (int i = 0; i < ended.length; i++) {
            ended[i] = new LongAdder();
        }
    }

    /** The cluster's links (null: no cluster, no lease; a current lease ends). */
    synchronized void links(ClusterHook.LeaseLinks l) {
        links = l;
        if (l == null && lease != null) {
            end(lease, End.GONE, lastPlanned + 1);
        }
    }

    /**
     * Admission (any thread): whether every object {@code tx} declares is under the lease, so that
     * speculating it elsewhere is wasted work (the delegate executes it once committed).
     */
    boolean covers(Transaction tx) {
        Lease l = delegating;
        return l != null && tx.declaresOnly(l.objects);
    }

    /**
     * Admission (any thread): the delegate of the lease that holds, or null. It gets no speculative
     * work while another pre-executor can take it, so that its cores serve the lease first.
     */
    String delegate() {
        Lease l = delegating;
        return l == null ? null : l.delegate;
    }

    // ---- consensus thread ------------------------------------------------------------------------

    /** Commit {@code index} was handed to the pipeline (before it executes). */
    synchronized void enqueued(long index, List<Transaction> txs) {
        if (!allowed) {
            return;
        }
        recent.addLast(new Pending(index, txs));
        while (recent.size() > MAX_RECENT) {
            recent.removeFirst();
        }
        Lease l = lease;
        if (l != null && index > l.examinedThrough && index < l.endAt) {
            forward(l, index, txs);
        }
    }

    /**
     * Forwards commit {@code index}'s leased transactions, or ends the lease before the commit if
     * one of its transactions touches leased and non-leased objects.
     */
    private void forward(Lease l, long index, List<Transaction> txs) {
        l.examinedThrough = index;
        int n = txs.size();
        boolean[] leased = null;
        for (int i = 0; i < n; i++) {
            List<InputObject> inputs = txs.get(i).inputs();
            int in = 0;
            for (InputObject o : inputs) {
                if (l.objects.contains(o.id())) {
                    in++;
                }
            }
            if (in == 0) {
                continue;
            }
            if (in < inputs.size()) {
                end(l, End.CROSSING, index);
                return;
            }
            if (leased == null) {
                leased = new boolean[n];
            }
            leased[i] = true;
        }
        if (leased == null) {
            return;
        }
        boolean[] mark = new boolean[n];
        List<LeaseExecute.Entry> batch = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < n; i++) {
            Transaction tx = txs.get(i);
            if (!leased[i] || !l.forwarded.add(tx.digest()) || results.recentlyExecuted(tx.digest())) {
                // A repeated transaction executes once (the primary gives the copy its DUPLICATE outcome).
                continue;
            }
            if (l.forwarded.size() > MAX_FORWARDED_DIGESTS) {
                l.forwarded.remove(l.forwarded.iterator().next());
            }
            results.expectDelegated(tx.digest(), tx.gasBudget(), l.delegate, l.epoch);
            mark[i] = true;
            count++;
            batch.add(new LeaseExecute.Entry(i, tx));
            if (batch.size() == ClusterMessages.MAX_BATCH && !flush(l, index, batch)) {
                return;
            }
        }
        if (!batch.isEmpty() && !flush(l, index, batch)) {
            return;
        }
        if (count > 0) {
            l.delegated.put(index, mark);
            forwardedCount.add(count);
        }
    }

    private boolean flush(Lease l, long index, List<LeaseExecute.Entry> batch) {
        boolean sent = links != null && links.send(l.delegate, new LeaseExecute(l.epoch, index, batch));
        batch.clear();
        if (!sent) {
            end(l, End.UNSENT, index);
        }
        return sent;
    }

    // ---- execution stage -------------------------------------------------------------------------

    /** What commit {@code index} has under the lease (null: nothing forwarded, execute as usual). */
    synchronized Plan plan(long index) {
        if (!allowed) {
            return null;
        }
        while (!recent.isEmpty() && recent.peekFirst().index() <= index) {
            recent.removeFirst();
        }
        lastPlanned = index;
        Lease l = lease;
        if (l == null) {
            return null;
        }
        if (index >= l.endAt) {
            finish(l);
            return null;
        }
        boolean[] mark = l.delegated.remove(index);
        return mark == null ? null : new Plan(l.epoch, l.delegate, mark, clock.getAsLong() + policy.answerWait().toNanos());
    }

    /**
     * Commit {@code index} ({@code txs}, every position) executed and applied to {@code state}: judges
     * the delegate's answers, measures the load, and ends or grants a lease.
     */
    synchronized void executed(long index, List<Transaction> txs, Plan plan, ResultTable.Collected got,
                               CommitOutcome outcome, long executionNanos) {
        if (!allowed) {
            return;
        }
        long now = clock.getAsLong();
        int delegatedAdopted = 0;
        Lease l = lease;
        if (plan != null && l != null && l.epoch == plan.epoch()) {
            int late = 0;
            int diverged = 0;
            byte[] causes = outcome.causes();
            for (int i = 0; i < plan.delegated().length; i++) {
                if (!plan.delegated()[i]) {
                    continue;
                }
                if (!got.fromDelegate[i]) {
                    late++;
                } else if (causes[i] == CommitOutcome.ADOPTED) {
                    delegatedAdopted++;
                } else if (causes[i] == CommitOutcome.STALE || causes[i] == CommitOutcome.CONFLICT) {
                    diverged++;
                }
            }
            adopted.add(delegatedAdopted);
            if (diverged > 0) {
                end(l, End.DIVERGED, index + 1);
            } else if (late > 0) {
                end(l, End.LATE, index + 1);
            }
        }
        // Load: the execution stage's busy fraction, commits queued behind it, what it executed itself.
        long wall = lastExecutedNanos == Long.MIN_VALUE ? executionNanos : now - lastExecutedNanos;
        lastExecutedNanos = now;
        double sample = Math.min(1.0, (double) executionNanos / Math.max(1, wall));
        busy += SMOOTHING * (sample - busy);
        int n = txs.size();
        int local = outcome.reexecutedStale() + outcome.reexecutedConflict() + outcome.reexecutedNoResult();
        double share = n == 0 ? 0 : (double) local / n;
        double withLease = n == 0 ? 0 : (double) (local + delegatedAdopted) / n;
        byte[] causes = outcome.causes();
        for (int i = 0; i < n; i++) {
            byte c = causes[i];
            if (c == CommitOutcome.STALE || c == CommitOutcome.CONFLICT || c == CommitOutcome.NO_RESULT) {
                List<InputObject> inputs = txs.get(i).inputs();
                if (!inputs.isEmpty()) {
                    ObjectId[] ids = new ObjectId[inputs.size()];
                    for (int j = 0; j < ids.length; j++) {
                        ids[j] = inputs.get(j).id();
                    }
                    reexecuted[reexecutedNext] = ids;
                    reexecutedNext = (reexecutedNext + 1) % REEXECUTED_RING;
                }
            }
        }
        l = lease;
        if (l != null) {
            if (l.endAt <= index + 1) {
                finish(l); // nothing more is delegated under it: tell the delegate now
            } else {
                if (now - l.grantedNanos >= policy.term().toNanos()) {
                    end(l, End.TERM, l.examinedThrough + 1);
                }
                calmRun = withLease < policy.reexecutedLow() ? calmRun + 1 : 0;
                if (calmRun >= policy.calmCommits()) {
                    end(l, End.CALM, l.examinedThrough + 1);
                }
                if (l.endAt <= index + 1) {
                    finish(l);
                }
            }
            return;
        }
        if (cooldown > 0) {
            cooldown--;
        }
        boolean overloaded = (busy >= policy.busyHigh() || recent.size() >= policy.queuedHigh())
                && share >= policy.reexecutedHigh() && local > 0;
        overloadRun = overloaded ? overloadRun + 1 : 0;
        if (overloadRun >= policy.overloadCommits() && cooldown == 0 && links != null) {
            overloadRun = 0;
            grant(index + 1);
        }
    }

    /** The delegate is gone (disconnected, stalled or quarantined): its lease ends at the next commit. */
    synchronized void peerGone(String peer) {
        Lease l = lease;
        if (l != null && l.delegate.equals(peer)) {
            end(l, End.GONE, lastPlanned + 1);
        }
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    private void grant(long start) {
        Set<ObjectId> subset = chooseSubset();
        if (subset.isEmpty()) {
            return;
        }
        String delegate = links.pickDelegate();
        if (delegate == null) {
            return;
        }
        List<StoredObject> objects = new ArrayList<>(subset.size());
        Set<ObjectId> ids = new HashSet<>();
        for (ObjectId id : subset) {
            StoredObject o = state.read(id);
            if (o != null) {
                objects.add(o);
                ids.add(id);
            }
        }
        if (objects.isEmpty()) {
            return;
        }
        long epoch = nextEpoch++;
        if (!links.send(delegate, new LeaseGrant(epoch, start, objects))) {
            return;
        }
        Lease l = new Lease(epoch, delegate, Set.copyOf(ids), start, clock.getAsLong());
        lease = l;
        delegating = l;
        granted.increment();
        calmRun = 0;
        for (Pending p : recent) {
            if (lease != l || p.index() >= l.endAt) {
                break;
            }
            if (p.index() >= start) {
                forward(l, p.index(), p.txs());
            }
        }
    }

    /**
     * The conflict clusters of what the primary executed itself lately: objects joined when one
     * transaction declared both, ranked by how many of those transactions touched them; the largest
     * clusters (at least an eighth of the largest's count) while they fit {@code maxObjects}.
     */
    private Set<ObjectId> chooseSubset() {
        Map<ObjectId, ObjectId> parent = new HashMap<>();
        for (ObjectId[] ids : reexecuted) {
            if (ids == null) {
                continue;
            }
            ObjectId root = find(parent, ids[0]);
            for (int j = 1; j < ids.length; j++) {
                ObjectId other = find(parent, ids[j]);
                if (!other.equals(root)) {
                    parent.put(other, root);
                }
            }
        }
        Map<ObjectId, long[]> weight = new HashMap<>();
        Map<ObjectId, List<ObjectId>> members = new HashMap<>();
        for (ObjectId[] ids : reexecuted) {
            if (ids != null) {
                weight.computeIfAbsent(find(parent, ids[0]), k -> new long[1])[0]++;
            }
        }
        for (ObjectId id : parent.keySet()) {
            members.computeIfAbsent(find(parent, id), k -> new ArrayList<>()).add(id);
        }
        List<ObjectId> roots = new ArrayList<>(weight.keySet());
        roots.sort((a, b) -> Long.compare(weight.get(b)[0], weight.get(a)[0]));
        Set<ObjectId> out = new LinkedHashSet<>();
        if (roots.isEmpty()) {
            return out;
        }
        long floor = Math.max(2, weight.get(roots.get(0))[0] / 8);
        for (ObjectId root : roots) {
            List<ObjectId> cluster = members.get(root);
            if (weight.get(root)[0] < floor || out.size() + cluster.size() > policy.maxObjects()) {
                break;
            }
            out.addAll(cluster);
        }
        return out;
    }

    /** Union-find: every member has an entry, a root maps to itself; compresses the path it walks. */
    private static ObjectId find(Map<ObjectId, ObjectId> parent, ObjectId id) {
        ObjectId p = parent.putIfAbsent(id, id);
        if (p == null || p.equals(id)) {
            return id;
        }
        ObjectId root = p;
        for (ObjectId q = parent.get(root); !q.equals(root); q = parent.get(root)) {
            root = q;
        }
        for (ObjectId cur = id; !cur.equals(root); ) {
            ObjectId next = parent.get(cur);
            parent.put(cur, root);
            cur = next;
        }
        return root;
    }

    /** The lease delegates nothing from commit {@code at} on (the first reason given is kept). */
    private void end(Lease l, End reason, long at) {
        delegating = null;
        if (at < l.endAt) {
            l.endAt = at;
        }
        if (l.reason == null) {
            l.reason = reason;
        }
    }

    /** Nothing more is delegated under {@code l}: tell the delegate, count it, and cool down. */
    private void finish(Lease l) {
        if (lease != l) {
            return;
        }
        lease = null;
        delegating = null;
        ended[(l.reason == null ? End.TERM : l.reason).ordinal()].increment();
        cooldown = policy.overloadCommits();
        overloadRun = 0;
        calmRun = 0;
        if (links != null) {
            links.send(l.delegate, new LeaseEnd(l.epoch));
        }
    }

    /** The metrics of a primary that has no lease manager yet (not started). */
    static final LeaseMetrics NONE = new LeaseMetrics(0, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    synchronized LeaseMetrics metrics() {
        Lease l = lease;
        return new LeaseMetrics(granted.sum(), l == null ? null : l.delegate, l == null ? 0 : l.objects.size(), forwardedCount.sum(),
                adopted.sum(), ended[End.CROSSING.ordinal()].sum(), ended[End.TERM.ordinal()].sum(),
                ended[End.LATE.ordinal()].sum(), ended[End.DIVERGED.ordinal()].sum(), ended[End.GONE.ordinal()].sum(),
                ended[End.CALM.ordinal()].sum(), ended[End.UNSENT.ordinal()].sum());
    }
}
