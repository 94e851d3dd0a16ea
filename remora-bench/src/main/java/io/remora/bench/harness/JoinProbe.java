package io.remora.bench.harness;

import io.remora.primary.PeerStatus;
import io.remora.primary.PrimaryMetrics;
import io.remora.primary.RemoraPrimary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The join curve ({@code remora bench --replace-at T}): at {@code T} into the measured window it
 * SIGKILLs one pre-executor and starts a replacement at once, then records, every
 * {@value #SAMPLE_MS} ms, the primary's adopt ratio and what the newcomer has done (connected,
 * reported SYNCED, sent its first result).
 *
 * <pre>
 *  kill + launch ──► connected (the primary lists it) ──► synced (its LOAD says so) ──► first result
 *       t = 0              t_connect                          t_sync                      t_result
 *  (with a lazy join, synced comes before its snapshot is installed: its LOAD then reports a watermark)
 *                                             recovered: the adopt ratio over the last 500 ms is back to
 *                                             >= 90% of its level in the 3 s before the kill (t_recover)
 * </pre>
 *
 * With one pre-executor ({@code remora-1}) every adoption after the kill is the newcomer's once the
 * killed one's last results have been committed (the consensus delay), so the first adoption after
 * its first result is the newcomer's first useful result. With more, the others' adoptions mix in and
 * only the ratio's recovery is the newcomer's doing.
 *
 * <p>Thread-safety: its own thread samples and replaces; {@link #summary} and {@link #write} after
 * {@link #close}.
 */
final class JoinProbe extends SamplingThread {
    static final int SAMPLE_MS = 10;
    /** The adopt ratio before the kill is measured over this long. */
    static final long BASELINE_NANOS = 3_000_000_000L;
    /** The ratio's recovery is judged over windows this long. */
    static final long RECOVERY_WINDOW_NANOS = 500_000_000L;
    /** Recovered: back to this share of the level before the kill (issue 11). */
    static final double RECOVERED_SHARE = 0.9;

    /** One sample: time, the primary's cumulative adopted and executed, the newcomer's state. */
    private record Sample(long nanos, long adopted, long executed, int newcomerState, long newcomerResults,
                          boolean newcomerInstalled) {
    }

    private final RemoraPrimary primary;
    private final Admission admission;
    private final LongSupplier replaceAtNanos;
    private final List<Sample> samples = new ArrayList<>();
    private volatile long killedAt = Long.MIN_VALUE;
    private volatile String newcomer;
    private volatile String failure;

    /**
     * @param replaceAtNanos when (System.nanoTime) to replace one pre-executor; Long.MAX_VALUE while
     *                       not known yet (the warm-up has not ended)
     */
    JoinProbe(RemoraPrimary primary, Admission admission, LongSupplier replaceAtNanos) {
        super("remora-join-probe", SAMPLE_MS);
        this.primary = primary;
        this.admission = admission;
        this.replaceAtNanos = replaceAtNanos;
    }

    JoinProbe start() {
        startSampling();
        return this;
    }

    @Override
    void sample() {
        long now = System.nanoTime();
        if (killedAt == Long.MIN_VALUE && failure == null && now - replaceAtNanos.getAsLong() >= 0
                && replaceAtNanos.getAsLong() != Long.MAX_VALUE) {
            try {
                killedAt = System.nanoTime();
                newcomer = admission.replacePreExecutor();
            } catch (IOException | RuntimeException e) {
                failure = "replacement failed: " + e;
            }
        }
        PrimaryMetrics m = primary.metrics();
        int state = 0;
        long results = 0;
        boolean installed = false;
        String id = newcomer;
        if (id != null) {
            PeerStatus p = admission.peer(id);
            if (p != null) {
                state = p.synced() ? 2 : 1;
                results = p.resultsReceived();
                installed = p.watermark() >= 0; // its LOAD reports a watermark once a snapshot is in
            }
        }
        synchronized (samples) {
            samples.add(new Sample(now, m.adopted(), m.transactionsExecuted(), state, results, installed));
        }
    }

    /** Seconds from the kill, or NaN. */
    private double since(long t) {
        return t == Long.MIN_VALUE ? Double.NaN : (t - killedAt) / 1e9;
    }

    /** The join's figures, one line for the point's note. */
    String summary() {
        if (failure != null) {
            return failure;
        }
        if (killedAt == Long.MIN_VALUE) {
            return "replacement: not done (the measured window ended first)";
        }
        List<Sample> s = samples();
        long connected = Long.MIN_VALUE;
        long synced = Long.MIN_VALUE;
        long snapshot = Long.MIN_VALUE;
        long firstResult = Long.MIN_VALUE;
        long firstAdopted = Long.MIN_VALUE;
        long recovered = Long.MIN_VALUE;
        double baseline = ratio(s, killedAt - BASELINE_NANOS, killedAt);
        for (int i = 1; i < s.size(); i++) {
            Sample c = s.get(i);
            if (c.nanos < killedAt) {
                continue;
            }
            if (connected == Long.MIN_VALUE && c.newcomerState >= 1) {
                connected = c.nanos;
            }
            if (synced == Long.MIN_VALUE && c.newcomerState == 2) {
                synced = c.nanos;
            }
            if (snapshot == Long.MIN_VALUE && c.newcomerInstalled) {
                snapshot = c.nanos;
            }
            if (firstResult == Long.MIN_VALUE && c.newcomerResults > 0) {
                firstResult = c.nanos;
            } else if (firstResult != Long.MIN_VALUE && firstAdopted == Long.MIN_VALUE
                    && c.adopted > s.get(i - 1).adopted) {
                firstAdopted = c.nanos;
            }
            if (synced != Long.MIN_VALUE && recovered == Long.MIN_VALUE && c.nanos - synced >= RECOVERY_WINDOW_NANOS
                    && ratio(s, c.nanos - RECOVERY_WINDOW_NANOS, c.nanos) >= RECOVERED_SHARE * baseline) {
                recovered = c.nanos;
            }
        }
        return String.format(Locale.ROOT, "replacement %s: killed one and launched it at t=0; connected %.2f s, synced %.2f s,"
                        + " first result %.2f s, first adoption after it %.2f s; adopt ratio %.3f in the 3 s before,"
                        + " back to >= %.0f%% of it (over 500 ms) at %.2f s (%.2f s after it synced); its snapshot"
                        + " installed at %.2f s",
                newcomer, since(connected), since(synced), since(firstResult), since(firstAdopted), baseline,
                100 * RECOVERED_SHARE, since(recovered),
                recovered == Long.MIN_VALUE || synced == Long.MIN_VALUE ? Double.NaN : (recovered - synced) / 1e9,
                since(snapshot));
    }

    /**
     * Writes the curve as CSV: every 100 ms from 3 s before the kill, seconds since it, the adopt
     * ratio and executed tx/s over those 100 ms, and the newcomer's state (0 absent, 1 connected,
     * 2 synced) and results received.
     */
    void write(Path csv) throws IOException {
        List<Sample> s = samples();
        StringBuilder b = new StringBuilder("seconds_since_kill,adopt_ratio,executed_tps,newcomer_state,newcomer_results,"
                + "newcomer_snapshot_installed\n");
        if (killedAt != Long.MIN_VALUE) {
            long step = 100_000_000L;
            long end = s.isEmpty() ? killedAt : s.get(s.size() - 1).nanos;
            for (long t = killedAt - BASELINE_NANOS; t + step <= end; t += step) {
                Sample last = at(s, t + step);
                Sample first = at(s, t);
                double executed = last == null || first == null ? 0 : (last.executed - first.executed) / (step / 1e9);
                b.append(String.format(Locale.ROOT, "%.1f,%.3f,%.0f,%d,%d,%d%n", (t + step - killedAt) / 1e9,
                        ratio(s, t, t + step), executed, last == null ? 0 : last.newcomerState,
                        last == null ? 0 : last.newcomerResults, last != null && last.newcomerInstalled ? 1 : 0));
            }
        }
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, b);
    }

    private List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Adopted over executed between {@code from} and {@code to}; NaN if nothing executed. */
    private static double ratio(List<Sample> s, long from, long to) {
        Sample a = at(s, from);
        Sample b = at(s, to);
        if (a == null || b == null || b.executed == a.executed) {
            return Double.NaN;
        }
        return (double) (b.adopted - a.adopted) / (b.executed - a.executed);
    }

    /** The last sample at or before {@code t}, or the first if none is (samples are in time order). */
    private static Sample at(List<Sample> s, long t) {
        int lo = 0;
        int hi = s.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (s.get(mid).nanos - t <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 ? s.get(found) : s.isEmpty() ? null : s.get(0);
    }
}
