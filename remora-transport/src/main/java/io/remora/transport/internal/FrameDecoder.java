package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.Transport;
import java.util.List;

/**
 * Strict inbound decoder for the layout in {@link FrameCodec}. Emits each frame as a retained slice
 * (length field included) that the consumer must release. The length is validated as soon as its
 * 4 bytes arrive, so an oversized frame is rejected before its body is buffered. On the first error it
 * throws a {@link ProtocolException} (surfacing as {@code exceptionCaught}) and discards all further input.
 *
 * <p>Thread-safety: not thread-safe; one instance per channel, used on its event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int authenticatedMaxFrameSize;
    private final MetricsCounters metrics;
    private int maxFrameSize;
    private boolean failed;

    /** Frames of up to {@code maxFrameSize} bytes (length field included); the same before authentication. */
    public FrameDecoder(int maxFrameSize, MetricsCounters metrics) {
        this(maxFrameSize, maxFrameSize, metrics);
    }

    /**
     * Frames of up to {@code preAuthMaxFrameSize} until {@link #authenticated()}, then
     * {@code maxFrameSize}: an unauthenticated peer cannot make this side buffer a large frame.
     */
    public FrameDecoder(int preAuthMaxFrameSize, int maxFrameSize, MetricsCounters metrics) {
        this.maxFrameSize = preAuthMaxFrameSize;
        this.authenticatedMaxFrameSize = maxFrameSize;
        this.metrics = metrics;
    }

    /** The peer is authenticated: the full frame size applies from the next frame on. */
    void authenticated() {
        maxFrameSize = authenticatedMaxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int readable = in.readableBytes();
        if (readable < FrameCodec.LENGTH_FIELD_SIZE) {
            return;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start + FrameCodec.LENGTH_OFFSET);
        if (length < FrameCodec.MIN_LENGTH) {
            throw fail(in, Category.MALFORMED, "length=" + length + " < " + FrameCodec.MIN_LENGTH);
        }
        if (length > maxFrameSize) {
            throw fail(in, Category.FRAME_TOO_LARGE, "length=" + length + " > maxFrameSize=" + maxFrameSize);
        }
        if (readable > FrameCodec.VERSION_OFFSET) {
            int version = in.getUnsignedByte(start + FrameCodec.VERSION_OFFSET);
            if (version != Transport.PROTOCOL_VERSION) {
                throw fail(in, Category.BAD_VERSION, "version=" + version);
            }
        }
        int frameSize = FrameCodec.LENGTH_FIELD_SIZE + (int) length;
        if (readable < frameSize) {
            return;
        }
        int flags = in.getUnsignedShort(start + FrameCodec.FLAGS_OFFSET);
        if (flags != 0) {
            throw fail(in, Category.MALFORMED, "flags=" + flags);
        }
        metrics.frameIn(frameSize);
        out.add(in.readRetainedSlice(frameSize));
    }

    private ProtocolException fail(ByteBuf in, Category category, String message) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new ProtocolException(category, message);
    }
}
