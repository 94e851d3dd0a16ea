package io.remora.transport;

/**
 * Outcome of {@link Connection#send}. Back-pressure is an outcome, not an exception.
 *
 * <p>Thread-safety: immutable.
 */
public enum SendResult {
    /** Handed to the connection's writer while it was writable; will be written unless the link fails. */
    SENT,
    /** Reliable message accepted while the connection was not writable; buffered until it drains. */
    QUEUED,
    /** Speculative message dropped because the connection is not writable (or the transport drops it). */
    DROPPED_BACKPRESSURE,
    /** Not accepted: the connection is closed, not yet authenticated, or was just closed as too slow. */
    CLOSED
}
