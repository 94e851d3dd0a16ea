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
 * {@code RemoraCluster} takes from its {@code RemoraPrimary}. Of the primary's internals it names
 * only what the hook's signatures carry: {@code CommitObserver} (whose {@code Detail} holds
 * {@code CommitOutcome}'s cause codes) and {@code RocksStore.SnapshotSink}. Nothing in
 * {@code io.remora.primary.internal} depends on this package. Which thread does what:
 * {@link io.remora.primary.cluster.ClusterService}.
 */
package io.remora.primary.cluster;
