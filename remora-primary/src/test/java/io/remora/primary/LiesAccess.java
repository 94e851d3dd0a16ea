package io.remora.primary;

import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import java.util.Random;

/** {@link Lies} for the tests of the {@code internal} package. */
public final class LiesAccess {
    private LiesAccess() {
    }

    /** The lie of kind {@code kind} (the ordinal of a {@link Lies.Kind}), or null if it does not apply. */
    public static PreExecResult lie(int kind, Transaction tx, PreExecResult honest, Random rnd) {
        return Lies.lie(Lies.Kind.values()[kind], tx, honest, rnd);
    }
}
