package io.remora.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.remora.primary.CommitEffects;
import io.remora.primary.CommitTimingListener;
import io.remora.primary.internal.MetricsCounters;
import io.remora.primary.micrometer.PrimaryMeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the metrics cost the primary's publication stage per commit: {@code MetricsCounters.commitPublished}
 * (records commit→effects in the primary's own power-of-two recorder, then calls the timing
 * listeners) with no listener ({@code none}: what every primary pays) and with the listener
 * {@code PrimaryMeterBinder} registers ({@code prometheus}: four Micrometer timer updates into a
 * {@code PrometheusMeterRegistry}, with the binder's buckets). Per commit, not per transaction; the
 * timings vary over the buckets so that the branch predictor does not learn one.
 *
 * <p>Run: {@code java -jar remora-bench/target/benchmarks.jar MetricsCostBenchmark -prof gc}
 * (add the JVM flags of docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsCostBenchmark {
    @Param({"none", "prometheus"})
    public String listener;

    private MetricsCounters counters;
    private final CommitEffects.Timings[] timings = new CommitEffects.Timings[64];
    private long index;

    @Setup
    public void setUp() {
        counters = new MetricsCounters();
        if (listener.equals("prometheus")) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Timer[] t = new Timer[4];
            for (int i = 0; i < t.length; i++) {
                t[i] = Timer.builder("remora.bench.t" + i)
                        .serviceLevelObjectives(PrimaryMeterBinder.BUCKETS.toArray(Duration[]::new)).register(registry);
            }
            // The body of PrimaryMeterBinder's listener (one registry bound).
            CommitTimingListener l = (k, n, x) -> {
                t[0].record(x.commitToEffectsNanos(), TimeUnit.NANOSECONDS);
                t[1].record(x.resultWaitNanos(), TimeUnit.NANOSECONDS);
                t[2].record(x.executionNanos(), TimeUnit.NANOSECONDS);
                t[3].record(x.persistenceNanos(), TimeUnit.NANOSECONDS);
            };
            counters.addTimingListener(l);
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (int i = 0; i < timings.length; i++) {
            timings[i] = new CommitEffects.Timings(r.nextLong(10_000_000), r.nextLong(2_000_000), r.nextLong(20_000_000),
                    r.nextLong(50_000_000), false);
        }
    }

    @Benchmark
    public void commitPublished() {
        long k = index++;
        counters.commitPublished(k, 1000, timings[(int) (k & 63)]);
    }
}
