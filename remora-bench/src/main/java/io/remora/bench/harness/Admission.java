package io.remora.bench.harness;

import io.remora.core.Transaction;

/**
 * Where the load generator hands each transaction: straight to the simulated consensus (no
 * pre-execution), or to a {@code RemoraCluster}, which routes it to a pre-executor and hands it to
 * consensus.
 *
 * <p>Called from the load generator thread only.
 */
interface Admission extends AutoCloseable {
    /**
     * Submits transaction number {@code index} of the run; false if admission refused it (back-pressure:
     * it did not reach consensus; {@link RetryingClient} offers it again later).
     */
    boolean submit(int index, Transaction tx);

    /** Pre-executors connected and synced now (0 without a cluster). */
    default int syncedPreExecutors() {
        return 0;
    }

    /**
     * SIGKILLs one pre-executor and starts a replacement at once ({@code remora bench --replace-at});
     * returns the newcomer's node id. Any thread.
     *
     * @throws UnsupportedOperationException without pre-executor processes of its own
     */
    default String replacePreExecutor() throws java.io.IOException {
        throw new UnsupportedOperationException("no pre-executor processes to replace");
    }

    /** What the primary knows of its pre-executors now (empty without a cluster). Any thread. */
    default java.util.List<io.remora.primary.PeerStatus> peers() {
        return java.util.List.of();
    }

    /** What the primary knows of pre-executor {@code nodeId} now, or null (not connected, or no cluster). Any thread. */
    default io.remora.primary.PeerStatus peer(String nodeId) {
        for (io.remora.primary.PeerStatus p : peers()) {
            if (p.nodeId().equals(nodeId) && !p.quarantined()) {
                return p;
            }
        }
        return null;
    }

    /** A line about the admission's state for the report (peers, routed count), or empty. */
    default String describe() {
        return "";
    }

    @Override
    default void close() {
    }
}
