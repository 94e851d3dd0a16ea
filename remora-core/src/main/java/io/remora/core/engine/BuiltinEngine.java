package io.remora.core.engine;

import io.remora.core.ExecutionStatus;
import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.exec.ExecutionContext;
import io.remora.core.exec.ExecutionEngine;
import io.remora.core.exec.Precompiles;
import io.remora.core.exec.ProgramAbort;
import io.remora.core.exec.TransactionExecutor;
import java.util.Map;

/**
 * The built-in {@link ExecutionEngine}: deterministic Java programs, dispatched on
 * {@code tx.program()} and {@code tx.function()}.
 *
 * <pre>
 *  program   functions                  see
 *  coin      mint transfer split merge  {@link CoinProgram}
 *  counter   increment read             {@link CounterProgram}
 *  compute   fib                        {@link ComputeProgram}
 *  amm       swap                       {@link AmmProgram}
 *  registry  put get remove             {@link RegistryProgram}
 *  kv        read update                {@link KvProgram}
 *  hash      digest verify              {@link HashProgram}
 *  tpcc      newOrder payment           {@link TpccProgram}
 * </pre>
 *
 * An unknown program or function fails with UNKNOWN_FUNCTION; malformed or trailing argument bytes
 * with BAD_ARGUMENTS. Precompiles: {@link Sha256Precompile} (id 1), {@link Ed25519VerifyPrecompile} (id 2).
 *
 * <p>Stateless and thread-safe.
 */
public final class BuiltinEngine implements ExecutionEngine {
    private static final BuiltinEngine INSTANCE = new BuiltinEngine();
    private static final Precompiles PRECOMPILES = Precompiles.of(new Sha256Precompile(), new Ed25519VerifyPrecompile());

    private final Map<String, Program> programs;

    private BuiltinEngine() {
        Program[] all = {new CoinProgram(), new CounterProgram(), new ComputeProgram(), new AmmProgram(),
            new RegistryProgram(), new KvProgram(), new HashProgram(), new TpccProgram()};
        java.util.HashMap<String, Program> m = new java.util.HashMap<>();
        for (Program p : all) {
            m.put(p.name(), p);
        }
        this.programs = Map.copyOf(m);
    }

    /** The engine (a stateless singleton). */
    public static BuiltinEngine instance() {
        return INSTANCE;
    }

    /** The built-in precompiles: SHA-256 (id 1) and Ed25519 verification (id 2). */
    public static Precompiles precompiles() {
        return PRECOMPILES;
    }

    /** A transaction executor running this engine with its precompiles; {@code nodeId} signs lookup tables. */
    public static TransactionExecutor executor(String nodeId) {
        return new TransactionExecutor(INSTANCE, PRECOMPILES, nodeId);
    }

    @Override
    public void execute(Transaction tx, ExecutionContext ctx) {
        Program p = programs.get(tx.program());
        if (p == null) {
            throw new ProgramAbort(ExecutionStatus.UNKNOWN_FUNCTION, "unknown program " + tx.program());
        }
        ctx.chargeGas(EngineGas.CALL); // every call of every program, before its arguments are read
        try {
            p.call(tx.function(), new WireReader(tx.args()), ctx);
        } catch (CodecException e) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, "bad arguments: " + e.getMessage());
        }
    }
}
