package io.remora.core.exec;

import io.remora.core.Digest;
import io.remora.core.Hashing;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable registry of precompiles by id.
 *
 * <p>Immutable and thread-safe.
 */
public final class Precompiles {
    private final Precompile[] byId;

    private Precompiles(Precompile[] byId) {
        this.byId = byId;
    }

    public static Precompiles of(Precompile... precompiles) {
        Map<Integer, Precompile> map = new TreeMap<>();
        int max = 0;
        for (Precompile p : precompiles) {
            if (p.id() < 1 || p.id() > 0xFFFF) {
                throw new IllegalArgumentException("id=" + p.id() + " (expected: 1..65535)");
            }
            if (map.put(p.id(), p) != null) {
                throw new IllegalArgumentException("id=" + p.id() + " (expected: unique)");
            }
            max = Math.max(max, p.id());
        }
        Precompile[] arr = new Precompile[max + 1];
        map.forEach((k, v) -> arr[k] = v);
        return new Precompiles(arr);
    }

    /** The precompile with {@code id}, or null. */
    public Precompile get(int id) {
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /** The memoization key of an input: SHA-256(DOMAIN_PRECOMPILE_INPUT | input). */
    public static Digest inputDigest(byte[] input) {
        return Hashing.sha256(Hashing.DOMAIN_PRECOMPILE_INPUT, null, input);
    }
}
