package io.remora.primary.sim;

import io.remora.core.Transaction;
import io.remora.core.sched.Scheduling;
import io.remora.primary.CommitEffects;
import io.remora.primary.RemoraPrimary;
import io.remora.primary.SimAccess;
import io.remora.primary.internal.PrimaryRuntime;
import io.remora.transport.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The simulator's event loop and network, without faults, for scripted cluster tests outside this
 * package: a test builds its primary, cluster and pre-executors on {@link #node} clocks and
 * {@link #transport()}, then steps virtual time with {@link #runUntil} and {@link #commit}. Nothing
 * waits on the wall clock except a safety limit (a test whose condition never comes true fails
 * after {@link #WALL_LIMIT} instead of hanging).
 *
 * <p>Thread-safety: call from the test's thread only (events run on it).
 */
public final class SimLoop {
    /** Where a test's cluster binds (the network routes every connect to its node "primary"). */
    public static final String HOST = "sim-primary";
    public static final int PORT = 7000;
    /** The cluster's node id: the network's name for the primary. */
    public static final String PRIMARY = "primary";
    /** How long one {@link #runUntil} may take in real time before it gives up. */
    static final Duration WALL_LIMIT = Duration.ofSeconds(60);

    private final SimScheduler sched = new SimScheduler();
    private final InMemoryTransport transport;
    private final long heartbeatNanos;

    /**
     * A loop whose link latencies come from {@code seed}. The in-memory transport sends heartbeats
     * (a pre-executor's carries its load report) only when told: every endpoint sends one each
     * {@code heartbeatInterval}, as the real transport would at the components' configured interval.
     */
    public SimLoop(long seed, Duration heartbeatInterval) {
        SimNetwork network = new SimNetwork(sched, new Random(seed), SimNetwork.Faults.NONE, new Trace(sched));
        transport = new InMemoryTransport(network);
        heartbeatNanos = heartbeatInterval.toNanos();
        sched.at(heartbeatNanos, this::heartbeats);
    }

    private void heartbeats() {
        transport.heartbeat();
        sched.at(heartbeatNanos, this::heartbeats);
    }

    /** The in-memory transport every component of the test must use. */
    public InMemoryTransport transport() {
        return transport;
    }

    /** A machine's clock and executors (one per component: the primary with its cluster, each pre-executor). */
    public Scheduling node(String name) {
        return sched.node(name);
    }

    /**
     * Runs events until {@code condition} holds; fails with {@code message} if it does not within
     * {@code virtual} of simulated time, or if a task threw.
     */
    public void runUntil(Duration virtual, BooleanSupplier condition, Supplier<String> message) {
        long until = sched.now() + virtual.toNanos();
        long wallDeadline = System.nanoTime() + WALL_LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            checkNoTaskThrew();
            if (sched.now() >= until || System.nanoTime() - wallDeadline > 0) {
                throw new AssertionError(message.get() + " (after " + (sched.now() - SimScheduler.EPOCH) / 1_000_000
                        + " virtual ms)");
            }
            if (!sched.runNext(until)) {
                sched.advanceTo(until);
            }
        }
        checkNoTaskThrew();
    }

    /** Runs every event of the next {@code virtual} of simulated time. */
    public void runFor(Duration virtual) {
        sched.runFor(virtual.toNanos());
        checkNoTaskThrew();
    }

    /**
     * Hands commit {@code index} to {@code primary} and steps the loop while the primary waits for
     * results; returns its effects (its observers, the cluster among them, have been called).
     */
    public CommitEffects commit(RemoraPrimary primary, long index, List<Transaction> txs)
            throws InterruptedException, ExecutionException, TimeoutException {
        PrimaryRuntime rt = SimAccess.runtime(primary);
        long[] seen = {rt.resultWaitEntries()};
        CompletableFuture<CommitEffects> f = primary.submitCommit(index, txs);
        sched.stepWhileWaiting(rt, f, seen);
        return f.get(WALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkNoTaskThrew() {
        List<Throwable> thrown = sched.uncaught();
        if (!thrown.isEmpty()) {
            AssertionError e = new AssertionError("a simulated task threw: " + thrown.get(0), thrown.get(0));
            thrown.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
