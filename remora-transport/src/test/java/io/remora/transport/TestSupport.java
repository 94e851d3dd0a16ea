package io.remora.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared configs and a bounded polling helper for tests. */
public final class TestSupport {
    public static final byte[] SECRET = "0123456789abcdef-cluster-secret".getBytes(StandardCharsets.UTF_8);
    public static final byte[] WRONG_SECRET = "fedcba9876543210-not-the-secret".getBytes(StandardCharsets.UTF_8);

    private TestSupport() {
    }

    public static TransportConfig.Builder config(String nodeId) {
        return TransportConfig.builder().nodeId(nodeId).clusterSecret(SECRET)
            .heartbeatInterval(Duration.ofMillis(200)).missedHeartbeats(10)
            .reconnectInitialDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(200))
            .handshakeTimeout(Duration.ofSeconds(2));
    }

    /** Polls until true or the deadline; fails with {@code what} on timeout. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
