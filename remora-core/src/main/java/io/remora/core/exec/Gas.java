package io.remora.core.exec;

/** The deterministic gas schedule. Units are abstract; budgets in workloads are sized against it. */
public final class Gas {
    /** Charged to every transaction that passes the authenticator. */
    public static final long BASE = 1_000;
    public static final long PER_OBJECT_READ = 100;
    public static final long PER_BYTE_READ = 1;
    public static final long PER_OBJECT_WRITE = 200;
    public static final long PER_BYTE_WRITTEN = 2;
    public static final long PER_EVENT = 50;

    private Gas() {
    }
}
