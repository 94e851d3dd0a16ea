package io.remora.examples.ratis;

import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.ExecutionContext;
import io.remora.core.exec.ExecutionEngine;
import io.remora.core.exec.ProgramAbort;

/**
 * Fault injection, for showing that divergence is detected: the built-in engine, except that it
 * fails every transaction whose digest starts with a byte below 8 (about 3%) with code 1999. A
 * validator run with {@code --fault-injection} executes differently from the others, deterministically,
 * and they must report it. Never used otherwise.
 *
 * <p>Thread-safety: stateless.
 */
final class FaultyEngine implements ExecutionEngine {
    static final int FAULT_CODE = 1999;

    @Override
    public void execute(Transaction transaction, ExecutionContext context) {
        if ((transaction.digest().toBytes()[0] & 0xff) < 8) {
            throw new ProgramAbort(FAULT_CODE, "injected fault (--fault-injection)");
        }
        BuiltinEngine.instance().execute(transaction, context);
    }
}
