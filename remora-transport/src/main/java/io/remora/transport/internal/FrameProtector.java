package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.remora.transport.FrameProtection;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-frame protection after the handshake ({@link FrameProtection#AUTHENTICATED} or
 * {@link FrameProtection#ENCRYPTED}): every frame in both directions carries a sequence number and
 * a tag under a key of its direction ({@link HandshakeCodec#frameKeys}).
 *
 * <pre>
 *  sealed frame (big-endian)
 *   0  u32  length     bytes after this field: 4 + 8 + n + 16
 *   4  u8   version | 5 u8 type | 6 u16 flags (0)        as in a plain frame (FrameCodec)
 *   8  u64  seq        0, 1, 2, ... per direction, since the handshake
 *  16  n    body       the payload: as is (AUTHENTICATED) or encrypted (ENCRYPTED)
 *  16+n 16  tag        AUTHENTICATED: HMAC-SHA256(key, bytes 0..16+n) truncated to 16 bytes
 *                      ENCRYPTED:     the AES-256-GCM tag; nonce = 4 zero bytes | seq, associated
 *                                     data = bytes 0..15, the body encrypted
 * </pre>
 *
 * Why HMAC and not GMAC for {@link FrameProtection#AUTHENTICATED}: the JDK's GCM processes
 * associated data far slower than it encrypts (50 MB/s against 1.5 GB/s measured here), while
 * HMAC-SHA256 runs on the CPU's SHA extensions at ~1.2 GB/s and ~0.5 µs for a small frame.
 *
 * Inbound, a frame whose {@code seq} is not the next one is {@link Category#SEQUENCE} (replayed,
 * reordered, or a frame was dropped); a tag that does not verify is {@link Category#BAD_MAC}
 * (altered, injected without the keys, truncated). Either closes the connection and everything after
 * is discarded. A verified frame is passed on in the plain layout (length, version, type, flags,
 * payload) as a slice of the same buffer: nothing downstream knows about protection. Outbound, each
 * plain frame is sealed into a new buffer and the plain one released.
 *
 * <p>Inactive (frames pass untouched) until {@link #activate}, which the handshake calls once
 * authenticated, exactly between its last plaintext frame and the first protected one; stays
 * inactive for {@link FrameProtection#NONE}.
 *
 * <p>Thread-safety: not thread-safe; one instance per channel, used on its event loop.
 */
public final class FrameProtector extends ChannelDuplexHandler {
    static final int SEQ_SIZE = 8;
    static final int TAG_SIZE = 16;
    /** Bytes a sealed frame has beyond its plain form. */
    public static final int OVERHEAD = SEQ_SIZE + TAG_SIZE;
    private static final int SEALED_HEADER = FrameCodec.HEADER_SIZE + SEQ_SIZE;

    private boolean active;
    private boolean encrypt;
    private boolean failed;
    private Cipher sealer;
    private Cipher opener;
    private javax.crypto.Mac sendMac;
    private javax.crypto.Mac receiveMac;
    private final byte[] tag = new byte[32];
    private SecretKeySpec sendKey;
    private SecretKeySpec receiveKey;
    private long sendSeq;
    private long receiveSeq;
    private final byte[] iv = new byte[12];
    private final byte[] header = new byte[SEALED_HEADER];

    public FrameProtector() {
    }

    /**
     * From now on every frame is sealed and must arrive sealed: {@code send}/{@code receive} are this
     * side's direction keys (32 bytes each).
     */
    void activate(FrameProtection protection, byte[] send, byte[] receive) {
        if (protection == FrameProtection.NONE) {
            return;
        }
        try {
            sealer = Cipher.getInstance("AES/GCM/NoPadding");
            opener = Cipher.getInstance("AES/GCM/NoPadding");
            sendMac = javax.crypto.Mac.getInstance("HmacSHA256");
            sendMac.init(new SecretKeySpec(send, "HmacSHA256"));
            receiveMac = javax.crypto.Mac.getInstance("HmacSHA256");
            receiveMac.init(new SecretKeySpec(receive, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM or HmacSHA256 unavailable", e);
        }
        sendKey = new SecretKeySpec(send, "AES");
        receiveKey = new SecretKeySpec(receive, "AES");
        encrypt = protection == FrameProtection.ENCRYPTED;
        active = true;
    }

    boolean isActive() {
        return active;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!active) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        if (failed) {
            frame.release();
            return;
        }
        ByteBuf plain;
        try {
            plain = open(frame);
        } catch (ProtocolException e) {
            failed = true;
            frame.release();
            ctx.fireExceptionCaught(e);
            return;
        }
        ctx.fireChannelRead(plain);
    }

    /** Verifies (and decrypts) a sealed frame; returns its plain form, owning {@code frame}'s reference. */
    private ByteBuf open(ByteBuf frame) {
        int start = frame.readerIndex();
        int total = frame.readableBytes();
        int n = total - SEALED_HEADER - TAG_SIZE;
        if (n < 0) {
            throw new ProtocolException(Category.BAD_MAC, "sealed frame of " + total + " bytes (expected: >= "
                + (SEALED_HEADER + TAG_SIZE) + ")");
        }
        long seq = frame.getLong(start + FrameCodec.HEADER_SIZE);
        if (seq != receiveSeq) {
            throw new ProtocolException(Category.SEQUENCE, "seq=" + seq + " (expected: " + receiveSeq
                + "; replayed, reordered or a frame dropped)");
        }
        try {
            frame.getBytes(start, header);
            if (encrypt) {
                opener.init(Cipher.DECRYPT_MODE, receiveKey, new GCMParameterSpec(TAG_SIZE * 8, nonce(seq)));
                opener.updateAAD(header);
                ByteBuffer body = frame.nioBuffer(start + SEALED_HEADER, n + TAG_SIZE);
                ByteBuffer out = frame.nioBuffer(start + SEALED_HEADER, n);
                opener.doFinal(body, out);
            } else {
                receiveMac.update(header);
                receiveMac.update(frame.nioBuffer(start + SEALED_HEADER, n));
                receiveMac.doFinal(tag, 0);
                boolean equal = true;
                int at = start + SEALED_HEADER + n;
                int diff = 0;
                for (int i = 0; i < TAG_SIZE; i++) {
                    diff |= tag[i] ^ frame.getByte(at + i); // constant time
                }
                equal = diff == 0;
                if (!equal) {
                    throw new AEADBadTagException("HMAC mismatch");
                }
            }
        } catch (AEADBadTagException e) {
            throw new ProtocolException(Category.BAD_MAC, "tag of frame " + seq + " does not verify");
        } catch (GeneralSecurityException e) {
            throw new ProtocolException(Category.BAD_MAC, "frame " + seq + ": " + e.getMessage());
        }
        receiveSeq++;
        // The plain layout, over the same bytes: length, version, type, flags just before the body.
        int at = start + SEQ_SIZE;
        frame.setInt(at, FrameCodec.MIN_LENGTH + n);
        frame.setBytes(at + FrameCodec.LENGTH_FIELD_SIZE, header, FrameCodec.VERSION_OFFSET,
            FrameCodec.MIN_LENGTH);
        ByteBuf plain = frame.retainedSlice(at, FrameCodec.HEADER_SIZE + n);
        frame.release();
        return plain;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!active || !(msg instanceof ByteBuf plain)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf sealed;
        try {
            sealed = seal(ctx, plain);
        } finally {
            plain.release();
        }
        ctx.write(sealed, promise);
    }

    private ByteBuf seal(ChannelHandlerContext ctx, ByteBuf plain) {
        int start = plain.readerIndex();
        int n = plain.readableBytes() - FrameCodec.HEADER_SIZE;
        long seq = sendSeq++;
        ByteBuf out = ctx.alloc().ioBuffer(SEALED_HEADER + n + TAG_SIZE);
        try {
            out.writeInt(FrameCodec.MIN_LENGTH + OVERHEAD + n)
                .writeBytes(plain, start + FrameCodec.VERSION_OFFSET, FrameCodec.MIN_LENGTH)
                .writeLong(seq);
            out.getBytes(0, header);
            ByteBuffer body = plain.nioBuffer(start + FrameCodec.HEADER_SIZE, n);
            int bodyAt = out.writerIndex();
            if (encrypt) {
                sealer.init(Cipher.ENCRYPT_MODE, sendKey, new GCMParameterSpec(TAG_SIZE * 8, nonce(seq)));
                sealer.updateAAD(header);
                ByteBuffer dst = out.nioBuffer(bodyAt, n + TAG_SIZE);
                int written = sealer.doFinal(body, dst);
                out.writerIndex(bodyAt + written);
            } else {
                out.writeBytes(body.duplicate());
                sendMac.update(header);
                sendMac.update(body);
                sendMac.doFinal(tag, 0);
                out.writeBytes(tag, 0, TAG_SIZE);
            }
            return out;
        } catch (GeneralSecurityException e) {
            out.release();
            throw new IllegalStateException("cannot seal frame " + seq + ": " + e, e);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private byte[] nonce(long seq) {
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return iv.clone();
    }
}
