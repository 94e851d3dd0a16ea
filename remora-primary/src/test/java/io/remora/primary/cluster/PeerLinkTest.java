package io.remora.primary.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.protocol.LoadReport;
import org.junit.jupiter.api.Test;

/**
 * Stalls: a peer with work outstanding and no answer for the timeout stops being routable, and
 * becomes routable again when it answers, or when it reports itself alive with nothing unanswered
 * (its answers were lost on the way), after a wait that doubles for each stall in a row no answer
 * interrupted. Times are explicit nanoseconds, so nothing here depends on the clock.
 */
class PeerLinkTest {
    private static final long MS = 1_000_000L;
    private static final long TIMEOUT = 500 * MS;

    private static LoadReport report(int queueDepth) {
        return new LoadReport(LoadReport.FLAG_SYNCED, 1, queueDepth, 8_000, 10);
    }

    /** Sends work at {@code now}, lets it go unanswered past the timeout; returns when it stalled. */
    private static long stallAt(PeerLink p, long now) {
        p.workSent(now);
        assertFalse(p.stalled(now + TIMEOUT, TIMEOUT), "not stalled at exactly the timeout");
        long at = now + TIMEOUT + 1;
        assertTrue(p.stalled(at, TIMEOUT));
        assertFalse(p.routable());
        assertFalse(p.stalled(at + TIMEOUT * 10, TIMEOUT), "one stall is reported once");
        return at;
    }

    @Test
    void shouldEndAStallByAnIdleReportAfterAWaitThatDoublesForEachSilentStall() {
        PeerLink p = AdmissionRouterTest.peer("pre-a");
        p.reported(report(0));
        assertTrue(p.routable());
        long now = 1_000 * MS;
        for (int n = 1; n <= PeerLink.MAX_BACKOFF_SHIFT + 3; n++) {
            long at = stallAt(p, now);
            long wait = TIMEOUT << Math.min(n - 1, PeerLink.MAX_BACKOFF_SHIFT);
            assertFalse(p.idleAfterStall(report(3), at + wait * 4, TIMEOUT), "a peer still working is not idle");
            assertFalse(p.idleAfterStall(report(0), at + wait - 1, TIMEOUT), "stall " + n + " ended before " + wait / MS + " ms");
            assertFalse(p.routable());
            assertTrue(p.idleAfterStall(report(0), at + wait, TIMEOUT), "stall " + n + " not ended after " + wait / MS + " ms");
            assertTrue(p.routable());
            assertFalse(p.idleAfterStall(report(0), at + wait + 1, TIMEOUT), "one stall ends once");
            now = at + wait + 1;
        }
        // An answer resets the backoff: the next stall may end after one timeout again.
        p.workSent(now);
        assertFalse(p.answered(now + MS), "it was not stalled");
        long at = stallAt(p, now + 2 * MS);
        assertTrue(p.idleAfterStall(report(0), at + TIMEOUT, TIMEOUT));
    }

    @Test
    void shouldEndAStallAtOnceWhenThePeerAnswers() {
        PeerLink p = AdmissionRouterTest.peer("pre-a");
        p.reported(report(0));
        long at = stallAt(p, 1_000 * MS);
        assertTrue(p.answered(at + MS));
        assertTrue(p.routable());
        assertFalse(p.idleAfterStall(report(0), at + TIMEOUT * 100, TIMEOUT), "not stalled any more");
    }

    @Test
    void shouldNotTakeAPeerWithoutOutstandingWorkForStalled() {
        PeerLink p = AdmissionRouterTest.peer("pre-a");
        p.reported(report(0));
        assertFalse(p.stalled(TIMEOUT * 100, TIMEOUT));
        assertFalse(p.idleAfterStall(report(0), TIMEOUT * 200, TIMEOUT));
        assertTrue(p.routable());
    }
}
