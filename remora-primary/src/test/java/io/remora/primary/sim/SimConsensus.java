package io.remora.primary.sim;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.Workload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The simulated consensus and the sequential reference that follows it: a mempool the cluster's
 * admission (or a client, when the primary is down) fills; every 10-30 ms of virtual time a commit
 * of what is there (order slightly shuffled), with the faults the schedule asked for (a repeated
 * transaction, a forged copy, an empty commit, a hold then one huge commit); each commit is ready
 * for the host 2-12 ms after it forms. The reference executes every commit as it forms, keeping
 * each position's effects and the state digest after each commit.
 *
 * <p>Not thread-safe: the simulator's thread only.
 */
final class SimConsensus {
    private final SimScheduler sched;
    private final Random rnd;
    private final Trace trace;
    private final List<Transaction> mempool = new ArrayList<>();
    private final List<Transaction> submitted = new ArrayList<>();
    private final List<List<Transaction>> log = new ArrayList<>();
    private final List<Long> readyAt = new ArrayList<>();
    private int duplicatesAsked;
    private int forgedAsked;
    private boolean emptyAsked;
    private long holdUntil = Long.MIN_VALUE;
    private final InMemoryObjectStore refStore;
    private final SequentialExecutor reference;
    private final List<List<Effects>> refEffects = new ArrayList<>();
    private final List<Digest> refDigests = new ArrayList<>();
    private final Digest genesisDigest;

    SimConsensus(SimScheduler sched, Random rnd, Trace trace, Workload workload) {
        this.sched = sched;
        this.rnd = rnd;
        this.trace = trace;
        this.refStore = workload.genesisStore();
        this.genesisDigest = refStore.stateDigest();
        this.reference = new SequentialExecutor(BuiltinEngine.executor("oracle"), refStore);
    }

    /** Starts forming commits. */
    void start() {
        sched.at(10_000_000L, this::formCommit);
    }

    /** A transaction reaches consensus (from admission, or from a client directly). */
    void propose(Transaction tx) {
        mempool.add(tx);
    }

    /** A client submitted {@code tx} (candidates for repeats). */
    void submitted(Transaction tx) {
        submitted.add(tx);
    }

    void askDuplicate() {
        duplicatesAsked++;
    }

    void askForged() {
        forgedAsked++;
    }

    void askEmpty() {
        emptyAsked = true;
    }

    /** Holds commits back for {@code nanos}, then outputs one commit of everything pending. */
    void hold(long nanos) {
        holdUntil = sched.now() + nanos;
    }

    /** Faults stop: no more holding back. */
    void calm() {
        holdUntil = Long.MIN_VALUE;
    }

    boolean idle() {
        return mempool.isEmpty();
    }

    int pending() {
        return mempool.size();
    }

    /** Commits formed so far. */
    int size() {
        return log.size();
    }

    List<Transaction> commit(long index) {
        return log.get((int) index);
    }

    /** Whether commit {@code index} exists and is ready for the host by now. */
    boolean ready(long index) {
        return index < log.size() && readyAt.get((int) index) <= sched.now();
    }

    /** When commit {@code index} is ready (Long.MAX_VALUE if it is not formed yet). */
    long readyAt(long index) {
        return index < log.size() ? readyAt.get((int) index) : Long.MAX_VALUE;
    }

    int transactions() {
        return log.stream().mapToInt(List::size).sum();
    }

    List<Effects> expectedEffects(long index) {
        return refEffects.get((int) index);
    }

    /** The reference's digest after commit {@code index} (-1: genesis). */
    Digest expectedDigest(long index) {
        return index < 0 ? genesisDigest : refDigests.get((int) index);
    }

    private void formCommit() {
        sched.at(10_000_000L + rnd.nextInt(20_000_000), this::formCommit);
        if (sched.now() < holdUntil) {
            return;
        }
        if (mempool.isEmpty() && !emptyAsked && duplicatesAsked == 0) {
            return;
        }
        List<Transaction> commit = new ArrayList<>();
        if (!emptyAsked) {
            int max = holdUntil != Long.MIN_VALUE ? Integer.MAX_VALUE : 1 + rnd.nextInt(24);
            while (!mempool.isEmpty() && commit.size() < max) {
                commit.add(mempool.remove(0));
            }
            holdUntil = Long.MIN_VALUE;
            for (int i = 1; i < commit.size(); i++) {
                if (rnd.nextInt(4) == 0) {
                    Collections.swap(commit, i - 1, i);
                }
            }
            for (; duplicatesAsked > 0 && !submitted.isEmpty(); duplicatesAsked--) {
                Transaction again = submitted.get(rnd.nextInt(submitted.size()));
                commit.add(rnd.nextInt(commit.size() + 1), again);
            }
            for (; forgedAsked > 0 && !commit.isEmpty(); forgedAsked--) {
                int at = rnd.nextInt(commit.size());
                byte[] sig = new byte[64];
                rnd.nextBytes(sig);
                Transaction forged = commit.get(at).withSignature(sig);
                commit.add(rnd.nextBoolean() ? at : at + 1, forged);
            }
        }
        emptyAsked = false;
        List<Effects> out = new ArrayList<>(commit.size());
        for (Transaction tx : commit) {
            out.add(reference.execute(tx));
        }
        refEffects.add(out);
        refDigests.add(refStore.stateDigest());
        log.add(List.copyOf(commit));
        readyAt.add(sched.now() + 2_000_000L + rnd.nextInt(10_000_000));
        trace.add("formed", log.size() - 1, commit.size());
    }
}
