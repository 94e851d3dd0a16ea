package io.remora.primary;

/**
 * A snapshot of the primary's counters since it started (they are not persisted across restarts).
 * Read with {@link RemoraPrimary#metrics()}.
 *
 * <p>How each transaction was obtained: {@code adopted + reexecutedStale + reexecutedConflict
 * + reexecutedNoResult + duplicates = transactionsExecuted}.
 *
 * @param commitsExecuted commits executed (not counting idempotent re-submissions)
 * @param transactionsExecuted transactions in those commits
 * @param adopted pre-execution results validated and adopted without executing
 * @param reexecutedStale results re-executed because they read a version older than the commit's base state
 * @param reexecutedConflict results re-executed because an earlier transaction of the same commit invalidated them
 * @param reexecutedNoResult transactions executed locally with no usable full result (none in time,
 *                           verify-only, inconsistent, audited, or cross-checked results that disagreed)
 * @param duplicates later copies of a transaction that had already executed with a valid signature:
 *                   {@code DUPLICATE} outcome, nothing executed (exactly-once)
 * @param executions executions the primary ran (a transaction may run more than once)
 * @param signaturesSkipped signature checks skipped thanks to a pre-executor's lookup table
 * @param precompilesReused precompile outputs reused from a pre-executor's lookup table
 * @param audits results the primary re-executed in full to check them before use (audit sampling)
 * @param auditMismatches audits (or cross-check re-executions) that proved a result false
 * @param liesDetected false results found in all: audit mismatches and proven lies among
 *                     cross-checked results that disagreed
 * @param peersQuarantined peers quarantined after a proven lie (their results are ignored from then on)
 * @param crossCheckDisagreements transactions whose cross-checked results ({@link TrustMode#CROSS_CHECKED}) disagreed
 * @param resultsAccepted results offered and held for execution
 * @param resultsLate results offered after their transaction executed (dropped)
 * @param resultsDuplicate results offered for a transaction that already had one held from the same
 *                         source (dropped)
 * @param resultsDropped held results evicted unused because the result table was full (results for
 *                       transactions that never committed end up here)
 * @param resultsUnsolicited results from a peer the transaction was not routed to (dropped)
 * @param resultsQuarantined results from a quarantined peer (dropped)
 * @param resultsOversized results larger than an honest one for their transaction could be (dropped)
 * @param resultsOverBudget results refused because their source (or the table) held its byte budget
 * @param resultsUndecodable result bytes that did not decode (dropped)
 * @param listenerErrors exceptions thrown by the {@link CommitListener}
 * @param resultWait time per commit spent waiting for missing results
 * @param execution time per commit spent merging and executing
 * @param persistence time per commit spent writing to RocksDB (and syncing, per {@link FsyncPolicy})
 * @param commitToEffects time per commit from {@code submitCommit} to publication (what the host
 *                        waits for: queueing, result wait, execution and persistence)
 * @param resultWaitTargetNanos the result wait's current bound from a commit's arrival: the fixed
 *                              {@code resultWaitTimeout}, or where the adaptive wait stands
 *                              ({@code RemoraPrimary.Builder.adaptiveResultWait})
 */
public record PrimaryMetrics(long commitsExecuted, long transactionsExecuted, long adopted, long reexecutedStale,
                             long reexecutedConflict, long reexecutedNoResult, long duplicates, long executions,
                             long signaturesSkipped, long precompilesReused, long audits, long auditMismatches,
                             long liesDetected, long peersQuarantined, long crossCheckDisagreements,
                             long resultsAccepted, long resultsLate, long resultsDuplicate, long resultsDropped,
                             long resultsUnsolicited, long resultsQuarantined, long resultsOversized,
                             long resultsOverBudget, long resultsUndecodable,
                             long listenerErrors,
                             TimingStats resultWait, TimingStats execution, TimingStats persistence,
                             TimingStats commitToEffects, long resultWaitTargetNanos) {
}
