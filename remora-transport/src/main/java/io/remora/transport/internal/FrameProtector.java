package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseNotifier;
import io.remora.transport.FrameProtection;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.Transport;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protection after the handshake ({@link FrameProtection#AUTHENTICATED} or
 * {@link FrameProtection#ENCRYPTED}): the frames written between two flushes are packed into
 * <em>sealed records</em> of up to {@value #RECORD_LIMIT} bytes (a larger frame gets a record of its
 * own), and every record in both directions carries a sequence number and a 16-byte AEAD tag under a
 * key of its direction ({@link HandshakeCodec#frameKeys}).
 *
 * <pre>
 *  sealed record (big-endian)
 *   0  u32  length     bytes after this field: 4 + 8 + n + 16
 *   4  u8   version | 5 u8 type = 7 (SEALED) | 6 u16 flags (0)
 *   8  u64  seq        0, 1, 2, ... per direction, since the handshake
 *  16  n    body       one or more whole plain frames (FrameCodec layout), back to back:
 *                      as they are (AUTHENTICATED) or encrypted (ENCRYPTED)
 *  16+n 16  tag        nonce = 4 zero bytes | seq (12 bytes)
 *                      AUTHENTICATED: ChaCha20-Poly1305 (RFC 8439) with no plaintext and associated
 *                                     data = bytes 0..16+n: a Poly1305 MAC of the whole record
 *                      ENCRYPTED:     AES-256-GCM, associated data = bytes 0..15, the body encrypted
 * </pre>
 *
 * Why records: a tag costs a fixed 0.3-0.6 µs in the JDK (cipher set-up, the final block) whatever
 * the size, and little per byte, so one tag per record of many small RESULT frames, not one per
 * frame, keeps the cost a few percent of ingestion (docs/benchmarks.md). Records add no latency: a
 * record is sealed at the flush that would have sent its frames anyway (the flush consolidation
 * above this handler only merges flushes already queued). Why these ciphers (JDK 25, this CPU,
 * seal + open of a 13 KB record): AES-GCM encryption 4.4-6.4 µs (AES-NI and carry-less multiply
 * in one intrinsic); as a MAC only (GMAC, the body as associated data) it is 9 µs, because the JDK
 * buffers associated data and hashes it on a slower path; Poly1305 over associated data 5.2-5.8 µs
 * (its AVX-512 intrinsic, no buffering); HMAC-SHA256 ~20 µs.
 *
 * <p>Inbound, a record whose {@code seq} is not the next one is {@link Category#SEQUENCE} (replayed,
 * reordered, or one was dropped); a tag that does not verify, a frame that is not a sealed record,
 * or one too short is {@link Category#BAD_MAC} (altered, injected without the keys, truncated, or
 * plaintext); a verified body that is not whole frames is {@link Category#MALFORMED}. Each closes the
 * connection and everything after is discarded. The frames of a verified record are passed on in the
 * plain layout as slices of the same buffer: nothing downstream knows about protection.
 *
 * <p>Bytes held: one record under construction, one being sealed and one being opened (heap arrays of
 * {@value #RECORD_LIMIT} + 16 bytes each, allocated at activation), plus the frame being opened.
 *
 * <p>Inactive (frames pass untouched) until {@link #activate}, which the handshake calls once
 * authenticated, exactly between its last plaintext frame and the first protected one; stays
 * inactive for {@link FrameProtection#NONE}.
 *
 * <p>Thread-safety: not thread-safe; one instance per channel, used on its event loop.
 */
public final class FrameProtector extends ChannelDuplexHandler {
    /** Frame type of a sealed record. */
    public static final int TYPE_SEALED = FrameCodec.TYPE_SEALED;
    /** Largest body of a record that packs several frames; a larger frame is sealed alone. */
    public static final int RECORD_LIMIT = 16 * 1024;
    static final int SEQ_SIZE = 8;
    static final int TAG_SIZE = 16;
    private static final int SEALED_HEADER = FrameCodec.HEADER_SIZE + SEQ_SIZE;
    /** Bytes a frame sealed alone has beyond its plain form: the record's header, seq and tag. */
    public static final int OVERHEAD = SEALED_HEADER + TAG_SIZE;

    private boolean active;
    private boolean encrypt;
    private boolean failed;
    private Cipher sealer;
    private Cipher opener;
    private SecretKeySpec sendKey;
    private SecretKeySpec receiveKey;
    private long sendSeq;
    private long receiveSeq;
    private final byte[] iv = new byte[12];
    private final byte[] header = new byte[SEALED_HEADER];
    private final byte[] tag = new byte[TAG_SIZE];
    private byte[] record;
    private int recordLength;
    private byte[] sealed;
    private byte[] opened;
    private final List<ChannelPromise> promises = new ArrayList<>();

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
        encrypt = protection == FrameProtection.ENCRYPTED;
        String transformation = encrypt ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305";
        String keyAlgorithm = encrypt ? "AES" : "ChaCha20";
        try {
            sealer = Cipher.getInstance(transformation);
            opener = Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " unavailable", e);
        }
        sendKey = new SecretKeySpec(send, keyAlgorithm);
        receiveKey = new SecretKeySpec(receive, keyAlgorithm);
        record = new byte[SEALED_HEADER + RECORD_LIMIT];
        sealed = new byte[RECORD_LIMIT + TAG_SIZE];
        opened = new byte[OVERHEAD + RECORD_LIMIT];
        active = true;
    }

    boolean isActive() {
        return active;
    }

    // ---------------------------------------------------------------------------------- inbound

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
        int frames;
        try {
            frames = open(frame);
        } catch (ProtocolException e) {
            failed = true;
            frame.release();
            ctx.fireExceptionCaught(e);
            return;
        }
        int at = frame.readerIndex() + SEALED_HEADER;
        try {
            for (int i = 0; i < frames; i++) {
                int size = FrameCodec.LENGTH_FIELD_SIZE + (int) frame.getUnsignedInt(at);
                ctx.fireChannelRead(frame.retainedSlice(at, size));
                at += size;
            }
        } finally {
            frame.release();
        }
    }

    /**
     * Verifies (and decrypts in place) a sealed record and checks that its body is whole frames;
     * returns how many. The plain frames then lie at {@code readerIndex + 16}.
     */
    private int open(ByteBuf frame) {
        int start = frame.readerIndex();
        int total = frame.readableBytes();
        int n = total - SEALED_HEADER - TAG_SIZE;
        if (FrameCodec.type(frame) != TYPE_SEALED) {
            throw new ProtocolException(Category.BAD_MAC, "frame of type " + FrameCodec.type(frame)
                + " where a sealed record (type " + TYPE_SEALED + ") is expected");
        }
        if (n < FrameCodec.HEADER_SIZE) {
            throw new ProtocolException(Category.BAD_MAC, "sealed record of " + total + " bytes (expected: >= "
                + (OVERHEAD + FrameCodec.HEADER_SIZE) + ")");
        }
        long seq = frame.getLong(start + FrameCodec.HEADER_SIZE);
        if (seq != receiveSeq) {
            throw new ProtocolException(Category.SEQUENCE, "seq=" + seq + " (expected: " + receiveSeq
                + "; replayed, reordered or a record dropped)");
        }
        int body = start + SEALED_HEADER;
        try {
            opener.init(Cipher.DECRYPT_MODE, receiveKey, parameters(seq));
            if (total <= opened.length) { // heap arrays: the JDK's fastest GCM path, and one AAD call
                frame.getBytes(start, opened, 0, total);
                if (encrypt) { // the plaintext goes to the outbound scratch: free, nothing is sealed meanwhile
                    opener.updateAAD(opened, 0, SEALED_HEADER);
                    opener.doFinal(opened, SEALED_HEADER, n + TAG_SIZE, sealed, 0);
                    frame.setBytes(body, sealed, 0, n);
                } else {
                    opener.updateAAD(opened, 0, SEALED_HEADER + n);
                    opener.doFinal(opened, SEALED_HEADER + n, TAG_SIZE);
                }
            } else {
                frame.getBytes(start, header);
                if (encrypt) {
                    opener.updateAAD(header);
                    opener.doFinal(frame.nioBuffer(body, n + TAG_SIZE), frame.nioBuffer(body, n));
                } else {
                    opener.updateAAD(frame.nioBuffer(start, SEALED_HEADER + n));
                    opener.doFinal(frame.nioBuffer(body + n, TAG_SIZE), ByteBuffer.allocate(0));
                }
            }
        } catch (AEADBadTagException e) {
            throw new ProtocolException(Category.BAD_MAC, "tag of record " + seq + " does not verify");
        } catch (GeneralSecurityException e) {
            throw new ProtocolException(Category.BAD_MAC, "record " + seq + ": " + e.getMessage());
        }
        receiveSeq++;
        return frames(frame, body, body + n, seq);
    }

    /** Counts the whole plain frames in {@code [from, to)}; anything else is MALFORMED. */
    private static int frames(ByteBuf frame, int from, int to, long seq) {
        int count = 0;
        int at = from;
        while (at < to) {
            long length = to - at < FrameCodec.HEADER_SIZE ? -1 : frame.getUnsignedInt(at);
            if (length < FrameCodec.MIN_LENGTH || length > to - at - FrameCodec.LENGTH_FIELD_SIZE) {
                throw new ProtocolException(Category.MALFORMED, "record " + seq + ": a frame of length " + length
                    + " at offset " + (at - from) + " of " + (to - from));
            }
            if (frame.getUnsignedByte(at + FrameCodec.VERSION_OFFSET) != Transport.PROTOCOL_VERSION
                || frame.getUnsignedShort(at + FrameCodec.FLAGS_OFFSET) != 0) {
                throw new ProtocolException(Category.MALFORMED, "record " + seq + ": a frame with version "
                    + frame.getUnsignedByte(at + FrameCodec.VERSION_OFFSET) + ", flags "
                    + frame.getUnsignedShort(at + FrameCodec.FLAGS_OFFSET));
            }
            at += FrameCodec.LENGTH_FIELD_SIZE + (int) length;
            count++;
        }
        return count;
    }

    // --------------------------------------------------------------------------------- outbound

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!active || !(msg instanceof ByteBuf plain)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            int length = plain.readableBytes();
            if (recordLength + length > RECORD_LIMIT) {
                sealPending(ctx);
            }
            if (length > RECORD_LIMIT) {
                ctx.write(sealAlone(ctx, plain), promise);
                return;
            }
            plain.getBytes(plain.readerIndex(), record, SEALED_HEADER + recordLength, length);
            recordLength += length;
            if (!promise.isVoid()) {
                promises.add(promise);
            }
        } catch (RuntimeException e) {
            promise.tryFailure(e);
        } finally {
            plain.release();
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        sealPending(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        sealPending(ctx);
        ctx.flush();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardPending();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardPending();
        ctx.fireChannelInactive();
    }

    private void discardPending() {
        recordLength = 0;
        if (!promises.isEmpty()) {
            IllegalStateException closed = new IllegalStateException("channel closed before the record was sealed");
            for (ChannelPromise p : promises) {
                p.tryFailure(closed);
            }
            promises.clear();
        }
    }

    /** Seals the frames written since the last record into one and writes it. */
    private void sealPending(ChannelHandlerContext ctx) {
        if (recordLength == 0) {
            return;
        }
        int n = recordLength;
        recordLength = 0;
        ChannelPromise promise;
        if (promises.isEmpty()) {
            promise = ctx.voidPromise();
        } else if (promises.size() == 1) {
            promise = promises.get(0);
        } else {
            promise = ctx.newPromise();
            promise.addListener(new PromiseNotifier<>(promises.toArray(new ChannelPromise[0])));
        }
        promises.clear();
        ByteBuf out = ctx.alloc().ioBuffer(OVERHEAD + n);
        try {
            startRecord(out, n);
            System.arraycopy(header, 0, record, 0, SEALED_HEADER);
            if (encrypt) {
                sealer.updateAAD(record, 0, SEALED_HEADER);
                int written = sealer.doFinal(record, SEALED_HEADER, n, sealed, 0);
                out.writeBytes(sealed, 0, written);
            } else {
                sealer.updateAAD(record, 0, SEALED_HEADER + n);
                sealer.doFinal(tag, 0);
                out.writeBytes(record, SEALED_HEADER, n).writeBytes(tag);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            out.release();
            IllegalStateException failure = new IllegalStateException("cannot seal a record of " + n + " bytes: " + e, e);
            promise.tryFailure(failure);
            ctx.fireExceptionCaught(failure);
            return;
        }
        ctx.write(out, promise);
    }

    /** Seals one frame larger than {@link #RECORD_LIMIT} straight from its buffer. */
    private ByteBuf sealAlone(ChannelHandlerContext ctx, ByteBuf plain) {
        int n = plain.readableBytes();
        ByteBuf out = ctx.alloc().ioBuffer(OVERHEAD + n);
        try {
            startRecord(out, n);
            sealer.updateAAD(header);
            ByteBuffer body = plain.nioBuffer(plain.readerIndex(), n);
            int bodyAt = out.writerIndex();
            if (encrypt) {
                int written = sealer.doFinal(body, out.nioBuffer(bodyAt, n + TAG_SIZE));
                out.writerIndex(bodyAt + written);
            } else {
                sealer.updateAAD(body.duplicate());
                sealer.doFinal(tag, 0);
                out.writeBytes(body).writeBytes(tag);
            }
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            out.release();
            throw new IllegalStateException("cannot seal a frame of " + n + " bytes: " + e, e);
        }
    }

    /** Writes a record's header for an {@code n}-byte body into {@code out} and {@link #header}; inits the sealer. */
    private void startRecord(ByteBuf out, int n) throws GeneralSecurityException {
        long seq = sendSeq++;
        out.writeInt(FrameCodec.MIN_LENGTH + SEQ_SIZE + n + TAG_SIZE)
            .writeByte(Transport.PROTOCOL_VERSION)
            .writeByte(TYPE_SEALED)
            .writeShort(0)
            .writeLong(seq);
        out.getBytes(out.readerIndex(), header);
        sealer.init(Cipher.ENCRYPT_MODE, sendKey, parameters(seq));
    }

    /** The cipher's parameters for record {@code seq}: nonce = 4 zero bytes | seq, 16-byte tags. */
    private AlgorithmParameterSpec parameters(long seq) {
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return encrypt ? new GCMParameterSpec(TAG_SIZE * 8, iv) : new IvParameterSpec(iv);
    }
}
