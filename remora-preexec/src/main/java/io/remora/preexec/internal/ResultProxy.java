package io.remora.preexec.internal;

import io.remora.core.PreExecResult;
import io.remora.core.codec.WireWriter;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Results;
import io.remora.transport.Priority;
import io.remora.transport.SendResult;
import io.remora.transport.TransportClient;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Encodes each result as a RESULT message and sends it to the primary at speculative priority:
 * under back-pressure (or with no connection) it is dropped and counted, never queued, since the
 * primary executes whatever has no result.
 *
 * <p>Thread-safety: safe for concurrent use (one reusable writer per thread; the transport copies
 * the payload before returning).
 */
public final class ResultProxy implements Consumer<PreExecResult> {
    private static final ThreadLocal<WireWriter> WRITER = ThreadLocal.withInitial(() -> new WireWriter(1024));

    private final Supplier<TransportClient> client;
    private final Counters counters;

    /** @param client the current client (null before start: results are then dropped) */
    public ResultProxy(Supplier<TransportClient> client, Counters counters) {
        this.client = client;
        this.counters = counters;
    }

    @Override
    public void accept(PreExecResult result) {
        WireWriter w = WRITER.get().reset();
        int n = ClusterMessages.encode(Results.of(result), w);
        TransportClient c = client.get();
        SendResult r = c == null ? SendResult.CLOSED
                : c.send(ClusterMessages.RESULT, w.buffer(), 0, n, Priority.SPECULATIVE);
        if (r == SendResult.SENT || r == SendResult.QUEUED) {
            counters.resultsSent.increment();
        } else {
            counters.resultsDropped.increment();
        }
    }
}
