package io.remora.primary.internal;

import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.protocol.ClusterMessage;
import io.remora.primary.OfferOutcome;
import io.remora.primary.QuarantinedPeer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the cluster service ({@code io.remora.primary.cluster.ClusterService}) may ask of the
 * primary, and nothing else: the one door between the two. {@link PrimaryRuntime} implements it;
 * {@code RemoraCluster} gets it from {@code RemoraPrimary.clusterHook()}.
 *
 * <p>Five groups, in the order a transaction meets them:
 * <ol>
 *   <li><b>Results in</b> (admission, then the transport's I/O threads): {@link #replicas},
 *       {@link #expectResults}, {@link #offerResult}, {@link #offerDelegatedResult}.</li>
 *   <li><b>Peers</b> (connections, stalls, quarantine): {@link #peerConnected},
 *       {@link #peerDisconnected}, {@link #isQuarantined}, {@link #quarantinedPeers},
 *       {@link #disagreements}, {@link #addQuarantineListener}, {@link #removeQuarantineListener}.</li>
 *   <li><b>Commit observation</b> (what feeds state updates, miss counts, the hot set and commit
 *       notices): {@link #addCommitObserver}, {@link #removeCommitObserver}.</li>
 *   <li><b>State reads</b> (snapshots, object requests, pushes): {@link #readSnapshot},
 *       {@link #readObject}, {@link #lastExecutedCommit}, {@link #isRunning}.</li>
 *   <li><b>Lease routing</b> (design §7): {@link #leaseLinks}, {@link #leaseCovers},
 *       {@link #leaseDelegate}.</li>
 * </ol>
 *
 * <p>Methods marked "running" throw IllegalStateException unless the primary is started and not
 * closed (the cluster treats that as "the primary is shutting down"). Thread-safety: every method
 * may be called from any thread.
 */
public interface ClusterHook {

    // ---- results in -------------------------------------------------------------------------------

    /** Distinct pre-executors each transaction is sent to: r in CROSS_CHECKED, 1 in TRUSTED. */
    int replicas();

    /**
     * Running. Admission routed {@code tx} to {@code peers}: their results are accepted and, while
     * they are connected, awaited (its gas bounds an honest result's size). Called before the
     * EXECUTE is sent, so that a result cannot overtake it and be refused as unsolicited.
     */
    void expectResults(Transaction tx, String... peers);

    /** Running. A RESULT from pre-executor {@code source} (see {@link ResultTable}). */
    OfferOutcome offerResult(PreExecResult result, String source);

    /** Running. A lease delegate's answer (LEASE_RESULT) from {@code source} for lease {@code epoch}. */
    OfferOutcome offerDelegatedResult(PreExecResult result, String source, long epoch);

    // ---- peers ------------------------------------------------------------------------------------

    /** Running. A pre-executor connected or answers again: results routed to it are worth waiting for. */
    void peerConnected(String peer);

    /** A pre-executor disconnected or stalled: nothing routed to it is awaited, a lease it holds ends. */
    void peerDisconnected(String peer);

    /** Whether {@code nodeId} is quarantined (persisted; its connections are refused). */
    boolean isQuarantined(String nodeId);

    /** The quarantined peers, by node id. */
    List<QuarantinedPeer> quarantinedPeers();

    /** Cross-checked results from {@code nodeId} that disagreed with another peer's (since start). */
    long disagreements(String nodeId);

    /** {@code listener} is told (on the execution stage) the node id of every peer quarantined from now on. */
    void addQuarantineListener(Consumer<String> listener);

    /** Removes a listener added with {@link #addQuarantineListener}. */
    void removeQuarantineListener(Consumer<String> listener);

    // ---- commit observation -----------------------------------------------------------------------

    /** {@code observer} is told every commit published from now on, after the host's listener. */
    void addCommitObserver(CommitObserver observer);

    /** Removes an observer added with {@link #addCommitObserver}. */
    void removeCommitObserver(CommitObserver observer);

    // ---- state reads ------------------------------------------------------------------------------

    /**
     * Running. Streams a consistent view of the durable state in chunks (see
     * {@link RocksStore#readSnapshot}).
     *
     * @return the commit the view is at (-1: genesis)
     */
    long readSnapshot(int maxChunkObjects, int maxChunkBytes, RocksStore.SnapshotSink sink);

    /** Running. The latest executed version of {@code id} (possibly not durable yet), or null. */
    StoredObject readObject(ObjectId id);

    /** Running. The last commit published, -1 if none. */
    long lastExecutedCommit();

    /** Started and not closed. */
    boolean isRunning();

    // ---- lease routing ----------------------------------------------------------------------------

    /** Running. The cluster's side of leases ({@link LeaseLinks}); null when the cluster stops (a lease held ends). */
    void leaseLinks(LeaseLinks links);

    /** Whether a lease covers every object {@code tx} declares: admission sends it to consensus only. */
    boolean leaseCovers(Transaction tx);

    /** The current lease's delegate (null: none), kept free of speculative work. */
    String leaseDelegate();

    /**
     * The cluster side of leases, handed to the primary by {@link #leaseLinks}: who may hold a
     * lease, and how to reach it. Called from the consensus thread (forwarding), the execution
     * stage (grants, ends) and whichever thread reports a peer gone (ends), one call at a time
     * (under the lease manager's lock): it must not block.
     */
    interface LeaseLinks {
        /** The least loaded synced, routable pre-executor, or null if there is none. */
        String pickDelegate();

        /** Sends {@code m} to {@code peer} reliably; false if the peer is gone or refused it. */
        boolean send(String peer, ClusterMessage m);
    }
}
