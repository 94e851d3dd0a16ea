package io.remora.bench;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.engine.Ed25519VerifyPrecompile;
import io.remora.core.engine.Sha256Precompile;
import io.remora.core.exec.Precompile;
import io.remora.core.exec.Precompiles;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Each built-in precompile's {@code apply}: iterated SHA-256 ({@link Sha256Precompile}) on 64 data
 * bytes at 1, 10, 100 and 1,000 rounds, and Ed25519 verification ({@link Ed25519VerifyPrecompile})
 * of a signature over 64 bytes. {@code memoKey} is {@link Precompiles#inputDigest}, the
 * memoization key computed for every precompile call (the cost hinted re-execution still pays when
 * it reuses an output): the baseline that reuse must beat by a wide margin.
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar PrecompileBenchmark -rf json -rff precompile.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PrecompileBenchmark {
    @Param({"sha256-1", "sha256-10", "sha256-100", "sha256-1000", "ed25519"})
    public String precompile;

    private Precompile p;
    private byte[] input;

    @Setup
    public void setup() {
        Random random = new Random(Fixtures.SEED);
        byte[] data = new byte[64];
        random.nextBytes(data);
        if (precompile.equals("ed25519")) {
            Ed25519KeyPair key = Ed25519KeyPair.generate(random);
            p = new Ed25519VerifyPrecompile();
            input = Ed25519VerifyPrecompile.input(key.publicKey(), key.sign(data), data);
            if (p.apply(input)[0] != 1) {
                throw new IllegalStateException("fixture signature does not verify");
            }
        } else if (precompile.startsWith("sha256-")) {
            p = new Sha256Precompile();
            input = Sha256Precompile.input(Integer.parseInt(precompile.substring(7)), data);
        } else {
            throw new IllegalArgumentException("unknown precompile " + precompile);
        }
    }

    @Benchmark
    public byte[] apply() {
        return p.apply(input);
    }

    @Benchmark
    public Object memoKey() {
        return Precompiles.inputDigest(input);
    }
}
