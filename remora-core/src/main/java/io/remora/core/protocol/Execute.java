package io.remora.core.protocol;

import io.remora.core.Transaction;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * EXECUTE (primary to pre-executor, speculative): transactions to pre-execute, in admission order.
 *
 * <pre>
 *  0        1             3
 *  +--------+-------------+----------------------+----------------------+-----
 *  | ver u8 | count u16   | Transaction          | Transaction          | ...  count times
 *  | = 1    | 1..MAX_BATCH| (see Transaction)    |                      |
 *  +--------+-------------+----------------------+----------------------+-----
 *  VERSION_OFFSET = 0, COUNT_OFFSET = 1, FIRST_TRANSACTION_OFFSET = 3
 * </pre>
 *
 * Transactions are self-delimiting (their own length fields); the receiver executes them in the
 * order given. The version byte is written by {@link ClusterMessages}.
 *
 * <p>Immutable and thread-safe.
 */
public record Execute(List<Transaction> transactions) implements ClusterMessage {
    public static final int COUNT_OFFSET = 1;
    public static final int FIRST_TRANSACTION_OFFSET = 3;

    public Execute {
        transactions = List.copyOf(transactions);
        ClusterMessages.checkBatch("transactions", transactions.size());
    }

    public static Execute of(Transaction tx) {
        return new Execute(List.of(tx));
    }

    void encode(WireWriter w) {
        w.count16("execute.count", transactions.size(), ClusterMessages.MAX_BATCH);
        for (Transaction tx : transactions) {
            tx.encode(w);
        }
    }

    static Execute decode(WireReader r) {
        int n = ClusterMessages.batchCount(r, "execute.count");
        Transaction[] txs = new Transaction[n];
        for (int i = 0; i < n; i++) {
            txs[i] = Transaction.decode(r);
        }
        return new Execute(List.of(txs));
    }

}
