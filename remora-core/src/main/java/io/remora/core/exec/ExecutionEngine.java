package io.remora.core.exec;

import io.remora.core.Transaction;

/**
 * The execution engine SPI: a host plugs its VM in here. Remora calls {@link #execute} with a
 * context that has already checked the authenticator and loaded the declared inputs.
 *
 * <p>Contract: the engine is deterministic. Everything it reads, writes, hashes or emits goes
 * through the {@link ExecutionContext}; it sees no clock, randomness, I/O or mutable global state.
 * It fails a transaction by calling {@link ExecutionContext#abort} (or letting the context throw
 * {@link ProgramAbort}); it never catches {@link ExecutionSuspended}. It may be called concurrently
 * from many threads with different contexts.
 */
public interface ExecutionEngine {
    void execute(Transaction transaction, ExecutionContext context);
}
