/**
 * Remora's core: the data model, codecs, the execution interfaces and the built-in engine. No Netty,
 * no RocksDB: Bouncy Castle (Ed25519 verification) is its only dependency, and it is not in any
 * exported signature.
 *
 * <p>Exported to every module: the host-facing types ({@code io.remora.core}: transactions, objects,
 * effects; {@code exec}: the execution interfaces; {@code engine}: the built-in engine; {@code store};
 * {@code codec}; {@code sched}, which the builders of the primary, cluster and pre-executor take;
 * {@code workload}, seeded workloads over the built-in engine). The cluster protocol and the canaries
 * (fault injection for the test suite) are exported only to the modules that speak or test them.
 */
module remora.core {
    requires org.bouncycastle.provider;

    exports io.remora.core;
    exports io.remora.core.codec;
    exports io.remora.core.engine;
    exports io.remora.core.exec;
    exports io.remora.core.sched;
    exports io.remora.core.store;
    exports io.remora.core.workload;

    exports io.remora.core.protocol to remora.preexec, remora.primary;
    exports io.remora.core.canary to remora.preexec, remora.primary;
}
