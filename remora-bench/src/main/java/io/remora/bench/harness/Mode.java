package io.remora.bench.harness;

/** What executes the commits in one run. */
public enum Mode {
    /**
     * The sequential baseline: the same primary pipeline (RocksDB persistence, publication) with one
     * execution thread and no pre-execution, so every transaction is executed fully, one at a time,
     * in commit order.
     */
    SEQUENTIAL("sequential"),
    /** The primary alone: Block-STM on all its cores, no pre-execution. */
    PRIMARY("primary"),
    /** The primary seeded by k pre-executor processes over loopback TCP. */
    REMORA("remora"),
    /**
     * The primary's own ceiling: k injector processes ({@link ResultInjector}) in place of the
     * pre-executors, each answering the EXECUTEs routed to it with a pre-recorded exact result
     * over the same authenticated, protected TCP links, without executing anything.
     */
    INJECTOR("injector");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    /** {@code sequential}, {@code primary}, {@code remora-k} or {@code injector-k}. */
    public String label(int preExecutors) {
        return clustered() ? label + "-" + preExecutors : label;
    }

    /** Whether admission goes through a {@code RemoraCluster} with k peers (pre-executors or injectors). */
    public boolean clustered() {
        return this == REMORA || this == INJECTOR;
    }
}
