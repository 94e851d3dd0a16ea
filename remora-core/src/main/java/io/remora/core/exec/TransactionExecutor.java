package io.remora.core.exec;

import io.remora.core.Authenticator;
import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.LookupTable;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import java.util.List;

/**
 * Executes one transaction against a {@link StateView}: the single definition of transaction
 * semantics, shared by the sequential reference executor, the pre-executors and the primary's
 * parallel engine, so they cannot drift apart.
 *
 * <ol>
 *   <li>Authenticator: the signature is verified, unless the hints say a trusted pre-executor
 *       already verified this exact signature ({@link Authenticator#verifiedFor}). Invalid:
 *       failure effects, nothing read.</li>
 *   <li>Declared inputs are loaded and checked: owned inputs must match (id, version, digest)
 *       exactly and belong to the sender (or be immutable); shared inputs must be shared.</li>
 *   <li>The engine runs the call through an {@link ExecutionContext} that records every read
 *       (declared and dynamic), meters gas and memoizes precompiles (reusing hinted outputs).</li>
 *   <li>Effects: every object written gets version {@code lamport = 1 + max version read}; a
 *       failure at any point writes nothing.</li>
 * </ol>
 *
 * <p>Stateless and thread-safe; {@link ExecutionSuspended} thrown by the view passes through.
 */
public final class TransactionExecutor {
    private final ExecutionEngine engine;
    private final Precompiles precompiles;
    private final String nodeId;

    /**
     * @param nodeId recorded as the verifier in lookup tables this executor produces
     */
    public TransactionExecutor(ExecutionEngine engine, Precompiles precompiles, String nodeId) {
        this.engine = engine;
        this.precompiles = precompiles;
        this.nodeId = nodeId;
    }

    /** The node recorded as verifier in the lookup tables this executor produces. */
    public String nodeId() {
        return nodeId;
    }

    public ExecutionEngine engine() {
        return engine;
    }

    public Precompiles precompiles() {
        return precompiles;
    }

    /**
     * The outcome of a later copy of a transaction digest that already executed with a valid
     * signature (exactly-once execution): a {@link ExecutionStatus#DUPLICATE} failure that reads and
     * writes nothing, the same for every copy whatever its signature. Every executor applies the same
     * rule, in position order across commits: a digest whose {@link Effects#authenticatedExecution()
     * authenticated execution} came earlier gets these effects; a copy whose signature fails does not
     * mark the digest, so a forged copy ordered first cannot block the genuine transaction.
     */
    public static Effects duplicate(Digest transaction) {
        return Effects.failure(transaction, DUPLICATE_STATUS, 0, 1);
    }

    private static final ExecutionStatus.Failure DUPLICATE_STATUS =
            ExecutionStatus.failure(ExecutionStatus.DUPLICATE, "transaction already executed");

    /** Full execution: signature check included. */
    public ExecutionOutcome execute(Transaction tx, StateView view) {
        return execute(tx, view, null);
    }

    /**
     * Executes {@code tx} against {@code view}, using {@code hints} (a lookup table from a
     * pre-execution, or null) to skip a verified signature and reuse precompile outputs.
     */
    public ExecutionOutcome execute(Transaction tx, StateView view, LookupTable hints) {
        boolean skip = hints != null && hints.authenticator().verifiedFor(tx);
        Authenticator auth;
        if (skip) {
            auth = hints.authenticator();
        } else if (tx.verifySignature()) {
            auth = Authenticator.verified(tx, nodeId);
        } else {
            auth = Authenticator.invalid(tx, nodeId);
            Effects failed = Effects.failure(tx.digest(),
                    ExecutionStatus.failure(ExecutionStatus.INVALID_SIGNATURE, "signature does not verify"), 0, 1);
            return new ExecutionOutcome(failed, new LookupTable(List.of(), List.of(), auth), false, 0);
        }
        ExecutionSession session = new ExecutionSession(tx, view, hints, precompiles);
        Effects effects;
        try {
            session.loadInputs();
            engine.execute(tx, session);
            effects = session.finish();
        } catch (ProgramAbort abort) {
            effects = session.failed(abort.code(), abort.getMessage());
        } catch (ExecutionSuspended suspended) {
            throw suspended;
        } catch (RuntimeException bug) {
            // A deterministic engine fails deterministically; report it as a program error.
            effects = session.failed(ExecutionStatus.BAD_ARGUMENTS, "program error: " + bug);
        }
        LookupTable table = new LookupTable(session.reads(), session.precompileResults(), auth);
        return new ExecutionOutcome(effects, table, skip, session.precompilesReused());
    }

    /**
     * Pre-execution: executes against a possibly stale replica and packages the effects with the
     * lookup table. Nothing is applied.
     */
    public PreExecResult preExecute(Transaction tx, StateView replica, long watermark) {
        ExecutionOutcome o = execute(tx, replica, null);
        return PreExecResult.full(o.effects(), o.lookupTable(), watermark);
    }

    /**
     * The signature check alone, as a lookup table with no reads and no precompile results (a hint
     * for a later {@link #execute(Transaction, StateView, LookupTable)} of the same transaction).
     */
    public LookupTable signatureOnly(Transaction tx) {
        Authenticator auth = tx.verifySignature() ? Authenticator.verified(tx, nodeId) : Authenticator.invalid(tx, nodeId);
        return new LookupTable(List.of(), List.of(), auth);
    }

    /**
     * A verify-only result: the authenticator status and the (state-independent) precompile
     * outputs, for a transaction whose speculation would be wasted.
     */
    public PreExecResult verifyOnly(Transaction tx, StateView replica, long watermark) {
        ExecutionOutcome o = execute(tx, replica, null);
        return PreExecResult.verifyOnly(tx.digest(), o.lookupTable().withoutReads(), watermark);
    }
}
