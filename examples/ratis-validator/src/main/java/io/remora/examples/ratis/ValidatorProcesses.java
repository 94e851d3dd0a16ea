package io.remora.examples.ratis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Validator JVMs ({@link ValidatorMain}) on this machine, started, SIGKILLed and restarted on their
 * data directories at will, and always stopped: {@link #close()} (SIGTERM, SIGKILL after 20 s) also
 * runs from a shutdown hook, and each child runs with {@code --exit-on-stdin-eof} on a pipe from this
 * JVM, so when this JVM dies without running hooks the children (and, the same way, their
 * pre-executors) exit by themselves, as the harness' {@code PreExecutorProcesses} does for
 * pre-executors.
 *
 * <p>Each child runs with this JVM's java binary and class path, the Agrona export and this JVM's
 * native-access flags; its output is appended to {@code <logDir>/<id>.log} across restarts.
 *
 * <p>Thread-safety: the methods are synchronized.
 */
final class ValidatorProcesses implements AutoCloseable {
    private final List<ValidatorConfig> configs;
    private final Process[] processes;
    private final Path logDir;
    private final Thread hook = new Thread(this::stopAll, "remora-validator-reaper");

    ValidatorProcesses(List<ValidatorConfig> configs, Path logDir) throws IOException {
        this.configs = List.copyOf(configs);
        this.processes = new Process[configs.size()];
        this.logDir = logDir;
        Files.createDirectories(logDir);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Loopback peers v1..vN with free ports (chosen now: another process could take one before use). */
    static List<ValidatorConfig.Peer> loopbackPeers(int n) throws IOException {
        List<ValidatorConfig.Peer> peers = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 1; i <= n; i++) {
                ServerSocket a = new ServerSocket(0);
                ServerSocket b = new ServerSocket(0);
                held.add(a);
                held.add(b);
                peers.add(new ValidatorConfig.Peer("v" + i, "127.0.0.1", a.getLocalPort(), b.getLocalPort()));
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return peers;
    }

    List<ValidatorConfig> configs() {
        return configs;
    }

    Path log(int i) {
        return logDir.resolve(configs.get(i).id() + ".log");
    }

    synchronized void start(int i) {
        if (processes[i] != null && processes[i].isAlive()) {
            throw new IllegalStateException(configs.get(i).id() + " is running");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx512m", "-XX:+UseParallelGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--enable-native-access") || a.startsWith("--sun-misc-unsafe-memory-access"))
                .toList());
        cmd.add(ValidatorMain.class.getName());
        cmd.addAll(configs.get(i).toArgs());
        try {
            // The pipe to its stdin stays open (the Process holds it) until it is stopped or this JVM dies.
            processes[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start validator " + configs.get(i).id() + ": " + e.getMessage(), e);
        }
    }

    /** SIGKILL: no hook runs, RocksDB and the Raft log are left as the kernel has them. */
    synchronized void kill(int i) throws InterruptedException {
        Process p = processes[i];
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    synchronized boolean alive(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    synchronized long pid(int i) {
        return processes[i] == null ? -1 : processes[i].pid();
    }

    /** Exit status of a validator that has exited (not killed by us), for error reports; null while alive. */
    synchronized Integer exitStatus(int i) {
        return processes[i] == null || processes[i].isAlive() ? null : processes[i].exitValue();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down: the hook runs anyway
        }
    }

    private synchronized void stopAll() {
        for (Process p : processes) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
