package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Handshake message bodies (frame payloads) and the MAC. Sequence:
 *
 * <pre>
 *  client                                             server
 *    | HELLO     (type 1): idC, nonceC                  |
 *    |------------------------------------------------->|
 *    | CHALLENGE (type 2): idS, nonceS, macS            |   macS = HMAC(k, 'S'|nonceC|nonceS|idC|idS)
 *    |<-------------------------------------------------|
 *    | RESPONSE  (type 3): macC                         |   macC = HMAC(k, 'C'|nonceC|nonceS|idC|idS)
 *    |------------------------------------------------->|
 *    | ACCEPT    (type 4): empty                        |
 *    |<-------------------------------------------------|
 * </pre>
 *
 * <p>Payload layouts (offsets relative to the frame payload; n = node id length):
 * <pre>
 *  HELLO:      0: u8 n | 1: nodeId (n bytes, UTF-8) | 1+n: nonce (32)                      size 33+n
 *  CHALLENGE:  0: u8 n | 1: nodeId (n bytes, UTF-8) | 1+n: nonce (32) | 33+n: mac (32)     size 65+n
 *  RESPONSE:   0: mac (32)                                                                 size 32
 *  ACCEPT:     empty
 *  MAC input:  role (1: 'S' or 'C') | nonceC (32) | nonceS (32) | u8 |idC| | idC | u8 |idS| | idS
 * </pre>
 * Fresh 32-byte nonces on both sides defeat replay; the role byte defeats reflection; binding both
 * node ids stops a proof being reused for another identity. MACs are compared in constant time.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class HandshakeCodec {
    public static final int NONCE_LENGTH = 32;
    public static final int MAC_LENGTH = 32;
    public static final byte ROLE_SERVER = 'S';
    public static final byte ROLE_CLIENT = 'C';
    private static final String ALGORITHM = "HmacSHA256";

    private HandshakeCodec() {
    }

    /** A node id and nonce (and for CHALLENGE a MAC) parsed from a HELLO or CHALLENGE payload. */
    public record Greeting(byte[] nodeId, byte[] nonce, byte[] mac) {
        public String nodeIdString() {
            return new String(nodeId, StandardCharsets.UTF_8);
        }
    }

    public static void writeGreeting(ByteBuf out, byte[] nodeId, byte[] nonce, byte[] macOrNull) {
        out.writeByte(nodeId.length).writeBytes(nodeId).writeBytes(nonce);
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
        int expected = 1 + n + NONCE_LENGTH + (withMac ? MAC_LENGTH : 0);
        if (n == 0 || length != expected) {
            throw malformed("greeting length=" + length + ", nodeIdLength=" + n);
        }
        byte[] nodeId = new byte[n];
        byte[] nonce = new byte[NONCE_LENGTH];
        frame.getBytes(index + 1, nodeId);
        frame.getBytes(index + 1 + n, nonce);
        byte[] mac = null;
        if (withMac) {
            mac = new byte[MAC_LENGTH];
            frame.getBytes(index + 1 + n + NONCE_LENGTH, mac);
        }
        return new Greeting(nodeId, nonce, mac);
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

    /** HMAC-SHA256 over the transcript described in the class javadoc. */
    public static byte[] mac(byte[] secret, byte role, byte[] nonceC, byte[] nonceS, byte[] idC, byte[] idS) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update(role);
            mac.update(nonceC);
            mac.update(nonceS);
            mac.update((byte) idC.length);
            mac.update(idC);
            mac.update((byte) idS.length);
            mac.update(idS);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison. */
    public static boolean verify(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    private static ProtocolException malformed(String message) {
        return new ProtocolException(Category.HANDSHAKE_FAILED, "malformed handshake: " + message);
    }
}
