package io.remora.preexec.internal;

import io.remora.core.PreExecResult;
import io.remora.core.codec.WireWriter;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.LeaseResults;
import io.remora.core.protocol.Results;
import io.remora.transport.Priority;
import io.remora.transport.SendResult;
import io.remora.transport.TransportClient;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Encodes each result as a RESULT message and sends it to the primary, by default at speculative
 * priority: under back-pressure (or with no connection) it is dropped and counted, never queued, since
 * the primary executes whatever has no result.
 *
 * <p>Thread-safety: safe for concurrent use (one reusable writer per thread; the transport copies
 * the payload before returning).
 */
public final class ResultProxy implements Consumer<PreExecResult> {
    private static final ThreadLocal<WireWriter> WRITER = ThreadLocal.withInitial(() -> new WireWriter(1024));

    private final Supplier<TransportClient> client;
    private final Counters counters;
    private final Priority priority;

    /** @param client the current client (null before start: results are then dropped) */
    public ResultProxy(Supplier<TransportClient> client, Counters counters) {
        this(client, counters, Priority.SPECULATIVE);
    }

    /**
     * @param priority {@link Priority#RELIABLE} for a lease's answers, which the primary waits for
     *                 (queued under back-pressure, not dropped)
     */
    public ResultProxy(Supplier<TransportClient> client, Counters counters, Priority priority) {
        this.client = client;
        this.counters = counters;
        this.priority = priority;
    }

    @Override
    public void accept(PreExecResult result) {
        send(Results.of(result));
    }

    /** A lease delegate's answer (LEASE_RESULT), for lease {@code epoch}. */
    public void acceptDelegated(long epoch, PreExecResult result) {
        send(new LeaseResults(epoch, java.util.List.of(result)));
    }

    private void send(io.remora.core.protocol.ClusterMessage m) {
        WireWriter w = WRITER.get().reset();
        int n = ClusterMessages.encode(m, w);
        TransportClient c = client.get();
        SendResult r = c == null ? SendResult.CLOSED : c.send(m.type(), w.array(), 0, n, priority);
        if (r == SendResult.SENT || r == SendResult.QUEUED) {
            counters.resultsSent.increment();
        } else {
            counters.resultsDropped.increment();
        }
    }
}
