package io.remora.transport;


/**
 * An authenticated link to one peer. Handles are only handed out after the handshake succeeded.
 *
 * <p>Thread-safety: safe for concurrent use from any thread. Messages sent from one thread are
 * delivered in order (speculative drops aside).
 */
public interface Connection {
    /** The node id the peer proved during the handshake. */
    String remoteNodeId();

    /** Peer address for logs, e.g. {@code 127.0.0.1:40123} or {@code mem:node-1}. */
    String remoteAddress();

    /** Whether the link is authenticated and not yet closed. */
    boolean isOpen();

    /** Whether speculative sends would currently be accepted. */
    boolean isWritable();

    /**
     * Sends one message; never throws for back-pressure or a dead link.
     *
     * @param type    application type, {@value Transport#FIRST_APPLICATION_TYPE}..255.
     * @param payload copied before returning; the caller keeps ownership.
     * @throws IllegalArgumentException if the type is reserved or the payload exceeds the max frame size.
     */
    default SendResult send(int type, byte[] payload, Priority priority) {
        return send(type, payload, 0, payload.length, priority);
    }

    /**
     * Sends {@code length} bytes of {@code payload} starting at {@code offset}; copied before returning.
     *
     * @throws IllegalArgumentException if the type is reserved or the payload exceeds the max frame size.
     */
    SendResult send(int type, byte[] payload, int offset, int length, Priority priority);

    /**
     * Sends a heartbeat now, carrying the current heartbeat payload (e.g. a pre-executor's load
     * report, the moment it changed meaningfully) instead of waiting for the next interval; does
     * nothing if the link is not open. The regular heartbeats go on as before.
     */
    void heartbeatNow();

    /** Closes the link in an orderly way; idempotent. The peer sees an orderly disconnect. */
    void close();
}
