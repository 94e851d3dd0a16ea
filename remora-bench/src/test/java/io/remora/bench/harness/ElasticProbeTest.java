package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.primary.PeerStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The elastic run's join and leave times, from samples of the primary's peer list (virtual time). */
class ElasticProbeTest {
    private static final long S = 1_000_000_000L;

    private static PeerStatus peer(String id, boolean synced, long adopted) {
        return new PeerStatus(id, synced, 0, 0, synced ? 1 : -1, 0, 10, adopted, adopted, 0, false, false);
    }

    @Test
    void shouldRelateJoinsAndLeavesToTheStepTheyHappenedIn() {
        ElasticProbe probe = new ElasticProbe(List::of);
        long t0 = 100 * S; // step 1 starts; pre-1 is there from before the measurement
        probe.sample(t0 - S, List.of(peer("pre-1", true, 5)));
        probe.sample(t0, List.of(peer("pre-1", true, 9)));
        // step 2 at t0 + 10 s: pre-2 connects 0.5 s in, syncs at 0.8 s, first adoption at 1.2 s
        probe.sample(t0 + 10 * S + S / 2, List.of(peer("pre-1", true, 20), peer("pre-2", false, 0)));
        probe.sample(t0 + 10 * S + 8 * S / 10, List.of(peer("pre-1", true, 30), peer("pre-2", true, 0)));
        probe.sample(t0 + 10 * S + 12 * S / 10, List.of(peer("pre-1", true, 40), peer("pre-2", true, 3)));
        // a quarantined peer is not counted as joining
        probe.sample(t0 + 11 * S, List.of(peer("pre-1", true, 40), peer("pre-2", true, 9),
                new PeerStatus("liar", false, 0, 0, -1, 0, 0, 0, 0, 0, false, true)));
        // step 3 at t0 + 30 s: pre-2 leaves 2 s in (last listed at +2.0 s)
        probe.sample(t0 + 32 * S, List.of(peer("pre-1", true, 50), peer("pre-2", true, 60)));
        probe.sample(t0 + 33 * S, List.of(peer("pre-1", true, 55)));
        String s = probe.summary(new long[] {t0, t0 + 10 * S, t0 + 30 * S}, new double[] {500, 2000, 500});
        assertTrue(s.contains("step 1 (500 tx/s from 0.0 s): no pre-executor joined or left;"), s);
        assertTrue(s.contains("step 2 (2000 tx/s from 10.0 s): pre-2 joined: connected +0.50 s, synced +0.80 s,"
                + " first adopted result +1.20 s;"), s);
        assertTrue(s.endsWith("step 3 (500 tx/s from 30.0 s): pre-2 left at +2.00 s"), s);
        assertTrue(!s.contains("liar"), s);
        assertEquals(2, probe.peers().size());
    }

    @Test
    void shouldSayNeverForWhatDidNotHappen() {
        ElasticProbe probe = new ElasticProbe(List::of);
        probe.sample(S, List.of(peer("pre-1", false, 0)));
        probe.sample(2 * S, List.of(peer("pre-1", false, 0)));
        String s = probe.summary(new long[] {0}, new double[] {1000});
        assertTrue(s.endsWith("pre-1 joined: connected +1.00 s, synced never, first adopted result never"), s);
    }

    @Test
    void shouldSampleOnItsOwnThreadUntilClosed() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ElasticProbe probe = new ElasticProbe(() -> {
            calls.incrementAndGet();
            return List.of(peer("pre-7", true, 1));
        }).start();
        long deadline = System.nanoTime() + 10 * S;
        while (calls.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        probe.close();
        int after = calls.get();
        assertTrue(after >= 2, "sampled " + after + " times");
        Thread.sleep(3 * ElasticProbe.SAMPLE_MS);
        assertEquals(after, calls.get(), "no sample after close");
        assertEquals("pre-7", probe.peers().get(0).nodeId);
    }
}
