package io.remora.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.remora.transport.TestSupport;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Byte layouts of HELLO/CHALLENGE (see the {@link HandshakeCodec} javadoc) and the liveness arithmetic. */
class HandshakeCodecTest {
    private static final byte[] ID = {'a', 'b'};

    private static byte[] nonce(int fill) {
        byte[] n = new byte[HandshakeCodec.NONCE_LENGTH];
        Arrays.fill(n, (byte) fill);
        return n;
    }

    @Test
    void shouldLayOutHelloAndChallengeWithHeartbeatMillisAfterTheNonce() {
        ByteBuf hello = FrameCodec.allocateFrame(ByteBufAllocator.DEFAULT, FrameCodec.TYPE_HELLO,
            HandshakeCodec.greetingLength(ID.length, false));
        ByteBuf challenge = FrameCodec.allocateFrame(ByteBufAllocator.DEFAULT, FrameCodec.TYPE_CHALLENGE,
            HandshakeCodec.greetingLength(ID.length, true));
        try {
            HandshakeCodec.writeGreeting(hello, ID, nonce(7), 1000, 1, null);
            byte[] payload = ByteBufUtil.getBytes(hello, FrameCodec.payloadIndex(hello), FrameCodec.payloadLength(hello));
            assertEquals(38 + ID.length, payload.length);
            assertEquals(2, payload[0]);                                    // 0: u8 n
            assertArrayEquals(ID, Arrays.copyOfRange(payload, 1, 3));        // 1: nodeId
            assertArrayEquals(nonce(7), Arrays.copyOfRange(payload, 3, 35)); // 1+n: nonce
            assertArrayEquals(new byte[] {0, 0, 0x03, (byte) 0xE8},         // 33+n: u32 1000
                Arrays.copyOfRange(payload, 35, 39));
            assertEquals(1, payload[39]);                                   // 37+n: protection
            HandshakeCodec.Greeting g = HandshakeCodec.readGreeting(hello, false);
            assertEquals(1000, g.heartbeatMillis());
            assertEquals(1, g.protection());
            assertEquals("ab", g.nodeIdString());

            byte[] mac = nonce(9);
            HandshakeCodec.writeGreeting(challenge, ID, nonce(8), HandshakeCodec.MAX_HEARTBEAT_MILLIS, 2, mac);
            payload = ByteBufUtil.getBytes(challenge, FrameCodec.payloadIndex(challenge),
                FrameCodec.payloadLength(challenge));
            assertEquals(70 + ID.length, payload.length);
            assertArrayEquals(new byte[] {0, 0x36, (byte) 0xEE, (byte) 0x80},  // 33+n: u32 3,600,000
                Arrays.copyOfRange(payload, 35, 39));
            assertEquals(2, payload[39]);                                   // 37+n: protection
            assertArrayEquals(mac, Arrays.copyOfRange(payload, 40, 72));     // 38+n: mac
            g = HandshakeCodec.readGreeting(challenge, true);
            assertEquals(HandshakeCodec.MAX_HEARTBEAT_MILLIS, g.heartbeatMillis());
            assertArrayEquals(mac, g.mac());
        } finally {
            hello.release();
            challenge.release();
        }
    }

    private static HandshakeCodec.Transcript t(long hbC, long hbS, int pC, int pS) {
        return new HandshakeCodec.Transcript(nonce(1), nonce(2), ID, ID, hbC, hbS, pC, pS);
    }

    @Test
    void shouldBindBothIntervalsAndProtectionsIntoTheMacAndTheKeys() {
        byte[] base = HandshakeCodec.mac(TestSupport.SECRET, HandshakeCodec.ROLE_SERVER, t(200, 1000, 1, 1));
        for (HandshakeCodec.Transcript other : new HandshakeCodec.Transcript[] {t(201, 1000, 1, 1), t(200, 999, 1, 1),
            t(1000, 200, 1, 1), t(200, 1000, 0, 1), t(200, 1000, 1, 0), t(200, 1000, 2, 1)}) {
            assertFalse(Arrays.equals(base, HandshakeCodec.mac(TestSupport.SECRET, HandshakeCodec.ROLE_SERVER, other)),
                "" + other);
            assertFalse(Arrays.equals(HandshakeCodec.frameKeys(TestSupport.SECRET, t(200, 1000, 1, 1))[0],
                HandshakeCodec.frameKeys(TestSupport.SECRET, other)[0]), "keys bind " + other);
        }
        byte[][] keys = HandshakeCodec.frameKeys(TestSupport.SECRET, t(200, 1000, 1, 1));
        assertFalse(Arrays.equals(keys[0], keys[1]), "a key per direction");
        assertEquals(io.remora.transport.FrameProtection.ENCRYPTED, t(1, 1, 2, 0).protection(), "the stronger wins");
    }

    @Test
    void shouldAnnounceWholeMillisRoundedUp() {
        assertEquals(200, HandshakeCodec.heartbeatMillis(Duration.ofMillis(200)));
        assertEquals(2, HandshakeCodec.heartbeatMillis(Duration.ofNanos(1_000_001)));
        assertEquals(3_600_000, HandshakeCodec.heartbeatMillis(Duration.ofHours(1)));
    }

    @Test
    void shouldWaitMissedTimesTheLongerIntervalInOwnTicks() {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        assertEquals(15, HeartbeatHandler.deadAfterTicks(200 * ms, 1000, 3));  // 3 s / 200 ms
        assertEquals(3, HeartbeatHandler.deadAfterTicks(1000 * ms, 200, 3));   // own is the longer
        assertEquals(3, HeartbeatHandler.deadAfterTicks(200 * ms, 200, 3));
        assertEquals(8, HeartbeatHandler.deadAfterTicks(400 * ms, 1000, 3));   // ceil(3000 / 400)
    }
}
