package io.remora.primary;

/**
 * What one evaluation of a {@link ScalingPolicy} sees, measured over the period since the previous
 * one (an {@link Autoscaler} computes it from the primary's and the cluster's counters).
 *
 * @param preExecutors   pre-executors able to take work now (synced, not stalled, not quarantined)
 * @param meanQueueDepth their mean reported queue depth (transactions held unanswered)
 * @param transactions   transactions the primary executed in the period
 * @param noResultShare  share of them executed without a usable result in time (0..1)
 * @param localShare     share of submitted transactions that admission could route nowhere (0..1)
 * @param starting       pre-executors the provisioner runs that are not settled yet (booting,
 *                       connected and still syncing, or synced for less than the autoscaler's
 *                       {@code settle} time, their JIT still compiling): capacity on its way, not
 *                       (fully) in the other signals
 * @param meanBusy       the mean share of their workers' time busy (LOAD reports; 0..1), over those
 *                       that report it, or -1 if none does
 * @param maxBusy        the highest of their busy shares, or -1 unless every one of them reports it
 */
public record ScalingSignals(int preExecutors, double meanQueueDepth, long transactions, double noResultShare,
                             double localShare, int starting, double meanBusy, double maxBusy) {
    /** Signals with no pre-executor starting and no busy share. */
    public ScalingSignals(int preExecutors, double meanQueueDepth, long transactions, double noResultShare,
                          double localShare) {
        this(preExecutors, meanQueueDepth, transactions, noResultShare, localShare, 0);
    }

    /** Signals without a busy share. */
    public ScalingSignals(int preExecutors, double meanQueueDepth, long transactions, double noResultShare,
                          double localShare, int starting) {
        this(preExecutors, meanQueueDepth, transactions, noResultShare, localShare, starting, -1, -1);
    }

    public ScalingSignals {
        if (preExecutors < 0 || starting < 0 || transactions < 0 || !(meanQueueDepth >= 0) || !(noResultShare >= 0 && noResultShare <= 1)
                || !(localShare >= 0 && localShare <= 1) || !(meanBusy == -1 || (meanBusy >= 0 && meanBusy <= 1))
                || !(maxBusy == -1 || (maxBusy >= 0 && maxBusy <= 1 && maxBusy >= meanBusy))) {
            throw new IllegalArgumentException("signals=" + preExecutors + "/" + meanQueueDepth + "/" + transactions + "/"
                    + noResultShare + "/" + localShare + "/" + starting + "/" + meanBusy + "/" + maxBusy
                    + " (expected: counts >= 0, shares in 0..1, busy shares -1 or 0..1, maxBusy >= meanBusy)");
        }
    }
}
