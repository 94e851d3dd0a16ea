package io.remora.primary.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.remora.primary.ClusterMetrics;
import io.remora.primary.PeerStatus;
import io.remora.primary.RemoraCluster;
import io.remora.primary.SubmitOutcome;
import io.remora.transport.micrometer.TransportMeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Exports a {@link RemoraCluster}'s metrics to Micrometer: its {@link ClusterMetrics} counters, its
 * server's transport counters ({@link TransportMeterBinder}, {@code link="cluster"}), and per
 * pre-executor ({@code peer} label) the {@link PeerStatus} of {@link RemoraCluster#peers()}.
 * Counters and gauges are read at scrape time; nothing is added to the cluster's threads.
 *
 * <p>Peers come and go: one daemon thread ({@code remora-metrics-peers}) reads
 * {@link RemoraCluster#peers()} every {@code refresh} (1 s by default), registers the meters of a
 * new peer and removes those of a peer no longer listed; the per-peer values are those of the last
 * read. {@link #close()} stops it and removes the per-peer meters.
 *
 * <p>Names (Prometheus form), types and labels: {@code docs/operations.md}, "Prometheus names".
 * Needs {@code io.micrometer:micrometer-core} on the class path (an optional dependency of
 * {@code remora-primary}). Thread-safe; may be bound to several registries.
 */
public final class ClusterMeterBinder implements MeterBinder, AutoCloseable {
    private final RemoraCluster cluster;
    private final Tags tags;
    private final Duration refresh;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    /** Per peer node id: its meters in every registry (refresh thread and bindTo, under this). */
    private final Map<String, List<Meter>> peerMeters = new HashMap<>();
    private volatile Map<String, PeerStatus> peers = Map.of();
    private ScheduledExecutorService refresher;
    private boolean closed;

    public ClusterMeterBinder(RemoraCluster cluster) {
        this(cluster, Tags.empty(), Duration.ofSeconds(1));
    }

    /**
     * @param tags    added to every meter (e.g. {@code node})
     * @param refresh how often the set of peers (and their values) is read again: 10 ms..1 h
     */
    public ClusterMeterBinder(RemoraCluster cluster, Iterable<Tag> tags, Duration refresh) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.tags = Tags.of(tags);
        Objects.requireNonNull(refresh, "refresh");
        if (refresh.compareTo(Duration.ofMillis(10)) < 0 || refresh.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("refresh=" + refresh + " (expected: 10 ms..1 h)");
        }
        this.refresh = refresh;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (closed) {
            throw new IllegalStateException("binder closed");
        }
        counter(registry, "remora.cluster.submitted", "Calls to submit, whatever their outcome", ClusterMetrics::submitted);
        String subHelp = "Submitted transactions by admission outcome";
        counter(registry, "remora.cluster.submissions", subHelp, ClusterMetrics::routed, "outcome", "routed");
        counter(registry, "remora.cluster.submissions", subHelp, ClusterMetrics::localOnly, "outcome", "local_only");
        counter(registry, "remora.cluster.submissions", subHelp, ClusterMetrics::delegated, "outcome", "delegated");
        for (SubmitOutcome o : new SubmitOutcome[] {SubmitOutcome.REJECTED_MALFORMED, SubmitOutcome.REJECTED_TOO_LARGE,
                SubmitOutcome.REJECTED_OVERLOADED}) {
            counter(registry, "remora.cluster.submissions", subHelp, c -> c.rejected(o),
                    "outcome", o.name().toLowerCase(Locale.ROOT));
        }
        counter(registry, "remora.cluster.rebalanced", "Routed away from an overloaded preferred pre-executor",
                ClusterMetrics::rebalanced);
        counter(registry, "remora.cluster.routed.sticky", "Routed to the pre-executor holding their objects' speculative versions",
                ClusterMetrics::routedSticky);
        counter(registry, "remora.cluster.execute.sends.dropped", "EXECUTE sends dropped under back-pressure",
                ClusterMetrics::executeSendsDropped);
        counter(registry, "remora.cluster.results.received", "Results decoded and offered to the primary",
                ClusterMetrics::resultsReceived);
        counter(registry, "remora.cluster.results.undecodable", "RESULT payloads that did not decode",
                ClusterMetrics::resultsUndecodable);
        counter(registry, "remora.cluster.messages.rejected", "Other messages undecodable or unexpected",
                ClusterMetrics::messagesRejected);
        counter(registry, "remora.cluster.state.updates.sent", "STATE_UPDATE messages sent",
                ClusterMetrics::stateUpdatesSent);
        counter(registry, "remora.cluster.pushes.after.misses", "State pushed to a pre-executor after its misses",
                ClusterMetrics::pushesAfterMisses);
        counter(registry, "remora.cluster.snapshots.served", "Snapshots streamed to pre-executors",
                ClusterMetrics::snapshotsServed);
        counter(registry, "remora.cluster.snapshot.requests.deferred", "Snapshot requests that waited their turn",
                ClusterMetrics::snapshotRequestsDeferred);
        counter(registry, "remora.cluster.snapshots.abandoned", "Snapshots stopped by their peer (gone, link not draining, asked again)",
                ClusterMetrics::snapshotsAbandoned);
        counter(registry, "remora.cluster.snapshot.requests.stale", "Snapshot requests ignored: a later one came on the link",
                ClusterMetrics::snapshotRequestsStale);
        counter(registry, "remora.cluster.object.requests.rejected", "OBJECT_REQUESTs over a peer's rate",
                ClusterMetrics::objectRequestsRejected);
        counter(registry, "remora.cluster.hot.set.broadcasts", "HOT_SET messages sent",
                ClusterMetrics::hotSetBroadcasts);
        Gauge.builder("remora.cluster.hot.set.epoch", cluster, c -> c.metrics().hotSetEpoch())
                .description("Epoch of the current hot set (0: never changed)").tags(tags).register(registry);
        counter(registry, "remora.cluster.internal.errors", "Failures inside the cluster thread (task skipped)",
                ClusterMetrics::internalErrors);
        counter(registry, "remora.cluster.quarantine.refusals", "Connections of a quarantined peer closed",
                ClusterMetrics::quarantineRefusals);
        counter(registry, "remora.cluster.replaced.connections", "Connections replaced by a newer one of the same node id",
                ClusterMetrics::replacedConnections);
        counter(registry, "remora.cluster.peers.stalled", "Stall episodes begun", ClusterMetrics::peersStalled);
        counter(registry, "remora.cluster.peers.recovered", "Stall episodes ended", ClusterMetrics::peersRecovered);
        counter(registry, "remora.cluster.peers.recovered.idle", "Stall episodes ended by a load report with nothing unanswered",
                ClusterMetrics::peersRecoveredIdle);
        counter(registry, "remora.cluster.peers.disconnected.for.abuse", "Peers disconnected for abuse",
                ClusterMetrics::peersDisconnectedForAbuse);
        counter(registry, "remora.cluster.committed.notices.sent", "COMMITTED notices sent",
                ClusterMetrics::committedNoticesSent);
        counter(registry, "remora.cluster.committed.notices.dropped", "COMMITTED notices not sent (link backed up)",
                ClusterMetrics::committedNoticesDropped);
        Gauge.builder("remora.cluster.peers", cluster, c -> peers.values().stream().filter(p -> !p.quarantined()).count())
                .description("Pre-executors connected (last refresh)").tags(tags).register(registry);
        new TransportMeterBinder(cluster.transportMetrics(), "cluster", tags).bindTo(registry);
        registries.add(registry);
        refreshPeers();
        if (refresher == null) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "remora-metrics-peers");
                t.setDaemon(true);
                return t;
            });
            long ms = refresh.toMillis();
            refresher.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            for (String id : peerMeters.keySet()) {
                peerMeters.get(id).addAll(registerPeer(registry, id));
            }
        }
    }

    private void refreshQuietly() {
        try {
            refreshPeers();
        } catch (RuntimeException e) {
            // the cluster is closing: keep the last values; the next refresh tries again
        }
    }

    /** Reads the peers again, registers the meters of new ones and removes those of departed ones. */
    synchronized void refreshPeers() {
        if (closed) {
            return;
        }
        Map<String, PeerStatus> now = new HashMap<>();
        for (PeerStatus p : cluster.peers()) {
            now.put(p.nodeId(), p);
        }
        peers = now;
        for (String id : now.keySet()) {
            if (!peerMeters.containsKey(id)) {
                List<Meter> meters = new ArrayList<>();
                for (MeterRegistry r : registries) {
                    meters.addAll(registerPeer(r, id));
                }
                peerMeters.put(id, meters);
            }
        }
        peerMeters.entrySet().removeIf(e -> {
            if (now.containsKey(e.getKey())) {
                return false;
            }
            removeAll(e.getValue());
            return true;
        });
    }

    private List<Meter> registerPeer(MeterRegistry registry, String id) {
        List<Meter> out = new ArrayList<>();
        Tags t = tags.and("peer", id);
        out.add(peerGauge(registry, t, "remora.cluster.peer.queue.depth", "Transactions it holds unanswered (its last report)",
                PeerStatus::queueDepth));
        out.add(peerGauge(registry, t, "remora.cluster.peer.executed.per.second", "Its execution rate (its last report)",
                PeerStatus::executedPerSec));
        out.add(peerGauge(registry, t, "remora.cluster.peer.watermark", "Last commit its replica applied (its last report)",
                PeerStatus::watermark));
        out.add(peerGauge(registry, t, "remora.cluster.peer.busy", "Share of its workers' time busy (its last report; NaN: not reported)",
                p -> p.busy() < 0 ? Double.NaN : p.busy()));
        out.add(peerGauge(registry, t, "remora.cluster.peer.synced", "1 if it reported a snapshot installed",
                p -> p.synced() ? 1 : 0));
        out.add(peerGauge(registry, t, "remora.cluster.peer.stalled", "1 while it is stalled",
                p -> p.stalled() ? 1 : 0));
        out.add(peerGauge(registry, t, "remora.cluster.peer.quarantined", "1 if it is quarantined",
                p -> p.quarantined() ? 1 : 0));
        out.add(peerCounter(registry, t, "remora.cluster.peer.executes.sent", "Transactions admission sent it",
                PeerStatus::executesSent));
        out.add(peerCounter(registry, t, "remora.cluster.peer.results.received", "Results of it decoded and offered",
                PeerStatus::resultsReceived));
        out.add(peerCounter(registry, t, "remora.cluster.peer.results.adopted", "Its results the primary adopted",
                PeerStatus::resultsAdopted));
        out.add(peerCounter(registry, t, "remora.cluster.peer.misses", "Stale-replica misses since it connected",
                PeerStatus::misses));
        out.add(peerCounter(registry, t, "remora.cluster.peer.disagreements", "Its cross-checked results that disagreed",
                PeerStatus::disagreements));
        return out;
    }

    private Meter peerGauge(MeterRegistry registry, Tags t, String name, String help, ToDoubleFunction<PeerStatus> f) {
        String id = t.stream().filter(x -> x.getKey().equals("peer")).findFirst().orElseThrow().getValue();
        return Gauge.builder(name, this, b -> b.peerValue(id, f)).description(help).tags(t).register(registry);
    }

    private Meter peerCounter(MeterRegistry registry, Tags t, String name, String help, ToDoubleFunction<PeerStatus> f) {
        String id = t.stream().filter(x -> x.getKey().equals("peer")).findFirst().orElseThrow().getValue();
        return FunctionCounter.builder(name, this, b -> b.peerValue(id, f)).description(help).tags(t).register(registry);
    }

    private double peerValue(String id, ToDoubleFunction<PeerStatus> f) {
        PeerStatus p = peers.get(id);
        return p == null ? Double.NaN : f.applyAsDouble(p);
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<ClusterMetrics> f,
                         String... extraTags) {
        FunctionCounter.builder(name, cluster, c -> f.applyAsDouble(c.metrics())).description(help).tags(tags)
                .tags(extraTags).register(registry);
    }

    private void removeAll(List<Meter> meters) {
        for (Meter meter : meters) {
            for (MeterRegistry r : registries) {
                r.remove(meter);
            }
        }
    }

    /** Stops the refresh thread and removes the per-peer meters (the others stay, read live). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        peerMeters.values().forEach(this::removeAll);
        peerMeters.clear();
    }
}
