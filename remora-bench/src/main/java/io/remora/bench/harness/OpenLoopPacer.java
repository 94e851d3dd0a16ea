package io.remora.bench.harness;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The schedule of an open-loop load: at a fixed rate, submission {@code i} is due at
 * {@code start + i * 10^9 / rate} nanoseconds, whatever happened to earlier ones. The generator waits
 * for a slot only if it is early; when it is late (the system under test slowed it down), it submits
 * at once and the latency is still measured from the scheduled time, so a stall is charged to every
 * submission it delayed (no coordinated omission).
 *
 * <p>A {@linkplain #steps stepped} schedule (the elastic run) is the same, piecewise: step {@code k}
 * holds its rate from the end of step {@code k - 1} for its duration, and the last step's rate goes
 * on after its end.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenLoopPacer {
    /** One step of a stepped load: {@code rate} tx/s for {@code duration}. */
    public record Step(double rate, Duration duration) {
        public Step {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("rate=" + rate + " (expected: > 0)");
            }
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration=" + duration + " (expected: > 0)");
            }
        }

        /**
         * Parses {@code RATE:DURATION,...}, e.g. {@code 500:10s,2000:20s,500:30s} (durations as
         * {@code 250ms}, {@code 10s} or {@code 2m}).
         */
        public static List<Step> parse(String spec) {
            if (spec == null || spec.isBlank()) {
                throw new IllegalArgumentException("--steps: empty (expected: RATE:DURATION,..., e.g. 500:10s,2000:20s)");
            }
            List<Step> out = new java.util.ArrayList<>();
            for (String part : spec.split(",", -1)) {
                String[] rd = part.trim().split(":");
                if (rd.length != 2) {
                    throw new IllegalArgumentException("--steps: '" + part + "' (expected: RATE:DURATION, e.g. 2000:20s)");
                }
                double rate;
                try {
                    rate = Double.parseDouble(rd[0].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--steps: rate '" + rd[0] + "' is not a number", e);
                }
                out.add(new Step(rate, duration(rd[1].trim())));
            }
            if (out.size() > MAX_STEPS) {
                throw new IllegalArgumentException("--steps: " + out.size() + " (expected: at most " + MAX_STEPS + ")");
            }
            return List.copyOf(out);
        }

        /** The steps' durations added up. */
        public static Duration total(List<Step> steps) {
            return steps.stream().map(Step::duration).reduce(Duration.ZERO, Duration::plus);
        }

        private static Duration duration(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("--steps: duration '" + s + "' (expected: e.g. 250ms, 10s, 2m)");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
    }

    /** Most steps a schedule may have. */
    public static final int MAX_STEPS = 64;

    private final long startNanos;
    /** Per step: its first submission's index, its start (ns after startNanos) and its period. */
    private final long[] firstIndex;
    private final long[] firstOffset;
    private final double[] nanosPer;

    public OpenLoopPacer(double ratePerSecond, long startNanos) {
        this(List.of(new Step(ratePerSecond, Duration.ofDays(365))), startNanos);
    }

    private OpenLoopPacer(List<Step> steps, long startNanos) {
        if (steps.isEmpty() || steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("steps=" + steps.size() + " (expected: 1.." + MAX_STEPS + ")");
        }
        this.startNanos = startNanos;
        int n = steps.size();
        firstIndex = new long[n];
        firstOffset = new long[n];
        nanosPer = new double[n];
        long index = 0;
        long offset = 0;
        for (int k = 0; k < n; k++) {
            Step s = steps.get(k);
            firstIndex[k] = index;
            firstOffset[k] = offset;
            nanosPer[k] = 1e9 / s.rate();
            long d = s.duration().toNanos();
            index += (long) Math.ceil(d / nanosPer[k] - 1e-9); // submissions due in [offset, offset + d)
            offset += d;
        }
    }

    /** A stepped schedule from {@code startNanos}: each step's rate for its duration, the last one's after it. */
    public static OpenLoopPacer steps(List<Step> steps, long startNanos) {
        return new OpenLoopPacer(List.copyOf(steps), startNanos);
    }

    /** When submission {@code i} (0-based) is due. */
    public long scheduledNanos(long i) {
        int k = firstIndex.length - 1;
        while (k > 0 && firstIndex[k] > i) {
            k--;
        }
        return startNanos + firstOffset[k] + Math.round((i - firstIndex[k]) * nanosPer[k]);
    }

    /** How many submissions are due in {@code [start, start + durationNanos)}. */
    public long submissionsWithin(long durationNanos) {
        int k = firstIndex.length - 1;
        while (k > 0 && firstOffset[k] >= durationNanos) {
            k--;
        }
        long within = durationNanos - firstOffset[k];
        return firstIndex[k] + (within <= 0 ? 0 : (long) Math.ceil(within / nanosPer[k] - 1e-9));
    }

    /** Waits (parks) until submission {@code i} is due on {@code clock}; returns its scheduled time. */
    public long awaitSlot(long i, LongSupplier clock) {
        long due = scheduledNanos(i);
        long wait;
        while ((wait = due - clock.getAsLong()) > 0) {
            LockSupport.parkNanos(wait);
        }
        return due;
    }
}
