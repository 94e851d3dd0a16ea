package io.remora.examples.ratis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The two kinds of Raft log entry the validators write, and their binary layout (big-endian).
 *
 * <pre>
 *  BATCH  (one Remora commit)
 *   0      1        2                 2+n      6+n
 *   +------+--------+-----------------+--------+---------------------------------------+
 *   | 0x01 | n (u8) | proposer (utf-8)| count  | count x ( len u32 | TRANSACTION message)|
 *   +------+--------+-----------------+--------+---------------------------------------+
 *
 *  ATTEST (a validator's digest-chain head)
 *   0      1        2                 2+n               10+n
 *   +------+--------+-----------------+-----------------+------------------+
 *   | 0x02 | n (u8) | validator utf-8 | commit i64      | chain digest (32) |
 *   +------+--------+-----------------+-----------------+------------------+
 * </pre>
 *
 * The transactions are {@code MessageCodec.encode(Transaction)} bytes, exactly as clients sent them;
 * the primary decodes them (and a commit's bytes are what {@code submitCommit}'s exactly-once check
 * compares on replay). Lengths are checked before reading: a malformed entry is an
 * {@link IllegalArgumentException}, never an out-of-bounds read.
 *
 * <p>Thread-safety: stateless.
 */
final class RaftEntries {
    static final byte BATCH = 1;
    static final byte ATTEST = 2;
    /** Largest transaction message accepted in a batch (the codec's own limit is lower). */
    static final int MAX_TRANSACTION_BYTES = 1 << 20;

    private RaftEntries() {
    }

    /** A decoded entry. */
    sealed interface Entry permits Batch, Attest {
    }

    /** @param transactions encoded TRANSACTION messages, in proposal order */
    record Batch(String proposer, List<byte[]> transactions) implements Entry {
    }

    record Attest(String validator, long commit, byte[] chainDigest) implements Entry {
    }

    static byte[] batch(String proposer, List<byte[]> txs) {
        byte[] id = name(proposer);
        int size = 2 + id.length + 4;
        for (byte[] t : txs) {
            size += 4 + t.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(BATCH).put((byte) id.length).put(id).putInt(txs.size());
        for (byte[] t : txs) {
            b.putInt(t.length).put(t);
        }
        return b.array();
    }

    static byte[] attest(String validator, long commit, byte[] chainDigest) {
        if (chainDigest.length != 32) {
            throw new IllegalArgumentException("chainDigest.length=" + chainDigest.length + " (expected: 32)");
        }
        byte[] id = name(validator);
        return ByteBuffer.allocate(2 + id.length + 8 + 32).put(ATTEST).put((byte) id.length).put(id).putLong(commit)
                .put(chainDigest).array();
    }

    static Entry decode(ByteBuffer b) {
        need(b, 2, "header");
        byte type = b.get();
        int n = b.get() & 0xff;
        need(b, n, "node id");
        byte[] id = new byte[n];
        b.get(id);
        String node = new String(id, StandardCharsets.UTF_8);
        switch (type) {
            case BATCH -> {
                need(b, 4, "count");
                int count = b.getInt();
                if (count < 0 || count > b.remaining() / 4) {
                    throw new IllegalArgumentException("batch count=" + count + " (expected: 0.." + b.remaining() / 4 + ")");
                }
                List<byte[]> txs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    need(b, 4, "length of transaction " + i);
                    int len = b.getInt();
                    if (len < 0 || len > MAX_TRANSACTION_BYTES) {
                        throw new IllegalArgumentException("transaction length=" + len + " (expected: 0.." + MAX_TRANSACTION_BYTES + ")");
                    }
                    need(b, len, "transaction " + i);
                    byte[] t = new byte[len];
                    b.get(t);
                    txs.add(t);
                }
                return new Batch(node, txs);
            }
            case ATTEST -> {
                need(b, 40, "attestation");
                long commit = b.getLong();
                byte[] d = new byte[32];
                b.get(d);
                return new Attest(node, commit, d);
            }
            default -> throw new IllegalArgumentException("entry type=" + type + " (expected: 1 BATCH or 2 ATTEST)");
        }
    }

    private static byte[] name(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > 255) {
            throw new IllegalArgumentException("node id=" + s + " (expected: 1..255 UTF-8 bytes)");
        }
        return b;
    }

    private static void need(ByteBuffer b, int n, String what) {
        if (b.remaining() < n) {
            throw new IllegalArgumentException(what + ": " + n + " bytes needed, " + b.remaining() + " left");
        }
    }
}
