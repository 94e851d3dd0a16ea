package io.remora.transport.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.TransportConfig;
import java.security.SecureRandom;

/**
 * Builds a channel's pipeline (socket side first):
 * <pre>
 *  activity (any bytes count as liveness) -> OutboundCounter -> FrameDecoder (pre-authentication frame
 *  limit until authenticated) -> FrameProtector (seals the frames of each flush into records and opens
 *  them, once authenticated) -> FlushConsolidationHandler (above the protector, so that the frames of
 *  flushes already queued share a record) -> HandshakeHandler (removed once authenticated) ->
 *  HeartbeatHandler -> ConnectionHandler
 * </pre>
 *
 * <p>Thread-safety: sharable; {@link #initChannel} runs on each new channel's event loop.
 */
public final class TransportChannelInitializer extends ChannelInitializer<Channel> {
    private final HandshakeHandler.Role role;
    private final TransportConfig config;
    private final MetricsCounters metrics;
    private final SecureRandom random;
    private final MessageListener messages;
    private final ConnectionListener listener;
    private final OutboundCounter outboundCounter;

    public TransportChannelInitializer(HandshakeHandler.Role role, TransportConfig config, MetricsCounters metrics,
                                       SecureRandom random, MessageListener messages, ConnectionListener listener) {
        this.role = role;
        this.config = config;
        this.metrics = metrics;
        this.random = random;
        this.messages = messages;
        this.listener = listener;
        this.outboundCounter = new OutboundCounter(metrics);
    }

    @Override
    protected void initChannel(Channel ch) {
        NettyConnection connection = new NettyConnection(ch, config, metrics);
        HeartbeatHandler heartbeat = new HeartbeatHandler(config, connection::sendFrame);
        ch.pipeline().addLast("activity", heartbeat.activity())
            .addLast("counter", outboundCounter)
            .addLast("decoder", new FrameDecoder(config.preAuthMaxFrameSize(), config.maxFrameSize(), metrics))
            .addLast("protector", new FrameProtector())
            .addLast("flush", new FlushConsolidationHandler(256, true))
            .addLast("handshake", new HandshakeHandler(role, config, random))
            .addLast("heartbeat", heartbeat)
            .addLast("connection", new ConnectionHandler(connection, messages, listener, metrics));
    }
}
