package io.remora.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private final MetricsCounters metrics = new MetricsCounters();
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1024, metrics));

    @Test
    void shouldRoundTripEncodedFrame() {
        byte[] body = {1, 2, 3, 4, 5};
        ByteBuf encoded = FrameCodec.encode(ByteBufAllocator.DEFAULT, 42, body, 1, 3);
        assertEquals(FrameCodec.HEADER_SIZE + 3, encoded.readableBytes());
        channel.writeInbound(encoded);
        ByteBuf frame = channel.readInbound();
        try {
            assertEquals(42, FrameCodec.type(frame));
            assertEquals(3, FrameCodec.payloadLength(frame));
            java.nio.ByteBuffer view = FrameCodec.payload(frame);
            assertEquals(3, view.capacity());
            assertEquals(2, view.get(0));
            assertEquals(4, view.get(2));
        } finally {
            frame.release();
        }
        assertEquals(1, metrics.framesIn());
        assertFalse(channel.finish());
    }

    @Test
    void shouldWaitForTruncatedFrameAndThenDecodeIt() {
        ByteBuf encoded = FrameCodec.encode(ByteBufAllocator.DEFAULT, 20, new byte[100]);
        channel.writeInbound(encoded.readRetainedSlice(2));
        channel.writeInbound(encoded.readRetainedSlice(50));
        assertNull(channel.readInbound());
        channel.writeInbound(encoded);
        ByteBuf frame = channel.readInbound();
        assertEquals(100, FrameCodec.payloadLength(frame));
        frame.release();
        assertFalse(channel.finish());
    }

    @Test
    void shouldRejectOversizedFrameFromItsLengthAlone() {
        ByteBuf header = Unpooled.buffer().writeInt(1025);
        assertCategory(Category.FRAME_TOO_LARGE, header);
    }

    @Test
    void shouldRejectLengthShorterThanHeader() {
        assertCategory(Category.MALFORMED, Unpooled.buffer().writeInt(3).writeInt(0));
    }

    @Test
    void shouldRejectBadVersion() {
        assertCategory(Category.BAD_VERSION, Unpooled.buffer().writeInt(4).writeByte(9).writeByte(20).writeShort(0));
    }

    @Test
    void shouldRejectNonZeroFlags() {
        assertCategory(Category.MALFORMED, Unpooled.buffer().writeInt(4).writeByte(io.remora.transport.Transport.PROTOCOL_VERSION).writeByte(20).writeShort(1));
    }

    @Test
    void shouldRejectGarbageAndDiscardEverythingAfter() {
        assertCategory(Category.FRAME_TOO_LARGE,
            Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        channel.writeInbound(FrameCodec.encode(ByteBufAllocator.DEFAULT, 20, new byte[1]));
        assertNull(channel.readInbound());
    }

    private void assertCategory(Category expected, ByteBuf input) {
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(input));
        ProtocolException pe = assertInstanceOf(ProtocolException.class, e.getCause());
        assertEquals(expected, pe.category());
    }
}
