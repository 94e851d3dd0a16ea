package io.remora.core.engine;

/**
 * The built-in engine's gas schedule, on top of the executor's {@link io.remora.core.exec.Gas}
 * (which already meters object reads, writes and events). Units are abstract and deterministic.
 */
public final class EngineGas {
    /** Charged by every built-in entry function. */
    public static final long CALL = 100;
    /** Arithmetic of one coin or counter operation. */
    public static final long ARITHMETIC = 10;
    /** One iteration of the compute program's Fibonacci loop. */
    public static final long FIB_ITERATION = 1;
    /** Iterations charged together (gas is charged before each chunk runs). */
    public static final int FIB_CHUNK = 1024;
    /** The constant-product swap formula. */
    public static final long SWAP = 500;
    /** Per byte of a registry key or value, and of a key-value record. */
    public static final long PER_ARG_BYTE = 1;
    /** SHA-256 precompile: fixed part, per round, per 64 input bytes. */
    public static final long SHA256_BASE = 200;
    public static final long SHA256_PER_ROUND = 60;
    public static final long SHA256_PER_BLOCK = 10;
    /** Ed25519 precompile: fixed part and per 64 message bytes. */
    public static final long ED25519_VERIFY = 5_000;
    public static final long ED25519_PER_BLOCK = 10;

    private EngineGas() {
    }
}
