package io.remora.bench.cli;

import io.remora.transport.TransportConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options {@code demo} and {@code bench} share (a picocli mixin): the simulated consensus, the
 * primary's threads, result wait and fsync, and the workload seed.
 */
final class RunOptions {
    /** Throws {@code IllegalArgumentException("name=value (expected: ...)")} (exit status 2) unless {@code ok}. */
    static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + "=" + value + " (expected: " + expected + ")");
        }
    }

    /** Checks the shared options. */
    void validate() {
        require(commitInterval.compareTo(Duration.ZERO) > 0, "--commit-interval", commitInterval, "> 0");
        require(!deliveryDelay.isNegative(), "--delivery-delay", deliveryDelay, ">= 0");
        require(primaryThreads >= 0, "--primary-threads", primaryThreads, ">= 0 (0: available processors)");
        require(!resultWait.isNegative(), "--result-wait", resultWait, ">= 0");
        require(resultWaitMax.isZero() || (resultWaitMax.compareTo(resultWait) >= 0
                && resultWaitMax.compareTo(Duration.ofHours(1)) <= 0), "--result-wait-max", resultWaitMax,
                "0 (fixed) or --result-wait..1h");
        require(!admissionBacklog.isNegative() && admissionBacklog.compareTo(Duration.ofMinutes(1)) <= 0,
                "--admission-backlog", admissionBacklog, "0..1m");
        require(!routingStickiness.isNegative() && routingStickiness.compareTo(Duration.ofMinutes(1)) <= 0,
                "--routing-stickiness", routingStickiness, "0..1m");
        require(!sendLinger.isNegative() && sendLinger.compareTo(TransportConfig.MAX_SEND_LINGER) <= 0,
                "--send-linger", sendLinger, "0.." + TransportConfig.MAX_SEND_LINGER.toNanos() / 1000 + "us");
        require(!lease || (leaseMaxObjects >= 1 && leaseMaxObjects <= io.remora.primary.LeasePolicy.MAX_OBJECTS),
                "--lease-max-objects", leaseMaxObjects, "1.." + io.remora.primary.LeasePolicy.MAX_OBJECTS);
    }

    @Option(names = "--commit-interval", defaultValue = "100ms", converter = DurationConverter.class,
            description = "Simulated consensus: a commit every (default: ${DEFAULT-VALUE}).")
    Duration commitInterval;

    @Option(names = "--delivery-delay", defaultValue = "300ms", converter = DurationConverter.class,
            description = "Simulated consensus: commit delivered after (default: ${DEFAULT-VALUE}).")
    Duration deliveryDelay;

    @Option(names = "--primary-threads", defaultValue = "0",
            description = "Primary Block-STM threads; 0: available processors (default: ${DEFAULT-VALUE}).")
    int primaryThreads;

    @Option(names = "--result-wait", defaultValue = "10ms", converter = DurationConverter.class,
            description = "How long the primary waits for a missing pre-execution result (default: ${DEFAULT-VALUE};"
                    + " the library's default is 20 ms, for pre-executors on other machines: here they are on"
                    + " loopback, where a result that comes at all comes within a few ms, and a shorter wait bounds"
                    + " a commit's latency when one never comes).")
    Duration resultWait;

    @Option(names = "--result-wait-max", defaultValue = "0ms", converter = DurationConverter.class,
            description = "Let the primary's result wait adapt between --result-wait and this bound to how late results"
                    + " come (RemoraPrimary.Builder.adaptiveResultWait; docs/operations.md); 0: fixed (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration resultWaitMax;

    @Option(names = "--routing-stickiness", defaultValue = "0ms", converter = DurationConverter.class,
            description = "An object with a transaction routed within this long stays with that pre-executor"
                    + " (RemoraCluster.Builder.routingStickiness; 0: off; default: ${DEFAULT-VALUE}).")
    Duration routingStickiness;

    @Option(names = "--send-linger", defaultValue = "1ms", converter = DurationConverter.class,
            description = "How long a message on a busy link between the primary and a pre-executor may wait for others"
                    + " to share its flush and sealed record, both ways (RemoraCluster.Builder.sendLinger and the"
                    + " pre-executors' --send-linger-us; 0..1ms; an idle link's message goes at once; 0: no linger;"
                    + " default: ${DEFAULT-VALUE}, the library's).")
    Duration sendLinger;

    /** The adaptive wait's bound, or null when the wait is fixed. */
    Duration resultWaitMaxOrNull() {
        return resultWaitMax.isZero() ? null : resultWaitMax;
    }

    @Option(names = "--admission-backlog", defaultValue = "0ms", converter = DurationConverter.class,
            description = "Admission back-pressure: refuse a transaction (REJECTED_OVERLOADED) when every pre-executor"
                    + " has more than this much work queued, e.g. 250ms (below the simulated consensus's 300 ms delivery"
                    + " delay); 0 (the default here; the library's default is 1 s) admits everything. A refused transaction is"
                    + " offered again after 20, 40, ... 320 ms, with its sender's later ones held behind it (as a wallet"
                    + " would), and given up (shed) if still refused 10 s after the load ends (docs/benchmarks.md,"
                    + " \"Overload with admission back-pressure\").")
    Duration admissionBacklog;

    @Option(names = "--no-fsync", description = "Do not fsync the RocksDB WAL per commit.")
    boolean noFsync;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--frame-protection", defaultValue = "ENCRYPTED",
            description = "Protection of the primary's links (sealed records): NONE, AUTHENTICATED or ENCRYPTED "
                    + "(default: ${DEFAULT-VALUE}).")
    io.remora.transport.FrameProtection frameProtection;

    @Option(names = "--trust-mode", defaultValue = "TRUSTED",
            description = "TRUSTED (audits sample 1%% of relied-on results) or CROSS_CHECKED (2 pre-executors per "
                    + "transaction must agree; needs >= 2) (default: ${DEFAULT-VALUE}).")
    io.remora.primary.TrustMode trust;

    @Option(names = "--lease", description = "Let the primary delegate the hot subset it keeps re-executing to a"
            + " pre-executor when overloaded (LeasePolicy.defaults(); off by default, as in the library).")
    boolean lease;

    @Option(names = "--lease-max-objects", defaultValue = "256", description = "With --lease: the most objects one"
            + " lease covers (LeasePolicy.maxObjects, 1..4096; default: ${DEFAULT-VALUE}); fewer leaves more of the"
            + " hot spot to the primary, which balances the two where the delegate's core is not idle.")
    int leaseMaxObjects;

    /** {@code RunConfig.leaseMaxObjects}: 0 without {@code --lease} (checked by {@link #validate}). */
    int leaseObjects() {
        return lease ? leaseMaxObjects : 0;
    }

    @Option(names = "--shuffle-commits", description = "Simulated consensus: order each commit's transactions by a"
            + " seeded shuffle instead of arrival order (as a DAG consensus interleaving other validators' batches"
            + " would), so speculation on shared objects misses.")
    boolean shuffleCommits;

    @Option(names = "--preexec-cpus", description = "Pin pre-executor processes to these CPUs (taskset -c LIST, e.g."
            + " 1); pin the primary with taskset on ./remora itself.")
    String preExecCpus;
}
