package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Counts outbound frames and bytes; sits nearest the socket so it sees every write.
 *
 * <p>Thread-safety: stateless apart from the shared thread-safe counters; sharable.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class OutboundCounter extends ChannelOutboundHandlerAdapter {
    private final MetricsCounters metrics;

    public OutboundCounter(MetricsCounters metrics) {
        this.metrics = metrics;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            metrics.frameOut(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
