package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.primary.CommitEffects;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One slot of the commit ring, reused for every commit that passes through it. Each field is
 * written by one stage and read by the later ones; the Disruptor's sequence barriers order them.
 *
 * <p>Not thread-safe on its own: see {@link CommitPipeline} for who touches what.
 */
final class CommitEvent {
    // Set by the consensus thread (publisher).
    long index;
    List<Transaction> transactions;
    long arrivalNanos;
    CompletableFuture<CommitEffects> future;
    // Set by the execution stage.
    Effects[] effects;
    byte[] causes;
    ObjectId[] missedObjects;
    String[] sources;
    Map<ObjectId, StoredObject> changes;
    Digest stateDigest;
    long resultWaitNanos;
    long executionNanos;
    // Set by the persistence stage.
    long persistenceNanos;
    // Set by whichever stage failed: the commit's future fails with it.
    Throwable failure;

    void clear() {
        transactions = null;
        future = null;
        effects = null;
        causes = null;
        missedObjects = null;
        sources = null;
        changes = null;
        stateDigest = null;
        failure = null;
    }
}
