package io.remora.transport;

import io.remora.transport.internal.NettyTransport;

/**
 * The entry point the application codes against. Two implementations: {@link #netty()} (TCP, epoll
 * where available, NIO otherwise) and {@link InMemoryTransport} (deterministic, for tests).
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 */
public interface Transport {
    /** Version byte carried in every frame. */
    int PROTOCOL_VERSION = 3;
    /** Types below this are reserved by the transport (handshake, heartbeat, close). */
    int FIRST_APPLICATION_TYPE = 16;
    /** Largest message type (types are one unsigned byte). */
    int MAX_TYPE = 255;

    /**
     * Binds a server. {@code port} 0 picks a free port ({@link TransportServer#port()} tells which).
     * Connections are handed to the listeners only once authenticated.
     */
    TransportServer bind(TransportConfig config, String host, int port,
                         MessageListener messages, ConnectionListener connections);

    /**
     * Starts a client that connects to {@code host:port} and keeps reconnecting with capped,
     * jittered exponential backoff until closed. Returns immediately; see
     * {@link TransportClient#awaitConnection}.
     */
    TransportClient connect(TransportConfig config, String host, int port,
                            MessageListener messages, ConnectionListener connections);

    /** The TCP transport. Each server/client owns its event loop group. */
    static Transport netty() {
        return NettyTransport.INSTANCE;
    }
}
