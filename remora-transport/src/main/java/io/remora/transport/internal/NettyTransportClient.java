package io.remora.transport.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.ProtocolException;
import io.remora.transport.TransportClient;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportMetrics;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * TCP client with reconnection: after a failed connect or any disconnect it waits a
 * {@link ReconnectBackoff} delay and tries again, until {@link #close()}. The backoff resets when a
 * connection authenticates. Owns its event loop group.
 *
 * <p>Thread-safety: safe for concurrent use; connection state is guarded by {@code lock}.
 */
public final class NettyTransportClient implements TransportClient {
    private final Object lock = new Object();
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    private final MetricsCounters metrics;
    private final ReconnectBackoff backoff;
    private Connection current;
    private Channel channel;
    private boolean closed;

    private NettyTransportClient(TransportConfig config, String host, int port, MessageListener messages,
                                 ConnectionListener listener) {
        this.host = host;
        this.port = port;
        this.metrics = new MetricsCounters();
        this.backoff = new ReconnectBackoff(config.reconnectInitialDelay().toNanos(),
            config.reconnectMaxDelay().toNanos(), new Random());
        this.group = EventLoops.newGroup(config.ioThreads(), "remora-client-" + config.nodeId());
        ConnectionListener tracking = new ConnectionListener() {
            @Override
            public void onConnected(Connection c) {
                synchronized (lock) {
                    current = c;
                    backoff.reset();
                    lock.notifyAll();
                }
                listener.onConnected(c);
            }

            @Override
            public void onDisconnected(Connection c, ProtocolException cause) {
                synchronized (lock) {
                    if (current == c) {
                        current = null;
                    }
                }
                listener.onDisconnected(c, cause);
            }

            @Override
            public void onHeartbeat(Connection c, java.nio.ByteBuffer payload) {
                listener.onHeartbeat(c, payload);
            }
        };
        this.bootstrap = new Bootstrap()
            .group(group)
            .channel(EventLoops.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                config.connectTimeout().toMillis()))
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
            .handler(new TransportChannelInitializer(HandshakeHandler.Role.CLIENT, config, metrics,
                new SecureRandom(), messages, tracking));
    }

    static NettyTransportClient start(TransportConfig config, String host, int port, MessageListener messages,
                                      ConnectionListener listener) {
        NettyTransportClient client = new NettyTransportClient(config, host, port, messages, listener);
        client.attempt();
        return client;
    }

    private void attempt() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            ChannelFuture f = bootstrap.connect(host, port);
            channel = f.channel();
            f.addListener(done -> {
                if (done.isSuccess()) {
                    f.channel().closeFuture().addListener(c -> scheduleReconnect());
                } else {
                    scheduleReconnect();
                }
            });
        }
    }

    private void scheduleReconnect() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            long delay = backoff.nextDelayNanos();
            try {
                group.schedule(() -> {
                    metrics.reconnect();
                    attempt();
                }, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                closed = true;
            }
        }
    }

    @Override
    public Optional<Connection> connection() {
        synchronized (lock) {
            return Optional.ofNullable(current);
        }
    }

    @Override
    public Optional<Connection> awaitConnection(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (current == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return Optional.ofNullable(current);
        }
    }

    @Override
    public TransportMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        Connection c;
        Channel ch;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = current;
            ch = channel;
            lock.notifyAll();
        }
        if (c != null) {
            c.close(); // orderly: CLOSE frame, then the channel closes
            if (ch != null) {
                ch.closeFuture().awaitUninterruptibly(1000);
            }
        }
        if (ch != null) {
            ch.close().awaitUninterruptibly(1000);
        }
        EventLoops.shutdown(group);
    }
}
