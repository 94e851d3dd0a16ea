package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Transaction;
import io.remora.primary.OfferOutcome;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The adaptive result wait, on a virtual clock: grows for catchable lateness, ignores the hopeless, shrinks back. */
class ResultWaitPolicyTest {
    private static final long MS = 1_000_000L;
    private final MetricsCounters metrics = new MetricsCounters();

    @Test
    void shouldStayFixedWhenMinEqualsMax() {
        ResultWaitPolicy p = new ResultWaitPolicy(20 * MS, 20 * MS, metrics);
        for (int i = 0; i < 100; i++) {
            p.late(5 * MS);
        }
        assertEquals(20 * MS, p.nextWait(100));
        assertEquals(20 * MS, metrics.snapshot().resultWaitTargetNanos());
    }

    @Test
    void shouldGrowByThe90thPercentileOfCatchableShortfallsAndShrinkBack() {
        ResultWaitPolicy p = new ResultWaitPolicy(10 * MS, 80 * MS, metrics);
        assertEquals(10 * MS, p.nextWait(100));
        for (int i = 1; i <= 10; i++) {
            p.late(i * MS); // shortfalls 1..10 ms: the 90th percentile is 10 ms
        }
        assertEquals(20 * MS, p.nextWait(100));
        assertEquals(20 * MS, metrics.snapshot().resultWaitTargetNanos());
        // No late result: the excess over min shrinks by 1/16 per commit, never below min.
        long w = p.nextWait(100);
        assertEquals(20 * MS - 10 * MS / 16, w);
        for (int i = 0; i < 500; i++) {
            w = p.nextWait(100);
        }
        assertTrue(w >= 10 * MS && w < 10 * MS + 16, "back near min: " + w);
        // Growth stops at max: once the wait plus a shortfall exceeds it, those results count as
        // hopeless and the wait shrinks again, so it hovers just below max and never passes it.
        long highest = 0;
        for (int c = 0; c < 40; c++) {
            for (int i = 0; i < 10; i++) {
                p.late(5 * MS);
            }
            w = p.nextWait(100);
            highest = Math.max(highest, w);
            assertTrue(w <= 80 * MS, "above max: " + w);
        }
        assertTrue(highest > 75 * MS, "grew to near max: " + highest);
        assertTrue(w > 70 * MS, "near max: " + w);
    }

    @Test
    void shouldIgnoreLatenessThatEvenTheMaximumWouldMissAndSingleStragglers() {
        ResultWaitPolicy p = new ResultWaitPolicy(10 * MS, 50 * MS, metrics);
        p.nextWait(1000);
        for (int i = 0; i < 100; i++) {
            p.late(500 * MS); // hopeless: 10 + 500 > 50
        }
        assertEquals(10 * MS, p.nextWait(1000));
        p.late(5 * MS); // one straggler among 1,000 transactions: below 1%
        assertEquals(10 * MS, p.nextWait(1000));
        for (int i = 0; i < 10; i++) {
            p.late(5 * MS); // 1%: grows
        }
        assertEquals(15 * MS, p.nextWait(1000));
    }

    @Test
    void shouldRejectBoundsOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> new ResultWaitPolicy(10, 5, metrics));
        assertThrows(IllegalArgumentException.class, () -> new ResultWaitPolicy(-1, 5, metrics));
    }

    @Test
    void shouldLearnFromResultsThatMissedTheirCommitInTheResultTable() throws Exception {
        AtomicLong clock = new AtomicLong(1_000 * MS);
        ResultTable t = new ResultTable(64, metrics, clock::get);
        t.waitPolicy(new ResultWaitPolicy(5 * MS, 100 * MS, metrics));
        t.peerConnected("p1");
        List<Transaction> txs = ResultTableTest.W.transactions().subList(0, 4);
        txs.forEach(tx -> t.expect(tx.digest(), "p1"));
        long arrival = clock.get();
        long deadline = t.waitDeadline(arrival, txs.size());
        assertEquals(arrival + 5 * MS, deadline);
        clock.set(deadline); // the deadline has passed: collected without the results (timed out)
        t.collect(txs, deadline);
        clock.addAndGet(7 * MS); // the results come 7 ms after the commit gave up on them
        for (int i = 0; i < txs.size(); i++) {
            assertEquals(OfferOutcome.LATE, t.offer(ResultTableTest.result(i), "p1"));
        }
        assertEquals(arrival + 12 * MS, t.waitDeadline(arrival, 4), "grown by the 7-ms shortfall");
        // A late result for a transaction that was not waited for (routed nowhere) teaches nothing.
        List<Transaction> unrouted = ResultTableTest.W.transactions().subList(4, 6);
        t.collect(unrouted, clock.get());
        clock.addAndGet(3 * MS);
        assertEquals(OfferOutcome.LATE, t.offer(ResultTableTest.result(4), "p1"));
        long shrunk = 12 * MS - 7 * MS / 16;
        assertEquals(arrival + shrunk, t.waitDeadline(arrival, 2));
    }
}
