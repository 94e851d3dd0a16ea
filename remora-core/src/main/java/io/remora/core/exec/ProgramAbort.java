package io.remora.core.exec;

/**
 * A deterministic failure raised through {@link ExecutionContext#abort} or by the executor's own
 * checks (out of gas, wrong owner...). The transaction gets failure effects with this code.
 */
public final class ProgramAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public ProgramAbort(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
