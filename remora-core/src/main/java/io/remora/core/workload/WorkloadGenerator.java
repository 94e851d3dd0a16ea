package io.remora.core.workload;

import io.remora.core.Address;
import io.remora.core.Ed25519KeyPair;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * An unbounded, seeded stream of signed transactions over a fixed genesis, for open-loop traffic.
 * The same seed gives the same genesis and the same stream. Owned-input references in each
 * transaction assume all earlier transactions of the stream were executed in generation order.
 *
 * <p>Not thread-safe: one caller drives {@link #next()}.
 */
public interface WorkloadGenerator {
    /** The workload's name, e.g. {@code transfers(accounts=100)}. */
    String name();

    /** The genesis objects the stream runs on (a copy). */
    List<StoredObject> genesis();

    /** The next transaction of the stream. */
    Transaction next();

    /**
     * The key that signs this stream's transactions from {@code sender}, or null if none does
     * (for tests that re-sign, copy or forge transactions).
     */
    default Ed25519KeyPair signer(Address sender) {
        return null;
    }

    /** The genesis and the next {@code n} transactions; on a fresh generator, a replayable workload. */
    default Workload take(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n=" + n + " (expected: >= 0)");
        }
        List<Transaction> txs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            txs.add(next());
        }
        return new Workload(name(), genesis(), txs);
    }
}
