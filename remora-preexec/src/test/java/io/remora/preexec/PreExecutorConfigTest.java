package io.remora.preexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PreExecutorConfigTest {
    private static PreExecutor.Builder valid() {
        return PreExecutor.builder().nodeId("pre-1").primary("127.0.0.1", 7700).clusterSecret(FakePrimary.SECRET);
    }

    @Test
    void shouldNameTheFirstBadSetting() {
        assertMessage("nodeId=null", () -> valid().nodeId(null).build());
        assertMessage("primaryPort=70000", () -> valid().primary("h", 70000).build());
        assertMessage("clusterSecret=<3 bytes>", () -> valid().clusterSecret(new byte[3]).build());
        assertMessage("workerThreads=0", () -> valid().workerThreads(0).build());
        assertMessage("parkTimeout=PT0S", () -> valid().parkTimeout(Duration.ZERO).build());
        assertMessage("stateUpdateMaxBatch=0", () -> valid().stateUpdateBatching(Duration.ZERO, 0).build());
        assertMessage("maxQueuedTransactions=0", () -> valid().maxQueuedTransactions(0).build());
        assertMessage("heartbeatInterval=PT0.0005S", () -> valid().heartbeatInterval(Duration.ofNanos(500_000)).build());
        assertMessage("heartbeatInterval=PT2H", () -> valid().heartbeatInterval(Duration.ofHours(2)).build());
        assertMessage("sendLinger=PT0.002S", () -> valid().sendLinger(Duration.ofMillis(2)).build());
        assertMessage("sendLinger=null", () -> valid().sendLinger(null).build());
        valid().build().close();
    }

    @Test
    void shouldParseTheCommandLine() {
        PreExecutor px = PreExecutorMain.parse(new String[] {"--primary", "10.0.0.1:7700", "--node-id", "p",
            "--threads", "3", "--park-timeout-ms", "20", "--send-linger-us", "200"}, "an-env-secret-of-enough-bytes").build();
        assertEquals("p", px.nodeId());
        assertTrue(px.toString().contains("10.0.0.1:7700"));
        px.close();
        assertMessage("--primary is required", () -> PreExecutorMain.parse(new String[] {"--node-id", "p"}, "x"));
        assertMessage("--threads=x", () -> PreExecutorMain.parse(new String[] {"--threads", "x"}, "x"));
        assertMessage("sendLinger=PT0.005S", () -> PreExecutorMain.parse(new String[] {"--primary", "h:1", "--node-id", "p",
            "--send-linger-us", "5000"}, "an-env-secret-of-enough-bytes").build());
        assertMessage("--lazy-join=yes (expected: on or off)", () -> PreExecutorMain.parse(new String[] {"--primary", "h:1",
            "--node-id", "p", "--lazy-join", "yes"}, "an-env-secret-of-enough-bytes"));
        PreExecutorMain.parse(new String[] {"--primary", "h:1", "--node-id", "p", "--lazy-join", "off"},
            "an-env-secret-of-enough-bytes").build().close();
        assertMessage("nodeKey=null", () -> PreExecutorMain.parse(
                new String[] {"--primary", "h:1", "--node-id", "p"}, null).build());
        String key = java.util.HexFormat.of().formatHex(io.remora.transport.TransportConfig.deriveNodeKey(
                FakePrimary.SECRET, "p"));
        PreExecutorMain.parse(new String[] {"--primary", "h:1", "--node-id", "p"}, null, key, nothing()).build().close();
        assertMessage(PreExecutorMain.KEY_ENV, () -> PreExecutorMain.parse(
                new String[] {"--primary", "h:1", "--node-id", "p"}, null, "not-hex", nothing()));
        // The key as the first line of standard input (what a launcher on the same machine uses);
        // --exit-on-stdin-eof takes no value and is accepted anywhere.
        PreExecutor fromStdin = PreExecutorMain.parse(new String[] {PreExecutorMain.EXIT_ON_EOF, "--primary", "h:1",
            "--node-id", "p", PreExecutorMain.KEY_STDIN}, null, null, lines(key + "\nignored\n")).build();
        assertEquals("p", fromStdin.nodeId());
        fromStdin.close();
        assertMessage(PreExecutorMain.KEY_STDIN, () -> PreExecutorMain.parse(
                new String[] {"--primary", "h:1", "--node-id", "p", PreExecutorMain.KEY_STDIN}, null, null, nothing()));
        assertMessage(PreExecutorMain.KEY_STDIN, () -> PreExecutorMain.parse(
                new String[] {"--primary", "h:1", "--node-id", "p", PreExecutorMain.KEY_STDIN}, null, null,
                lines("a".repeat(5000))));
    }

    @Test
    void shouldReturnWhenStandardInputEndsOrBreaks() throws Exception {
        java.io.PipedOutputStream launcher = new java.io.PipedOutputStream();
        java.io.PipedInputStream stdin = new java.io.PipedInputStream(launcher);
        java.util.concurrent.CompletableFuture<Void> ended =
                java.util.concurrent.CompletableFuture.runAsync(() -> PreExecutorMain.awaitEndOfInput(stdin));
        launcher.write("anything the launcher says is ignored\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        launcher.flush();
        Thread.sleep(50);
        assertTrue(!ended.isDone(), "returned before the end of input");
        launcher.close();
        ended.get(10, java.util.concurrent.TimeUnit.SECONDS);
        PreExecutorMain.awaitEndOfInput(new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("broken pipe");
            }
        });
    }

    private static java.io.InputStream nothing() {
        return java.io.InputStream.nullInputStream();
    }

    private static java.io.InputStream lines(String s) {
        return new java.io.ByteArrayInputStream(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void shouldParseTheMetricsOptions() {
        String[] base = {"--primary", "10.0.0.1:7700", "--node-id", "p", "--metrics-port", "9401"};
        PreExecutorMain.parse(base, "an-env-secret-of-enough-bytes").build(); // the builder ignores them
        java.net.InetSocketAddress a = PreExecutorMain.metricsAddress(base);
        assertEquals(9401, a.getPort());
        assertTrue(a.getAddress().isLoopbackAddress(), "loopback unless --metrics-host says otherwise");
        assertEquals(null, PreExecutorMain.metricsAddress(new String[] {"--primary", "h:1"}));
        assertEquals("127.0.0.1", PreExecutorMain.metricsAddress(new String[] {"--metrics-port", "0",
            "--metrics-host", "127.0.0.1"}).getAddress().getHostAddress());
        assertMessage("--metrics-port=70000", () -> PreExecutorMain.metricsAddress(new String[] {"--metrics-port", "70000"}));
        assertMessage("--metrics-port=x", () -> PreExecutorMain.metricsAddress(new String[] {"--metrics-port", "x"}));
        assertMessage("--metrics-host=h", () -> PreExecutorMain.metricsAddress(new String[] {"--metrics-host", "h"}));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(start), x.getMessage());
    }
}
