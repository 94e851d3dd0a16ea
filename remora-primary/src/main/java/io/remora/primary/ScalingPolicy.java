package io.remora.primary;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * When to add or remove pre-executors, from signals the primary has anyway (HPA-like).
 *
 * <p>Each evaluation makes a raw recommendation:
 * <ul>
 *   <li>no transactions in the period: {@code minPreExecutors} (idle);</li>
 *   <li>transactions but no pre-executor: {@code max(1, minPreExecutors)};</li>
 *   <li>otherwise {@code ceil(current x utilisation / targetUtilisation)}, where utilisation is the
 *       larger of the mean queue depth over {@code targetQueueDepth} (a pre-executor holding that
 *       many unanswered transactions on average is fully used) and the mean share of their
 *       workers' time busy ({@linkplain ScalingSignals#meanBusy LOAD reports}, where they report
 *       it: a pool busy 95% of the time is near its limit before its queue shows it, and one busy
 *       30% of the time with an empty queue can do with fewer); and at least {@code current + 1} when
 *       more than {@code missThreshold} of the transactions had no result in time or could be
 *       routed nowhere (pre-executors that fall behind answer late before their queues show it),
 *       unless they all report their busy share and are mostly idle (the busiest one's, and the
 *       queue utilisation, below half the target, and nothing routed nowhere): then the misses are
 *       not their capacity (parked or hot transactions, a slow link) and the advice holds at
 *       {@code current};</li>
 * </ul>
 * clamped to {@code [minPreExecutors, maxPreExecutors]}; while pre-executors are
 * {@linkplain ScalingSignals#starting starting} (started, not synced yet) it does not rise above
 * {@code current}, for at most {@code startupGrace} from when they began starting: their capacity is
 * on its way and not in the signals yet, and a start costs CPU where the load already is (a JVM
 * compiling), so asking for more on the misses they leave would pile up starts (Kubernetes' HPA
 * likewise ignores pods that are not ready yet). The advice then follows the
 * recommendations with hysteresis: it rises to the <em>lowest</em> recommendation of the last
 * {@code scaleUpWindow} (so a rise must hold for that long; 0 scales up at once), and falls by one
 * when the <em>highest</em> recommendation of the last {@code scaleDownWindow} is lower (so a fall
 * waits until load has stayed low for that long), at most one per {@code scaleDownWindow}; while
 * more than half of {@code missThreshold} of the transactions miss their results, it does not fall.
 * A window counts only once evaluations cover it.
 *
 * <p>Thread-safety: not thread-safe; one evaluator (the autoscaler's thread).
 */
public final class ScalingPolicy {
    private record Entry(long atNanos, int recommended) {
    }

    private final int min;
    private final int max;
    private final double targetQueueDepth;
    private final double targetUtilisation;
    private final double missThreshold;
    private final long upWindowNanos;
    private final long downWindowNanos;
    private final long startupGraceNanos;
    /** When pre-executors began starting (Long.MIN_VALUE: none is). */
    private long startingSinceNanos = Long.MIN_VALUE;
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private long firstNanos;
    private boolean started;
    private long lastDownNanos;
    private boolean downYet;

    private ScalingPolicy(Builder b) {
        this.min = b.min;
        this.max = b.max;
        this.targetQueueDepth = b.targetQueueDepth;
        this.targetUtilisation = b.targetUtilisation;
        this.missThreshold = b.missThreshold;
        this.upWindowNanos = b.scaleUpWindow.toNanos();
        this.downWindowNanos = b.scaleDownWindow.toNanos();
        this.startupGraceNanos = b.startupGrace.toNanos();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The advice at {@code nowNanos} (monotonic) for {@code current} running pre-executors. */
    public ScalingAdvice evaluate(long nowNanos, int current, ScalingSignals s) {
        if (current < 0) {
            throw new IllegalArgumentException("current=" + current + " (expected: >= 0)");
        }
        if (!started) {
            started = true;
            firstNanos = nowNanos;
        }
        int rec;
        String reason;
        if (s.transactions() == 0) {
            rec = min;
            reason = "idle: no transactions";
        } else if (current == 0 || s.preExecutors() == 0) {
            rec = Math.max(1, Math.max(min, current));
            reason = "transactions but no pre-executor able to take work";
        } else {
            double byQueue = s.meanQueueDepth() / targetQueueDepth;
            double utilisation = Math.max(byQueue, s.meanBusy());
            rec = (int) Math.ceil(current * utilisation / targetUtilisation - 1e-9);
            reason = s.meanBusy() < 0
                    ? String.format(Locale.ROOT, "mean queue depth %.1f of %.0f (utilisation %.2f, target %.2f)",
                    s.meanQueueDepth(), targetQueueDepth, utilisation, targetUtilisation)
                    : String.format(Locale.ROOT, "mean queue depth %.1f of %.0f, workers %.0f%% busy (utilisation %.2f, "
                    + "target %.2f)", s.meanQueueDepth(), targetQueueDepth, 100 * s.meanBusy(), utilisation,
                    targetUtilisation);
            double missed = Math.max(s.noResultShare(), s.localShare());
            if (missed > missThreshold && rec <= current) {
                // Idle: every able pre-executor reports its busy share and even the busiest is below
                // half the target (a mean would hide one saturated peer among idle ones), queues short
                // too, everything routed. Then the misses are not their capacity (parked or hot
                // transactions, a slow link): more of them would not help, fewer might hurt.
                boolean idle = s.maxBusy() >= 0 && Math.max(byQueue, s.maxBusy()) < targetUtilisation / 2
                        && s.localShare() <= missThreshold;
                rec = idle ? current : current + 1;
                reason = idle
                        ? String.format(Locale.ROOT, "holding: %.1f%% of transactions without a result in time, but the"
                                + " busiest workers %.0f%% busy and queues short (more pre-executors would not help)",
                        100 * s.noResultShare(), 100 * s.maxBusy())
                        : String.format(Locale.ROOT, "%.1f%% of transactions without a result in time, %.1f%% routed nowhere",
                        100 * s.noResultShare(), 100 * s.localShare());
            } else if (missed > missThreshold / 2 && rec < current) {
                // Hysteresis: between half the threshold and the threshold, hold (fewer would miss more).
                rec = current;
                reason = String.format(Locale.ROOT, "holding: %.1f%% of transactions without a result in time",
                        100 * missed);
            }
        }
        if (s.starting() == 0) {
            startingSinceNanos = Long.MIN_VALUE;
        } else if (startingSinceNanos == Long.MIN_VALUE) {
            startingSinceNanos = nowNanos;
        }
        if (rec > current && s.starting() > 0 && nowNanos - startingSinceNanos < startupGraceNanos) {
            rec = current;
            reason = String.format(Locale.ROOT, "holding: %d pre-executor(s) still starting (%s)", s.starting(), reason);
        }
        rec = Math.max(min, Math.min(max, rec));
        history.addLast(new Entry(nowNanos, rec));
        long keep = Math.max(upWindowNanos, downWindowNanos);
        while (history.size() > 1 && nowNanos - history.peekFirst().atNanos() > keep) {
            history.removeFirst();
        }
        int desired = current;
        int up = lowest(nowNanos, upWindowNanos);
        if (up > current) {
            desired = up;
        } else {
            int down = highest(nowNanos, downWindowNanos);
            if (down < current && (!downYet || nowNanos - lastDownNanos >= downWindowNanos)) {
                // Down one at a time, a window apart: the recommendations were made with more
                // pre-executors than will remain, and each one fewer loads the others more.
                desired = current - 1;
                downYet = true;
                lastDownNanos = nowNanos;
            }
        }
        desired = Math.max(min, Math.min(max, desired));
        return new ScalingAdvice(current, desired, rec, reason, s);
    }

    /** The lowest recommendation within the window, or -1 while evaluations do not cover it yet. */
    private int lowest(long now, long window) {
        if (now - firstNanos < window) {
            return -1;
        }
        int v = Integer.MAX_VALUE;
        for (Entry e : history) {
            if (now - e.atNanos() <= window) {
                v = Math.min(v, e.recommended());
            }
        }
        return v;
    }

    /** The highest recommendation within the window, or {@code Integer.MAX_VALUE} while not covered. */
    private int highest(long now, long window) {
        if (now - firstNanos < window) {
            return Integer.MAX_VALUE;
        }
        int v = Integer.MIN_VALUE;
        for (Entry e : history) {
            if (now - e.atNanos() <= window) {
                v = Math.max(v, e.recommended());
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ScalingPolicy{%d..%d pre-executors, target queue depth %.0f x %.2f, "
                        + "miss threshold %.2f, up window %d ms, down window %d ms, startup grace %d ms}", min, max,
                targetQueueDepth, targetUtilisation, missThreshold, upWindowNanos / 1_000_000, downWindowNanos / 1_000_000,
                startupGraceNanos / 1_000_000);
    }

    /** Options; each setter checks its argument ({@code name=value (expected: ...)}). */
    public static final class Builder {
        private int min = 0;
        private int max = 16;
        private double targetQueueDepth = 64;
        private double targetUtilisation = 0.8;
        private double missThreshold = 0.05;
        private Duration scaleUpWindow = Duration.ofSeconds(1);
        private Duration scaleDownWindow = Duration.ofSeconds(30);
        private Duration startupGrace = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Fewest and most pre-executors (0 <= min <= max <= 1024). Defaults: 0 and 16. */
        public Builder preExecutors(int min, int max) {
            if (min < 0 || max < 1 || min > max || max > 1024) {
                throw new IllegalArgumentException("preExecutors=" + min + ".." + max + " (expected: 0 <= min <= max, 1 <= max <= 1024)");
            }
            this.min = min;
            this.max = max;
            return this;
        }

        /** Queue depth at which a pre-executor counts as fully used (> 0). Default: 64 transactions. */
        public Builder targetQueueDepth(double depth) {
            if (!(depth > 0) || Double.isInfinite(depth)) {
                throw new IllegalArgumentException("targetQueueDepth=" + depth + " (expected: > 0)");
            }
            this.targetQueueDepth = depth;
            return this;
        }

        /** Utilisation to aim for (0 < u <= 1). Default: 0.8, as the Remora paper's scaler. */
        public Builder targetUtilisation(double u) {
            if (!(u > 0 && u <= 1)) {
                throw new IllegalArgumentException("targetUtilisation=" + u + " (expected: 0 < u <= 1)");
            }
            this.targetUtilisation = u;
            return this;
        }

        /** Share of transactions without a result in time, or routed nowhere, that asks for one more (0..1). Default: 0.05. */
        public Builder missThreshold(double share) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("missThreshold=" + share + " (expected: 0..1)");
            }
            this.missThreshold = share;
            return this;
        }

        /** How long a rise must hold (0..1 h). Default: 1 s. */
        public Builder scaleUpWindow(Duration window) {
            this.scaleUpWindow = window(window, "scaleUpWindow");
            return this;
        }

        /** How long load must stay low before a fall (0..1 h). Default: 30 s. */
        public Builder scaleDownWindow(Duration window) {
            this.scaleDownWindow = window(window, "scaleDownWindow");
            return this;
        }

        /**
         * How long pre-executors that are starting (not synced yet) hold the advice at the current
         * count (0..1 h; 0: never); past it, one that has not synced is taken for lost. Default: 30 s.
         */
        public Builder startupGrace(Duration grace) {
            this.startupGrace = window(grace, "startupGrace");
            return this;
        }

        private static Duration window(Duration d, String name) {
            if (d == null || d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + "=" + d + " (expected: 0..1 h)");
            }
            return d;
        }

        public ScalingPolicy build() {
            return new ScalingPolicy(this);
        }
    }
}
