package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A stage blocked on an upstream sequence wakes when that sequence moves and is signalled, and when
 * it is alerted (shutdown). The waits are bounded by joins so that a lost wake-up fails the test
 * instead of hanging it; nothing here measures time.
 */
class StageWaitStrategyTest {
    /** The parts of a barrier {@code waitFor} uses: the alert flag. */
    static final class Barrier implements SequenceBarrier {
        volatile boolean alerted;

        @Override
        public long waitFor(long sequence) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCursor() {
            return -1;
        }

        @Override
        public boolean isAlerted() {
            return alerted;
        }

        @Override
        public void alert() {
            alerted = true;
        }

        @Override
        public void clearAlert() {
            alerted = false;
        }

        @Override
        public void checkAlert() throws AlertException {
            if (alerted) {
                throw AlertException.INSTANCE;
            }
        }
    }

    @Test
    void shouldWakeAWaiterWhenItsUpstreamSequenceMovesAndIsSignalled() throws Exception {
        StageWaitStrategy w = new StageWaitStrategy();
        Sequence cursor = new Sequence(10);
        Sequence upstream = new Sequence(2);
        Barrier barrier = new Barrier();
        for (long target = 3; target < 203; target++) {
            long wanted = target;
            AtomicReference<Object> got = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    got.set(w.waitFor(wanted, cursor, upstream, barrier));
                } catch (Exception e) {
                    got.set(e);
                }
            });
            if (target % 2 == 0) {
                Thread.onSpinWait(); // vary the interleaving: sometimes the waiter is already blocked
            }
            upstream.set(wanted);
            w.signalAllWhenBlocking();
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "waiter for " + wanted + " missed its wake-up");
            assertEquals(wanted, got.get());
        }
    }

    @Test
    void shouldWakeAWaiterOnAlert() throws Exception {
        StageWaitStrategy w = new StageWaitStrategy();
        Sequence upstream = new Sequence(0);
        Barrier barrier = new Barrier();
        AtomicReference<Object> got = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                got.set(w.waitFor(5, upstream, upstream, barrier));
            } catch (Exception e) {
                got.set(e);
            }
        });
        barrier.alert();
        w.signalAllWhenBlocking(); // what ProcessingSequenceBarrier.alert() does after setting the flag
        waiter.join(10_000);
        assertFalse(waiter.isAlive(), "an alerted waiter must wake");
        assertInstanceOf(AlertException.class, got.get());
    }

    @Test
    void shouldReturnAtOnceWhenTheSequenceIsAlreadyThere() throws Exception {
        StageWaitStrategy w = new StageWaitStrategy();
        Sequence upstream = new Sequence(7);
        assertEquals(7, w.waitFor(5, upstream, upstream, new Barrier()));
    }
}
