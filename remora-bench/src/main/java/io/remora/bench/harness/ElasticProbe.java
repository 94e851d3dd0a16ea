package io.remora.bench.harness;

import io.remora.primary.PeerStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The elastic run's join and leave times ({@code remora bench --steps}): every {@value #SAMPLE_MS}
 * ms it lists the primary's pre-executors and remembers, per node id, when it was first listed
 * (connected), first synced, first had a result adopted ({@link PeerStatus#resultsAdopted}), and
 * last listed. {@link #summary} relates them to the load's steps: for each step, the pre-executors
 * that joined after it began (and before the next), each with its times from the step's start.
 *
 * <p>Thread-safety: its own thread samples; {@link #summary} after {@link #close}.
 */
final class ElasticProbe extends SamplingThread {
    static final int SAMPLE_MS = 50;

    /** What is known of one pre-executor (System.nanoTime; Long.MIN_VALUE: not yet). */
    static final class Peer {
        final String nodeId;
        final long connected;
        long synced = Long.MIN_VALUE;
        long firstAdopted = Long.MIN_VALUE;
        long lastSeen;

        Peer(String nodeId, long connected) {
            this.nodeId = nodeId;
            this.connected = connected;
            this.lastSeen = connected;
        }
    }

    private final Supplier<List<PeerStatus>> peers;
    private final Map<String, Peer> seen = new LinkedHashMap<>();
    private long lastSample = Long.MIN_VALUE;

    ElasticProbe(Supplier<List<PeerStatus>> peers) {
        super("remora-elastic-probe", SAMPLE_MS);
        this.peers = peers;
    }

    ElasticProbe start() {
        startSampling();
        return this;
    }

    @Override
    void sample() {
        sample(System.nanoTime(), peers.get());
    }

    /** One sample at {@code now} (the probe's thread; tests call it directly). */
    synchronized void sample(long now, List<PeerStatus> list) {
        lastSample = now;
        for (PeerStatus p : list) {
            if (p.quarantined()) {
                continue;
            }
            Peer e = seen.computeIfAbsent(p.nodeId(), id -> new Peer(id, now));
            e.lastSeen = now;
            if (e.synced == Long.MIN_VALUE && p.synced()) {
                e.synced = now;
            }
            if (e.firstAdopted == Long.MIN_VALUE && p.resultsAdopted() > 0) {
                e.firstAdopted = now;
            }
        }
    }

    synchronized List<Peer> peers() {
        return new ArrayList<>(seen.values());
    }

    /**
     * One line for the point's note: per step (starting at {@code stepStarts[k]}, System.nanoTime,
     * at {@code rates[k]} tx/s), the pre-executors that joined during it, with their connect, sync
     * and first-adoption times from the step's start, and those that left.
     */
    synchronized String summary(long[] stepStarts, double[] rates) {
        StringBuilder b = new StringBuilder("elastic run:");
        for (int k = 0; k < stepStarts.length; k++) {
            long from = stepStarts[k];
            long to = k + 1 < stepStarts.length ? stepStarts[k + 1] : Long.MAX_VALUE;
            b.append(String.format(Locale.ROOT, " step %d (%.0f tx/s from %.1f s):", k + 1, rates[k],
                    (from - stepStarts[0]) / 1e9));
            boolean any = false;
            for (Peer p : seen.values()) {
                if (p.connected - from >= 0 && (to == Long.MAX_VALUE || p.connected - to < 0)) {
                    b.append(String.format(Locale.ROOT, " %s joined: connected +%.2f s, synced %s, first adopted result %s;",
                            p.nodeId, (p.connected - from) / 1e9, since(p.synced, from), since(p.firstAdopted, from)));
                    any = true;
                }
                boolean left = p.lastSeen != lastSample;
                if (left && p.lastSeen - from >= 0 && (to == Long.MAX_VALUE || p.lastSeen - to < 0)) {
                    b.append(String.format(Locale.ROOT, " %s left at +%.2f s;", p.nodeId, (p.lastSeen - from) / 1e9));
                    any = true;
                }
            }
            if (!any) {
                b.append(" no pre-executor joined or left;");
            }
        }
        return b.substring(0, b.length() - 1); // without the last ';' (the note joins with "; ")
    }

    private static String since(long t, long from) {
        return t == Long.MIN_VALUE ? "never" : String.format(Locale.ROOT, "+%.2f s", (t - from) / 1e9);
    }
}
