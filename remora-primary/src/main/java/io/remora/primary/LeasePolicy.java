package io.remora.primary;

import java.time.Duration;

/**
 * When an overwhelmed primary delegates a hot subset of the state to a pre-executor (a lease), and
 * for how long. See {@code docs/architecture.md}, "Leases".
 *
 * <p>Every commit the primary measures the execution stage's busy fraction (time executing over
 * time elapsed, smoothed over about 5 commits), the commits queued behind it, and the share of
 * transactions it executed itself (re-executed, or with no usable result). It is <b>overloaded</b>
 * when {@code busy >= busyHigh} (or {@code queued >= queuedHigh}) and {@code reexecuted >=
 * reexecutedHigh} for {@code overloadCommits} commits in a row; a lease is then granted over the
 * conflict cluster of the objects it re-executed most (at most {@code maxObjects} objects) to the
 * least loaded synced pre-executor. The lease ends when a committed transaction touches a leased and
 * a non-leased object (before it executes), after {@code term}, when the delegate has not answered
 * {@code answerWait} after its commit reached execution, disconnects or answers wrongly, or when the
 * hot spot subsides: the share of transactions the lease and the primary execute together (what
 * the primary would re-execute without the lease) below {@code reexecutedLow} for
 * {@code calmCommits} commits in a row; the primary's own busy fraction is no guide then, since the
 * lease is what lowers it. The gap between {@code reexecutedHigh} and {@code reexecutedLow}, the
 * two run lengths, and a pause of {@code overloadCommits} commits after a lease ends are the
 * hysteresis.
 *
 * <p>Leases are granted in {@link TrustMode#TRUSTED} only: in {@link TrustMode#CROSS_CHECKED} a
 * delegate's answer is one result like any other and is not used without r agreeing ones, so a
 * lease would only add work.
 *
 * <p>Immutable and thread-safe.
 */
public record LeasePolicy(boolean enabled, double busyHigh, int queuedHigh, double reexecutedHigh,
                          double reexecutedLow, int overloadCommits, int calmCommits, int maxObjects, Duration term,
                          Duration answerWait) {
    /** The largest lease: {@code io.remora.core.protocol.ClusterMessages.MAX_LEASE_OBJECTS}. */
    public static final int MAX_OBJECTS = 4096;

    public LeasePolicy {
        check(busyHigh >= 0 && busyHigh <= 1, "busyHigh", busyHigh, "0..1");
        check(queuedHigh >= 1, "queuedHigh", queuedHigh, ">= 1");
        check(reexecutedHigh >= 0 && reexecutedHigh <= 1, "reexecutedHigh", reexecutedHigh, "0..1");
        check(reexecutedLow >= 0 && reexecutedLow <= reexecutedHigh, "reexecutedLow", reexecutedLow, "0..reexecutedHigh");
        check(overloadCommits >= 1, "overloadCommits", overloadCommits, ">= 1");
        check(calmCommits >= 1, "calmCommits", calmCommits, ">= 1");
        check(maxObjects >= 1 && maxObjects <= MAX_OBJECTS, "maxObjects", maxObjects, "1.." + MAX_OBJECTS);
        check(term != null && !term.isNegative() && !term.isZero(), "term", term, "a positive duration");
        check(answerWait != null && !answerWait.isNegative() && !answerWait.isZero(), "answerWait", answerWait,
                "a positive duration");
    }

    /** No leases (the default of {@link RemoraPrimary.Builder#leasePolicy}). */
    public static LeasePolicy disabled() {
        return defaults().withEnabled(false);
    }

    /**
     * Leases on, with the documented thresholds: busy 0.7 or 8 commits queued, re-executed share 0.2
     * to grant (5 commits in a row) and below 0.05 to end (20 commits in a row), 256 objects, 30 s
     * term, 100 ms wait.
     */
    public static LeasePolicy defaults() {
        return new LeasePolicy(true, 0.7, 8, 0.2, 0.05, 5, 20, 256, Duration.ofSeconds(30), Duration.ofMillis(100));
    }

    public LeasePolicy withEnabled(boolean v) {
        return new LeasePolicy(v, busyHigh, queuedHigh, reexecutedHigh, reexecutedLow, overloadCommits,
                calmCommits, maxObjects, term, answerWait);
    }

    /** The overload thresholds; the calm share is clamped to stay at or below {@code reexecutedHigh}. */
    public LeasePolicy withOverload(double busyHigh, double reexecutedHigh, int overloadCommits) {
        return new LeasePolicy(enabled, busyHigh, queuedHigh, reexecutedHigh,
                Math.min(reexecutedLow, reexecutedHigh), overloadCommits, calmCommits, maxObjects, term, answerWait);
    }

    public LeasePolicy withCalm(double reexecutedLow, int calmCommits) {
        return new LeasePolicy(enabled, busyHigh, queuedHigh, reexecutedHigh, reexecutedLow, overloadCommits,
                calmCommits, maxObjects, term, answerWait);
    }

    public LeasePolicy withTerm(Duration v) {
        return new LeasePolicy(enabled, busyHigh, queuedHigh, reexecutedHigh, reexecutedLow, overloadCommits,
                calmCommits, maxObjects, v, answerWait);
    }

    public LeasePolicy withAnswerWait(Duration v) {
        return new LeasePolicy(enabled, busyHigh, queuedHigh, reexecutedHigh, reexecutedLow, overloadCommits,
                calmCommits, maxObjects, term, v);
    }

    public LeasePolicy withMaxObjects(int v) {
        return new LeasePolicy(enabled, busyHigh, queuedHigh, reexecutedHigh, reexecutedLow, overloadCommits,
                calmCommits, v, term, answerWait);
    }

    private static void check(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + "=" + value + " (expected: " + expected + ")");
        }
    }
}
