package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.remora.transport.Connection;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.SendResult;
import io.remora.transport.TransportConfig;

/**
 * {@link Connection} over a Netty channel. {@code send} encodes into a pooled buffer and hands it to
 * Netty (which owns and releases it from then on). Speculative sends are dropped while the channel is
 * above its high water mark; reliable sends are always written (Netty's outbound buffer is the queue)
 * unless the pending bytes would exceed {@link TransportConfig#reliableQueueLimitBytes()}, in which case
 * the connection is failed as {@link Category#SLOW_CONSUMER}.
 *
 * <p>Thread-safety: safe for concurrent use; writes from other threads are handed to the event loop.
 */
public final class NettyConnection implements Connection {
    private final Channel channel;
    private final TransportConfig config;
    private final MetricsCounters metrics;
    private volatile String remoteNodeId;
    private volatile boolean authenticated;
    private volatile boolean closing;

    public NettyConnection(Channel channel, TransportConfig config, MetricsCounters metrics) {
        this.channel = channel;
        this.config = config;
        this.metrics = metrics;
    }

    void authenticated(String nodeId) {
        this.remoteNodeId = nodeId;
        this.authenticated = true;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    @Override
    public String remoteNodeId() {
        return remoteNodeId;
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public boolean isOpen() {
        return authenticated && !closing && channel.isActive();
    }

    @Override
    public boolean isWritable() {
        return isOpen() && channel.isWritable();
    }

    @Override
    public SendResult send(int type, byte[] payload, int offset, int length, Priority priority) {
        checkArguments(type, length, config.maxPayloadSize());
        java.util.Objects.checkFromIndexSize(offset, length, payload.length);
        if (!isOpen()) {
            return SendResult.CLOSED;
        }
        boolean writable = channel.isWritable();
        if (priority == Priority.SPECULATIVE) {
            if (!writable) {
                metrics.speculativeDrop();
                return SendResult.DROPPED_BACKPRESSURE;
            }
        } else {
            ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
            long pending = outbound == null ? 0 : outbound.totalPendingWriteBytes();
            if (pending + FrameCodec.HEADER_SIZE + length > config.reliableQueueLimitBytes()) {
                closing = true;
                channel.pipeline().fireExceptionCaught(new ProtocolException(Category.SLOW_CONSUMER,
                    "pending outbound bytes=" + pending + " exceed reliableQueueLimitBytes="
                        + config.reliableQueueLimitBytes()));
                return SendResult.CLOSED;
            }
        }
        ByteBuf frame = FrameCodec.encode(channel.alloc(), type, payload, offset, length);
        channel.writeAndFlush(frame, channel.voidPromise());
        return writable ? SendResult.SENT : SendResult.QUEUED;
    }

    /** Validates an application send; shared with the in-memory transport. */
    public static void checkArguments(int type, int length, int maxPayload) {
        if (type < io.remora.transport.Transport.FIRST_APPLICATION_TYPE || type > io.remora.transport.Transport.MAX_TYPE) {
            throw new IllegalArgumentException("type=" + type + " (expected: "
                + io.remora.transport.Transport.FIRST_APPLICATION_TYPE + ".." + io.remora.transport.Transport.MAX_TYPE + ")");
        }
        if (length < 0 || length > maxPayload) {
            throw new IllegalArgumentException("length=" + length + " (expected: 0.." + maxPayload + ")");
        }
    }

    @Override
    public void heartbeatNow() {
        if (!isOpen()) {
            return;
        }
        byte[] body;
        try {
            body = config.heartbeatPayload().get();
        } catch (RuntimeException e) {
            body = null;
        }
        channel.writeAndFlush(FrameCodec.encode(channel.alloc(), FrameCodec.TYPE_HEARTBEAT,
                body == null ? new byte[0] : body), channel.voidPromise());
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (authenticated && channel.isActive()) {
            ByteBuf frame = FrameCodec.allocateFrame(channel.alloc(), FrameCodec.TYPE_CLOSE, 0);
            channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** Close initiated locally (orderly) as opposed to by failure. */
    boolean isClosing() {
        return closing;
    }

    @Override
    public String toString() {
        return "NettyConnection{" + remoteNodeId + "@" + remoteAddress() + '}';
    }
}
