package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * What the {@code commits} column family holds for one commit index (big-endian i64 key):
 *
 * <pre>
 *  0           4                        4 + 32n
 *  +-----------+------------------------+--------------+
 *  | count u32 | txDigest (32) x count  | stateDigest  |
 *  +-----------+------------------------+--------------+
 * </pre>
 *
 * The transactions' effects are in the {@code effects} column family under their digests.
 *
 * <p>Immutable and thread-safe.
 */
record CommitRecord(List<Digest> transactions, Digest stateDigest) {
    CommitRecord {
        transactions = List.copyOf(transactions);
    }

    byte[] encode() {
        WireWriter w = new WireWriter(4 + 32 * transactions.size() + 32);
        w.count("commit.transactions", transactions.size(), Limits.MAX_COMMIT_TRANSACTIONS);
        for (Digest d : transactions) {
            w.b32(d);
        }
        w.b32(stateDigest);
        return w.toByteArray();
    }

    static CommitRecord decode(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        int n = r.count("commit.transactions", Limits.MAX_COMMIT_TRANSACTIONS);
        Digest[] txs = new Digest[n];
        for (int i = 0; i < n; i++) {
            txs[i] = r.digest("commit.transaction");
        }
        Digest state = r.digest("commit.stateDigest");
        r.expectEnd("commit record");
        return new CommitRecord(List.of(txs), state);
    }
}
