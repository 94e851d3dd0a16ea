package io.remora.bench;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.Transaction;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 (Bouncy Castle, RFC 8032) over a 32-byte message, the size of a transaction digest:
 * {@code verify} ({@link Ed25519KeyPair#verify}), {@code sign}, and
 * {@code transactionVerifySignature} ({@link Transaction#verifySignature}: address derivation from
 * the public key plus verify over the digest, the check hinted execution skips). Baseline for each
 * other: the transaction check should cost verify plus one small hash.
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar SignatureBenchmark -rf json -rff sig.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SignatureBenchmark {
    private Ed25519KeyPair key;
    private byte[] publicKey;
    private byte[] message;
    private byte[] signature;
    private Transaction tx;

    @Setup
    public void setup() {
        Random random = new Random(Fixtures.SEED);
        key = Ed25519KeyPair.generate(random);
        publicKey = key.publicKey();
        message = new byte[32];
        random.nextBytes(message);
        signature = key.sign(message);
        tx = Fixtures.workload("transfers", 1).transactions().get(0);
        if (!Ed25519KeyPair.verify(publicKey, message, 0, message.length, signature) || !tx.verifySignature()) {
            throw new IllegalStateException("fixture signature does not verify");
        }
    }

    @Benchmark
    public boolean verify() {
        return Ed25519KeyPair.verify(publicKey, message, 0, message.length, signature);
    }

    @Benchmark
    public byte[] sign() {
        return key.sign(message);
    }

    @Benchmark
    public boolean transactionVerifySignature() {
        return tx.verifySignature();
    }
}
