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
    REMORA("remora");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    /** {@code sequential}, {@code primary} or {@code remora-k}. */
    public String label(int preExecutors) {
        return this == REMORA ? label + "-" + preExecutors : label;
    }
}
