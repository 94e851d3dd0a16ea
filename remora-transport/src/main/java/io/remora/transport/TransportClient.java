package io.remora.transport;

import java.time.Duration;
import java.util.Optional;

/**
 * A client that keeps one authenticated connection to a server, reconnecting with capped, jittered
 * exponential backoff after any disconnect until {@link #close()}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public interface TransportClient extends AutoCloseable {
    /** The current authenticated connection, if any. */
    Optional<Connection> connection();

    /**
     * Waits until a connection is authenticated.
     *
     * @return the connection, or empty on timeout or if the client is closed.
     */
    Optional<Connection> awaitConnection(Duration timeout) throws InterruptedException;

    /** Sends on the current connection; {@link SendResult#CLOSED} when there is none. */
    default SendResult send(int type, byte[] payload, int offset, int length, Priority priority) {
        Optional<Connection> c = connection();
        return c.isPresent() ? c.get().send(type, payload, offset, length, priority) : SendResult.CLOSED;
    }

    /** Convenience of {@link #send(int, byte[], int, int, Priority)} for a whole array. */
    default SendResult send(int type, byte[] payload, Priority priority) {
        Optional<Connection> c = connection();
        return c.isPresent() ? c.get().send(type, payload, priority) : SendResult.CLOSED;
    }

    TransportMetrics metrics();

    /** Stops reconnecting, closes the connection and shuts the client's threads down; idempotent. */
    @Override
    void close();
}
