package io.remora.primary;

import io.remora.core.Digest;
import io.remora.core.Effects;
import java.util.List;

/**
 * The outcome of one consensus commit: the effects of each of its transactions in commit order,
 * and the state digest after applying them.
 *
 * @param commitIndex the consensus commit index
 * @param effects one entry per transaction, in the order the commit listed them
 * @param stateDigest the state digest after this commit (see {@link io.remora.core.store.StateDigest})
 * @param timings where the time went; all zero for a commit acknowledged again after a restart
 */
public record CommitEffects(long commitIndex, List<Effects> effects, Digest stateDigest, Timings timings) {
    public CommitEffects {
        effects = List.copyOf(effects);
    }

    /**
     * @param resultWaitNanos from the commit's arrival to the start of its execution: the wait for missing
     *                        pre-execution results (at most {@code resultWaitTimeout}) and, when the pipeline
     *                        is behind, the time queued behind earlier commits
     * @param executionNanos time spent merging and executing the commit (after the wait)
     * @param persistenceNanos time spent writing (and, per {@link FsyncPolicy}, syncing) the commit
     * @param commitToEffectsNanos from {@code submitCommit} to publication (durable, about to reach the
     *                             listener): queueing in the pipeline included
     * @param replayed true if this commit was already durable and its effects were read back
     */
    public record Timings(long resultWaitNanos, long executionNanos, long persistenceNanos, long commitToEffectsNanos,
                          boolean replayed) {
        public static final Timings REPLAYED = new Timings(0, 0, 0, 0, true);
    }
}
