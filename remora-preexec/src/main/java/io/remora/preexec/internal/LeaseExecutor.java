package io.remora.preexec.internal;

import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.exec.StateView;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.protocol.LeaseEnd;
import io.remora.core.protocol.LeaseExecute;
import io.remora.core.protocol.LeaseGrant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The delegate's side of a lease: executes the committed transactions the primary forwards, in the
 * order received, against the leased objects the grant handed over (its own replica only for
 * objects outside the lease, which a forwarded transaction reads only dynamically), applies each
 * transaction's effects to them, and answers each with a full result in a LEASE_RESULT, sent reliably.
 *
 * <p>Nothing here is trusted by the primary: it checks every answer's reads before adopting it, so
 * a wrong answer (a lease this delegate lost track of, a dynamic read of stale replica state) costs
 * the lease, never correctness. A grant replaces the lease held; a new connection drops it (a
 * restarted primary holds no lease).
 *
 * <p>Thread-safety: messages arrive on the transport's thread and run, in order, on the one lease
 * thread given; state is confined to it.
 */
public final class LeaseExecutor {
    private final TransactionExecutor executor;
    private final Replica replica;
    private final ExecutorService thread;
    private final ResultProxy sink;
    private final Counters counters;
    // lease thread only
    private long epoch;
    private final Map<ObjectId, StoredObject> objects = new HashMap<>();
    /** Leased objects a forwarded transaction deleted (a read must not fall through to the replica). */
    private final java.util.Set<ObjectId> deleted = new java.util.HashSet<>();
    private final StateView view = this::read;
    /** The current lease's object ids while one holds (empty otherwise), for the workers. */
    private volatile java.util.Set<ObjectId> covered = java.util.Set.of();
    /** Signature checks done before ordering for covered transactions (guarded by itself; bounded). */
    private final java.util.LinkedHashMap<io.remora.core.Digest, io.remora.core.LookupTable> verified =
            new java.util.LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<io.remora.core.Digest, io.remora.core.LookupTable> e) {
                    return size() > MAX_VERIFIED;
                }
            };
    private static final int MAX_VERIFIED = 65_536;

    /** @param sink sends answers reliably (the primary waits for them) */
    public LeaseExecutor(TransactionExecutor executor, Replica replica, ExecutorService thread,
                         ResultProxy sink, Counters counters) {
        this.executor = executor;
        this.replica = replica;
        this.thread = thread;
        this.sink = sink;
        this.counters = counters;
    }

    public void onGrant(LeaseGrant g) {
        run(() -> {
            epoch = g.epoch();
            objects.clear();
            deleted.clear();
            for (StoredObject o : g.objects()) {
                objects.put(o.id(), o);
            }
            covered = java.util.Set.copyOf(objects.keySet());
            counters.leaseGrants.increment();
        });
    }

    public void onExecute(LeaseExecute x) {
        run(() -> {
            if (x.epoch() != epoch) {
                counters.leaseIgnored.add(x.entries().size()); // an ended or unknown lease
                return;
            }
            for (LeaseExecute.Entry e : x.entries()) {
                PreExecResult r;
                io.remora.core.LookupTable hints;
                synchronized (verified) {
                    hints = verified.remove(e.transaction().digest());
                }
                try {
                    // The signature was checked before ordering (verifyAhead) when it came through
                    // admission: executing it now costs only the execution.
                    io.remora.core.exec.ExecutionOutcome o = executor.execute(e.transaction(), view, hints);
                    r = PreExecResult.full(o.effects(), o.lookupTable(), replica.watermark());
                } catch (RuntimeException failed) {
                    counters.executionErrors.increment();
                    continue; // unanswered: the primary executes it and ends the lease
                }
                apply(r.effects());
                counters.leaseExecuted.increment();
                sink.acceptDelegated(x.epoch(), r);
            }
        });
    }

    public void onEnd(LeaseEnd e) {
        run(() -> {
            if (e.epoch() == epoch) {
                drop();
            }
        });
    }

    /** A new connection: whatever lease was held belongs to a primary (or connection) that is gone. */
    public void onConnected() {
        run(this::drop);
    }

    /**
     * Any thread (a worker, before ordering): whether every object {@code tx} declares is under the
     * lease held, so that speculating it is wasted work.
     */
    public boolean covers(io.remora.core.Transaction tx) {
        return tx.declaresOnly(covered);
    }

    /**
     * Any thread: checks {@code tx}'s signature now, before ordering, and remembers the verdict for
     * its execution under the lease; returns the verify-only answer for the primary.
     */
    public PreExecResult verifyAhead(io.remora.core.Transaction tx) {
        io.remora.core.LookupTable table = executor.signatureOnly(tx);
        synchronized (verified) {
            verified.put(tx.digest(), table);
        }
        return PreExecResult.verifyOnly(tx.digest(), table, replica.watermark());
    }

    private void drop() {
        covered = java.util.Set.of();
        epoch = 0;
        objects.clear();
        deleted.clear();
    }

    private StoredObject read(ObjectId id) {
        StoredObject o = objects.get(id);
        if (o != null || deleted.contains(id)) {
            return o;
        }
        return replica.read(id);
    }

    private void apply(Effects effects) {
        for (Effects.Written w : effects.written()) {
            objects.put(w.object().id(), w.object());
            deleted.remove(w.object().id());
        }
        for (ObjectId id : effects.deleted()) {
            objects.remove(id);
            deleted.add(id);
        }
    }

    private void run(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }
}
