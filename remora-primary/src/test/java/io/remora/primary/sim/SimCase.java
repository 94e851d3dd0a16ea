package io.remora.primary.sim;

import io.remora.core.canary.Canary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * One simulation: the seed (which fixes the workload, the cluster's settings, the consensus order
 * and every random choice) and the fault schedule drawn from it, which the shrinker may cut down
 * ({@link #keep}), plus the per-message fault rates and the number of transactions.
 *
 * @param seed         everything random derives from it
 * @param transactions client transactions submitted
 * @param faults       the scheduled faults, in time order (drawn by {@link #draw})
 * @param keep         which of {@code faults} are injected (all, unless shrunk)
 * @param network      per-message fault rates
 * @param canary       a planted bug to run with, or null
 */
record SimCase(long seed, int transactions, List<Fault> faults, boolean[] keep, SimNetwork.Faults network,
               Canary canary) {
    /** Virtual time during which faults are injected and clients submit. */
    static final long FAULT_PHASE_NANOS = 600_000_000L;
    /** Scheduled faults per seed, at least (message faults come on top). */
    static final int MIN_FAULTS = 20;

    /** What can go wrong, BUGGIFY-style: each kind has a probability per 10 ms step. */
    enum Kind {
        /** SIGKILL a pre-executor: no drain, in-flight work lost. */
        KILL(0.012),
        /** Kill a pre-executor and start a new one from nothing (new incarnation, empty replica). */
        RESTART(0.012),
        /** SIGSTOP a pre-executor for a while (a zombie: stale state when it resumes). */
        PAUSE(0.012),
        /** A new pre-executor joins. */
        JOIN(0.012),
        /** A pre-executor leaves with a drain (close()). */
        LEAVE(0.006),
        /** A pre-executor is cut off from the primary for a while, then healed. */
        PARTITION(0.01),
        /** One pre-executor link breaks (both ends see it; the client reconnects). */
        DISCONNECT(0.015),
        /** The primary crashes at a persistence boundary of a coming commit and recovers on its directory. */
        CRASH_PRIMARY(0.012),
        /** Consensus orders a transaction again (same signature). */
        DUPLICATE_TX(0.03),
        /** Consensus carries a copy with a garbage signature (sometimes ordered before the genuine one). */
        FORGED_TX(0.03),
        /** Consensus outputs an empty commit. */
        EMPTY_COMMIT(0.02),
        /** Consensus holds commits back, then outputs one huge commit. */
        HUGE_COMMIT(0.006),
        /** A peer without the right key tries to connect and send results. */
        IMPOSTOR(0.006),
        /**
         * The next SNAPSHOT_REQUEST waits in the network for a while (a primary slow to serve it, a
         * congested link), overtaken by later messages: a lazy pre-executor fetches what it reads
         * meanwhile.
         */
        SLOW_SNAPSHOT(0.012);

        final double perStep;

        Kind(double perStep) {
            this.perStep = perStep;
        }
    }

    /**
     * A scheduled fault.
     *
     * @param atNanos  virtual time (from the start)
     * @param kind     what
     * @param target   which pre-executor (an index into the live ones, modulo their count) or variant
     * @param duration how long a pause or partition lasts; for a crash, which boundary (0..2) and
     *                 how many boundaries to let pass first
     */
    record Fault(long atNanos, Kind kind, int target, long duration) {
        @Override
        public String toString() {
            return kind + "@" + atNanos / 1_000_000 + "ms(t" + target + ",d" + duration / 1_000_000 + ")";
        }
    }

    /**
     * A well-mixed 64-bit value of ({@code seed}, {@code stream}) (SplitMix64's finalizer):
     * {@code new Random(seed)} for nearby seeds gives nearly the same first draw (java.util.Random
     * scrambles its seed only with an XOR): its first {@code nextInt(4)} is 2 for every seed from 1
     * to ~1,999 and 3 from ~3,000, so before this every CI seed ran the same workload.
     */
    static long mix(long seed, long stream) {
        long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** An independent random stream of the seed (0: faults, 1: settings, 2: consensus, 3: network, 4: liar). */
    static Random random(long seed, long stream) {
        return new Random(mix(seed, stream));
    }

    /** The full case of {@code seed}: every fault drawn, default message fault rates. */
    static SimCase draw(long seed, Canary canary) {
        Random rnd = random(seed, 0);
        List<Fault> faults = new ArrayList<>();
        for (long t = 20_000_000L; t < FAULT_PHASE_NANOS; t += 10_000_000L) {
            for (Kind k : Kind.values()) {
                if (rnd.nextDouble() < k.perStep) {
                    long d = k == Kind.CRASH_PRIMARY ? rnd.nextInt(3) * 10L + rnd.nextInt(3)
                            : 5_000_000L + rnd.nextInt(150_000_000);
                    faults.add(new Fault(t + rnd.nextInt(10_000_000), k, rnd.nextInt(1 << 16), d));
                }
            }
        }
        Kind[] kinds = Kind.values();
        while (faults.size() < MIN_FAULTS) { // at least MIN_FAULTS per seed, spread over the phase
            Kind k = kinds[rnd.nextInt(kinds.length)];
            long d = k == Kind.CRASH_PRIMARY ? rnd.nextInt(3) * 10L + rnd.nextInt(3) : 5_000_000L + rnd.nextInt(150_000_000);
            faults.add(new Fault(20_000_000L + (long) (rnd.nextDouble() * (FAULT_PHASE_NANOS - 40_000_000L)), k,
                    rnd.nextInt(1 << 16), d));
        }
        faults.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        boolean[] keep = new boolean[faults.size()];
        Arrays.fill(keep, true);
        SimNetwork.Faults net = new SimNetwork.Faults(0.03, 0.03, 0.03, 0.02);
        int txs = 60 + rnd.nextInt(60);
        return new SimCase(seed, txs, List.copyOf(faults), keep, net, canary);
    }

    /** The faults injected (those kept). */
    List<Fault> active() {
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            if (keep[i]) {
                out.add(faults.get(i));
            }
        }
        return out;
    }

    int activeCount() {
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        return n;
    }

    SimCase withKeep(boolean[] k) {
        return new SimCase(seed, transactions, faults, k, network, canary);
    }

    SimCase withTransactions(int n) {
        return new SimCase(seed, n, faults, keep, network, canary);
    }

    SimCase withNetwork(SimNetwork.Faults f) {
        return new SimCase(seed, transactions, faults, keep, f, canary);
    }

    /**
     * The system properties that replay exactly this case with {@code ClusterSimulationTest#replay}
     * (seed, transaction count, kept faults, whether message faults are on).
     */
    String replayProperties() {
        StringBuilder sb = new StringBuilder("-Dremora.sim.seed=").append(seed)
                .append(" -Dremora.sim.txs=").append(transactions);
        if (activeCount() != faults.size()) {
            String kept = java.util.stream.IntStream.range(0, faults.size()).filter(i -> keep[i])
                    .mapToObj(Integer::toString).collect(Collectors.joining("."));
            sb.append(" -Dremora.sim.keep=").append(kept.isEmpty() ? "none" : kept);
        }
        if (network.equals(SimNetwork.Faults.NONE)) {
            sb.append(" -Dremora.sim.net=off");
        }
        if (canary != null) {
            sb.append(" -Dremora.sim.canary=").append(canary);
        }
        return sb.toString();
    }

    /** Reads the case that {@link #replayProperties} describes back from system properties. */
    static SimCase fromProperties(long seed) {
        Canary canary = System.getProperty("remora.sim.canary") == null ? null
                : Canary.valueOf(System.getProperty("remora.sim.canary"));
        SimCase c = draw(seed, canary);
        String txs = System.getProperty("remora.sim.txs");
        if (txs != null) {
            c = c.withTransactions(Integer.parseInt(txs));
        }
        String keep = System.getProperty("remora.sim.keep");
        if (keep != null) {
            boolean[] k = new boolean[c.faults().size()];
            if (!keep.equals("none")) {
                for (String i : keep.split("\\.")) {
                    k[Integer.parseInt(i)] = true;
                }
            }
            c = c.withKeep(k);
        }
        if ("off".equals(System.getProperty("remora.sim.net"))) {
            c = c.withNetwork(SimNetwork.Faults.NONE);
        }
        return c;
    }

    @Override
    public String toString() {
        return "SimCase{seed=" + seed + ", txs=" + transactions + ", faults=" + active() + ", net=" + network
                + (canary == null ? "" : ", canary=" + canary) + '}';
    }
}
