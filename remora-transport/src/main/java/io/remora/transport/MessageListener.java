package io.remora.transport;

import java.nio.ByteBuffer;

/**
 * Receives application messages (types {@code >=} {@link Transport#FIRST_APPLICATION_TYPE}) from
 * authenticated peers only.
 *
 * <p>Thread-safety: called on the connection's I/O thread (Netty) or on the deterministic executor
 * (in-memory), one message at a time per connection, never concurrently for the same connection.
 * Implementations must not block.
 */
@FunctionalInterface
public interface MessageListener {
    /**
     * @param connection the authenticated connection the message arrived on.
     * @param type       application message type, 16..255.
     * @param payload    the payload: a read-only view, position 0, limit and capacity the payload's
     *                   length (read it with absolute gets, e.g. {@code ClusterMessages.decode(type,
     *                   payload, 0, payload.capacity())}). It is only valid during this call: copy what
     *                   must be kept. Its memory belongs to the transport.
     */
    void onMessage(Connection connection, int type, ByteBuffer payload);
}
