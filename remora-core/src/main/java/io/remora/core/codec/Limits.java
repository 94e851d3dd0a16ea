package io.remora.core.codec;

/**
 * Hard limits enforced by every decoder (and by the encoders, so nothing oversized is produced).
 * They bound the memory a single malformed message can make a decoder allocate.
 */
public final class Limits {
    /** Largest encoded transaction: 64 KiB. */
    public static final int MAX_TRANSACTION_BYTES = 64 * 1024;
    /** Declared inputs per transaction. */
    public static final int MAX_INPUTS = 128;
    /** Call argument bytes per transaction. */
    public static final int MAX_ARGUMENT_BYTES = 16 * 1024;
    /** Object contents: 64 KiB. */
    public static final int MAX_OBJECT_BYTES = 64 * 1024;
    /** Objects written plus deleted in one effects, and modified-at entries. */
    public static final int MAX_OBJECTS_PER_EFFECTS = 1024;
    /** Events per effects. */
    public static final int MAX_EVENTS = 256;
    /** Bytes of one event's payload. */
    public static final int MAX_EVENT_BYTES = 4 * 1024;
    /** Object reads recorded in one lookup table. */
    public static final int MAX_READS = 2048;
    /** Precompile results in one lookup table. */
    public static final int MAX_PRECOMPILES = 256;
    /** Bytes of one precompile output. */
    public static final int MAX_PRECOMPILE_OUTPUT = 4 * 1024;
    /** UTF-8 bytes of a short string (program, function, type tag, event type, failure message). */
    public static final int MAX_SHORT_STRING = 255;
    /** Transactions in one commit. */
    public static final int MAX_COMMIT_TRANSACTIONS = 100_000;
    /** Largest encoded effects or pre-execution result: 8 MiB. */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private Limits() {
    }
}
