package io.remora.primary;

import io.remora.transport.TransportConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pre-executor in its own JVM ({@code io.remora.preexec.PreExecutorMain}) on the test classpath,
 * its node key (derived from the cluster secret) passed on its standard input, which also ties it to this JVM
 * ({@code --exit-on-stdin-eof}). {@link #close()} stops it (SIGTERM, then SIGKILL).
 */
final class PreExecutorProcess implements AutoCloseable {
    final String nodeId;
    final Process process;
    final Path log;

    private PreExecutorProcess(String nodeId, Process process, Path log) {
        this.nodeId = nodeId;
        this.process = process;
        this.log = log;
    }

    static PreExecutorProcess start(String nodeId, int port, byte[] secret, Path logDir, String... extraArgs)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> cmd = new ArrayList<>(List.of(java,
                                "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "io.remora.preexec.PreExecutorMain",
                "--primary", "127.0.0.1:" + port, "--node-id", nodeId, "--threads", "2",
                "--key-stdin", "--exit-on-stdin-eof"));
        cmd.addAll(List.of(extraArgs));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(nodeId + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Its own node key only, never the cluster secret (as an operator should provision it), on
        // a pipe that stays open while this JVM lives: if the test JVM dies, the child exits too.
        p.getOutputStream().write((HexFormat.of().formatHex(TransportConfig.deriveNodeKey(secret, nodeId)) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        return new PreExecutorProcess(nodeId, p, log);
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, ...) to the process. */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGKILL, no drain. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "<no log: " + e + ">";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(8, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
