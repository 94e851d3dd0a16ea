/**
 * The cluster service behind {@link io.remora.primary.RemoraCluster}: the primary's side of the
 * cluster protocol ({@code docs/protocol.md}, section 3). Not exported.
 *
 * <ul>
 *   <li>{@link io.remora.primary.cluster.ClusterService}: admission and routing, the transport's
 *       callbacks, and the {@code remora-cluster} thread that streams snapshots, state updates,
 *       pushes, hot sets and commit notices;</li>
 *   <li>{@code AdmissionRouter} (rendezvous hashing with a load check), {@code PeerLink} (one
 *       pre-executor connection: load, backlog, stall, snapshot and miss state), {@code TokenBucket}
 *       (its object-request rate), {@code StateHistory} (recent commits' net changes, cut into
 *       STATE_UPDATE ranges), {@code FeedbackTracker} (the hot set), and
 *       {@link io.remora.primary.cluster.ClusterCounters} (handed out as
 *       {@link io.remora.primary.ClusterMetrics}).</li>
 * </ul>
 *
 * <p>This package reaches the primary only through {@link io.remora.primary.internal.ClusterHook}
 * (results in, peers and quarantine, commit observation, state reads, lease routing), which
 * {@code RemoraCluster} takes from its {@code RemoraPrimary}; of the primary's internals it names
 * only the types that interface's signatures carry ({@code CommitObserver}, {@code CommitOutcome},
 * {@code RocksStore.SnapshotSink}). Nothing in {@code io.remora.primary.internal} depends on it.
 *
 * <pre>
 *  host threads    submit(tx) --decode/limits--> route --EXECUTE (SPECULATIVE)--> pre-executor
 *                                               `--> ConsensusSubmitter.submit(tx)
 *  transport I/O   RESULT --decode--> ClusterHook.offerResult(result, peerId)
 *                  heartbeat LOAD --> PeerLink.load
 *                  SNAPSHOT_REQUEST, OBJECT_REQUEST ------------+
 *  remora-publish  CommitObserver.Detail ------------------------+--> remora-cluster (one thread)
 *  remora-cluster  every stateUpdateInterval: flush ranges
 * </pre>
 */
package io.remora.primary.cluster;
