package io.remora.core.protocol;

import io.remora.core.PreExecResult;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * LEASE_RESULT (pre-executor to primary, reliable): a delegate's answers to {@link LeaseExecute}
 * for lease {@code epoch}: results computed after ordering, in consensus order, on the leased
 * objects. Apart from RESULT so that the primary tells them from the speculative result the same
 * pre-executor may have sent for the same transaction before it was ordered.
 *
 * <pre>
 *  0        1             9
 *  +--------+-------------+-------------+----------------------+-----
 *  | ver u8 | epoch i64>0 | count u16   | PreExecResult        | ...  count times
 *  | = 1    |             | 1..MAX_BATCH| (see PreExecResult)  |
 *  +--------+-------------+-------------+----------------------+-----
 *  VERSION_OFFSET = 0, EPOCH_OFFSET = 1, COUNT_OFFSET = 9, FIRST_RESULT_OFFSET = 11
 * </pre>
 *
 * The primary validates each like any result before adopting it.
 *
 * <p>Immutable and thread-safe.
 */
public record LeaseResults(long epoch, List<PreExecResult> results) implements ClusterMessage {
    public static final int EPOCH_OFFSET = 1;
    public static final int COUNT_OFFSET = 9;
    public static final int FIRST_RESULT_OFFSET = 11;

    public LeaseResults {
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch=" + epoch + " (expected: > 0)");
        }
        results = List.copyOf(results);
        ClusterMessages.checkBatch("results", results.size());
    }

    void encode(WireWriter w) {
        w.i64(epoch).count16("leaseResults.count", results.size(), ClusterMessages.MAX_BATCH);
        for (PreExecResult r : results) {
            r.encode(w);
        }
    }

    static LeaseResults decode(WireReader r) {
        int at = r.position();
        long epoch = r.i64("leaseResults.epoch");
        if (epoch <= 0) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "leaseResults.epoch", at,
                    "epoch=" + epoch + " (expected: > 0)");
        }
        int n = ClusterMessages.batchCount(r, "leaseResults.count");
        PreExecResult[] out = new PreExecResult[n];
        for (int i = 0; i < n; i++) {
            out[i] = PreExecResult.decode(r);
        }
        return new LeaseResults(epoch, List.of(out));
    }
}
