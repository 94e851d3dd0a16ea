package io.remora.core.engine;

import io.remora.core.codec.WireReader;
import io.remora.core.exec.ExecutionContext;

/**
 * One built-in program: a set of entry functions dispatched by name. Arguments arrive as a
 * {@link WireReader} over the call's argument bytes; the engine turns a
 * {@link io.remora.core.codec.CodecException} into a BAD_ARGUMENTS failure.
 *
 * <p>Implementations are stateless and thread-safe.
 */
interface Program {
    /** The program name transactions call it by ({@code tx.program()}). */
    String name();

    /**
     * Runs {@code function} ({@link BuiltinEngine} has already charged {@link EngineGas#CALL});
     * throws {@link io.remora.core.exec.ProgramAbort} to fail, {@link Objects#unknownFunction} for
     * a function it does not have.
     */
    void call(String function, WireReader args, ExecutionContext ctx);
}
