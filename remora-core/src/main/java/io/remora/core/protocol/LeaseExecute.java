package io.remora.core.protocol;

import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;
import java.util.Objects;

/**
 * LEASE_EXECUTE (primary to pre-executor, reliable): committed transactions of commit
 * {@code commit} that touch only the objects of lease {@code epoch}, with their positions in the
 * commit, in position order. The delegate executes them in the order received (commit after commit,
 * position after position) against the lease's objects and answers each in a {@link LeaseResults}.
 *
 * <pre>
 *  0        1             9             17          21
 *  +--------+-------------+-------------+-----------+-------------------------------------+
 *  | ver u8 | epoch i64>0 | commit i64  | count u32 | (position u32 | Transaction)...      |
 *  | = 1    |             | >= 0        | 1..MAX_BATCH, positions strictly increasing     |
 *  +--------+-------------+-------------+-----------+-------------------------------------+
 *  VERSION_OFFSET = 0, EPOCH_OFFSET = 1, COMMIT_OFFSET = 9, COUNT_OFFSET = 17, ENTRIES_OFFSET = 21
 * </pre>
 *
 * A commit's leased transactions may take several messages. The primary checks every answer's
 * read versions before it adopts it, as for any result: a delegate that is wrong (or lies about
 * what it read) costs the lease, never correctness.
 *
 * <p>Immutable and thread-safe.
 */
public record LeaseExecute(long epoch, long commit, List<Entry> entries) implements ClusterMessage {
    public static final int EPOCH_OFFSET = 1;
    public static final int COMMIT_OFFSET = 9;
    public static final int COUNT_OFFSET = 17;
    public static final int ENTRIES_OFFSET = 21;

    /** One transaction and its position in the commit. */
    public record Entry(int position, Transaction transaction) {
        public Entry {
            if (position < 0) {
                throw new IllegalArgumentException("position=" + position + " (expected: >= 0)");
            }
            Objects.requireNonNull(transaction, "transaction");
        }
    }

    public LeaseExecute {
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch=" + epoch + " (expected: > 0)");
        }
        if (commit < 0) {
            throw new IllegalArgumentException("commit=" + commit + " (expected: >= 0)");
        }
        entries = List.copyOf(entries);
        ClusterMessages.checkBatch("entries", entries.size());
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).position() <= entries.get(i - 1).position()) {
                throw new IllegalArgumentException("entries[" + i + "].position=" + entries.get(i).position()
                        + " (expected: > " + entries.get(i - 1).position() + ", strictly increasing)");
            }
        }
    }

    void encode(WireWriter w) {
        w.i64(epoch).i64(commit).count("leaseExecute.count", entries.size(), ClusterMessages.MAX_BATCH);
        for (Entry e : entries) {
            w.i32(e.position());
            e.transaction().encode(w);
        }
    }

    static LeaseExecute decode(WireReader r) {
        int at = r.position();
        long epoch = r.i64("leaseExecute.epoch");
        long commit = r.i64("leaseExecute.commit");
        int n = ClusterMessages.count(r, "leaseExecute.count", ClusterMessages.MAX_BATCH, 4 + 1);
        Entry[] entries = new Entry[n];
        for (int i = 0; i < n; i++) {
            int position = r.count("leaseExecute.position", Integer.MAX_VALUE);
            entries[i] = new Entry(position, Transaction.decode(r));
        }
        try {
            return new LeaseExecute(epoch, commit, List.of(entries));
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "leaseExecute", at, e.getMessage());
        }
    }
}
