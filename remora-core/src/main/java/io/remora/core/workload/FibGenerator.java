package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.core.engine.ComputeProgram;
import java.util.List;

/** Pilotfish's Fib-N: account {@code i mod A} runs {@code compute::fib(n)} on its own accumulator. */
final class FibGenerator extends BaseGenerator {
    private final List<Ed25519KeyPair> accounts;
    private final ObjectId[] accumulators;
    private final long n;
    private long count;

    FibGenerator(long seed, int accounts, long n) {
        super("fib(accounts=" + accounts + ", n=" + n + ")", seed);
        requirePositive("accounts", accounts);
        if (n < 0 || n > ComputeProgram.MAX_N) {
            throw new IllegalArgumentException("n=" + n + " (expected: 0.." + ComputeProgram.MAX_N + ")");
        }
        this.n = n;
        this.accounts = newKeys(accounts);
        this.accumulators = new ObjectId[accounts];
        for (int i = 0; i < accounts; i++) {
            accumulators[i] = newId();
            addGenesis(ComputeProgram.genesisAccumulator(accumulators[i], this.accounts.get(i).address(), i));
        }
        startShadow();
    }

    @Override
    public Transaction next() {
        int a = (int) (count++ % accounts.size());
        return sign(accounts.get(a), ComputeProgram.gasBudgetFor(n),
                List.of(InputObject.owned(shadow().ref(accumulators[a]))), ComputeProgram.NAME, "fib",
                ComputeProgram.fibArgs(n));
    }
}
