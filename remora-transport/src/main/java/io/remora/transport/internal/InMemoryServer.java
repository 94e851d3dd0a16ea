package io.remora.transport.internal;

import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportMetrics;
import io.remora.transport.TransportServer;
import java.util.Collection;

/**
 * In-memory {@link TransportServer}; its metrics are the network's.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class InMemoryServer implements TransportServer, InMemoryConnection.Owner {
    private final InMemoryNetwork network;
    private final TransportConfig config;
    private final String address;
    private final int port;
    private final MessageListener messages;
    private final ConnectionListener listener;

    InMemoryServer(InMemoryNetwork network, TransportConfig config, String address, int port,
                   MessageListener messages, ConnectionListener listener) {
        this.network = network;
        this.config = config;
        this.address = address;
        this.port = port;
        this.messages = messages;
        this.listener = listener;
    }

    String address() {
        return address;
    }

    TransportConfig config() {
        return config;
    }

    MessageListener messages() {
        return messages;
    }

    ConnectionListener listener() {
        return listener;
    }

    void attach(InMemoryConnection c) {
        c.owner(this);
    }

    @Override
    public void detached(InMemoryConnection connection) {
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Collection<Connection> connections() {
        return network.liveOf(this);
    }

    @Override
    public TransportMetrics metrics() {
        return network.metrics();
    }

    @Override
    public void close() {
        network.unbind(this);
        for (Connection c : connections()) {
            c.close();
        }
    }
}
