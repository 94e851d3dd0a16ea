package io.remora.primary;

import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link LeaseCrashTest} kills: a primary (fsync per commit) with leases forced and a
 * cluster on a fixed port, to which the test's pre-executor processes (re)connect; it runs the
 * seeded commit stream from {@code lastExecutedCommit() + 1} to the end, submitting each commit's
 * transactions through admission first. Output, one line each:
 * <pre>
 *  started last=&lt;k&gt; digest=&lt;hex&gt;
 *  committed &lt;k&gt; digest=&lt;hex&gt; effects=&lt;hash&gt; lease=&lt;0|1&gt;   lease: one held when the commit was published
 *  done digest=&lt;hex&gt;
 * </pre>
 */
public final class LeaseCrashChild {
    static final int COMMITS = 40;
    static final int PER_COMMIT = 40;

    private LeaseCrashChild() {
    }

    static Workload workload(long seed) {
        return Workloads.sharedCounters(seed, 8, 0.99).take(COMMITS * PER_COMMIT);
    }

    /** Commits of the workload in a seeded shuffle of admission order, every fifth repeating a transaction. */
    static List<List<Transaction>> commits(long seed, Workload w) {
        Random rnd = new Random(seed);
        List<List<Transaction>> out = new ArrayList<>();
        List<Transaction> txs = w.transactions();
        for (int c = 0; c < COMMITS; c++) {
            List<Transaction> commit = new ArrayList<>(txs.subList(c * PER_COMMIT, (c + 1) * PER_COMMIT));
            Collections.shuffle(commit, rnd);
            if (c % 5 == 4) {
                commit.add(txs.get(rnd.nextInt((c + 1) * PER_COMMIT))); // executes once, here or before
            }
            out.add(List.copyOf(commit));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        CrashChild.haltWhenParentDies();
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int port = Integer.parseInt(args[2]);
        Workload w = workload(seed);
        List<List<Transaction>> commits = commits(seed, w);
        try (RemoraPrimary primary = RemoraPrimary.builder().dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary")).workerThreads(2)
                .fsyncPolicy(FsyncPolicy.EVERY_COMMIT).genesis(w.genesis())
                .leasePolicy(LeasePolicy.defaults().withOverload(0, 0, 1).withCalm(0, 1_000_000))
                .build()) {
            primary.start();
            try (RemoraCluster cluster = RemoraCluster.builder().primary(primary).port(port)
                    .clusterSecret(ClusterIntegrationTest.SECRET).consensus(tx -> { })
                    .heartbeatInterval(Duration.ofMillis(50)).build().start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (cluster.peers().stream().filter(PeerStatus::synced).count() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long last = primary.lastExecutedCommit();
                System.out.println("started last=" + last + " digest=" + primary.stateDigest().toHex());
                for (int c = (int) last + 1; c < commits.size(); c++) {
                    for (Transaction tx : commits.get(c)) {
                        cluster.submit(tx);
                    }
                    Thread.sleep(3);
                    CommitEffects e = primary.submitCommit(c, commits.get(c)).get(60, TimeUnit.SECONDS);
                    System.out.println("committed " + c + " digest=" + e.stateDigest().toHex() + " effects="
                            + CrashChild.hash(e.effects()) + " lease=" + (primary.leaseMetrics().active() ? 1 : 0));
                }
                System.out.println("done digest=" + primary.stateDigest().toHex());
            }
        }
    }
}
