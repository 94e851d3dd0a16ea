package io.remora.primary.internal;

import io.remora.core.Authenticator;
import io.remora.core.PreExecResult;
import java.util.List;
import java.util.Objects;

/**
 * When results from distinct pre-executors agree ({@link io.remora.primary.TrustMode#CROSS_CHECKED}).
 * Two honest pre-executors that executed a transaction on the same versions produce the same
 * effects and the same lookup table, except for fields that name the node or its replica (the
 * verifier's name, the watermark), which are not compared.
 *
 * <p>Stateless; thread-safe.
 */
final class Agreement {
    private Agreement() {
    }

    /** Same kind, reads, precompile outputs, signature verdict and (for full results) effects. */
    static boolean exact(PreExecResult a, PreExecResult b) {
        return a.kind() == b.kind() && a.transaction().equals(b.transaction())
                && a.lookupTable().reads().equals(b.lookupTable().reads()) && hints(a, b)
                && Objects.equals(a.effects(), b.effects());
    }

    /** The same signature verdict (for the same signature) and the same precompile outputs. */
    static boolean hints(PreExecResult a, PreExecResult b) {
        Authenticator x = a.lookupTable().authenticator();
        Authenticator y = b.lookupTable().authenticator();
        return x.status() == y.status() && x.signatureDigest().equals(y.signatureDigest())
                && a.lookupTable().precompiles().equals(b.lookupTable().precompiles());
    }

    /**
     * A claim with which at least {@code replicas} of {@code claims} (distinct sources, itself
     * included) agree: exactly, as full results ({@code full}), or on their hints; null if none.
     */
    static ResultTable.Claim group(List<ResultTable.Claim> claims, int replicas, boolean full) {
        for (ResultTable.Claim c : claims) {
            if (full && !c.result().isFull()) {
                continue;
            }
            int agreeing = 0;
            for (ResultTable.Claim d : claims) {
                if (full ? exact(c.result(), d.result()) : hints(c.result(), d.result())) {
                    agreeing++;
                }
            }
            if (agreeing >= replicas) {
                return c;
            }
        }
        return null;
    }
}
