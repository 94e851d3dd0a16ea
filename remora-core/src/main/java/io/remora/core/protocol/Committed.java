package io.remora.core.protocol;

import io.remora.core.Digest;
import io.remora.core.ObjectId;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;
import java.util.Objects;

/**
 * COMMITTED (primary to pre-executor, speculative): which of the transactions routed to this
 * pre-executor a commit contained, and what became of its result.
 *
 * <pre>
 *  0        1                9           13
 *  +--------+----------------+-----------+------------------------------------------------+
 *  | ver u8 | commit i64>=0  | count u32 | entry...                                       |
 *  | = 1    |                | 1..MAX_COMMITTED_ENTRIES                                   |
 *  +--------+----------------+-----------+------------------------------------------------+
 *  entry: digest (32 B) | outcome u8 | [missed ObjectId (32 B), only for STALE and CONFLICT]
 *  VERSION_OFFSET = 0, COMMIT_OFFSET = 1, COUNT_OFFSET = 9, ENTRIES_OFFSET = 13
 * </pre>
 *
 * A pre-executor uses it two ways. A transaction it has not executed yet is already committed:
 * executing it now would read state that includes its own effects (a result for it is late anyway),
 * so it is skipped and never speculated. And a STALE or CONFLICT outcome names the object its
 * result read wrongly: the pre-executor's chain of speculative writes on that object has left the
 * committed order, and it rebuilds it on the committed state. A commit's entries may come in several
 * messages. Hints only: a lost or forged notice costs adoption, never correctness.
 *
 * <p>Immutable and thread-safe.
 */
public record Committed(long commit, List<Entry> entries) implements ClusterMessage {
    public static final int COMMIT_OFFSET = 1;
    public static final int COUNT_OFFSET = 9;
    public static final int ENTRIES_OFFSET = 13;

    /** What became of the pre-executor's result for one transaction. */
    public enum Outcome {
        /** Adopted (or its hints used). */
        ADOPTED,
        /** It read an object at a version the committed order did not have there. */
        STALE,
        /** It read the committed version of an object an earlier transaction of the commit wrote. */
        CONFLICT,
        /** Not used: no result in time, a verify-only one, or re-executed for another reason. */
        NOT_USED;

        private static final Outcome[] VALUES = values();

        /** Whether an entry with this outcome names the object read wrongly. */
        public boolean namesObject() {
            return this == STALE || this == CONFLICT;
        }
    }

    /** One transaction: its digest, the outcome, and for STALE and CONFLICT the object read wrongly. */
    public record Entry(Digest transaction, Outcome outcome, ObjectId missed) {
        public Entry {
            Objects.requireNonNull(transaction, "transaction");
            Objects.requireNonNull(outcome, "outcome");
            if (outcome.namesObject() != (missed != null)) {
                throw new IllegalArgumentException("missed=" + missed + " (expected: an object for STALE and CONFLICT only, "
                        + "outcome=" + outcome + ")");
            }
        }
    }

    public Committed {
        if (commit < 0) {
            throw new IllegalArgumentException("commit=" + commit + " (expected: >= 0)");
        }
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("entries=0 (expected: 1.." + ClusterMessages.MAX_COMMITTED_ENTRIES + ")");
        }
        ClusterMessages.checkCount("entries", entries.size(), ClusterMessages.MAX_COMMITTED_ENTRIES);
    }

    void encode(WireWriter w) {
        w.i64(commit).count("committed.count", entries.size(), ClusterMessages.MAX_COMMITTED_ENTRIES);
        for (Entry e : entries) {
            w.b32(e.transaction()).u8(e.outcome().ordinal());
            if (e.missed() != null) {
                w.b32(e.missed());
            }
        }
    }

    static Committed decode(WireReader r) {
        int at = r.position();
        long commit = r.i64("committed.commit");
        int n = ClusterMessages.count(r, "committed.count", ClusterMessages.MAX_COMMITTED_ENTRIES, 33);
        Entry[] entries = new Entry[n];
        for (int i = 0; i < n; i++) {
            Digest d = r.digest("committed.transaction");
            int o = r.u8("committed.outcome");
            if (o >= Outcome.VALUES.length) {
                throw new CodecException(CodecException.Kind.BAD_VALUE, "committed.outcome", r.position() - 1,
                        "outcome " + o + " (expected: 0.." + (Outcome.VALUES.length - 1) + ")");
            }
            Outcome outcome = Outcome.VALUES[o];
            entries[i] = new Entry(d, outcome, outcome.namesObject() ? r.objectId("committed.missed") : null);
        }
        try {
            return new Committed(commit, List.of(entries));
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "committed", at, e.getMessage());
        }
    }
}
