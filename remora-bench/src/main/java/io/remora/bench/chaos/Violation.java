package io.remora.bench.chaos;

/**
 * An invariant the chaos run found broken.
 *
 * @param kind   which invariant
 * @param commit the commit it concerns (-1: none in particular)
 * @param detail what was seen, and what was expected
 */
public record Violation(Kind kind, long commit, String detail) {
    /** The invariants. */
    public enum Kind {
        /** A commit's effects differ from the sequential reference's (position and digests in the detail). */
        EFFECTS_MISMATCH,
        /** The state digest published with a commit differs from the reference's after that commit. */
        STATE_DIGEST_MISMATCH,
        /** A commit was delivered again (replayed) with different effects or state digest. */
        DELIVERED_TWICE_DIFFERENT,
        /** A commit was executed (delivered not replayed) twice: its transactions applied twice. */
        EXECUTED_TWICE,
        /** After a restart, {@code lastExecutedCommit()} is below a commit whose effects were delivered. */
        ACKNOWLEDGED_COMMIT_LOST,
        /** After a restart, the recovered state digest is not the reference's after the recovered commit. */
        RECOVERED_STATE_MISMATCH,
        /** A commit consensus ordered got no effects by the end. */
        MISSING,
        /** The final state (or last commit) differs from the reference's. */
        FINAL_STATE_MISMATCH,
        /** The primary refused or failed a commit ({@code submitCommit} threw, or its future failed). */
        PRIMARY_ERROR,
        /** The primary process exited without being killed or asked to. */
        UNEXPECTED_EXIT,
        /** The run did not drain within its bound. */
        TIMEOUT
    }

    @Override
    public String toString() {
        return kind + (commit >= 0 ? " at commit " + commit : "") + ": " + detail;
    }
}
