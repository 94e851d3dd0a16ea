package io.remora.bench;

import io.remora.transport.FrameProtection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RESULT ingestion over loopback TCP by frame protection (issue 10): what sealed records cost.
 * One invocation sends {@value #BATCH} RESULT messages through an {@link IngestRig} and waits until
 * the server has decoded all of them, so the score is results ingested per second. {@code
 * protection}: {@code NONE} (plain frames), {@code AUTHENTICATED} (records with a Poly1305 tag),
 * {@code ENCRYPTED} (records under AES-256-GCM).
 *
 * <p>At trial end it prints the CPU per result of the server's I/O thread (the primary's side:
 * open, decode) and of the whole process (client encode and seal too), and how many results a wire
 * frame carried. The forks of the three run one after the other, so slow drifts of a shared
 * machine land on one of them; {@link ResultIngestPaired} alternates them batch by batch instead.
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar \
 *      ResultIngestBenchmark -f 1 -wi 5 -i 10 -rf json -rff ingest.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
public class ResultIngestBenchmark {
    static final int BATCH = 2_000;

    @Param({"NONE", "AUTHENTICATED", "ENCRYPTED"})
    public FrameProtection protection;

    private IngestRig rig;
    private long cpuStart;
    private long serverCpuStart;
    private long resultsStart;
    private long wireFramesStart;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        rig = new IngestRig(protection, BATCH);
        cpuStart = IngestRig.processCpuNanos();
        serverCpuStart = rig.serverCpuNanos();
        resultsStart = rig.decoded();
        wireFramesStart = rig.wireFrames();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long ingest() {
        return rig.sendBatch();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long results = rig.decoded() - resultsStart;
        long wireFrames = rig.wireFrames() - wireFramesStart;
        System.out.printf(Locale.ROOT, "%n[ingest protection=%s] %d results in %d wire frames (%.1f per frame):"
                        + " server I/O thread %.2f us CPU per result, whole process (client encode/seal + server"
                        + " open/decode) %.2f us per result%n",
                protection, results, wireFrames, results / (double) Math.max(1, wireFrames),
                (rig.serverCpuNanos() - serverCpuStart) / 1e3 / results,
                (IngestRig.processCpuNanos() - cpuStart) / 1e3 / results);
        rig.close();
    }
}
