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
    // Set by the consensus thread (which enqueues it on the ring).
    long index;
    List<Transaction> transactions;
    long arrivalNanos;
    CompletableFuture<CommitEffects> future;
    /**
     * Positions already durable (a commit resumed after a crash between two of its chunks; 0
     * otherwise) and the index of the first chunk still to write.
     */
    int startPosition;
    int firstChunk;
    /** Effects of the positions before {@link #startPosition}, read back from the store (else null). */
    Effects[] recovered;
    // Set by the preparation stage.
    /** The audit sample and the primary's own signature verdicts for it (see TrustPolicy.prepareAudits). */
    byte[] audits;
    // Set by the execution stage.
    Effects[] effects;
    byte[] causes;
    ObjectId[] missedObjects;
    String[] sources;
    /** Per position: the peers its transaction was routed to (null: none). */
    String[][] routed;
    /** Chunk c covers positions [chunkEnds[c-1] or startPosition, chunkEnds[c]). */
    int[] chunkEnds;
    List<Map<ObjectId, StoredObject>> chunkChanges;
    Digest[] chunkDigests;
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
        routed = null;
        recovered = null;
        audits = null;
        chunkEnds = null;
        chunkChanges = null;
        chunkDigests = null;
        startPosition = 0;
        firstChunk = 0;
        stateDigest = null;
        failure = null;
    }
}
