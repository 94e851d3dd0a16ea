package io.remora.primary;

import io.remora.core.Transaction;

/**
 * Implemented by the host: hands an admitted transaction to its consensus, which will later order
 * it into a commit and call {@link RemoraPrimary#submitCommit}.
 *
 * <p>Called by {@link RemoraCluster#submit} on the submitting thread, after the transaction was
 * forwarded to a pre-executor (if any). It should not block for long; an exception propagates to
 * the caller of {@code submit}.
 */
@FunctionalInterface
public interface ConsensusSubmitter {
    void submit(Transaction tx);
}
