package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * One consensus commit: the ordered transactions the primary executes as a batch.
 *
 * <pre>
 *  0          8              12
 *  +----------+--------------+-----------------+--------------------------+-----
 *  | index    | count u32    | length u32      | Transaction (length B)   | ...  count times
 *  | i64 >= 0 | (<= 100,000) | (<= 64 KiB)     | (see Transaction)        |
 *  +----------+--------------+-----------------+--------------------------+-----
 * </pre>
 *
 * Each transaction is framed by its length so a reader can slice or forward the raw bytes without
 * decoding them; the decoder checks that the transaction uses exactly {@code length} bytes. The
 * count is checked against {@link Limits#MAX_COMMIT_TRANSACTIONS} and against the bytes remaining
 * (every framed transaction takes at least {@link #MIN_FRAMED_TRANSACTION_BYTES}) before anything
 * is allocated for it. A commit travels in a message of at most {@link Limits#MAX_MESSAGE_BYTES},
 * which in practice bounds it below the count limit (about 53,000 minimal transactions).
 *
 * <p>Immutable and thread-safe.
 */
public record Commit(long index, List<Transaction> transactions) {
    /** Smallest encoded transaction: no inputs, empty strings and arguments. */
    public static final int MIN_TRANSACTION_BYTES = 32 + 32 + 8 + 8 + 2 + 1 + 1 + 4 + 64;
    /** Smallest framed transaction: length prefix plus {@link #MIN_TRANSACTION_BYTES}. */
    public static final int MIN_FRAMED_TRANSACTION_BYTES = 4 + MIN_TRANSACTION_BYTES;

    public Commit {
        if (index < 0) {
            throw new IllegalArgumentException("index=" + index + " (expected: >= 0)");
        }
        transactions = List.copyOf(transactions);
        if (transactions.size() > Limits.MAX_COMMIT_TRANSACTIONS) {
            throw new IllegalArgumentException("transactions.size=" + transactions.size()
                    + " (expected: <= " + Limits.MAX_COMMIT_TRANSACTIONS + ")");
        }
    }

    /** Length of {@link #encode} output. */
    public long encodedLength() {
        long n = 12;
        for (Transaction tx : transactions) {
            n += 4 + tx.encodedLength();
        }
        return n;
    }

    /** Appends the layout above; no version byte (the enclosing message carries it). */
    public void encode(WireWriter w) {
        w.i64(index).count("commit.transactions", transactions.size(), Limits.MAX_COMMIT_TRANSACTIONS);
        for (int i = 0; i < transactions.size(); i++) {
            Transaction tx = transactions.get(i);
            w.i32(tx.encodedLength());
            tx.encode(w);
        }
    }

    public static Commit decode(WireReader r) {
        long index = r.i64InRange("commit.index", 0, Long.MAX_VALUE);
        int countAt = r.position();
        int n = r.count("commit.transactions", Limits.MAX_COMMIT_TRANSACTIONS);
        if ((long) n * MIN_FRAMED_TRANSACTION_BYTES > r.remaining()) {
            throw new CodecException(CodecException.Kind.TRUNCATED, "commit.transactions", countAt,
                    n + " transactions need at least " + (long) n * MIN_FRAMED_TRANSACTION_BYTES
                            + " bytes, have " + r.remaining());
        }
        Transaction[] txs = new Transaction[n];
        for (int i = 0; i < n; i++) {
            int length = r.count("commit.transaction.length", Limits.MAX_TRANSACTION_BYTES);
            int at = r.position();
            if (length > r.remaining()) {
                throw new CodecException(CodecException.Kind.TRUNCATED, "commit.transaction", at,
                        "need " + length + " bytes, have " + r.remaining());
            }
            txs[i] = Transaction.decode(r);
            if (r.position() - at != length) {
                throw new CodecException(CodecException.Kind.BAD_VALUE, "commit.transaction.length", at - 4,
                        "length " + length + " but the transaction took " + (r.position() - at) + " bytes");
            }
        }
        return new Commit(index, List.of(txs));
    }
}
