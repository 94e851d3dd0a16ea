package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.Hashing;
import io.remora.core.Transaction;
import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.TransactionExecutor;
import java.util.List;

/**
 * One chunk of a commit as the {@code commits} column family holds it, under the key
 * {@code index (i64 big-endian) | chunk (u32 big-endian)}. A commit is written as one or more
 * chunks of consecutive positions, each in its own atomic write batch (see {@link RocksStore}), so
 * that a commit of any size persists in bounded batches and a crash between two chunks resumes at
 * the next one.
 *
 * <pre>
 *  0   flags u8           bit 0: last chunk of the commit
 *  1   firstPosition u32  position of the chunk's first transaction in the commit
 *  5   count u32          positions in this chunk (n)
 *  9   content (32)       SHA-256(DOMAIN_COMMIT_CONTENT | (txDigest | signatureDigest) x n): the
 *                         exact bytes of the chunk's transactions, signatures included
 *  41  n x position:      txDigest (32) | kind u8
 *                           kind 0 AUTHENTICATED  effects in the effects column family under txDigest
 *                           kind 1 INLINE         u32 length | Effects encoding (an unauthenticated
 *                                                 copy, e.g. INVALID_SIGNATURE)
 *                           kind 2 DUPLICATE      nothing: TransactionExecutor.duplicate(txDigest)
 *  ..  last chunk only:   commitTransactions u32 | stateDigest (32) after the whole commit
 * </pre>
 *
 * Only effects of an authenticated execution are stored by digest: that column family is the
 * exactly-once index (a digest present there has executed; every later copy is a duplicate). The
 * outcomes of other copies live here, with their position, so that re-acknowledging a commit
 * returns exactly what it returned the first time.
 *
 * <p>Immutable and thread-safe.
 */
record CommitRecord(boolean last, int firstPosition, Digest content, Digest[] transactions, byte[] kinds,
                    Effects[] inline, int commitTransactions, Digest stateDigest) {
    static final byte AUTHENTICATED = 0;
    static final byte INLINE = 1;
    static final byte DUPLICATE = 2;

    /** Positions per chunk at most. */
    static final int MAX_CHUNK_TRANSACTIONS = 16_384;
    /** Bytes of effects and objects per chunk at most (one position may exceed it alone). */
    static final int MAX_CHUNK_BYTES = 64 * 1024 * 1024;

    int count() {
        return transactions.length;
    }

    /** How position {@code e} is stored. */
    static byte kind(Effects e) {
        if (e.authenticatedExecution()) {
            return AUTHENTICATED;
        }
        return e.status() instanceof ExecutionStatus.Failure f && f.code() == ExecutionStatus.DUPLICATE
                && e.equals(TransactionExecutor.duplicate(e.transaction())) ? DUPLICATE : INLINE;
    }

    /**
     * The content digest of positions {@code [from, to)} of {@code txs}: binds every byte of each
     * transaction (its digest covers the signed data, its signature digest the signature).
     */
    static Digest content(List<Transaction> txs, int from, int to) {
        byte[] buf = new byte[64 * (to - from)];
        for (int i = from; i < to; i++) {
            Transaction tx = txs.get(i);
            tx.digest().writeTo(buf, 64 * (i - from));
            tx.signatureDigest().writeTo(buf, 64 * (i - from) + 32);
        }
        return Hashing.sha256(Hashing.DOMAIN_COMMIT_CONTENT, null, buf);
    }

    /**
     * Encodes positions {@code [from, to)} of a commit into {@code w} (reset first).
     *
     * @param effects the commit's effects by position
     * @param stateDigest the state digest after the whole commit (last chunk only, else ignored)
     */
    static void encode(WireWriter w, boolean last, List<Transaction> txs, int from, int to, Effects[] effects,
                       Digest stateDigest) {
        w.reset();
        w.u8(last ? 1 : 0).i32(from).i32(to - from);
        w.b32(content(txs, from, to));
        for (int i = from; i < to; i++) {
            Effects e = effects[i];
            w.b32(e.transaction());
            byte kind = kind(e);
            w.u8(kind);
            if (kind == INLINE) {
                int lengthAt = w.length();
                w.i32(0);
                e.encode(w);
                w.i32At(lengthAt, w.length() - lengthAt - 4);
            }
        }
        if (last) {
            w.i32(txs.size()).b32(stateDigest);
        }
    }

    static CommitRecord decode(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        int flags = r.u8("commit.flags");
        int first = r.count("commit.firstPosition", Integer.MAX_VALUE);
        int n = r.count("commit.count", MAX_CHUNK_TRANSACTIONS);
        Digest content = r.digest("commit.content");
        Digest[] txs = new Digest[n];
        byte[] kinds = new byte[n];
        Effects[] inline = new Effects[n];
        for (int i = 0; i < n; i++) {
            txs[i] = r.digest("commit.transaction");
            kinds[i] = (byte) r.u8("commit.kind");
            switch (kinds[i]) {
                case AUTHENTICATED -> { }
                case INLINE -> {
                    r.count("commit.inline.length", Limits.MAX_MESSAGE_BYTES);
                    inline[i] = Effects.decode(r);
                }
                case DUPLICATE -> inline[i] = TransactionExecutor.duplicate(txs[i]);
                default -> throw new IllegalStateException("commit record kind=" + kinds[i] + " (expected: 0..2)");
            }
        }
        boolean last = (flags & 1) != 0;
        int total = -1;
        Digest state = null;
        if (last) {
            total = r.count("commit.transactions", Integer.MAX_VALUE);
            state = r.digest("commit.stateDigest");
        }
        r.expectEnd("commit record");
        return new CommitRecord(last, first, content, txs, kinds, inline, total, state);
    }
}
