package io.remora.core.exec;

import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;

/**
 * What a program sees while it runs. Every state access is recorded (for the lookup table) and
 * metered (gas); running out of gas or breaking an ownership rule throws {@link ProgramAbort}.
 *
 * <p>Write rules: a program may write declared owned inputs (owned by the sender), mutable shared
 * inputs, dynamic children of writable objects, and objects it created; immutable objects and
 * read-only shared inputs are never written.
 *
 * <p>Not thread-safe: one context per execution.
 */
public interface ExecutionContext {
    Transaction transaction();

    /** Declared input {@code index} as loaded for this execution. */
    StoredObject input(int index);

    int inputCount();

    /** The dynamic child of {@code parent} under {@code key}, or null if absent. Recorded as a read. */
    StoredObject readChild(ObjectId parent, byte[] key);

    /** Creates a new object owned by {@code owner}; returns its deterministic id. */
    ObjectId create(Owner owner, String typeTag, byte[] contents);

    /** Replaces the contents of a writable object, keeping owner and type. */
    void mutate(ObjectId id, byte[] contents);

    /** Changes the owner of a writable object (e.g. a coin transfer). */
    void transfer(ObjectId id, Owner newOwner);

    /** Creates or replaces the dynamic child of a writable {@code parent} under {@code key}. */
    void writeChild(ObjectId parent, byte[] key, String typeTag, byte[] contents);

    /** Deletes a writable object. */
    void delete(ObjectId id);

    /** Calls a pure precompile; its output may come from the lookup table instead of being computed. */
    byte[] precompile(int functionId, byte[] input);

    /** Charges {@code units} of gas; throws {@link ProgramAbort} (OUT_OF_GAS) past the budget. */
    void chargeGas(long units);

    void emit(String type, byte[] data);

    /** Fails the transaction with a program-defined code (>= 1000). Never returns. */
    default ProgramAbort abort(int code, String message) {
        throw new ProgramAbort(code, message);
    }
}
