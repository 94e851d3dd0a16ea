package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Handshake message bodies (frame payloads) and the MAC. Sequence:
 *
 * <pre>
 *  client                                             server
 *    | HELLO     (type 1): idC, nonceC, hbC, pC         |
 *    |------------------------------------------------->|
 *    | CHALLENGE (type 2): idS, nonceS, hbS, pS, macS   |   macS = HMAC(k, 'S'|nonceC|nonceS|idC|idS|hbC|hbS|pC|pS)
 *    |<-------------------------------------------------|
 *    | RESPONSE  (type 3): macC                         |   macC = HMAC(k, 'C'|nonceC|nonceS|idC|idS|hbC|hbS|pC|pS)
 *    |------------------------------------------------->|
 *    | ACCEPT    (type 4): empty                        |
 *    |<-------------------------------------------------|
 *    | every later frame in both directions protected as max(pC, pS) (FrameProtector)
 * </pre>
 *
 * <p>{@code k} is the client's node key ({@code TransportConfig.deriveNodeKey}); the server derives it
 * from {@code idC}.
 *
 * <p>Payload layouts (offsets relative to the frame payload; n = node id length; big-endian):
 * <pre>
 *  HELLO:      0: u8 n | 1: nodeId (n bytes, UTF-8) | 1+n: nonce (32) | 33+n: heartbeatMillis u32
 *              | 37+n: protection u8                                                       size 38+n
 *  CHALLENGE:  0: u8 n | 1: nodeId (n bytes, UTF-8) | 1+n: nonce (32) | 33+n: heartbeatMillis u32
 *              | 37+n: protection u8 | 38+n: mac (32)                                      size 70+n
 *  RESPONSE:   0: mac (32)                                                                 size 32
 *  ACCEPT:     empty
 *  MAC input:  role (1: 'S' or 'C') | nonceC (32) | nonceS (32) | u8 |idC| | idC | u8 |idS| | idS
 *              | hbC u32 | hbS u32 | pC u8 | pS u8
 *  protection: 0 NONE, 1 AUTHENTICATED, 2 ENCRYPTED (FrameProtection ordinals)
 * </pre>
 * {@code heartbeatMillis} is the sender's own {@code heartbeatInterval} in milliseconds
 * ({@value #MIN_HEARTBEAT_MILLIS}..{@value #MAX_HEARTBEAT_MILLIS}; anything else is
 * {@link Category#HANDSHAKE_FAILED}); {@code hbC}/{@code hbS} are the client's (HELLO) and server's
 * (CHALLENGE) values. Each side then expects a frame from its peer at least every
 * {@code missedHeartbeats × max(own, peer interval)} (see {@link HeartbeatHandler}), so the two
 * sides need not be configured with the same interval.
 * Fresh 32-byte nonces on both sides defeat replay; the role byte defeats reflection; binding both
 * node ids stops a proof being reused for another identity; binding both intervals stops a
 * man in the middle from stretching or shrinking either side's liveness deadline. MACs are
 * compared in constant time.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class HandshakeCodec {
    public static final int NONCE_LENGTH = 32;
    public static final int MAC_LENGTH = 32;
    public static final byte ROLE_SERVER = 'S';
    public static final byte ROLE_CLIENT = 'C';
    /** Size of the {@code heartbeatMillis} field. */
    public static final int HEARTBEAT_LENGTH = 4;
    /** Smallest heartbeat interval a peer may announce: 1 ms. */
    public static final long MIN_HEARTBEAT_MILLIS = 1;
    /** Largest heartbeat interval a peer may announce: 1 h. */
    public static final long MAX_HEARTBEAT_MILLIS = 3_600_000;
    private static final String ALGORITHM = "HmacSHA256";

    private HandshakeCodec() {
    }

    /**
     * A node id, nonce and heartbeat interval (and for CHALLENGE a MAC) parsed from a HELLO or
     * CHALLENGE payload; {@code heartbeatMillis} is already range-checked.
     */
    public record Greeting(byte[] nodeId, byte[] nonce, long heartbeatMillis, int protection, byte[] mac) {
        public String nodeIdString() {
            return new String(nodeId, StandardCharsets.UTF_8);
        }
    }

    /** Payload size of a HELLO ({@code withMac=false}) or CHALLENGE for a node id of {@code n} bytes. */
    public static int greetingLength(int n, boolean withMac) {
        return 1 + n + NONCE_LENGTH + HEARTBEAT_LENGTH + 1 + (withMac ? MAC_LENGTH : 0);
    }

    /** The interval announced for {@code interval}: whole milliseconds, rounded up. */
    public static long heartbeatMillis(Duration interval) {
        long millis = interval.toMillis();
        return interval.equals(Duration.ofMillis(millis)) ? millis : millis + 1;
    }

    public static void writeGreeting(ByteBuf out, byte[] nodeId, byte[] nonce, long heartbeatMillis, int protection,
                                     byte[] macOrNull) {
        out.writeByte(nodeId.length).writeBytes(nodeId).writeBytes(nonce).writeInt((int) heartbeatMillis)
            .writeByte(protection);
        if (macOrNull != null) {
            out.writeBytes(macOrNull);
        }
    }

    /** Parses HELLO ({@code withMac=false}) or CHALLENGE; validates every length before reading. */
    public static Greeting readGreeting(ByteBuf frame, boolean withMac) {
        int index = FrameCodec.payloadIndex(frame);
        int length = FrameCodec.payloadLength(frame);
        if (length < 1) {
            throw malformed("empty greeting");
        }
        int n = frame.getUnsignedByte(index);
        int expected = greetingLength(n, withMac);
        if (n == 0 || length != expected) {
            throw malformed("greeting length=" + length + ", nodeIdLength=" + n);
        }
        long heartbeatMillis = frame.getUnsignedInt(index + 1 + n + NONCE_LENGTH);
        if (heartbeatMillis < MIN_HEARTBEAT_MILLIS || heartbeatMillis > MAX_HEARTBEAT_MILLIS) {
            throw malformed("heartbeatMillis=" + heartbeatMillis + " (expected: " + MIN_HEARTBEAT_MILLIS + ".."
                + MAX_HEARTBEAT_MILLIS + ")");
        }
        int protection = frame.getUnsignedByte(index + 1 + n + NONCE_LENGTH + HEARTBEAT_LENGTH);
        if (protection >= PROTECTIONS) {
            throw malformed("protection=" + protection + " (expected: 0.." + (PROTECTIONS - 1) + ")");
        }
        byte[] nodeId = new byte[n];
        byte[] nonce = new byte[NONCE_LENGTH];
        frame.getBytes(index + 1, nodeId);
        frame.getBytes(index + 1 + n, nonce);
        byte[] mac = null;
        if (withMac) {
            mac = new byte[MAC_LENGTH];
            frame.getBytes(index + 1 + n + NONCE_LENGTH + HEARTBEAT_LENGTH + 1, mac);
        }
        return new Greeting(nodeId, nonce, heartbeatMillis, protection, mac);
    }

    /** Parses a RESPONSE payload. */
    public static byte[] readResponse(ByteBuf frame) {
        if (FrameCodec.payloadLength(frame) != MAC_LENGTH) {
            throw malformed("response length=" + FrameCodec.payloadLength(frame));
        }
        byte[] mac = new byte[MAC_LENGTH];
        frame.getBytes(FrameCodec.payloadIndex(frame), mac);
        return mac;
    }

    private static final int PROTECTIONS = io.remora.transport.FrameProtection.values().length;

    /** The handshake transcript the MACs and the frame keys bind (see the class javadoc). */
    public record Transcript(byte[] nonceC, byte[] nonceS, byte[] idC, byte[] idS, long heartbeatMillisC,
                             long heartbeatMillisS, int protectionC, int protectionS) {
        void writeTo(Mac mac) {
            mac.update(nonceC);
            mac.update(nonceS);
            mac.update((byte) idC.length);
            mac.update(idC);
            mac.update((byte) idS.length);
            mac.update(idS);
            mac.update(u32(heartbeatMillisC));
            mac.update(u32(heartbeatMillisS));
            mac.update((byte) protectionC);
            mac.update((byte) protectionS);
        }

        /** The protection both sides use: the stronger of the two announced. */
        public io.remora.transport.FrameProtection protection() {
            return io.remora.transport.FrameProtection.values()[Math.max(protectionC, protectionS)];
        }
    }

    /** HMAC-SHA256 over {@code role | transcript} (see the class javadoc). */
    public static byte[] mac(byte[] key, byte role, Transcript t) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(role);
            t.writeTo(mac);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * The frame keys of a connection, HKDF-SHA256 (RFC 5869): {@code PRK = HMAC(salt = nonceC |
     * nonceS, IKM = k)}, {@code OKM = HKDF-Expand(PRK, info = "remora/frame-keys/v3" | transcript,
     * 64)}; bytes 0..31 protect client-to-server frames, 32..63 server-to-client. Fresh nonces make
     * the keys differ on every connection; binding the transcript makes them differ for any other
     * ids, intervals or protections.
     */
    public static byte[][] frameKeys(byte[] key, Transcript t) {
        try {
            Mac extract = Mac.getInstance(ALGORITHM);
            byte[] salt = new byte[NONCE_LENGTH * 2];
            System.arraycopy(t.nonceC(), 0, salt, 0, NONCE_LENGTH);
            System.arraycopy(t.nonceS(), 0, salt, NONCE_LENGTH, NONCE_LENGTH);
            extract.init(new SecretKeySpec(salt, ALGORITHM));
            byte[] prk = extract.doFinal(key);
            Mac expand = Mac.getInstance(ALGORITHM);
            expand.init(new SecretKeySpec(prk, ALGORITHM));
            byte[] info = "remora/frame-keys/v3".getBytes(StandardCharsets.US_ASCII);
            expand.update(info);
            t.writeTo(expand);
            expand.update((byte) 1);
            byte[] t1 = expand.doFinal();
            expand.update(t1);
            expand.update(info);
            t.writeTo(expand);
            expand.update((byte) 2);
            byte[] t2 = expand.doFinal();
            return new byte[][] {t1, t2};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison. */
    public static boolean verify(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static ProtocolException malformed(String message) {
        return new ProtocolException(Category.HANDSHAKE_FAILED, "malformed handshake: " + message);
    }
}
