package io.remora.bench.protocol;

import io.remora.core.Effects;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.codec.MessageCodec;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.ExecutionOutcome;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import io.remora.primary.FsyncPolicy;
import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre-executor protocol benchmarks (a small harness, not JMH: (b) is an end-to-end rate over real
 * sockets and threads).
 *
 * <ol>
 *   <li><b>Wire size</b>: for N transfers executed in order, the mean encoded size of the
 *       {@code PreExecResult} (effects + lookup table + digest + watermark, {@code MessageCodec}) against
 *       the effects alone; the lookup table must add at most 50%.</li>
 *   <li><b>Result ingestion</b>: a primary with {@link RemoraCluster} on loopback and 1 or 2
 *       in-process {@link PreExecutor}s; a pre-generated stream of transfers is submitted as fast as
 *       admission takes it; the rate is RESULTs decoded and offered to the primary per second (from
 *       the first submission to the last result). No commits are formed: results wait in the result
 *       table, so this measures the transport + decode + offer path fed by real pre-executors (whose
 *       own execution, signature checks included, shares the machine's cores).</li>
 * </ol>
 *
 * Run (after {@code ./mvnw -B -q install -DskipTests}):
 * <pre>
 * java -cp remora-bench/target/benchmarks.jar \
 *      io.remora.bench.protocol.PreExecProtocolBench [transactions=20000]
 * </pre>
 */
public final class PreExecProtocolBench {
    static final byte[] SECRET = "bench-cluster-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private PreExecProtocolBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        wireSize(n);
        for (int peers : new int[] {1, 2}) {
            ingest(n, peers); // warm-up round
            double rate = ingest(n, peers);
            System.out.printf("ingest: %d pre-executor(s): %.0f results/s%n", peers, rate);
        }
    }

    static void wireSize(int n) {
        Workload w = Workloads.transfers(42, 64).take(n);
        InMemoryObjectStore store = w.genesisStore();
        TransactionExecutor executor = BuiltinEngine.executor("pre-1");
        long effectsBytes = 0;
        long resultBytes = 0;
        long tableBytes = 0;
        io.remora.core.codec.WireWriter tw = new io.remora.core.codec.WireWriter(1024);
        for (Transaction tx : w.transactions()) {
            ExecutionOutcome o = executor.execute(tx, store);
            store.apply(o.effects());
            Effects e = o.effects();
            effectsBytes += MessageCodec.encode(e).length;
            resultBytes += MessageCodec.encode(PreExecResult.full(e, o.lookupTable(), 1234)).length;
            o.lookupTable().encode(tw.reset());
            tableBytes += tw.length();
        }
        System.out.printf("wire size (transfers, n=%d): effects %.1f B, PreExecResult %.1f B (ratio %.3f),"
                        + " lookup table %.1f B = %.1f%% of the effects%n", n, (double) effectsBytes / n,
                (double) resultBytes / n, (double) resultBytes / effectsBytes, (double) tableBytes / n,
                100.0 * tableBytes / effectsBytes);
    }

    static double ingest(int n, int peers) throws Exception {
        Workload w = Workloads.transfers(7 + peers, 256).take(n);
        Path dir = Files.createTempDirectory("remora-ingest");
        List<PreExecutor> pres = new ArrayList<>();
        try (RemoraPrimary primary = RemoraPrimary.builder().dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).resultTableCapacity(Math.max(1, 2 * n)).build()) {
            primary.start();
            try (RemoraCluster cluster = RemoraCluster.builder().primary(primary).clusterSecret(SECRET)
                    .consensus(tx -> { }).heartbeatInterval(Duration.ofMillis(100)).build().start()) {
                for (int i = 0; i < peers; i++) {
                    pres.add(PreExecutor.builder().nodeId("pre-" + i).primary("127.0.0.1", cluster.port())
                            .clusterSecret(SECRET).heartbeatInterval(Duration.ofMillis(100)).build().start());
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (cluster.peers().stream().filter(p -> p.synced()).count() < peers && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long start = System.nanoTime();
                for (Transaction tx : w.transactions()) {
                    cluster.submit(tx);
                }
                long last = cluster.metrics().resultsReceived();
                long lastChange = System.nanoTime();
                while (System.nanoTime() - lastChange < 500_000_000L) {
                    Thread.sleep(2);
                    long now = cluster.metrics().resultsReceived();
                    if (now != last) {
                        last = now;
                        lastChange = System.nanoTime();
                    }
                }
                double seconds = (lastChange - start) / 1e9;
                System.out.printf("  %d peer(s): %d results in %.2f s (sends dropped %d)%n", peers, last, seconds,
                        cluster.metrics().executeSendsDropped());
                return last / seconds;
            } finally {
                pres.forEach(PreExecutor::close);
            }
        } finally {
            io.remora.bench.harness.TempDirectory.deleteRecursively(dir);
        }
    }
}
