package io.remora.core.exec;

import io.remora.core.ObjectId;
import io.remora.core.StoredObject;

/**
 * What execution reads state through: the reference store, a pre-executor's stale replica, or the
 * primary's multi-version memory at a transaction's position. An implementation may throw
 * {@link ExecutionSuspended} to stop an execution that must wait for another transaction (the
 * executor never catches it).
 *
 * <p>Thread-safety: implementations must allow {@link #read} from several threads at once (the
 * primary's Block-STM workers and a pre-executor's workers execute in parallel over one view), and a
 * read concurrent with an update must return either the old or the new object, never a mix.
 */
@FunctionalInterface
public interface StateView {
    /** The current version of {@code id}, or null if it does not exist (never created, or deleted). */
    StoredObject read(ObjectId id);
}
