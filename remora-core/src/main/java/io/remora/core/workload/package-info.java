/**
 * Seeded, reproducible workloads over the built-in engine: {@link io.remora.core.workload.Workloads}
 * makes {@link io.remora.core.workload.WorkloadGenerator}s (unbounded, signed transactions over a
 * genesis); {@link io.remora.core.workload.Workload} is a finite slice;
 * {@link io.remora.core.workload.Zipf} samples skewed keys. Generators are not thread-safe; the
 * workloads they produce are immutable.
 */
package io.remora.core.workload;
