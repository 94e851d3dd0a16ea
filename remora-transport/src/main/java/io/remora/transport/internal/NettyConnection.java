package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.remora.transport.Connection;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.SendResult;
import io.remora.transport.TransportConfig;

/**
 * {@link Connection} over a Netty channel. {@code send} encodes into a pooled buffer and hands it to
 * the connection's {@link SendBatcher} (which owns and releases it from then on): sends from other
 * threads are queued and written in batches, one event-loop task and one flush per batch; a send on
 * the event loop is written at once, after what is queued. Speculative sends are dropped while the
 * channel is above its high water mark (Netty's outbound buffer and the send queue together); reliable
 * sends are always written (Netty's outbound buffer is the queue) unless the pending bytes would
 * exceed {@link TransportConfig#reliableQueueLimitBytes()}, in which case the connection is failed as
 * {@link Category#SLOW_CONSUMER}.
 *
 * <p>Thread-safety: safe for concurrent use; writes from other threads are handed to the event loop.
 */
public final class NettyConnection implements Connection {
    private final Channel channel;
    private final TransportConfig config;
    private final MetricsCounters metrics;
    private final SendBatcher batcher;
    private volatile String remoteNodeId;
    private volatile boolean authenticated;
    private volatile boolean closing;

    public NettyConnection(Channel channel, TransportConfig config, MetricsCounters metrics) {
        this.channel = channel;
        this.config = config;
        this.metrics = metrics;
        this.batcher = new SendBatcher(channel, metrics, config.sendLinger().toNanos());
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
        return isOpen() && writable();
    }

    /** The channel is writable, and its outbound buffer and send queue hold less than the high water mark. */
    private boolean writable() {
        return channel.isWritable() && pendingBytes() < config.writeBufferHighWaterMark();
    }

    /** Bytes sent and not yet on the socket: Netty's outbound buffer plus the send queue. */
    private long pendingBytes() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        return (outbound == null ? 0 : outbound.totalPendingWriteBytes()) + batcher.queuedBytes();
    }

    @Override
    public SendResult send(int type, byte[] payload, int offset, int length, Priority priority) {
        checkArguments(type, length, config.maxPayloadSize());
        java.util.Objects.checkFromIndexSize(offset, length, payload.length);
        if (!isOpen()) {
            return SendResult.CLOSED;
        }
        boolean writable = writable();
        if (priority == Priority.SPECULATIVE) {
            if (!writable) {
                metrics.speculativeDrop();
                return SendResult.DROPPED_BACKPRESSURE;
            }
        } else {
            long pending = pendingBytes();
            if (pending + FrameCodec.HEADER_SIZE + length > config.reliableQueueLimitBytes()) {
                closing = true;
                channel.pipeline().fireExceptionCaught(new ProtocolException(Category.SLOW_CONSUMER,
                    "pending outbound bytes=" + pending + " exceed reliableQueueLimitBytes="
                        + config.reliableQueueLimitBytes()));
                return SendResult.CLOSED;
            }
        }
        batcher.send(FrameCodec.encode(channel.alloc(), type, payload, offset, length));
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
        sendFrame(FrameCodec.encode(channel.alloc(), FrameCodec.TYPE_HEARTBEAT, body == null ? new byte[0] : body));
    }

    /** Writes a transport frame (a heartbeat) in order with the application's; takes ownership of it. */
    void sendFrame(ByteBuf frame) {
        batcher.send(frame);
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (authenticated && channel.isActive()) {
            // after everything sent before it; the channel closes once it is written
            batcher.sendClose(FrameCodec.allocateFrame(channel.alloc(), FrameCodec.TYPE_CLOSE, 0));
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
