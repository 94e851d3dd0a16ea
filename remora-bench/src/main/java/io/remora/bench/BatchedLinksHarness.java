package io.remora.bench;

import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.FrameProtection;
import io.remora.transport.Priority;
import io.remora.transport.Transport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportMetrics;
import io.remora.transport.TransportServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What a send costs at a given message rate, over one loopback link (issue 12 item 1, "batched
 * links"): {@code senders} threads (a pre-executor's workers) each send ~460-byte messages (a
 * transfer's RESULT) at {@code rate / senders} per second, paced, to a server that counts them. Per
 * message it prints the process CPU, the CPU of the client's and of the server's I/O thread, the
 * context switches of the whole process (voluntary + involuntary, summed over
 * {@code /proc/self/task/}), and the wire frames the server read (a sealed record counts once); and,
 * where the transport has them, its send batches. Only the public transport API is used, so the same
 * file compiles against a build from before batched sends (the batch counters then read n/a).
 *
 * <pre>
 * java -cp remora-bench/target/benchmarks.jar io.remora.bench.BatchedLinksHarness 20 5 4 2000,8000,32000 0
 *      # seconds per rate, warm-up seconds, sender threads, rates (messages/s), the client's sendLinger in µs
 * </pre>
 *
 * <p>Thread-safety: a main; not for reuse.
 */
public final class BatchedLinksHarness {
    private static final byte[] SECRET = "batched-links-cluster-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final int RESULT = 17;
    private static final int PAYLOAD = 460;

    private BatchedLinksHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int senders = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String rates = args.length > 3 ? args[3] : "2000,8000,32000";
        long lingerMicros = args.length > 4 ? Long.parseLong(args[4]) : 0;
        AtomicLong received = new AtomicLong();
        TransportServer server = Transport.netty().bind(TransportConfig.builder().nodeId("primary")
                .clusterSecret(SECRET).frameProtection(FrameProtection.ENCRYPTED).build(), "127.0.0.1", 0,
                (c, type, payload) -> received.incrementAndGet(), new ConnectionListener() { });
        TransportConfig.Builder clientConfig = TransportConfig.builder().nodeId("pre-1")
                .nodeKey(TransportConfig.deriveNodeKey(SECRET, "pre-1")).frameProtection(FrameProtection.ENCRYPTED);
        if (lingerMicros > 0) { // by reflection, so that this compiles against a build without it
            TransportConfig.Builder.class.getMethod("sendLinger", Duration.class).invoke(clientConfig,
                    Duration.ofNanos(lingerMicros * 1000));
        }
        TransportClient client = Transport.netty().connect(clientConfig.build(), "127.0.0.1", server.port(),
                (c, t, p) -> { }, new ConnectionListener() { });
        Connection link = client.awaitConnection(Duration.ofSeconds(10)).orElseThrow();
        System.out.println("senders=" + senders + ", sendLinger=" + lingerMicros + " µs, " + seconds + " s per rate");
        System.out.println("rate msg/s | delivered/s | process CPU µs/msg | client I/O µs/msg | server I/O µs/msg"
                + " | ctx switches/msg | wire frames/msg | frames per send batch");
        try {
            for (String r : rates.split(",")) {
                int rate = Integer.parseInt(r.trim());
                run(link, received, senders, rate, warmup, false, server.metrics(), client.metrics());
                run(link, received, senders, rate, seconds, true, server.metrics(), client.metrics());
            }
        } finally {
            client.close();
            server.close();
        }
    }

    private static void run(Connection link, AtomicLong received, int senders, int rate, int seconds, boolean report,
                            TransportMetrics serverMetrics, TransportMetrics clientMetrics) throws Exception {
        long startReceived = received.get();
        long startCpu = IngestRig.processCpuNanos();
        long startClientIo = IngestRig.threadsCpuNanos("remora-client-pre-1-");
        long startServerIo = IngestRig.threadsCpuNanos("remora-server-primary-");
        long startSwitches = contextSwitches();
        long startFrames = serverMetrics.framesIn();
        long[] startBatches = batches(clientMetrics);
        long startNanos = System.nanoTime();
        long endNanos = startNanos + seconds * 1_000_000_000L;
        long intervalNanos = 1_000_000_000L * senders / rate;
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            SplittableRandom random = new SplittableRandom(42 + s);
            byte[] payload = new byte[PAYLOAD];
            random.nextBytes(payload);
            long offset = intervalNanos * s / senders;
            threads.add(Thread.ofPlatform().name("sender-" + s).start(() -> {
                long next = startNanos + offset;
                while (next < endNanos) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    link.send(RESULT, payload, Priority.SPECULATIVE);
                    next += intervalNanos;
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        Thread.sleep(200); // the last messages in flight
        long n = received.get() - startReceived;
        if (!report || n == 0) {
            return;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long[] b = batches(clientMetrics);
        String perBatch = b == null ? "n/a"
                : String.format(Locale.ROOT, "%.2f", (double) (b[1] - startBatches[1]) / Math.max(1, b[0] - startBatches[0]));
        System.out.printf(Locale.ROOT, "%d | %.0f | %.2f | %.2f | %.2f | %.3f | %.3f | %s%n", rate,
                n / elapsed,
                (IngestRig.processCpuNanos() - startCpu) / 1e3 / n,
                (IngestRig.threadsCpuNanos("remora-client-pre-1-") - startClientIo) / 1e3 / n,
                (IngestRig.threadsCpuNanos("remora-server-primary-") - startServerIo) / 1e3 / n,
                (double) (contextSwitches() - startSwitches) / n,
                (double) (serverMetrics.framesIn() - startFrames) / n, perBatch);
    }

    /** {sendBatches, sendBatchFrames}, or null on a transport without them (a build before batched sends). */
    private static long[] batches(TransportMetrics m) {
        try {
            long batches = (long) TransportMetrics.class.getMethod("sendBatches").invoke(m);
            long frames = (long) TransportMetrics.class.getMethod("sendBatchFrames").invoke(m);
            return new long[] {batches, frames};
        } catch (ReflectiveOperationException absent) {
            return null;
        }
    }

    /** Voluntary and involuntary context switches of every live thread of this process (Linux; 0 elsewhere). */
    static long contextSwitches() {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        } catch (IOException notLinux) {
            return 0;
        }
        return total;
    }
}
