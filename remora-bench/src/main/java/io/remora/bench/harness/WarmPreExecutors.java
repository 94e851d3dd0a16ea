package io.remora.bench.harness;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Pre-executor processes kept across the points of a sweep (issue 12 item 7: warm, long-lived
 * pre-executors), so that a point does not measure fresh JVMs compiling. Every point still has a
 * fresh primary and cluster; the cluster binds the same loopback port with the same secret, and the
 * pre-executors, whose connection to the previous point's cluster closed, reconnect by themselves
 * and install a full snapshot of the new primary's state (a snapshot replaces a replica whatever
 * its watermark), as they would after a primary restart. Owned by the sweep; {@link #close()} stops
 * them.
 *
 * <p>Not thread-safe: one point at a time.
 */
public final class WarmPreExecutors implements AutoCloseable {
    final PreExecutorProcesses processes;
    final byte[] secret;
    final int count;
    private final TempDirectory logs;
    /** Where {@link #close()} copies the processes' logs (null: not kept). */
    private final Path keepLogsIn;
    private int port;
    private boolean started;

    /** {@code count} pre-executors, started by the first point that uses them; their logs are not kept. */
    public WarmPreExecutors(int count) throws IOException {
        this(count, null);
    }

    /**
     * {@code count} pre-executors, started by the first point that uses them; {@link #close()}
     * copies their logs (each ends with the pre-executor's counters over the whole sweep, written
     * when it drains) into {@code keepLogsIn} (created if needed; null: not kept).
     */
    public WarmPreExecutors(int count, Path keepLogsIn) throws IOException {
        this.keepLogsIn = keepLogsIn;
        this.count = count;
        this.processes = new PreExecutorProcesses();
        this.logs = new TempDirectory("remora-warm-preexec-");
        this.secret = ClusterAdmission.newSecret();
    }

    /** The port the points' clusters bind: 0 until the first has bound one. */
    int port() {
        return port;
    }

    /** The first point's cluster bound {@code port}; starts the processes against it. */
    void startOnce(RunConfig cfg, int boundPort) throws IOException {
        if (started) {
            return;
        }
        port = boundPort;
        processes.pinTo(cfg.preExecCpus());
        processes.sendLinger(cfg.sendLinger());
        processes.start(count, "127.0.0.1", boundPort, secret, cfg.preExecThreads(), logs.path());
        started = true;
    }

    @Override
    public void close() {
        try {
            processes.close();
            keepLogs();
        } finally {
            logs.close();
        }
    }

    private void keepLogs() {
        if (keepLogsIn == null || !started) {
            return;
        }
        try {
            TempDirectory.copyFiles(logs.path(), keepLogsIn);
        } catch (IOException e) {
            System.err.println("remora bench: could not keep the pre-executor logs in " + keepLogsIn + ": " + e);
        }
    }
}
