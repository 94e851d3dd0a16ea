package io.remora.primary.internal;

import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import java.util.List;
import java.util.Map;

/**
 * Internal hook: receives every published commit with the detail the host's
 * {@link io.remora.primary.CommitListener} does not see (how each position was obtained, the object
 * that invalidated a result, the peer a result came from, the net state changes). The cluster
 * service uses it for lazy state updates, miss statistics and the hot set.
 *
 * <p>Called on the {@code remora-publish} thread, strictly in commit order, after the host's
 * listener; must hand work off rather than block. Exceptions are counted as listener errors.
 */
@FunctionalInterface
public interface CommitObserver {
    void onCommit(Detail detail);

    /**
     * One published commit. Arrays are indexed by position and must not be modified.
     *
     * @param index         the commit index
     * @param transactions  the commit's transactions
     * @param effects       their effects
     * @param causes        per position: {@link CommitOutcome#ADOPTED}, {@code STALE}, {@code CONFLICT} or {@code NO_RESULT}
     * @param missedObjects per position: the object that invalidated the result (STALE/CONFLICT), else null
     * @param sources       per position: the pre-executor whose result was used or invalidated, else null
     * @param routed        per position: the pre-executors its transaction was routed to, else null
     * @param changes       net changes of the commit: id -> latest version, null value = deleted
     */
    record Detail(long index, List<Transaction> transactions, List<Effects> effects, byte[] causes,
                  ObjectId[] missedObjects, String[] sources, String[][] routed,
                  Map<ObjectId, StoredObject> changes) {
    }
}
