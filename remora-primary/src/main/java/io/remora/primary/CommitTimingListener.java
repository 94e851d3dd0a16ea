package io.remora.primary;

/**
 * Told where each executed commit's time went, once per commit, in commit order, on the primary's
 * publication thread: after the commit is durable, just before the {@link CommitListener} gets its
 * effects. Meant for metrics (the Micrometer binder records these into histograms); it must return
 * quickly, and an exception it throws is counted in {@link PrimaryMetrics#listenerErrors()} and
 * otherwise ignored. Not called for commits acknowledged again after a restart (their timings are
 * {@link CommitEffects.Timings#REPLAYED}).
 *
 * @see RemoraPrimary#addTimingListener
 */
@FunctionalInterface
public interface CommitTimingListener {
    /**
     * @param commitIndex  the commit's consensus index
     * @param transactions transactions in the commit
     * @param timings      its result wait, execution, persistence and commit→effects times
     */
    void onCommitTimed(long commitIndex, int transactions, CommitEffects.Timings timings);
}
