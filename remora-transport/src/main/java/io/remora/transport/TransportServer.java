package io.remora.transport;

import java.util.Collection;

/**
 * A bound server accepting authenticated connections.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public interface TransportServer extends AutoCloseable {
    /** The bound port (the real one when 0 was asked for). */
    int port();

    /** A snapshot of the currently authenticated connections. */
    Collection<Connection> connections();

    TransportMetrics metrics();

    /** Closes every connection, stops listening and shuts the server's threads down; idempotent. */
    @Override
    void close();
}
