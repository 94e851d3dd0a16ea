package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        PreExecResult[] got = t.collect(W.transactions().subList(0, 2), clock.get()).usable;
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
        PreExecResult[] got = t.collect(W.transactions().subList(0, 5), clock.get()).usable;
        assertArrayEquals(new boolean[] {false, false, false, true, true}, present(got));
    }

    @Test
    void shouldDropAResultOnceCapacityNewerOnesWereOfferedEvenIfOthersWereTaken() throws Exception {
        ResultTable t = new ResultTable(2, metrics, clock::get);
        t.offer(result(0));
        t.offer(result(1));
        PreExecResult[] first = t.collect(W.transactions().subList(1, 2), clock.get()).usable;
        assertArrayEquals(new boolean[] {true}, present(first));
        assertEquals(1, t.held());
        // Two offers after result 0: it is the oldest of the last two offers' window, so it goes.
        t.offer(result(2));
        assertEquals(1, metrics.resultsDropped.sum());
        t.offer(result(3));
        assertEquals(1, metrics.resultsDropped.sum(), "result 1 was taken, not dropped");
        assertEquals(2, t.held());
        PreExecResult[] got = t.collect(List.of(W.transactions().get(0), W.transactions().get(2),
                W.transactions().get(3)), clock.get()).usable;
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
        txs.forEach(tx -> t.expectFromHost(tx.digest()));
        PreExecResult[][] out = new PreExecResult[1][];
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                out[0] = t.collect(txs, Long.MAX_VALUE).usable; // would wait forever without the offers
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

    @Test
    void shouldNotWaitForResultsThatCannotComeAndWakeWhenTheirPeerLeaves() throws Exception {
        ResultTable t = new ResultTable(16, metrics, clock::get);
        List<Transaction> txs = W.transactions().subList(0, 2);
        txs.forEach(tx -> t.expect(tx.digest(), "p1"));
        // p1 is not connected: nothing can come, no wait even with an unbounded deadline.
        assertArrayEquals(new boolean[] {false, false}, present(t.collect(txs, Long.MAX_VALUE).usable));
        List<Transaction> next = W.transactions().subList(2, 4);
        t.peerConnected("p1");
        next.forEach(tx -> t.expect(tx.digest(), "p1"));
        PreExecResult[][] out = new PreExecResult[1][];
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                out[0] = t.collect(next, Long.MAX_VALUE).usable;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(OfferOutcome.ACCEPTED, t.offer(result(2), "p1"));
        t.peerDisconnected("p1"); // the other one can no longer come: the waiter goes on
        waiter.join();
        assertArrayEquals(new boolean[] {true, false}, present(out[0]));
    }

    @Test
    void shouldTakeResultsOnlyFromThePeerATransactionWasRoutedTo() throws Exception {
        ResultTable t = new ResultTable(4, metrics, clock::get);
        Transaction tx = W.transactions().get(0);
        assertEquals(OfferOutcome.UNSOLICITED, t.offer(result(0), "p1"), "never routed");
        t.expect(tx.digest(), "p1");
        assertEquals(OfferOutcome.UNSOLICITED, t.offer(result(0), "p2"), "routed to another peer");
        // A flood of unsolicited results creates nothing and evicts nothing.
        for (int i = 1; i < 8; i++) {
            assertEquals(OfferOutcome.UNSOLICITED, t.offer(result(i), "p2"));
        }
        PreExecResult mine = result(0);
        assertEquals(OfferOutcome.ACCEPTED, t.offer(mine, "p1"));
        assertEquals(OfferOutcome.DUPLICATE, t.offer(result(0), "p1"));
        assertEquals(9, metrics.resultsUnsolicited.sum());
        assertSame(mine, t.collect(List.of(tx), clock.get()).usable[0]);
    }

    @Test
    void shouldIgnoreEverythingFromAQuarantinedPeerIncludingWhatItAlreadySent() throws Exception {
        ResultTable t = new ResultTable(8, metrics, clock::get);
        List<Transaction> txs = W.transactions().subList(0, 2);
        txs.forEach(tx -> t.expect(tx.digest(), "liar"));
        assertEquals(OfferOutcome.ACCEPTED, t.offer(result(0), "liar"));
        t.quarantine("liar");
        assertEquals(OfferOutcome.QUARANTINED, t.offer(result(1), "liar"));
        ResultTable.Collected got = t.collect(txs, clock.get());
        assertArrayEquals(new boolean[] {false, false}, present(got.usable));
        assertNull(got.claims[0], "a held result of a quarantined peer is not even a claim");
        t.readmit("liar");
        assertEquals(false, t.quarantined("liar"));
    }

    @Test
    void shouldUseCrossCheckedResultsOnlyWhenReplicasAgree() throws Exception {
        ResultTable t = new ResultTable(16, io.remora.primary.TrustMode.CROSS_CHECKED, 2, Long.MAX_VALUE,
                Long.MAX_VALUE, metrics, clock::get);
        List<Transaction> txs = W.transactions().subList(0, 4);
        txs.forEach(tx -> t.expect(tx.digest(), "a", "b"));
        // 0: both agree exactly -> adoptable. 1: one answer only -> nothing.
        t.offer(result(0), "a");
        t.offer(result(0), "b");
        t.offer(result(1), "a");
        // 2: effects differ (one on a stale state), signature verdict and precompiles agree -> hints only.
        t.offer(result(2), "a");
        t.offer(EXEC.preExecute(txs.get(2), new io.remora.core.store.InMemoryObjectStore(), 0), "b");
        // 3: the verdicts differ -> nothing.
        t.offer(result(3), "a");
        t.offer(PreExecResult.verifyOnly(txs.get(3).digest(), new io.remora.core.LookupTable(List.of(), List.of(),
                io.remora.core.Authenticator.invalid(txs.get(3), "b")), 0), "b");
        ResultTable.Collected got = t.collect(txs, clock.get());
        assertEquals(true, got.usable[0].isFull());
        assertNull(got.usable[1]);
        assertEquals(PreExecResult.Kind.VERIFY_ONLY, got.usable[2].kind());
        assertEquals(true, got.usable[2].lookupTable().authenticator().verifiedFor(txs.get(2)));
        assertNull(got.usable[3]);
        assertArrayEquals(new boolean[] {false, false, true, true}, got.disagreed);
        assertEquals(2, got.claims[3].length);
    }

    @Test
    void shouldBoundTheBytesEachSourceHoldsAndRefuseOversizedResults() throws Exception {
        long budget = 4096;
        ResultTable t = new ResultTable(64, io.remora.primary.TrustMode.TRUSTED, 1, budget, 3 * budget, metrics,
                clock::get);
        // A flood of results as big as the decoder allows would exhaust the heap; here each source
        // holds at most its budget, and what is over is refused, not stored.
        Transaction tx = W.transactions().get(0);
        int accepted = 0;
        for (int i = 0; i < 8; i++) {
            Transaction each = W.transactions().get(i);
            t.expect(each.digest(), "flooder");
            OfferOutcome o = t.offer(padded(result(i), 1500), "flooder");
            accepted += o == OfferOutcome.ACCEPTED ? 1 : 0;
            assertTrue(o == OfferOutcome.ACCEPTED || o == OfferOutcome.OVER_BUDGET, "" + o);
        }
        assertTrue(t.heldBytes("flooder") <= budget, "held " + t.heldBytes("flooder"));
        assertTrue(accepted >= 1 && accepted < 8, "accepted " + accepted);
        // Another source is not crowded out by the first one's budget.
        Transaction other = W.transactions().get(1);
        t.expect(other.digest(), "honest");
        // (slot 1 already holds the flooder's claim; the honest peer's is separate)
        assertEquals(OfferOutcome.ACCEPTED, t.offer(result(1), "honest"));
        // A result bigger than any honest one for a tiny gas budget.
        Transaction small = W.transactions().get(7);
        t.expect(small.digest(), 1, "honest2");
        assertEquals(OfferOutcome.OVERSIZED, t.offer(padded(result(7), 2_000_000), "honest2"));
        // Taking the slots releases the bytes.
        t.collect(W.transactions(), clock.get());
        assertEquals(0, t.heldBytes());
        assertEquals(tx.digest(), W.transactions().get(0).digest());
    }

    /** {@code r} with {@code extra} bytes of precompile output (still well-formed). */
    private static PreExecResult padded(PreExecResult r, int extra) {
        java.util.List<io.remora.core.PrecompileResult> ps = new java.util.ArrayList<>(r.lookupTable().precompiles());
        for (int left = extra; left > 0; left -= 4096) {
            ps.add(new io.remora.core.PrecompileResult(1, io.remora.core.Digest.of(left, 1, 1, 1), new byte[Math.min(4096, left)]));
        }
        io.remora.core.LookupTable table = new io.remora.core.LookupTable(r.lookupTable().reads(), ps,
                r.lookupTable().authenticator());
        return new PreExecResult(r.kind(), r.transaction(), r.watermark(), table, r.effects());
    }

    private static boolean[] present(PreExecResult[] rs) {
        boolean[] b = new boolean[rs.length];
        for (int i = 0; i < rs.length; i++) {
            b[i] = rs[i] != null;
        }
        return b;
    }
}
