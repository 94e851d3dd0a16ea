package io.remora.transport.internal;

import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportMetrics;
import java.time.Duration;
import java.util.Optional;

/**
 * In-memory {@link TransportClient}. After a disconnect it reconnects on the next
 * {@link InMemoryNetwork#runPending()} (or when its server binds again); no wall-clock backoff.
 *
 * <p>Thread-safety: safe for concurrent use; state guarded by the network's lock.
 */
public final class InMemoryClient implements TransportClient, InMemoryConnection.Owner {
    private final InMemoryNetwork network;
    private final TransportConfig config;
    private final String address;
    private final MessageListener messages;
    private final ConnectionListener listener;
    private InMemoryConnection current;
    private boolean closed;

    InMemoryClient(InMemoryNetwork network, TransportConfig config, String address, MessageListener messages,
                   ConnectionListener listener) {
        this.network = network;
        this.config = config;
        this.address = address;
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

    boolean isClosed() {
        synchronized (network) {
            return closed;
        }
    }

    boolean hasConnection() {
        synchronized (network) {
            return current != null;
        }
    }

    void attach(InMemoryConnection c) {
        synchronized (network) {
            c.owner(this);
            current = c;
        }
    }

    @Override
    public void detached(InMemoryConnection connection) {
        synchronized (network) {
            if (current == connection) {
                current = null;
            }
            if (closed) {
                return;
            }
        }
        network.dispatch(io.remora.transport.InMemoryTransport.Kind.CONNECT, config.nodeId(), address, 0, () -> {
            network.metrics().reconnect();
            network.tryConnect(this);
        });
    }

    @Override
    public Optional<Connection> connection() {
        synchronized (network) {
            return Optional.ofNullable(current);
        }
    }

    /** Runs the network's pending deliveries (deterministically, on this thread), then answers. */
    @Override
    public Optional<Connection> awaitConnection(Duration timeout) {
        network.runPending();
        return connection();
    }

    @Override
    public TransportMetrics metrics() {
        return network.metrics();
    }

    @Override
    public void close() {
        InMemoryConnection c;
        synchronized (network) {
            if (closed) {
                return;
            }
            closed = true;
            c = current;
        }
        network.forget(this);
        if (c != null) {
            c.close();
        }
    }
}
