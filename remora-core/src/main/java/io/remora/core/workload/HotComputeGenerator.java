package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.core.engine.ComputeProgram;
import java.util.List;

/**
 * A compute-heavy hot spot: {@code compute::fib(n)} on one of {@code k} shared accumulators chosen
 * by Zipf({@code theta}), 8 senders taking turns. Every transaction on an accumulator depends on the
 * previous one, so a primary that cannot adopt them runs them one after another, each costing about
 * {@code n} ns: the load an overwhelmed primary delegates with a lease.
 */
final class HotComputeGenerator extends BaseGenerator {
    private final List<Ed25519KeyPair> senders;
    private final ObjectId[] accumulators;
    private final Zipf zipf;
    private final long n;
    private long count;

    HotComputeGenerator(long seed, int k, double theta, long n) {
        super("hotCompute(k=" + k + ", theta=" + theta + ", n=" + n + ")", seed);
        requirePositive("k", k);
        if (n < 0 || n > ComputeProgram.MAX_N) {
            throw new IllegalArgumentException("n=" + n + " (expected: 0.." + ComputeProgram.MAX_N + ")");
        }
        this.n = n;
        this.zipf = new Zipf(k, theta);
        this.senders = newKeys(8);
        this.accumulators = new ObjectId[k];
        for (int i = 0; i < k; i++) {
            accumulators[i] = newId();
            addGenesis(ComputeProgram.genesisSharedAccumulator(accumulators[i], i));
        }
    }

    @Override
    public Transaction next() {
        Ed25519KeyPair sender = senders.get((int) (count++ % senders.size()));
        ObjectId acc = accumulators[zipf.sample(random)];
        return sign(sender, ComputeProgram.gasBudgetFor(n), List.of(InputObject.shared(acc, true)), ComputeProgram.NAME,
                "fib", ComputeProgram.fibArgs(n));
    }
}
