package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.Transport;

/**
 * Last inbound handler: the single place where authenticated frames are dispatched to the
 * application and released, and where every error of the channel is categorised, counted and turned
 * into a close. Reports connect/disconnect to the {@link ConnectionListener}.
 *
 * <p>Thread-safety: not thread-safe; one instance per channel, used on its event loop.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ConnectionHandler.class.getName());

    private final NettyConnection connection;
    private final MessageListener messages;
    private final ConnectionListener listener;
    private final MetricsCounters metrics;
    private ProtocolException cause;
    private boolean closeReceived;
    private boolean connected;

    public ConnectionHandler(NettyConnection connection, MessageListener messages, ConnectionListener listener,
                             MetricsCounters metrics) {
        this.connection = connection;
        this.messages = messages;
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompleted done) {
            connection.authenticated(done.remoteNodeId());
            connected = true;
            metrics.connectionOpened();
            try {
                listener.onConnected(connection);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "onConnected listener failed for " + connection, e);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (!connected || cause != null || closeReceived) {
                return;
            }
            int type = FrameCodec.type(frame);
            if (type >= Transport.FIRST_APPLICATION_TYPE) {
                deliver(type, FrameCodec.payload(frame));
            } else if (type == FrameCodec.TYPE_HEARTBEAT) {
                try {
                    listener.onHeartbeat(connection, FrameCodec.payload(frame));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "onHeartbeat listener failed for " + connection, e);
                }
            } else if (type == FrameCodec.TYPE_CLOSE) {
                closeReceived = true;
                ctx.close();
            } else {
                ctx.fireExceptionCaught(new ProtocolException(Category.MALFORMED,
                    "type=" + type + " after authentication"));
            }
        } finally {
            frame.release();
        }
    }

    private void deliver(int type, java.nio.ByteBuffer payload) {
        try {
            messages.onMessage(connection, type, payload);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "message listener failed for " + connection + " type=" + type, e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null && !closeReceived) {
            cause = categorise(t);
            metrics.protocolError(cause.category());
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + ctx.channel() + ": " + cause.getMessage());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connected) {
            connected = false;
            ProtocolException reason = cause;
            if (reason == null && !closeReceived && !connection.isClosing()) {
                reason = new ProtocolException(Category.IO_ERROR, "connection lost without CLOSE");
            }
            try {
                listener.onDisconnected(connection, reason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "onDisconnected listener failed for " + connection, e);
            }
        }
        ctx.fireChannelInactive();
    }

    /** Finds the {@link ProtocolException} in a cause chain (decoders wrap it), or makes an IO_ERROR. */
    static ProtocolException categorise(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ProtocolException pe) {
                return pe;
            }
        }
        return new ProtocolException(Category.IO_ERROR, String.valueOf(t), t);
    }
}
