package io.remora.primary.sim;

import io.remora.core.protocol.ClusterMessages;
import io.remora.transport.InMemoryTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The simulated network between the primary and the pre-executors: every event of the in-memory
 * transport comes here and becomes an event of the {@link SimScheduler} after a seeded latency.
 * Links are FIFO (as TCP) except when a reorder fault lets a message overtake. Faults, each with a
 * probability per message: drop and duplicate (only of EXECUTE and RESULT, which the real transport
 * may drop under back-pressure and a lying peer may repeat; other types ride a reliable stream whose
 * loss breaks the link, see {@link ClusterSimulation}), long delay, reorder. A partitioned node
 * neither sends nor receives and cannot connect until healed; a paused node's traffic waits; a dead
 * node's vanishes.
 *
 * <p>Thread-safety: {@link #dispatch} may be called from the primary's threads; state is guarded by
 * {@code this}.
 */
final class SimNetwork implements InMemoryTransport.Dispatcher {
    /** Per-message fault probabilities and the latency model (nanoseconds). */
    record Faults(double drop, double duplicate, double delay, double reorder) {
        static final Faults NONE = new Faults(0, 0, 0, 0);
    }

    private final SimScheduler sched;
    private final Random rnd;
    private final Trace trace;
    private volatile Faults faults;
    private final Set<String> dead = new HashSet<>();
    /** The node id of the primary's current incarnation (a restarted primary gets a new one). */
    private String primaryId = "primary";
    private final Set<String> partitioned = new HashSet<>();
    private final Map<String, List<Runnable>> heldConnects = new HashMap<>();
    private final Map<String, List<Runnable>> heldByPaused = new HashMap<>();
    private final Set<String> paused = new HashSet<>();
    private final Map<String, Long> linkTail = new HashMap<>();
    private long dropped;
    private long duplicated;
    private long delayed;
    private long reordered;
    /** Extra latencies for the next SNAPSHOT_REQUESTs, one each ({@link SimCase.Kind#SLOW_SNAPSHOT}). */
    private final java.util.ArrayDeque<Long> snapshotRequestDelays = new java.util.ArrayDeque<>();
    private long slowSnapshots;

    SimNetwork(SimScheduler sched, Random rnd, Faults faults, Trace trace) {
        this.sched = sched;
        this.rnd = rnd;
        this.faults = faults;
        this.trace = trace;
    }

    synchronized void primary(String id) {
        primaryId = id;
    }

    synchronized String primary() {
        return primaryId;
    }

    void faults(Faults f) {
        this.faults = f;
    }

    /** Faults end: SNAPSHOT_REQUESTs are no longer held back. */
    synchronized void calm() {
        faults = Faults.NONE;
        snapshotRequestDelays.clear();
    }

    /** Message faults injected so far. */
    synchronized long injected() {
        return dropped + duplicated + delayed + reordered;
    }

    synchronized String summary() {
        return "dropped=" + dropped + " duplicated=" + duplicated + " delayed=" + delayed + " reordered=" + reordered
                + " slowSnapshots=" + slowSnapshots;
    }

    /** The next SNAPSHOT_REQUEST sent (by any pre-executor) takes {@code extraNanos} longer and is overtaken meanwhile. */
    synchronized void slowNextSnapshotRequest(long extraNanos) {
        snapshotRequestDelays.add(extraNanos);
    }

    /** SNAPSHOT_REQUESTs held back so far. */
    synchronized long slowSnapshots() {
        return slowSnapshots;
    }

    @Override
    public synchronized void dispatch(InMemoryTransport.Delivery d) {
        String from = d.from();
        String to = d.kind() == InMemoryTransport.Kind.CONNECT ? primaryId : d.to();
        boolean deadEnd = d.kind() == InMemoryTransport.Kind.DISCONNECT ? dead.contains(from)
                : dead.contains(from) || dead.contains(to);
        if (deadEnd) {
            return; // a dead machine neither sends, nor hears, nor learns (the living end still does)
        }
        String peer = from.startsWith("primary") ? to : from;
        if (d.kind() == InMemoryTransport.Kind.CONNECT) {
            if (partitioned.contains(peer)) {
                heldConnects.computeIfAbsent(peer, k -> new ArrayList<>()).add(d.run());
                return;
            }
            schedule(from, to, 1_000_000 + rnd.nextInt(1_000_000), d, false);
            return;
        }
        if (d.kind() == InMemoryTransport.Kind.MESSAGE || d.kind() == InMemoryTransport.Kind.HEARTBEAT) {
            if (partitioned.contains(peer)) {
                dropped++;
                return;
            }
        }
        Faults f = faults;
        boolean lossy = d.kind() == InMemoryTransport.Kind.MESSAGE
                && (d.type() == ClusterMessages.EXECUTE || d.type() == ClusterMessages.RESULT);
        if (lossy && rnd.nextDouble() < f.drop()) {
            dropped++;
            trace.add("drop", from, to, d.type());
            return;
        }
        long latency = 20_000 + rnd.nextInt(200_000);
        if (rnd.nextDouble() < f.delay()) {
            latency += 1_000_000 + rnd.nextInt(30_000_000);
            delayed++;
        }
        boolean overtake = rnd.nextDouble() < f.reorder();
        if (overtake) {
            reordered++;
        }
        if (d.kind() == InMemoryTransport.Kind.MESSAGE && d.type() == ClusterMessages.SNAPSHOT_REQUEST
                && !snapshotRequestDelays.isEmpty()) {
            latency += snapshotRequestDelays.poll();
            overtake = true; // later messages on the link do not wait behind it
            slowSnapshots++;
            trace.add("slow-snapshot-request", from, to);
        }
        schedule(from, to, latency, d, overtake);
        if (lossy && rnd.nextDouble() < f.duplicate()) {
            duplicated++;
            schedule(from, to, latency + rnd.nextInt(2_000_000), d, true);
        }
    }

    private void schedule(String from, String to, long latency, InMemoryTransport.Delivery d, boolean overtake) {
        String link = from + ">" + to;
        long at = sched.now() + latency;
        if (!overtake) {
            Long tail = linkTail.get(link);
            if (tail != null && tail > at) {
                at = tail;
            }
            linkTail.put(link, at);
        }
        String kind = d.kind().name();
        int type = d.type();
        sched.at(at - sched.now(), () -> deliver(from, to, kind, type, d.run()));
    }

    private void deliver(String from, String to, String kind, int type, Runnable run) {
        synchronized (this) {
            boolean disconnect = kind.equals(InMemoryTransport.Kind.DISCONNECT.name());
            if (disconnect ? dead.contains(from) : dead.contains(from) || dead.contains(to)) {
                return;
            }
            if (kind.equals(InMemoryTransport.Kind.CONNECT.name()) && partitioned.contains(from)) {
                heldConnects.computeIfAbsent(from, k -> new ArrayList<>()).add(run); // cut off meanwhile
                return;
            }
            String held = paused.contains(to) ? to : paused.contains(from) ? from : null;
            if (held != null) {
                heldByPaused.computeIfAbsent(held, k -> new ArrayList<>()).add(() -> deliver(from, to, kind, type, run));
                return;
            }
        }
        trace.add(kind, from, to, type);
        run.run();
    }

    /** {@code node} is dead: nothing to or from it is delivered again. */
    synchronized void kill(String node) {
        dead.add(node);
        paused.remove(node);
        heldByPaused.remove(node);
        heldConnects.remove(node);
    }

    synchronized void pause(String node) {
        paused.add(node);
    }

    /** Resumes a paused node: what waited for it is delivered now, in order. */
    void resume(String node) {
        List<Runnable> waiting;
        synchronized (this) {
            paused.remove(node);
            waiting = heldByPaused.remove(node);
        }
        if (waiting != null) {
            for (Runnable r : waiting) {
                sched.at(0, r);
            }
        }
    }

    synchronized void partition(String node) {
        partitioned.add(node);
    }

    /** Heals a partition: held connection attempts go ahead. */
    void heal(String node) {
        List<Runnable> held;
        synchronized (this) {
            partitioned.remove(node);
            held = heldConnects.remove(node);
        }
        if (held != null) {
            for (Runnable r : held) {
                sched.at(1_000_000, () -> connectUnlessPartitioned(node, r));
            }
        }
    }

    /** A held connection attempt goes ahead, unless {@code node} died or was cut off again meanwhile. */
    private void connectUnlessPartitioned(String node, Runnable connect) {
        synchronized (this) {
            if (dead.contains(node)) {
                return;
            }
            if (partitioned.contains(node)) {
                heldConnects.computeIfAbsent(node, k -> new ArrayList<>()).add(connect);
                return;
            }
        }
        connect.run();
    }

    synchronized boolean isPartitioned(String node) {
        return partitioned.contains(node);
    }
}
