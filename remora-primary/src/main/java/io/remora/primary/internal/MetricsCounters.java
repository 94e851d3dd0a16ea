package io.remora.primary.internal;

import io.remora.primary.CommitTimingListener;
import io.remora.primary.PrimaryMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The primary's live counters; {@link #snapshot()} turns them into the public {@link PrimaryMetrics}.
 *
 * <p>Thread-safe (LongAdders): written by the offering threads and the pipeline stages.
 */
public final class MetricsCounters {
    final LongAdder commitsExecuted = new LongAdder();
    final LongAdder transactionsExecuted = new LongAdder();
    final LongAdder adopted = new LongAdder();
    final LongAdder reexecutedStale = new LongAdder();
    final LongAdder reexecutedConflict = new LongAdder();
    final LongAdder reexecutedNoResult = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder audits = new LongAdder();
    final LongAdder auditMismatches = new LongAdder();
    final LongAdder liesDetected = new LongAdder();
    final LongAdder peersQuarantined = new LongAdder();
    final LongAdder crossCheckDisagreements = new LongAdder();
    final LongAdder resultsUnsolicited = new LongAdder();
    final LongAdder resultsQuarantined = new LongAdder();
    final LongAdder resultsOversized = new LongAdder();
    final LongAdder resultsOverBudget = new LongAdder();
    /** Cross-checked results of each source that disagreed with another source's. */
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> disagreements =
            new java.util.concurrent.ConcurrentHashMap<>();

    void disagreement(String source) {
        disagreements.computeIfAbsent(source, k -> new LongAdder()).increment();
    }

    /** Disagreements counted against {@code source} (0 if none). */
    public long disagreements(String source) {
        LongAdder a = disagreements.get(source);
        return a == null ? 0 : a.sum();
    }
    final LongAdder executions = new LongAdder();
    final LongAdder signaturesSkipped = new LongAdder();
    final LongAdder precompilesReused = new LongAdder();
    final LongAdder resultsAccepted = new LongAdder();
    final LongAdder resultsLate = new LongAdder();
    final LongAdder resultsDuplicate = new LongAdder();
    final LongAdder resultsDropped = new LongAdder();
    final LongAdder resultsUndecodable = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    final TimingRecorder resultWait = new TimingRecorder();
    final TimingRecorder execution = new TimingRecorder();
    final TimingRecorder persistence = new TimingRecorder();
    final TimingRecorder commitToEffects = new TimingRecorder();
    /** Copy on write: read once per commit by the publication stage, changed rarely. */
    private volatile CommitTimingListener[] timingListeners = new CommitTimingListener[0];

    /** Adds a listener of every published commit's timings (see {@link io.remora.primary.RemoraPrimary#addTimingListener}). */
    public synchronized void addTimingListener(CommitTimingListener l) {
        CommitTimingListener[] a = java.util.Arrays.copyOf(timingListeners, timingListeners.length + 1);
        a[a.length - 1] = l;
        timingListeners = a;
    }

    /** Removes one registration of {@code l}; false if it was not registered. */
    public synchronized boolean removeTimingListener(CommitTimingListener l) {
        CommitTimingListener[] a = timingListeners;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == l) {
                CommitTimingListener[] b = new CommitTimingListener[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                timingListeners = b;
                return true;
            }
        }
        return false;
    }

    /** Publication stage: records commit→effects and tells the timing listeners (a throwing one is counted). */
    public void commitPublished(long index, int transactions, io.remora.primary.CommitEffects.Timings t) {
        commitToEffects.record(t.commitToEffectsNanos());
        for (CommitTimingListener l : timingListeners) {
            try {
                l.onCommitTimed(index, transactions, t);
            } catch (RuntimeException bug) {
                listenerErrors.increment();
            }
        }
    }

    public void undecodableResult() {
        resultsUndecodable.increment();
    }

    void commitExecuted(CommitOutcome o, int transactions) {
        commitsExecuted.increment();
        transactionsExecuted.add(transactions);
        adopted.add(o.adopted());
        reexecutedStale.add(o.reexecutedStale());
        reexecutedConflict.add(o.reexecutedConflict());
        reexecutedNoResult.add(o.reexecutedNoResult());
        duplicates.add(o.duplicates());
        executions.add(o.executions());
        signaturesSkipped.add(o.signaturesSkipped());
        precompilesReused.add(o.precompilesReused());
    }

    /** Written by {@link ResultWaitPolicy} (under the result table's lock), read by snapshots. */
    volatile long resultWaitTargetNanos;

    public PrimaryMetrics snapshot() {
        return new PrimaryMetrics(commitsExecuted.sum(), transactionsExecuted.sum(), adopted.sum(),
                reexecutedStale.sum(), reexecutedConflict.sum(), reexecutedNoResult.sum(), duplicates.sum(),
                executions.sum(), signaturesSkipped.sum(), precompilesReused.sum(), audits.sum(),
                auditMismatches.sum(), liesDetected.sum(), peersQuarantined.sum(), crossCheckDisagreements.sum(),
                resultsAccepted.sum(), resultsLate.sum(), resultsDuplicate.sum(), resultsDropped.sum(),
                resultsUnsolicited.sum(), resultsQuarantined.sum(), resultsOversized.sum(), resultsOverBudget.sum(),
                resultsUndecodable.sum(), listenerErrors.sum(),
                resultWait.snapshot(), execution.snapshot(), persistence.snapshot(), commitToEffects.snapshot(),
                resultWaitTargetNanos);
    }
}
