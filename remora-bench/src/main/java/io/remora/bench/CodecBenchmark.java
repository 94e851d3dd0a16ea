package io.remora.bench;

import io.remora.core.Commit;
import io.remora.core.Effects;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.MessageCodec;
import io.remora.core.workload.Workload;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link MessageCodec} encode and decode per message type, on messages of the transfers workload:
 * a transfer {@code Transaction} (split: one owned coin input), its {@code Effects} (two objects
 * written), its full {@code PreExecResult} (effects plus lookup table), the sender's coin as a
 * {@code StoredObject}, and a {@code Commit} of {@value #COMMIT_SIZE} such transactions. Encoding
 * allocates the message array; decoding parses and validates a {@code byte[]} message. The
 * per-message-type scores are the baselines for wire costs (e.g. decoding a result vs executing
 * it). Message sizes are printed at setup.
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar CodecBenchmark -rf json -rff codec.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
    static final int COMMIT_SIZE = 100;

    @Param({"Transaction", "Effects", "PreExecResult", "StoredObject", "Commit"})
    public String type;

    private Supplier<byte[]> encoder;
    private Function<byte[], Object> decoder;
    private byte[] encoded;

    @Setup
    public void setup() {
        Workload w = Fixtures.workload("transfers", COMMIT_SIZE);
        PreExecResult result = Fixtures.exactResults(w.prefix(1), Fixtures.executor())[0];
        Transaction tx = w.transactions().get(0);
        Effects effects = result.effects();
        StoredObject object = effects.written().get(0).object();
        Commit commit = new Commit(7, w.transactions());
        switch (type) {
            case "Transaction" -> {
                encoder = () -> MessageCodec.encode(tx);
                decoder = MessageCodec::decodeTransaction;
            }
            case "Effects" -> {
                encoder = () -> MessageCodec.encode(effects);
                decoder = MessageCodec::decodeEffects;
            }
            case "PreExecResult" -> {
                encoder = () -> MessageCodec.encode(result);
                decoder = MessageCodec::decodePreExecResult;
            }
            case "StoredObject" -> {
                encoder = () -> MessageCodec.encode(object);
                decoder = MessageCodec::decodeObject;
            }
            case "Commit" -> {
                encoder = () -> MessageCodec.encode(commit);
                decoder = MessageCodec::decodeCommit;
            }
            default -> throw new IllegalArgumentException("unknown message type " + type);
        }
        encoded = encoder.get();
        System.out.println(type + ": " + encoded.length + " bytes");
    }

    @Benchmark
    public byte[] encode() {
        return encoder.get();
    }

    @Benchmark
    public Object decode() {
        return decoder.apply(encoded);
    }
}
