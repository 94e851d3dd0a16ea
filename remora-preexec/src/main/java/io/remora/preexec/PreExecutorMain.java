package io.remora.preexec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a pre-executor process until SIGTERM (or SIGINT), then drains and exits.
 *
 * <pre>
 * java -cp ... io.remora.preexec.PreExecutorMain --primary 10.0.0.1:7700 --node-id pre-1 \
 *      --key-file /etc/remora/pre-1.key [--threads 8] [--park-timeout-ms 50] [--warmup 500] [--lazy-join on] \
 *      [--send-linger-us 1000] [--exit-on-stdin-eof] [--metrics-port 9401 [--metrics-host 127.0.0.1]]
 * </pre>
 *
 * The node key (what this pre-executor proves in the handshake; it authenticates as its node id
 * and nothing else) is the hex content of {@code --key-file} or of the {@value #KEY_ENV}
 * environment variable: 64 hex digits, {@code TransportConfig.deriveNodeKey(clusterSecret, nodeId)},
 * made by the operator. Alternatively {@code --secret-file} (or {@value #SECRET_ENV}) gives the
 * cluster secret itself (a trailing newline is dropped; at least 16 bytes), from which the key is
 * derived: simpler, but a machine holding the cluster secret can authenticate under any node id.
 * {@code --key-stdin} reads the key as the first line of standard input instead, so that a launcher
 * on the same machine hands it over a pipe and it is never in a file or the environment.
 *
 * <p>{@code --warmup N} sets the start-up warm-up ({@code PreExecutor.Builder#warmup}): up to N
 * synthetic transactions (default 500) for at most 2 s, overlapped with the snapshot download,
 * before the pre-executor reports itself synced; {@code --warmup 0} turns it off. The started line
 * is printed once it has ended, with its duration.
 *
 * <p>{@code --exit-on-stdin-eof} ties the process to its launcher: standard input is the launcher's
 * pipe, and when it reaches its end (the launcher closed it or died, SIGKILL included: the kernel
 * closes a dead process's pipes) this process drains and exits as on SIGTERM. No polling, and no
 * process-id reuse to get wrong.
 *
 * <p>{@code --metrics-port P} serves the pre-executor's metrics for Prometheus at
 * {@code http://127.0.0.1:P/metrics} (or {@code --metrics-host}'s address; names in
 * {@code docs/operations.md}), from start until it has drained. It needs {@code micrometer-core}
 * and {@code micrometer-registry-prometheus} on the class path (optional dependencies of this
 * module, in the {@code remora-bench} jar).
 *
 * <p>Exit status: 0 after a clean drain, 2 on bad arguments (a metrics port that cannot be bound
 * included).
 */
public final class PreExecutorMain {
    /** Environment variable holding the cluster secret when no secret file is given. */
    public static final String SECRET_ENV = "REMORA_CLUSTER_SECRET";
    /** Environment variable holding the node key (hex) when no key file is given. */
    public static final String KEY_ENV = "REMORA_NODE_KEY";
    /** Option: the node key is the first line of standard input. */
    public static final String KEY_STDIN = "--key-stdin";
    /** Option: drain and exit when standard input ends (the launcher is gone). */
    public static final String EXIT_ON_EOF = "--exit-on-stdin-eof";
    /** {@code on} (default) or {@code off}: {@code PreExecutor.Builder#lazyJoin}. */
    public static final String LAZY_JOIN = "--lazy-join";
    /** Option: serve metrics for Prometheus on this port (0: any free port, printed at start). */
    public static final String METRICS_PORT = "--metrics-port";
    /** Option: the address the metrics endpoint binds (default: loopback). */
    public static final String METRICS_HOST = "--metrics-host";
    /** Option: synthetic transactions of the start-up warm-up (0: off). */
    public static final String WARMUP = "--warmup";
    /** The warm-up's time cap with {@value #WARMUP}. */
    static final Duration WARMUP_MAX_TIME = Duration.ofSeconds(2);

    private PreExecutorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PreExecutor px;
        boolean exitOnEof = Arrays.asList(args).contains(EXIT_ON_EOF);
        try {
            px = parse(args, System.getenv(SECRET_ENV), System.getenv(KEY_ENV), System.in).build();
        } catch (IllegalArgumentException e) {
            usage(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        AutoCloseable metrics = null;
        InetSocketAddress metricsAddress;
        try {
            metricsAddress = metricsAddress(args);
            if (metricsAddress != null) {
                metrics = MetricsSupport.serve(metricsAddress, px.nodeId());
            }
        } catch (IllegalArgumentException e) {
            usage(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        AutoCloseable endpoint = metrics;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            px.close();
            System.out.println("remora-preexec " + px.nodeId() + " drained: " + px.metrics());
            if (endpoint != null) {
                try {
                    endpoint.close();
                } catch (Exception e) {
                    // exiting anyway
                }
            }
            stopped.countDown();
        }, "remora-preexec-shutdown"));
        px.start();
        if (exitOnEof) {
            Thread watch = new Thread(() -> {
                awaitEndOfInput(System.in);
                System.out.println("remora-preexec " + px.nodeId() + ": standard input closed (launcher gone), exiting");
                System.exit(0);
            }, "remora-preexec-parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        // The warm-up ends within its cap plus the step in progress; the line waits for it.
        boolean warm = px.awaitWarmup(WARMUP_MAX_TIME.plusSeconds(1));
        long warmupNanos = px.metrics().warmupNanos();
        System.out.println("remora-preexec " + px.nodeId() + " started: " + px + ", "
                + (!warm ? "warm-up still running" : warmupNanos == 0 ? "warm-up off"
                : "warmed up in " + warmupNanos / 1_000_000 + " ms"));
        if (endpoint != null) {
            System.out.println("remora-preexec " + px.nodeId() + " metrics at " + MetricsSupport.bind(endpoint, px));
        }
        stopped.await();
    }

    /** Reads and discards {@code in} until its end (or an error reading it, which means the same). */
    static void awaitEndOfInput(InputStream in) {
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // a launcher has nothing more to say; anything it writes is ignored
            }
        } catch (IOException e) {
            // the pipe is broken: the launcher is gone
        }
    }

    /**
     * The metrics endpoint's address from {@value #METRICS_PORT} and {@value #METRICS_HOST}, or null
     * without a port; {@link IllegalArgumentException} on a bad value.
     */
    static InetSocketAddress metricsAddress(String[] args) {
        String port = null;
        String host = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(METRICS_PORT)) {
                port = args[++i];
            } else if (args[i].equals(METRICS_HOST)) {
                host = args[++i];
            }
        }
        if (port == null) {
            if (host != null) {
                throw new IllegalArgumentException(METRICS_HOST + "=" + host + " (expected: with " + METRICS_PORT + ")");
            }
            return null;
        }
        int p = integer(METRICS_PORT, port);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(METRICS_PORT + "=" + port + " (expected: 0..65535)");
        }
        if (host == null) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
        }
        InetSocketAddress a = new InetSocketAddress(host, p);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException(METRICS_HOST + "=" + host + " (expected: a resolvable host)");
        }
        return a;
    }

    /** Parses the command line into a builder; {@link IllegalArgumentException} on a bad argument. */
    static PreExecutor.Builder parse(String[] args, String secretFromEnv) {
        return parse(args, secretFromEnv, null, InputStream.nullInputStream());
    }

    static PreExecutor.Builder parse(String[] args, String secretFromEnv, String keyFromEnv, InputStream stdin) {
        PreExecutor.Builder b = PreExecutor.builder();
        byte[] secret = secretFromEnv == null ? null : secretFromEnv.getBytes(StandardCharsets.UTF_8);
        byte[] key = keyFromEnv == null ? null : hexKey(KEY_ENV, keyFromEnv);
        boolean primary = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals(EXIT_ON_EOF)) {
                continue; // handled by main
            }
            if (name.equals(KEY_STDIN)) {
                key = hexKey(KEY_STDIN, readLine(stdin));
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " (expected: a value after it)");
            }
            String value = args[++i];
            switch (name) {
                case "--primary" -> {
                    int colon = value.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--primary=" + value + " (expected: host:port)");
                    }
                    b.primary(value.substring(0, colon), integer(name, value.substring(colon + 1)));
                    primary = true;
                }
                case "--node-id" -> b.nodeId(value);
                case "--secret-file" -> secret = readSecret(Path.of(value));
                case "--key-file" -> key = hexKey(name + "=" + value, new String(readSecret(Path.of(value)),
                        StandardCharsets.US_ASCII));
                case "--threads" -> b.workerThreads(integer(name, value));
                case "--park-timeout-ms" -> b.parkTimeout(Duration.ofMillis(integer(name, value)));
                case WARMUP -> b.warmup(integer(name, value), WARMUP_MAX_TIME);
                case LAZY_JOIN -> b.lazyJoin(switch (value) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException(LAZY_JOIN + "=" + value + " (expected: on or off)");
                });
                case "--send-linger-us" -> b.sendLinger(Duration.ofNanos(1000L * integer(name, value)));
                case METRICS_PORT, METRICS_HOST -> {
                    // read by metricsAddress (main)
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (!primary) {
            throw new IllegalArgumentException("--primary is required (expected: host:port)");
        }
        return key != null ? b.nodeKey(key) : b.clusterSecret(secret);
    }

    /** The first line of {@code in} (at most 1 KiB; no more is read), without its line end. */
    private static String readLine(InputStream in) {
        StringBuilder line = new StringBuilder();
        try {
            for (int c; line.length() < 1024 && (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(KEY_STDIN + " (expected: a key line on standard input): " + e.getMessage());
        }
        return line.toString();
    }

    private static byte[] hexKey(String name, String hex) {
        try {
            byte[] k = java.util.HexFormat.of().parseHex(hex.strip());
            if (k.length == 32) {
                return k;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " (expected: a node key of 64 hex digits)");
    }

    private static byte[] readSecret(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            int n = b.length;
            while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
                n--;
            }
            return Arrays.copyOf(b, n);
        } catch (IOException e) {
            throw new IllegalArgumentException("file=" + file + " (expected: a readable secret or key file): " + e.getMessage());
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " (expected: an integer)");
        }
    }

    private static void usage(PrintStream out, String error) {
        out.println("error: " + error);
        out.println("usage: PreExecutorMain --primary host:port --node-id ID (--key-file FILE | env " + KEY_ENV
                + " | " + KEY_STDIN + " | --secret-file FILE | env " + SECRET_ENV + ") [--threads N] [--park-timeout-ms MS]"
                + " [" + WARMUP + " N] [" + LAZY_JOIN + " on|off] [--send-linger-us US] [" + EXIT_ON_EOF + "] [" + METRICS_PORT + " PORT ["
                + METRICS_HOST + " HOST]]");
    }
}
