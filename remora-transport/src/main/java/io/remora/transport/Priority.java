package io.remora.transport;

/**
 * Delivery class of an outbound message.
 *
 * <p>Thread-safety: immutable.
 */
public enum Priority {
    /**
     * Speculative traffic (pre-execution results): may be dropped when the connection is not writable.
     * The receiver must tolerate its loss; the sender sees {@link SendResult#DROPPED_BACKPRESSURE}.
     */
    SPECULATIVE,
    /**
     * Reliable traffic (committed effects): never dropped while the connection is up. It is buffered
     * until the channel becomes writable, up to {@link TransportConfig#reliableQueueLimitBytes()}, past
     * which the connection is closed as a slow consumer (the application sees a disconnect and resyncs).
     */
    RELIABLE
}
