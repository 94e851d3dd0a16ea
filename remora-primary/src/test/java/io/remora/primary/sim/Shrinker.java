package io.remora.primary.sim;

import java.util.function.Function;

/**
 * Cuts a failing {@link SimCase} down to a small one that still fails: first the scheduled faults
 * (delta debugging: halves, quarters... then one at a time), then the per-message faults, then the
 * number of transactions (halving while it still fails). Each try is a whole run, so the budget is
 * bounded ({@link #MAX_RUNS}).
 */
final class Shrinker {
    static final int MAX_RUNS = 60;

    private Shrinker() {
    }

    static SimCase shrink(SimCase failing, Function<SimCase, ClusterSimulation.Outcome> run) {
        int[] runs = {0};
        Function<SimCase, Boolean> fails = c -> {
            runs[0]++;
            return run.apply(c).failed();
        };
        SimCase best = failing;
        // faults: remove chunks, from large to single
        for (int chunk = Math.max(1, best.activeCount() / 2); chunk >= 1 && runs[0] < MAX_RUNS; chunk /= 2) {
            boolean progress = true;
            while (progress && runs[0] < MAX_RUNS) {
                progress = false;
                int[] on = active(best.keep());
                for (int start = 0; start < on.length && runs[0] < MAX_RUNS; start += chunk) {
                    boolean[] k = best.keep().clone();
                    for (int i = start; i < Math.min(on.length, start + chunk); i++) {
                        k[on[i]] = false;
                    }
                    SimCase candidate = best.withKeep(k);
                    if (fails.apply(candidate)) {
                        best = candidate;
                        progress = true;
                        break;
                    }
                }
            }
            if (chunk == 1) {
                break;
            }
        }
        if (runs[0] < MAX_RUNS && !best.network().equals(SimNetwork.Faults.NONE)) {
            SimCase quiet = best.withNetwork(SimNetwork.Faults.NONE);
            if (fails.apply(quiet)) {
                best = quiet;
            }
        }
        while (runs[0] < MAX_RUNS && best.transactions() > 4) {
            SimCase fewer = best.withTransactions(best.transactions() / 2);
            if (!fails.apply(fewer)) {
                break;
            }
            best = fewer;
        }
        return best;
    }

    private static int[] active(boolean[] keep) {
        return java.util.stream.IntStream.range(0, keep.length).filter(i -> keep[i]).toArray();
    }
}
