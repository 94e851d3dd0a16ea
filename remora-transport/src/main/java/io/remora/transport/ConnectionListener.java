package io.remora.transport;

import java.nio.ByteBuffer;

/**
 * Lifecycle and liveness callbacks. All methods default to no-ops.
 *
 * <p>Thread-safety: same threading as {@link MessageListener}; must not block.
 */
public interface ConnectionListener {
    /** A listener that ignores every event. */
    ConnectionListener NONE = new ConnectionListener() {
    };

    /** The peer completed the authenticated handshake; the connection may now send and receive. */
    default void onConnected(Connection connection) {
    }

    /**
     * An authenticated connection went down.
     *
     * @param cause why, or {@code null} for an orderly close (either side called {@code close()}).
     */
    default void onDisconnected(Connection connection, ProtocolException cause) {
    }

    /**
     * A heartbeat arrived carrying the peer's opaque payload (e.g. a pre-executor's load report).
     * The buffer (read-only, position 0, limit and capacity the payload's length) is only valid
     * during this call.
     */
    default void onHeartbeat(Connection connection, ByteBuffer payload) {
    }
}
