package io.remora.primary;

import io.remora.primary.internal.PrimaryRuntime;

/** The cluster simulator's access to the primary's test-only hooks (package-private elsewhere). */
public final class SimAccess {
    private SimAccess() {
    }

    /** Sets the hook told at each persistence boundary (it may throw to crash there). */
    public static RemoraPrimary.Builder persistenceHook(RemoraPrimary.Builder b, PrimaryRuntime.PersistenceHook hook) {
        return b.persistenceHook(hook);
    }

    /** The runtime behind {@code primary} (the result-wait probe). */
    public static PrimaryRuntime runtime(RemoraPrimary primary) {
        return primary.runtime();
    }
}
