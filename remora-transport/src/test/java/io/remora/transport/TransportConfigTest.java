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
    void shouldNotLeakSecretInToString() {
        String s = TestSupport.config("n").build().toString();
        assertEquals(-1, s.indexOf("cluster-secret"));
    }
}
