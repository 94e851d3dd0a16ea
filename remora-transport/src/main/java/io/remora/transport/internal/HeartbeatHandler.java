package io.remora.transport.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.TransportConfig;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Liveness: once authenticated, every {@code heartbeatInterval} it sends a HEARTBEAT frame carrying the
 * application's payload and counts the ticks with no inbound frame at all; after
 * {@code missedHeartbeats} silent ticks the peer is declared dead ({@link Category#PEER_DEAD}).
 * Counting ticks instead of reading a clock keeps it testable with {@code EmbeddedChannel}'s virtual
 * time. Inbound frames pass through unchanged.
 *
 * <p>Thread-safety: not thread-safe; one instance per channel, used on its event loop.
 */
public final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] EMPTY = new byte[0];

    private final long intervalNanos;
    private final int missedHeartbeats;
    private final Supplier<byte[]> payload;
    private ScheduledFuture<?> ticker;
    private int silentTicks;

    public HeartbeatHandler(TransportConfig config) {
        this.intervalNanos = config.heartbeatInterval().toNanos();
        this.missedHeartbeats = config.missedHeartbeats();
        this.payload = config.heartbeatPayload();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompleted && ticker == null) {
            ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), intervalNanos, intervalNanos,
                TimeUnit.NANOSECONDS);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        silentTicks = 0;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void tick(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            stop();
            return;
        }
        if (++silentTicks >= missedHeartbeats) {
            stop();
            ctx.fireExceptionCaught(new ProtocolException(Category.PEER_DEAD,
                "no frame for " + silentTicks + " heartbeat intervals"));
            return;
        }
        byte[] body;
        try {
            body = payload.get();
        } catch (RuntimeException e) {
            body = EMPTY;
        }
        ctx.writeAndFlush(FrameCodec.encode(ctx.alloc(), FrameCodec.TYPE_HEARTBEAT, body == null ? EMPTY : body),
            ctx.voidPromise());
    }

    private void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }
}
