package io.remora.primary;

import io.remora.core.Effects;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The process {@link PrimaryCrashTest} kills: runs a primary on {@code dataDir} over the seeded
 * commit stream (with duplicated transactions, persisted in chunks of a few positions so that
 * kills land between the chunks of a commit), from {@code lastExecutedCommit() + 1} to the end,
 * with results pre-executed against the primary's own latest state (a realistic, sometimes stale
 * pre-executor).
 *
 * <p>Protocol on stdout, one line each:
 * <pre>
 *  started last=&lt;k&gt; digest=&lt;hex&gt;            after recovery
 *  replayed &lt;k&gt; &lt;effects hash&gt;              commit k re-submitted, acknowledged idempotently
 *  committed &lt;k&gt;                              commit k's future completed
 *  done digest=&lt;hex&gt;                          all commits executed
 * </pre>
 */
public final class CrashChild {
    static final int TRANSACTIONS = 400;

    private CrashChild() {
    }

    static Workload workload(long seed) {
        return Workloads.mixed(seed).take(TRANSACTIONS);
    }

    /**
     * The seeded commit stream: the workload cut into commits, with copies of about 10% of its
     * transactions (same, other valid and garbage signatures) that must execute exactly once.
     */
    static List<List<Transaction>> commits(long seed, Workload w) {
        Random rnd = new Random(seed);
        io.remora.core.workload.WorkloadGenerator g = Workloads.mixed(seed);
        g.take(TRANSACTIONS); // the same generator state: its signers re-sign copies
        return Duplicates.inject(Reference.cut(w.transactions(), 12, rnd), g, rnd, 0.1);
    }

    /** Positions per persistence chunk for this stream: small, so that most commits span several. */
    static int chunkSize(long seed) {
        return 1 + (int) Math.floorMod(seed, 6L);
    }

    /** {@link #hash} for a lambda (SHA-256 is always there). */
    static String hashOf(List<Effects> effects) {
        try {
            return hash(effects);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(List<Effects> effects) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (Effects e : effects) {
            md.update(e.digest().toBytes());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Standard input is the test JVM's pipe: at its end the test JVM is gone, and so is this process
     * (halted at once, as a SIGKILL would).
     */
    static void haltWhenParentDies() {
        Thread orphanWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent; only the end matters
                }
            } catch (java.io.IOException ignored) {
                // broken pipe: the same
            }
            Runtime.getRuntime().halt(3);
        }, "crash-child-parent-watch");
        orphanWatch.setDaemon(true);
        orphanWatch.start();
    }

    public static void main(String[] args) throws Exception {
        haltWhenParentDies();
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        FsyncPolicy fsync = FsyncPolicy.valueOf(args[2]);
        Random rnd = new Random(seed ^ System.nanoTime());
        Workload w = workload(seed);
        List<List<Transaction>> commits = commits(seed, w);
        try (RemoraPrimary primary = RemoraPrimary.builder()
                .dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary"))
                .workerThreads(1 + rnd.nextInt(3))
                .resultWaitTimeout(Duration.ofMillis(1))
                .objectCacheSize(rnd.nextBoolean() ? 0 : 256)
                .fsyncPolicy(fsync)
                .commitChunkSize(chunkSize(seed))
                .genesis(w.genesis())
                .build()) {
            primary.start();
            long last = primary.lastExecutedCommit();
            System.out.println("started last=" + last + " digest=" + primary.stateDigest().toHex());
            if (last >= 0) {
                CommitEffects again = primary.submitCommit(last, commits.get((int) last)).get();
                System.out.println("replayed " + last + " " + hash(again.effects()));
            }
            List<CompletableFuture<CommitEffects>> pending = new ArrayList<>();
            for (int c = (int) last + 1; c < commits.size(); c++) {
                for (Transaction tx : commits.get(c)) {
                    if (rnd.nextInt(4) != 0) {
                        primary.offerResult(Reference.EXECUTOR.preExecute(tx, primary::readObject, c - 1L));
                    }
                }
                int index = c;
                pending.add(primary.submitCommit(c, commits.get(c))
                        .whenComplete((r, t) -> System.out.println("committed " + index
                                + (r == null ? "" : " digest=" + r.stateDigest().toHex() + " effects=" + hashOf(r.effects())))));
            }
            for (CompletableFuture<CommitEffects> f : pending) {
                f.get();
            }
            System.out.println("done digest=" + primary.stateDigest().toHex());
        }
    }
}
