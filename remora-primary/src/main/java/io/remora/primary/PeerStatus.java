package io.remora.primary;

/**
 * What the primary knows about one connected (or quarantined) pre-executor: its last load report (heartbeat) and the
 * primary's own counters for it.
 *
 * @param nodeId          the node id the pre-executor proved in the handshake
 * @param synced          it reported a snapshot installed (and it is not draining)
 * @param queueDepth      transactions it holds unanswered (last report)
 * @param executedPerSec  its execution rate (last report)
 * @param watermark       the last commit its replica applied (last report; -1: none)
 * @param misses          stale-replica misses attributed to it since it connected
 * @param executesSent    transactions admission sent it
 * @param resultsReceived results it sent that the primary decoded and offered
 * @param resultsAdopted  its results the primary adopted (committed without executing the
 *                        transaction itself): how useful it is, e.g. since it joined
 * @param disagreements   its cross-checked results that disagreed with another peer's for the same
 *                        transaction ({@link TrustMode#CROSS_CHECKED}; a stale replica does this too,
 *                        a lie is only what the primary proves, see {@code quarantined})
 * @param stalled         work is outstanding and it has not answered for {@code stallTimeout}: it gets
 *                        no work and is not waited for until it answers again (or reports itself idle,
 *                        {@link ClusterMetrics#peersRecoveredIdle})
 * @param quarantined     it was caught lying: disconnected, refused and its results ignored until an
 *                        operator re-admits it ({@link RemoraPrimary#readmit}); listed while not connected
 * @param busy            the share of its workers' time spent running transactions over its recent
 *                        sampling window (last report; 0..1), or -1 if it does not report it
 */
public record PeerStatus(String nodeId, boolean synced, int queueDepth, int executedPerSec, long watermark,
                         long misses, long executesSent, long resultsReceived, long resultsAdopted, long disagreements,
                         boolean stalled, boolean quarantined, double busy) {
    /** A status without the busy share (-1: not reported). */
    public PeerStatus(String nodeId, boolean synced, int queueDepth, int executedPerSec, long watermark,
                      long misses, long executesSent, long resultsReceived, long resultsAdopted, long disagreements,
                      boolean stalled, boolean quarantined) {
        this(nodeId, synced, queueDepth, executedPerSec, watermark, misses, executesSent, resultsReceived,
                resultsAdopted, disagreements, stalled, quarantined, -1);
    }
}
