package io.remora.bench.harness;

import io.remora.primary.Provisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Provisioner} that runs pre-executors as processes on this machine
 * ({@link PreExecutorProcesses}: keys over a pipe, tied to this JVM's life). {@link #stop} evicts
 * the most recently started first: SIGTERM (drain), SIGKILL after the deadline. {@link #close}
 * stops them all.
 *
 * <p>Thread-safety: the methods are synchronized.
 */
public final class LocalProcessProvisioner implements Provisioner, AutoCloseable {
    private final PreExecutorProcesses processes;
    private final String host;
    private final int port;
    private final byte[] secret;
    private final int threads;
    private final Path logDir;
    private final Set<String> stopped = new HashSet<>();

    /** Pre-executors for the cluster at {@code host:port}, {@code threads} workers each (0: default). */
    public LocalProcessProvisioner(String host, int port, byte[] secret, int threads, Path logDir) {
        this(new PreExecutorProcesses(), host, port, secret, threads, logDir);
    }

    /** The same, adding to (and stopping from) {@code processes}, which its owner closes. */
    public LocalProcessProvisioner(PreExecutorProcesses processes, String host, int port, byte[] secret, int threads,
                                   Path logDir) {
        this.processes = processes;
        this.host = host;
        this.port = port;
        this.secret = secret.clone();
        this.threads = threads;
        this.logDir = logDir;
    }

    @Override
    public synchronized int running() {
        return live().size();
    }

    @Override
    public synchronized void start(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count=" + count + " (expected: >= 0)");
        }
        try {
            processes.start(count, host, port, secret, threads, logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pre-executor processes: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop(int count, Duration drainDeadline) {
        List<PreExecutorProcesses.Child> live = live();
        for (int i = 0; i < count && i < live.size(); i++) {
            PreExecutorProcesses.Child c = live.get(live.size() - 1 - i);
            stopped.add(c.nodeId());
            processes.stop(c, drainDeadline);
        }
    }

    /** Every process started so far (alive or not), oldest first. */
    public List<PreExecutorProcesses.Child> children() {
        return processes.children();
    }

    private List<PreExecutorProcesses.Child> live() {
        List<PreExecutorProcesses.Child> out = new ArrayList<>();
        for (PreExecutorProcesses.Child c : processes.children()) {
            if (c.process().isAlive() && !stopped.contains(c.nodeId())) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        processes.close();
    }
}
