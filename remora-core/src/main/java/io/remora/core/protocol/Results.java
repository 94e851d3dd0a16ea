package io.remora.core.protocol;

import io.remora.core.PreExecResult;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * RESULT (pre-executor to primary, speculative): pre-execution results.
 *
 * <pre>
 *  0        1             3
 *  +--------+-------------+----------------------+----------------------+-----
 *  | ver u8 | count u16   | PreExecResult        | PreExecResult        | ...  count times
 *  | = 1    | 1..MAX_BATCH| (see PreExecResult)  |                      |
 *  +--------+-------------+----------------------+----------------------+-----
 *  VERSION_OFFSET = 0, COUNT_OFFSET = 1, FIRST_RESULT_OFFSET = 3
 * </pre>
 *
 * Each result names its transaction by digest and carries the sender's watermark. Results may be
 * lost (speculative priority), late or duplicated: the primary treats them as hints only.
 *
 * <p>Immutable and thread-safe.
 */
public record Results(List<PreExecResult> results) implements ClusterMessage {
    public static final int COUNT_OFFSET = 1;
    public static final int FIRST_RESULT_OFFSET = 3;

    public Results {
        results = List.copyOf(results);
        ClusterMessages.checkBatch("results", results.size());
    }

    public static Results of(PreExecResult result) {
        return new Results(List.of(result));
    }

    void encode(WireWriter w) {
        w.count16("results.count", results.size(), ClusterMessages.MAX_BATCH);
        for (PreExecResult r : results) {
            r.encode(w);
        }
    }

    static Results decode(WireReader r) {
        int n = ClusterMessages.batchCount(r, "results.count");
        PreExecResult[] out = new PreExecResult[n];
        for (int i = 0; i < n; i++) {
            out[i] = PreExecResult.decode(r);
        }
        return new Results(List.of(out));
    }
}
