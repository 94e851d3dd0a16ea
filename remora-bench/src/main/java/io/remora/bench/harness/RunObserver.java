package io.remora.bench.harness;

import io.remora.primary.RemoraCluster;
import io.remora.primary.RemoraPrimary;

/**
 * Told about the components a {@link BenchmarkRun} starts, so that a caller can watch them (the demo's
 * {@code --metrics-port} binds its Micrometer meters here). Called on the run's thread; the default
 * does nothing.
 */
public interface RunObserver {
    RunObserver NONE = new RunObserver() {
    };

    /** The primary has started (before any load). */
    default void primaryStarted(RemoraPrimary primary) {
    }

    /** The cluster service has started (REMORA mode, before the pre-executors connect). */
    default void clusterStarted(RemoraCluster cluster) {
    }

    /** Extra command-line arguments for pre-executor process {@code nodeId} (the n-th started, from 1). */
    default java.util.List<String> preExecutorArgs(String nodeId, int n) {
        return java.util.List.of();
    }
}
