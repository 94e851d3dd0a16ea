package io.remora.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportConfigTest {
    @Test
    void shouldApplyDefaults() {
        TransportConfig c = TransportConfig.builder().nodeId("n").clusterSecret(TestSupport.SECRET).build();
        assertEquals(16 * 1024 * 1024, c.maxFrameSize());
        assertEquals(Duration.ofSeconds(1), c.heartbeatInterval());
        assertEquals(3, c.missedHeartbeats());
        assertEquals(Duration.ZERO, c.sendLinger());
    }

    @Test
    void shouldBoundTheSendLinger() {
        assertEquals(Duration.ofMillis(1), TestSupport.config("n").sendLinger(Duration.ofMillis(1)).build().sendLinger());
        assertEquals(Duration.ofMillis(1), TransportConfig.MAX_SEND_LINGER);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").sendLinger(Duration.ofNanos(1_000_001)).build());
        assertEquals("sendLinger=PT0.001000001S (expected: 0..1 ms)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").sendLinger(Duration.ofNanos(-1)).build());
        assertEquals("sendLinger=PT-0.000000001S (expected: 0..1 ms)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TestSupport.config("n").sendLinger(null).build());
        assertEquals("sendLinger=null (expected: 0..1 ms)", e.getMessage());
    }

    @Test
    void shouldRejectBadValuesNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").maxFrameSize(10).build());
        assertEquals("maxFrameSize=10 (expected: 1024..2^30)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> TransportConfig.builder().nodeId("n").clusterSecret(new byte[3]).build());
        assertEquals("clusterSecret=<3 bytes> (expected: >= 16 bytes)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestSupport.config("").build());
        assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").heartbeatInterval(Duration.ZERO).build());
        e = assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").heartbeatInterval(Duration.ofNanos(999_999)).build());
        assertEquals("heartbeatInterval=PT0.000999999S (expected: 1 ms..1 h)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").heartbeatInterval(Duration.ofHours(1).plusMillis(1)).build());
        TestSupport.config("n").heartbeatInterval(Duration.ofMillis(1)).build();
        TestSupport.config("n").heartbeatInterval(Duration.ofHours(1)).build();
        assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").writeBufferWaterMarks(10, 5).build());
        assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").reliableQueueLimitBytes(100).build());
        assertThrows(IllegalArgumentException.class,
            () -> TestSupport.config("n").reconnectInitialDelay(Duration.ofSeconds(9)).build());
    }

    @Test
    void shouldDeriveAKeyPerNodeAndCheckOneGivenWithTheSecret() {
        byte[] k1 = TransportConfig.deriveNodeKey(TestSupport.SECRET, "pre-1");
        assertEquals(32, k1.length);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(k1,
            TransportConfig.deriveNodeKey(TestSupport.SECRET, "pre-2")));
        org.junit.jupiter.api.Assertions.assertArrayEquals(k1, TestSupport.config("pre-1").build().nodeKey());
        TransportConfig keyOnly = TransportConfig.builder().nodeId("pre-1").nodeKey(k1).build();
        org.junit.jupiter.api.Assertions.assertFalse(keyOnly.hasClusterSecret());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TransportConfig.builder().nodeId("pre-1").nodeKey(new byte[5]).build());
        assertEquals("nodeKey=<5 bytes> (expected: 32 bytes)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestSupport.config("pre-2").nodeKey(k1).build());
        e = assertThrows(IllegalArgumentException.class, () -> TransportConfig.builder().nodeId("n").build());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("clusterSecret=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Transport.netty().bind(keyOnly, "127.0.0.1", 0, (c, t, p) -> { }, new ConnectionListener() { }));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("clusterSecret=null"), e.getMessage());
    }

    @Test
    void shouldNotLeakSecretInToString() {
        String s = TestSupport.config("n").build().toString();
        assertEquals(-1, s.indexOf("cluster-secret"));
    }
}
