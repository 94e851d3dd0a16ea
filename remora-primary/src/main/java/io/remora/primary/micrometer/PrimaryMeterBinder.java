package io.remora.primary.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.remora.primary.CommitEffects;
import io.remora.primary.CommitTimingListener;
import io.remora.primary.LeaseMetrics;
import io.remora.primary.PrimaryMetrics;
import io.remora.primary.RemoraPrimary;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Exports a {@link RemoraPrimary}'s metrics to Micrometer.
 *
 * <ul>
 *   <li>Counters and gauges read {@link RemoraPrimary#metrics()} at scrape time (one snapshot per
 *       scrape, reused for 100 ms): nothing on the commit path.</li>
 *   <li>Four timers with fixed buckets ({@link #BUCKETS}, Prometheus histograms): commit→effects,
 *       result wait, execution and persistence of every commit, recorded by a
 *       {@link CommitTimingListener} on the publication thread (four timer updates per commit; see
 *       {@code docs/benchmarks.md}, "Metrics cost"). They count from {@link #bindTo}; the counters
 *       count from the primary's start.</li>
 * </ul>
 *
 * Names (Prometheus form), types, units and labels: {@code docs/operations.md}, "Prometheus names".
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * PrimaryMeterBinder binder = new PrimaryMeterBinder(primary);
 * binder.bindTo(registry);
 * ...
 * binder.close();   // removes the timing listener
 * }</pre>
 *
 * <p>Needs {@code io.micrometer:micrometer-core} on the class path (an optional dependency of
 * {@code remora-primary}). Thread-safe; may be bound to several registries.
 */
public final class PrimaryMeterBinder implements MeterBinder, AutoCloseable {
    /** The histograms' bucket upper bounds (plus +Inf): 50 µs to 10 s, 1-2.5-5 steps. */
    public static final List<Duration> BUCKETS = List.of(
            Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    private static final long SNAPSHOT_TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RemoraPrimary primary;
    private final Tags tags;
    private final List<Timers> bound = new CopyOnWriteArrayList<>();
    private final CommitTimingListener listener = this::record;
    private volatile Cached cached;
    private boolean listening;

    private record Cached(long atNanos, PrimaryMetrics metrics) {
    }

    private record Timers(Timer commitToEffects, Timer resultWait, Timer execution, Timer persistence) {
    }

    public PrimaryMeterBinder(RemoraPrimary primary) {
        this(primary, Tags.empty());
    }

    /** @param tags added to every meter (e.g. {@code node}) */
    public PrimaryMeterBinder(RemoraPrimary primary, Iterable<Tag> tags) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.tags = Tags.of(tags);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        counter(registry, "remora.primary.commits", "Commits executed (idempotent re-submissions not counted)",
                PrimaryMetrics::commitsExecuted);
        String txHelp = "Transactions executed, by how the primary obtained their effects";
        counter(registry, "remora.primary.transactions", txHelp, PrimaryMetrics::adopted, "outcome", "adopted");
        counter(registry, "remora.primary.transactions", txHelp, PrimaryMetrics::reexecutedStale,
                "outcome", "reexecuted_stale");
        counter(registry, "remora.primary.transactions", txHelp, PrimaryMetrics::reexecutedConflict,
                "outcome", "reexecuted_conflict");
        counter(registry, "remora.primary.transactions", txHelp, PrimaryMetrics::reexecutedNoResult,
                "outcome", "reexecuted_no_result");
        counter(registry, "remora.primary.transactions", txHelp, PrimaryMetrics::duplicates, "outcome", "duplicate");
        counter(registry, "remora.primary.executions", "Executions the primary ran (a transaction may run more than once)",
                PrimaryMetrics::executions);
        counter(registry, "remora.primary.signatures.skipped", "Signature checks skipped thanks to a lookup table",
                PrimaryMetrics::signaturesSkipped);
        counter(registry, "remora.primary.precompiles.reused", "Precompile outputs reused from a lookup table",
                PrimaryMetrics::precompilesReused);
        counter(registry, "remora.primary.audits", "Results re-executed in full before use (audit sampling)",
                PrimaryMetrics::audits);
        counter(registry, "remora.primary.audit.mismatches", "Audits or cross-check re-executions that proved a result false",
                PrimaryMetrics::auditMismatches);
        counter(registry, "remora.primary.lies.detected", "False results found", PrimaryMetrics::liesDetected);
        counter(registry, "remora.primary.peers.quarantined", "Peers quarantined after a proven lie",
                PrimaryMetrics::peersQuarantined);
        counter(registry, "remora.primary.cross.check.disagreements", "Transactions whose cross-checked results disagreed",
                PrimaryMetrics::crossCheckDisagreements);
        String resHelp = "Pre-execution results offered to the primary, by outcome";
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsAccepted, "outcome", "accepted");
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsLate, "outcome", "late");
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsDuplicate, "outcome", "duplicate");
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsDropped, "outcome", "dropped");
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsUnsolicited, "outcome", "unsolicited");
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsQuarantined, "outcome", "quarantined");
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsOversized, "outcome", "oversized");
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsOverBudget, "outcome", "over_budget");
        counter(registry, "remora.primary.results", resHelp, PrimaryMetrics::resultsUndecodable, "outcome", "undecodable");
        counter(registry, "remora.primary.listener.errors", "Exceptions thrown by the commit (or timing) listeners",
                PrimaryMetrics::listenerErrors);
        FunctionCounter.builder("remora.primary.leases.granted", primary, p -> p.leaseMetrics().granted())
                .description("Leases granted to a delegate (LeasePolicy)").tags(tags).register(registry);
        String endHelp = "Leases ended, by reason";
        leaseEnd(registry, endHelp, "crossing", LeaseMetrics::endedCrossing);
        leaseEnd(registry, endHelp, "term", LeaseMetrics::endedTerm);
        leaseEnd(registry, endHelp, "late", LeaseMetrics::endedLate);
        leaseEnd(registry, endHelp, "diverged", LeaseMetrics::endedDiverged);
        leaseEnd(registry, endHelp, "gone", LeaseMetrics::endedGone);
        leaseEnd(registry, endHelp, "calm", LeaseMetrics::endedCalm);
        leaseEnd(registry, endHelp, "unsent", LeaseMetrics::endedUnsent);
        String leaseTxHelp = "Committed transactions forwarded to a lease's delegate, and those whose answer was adopted";
        FunctionCounter.builder("remora.primary.lease.transactions", primary, p -> p.leaseMetrics().forwarded())
                .description(leaseTxHelp).tags(tags).tags("outcome", "forwarded").register(registry);
        FunctionCounter.builder("remora.primary.lease.transactions", primary, p -> p.leaseMetrics().adopted())
                .description(leaseTxHelp).tags(tags).tags("outcome", "adopted").register(registry);
        Gauge.builder("remora.primary.lease.objects", primary, p -> p.leaseMetrics().activeObjects())
                .description("Objects the current lease covers (0: no lease)").tags(tags).register(registry);
        Gauge.builder("remora.primary.last.executed.commit", primary, PrimaryMeterBinder::lastExecutedCommit)
                .description("Index of the last commit durable and published (-1: none)").tags(tags)
                .register(registry);
        Gauge.builder("remora.primary.quarantined.peers", primary, p -> p.quarantinedPeers().size())
                .description("Peers quarantined now").tags(tags).register(registry);
        Gauge.builder("remora.primary.result.wait.target.seconds", primary, p -> p.metrics().resultWaitTargetNanos() / 1e9)
                .description("The result wait's current bound from a commit's arrival (fixed, or where the adaptive wait stands)")
                .tags(tags).register(registry);
        bound.add(new Timers(
                timer(registry, "remora.primary.commit.to.effects", "Per commit: from submitCommit to publication"),
                timer(registry, "remora.primary.result.wait", "Per commit: arrival to execution start (result wait, and queueing when behind)"),
                timer(registry, "remora.primary.execution", "Per commit: merging and executing"),
                timer(registry, "remora.primary.persistence", "Per commit: writing and syncing to RocksDB")));
        if (!listening) {
            primary.addTimingListener(listener);
            listening = true;
        }
    }

    private void leaseEnd(MeterRegistry registry, String help, String reason, ToDoubleFunction<LeaseMetrics> f) {
        FunctionCounter.builder("remora.primary.leases.ended", primary, p -> f.applyAsDouble(p.leaseMetrics()))
                .description(help).tags(tags).tags("reason", reason).register(registry);
    }

    private static double lastExecutedCommit(RemoraPrimary p) {
        try {
            return p.lastExecutedCommit();
        } catch (IllegalStateException notRunning) {
            return Double.NaN;
        }
    }

    private void record(long index, int transactions, CommitEffects.Timings t) {
        for (Timers timers : bound) {
            timers.commitToEffects.record(t.commitToEffectsNanos(), TimeUnit.NANOSECONDS);
            timers.resultWait.record(t.resultWaitNanos(), TimeUnit.NANOSECONDS);
            timers.execution.record(t.executionNanos(), TimeUnit.NANOSECONDS);
            timers.persistence.record(t.persistenceNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(MeterRegistry registry, String name, String help) {
        return Timer.builder(name).description(help).tags(tags)
                .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<PrimaryMetrics> f,
                         String... extraTags) {
        FunctionCounter.builder(name, primary, p -> f.applyAsDouble(snapshot())).description(help).tags(tags)
                .tags(extraTags).register(registry);
    }

    /** One snapshot per scrape: the counters of one scrape are read together, and cheaply. */
    private PrimaryMetrics snapshot() {
        Cached c = cached;
        long now = System.nanoTime();
        if (c == null || now - c.atNanos > SNAPSHOT_TTL_NANOS) {
            c = new Cached(now, primary.metrics());
            cached = c;
        }
        return c.metrics;
    }

    /** Stops recording the timers (the meters stay registered, frozen). Idempotent. */
    @Override
    public synchronized void close() {
        if (listening) {
            primary.removeTimingListener(listener);
            listening = false;
        }
    }
}
