package io.remora.core.exec;

/**
 * A pure, costly function programs can call (hashing, signature verification inside a contract).
 * Purity makes its result memoizable by (function id, input digest): a pre-executor records it in
 * the lookup table and the primary reuses it instead of recomputing.
 *
 * <p>Implementations must be deterministic and thread-safe.
 */
public interface Precompile {
    /** Stable id on the wire, 1..65535. */
    int id();

    /** Gas for one call on {@code input}; charged whether or not the output is reused from a hint. */
    long gasCost(byte[] input);

    /** The output; throws {@link ProgramAbort} for malformed input. */
    byte[] apply(byte[] input);
}
