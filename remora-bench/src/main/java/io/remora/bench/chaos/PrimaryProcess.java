package io.remora.bench.chaos;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One incarnation of the {@link PrimaryChild} JVM, owned by the chaos driver: started with this
 * JVM's java and class path, its commands written to its standard input (whose end halts it, so
 * it dies with the driver however the driver dies), its protocol lines read by a daemon thread
 * into the driver's queue, its standard error appended to {@code stderr}.
 *
 * <p>{@link #send} and {@link #kill} are called from the driver thread only.
 */
final class PrimaryProcess implements AutoCloseable {
    /** A line from incarnation {@code incarnation}; {@code line} null: its output ended (it exited). */
    record Line(int incarnation, String line) {
    }

    private final int incarnation;
    private final Process process;
    private final BufferedWriter stdin;
    private final Thread reader;
    private boolean broken;

    private PrimaryProcess(int incarnation, Process process, BlockingQueue<Line> sink) {
        this.incarnation = incarnation;
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
        this.reader = new Thread(() -> pump(process, incarnation, sink), "chaos-primary-" + incarnation + "-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts incarnation {@code incarnation} on {@code dataDir}, listening on {@code port}, and hands
     * it the cluster secret (hex) on its standard input.
     */
    static PrimaryProcess start(int incarnation, Path dataDir, int port, String workload, long seed, int chunkSize,
                                int workerThreads, String secretHex, Path stderr, BlockingQueue<Line> sink)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx384m"));
        cmd.addAll(io.remora.bench.harness.PreExecutorProcesses.inheritedAccessFlags());
        if (cmd.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // RocksDB's JNI library
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PrimaryChild.class.getName(),
                dataDir.toString(), Integer.toString(port), workload, Long.toString(seed), Integer.toString(chunkSize),
                Integer.toString(workerThreads)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
        PrimaryProcess pp = new PrimaryProcess(incarnation, p, sink);
        pp.send(secretHex);
        return pp;
    }

    private static void pump(Process p, int incarnation, BlockingQueue<Line> sink) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = in.readLine()) != null) {
                sink.add(new Line(incarnation, l));
            }
        } catch (IOException ignored) {
            // the process died: same as the end
        }
        sink.add(new Line(incarnation, null));
    }

    int incarnation() {
        return incarnation;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Writes one command line; a dead process's broken pipe is remembered, not thrown (its death is reported by the reader). */
    void send(String line) {
        if (broken) {
            return;
        }
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            broken = true;
        }
    }

    /**
     * SIGKILL, then waits for the process and for its reader to have queued every line it had
     * written: lines of this incarnation all precede those of the next one.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Waits up to {@code millis} for a process that was asked to finish; kills it if it still runs. */
    int awaitExit(long millis) throws InterruptedException {
        if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            kill();
            return -1;
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
