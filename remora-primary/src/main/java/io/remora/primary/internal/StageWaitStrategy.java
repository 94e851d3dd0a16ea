package io.remora.primary.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Disruptor wait strategy that blocks for <em>upstream stages</em> as well as for the producer.
 *
 * <p>Why not {@code BlockingWaitStrategy}: it blocks only until the producer's cursor reaches the
 * wanted sequence, then busy-spins ({@code Thread.onSpinWait}) until the upstream stages get
 * there. In this pipeline an upstream stage takes milliseconds per commit (Block-STM, a RocksDB
 * write), so every downstream stage spun for the whole time: the publication stage alone used a
 * full core, which on a 2-core validator is half the machine (measured with JFR: 1,103 CPU samples
 * of the publish thread in {@code BlockingWaitStrategy.waitFor} against 784 for the persistence
 * stage's real work).
 *
 * <p>Protocol: a waiter checks its dependency under {@link #mutex} and waits on it; whoever moves a
 * sequence a waiter may depend on calls {@link #signalAllWhenBlocking()} <em>after</em> the move:
 * the sequencer does so on every publish, and every stage of {@link CommitPipeline} does so through
 * {@link StageHandler} once it has advanced its own sequence. Because the move happens before the
 * signaller takes the monitor, and the waiter re-checks under the monitor, no wake-up is lost.
 * Alerts (shutdown, halt) also signal, so waiters notice them.
 *
 * <p>Thread-safe. A signal costs a fence, plus a monitor enter when some stage is waiting.
 */
final class StageWaitStrategy implements WaitStrategy {
    private final Object mutex = new Object();
    /** Threads inside {@link #waitFor}'s monitor: a signal with none skips the monitor. */
    private final AtomicInteger waiters = new AtomicInteger();

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        synchronized (mutex) {
            waiters.incrementAndGet();
            // Store-load barrier (the JMM does not promise one from the atomic increment alone):
            // the re-check below reads the sequence only after the count is visible.
            VarHandle.fullFence();
            try {
                while ((available = dependentSequence.get()) < sequence) {
                    barrier.checkAlert();
                    mutex.wait();
                }
            } finally {
                waiters.decrementAndGet();
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        // The signaller moved a sequence with a release store; the fence orders it before reading
        // the waiter count (store-load), so either the waiter sees the new sequence or we see it.
        VarHandle.fullFence();
        if (waiters.get() > 0) {
            synchronized (mutex) {
                mutex.notifyAll();
            }
        }
    }
}
