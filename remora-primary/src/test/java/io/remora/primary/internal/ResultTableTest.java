package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.primary.OfferOutcome;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The result table on a virtual clock: no test here depends on wall-clock time. */
class ResultTableTest {
    static final Workload W = Workloads.transfers(3, 4).take(8);
    static final TransactionExecutor EXEC = BuiltinEngine.executor("pre");

    final AtomicLong clock = new AtomicLong(1_000);
    final MetricsCounters metrics = new MetricsCounters();

    static PreExecResult result(int i) {
        return EXEC.preExecute(W.transactions().get(i), W.genesisStore(), 0);
    }

    @Test
    void shouldHandOutHeldResultsInPositionOrderAndMarkTheirTransactionsExecuted() throws Exception {
        ResultTable t = new ResultTable(16, metrics, clock::get);
        PreExecResult r1 = result(1);
        assertEquals(OfferOutcome.ACCEPTED, t.offer(r1));
        assertEquals(OfferOutcome.DUPLICATE, t.offer(result(1)));
        // Deadline already passed: no waiting, the missing slot stays null.
        PreExecResult[] got = t.collect(W.transactions().subList(0, 2), clock.get());
        assertNull(got[0]);
        assertSame(r1, got[1]);
        assertEquals(OfferOutcome.LATE, t.offer(result(0)));
        assertEquals(OfferOutcome.LATE, t.offer(r1));
        assertEquals(0, t.held());
        assertEquals(1, metrics.resultsDuplicate.sum());
        assertEquals(2, metrics.resultsLate.sum());
    }

    @Test
    void shouldEvictTheOldestResultWhenFull() throws Exception {
        ResultTable t = new ResultTable(2, metrics, clock::get);
        for (int i = 0; i < 5; i++) {
            t.offer(result(i));
        }
        assertEquals(3, metrics.resultsDropped.sum());
        PreExecResult[] got = t.collect(W.transactions().subList(0, 5), clock.get());
        assertArrayEquals(new boolean[] {false, false, false, true, true}, present(got));
    }

    @Test
    void shouldDropAResultOnceCapacityNewerOnesWereOfferedEvenIfOthersWereTaken() throws Exception {
        ResultTable t = new ResultTable(2, metrics, clock::get);
        t.offer(result(0));
        t.offer(result(1));
        PreExecResult[] first = t.collect(W.transactions().subList(1, 2), clock.get());
        assertArrayEquals(new boolean[] {true}, present(first));
        assertEquals(1, t.held());
        // Two offers after result 0: it is the oldest of the last two offers' window, so it goes.
        t.offer(result(2));
        assertEquals(1, metrics.resultsDropped.sum());
        t.offer(result(3));
        assertEquals(1, metrics.resultsDropped.sum(), "result 1 was taken, not dropped");
        assertEquals(2, t.held());
        PreExecResult[] got = t.collect(List.of(W.transactions().get(0), W.transactions().get(2),
                W.transactions().get(3)), clock.get());
        assertArrayEquals(new boolean[] {false, true, true}, present(got));
        assertEquals(0, t.held());
    }

    @Test
    void shouldNeverHoldMoreThanItsCapacity() {
        ResultTable t = new ResultTable(3, metrics, clock::get);
        for (int i = 0; i < 8; i++) {
            t.offer(result(i));
            assertEquals(Math.min(i + 1, 3), t.held());
        }
        assertEquals(5, metrics.resultsDropped.sum());
    }

    @Test
    void shouldWakeTheWaitingCommitWhenItsLastResultArrives() throws Exception {
        ResultTable t = new ResultTable(16, metrics, clock::get);
        List<Transaction> txs = W.transactions().subList(0, 3);
        PreExecResult[][] out = new PreExecResult[1][];
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                out[0] = t.collect(txs, Long.MAX_VALUE); // would wait forever without the offers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 2; i >= 0; i--) {
            t.offer(result(i));
        }
        waiter.join();
        assertArrayEquals(new boolean[] {true, true, true}, present(out[0]));
    }

    private static boolean[] present(PreExecResult[] rs) {
        boolean[] b = new boolean[rs.length];
        for (int i = 0; i < rs.length; i++) {
            b[i] = rs[i] != null;
        }
        return b;
    }
}
