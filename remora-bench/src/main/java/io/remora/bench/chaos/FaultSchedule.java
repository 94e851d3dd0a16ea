package io.remora.bench.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded fault schedule: for each kind, its count of faults spread over the middle of the run
 * (from 5% to 85% of the duration, one in each of as many equal slots, at a random point of it),
 * so that every kind happens throughout the run and the end of the run is fault-free (every
 * process back up, every commit drained).
 */
final class FaultSchedule {
    /** The kinds of fault. */
    enum Kind {
        /** SIGKILL a pre-executor and start a replacement at once. */
        PRE_KILL,
        /** SIGSTOP a pre-executor; SIGCONT it {@link Fault#stopMillis} later. */
        PRE_STOP,
        /** SIGKILL the primary and restart it on its data directory. */
        PRIMARY_KILL
    }

    /** One fault due {@code atMillis} after the start. */
    record Fault(long atMillis, Kind kind, long stopMillis) {
    }

    static final long MIN_STOP_MS = 200;
    static final long MAX_STOP_MS = 4000;

    private FaultSchedule() {
    }

    static List<Fault> generate(long seed, long durationMillis, int preKills, int preStops, int primaryKills) {
        Random rnd = new Random(seed ^ 0xfa017L);
        List<Fault> out = new ArrayList<>();
        add(out, rnd, durationMillis, preKills, Kind.PRE_KILL);
        add(out, rnd, durationMillis, preStops, Kind.PRE_STOP);
        add(out, rnd, durationMillis, primaryKills, Kind.PRIMARY_KILL);
        out.sort(Comparator.comparingLong(Fault::atMillis));
        return List.copyOf(out);
    }

    private static void add(List<Fault> out, Random rnd, long durationMillis, int count, Kind kind) {
        long from = durationMillis * 5 / 100;
        long to = durationMillis * 85 / 100;
        double slot = (double) (to - from) / Math.max(1, count);
        for (int i = 0; i < count; i++) {
            long at = from + (long) (slot * i + rnd.nextDouble() * slot);
            long stop = kind == Kind.PRE_STOP ? MIN_STOP_MS + (long) (rnd.nextDouble() * (MAX_STOP_MS - MIN_STOP_MS)) : 0;
            out.add(new Fault(at, kind, stop));
        }
    }
}
