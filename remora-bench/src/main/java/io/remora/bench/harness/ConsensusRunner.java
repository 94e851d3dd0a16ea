package io.remora.bench.harness;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Drives a {@link SimulatedConsensus} on the wall clock ({@link System#nanoTime()}): one thread,
 * {@code remora-consensus}, hands each commit to the sink when it is due, in index order.
 *
 * <p>Thread-safe: {@link #finish} may be called from any thread.
 */
public final class ConsensusRunner implements AutoCloseable {
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SimulatedConsensus<Integer> consensus;
    private final Consumer<SimulatedConsensus.Commit<Integer>> sink;
    private final Thread thread;
    private volatile boolean finishing;
    private volatile boolean closed;
    private volatile Throwable failure;

    public ConsensusRunner(SimulatedConsensus<Integer> consensus, Consumer<SimulatedConsensus.Commit<Integer>> sink) {
        this.consensus = consensus;
        this.sink = sink;
        this.thread = new Thread(this::run, "remora-consensus");
        this.thread.setDaemon(true);
    }

    public ConsensusRunner start() {
        thread.start();
        return this;
    }

    /** Delivers what is still pending, then stops; false if it did not finish within the timeout. */
    public boolean finish(long timeoutMillis) throws InterruptedException {
        finishing = true;
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }

    /** The exception that stopped the runner, or null. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            while (!closed) {
                long now = System.nanoTime();
                for (SimulatedConsensus.Commit<Integer> c : consensus.poll(now)) {
                    sink.accept(c);
                }
                if (finishing && consensus.isIdle()) {
                    return;
                }
                long wait = consensus.nextEventNanos() - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, MAX_PARK_NANOS));
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
