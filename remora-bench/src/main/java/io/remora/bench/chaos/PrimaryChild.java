package io.remora.bench.chaos;

import io.remora.core.Effects;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.primary.CommitEffects;
import io.remora.primary.FsyncPolicy;
import io.remora.primary.PeerStatus;
import io.remora.primary.PrimaryMetrics;
import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The process the chaos run kills: a real {@link RemoraPrimary} (RocksDB on {@code dataDir}, fsync
 * on every commit) and a {@link RemoraCluster} on a fixed loopback port, so that pre-executors
 * reconnect to its next incarnation. It knows nothing of the consensus order: the driver sends
 * every commit's transactions and every transaction to admit.
 *
 * <p>Arguments: {@code dataDir port workloadKind seed chunkSize workerThreads}. Standard input,
 * one line each (the first: the cluster secret, in hex, kept off the command line):
 * <pre>
 *  admit &lt;tx hex&gt;                  RemoraCluster.submit: routed to a pre-executor
 *  commit &lt;k&gt; &lt;tx hex,...|-&gt;         RemoraPrimary.submitCommit(k, txs)
 *  finish                          report the final state, close, exit 0
 * </pre>
 * Standard output (the protocol only; anything else printed goes to standard error):
 * <pre>
 *  ready last=&lt;k&gt; digest=&lt;hex&gt;              recovered and listening
 *  effects &lt;k&gt; &lt;0|1 replayed&gt; &lt;state digest&gt; &lt;effects digest,...|-&gt;
 *  metrics adopted=&lt;n&gt; executed=&lt;n&gt; synced=&lt;n&gt;   every 250 ms, counters since this start
 *  error &lt;k&gt; &lt;message&gt;                      submitCommit refused or failed commit k
 *  final last=&lt;k&gt; digest=&lt;hex&gt;
 * </pre>
 * The end of standard input (the driver died) halts this JVM at once, as a SIGKILL would.
 *
 * <p>Threads: the stdin thread is the host's consensus thread (it alone calls {@code submitCommit}
 * and {@code submit}); futures complete on the primary's publisher; output lines are serialized.
 */
public final class PrimaryChild {
    private final PrintStream out;

    private PrimaryChild(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // library and JVM output never mixes with the protocol
        if (args.length != 6) {
            System.err.println("usage: PrimaryChild dataDir port workloadKind seed chunkSize workerThreads");
            System.exit(2);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String secret = in.readLine();
        if (secret == null) {
            Runtime.getRuntime().halt(3);
        }
        new PrimaryChild(protocol).run(args, secret.strip().getBytes(StandardCharsets.US_ASCII), in);
    }

    private void run(String[] args, byte[] secret, BufferedReader in) throws IOException {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[3]);
        RemoraPrimary primary = RemoraPrimary.builder()
                .dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary"))
                .genesis(ChaosWorkload.generator(args[2], seed).genesis())
                .fsyncPolicy(FsyncPolicy.EVERY_COMMIT)
                .commitChunkSize(Integer.parseInt(args[4]))
                .workerThreads(Integer.parseInt(args[5]))
                .build();
        primary.start();
        RemoraCluster cluster = RemoraCluster.builder().primary(primary).bindHost("127.0.0.1").port(port)
                .clusterSecret(secret)
                .consensus(tx -> { }) // the driver is the consensus: it already holds the order
                .build().start();
        line("ready last=" + primary.lastExecutedCommit() + " digest=" + primary.stateDigest().toHex());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chaos-child-metrics");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> metrics(primary, cluster), 250, 250, TimeUnit.MILLISECONDS);
        String cmd;
        while ((cmd = in.readLine()) != null) {
            if (cmd.startsWith("admit ")) {
                cluster.submit(ChaosWorkload.decode(cmd.substring(6)).get(0));
            } else if (cmd.startsWith("commit ")) {
                String[] f = cmd.split(" ", 3);
                submit(primary, Long.parseLong(f[1]), ChaosWorkload.decode(f[2]));
            } else if (cmd.equals("finish")) {
                // Sent once every commit is acknowledged: nothing is in flight.
                ticker.shutdownNow();
                cluster.close();
                line("final last=" + primary.lastExecutedCommit() + " digest=" + primary.stateDigest().toHex());
                primary.close();
                System.exit(0);
            } else {
                line("error -1 unknown command " + cmd.substring(0, Math.min(40, cmd.length())));
            }
        }
        Runtime.getRuntime().halt(3); // the driver is gone
    }

    private void submit(RemoraPrimary primary, long index, List<Transaction> txs) {
        CompletableFuture<CommitEffects> f;
        try {
            f = primary.submitCommit(index, txs);
        } catch (RuntimeException e) {
            line("error " + index + " " + oneLine(e));
            return;
        }
        f.whenComplete((r, t) -> {
            if (t != null) {
                line("error " + index + " " + oneLine(t));
                return;
            }
            StringJoiner effects = new StringJoiner(",");
            for (Effects e : r.effects()) {
                effects.add(e.digest().toHex());
            }
            line("effects " + r.commitIndex() + " " + (r.timings().replayed() ? 1 : 0) + " " + r.stateDigest().toHex()
                    + " " + (r.effects().isEmpty() ? "-" : effects.toString()));
        });
    }

    private void metrics(RemoraPrimary primary, RemoraCluster cluster) {
        PrimaryMetrics m = primary.metrics();
        long synced = cluster.peers().stream().filter(PeerStatus::synced).count();
        line("metrics adopted=" + m.adopted() + " executed=" + m.transactionsExecuted() + " synced=" + synced);
    }

    private synchronized void line(String s) {
        out.println(s);
        out.flush();
    }

    private static String oneLine(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return (c.getClass().getSimpleName() + ": " + c.getMessage()).replace('\n', ' ');
    }
}
