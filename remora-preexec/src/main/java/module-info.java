/**
 * The pre-executor: the embeddable {@code PreExecutor} and the {@code PreExecutorMain} process entry
 * point. Exports the API and the optional metrics binder; {@code io.remora.preexec.internal} is not
 * exported.
 */
module remora.preexec {
    requires transitive remora.core;
    requires transitive remora.transport;
    // Optional (the metrics binder and PreExecutorMain --metrics-port only).
    requires static transitive micrometer.core;
    requires static micrometer.registry.prometheus;

    exports io.remora.preexec;
    exports io.remora.preexec.micrometer;
}
