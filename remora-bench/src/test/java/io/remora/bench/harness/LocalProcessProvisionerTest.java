package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pre-executor processes started and stopped by the local provisioner (they point at a port
 * nobody listens on and keep retrying: only their lifecycle is under test). Bounded; all stopped.
 */
class LocalProcessProvisionerTest {
    @Test
    @Timeout(120)
    void shouldStartMoreAndEvictTheNewestFirst(@TempDir Path logs) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        byte[] secret = "provisioner-test-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
        try (LocalProcessProvisioner p = new LocalProcessProvisioner("127.0.0.1", port, secret, 1, logs)) {
            p.start(2);
            assertEquals(2, p.running());
            p.start(1);
            List<PreExecutorProcesses.Child> all = p.children();
            assertEquals(List.of("pre-1", "pre-2", "pre-3"), all.stream().map(PreExecutorProcesses.Child::nodeId).toList());
            assertEquals(3, p.running());
            p.stop(1, Duration.ofSeconds(20));
            assertEquals(2, p.running(), "the evicted one no longer counts, even while it drains");
            assertTrue(all.get(2).process().waitFor(30, TimeUnit.SECONDS), "pre-3 exited after its eviction notice");
            assertTrue(all.get(0).process().isAlive() && all.get(1).process().isAlive());
            p.close();
            for (PreExecutorProcesses.Child c : all) {
                assertFalse(c.process().isAlive(), c.nodeId() + " outlived close()");
            }
            assertEquals(0, p.running());
        }
    }
}
