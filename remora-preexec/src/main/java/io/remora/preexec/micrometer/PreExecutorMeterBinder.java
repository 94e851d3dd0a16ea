package io.remora.preexec.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.remora.preexec.PreExecutor;
import io.remora.preexec.PreExecutorMetrics;
import io.remora.preexec.VerifyOnlyReason;
import io.remora.transport.TransportMetrics;
import io.remora.transport.micrometer.TransportMeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exports a {@link PreExecutor}'s metrics to Micrometer: its {@link PreExecutorMetrics} counters, its
 * queue depth, watermark and sync state, and its transport client's counters
 * ({@link TransportMeterBinder}, {@code link="primary"}). Everything is read at scrape time: the
 * execution threads pay nothing. Bind it after {@link PreExecutor#start()} (the transport client
 * exists from then on).
 *
 * <p>Names (Prometheus form), types and labels: {@code docs/operations.md}, "Prometheus names".
 * Needs {@code io.micrometer:micrometer-core} on the class path (an optional dependency of
 * {@code remora-preexec}). Thread-safe; may be bound to several registries.
 */
public final class PreExecutorMeterBinder implements MeterBinder {
    private final PreExecutor preExecutor;
    private final Tags tags;

    public PreExecutorMeterBinder(PreExecutor preExecutor) {
        this(preExecutor, Tags.empty());
    }

    /** @param tags added to every meter (e.g. {@code node}) */
    public PreExecutorMeterBinder(PreExecutor preExecutor, Iterable<Tag> tags) {
        this.preExecutor = Objects.requireNonNull(preExecutor, "preExecutor");
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        TransportMetrics transport = preExecutor.transportMetrics();
        if (transport == null) {
            throw new IllegalStateException("pre-executor not started (expected: bind after start())");
        }
        counter(registry, "remora.preexec.received", "EXECUTEd transactions accepted", PreExecutorMetrics::received);
        counter(registry, "remora.preexec.rejected", "EXECUTEd transactions refused (queue full or draining)",
                PreExecutorMetrics::rejected);
        counter(registry, "remora.preexec.executed", "Transactions fully pre-executed (FULL result)",
                PreExecutorMetrics::executed);
        for (VerifyOnlyReason r : VerifyOnlyReason.values()) {
            counter(registry, "remora.preexec.verify.only", "Verify-only results by reason", m -> m.verifyOnly(r),
                    "reason", r.name().toLowerCase(Locale.ROOT));
        }
        counter(registry, "remora.preexec.parked", "Transactions parked waiting for an input version",
                PreExecutorMetrics::parked);
        counter(registry, "remora.preexec.results.sent", "Results handed to the transport", PreExecutorMetrics::resultsSent);
        counter(registry, "remora.preexec.results.dropped", "Results the transport refused (back-pressure, no connection)",
                PreExecutorMetrics::resultsDropped);
        counter(registry, "remora.preexec.state.updates.applied", "Range STATE_UPDATEs applied",
                PreExecutorMetrics::stateUpdatesApplied);
        counter(registry, "remora.preexec.stale.updates.ignored", "STATE_UPDATEs at or below the watermark",
                PreExecutorMetrics::staleUpdatesIgnored);
        counter(registry, "remora.preexec.object.pushes.applied", "Objects-only pushes and OBJECT_RESPONSEs applied",
                PreExecutorMetrics::objectPushesApplied);
        counter(registry, "remora.preexec.object.requests.sent", "OBJECT_REQUESTs sent (lazy join, before the first snapshot)",
                PreExecutorMetrics::objectRequestsSent);
        counter(registry, "remora.preexec.objects.fetched", "Object ids answered by OBJECT_RESPONSEs (lazy join)",
                PreExecutorMetrics::objectsFetched);
        counter(registry, "remora.preexec.update.gaps", "STATE_UPDATEs that did not follow the watermark",
                PreExecutorMetrics::updateGaps);
        counter(registry, "remora.preexec.snapshots.requested", "SNAPSHOT_REQUESTs sent",
                PreExecutorMetrics::snapshotsRequested);
        counter(registry, "remora.preexec.snapshots.installed", "Snapshots received and installed",
                PreExecutorMetrics::snapshotsInstalled);
        counter(registry, "remora.preexec.snapshot.timeouts", "Snapshots asked for again after the snapshot timeout",
                PreExecutorMetrics::snapshotTimeouts);
        counter(registry, "remora.preexec.hot.sets.applied", "HOT_SETs applied", PreExecutorMetrics::hotSetsApplied);
        counter(registry, "remora.preexec.decode.errors", "Cluster messages that failed to decode",
                PreExecutorMetrics::decodeErrors);
        counter(registry, "remora.preexec.execution.errors", "Executions that threw", PreExecutorMetrics::executionErrors);
        counter(registry, "remora.preexec.committed.notices", "COMMITTED notices applied",
                PreExecutorMetrics::committedNotices);
        counter(registry, "remora.preexec.skipped.committed", "Transactions already committed when their turn came",
                PreExecutorMetrics::skippedCommitted);
        counter(registry, "remora.preexec.chain.repairs", "Speculative chains rebuilt on committed state",
                PreExecutorMetrics::chainRepairs);
        counter(registry, "remora.preexec.chain.repair.executions", "Transactions re-executed by chain repairs",
                PreExecutorMetrics::chainRepairExecutions);
        counter(registry, "remora.preexec.lease.grants", "Leases the primary granted this pre-executor (as delegate)",
                PreExecutorMetrics::leaseGrants);
        counter(registry, "remora.preexec.lease.executed", "Committed transactions executed and answered as a delegate",
                PreExecutorMetrics::leaseExecuted);
        counter(registry, "remora.preexec.lease.ignored", "Forwarded transactions of an ended or unknown lease, ignored",
                PreExecutorMetrics::leaseIgnored);
        Gauge.builder("remora.preexec.queue.depth", preExecutor, PreExecutor::queueDepth)
                .description("Transactions received and not yet answered").tags(tags).register(registry);
        Gauge.builder("remora.preexec.watermark", preExecutor, PreExecutor::watermark)
                .description("Last commit applied to the replica (-1: none)").tags(tags).register(registry);
        Gauge.builder("remora.preexec.synced", preExecutor, p -> p.isSynced() ? 1 : 0)
                .description("1 once a snapshot is installed (lazy join: once connected) and the start-up warm-up has ended")
                .tags(tags)
                .register(registry);
        Gauge.builder("remora.preexec.warmup", preExecutor, p -> p.metrics().warmupNanos() / 1e9)
                .description("How long the start-up warm-up took (0: running or off)").baseUnit("seconds")
                .tags(tags).register(registry);
        new TransportMeterBinder(transport, "primary", tags).bindTo(registry);
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<PreExecutorMetrics> f,
                         String... extraTags) {
        FunctionCounter.builder(name, preExecutor, p -> f.applyAsDouble(p.metrics())).description(help).tags(tags)
                .tags(extraTags).register(registry);
    }
}
