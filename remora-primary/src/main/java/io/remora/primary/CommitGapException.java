package io.remora.primary;

/**
 * A commit was submitted whose index is not the next one: accepting it would silently skip the
 * commits in between. The host must submit the missing commits first (after a restart, from
 * {@link RemoraPrimary#lastExecutedCommit()} + 1).
 */
public final class CommitGapException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long expectedIndex;
    private final long submittedIndex;

    public CommitGapException(long expectedIndex, long submittedIndex) {
        super("commitIndex=" + submittedIndex + " (expected: <= " + expectedIndex + ", the next commit)");
        this.expectedIndex = expectedIndex;
        this.submittedIndex = submittedIndex;
    }

    /** The index the primary expected next. */
    public long expectedIndex() {
        return expectedIndex;
    }

    public long submittedIndex() {
        return submittedIndex;
    }
}
