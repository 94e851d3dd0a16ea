package io.remora.transport.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.ProtocolException;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportMetrics;
import io.remora.transport.TransportServer;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TCP server: one event loop group (accept and I/O) owned and shut down by {@link #close()}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class NettyTransportServer implements TransportServer {
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final MetricsCounters metrics;
    private final Set<Channel> channels;
    private final Set<Connection> connections;
    private volatile boolean closed;

    private NettyTransportServer(EventLoopGroup group, Channel serverChannel, MetricsCounters metrics,
                                 Set<Channel> channels, Set<Connection> connections) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.metrics = metrics;
        this.channels = channels;
        this.connections = connections;
    }

    static NettyTransportServer bind(TransportConfig config, String host, int port, MessageListener messages,
                                     ConnectionListener listener) {
        requireClusterSecret(config);
        MetricsCounters metrics = new MetricsCounters();
        Set<Channel> channels = ConcurrentHashMap.newKeySet();
        Set<Connection> connections = ConcurrentHashMap.newKeySet();
        ConnectionListener tracking = new ConnectionListener() {
            @Override
            public void onConnected(Connection c) {
                connections.add(c);
                listener.onConnected(c);
            }

            @Override
            public void onDisconnected(Connection c, ProtocolException cause) {
                connections.remove(c);
                listener.onDisconnected(c, cause);
            }

            @Override
            public void onHeartbeat(Connection c, java.nio.ByteBuffer payload) {
                listener.onHeartbeat(c, payload);
            }
        };
        TransportChannelInitializer init = new TransportChannelInitializer(HandshakeHandler.Role.SERVER, config,
            metrics, new SecureRandom(), messages, tracking);
        EventLoopGroup group = EventLoops.newGroup(config.ioThreads(), "remora-server-" + config.nodeId());
        java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
        try {
            ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(EventLoops.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                .childHandler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Pre-authentication bounds: at most maxPendingHandshakes connections waiting
                        // to authenticate (more are closed at once), and small reads until then, so
                        // that unauthenticated peers hold at most ~2 x preAuthMaxFrameSize each.
                        if (pending.incrementAndGet() > config.maxPendingHandshakes()) {
                            pending.decrementAndGet();
                            metrics.protocolError(io.remora.transport.ProtocolException.Category.HANDSHAKE_LIMIT);
                            ch.close();
                            return;
                        }
                        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
                        Runnable release = () -> {
                            if (counted.compareAndSet(true, false)) {
                                pending.decrementAndGet();
                            }
                        };
                        channels.add(ch);
                        ch.closeFuture().addListener(f -> {
                            channels.remove(ch);
                            release.run();
                        });
                        ch.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(64, 512,
                            config.preAuthMaxFrameSize()));
                        ch.pipeline().addLast(init);
                        ch.pipeline().addLast("pending-handshake", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof HandshakeCompleted) {
                                    release.run();
                                    ctx.channel().config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator());
                                    ctx.pipeline().remove(this);
                                }
                                ctx.fireUserEventTriggered(evt);
                            }
                        });
                    }
                });
            ChannelFuture f = b.bind(host, port).syncUninterruptibly();
            return new NettyTransportServer(group, f.channel(), metrics, channels, connections);
        } catch (RuntimeException e) {
            EventLoops.shutdown(group);
            throw new IllegalStateException("bind failed: host=" + host + " port=" + port, e);
        }
    }

    @Override
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public Collection<Connection> connections() {
        return List.copyOf(connections);
    }

    @Override
    public TransportMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannel.close().awaitUninterruptibly();
        for (Connection c : List.copyOf(connections)) {
            c.close();
        }
        for (Channel ch : List.copyOf(channels)) {
            ch.close().awaitUninterruptibly(1000);
        }
        EventLoops.shutdown(group);
    }

    private static void requireClusterSecret(io.remora.transport.TransportConfig config) {
        if (!config.hasClusterSecret()) {
            throw new IllegalArgumentException("clusterSecret=null (expected: the cluster secret: a server derives "
                    + "each client's node key from it)");
        }
    }
}
