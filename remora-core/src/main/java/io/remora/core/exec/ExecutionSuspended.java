package io.remora.core.exec;

/**
 * Thrown by a {@link StateView} to abandon an execution that read a value still being produced
 * (Block-STM's ESTIMATE). It passes through the executor and the engine untouched; programs must
 * not catch it. Stackless: it is control flow, not an error.
 */
public class ExecutionSuspended extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExecutionSuspended(String reason) {
        super(reason, null, false, false);
    }
}
