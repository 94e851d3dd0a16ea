package io.remora.transport;

/**
 * Counters of one server, client or in-memory transport. Monotonic since creation.
 *
 * <p>Thread-safety: safe to read from any thread; values are individually (not jointly) consistent.
 */
public interface TransportMetrics {
    long framesIn();

    long framesOut();

    long bytesIn();

    long bytesOut();

    /** Errors of one category (see {@link ProtocolException.Category}). */
    long protocolErrors(ProtocolException.Category category);

    /** Sum over all categories. */
    long protocolErrors();

    /** Handshakes that failed verification or app traffic sent before authentication. */
    long authFailures();

    long speculativeDrops();

    /** Reconnection attempts made by clients (the first connection attempt is not counted). */
    long reconnects();

    /** Authenticated connections established. */
    long connectionsOpened();

    /**
     * Flushes made by the send path: each drain of a connection's send queue (the sends of other
     * threads, batched), and each send made on the connection's event loop. Zero for the in-memory
     * transport.
     */
    long sendBatches();

    /** Frames those flushes carried (application frames, heartbeats, CLOSE); frames per batch = this / {@link #sendBatches()}. */
    long sendBatchFrames();
}
