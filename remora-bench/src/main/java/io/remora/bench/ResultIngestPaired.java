package io.remora.bench;

import io.remora.transport.FrameProtection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * RESULT ingestion by frame protection, <em>paired</em>: one JVM holds a loopback {@link IngestRig}
 * per protection ({@code NONE}, {@code AUTHENTICATED}, {@code ENCRYPTED}) and runs rounds of one
 * batch on each, in a rotating order, so that the noise of a shared machine (other tenants take
 * whole cores here for seconds) falls on all three alike. Reported per protection: the median batch
 * rate, the median and quartiles of its per-round ratio to {@code NONE}'s rate, the CPU of its
 * server's I/O thread per result (the primary's side: open and decode), of its client's I/O thread
 * (the pre-executor's side: seal and write) and of the sending thread (encode, hand to Netty, wait),
 * and results per wire frame.
 * The load average is printed at start and end. Not a JMH benchmark (JMH runs one parameter after
 * the other); the JVM is warmed up for {@code warmup} seconds of the same rounds first.
 *
 * <pre>
 * java -Xms1g -Xmx1g \
 *     -cp remora-bench/target/benchmarks.jar io.remora.bench.ResultIngestPaired [seconds=60] [warmup=15] [batch=5000]
 * </pre>
 */
public final class ResultIngestPaired {
    private ResultIngestPaired() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        FrameProtection[] kinds = FrameProtection.values();
        IngestRig[] rigs = new IngestRig[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            rigs[i] = new IngestRig(kinds[i], batch);
        }
        try {
            System.out.printf(Locale.ROOT, "paired ingest: batch %d, warm-up %d s, measured %d s, load average %s%n",
                    batch, warmup, seconds, loadAverage());
            run(rigs, warmup, null, new long[rigs.length]);
            long[] cpu0 = new long[rigs.length];
            long[] clientCpu0 = new long[rigs.length];
            long[] results0 = new long[rigs.length];
            long[] frames0 = new long[rigs.length];
            for (int i = 0; i < rigs.length; i++) {
                cpu0[i] = rigs[i].serverCpuNanos();
                clientCpu0[i] = rigs[i].clientCpuNanos();
                results0[i] = rigs[i].decoded();
                frames0[i] = rigs[i].wireFrames();
            }
            List<double[]> rounds = new ArrayList<>();
            long[] senderCpu = new long[rigs.length];
            run(rigs, seconds, rounds, senderCpu);
            double[][] rate = new double[rigs.length][rounds.size()];
            for (int r = 0; r < rounds.size(); r++) {
                for (int i = 0; i < rigs.length; i++) {
                    rate[i][r] = rounds.get(r)[i];
                }
            }
            System.out.printf(Locale.ROOT, "%d rounds; load average at end %s%n", rounds.size(), loadAverage());
            System.out.printf(Locale.ROOT, "%-14s %14s %26s %14s %14s %14s %14s%n", "protection", "median rate/s",
                    "ratio to NONE p25/p50/p75", "server I/O", "client I/O", "sender", "results/frame");
            System.out.printf(Locale.ROOT, "%-14s %14s %26s %14s %14s %14s%n", "", "", "", "us CPU/result",
                    "us CPU/result", "us CPU/result");
            for (int i = 0; i < rigs.length; i++) {
                double[] ratio = new double[rounds.size()];
                for (int r = 0; r < ratio.length; r++) {
                    ratio[r] = rate[i][r] / rate[0][r];
                }
                long results = rigs[i].decoded() - results0[i];
                System.out.printf(Locale.ROOT, "%-14s %14.0f %12.3f/%.3f/%.3f %14.2f %14.2f %14.2f %14.1f%n", kinds[i],
                        quantile(rate[i], 0.5), quantile(ratio, 0.25), quantile(ratio, 0.5), quantile(ratio, 0.75),
                        (rigs[i].serverCpuNanos() - cpu0[i]) / 1e3 / results,
                        (rigs[i].clientCpuNanos() - clientCpu0[i]) / 1e3 / results, senderCpu[i] / 1e3 / results,
                        results / (double) Math.max(1, rigs[i].wireFrames() - frames0[i]));
            }
        } finally {
            for (IngestRig rig : rigs) {
                rig.close();
            }
        }
    }

    /**
     * Rounds for {@code seconds}: each sends one batch per rig, starting with a rotating rig; adds
     * this (sending) thread's CPU per rig to {@code senderCpu}.
     */
    private static void run(IngestRig[] rigs, int seconds, List<double[]> rounds, long[] senderCpu) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int round = 0;
        while (System.nanoTime() < end) {
            double[] rates = new double[rigs.length];
            for (int k = 0; k < rigs.length; k++) {
                int i = (round + k) % rigs.length;
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                rigs[i].sendBatch();
                rates[i] = rigs[i].batch() * 1e9 / (System.nanoTime() - t0);
                senderCpu[i] += mx.getCurrentThreadCpuTime() - c0;
            }
            if (rounds != null) {
                rounds.add(rates);
            }
            round++;
        }
    }

    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
