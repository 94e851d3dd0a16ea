/**
 * The primary executor and the cluster service: {@code RemoraPrimary}, {@code RemoraCluster} and the
 * value types they hand out ({@code io.remora.primary}), and the optional Micrometer binders and
 * Prometheus endpoint ({@code io.remora.primary.micrometer}). Not exported: the pipeline, Block-STM and
 * the RocksDB store ({@code io.remora.primary.internal}), and the cluster service behind
 * {@code RemoraCluster} ({@code io.remora.primary.cluster}, which reaches the primary only through
 * {@code internal.ClusterHook}). RocksDB, Agrona and the Disruptor appear in no exported signature.
 */
module remora.primary {
    requires transitive remora.core;
    requires transitive remora.transport;
    requires org.agrona;
    requires rocksdbjni; // no Automatic-Module-Name in the jar: the name is derived from its file name
    requires com.lmax.disruptor;
    // Optional (the metrics binders and PrimaryPrometheus only).
    requires static transitive micrometer.core;
    // PrimaryPrometheus.registry() hands out its PrometheusMeterRegistry.
    requires static transitive micrometer.registry.prometheus;

    exports io.remora.primary;
    exports io.remora.primary.micrometer;
}
