package io.remora.primary;

/**
 * A commit index was submitted again with transactions that differ from those it was first
 * submitted with (a different transaction, order or count, or the same transactions with other
 * signature bytes). Consensus never changes a commit it decided, so this is a bug or an attack on
 * the host's side: the primary refuses it and keeps the original commit's effects.
 */
public final class CommitMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long commitIndex;
    private final int position;

    public CommitMismatchException(long commitIndex, int position, String detail) {
        super("commit " + commitIndex + " transactions" + (position >= 0 ? "[" + position + "]" : "") + "=" + detail
                + " (expected: exactly the transactions, signatures included, it was first submitted with)");
        this.commitIndex = commitIndex;
        this.position = position;
    }

    public long commitIndex() {
        return commitIndex;
    }

    /** The first position known to differ, or -1 if the number of transactions differs. */
    public int position() {
        return position;
    }
}
