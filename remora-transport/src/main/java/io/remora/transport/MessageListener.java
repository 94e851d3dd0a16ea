package io.remora.transport;

import org.agrona.DirectBuffer;

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
     * @param payload    the payload, from index 0 to {@code payload.capacity()}. It is only valid during
     *                   this call: copy what must be kept. Its memory belongs to the transport.
     */
    void onMessage(Connection connection, int type, DirectBuffer payload);
}
