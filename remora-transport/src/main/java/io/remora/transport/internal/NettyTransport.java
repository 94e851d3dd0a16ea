package io.remora.transport.internal;

import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.Transport;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportServer;

/**
 * The TCP {@link Transport}.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class NettyTransport implements Transport {
    public static final NettyTransport INSTANCE = new NettyTransport();

    private NettyTransport() {
    }

    @Override
    public TransportServer bind(TransportConfig config, String host, int port, MessageListener messages,
                                ConnectionListener connections) {
        return NettyTransportServer.bind(config, host, port, messages, connections);
    }

    @Override
    public TransportClient connect(TransportConfig config, String host, int port, MessageListener messages,
                                   ConnectionListener connections) {
        return NettyTransportClient.start(config, host, port, messages, connections);
    }
}
