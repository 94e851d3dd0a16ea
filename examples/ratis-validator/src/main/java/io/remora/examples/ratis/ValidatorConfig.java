package io.remora.examples.ratis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A validator process's command line.
 *
 * <pre>
 *  ValidatorMain --id v1 --peers v1=127.0.0.1:RAFT:HTTP,v2=...,v3=... --data-dir DIR
 *                [--workload mixed] [--seed S] [--pre-executors 1] [--pre-executor-threads 1]
 *                [--max-batch 256] [--linger-ms 10] [--no-fsync] [--exit-on-stdin-eof] [--fault-injection]
 *                [--metrics-port P]
 * </pre>
 *
 * {@code --metrics-port}: serve Prometheus metrics (the primary's and its cluster's) on
 * {@code 127.0.0.1:P/metrics} ({@code io.remora.primary.micrometer.PrimaryPrometheus}).
 *
 * Every validator of a group must get the same {@code --peers}, {@code --workload} and {@code --seed}
 * (the seed fixes the genesis; a data directory made with another genesis refuses to start).
 * {@code --fault-injection} makes this validator's primary execute with {@link FaultyEngine}, to show
 * that the others detect the divergence.
 *
 * @param peers every validator of the group, this one included, in a fixed order
 */
record ValidatorConfig(String id, List<Peer> peers, Path dataDir, String workload, long seed, int preExecutors,
                       int preExecutorThreads, int maxBatch, Duration linger, boolean fsync, boolean exitOnStdinEof,
                       boolean faultInjection, int metricsPort) {
    /** One validator's loopback (or LAN) address: Raft port and client HTTP port. */
    record Peer(String id, String host, int raftPort, int httpPort) {
        String spec() {
            return id + "=" + host + ":" + raftPort + ":" + httpPort;
        }

        static Peer parse(String s) {
            int eq = s.indexOf('=');
            String[] hp = eq < 0 ? new String[0] : s.substring(eq + 1).split(":");
            if (eq <= 0 || hp.length != 3) {
                throw new IllegalArgumentException("peer=" + s + " (expected: id=host:raftPort:httpPort)");
            }
            return new Peer(s.substring(0, eq), hp[0], Integer.parseInt(hp[1]), Integer.parseInt(hp[2]));
        }
    }

    Peer self() {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("id=" + id + " (expected: one of --peers)"));
    }

    static String peersSpec(List<Peer> peers) {
        return String.join(",", peers.stream().map(Peer::spec).toList());
    }

    /** The arguments that {@link #parse} turns back into this configuration. */
    List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--id", id, "--peers", peersSpec(peers), "--data-dir", dataDir.toString(),
                "--workload", workload, "--seed", Long.toString(seed), "--pre-executors", Integer.toString(preExecutors),
                "--pre-executor-threads", Integer.toString(preExecutorThreads), "--max-batch", Integer.toString(maxBatch),
                "--linger-ms", Long.toString(linger.toMillis())));
        if (!fsync) {
            a.add("--no-fsync");
        }
        if (exitOnStdinEof) {
            a.add("--exit-on-stdin-eof");
        }
        if (faultInjection) {
            a.add("--fault-injection");
        }
        if (metricsPort >= 0) {
            a.add("--metrics-port");
            a.add(Integer.toString(metricsPort));
        }
        return a;
    }

    static ValidatorConfig parse(String[] args) {
        String id = null;
        List<Peer> peers = new ArrayList<>();
        Path dir = null;
        String workload = "mixed";
        long seed = 1;
        int pre = 1;
        int preThreads = 1;
        int maxBatch = 256;
        long lingerMs = 10;
        boolean fsync = true;
        boolean eof = false;
        boolean fault = false;
        int metricsPort = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--no-fsync" -> fsync = false;
                case "--exit-on-stdin-eof" -> eof = true;
                case "--fault-injection" -> fault = true;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + ": a value is needed");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--id" -> id = v;
                        case "--peers" -> {
                            for (String p : v.split(",")) {
                                peers.add(Peer.parse(p));
                            }
                        }
                        case "--data-dir" -> dir = Path.of(v);
                        case "--workload" -> workload = v;
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--pre-executors" -> pre = Integer.parseInt(v);
                        case "--pre-executor-threads" -> preThreads = Integer.parseInt(v);
                        case "--max-batch" -> maxBatch = Integer.parseInt(v);
                        case "--linger-ms" -> lingerMs = Long.parseLong(v);
                        case "--metrics-port" -> metricsPort = Integer.parseInt(v);
                        default -> throw new IllegalArgumentException("option=" + a + " (expected: see ValidatorConfig)");
                    }
                }
            }
        }
        if (id == null || dir == null || peers.isEmpty()) {
            throw new IllegalArgumentException("--id, --peers and --data-dir are required");
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics-port=" + metricsPort + " (expected: 0..65535)");
        }
        if (pre < 0 || maxBatch < 1 || lingerMs < 0) {
            throw new IllegalArgumentException("pre-executors=" + pre + ", max-batch=" + maxBatch + ", linger-ms=" + lingerMs
                    + " (expected: >= 0, >= 1, >= 0)");
        }
        ValidatorConfig c = new ValidatorConfig(id, List.copyOf(peers), dir, workload, seed, pre, preThreads, maxBatch,
                Duration.ofMillis(lingerMs), fsync, eof, fault, metricsPort);
        c.self();
        return c;
    }
}
