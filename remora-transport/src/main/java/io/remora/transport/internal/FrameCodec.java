package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.remora.transport.Transport;
import java.nio.ByteBuffer;

/**
 * Frame layout, constants and the outbound encoder. All integers are big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            length (u32): bytes after this field               |  LENGTH_OFFSET   = 0
 *  +---------------+---------------+-------------------------------+
 *  | version (u8)  |   type (u8)   |          flags (u16)          |  VERSION_OFFSET  = 4
 *  +---------------+---------------+-------------------------------+  TYPE_OFFSET     = 5
 *  |                     payload (length - 4 bytes)              ...  FLAGS_OFFSET    = 6
 *  +---------------------------------------------------------------+  PAYLOAD_OFFSET  = 8
 * </pre>
 *
 * <p>{@code length} is at least {@link #MIN_LENGTH} (4) and at most the configured max frame size.
 * {@code version} must be {@link Transport#PROTOCOL_VERSION}; {@code flags} are reserved and must be 0.
 * Types 0..15 are reserved for the transport ({@link #TYPE_HELLO} .. {@link #TYPE_SEALED}), 16..255 belong
 * to the application.
 *
 * <p>Thread-safety: stateless; all methods are safe from any thread.
 */
public final class FrameCodec {
    public static final int LENGTH_OFFSET = 0;
    public static final int LENGTH_FIELD_SIZE = 4;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 5;
    public static final int FLAGS_OFFSET = 6;
    public static final int PAYLOAD_OFFSET = 8;
    /** Total header size, length field included. */
    public static final int HEADER_SIZE = PAYLOAD_OFFSET;
    /** Smallest legal value of the length field (version + type + flags). */
    public static final int MIN_LENGTH = HEADER_SIZE - LENGTH_FIELD_SIZE;

    /** Handshake step 1, client to server (see {@link HandshakeCodec}). */
    public static final int TYPE_HELLO = 1;
    /** Handshake step 2, server to client. */
    public static final int TYPE_CHALLENGE = 2;
    /** Handshake step 3, client to server. */
    public static final int TYPE_RESPONSE = 3;
    /** Handshake step 4, server to client: authenticated. Empty payload. */
    public static final int TYPE_ACCEPT = 4;
    /** Heartbeat with an opaque application payload. */
    public static final int TYPE_HEARTBEAT = 5;
    /** Orderly close announcement. Empty payload. */
    public static final int TYPE_CLOSE = 6;
    /** A sealed record: frames protected after the handshake (see {@link FrameProtector}). */
    public static final int TYPE_SEALED = 7;

    private static final ByteBuffer EMPTY_BUFFER = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private FrameCodec() {
    }

    /** Encodes a frame into a new buffer the caller owns (it passes ownership on by writing it). */
    public static ByteBuf encode(ByteBufAllocator alloc, int type, byte[] src, int offset, int length) {
        ByteBuf buf = alloc.ioBuffer(HEADER_SIZE + length);
        writeHeader(buf, type, length);
        if (length > 0) {
            buf.writeBytes(src, offset, length);
        }
        return buf;
    }

    /** Encodes a frame carrying a whole byte array. */
    public static ByteBuf encode(ByteBufAllocator alloc, int type, byte[] payload) {
        ByteBuf buf = alloc.ioBuffer(HEADER_SIZE + payload.length);
        writeHeader(buf, type, payload.length);
        return buf.writeBytes(payload);
    }

    /** Allocates a buffer for a frame of {@code payloadLength} bytes and writes its header. */
    public static ByteBuf allocateFrame(ByteBufAllocator alloc, int type, int payloadLength) {
        ByteBuf buf = alloc.ioBuffer(HEADER_SIZE + payloadLength);
        writeHeader(buf, type, payloadLength);
        return buf;
    }

    private static void writeHeader(ByteBuf buf, int type, int payloadLength) {
        buf.writeInt(MIN_LENGTH + payloadLength)
            .writeByte(Transport.PROTOCOL_VERSION)
            .writeByte(type)
            .writeShort(0);
    }

    /** Type of a decoded frame (readerIndex at the length field). */
    public static int type(ByteBuf frame) {
        return frame.getUnsignedByte(frame.readerIndex() + TYPE_OFFSET);
    }

    public static int payloadIndex(ByteBuf frame) {
        return frame.readerIndex() + PAYLOAD_OFFSET;
    }

    public static int payloadLength(ByteBuf frame) {
        return frame.readableBytes() - PAYLOAD_OFFSET;
    }

    /**
     * The frame's payload as a read-only view (position 0, limit and capacity its length), without
     * copying where the memory allows it. Valid only until the frame is released.
     */
    public static ByteBuffer payload(ByteBuf frame) {
        int length = payloadLength(frame);
        if (length == 0) {
            return EMPTY_BUFFER;
        }
        return frame.nioBuffer(payloadIndex(frame), length).slice().asReadOnlyBuffer();
    }
}
