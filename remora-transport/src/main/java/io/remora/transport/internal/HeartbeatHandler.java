package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.TransportConfig;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Liveness: once authenticated, every (own) {@code heartbeatInterval} it sends a HEARTBEAT frame
 * carrying the application's payload and counts the ticks with no inbound frame at all. The peer is
 * declared dead ({@link Category#PEER_DEAD}) once it has been silent for
 * {@code missedHeartbeats × max(own interval, peer's interval)}, the peer's interval being the one it
 * announced in the handshake ({@link HandshakeCompleted#peerHeartbeatMillis()}); in own ticks that is
 * {@code ceil(missedHeartbeats × max / own)}, which is just {@code missedHeartbeats} when the peer is
 * not slower. So a side with a short interval never gives up on a slower peer before that peer's
 * heartbeats are due, and the two sides need not be configured alike.
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
    private final Consumer<ByteBuf> writer;
    private ScheduledFuture<?> ticker;
    private long silentTicks;
    /** Bytes arrived since the last tick (set by {@link #activity()}): a large frame on its way counts as life. */
    private boolean bytesArrived;
    private long deadAfterTicks;
    private long peerIntervalMillis;

    /**
     * @param writer writes a heartbeat frame in order with the connection's other frames (on the
     *               event loop: after what is queued, at once); takes ownership of the buffer
     */
    public HeartbeatHandler(TransportConfig config, Consumer<ByteBuf> writer) {
        this.writer = writer;
        this.intervalNanos = config.heartbeatInterval().toNanos();
        this.missedHeartbeats = config.missedHeartbeats();
        this.payload = config.heartbeatPayload();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompleted done && ticker == null) {
            peerIntervalMillis = done.peerHeartbeatMillis();
            deadAfterTicks = deadAfterTicks(intervalNanos, peerIntervalMillis, missedHeartbeats);
            ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), intervalNanos, intervalNanos,
                TimeUnit.NANOSECONDS);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Silent own ticks after which the peer is dead: {@code ceil(missed × max(own, peer) / own)}, at
     * least {@code missed}.
     */
    static long deadAfterTicks(long ownIntervalNanos, long peerIntervalMillis, int missed) {
        long peerNanos = TimeUnit.MILLISECONDS.toNanos(peerIntervalMillis);
        long deadlineNanos = missed * Math.max(ownIntervalNanos, peerNanos);
        return Math.max(missed, (deadlineNanos + ownIntervalNanos - 1) / ownIntervalNanos);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        silentTicks = 0;
        ctx.fireChannelRead(msg);
    }

    /**
     * A handler at the socket end of the pipeline: any bytes arriving (not only whole frames) prove
     * the peer alive, so a frame of many megabytes on a slow link is not taken for silence.
     */
    ChannelInboundHandlerAdapter activity() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytesArrived = true;
                ctx.fireChannelRead(msg);
            }
        };
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
        if (bytesArrived) {
            bytesArrived = false;
            silentTicks = 0;
        }
        if (++silentTicks >= deadAfterTicks) {
            stop();
            ctx.fireExceptionCaught(new ProtocolException(Category.PEER_DEAD, "no frame for " + silentTicks
                + " heartbeat intervals (" + missedHeartbeats + " x max(own " + Duration.ofNanos(intervalNanos)
                + ", peer's " + Duration.ofMillis(peerIntervalMillis) + "))"));
            return;
        }
        byte[] body;
        try {
            body = payload.get();
        } catch (RuntimeException e) {
            body = EMPTY;
        }
        writer.accept(FrameCodec.encode(ctx.alloc(), FrameCodec.TYPE_HEARTBEAT, body == null ? EMPTY : body));
    }

    private void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }
}
