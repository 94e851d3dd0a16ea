package io.remora.transport;

import static io.remora.transport.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.transport.internal.RecordingListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TCP on 127.0.0.1 with port 0; every test is bounded in time and closes what it opened. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NettyTransportLoopbackTest {
    private static final String HOST = "127.0.0.1";
    private final Transport transport = Transport.netty();
    @AutoClose
    private final Tracked opened = new Tracked();

    private TransportServer server(RecordingListener events, int port) {
        return opened.track(transport.bind(TestSupport.config("server").build(), HOST, port, events, events));
    }

    private TransportClient client(String id, TransportConfig.Builder config, int port, RecordingListener events) {
        return opened.track(transport.connect(config.nodeId(id).build(), HOST, port, events, events));
    }

    private static Connection connected(TransportClient c) throws InterruptedException {
        return c.awaitConnection(Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("not connected"));
    }

    @Test
    void shouldExchangeMessagesBetweenServerAndTwoClients() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        TransportServer server = server(serverEvents, 0);
        assertNotEquals(0, server.port());
        RecordingListener aEvents = new RecordingListener();
        RecordingListener bEvents = new RecordingListener();
        TransportClient a = client("a", TestSupport.config("a"), server.port(), aEvents);
        TransportClient b = client("b", TestSupport.config("b"), server.port(), bEvents);
        connected(a).send(20, new byte[] {1}, Priority.RELIABLE);
        connected(b).send(21, new byte[] {2}, Priority.SPECULATIVE);
        await("server got both", () -> serverEvents.messages.size() == 2);
        await("server lists both", () -> server.connections().size() == 2);
        for (Connection c : server.connections()) {
            assertEquals(SendResult.SENT, c.send(30, c.remoteNodeId().getBytes(), Priority.RELIABLE));
        }
        await("clients got replies", () -> aEvents.messages.size() == 1 && bEvents.messages.size() == 1);
        assertEquals("a", new String(aEvents.messages.get(0).payload()));
        assertEquals("b", new String(bEvents.messages.get(0).payload()));
        assertEquals(0, server.metrics().protocolErrors());
    }

    @Test
    void shouldRejectClientWithWrongSecret() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        TransportServer server = server(serverEvents, 0);
        RecordingListener badEvents = new RecordingListener();
        TransportClient bad = client("intruder", TestSupport.config("x").clusterSecret(TestSupport.WRONG_SECRET),
            server.port(), badEvents);
        await("client detects the failed handshake", () -> bad.metrics().authFailures() >= 1);
        assertTrue(bad.connection().isEmpty());
        assertEquals(SendResult.CLOSED, bad.send(20, new byte[] {1}, Priority.RELIABLE));
        assertTrue(serverEvents.connected.isEmpty());
        assertTrue(serverEvents.messages.isEmpty());
        assertTrue(badEvents.connected.isEmpty());
    }

    @Test
    void shouldCloseGarbageAndOversizedSendersWhileServingOthers() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        TransportServer server = server(serverEvents, 0);
        TransportClient good = client("good", TestSupport.config("good"), server.port(), new RecordingListener());
        Connection conn = connected(good);
        byte[] garbage = {0, 0, 0, 8, 9, 9, 9, 9, 9, 9, 9, 9};
        byte[] oversized = ByteBuffer.allocate(8).putInt(64 * 1024 * 1024).put(new byte[] {1, 20, 0, 0}).array();
        for (byte[] evil : List.of(garbage, oversized)) {
            try (Socket s = new Socket(HOST, server.port())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(evil);
                out.flush();
                InputStream in = s.getInputStream();
                assertEquals(-1, in.read(), "server closes the connection");
            }
        }
        await("errors counted", () -> server.metrics().protocolErrors(ProtocolException.Category.BAD_VERSION) == 1
            && server.metrics().protocolErrors(ProtocolException.Category.FRAME_TOO_LARGE) == 1);
        assertEquals(SendResult.SENT, conn.send(20, new byte[] {5}, Priority.RELIABLE));
        await("good client still served", () -> serverEvents.messages.size() == 1);
        assertTrue(conn.isOpen());
    }

    @Test
    void shouldReconnectAfterServerRestart() throws Exception {
        RecordingListener first = new RecordingListener();
        TransportServer server = transport.bind(TestSupport.config("server").build(), HOST, 0, first, first);
        int port = server.port();
        RecordingListener clientEvents = new RecordingListener();
        TransportClient c = client("c", TestSupport.config("c"), port, clientEvents);
        Connection before = connected(c);
        server.close();
        await("client sees the disconnect", () -> clientEvents.disconnectCount == 1);
        RecordingListener second = new RecordingListener();
        server(second, port);
        await("client reconnects", () -> c.connection().isPresent() && c.connection().get() != before);
        assertTrue(c.metrics().reconnects() >= 1);
        assertEquals(SendResult.SENT, c.send(20, new byte[] {1}, Priority.RELIABLE));
        await("new server receives", () -> second.messages.size() == 1);
    }

    @Test
    void shouldDropSpeculativeButDeliverAllReliableWhenPeerDoesNotRead() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener serverEvents = new RecordingListener() {
            @Override
            public void onMessage(Connection connection, int type, java.nio.ByteBuffer payload) {
                if (type == 29) {
                    try {
                        release.await(20, TimeUnit.SECONDS); // stalls the server's only I/O thread
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.onMessage(connection, type, payload);
            }
        };
        TransportServer server = opened.track(transport.bind(TestSupport.config("server").missedHeartbeats(100).build(),
            HOST, 0, serverEvents, serverEvents));
        TransportClient c = client("c", TestSupport.config("c").missedHeartbeats(100)
            .writeBufferWaterMarks(32 * 1024, 64 * 1024), server.port(), new RecordingListener());
        Connection conn = connected(c);
        conn.send(29, new byte[0], Priority.RELIABLE);
        byte[] chunk = new byte[64 * 1024];
        int speculativeSent = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        SendResult r;
        while ((r = conn.send(30, chunk, Priority.SPECULATIVE)) != SendResult.DROPPED_BACKPRESSURE) {
            assertEquals(SendResult.SENT, r);
            speculativeSent++;
            assertTrue(System.nanoTime() < deadline, "never became unwritable");
            if (speculativeSent % 16 == 0) {
                Thread.sleep(1);
            }
        }
        assertTrue(c.metrics().speculativeDrops() >= 1);
        int reliable = 40;
        for (int i = 0; i < reliable; i++) {
            byte[] body = new byte[16 * 1024];
            body[0] = (byte) i;
            r = conn.send(31, body, Priority.RELIABLE);
            assertTrue(r == SendResult.QUEUED || r == SendResult.SENT, "reliable never dropped: " + r);
        }
        release.countDown();
        int expectedSpeculative = speculativeSent;
        await("all reliable delivered", () -> serverEvents.messages.stream().filter(m -> m.type() == 31).count()
            == reliable);
        List<RecordingListener.Message> got = serverEvents.messages.stream().filter(m -> m.type() == 31).toList();
        for (int i = 0; i < reliable; i++) {
            assertEquals((byte) i, got.get(i).payload()[0], "in order");
        }
        assertEquals(expectedSpeculative, serverEvents.messages.stream().filter(m -> m.type() == 30).count());
        assertTrue(conn.isOpen());
    }

    /**
     * Unauthenticated peers are bounded: past {@code maxPendingHandshakes} a connection is closed at
     * once, and once the squatters go, an authenticated client connects. (A frame announced larger
     * than {@code preAuthMaxFrameSize}: {@code FrameProtectionTest}.)
     */
    @Test
    void shouldBoundUnauthenticatedConnections() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        TransportServer server = opened.track(transport.bind(TestSupport.config("server").maxPendingHandshakes(4)
            .handshakeTimeout(Duration.ofSeconds(30)).build(), HOST, 0, serverEvents, serverEvents));
        List<Socket> squatters = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Socket s = new Socket(HOST, server.port());
                s.setSoTimeout(5000);
                squatters.add(s);
            }
            await("refused past the limit", () -> server.metrics()
                .protocolErrors(ProtocolException.Category.HANDSHAKE_LIMIT) >= 6);
            int closed = 0;
            for (Socket s : squatters) {
                s.setSoTimeout(200);
                try {
                    if (s.getInputStream().read() < 0) {
                        closed++;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // one of the 4 allowed to wait
                }
            }
            assertEquals(6, closed, "exactly the connections past the limit were closed");
        } finally {
            for (Socket s : squatters) {
                s.close();
            }
        }
        RecordingListener events = new RecordingListener();
        connected(client("good", TestSupport.config("good"), server.port(), events));
        await("the honest client is served", () -> serverEvents.connected.size() == 1);
    }
}
