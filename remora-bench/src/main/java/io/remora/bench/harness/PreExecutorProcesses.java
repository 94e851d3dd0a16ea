package io.remora.bench.harness;

import io.remora.transport.TransportConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pre-executor JVMs ({@code io.remora.preexec.PreExecutorMain}) started on this machine, connected to
 * a primary on loopback, and always stopped: {@link #close()} (SIGTERM, then SIGKILL after 5 s) also
 * runs from a shutdown hook, so Ctrl-C or an exception in the harness leaves no process behind; and
 * each child runs with {@code --exit-on-stdin-eof} on a pipe from this JVM, so that when this JVM
 * dies without running hooks (SIGKILL, a crash) the kernel closes the pipe and the children drain
 * and exit by themselves.
 *
 * <p>Each child runs with this JVM's java binary and class path and the Agrona export, and gets its
 * node key (never the cluster secret) as the first line on that pipe ({@code --key-stdin}): the key
 * is in no file and no environment. Its output goes to {@code <logDir>/<node-id>.log}.
 *
 * <p>Not thread-safe, except {@link #close()}, which is idempotent.
 */
public final class PreExecutorProcesses implements AutoCloseable {
    /** One started process. */
    public record Child(String nodeId, Process process, Path log) {
        public long pid() {
            return process.pid();
        }
    }

    private final List<Child> children = new ArrayList<>();
    /** Children stopped on purpose ({@link #stop}): their exit is no failure. */
    private final java.util.Set<String> evicted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook = new Thread(this::stopAll, "remora-preexec-reaper");
    private boolean hooked;
    private final java.util.function.BiFunction<String, Integer, List<String>> extraArgs;

    private final String mainClass;
    private String maxHeap;

    public PreExecutorProcesses() {
        this((nodeId, n) -> List.of());
    }

    /** @param extraArgs more arguments for the child {@code nodeId}, the n-th started (from 1) */
    public PreExecutorProcesses(java.util.function.BiFunction<String, Integer, List<String>> extraArgs) {
        this("io.remora.preexec.PreExecutorMain", "-Xmx512m", extraArgs);
    }

    private PreExecutorProcesses(String mainClass, String maxHeap,
                                 java.util.function.BiFunction<String, Integer, List<String>> extraArgs) {
        this.mainClass = mainClass;
        this.maxHeap = maxHeap;
        this.extraArgs = extraArgs;
    }

    /**
     * {@link ResultInjector} processes instead of pre-executors (same start, pinning, key pipe,
     * parent watch and stop), each replaying the recorded results in {@code results}.
     */
    public static PreExecutorProcesses injectors(Path results, io.remora.transport.FrameProtection protection) {
        return new PreExecutorProcesses(ResultInjector.class.getName(), "-Xmx3g", (nodeId, n) -> List.of(
                "--results", results.toString(), "--frame-protection", protection.name()));
    }

    private String cpus;

    /**
     * Sizes the heap of the pre-executors started from now on for a replica of {@code objects}
     * genesis objects (about 2 KiB each, with the snapshot being received beside the replica it
     * replaces) that grows by up to {@code transactions} transactions' writes in one point (1 KiB
     * each: a transfer's split creates a coin, and a replica object cost ~0.6 KiB of old
     * generation at 6,000 transfers/s, measured with {@code jstat}), at least the default 512 MiB
     * and at most 8 GiB. A 1M-object state gets ~2.5 GiB; at 512 MiB its snapshot leaves the JVM
     * collecting garbage full time, as did 120 s of transfers at 6,000 and 8,000 tx/s (the old
     * generation full from ~90 s on, results late, the pre-executor stalled 18 times in the 8,000
     * point). Injectors keep their own size.
     */
    public synchronized void heapFor(long objects, long transactions) {
        if (mainClass.equals(ResultInjector.class.getName())) {
            return;
        }
        long mib = Math.min(MAX_HEAP_MIB, 512 + (objects * 2048 + transactions * 1024) / (1024 * 1024));
        this.maxHeap = "-Xmx" + mib + "m";
    }

    /** The most {@link #heapFor} gives a pre-executor. */
    static final long MAX_HEAP_MIB = 8192;

    /** The {@code -Xmx} the pre-executors started from now on get. */
    synchronized String maxHeap() {
        return maxHeap;
    }

    /** Pins the pre-executors started from now on to {@code cpus} ({@code taskset -c}; null: not pinned). */
    public synchronized void pinTo(String cpus) {
        this.cpus = cpus == null || cpus.isBlank() ? null : cpus;
    }

    private java.time.Duration sendLinger;

    /** The pre-executors started from now on get {@code --send-linger-us} (null: their default). */
    public synchronized void sendLinger(java.time.Duration linger) {
        this.sendLinger = linger;
    }

    /**
     * Starts {@code count} pre-executors against {@code host:port}, named {@code pre-N} with N
     * counting on from the ones started before ({@code pre-1..pre-count} the first time);
     * {@code threads} worker threads each (0: the pre-executor's default); returns them.
     */
    public synchronized List<Child> start(int count, String host, int port, byte[] secret, int threads, Path logDir)
            throws IOException {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hooked = true;
        }
        Files.createDirectories(logDir);
        String java = ProcessHandle.current().info().command().orElse("java");
        int base = children.size();
        List<Child> started = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String nodeId = "pre-" + (base + i);
            List<String> cmd = new ArrayList<>();
            if (cpus != null) {
                cmd.addAll(List.of("taskset", "-c", cpus)); // exec's the JVM: the pid stays the child's
            }
            cmd.addAll(List.of(java, "-XX:+UseParallelGC", maxHeap,
                                        "-cp", System.getProperty("java.class.path")));
            cmd.addAll(inheritedAccessFlags());
            cmd.addAll(List.of(
                    mainClass,
                    "--primary", host + ":" + port, "--node-id", nodeId, "--key-stdin", "--exit-on-stdin-eof"));
            if (threads > 0) {
                cmd.add("--threads");
                cmd.add(Integer.toString(threads));
            }
            if (sendLinger != null) {
                cmd.add("--send-linger-us");
                cmd.add(Long.toString(sendLinger.toNanos() / 1000));
            }
            cmd.addAll(extraArgs.apply(nodeId, base + i));
            Path log = logDir.resolve(nodeId + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Child child = new Child(nodeId, p, log);
            children.add(child);
            started.add(child);
            // Each child gets only its own node key, never the cluster secret: a compromised
            // pre-executor can authenticate as itself and nobody else. The pipe stays open (the
            // Process holds it) until the child is stopped or this JVM dies.
            p.getOutputStream().write((HexFormat.of().formatHex(TransportConfig.deriveNodeKey(secret, nodeId)) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
        }
        return started;
    }

    /** This JVM's native-access and Unsafe flags (set by ./remora), so children print no warnings either. */
    public static List<String> inheritedAccessFlags() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--enable-native-access") || a.startsWith("--sun-misc-unsafe-memory-access"))
                .toList();
    }

    public synchronized List<Child> children() {
        return List.copyOf(children);
    }

    /**
     * Asks {@code child} to drain and exit (SIGTERM: it stops taking work and answers what it
     * holds) and kills it if it still runs after {@code deadline}; returns at once.
     */
    public void stop(Child child, java.time.Duration deadline) {
        evicted.add(child.nodeId());
        child.process().destroy();
        Thread reaper = new Thread(() -> {
            try {
                if (!child.process().waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    child.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.process().destroyForcibly();
            }
        }, "remora-preexec-evict-" + child.nodeId());
        reaper.setDaemon(true);
        reaper.start();
    }

    /** SIGKILLs {@code child} (a crash on purpose: its exit is no failure) and waits (up to 5 s) until it has exited. */
    public void kill(Child child) {
        evicted.add(child.nodeId());
        child.process().destroyForcibly();
        try {
            // Until the JDK reaps it, the process counts as alive: a count of running processes (an
            // autoscaler's) taken between the kill and the reaping would include it, and stop the
            // replacement started next as one too many (seen in an elastic run).
            child.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The children that have exited, with their exit codes and last log line, for error reports. */
    public synchronized List<String> failures() {
        List<String> out = new ArrayList<>();
        for (Child c : children) {
            if (!c.process().isAlive() && !evicted.contains(c.nodeId())) {
                out.add(c.nodeId() + " (pid " + c.pid() + ") exited with status " + c.process().exitValue()
                        + "; log " + c.log() + ": " + lastLines(c.log(), 3));
            }
        }
        return out;
    }

    @Override
    public void close() {
        stopAll();
        if (hooked) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is running or ran
            }
            hooked = false;
        }
    }

    private synchronized void stopAll() {
        for (Child c : children) {
            c.process().destroy();
        }
        for (Child c : children) {
            try {
                if (!c.process().waitFor(5, TimeUnit.SECONDS)) {
                    c.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                c.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static String lastLines(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
