package io.remora.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.remora.transport.Connection;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.SendResult;
import io.remora.transport.TestSupport;
import io.remora.transport.TransportConfig;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Handshake, heartbeat and connection handlers on EmbeddedChannels with virtual time. */
class PipelineTest {
    private final MetricsCounters clientMetrics = new MetricsCounters();
    private final MetricsCounters serverMetrics = new MetricsCounters();
    private final RecordingListener clientEvents = new RecordingListener();
    private final RecordingListener serverEvents = new RecordingListener();
    private EmbeddedChannel client;
    private EmbeddedChannel server;

    /** A pipeline as a real connection gets it, on an EmbeddedChannel with frozen time (FrameProtectionTest too). */
    static EmbeddedChannel channel(HandshakeHandler.Role role, TransportConfig config, MetricsCounters m,
                                   RecordingListener events) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new TransportChannelInitializer(role, config, m, new SecureRandom(), events, events));
        ch.pipeline().fireChannelActive();
        return ch;
    }

    private void start(TransportConfig clientConfig, TransportConfig serverConfig) {
        server = channel(HandshakeHandler.Role.SERVER, serverConfig, serverMetrics, serverEvents);
        client = channel(HandshakeHandler.Role.CLIENT, clientConfig, clientMetrics, clientEvents);
    }

    /** Moves frames both ways until neither side has anything to send. */
    private void pump() {
        boolean moved = true;
        while (moved) {
            moved = transfer(client, server) | transfer(server, client);
        }
    }

    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to) {
        from.runPendingTasks();
        boolean moved = false;
        for (Object o; (o = from.readOutbound()) != null; ) {
            moved = true;
            if (to.isActive()) {
                to.writeInbound(o);
            } else {
                ((ByteBuf) o).release();
            }
        }
        return moved;
    }

    @AfterEach
    void closeAll() {
        for (EmbeddedChannel ch : new EmbeddedChannel[] {client, server}) {
            if (ch != null) {
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void shouldAuthenticateBothSidesAndExchangeMessages() {
        start(TestSupport.config("client-1").build(), TestSupport.config("server").build());
        pump();
        assertEquals(1, serverEvents.connected.size());
        assertEquals(1, clientEvents.connected.size());
        Connection c = clientEvents.connected.get(0);
        assertEquals("server", c.remoteNodeId());
        assertEquals("client-1", serverEvents.connected.get(0).remoteNodeId());
        assertEquals(SendResult.SENT, c.send(20, new byte[] {7, 8}, Priority.RELIABLE));
        pump();
        assertEquals(1, serverEvents.messages.size());
        assertEquals(20, serverEvents.messages.get(0).type());
        assertArrayEquals(new byte[] {7, 8}, serverEvents.messages.get(0).payload());
        assertNull(server.pipeline().get(HandshakeHandler.class));
    }

    @Test
    void shouldRejectServerWithWrongSecret() {
        start(TestSupport.config("client-1").build(),
            TestSupport.config("server").clusterSecret(TestSupport.WRONG_SECRET).build());
        pump();
        assertFalse(client.isActive());
        assertEquals(1, clientMetrics.protocolErrors(Category.HANDSHAKE_FAILED));
        assertEquals(1, clientMetrics.authFailures());
        assertTrue(serverEvents.connected.isEmpty());
        assertTrue(clientEvents.connected.isEmpty());
    }

    @Test
    void shouldAuthenticateAClientHoldingOnlyItsOwnNodeKey() {
        byte[] key = TransportConfig.deriveNodeKey(TestSupport.SECRET, "pre-1");
        start(TransportConfig.builder().nodeId("pre-1").nodeKey(key).build(), TestSupport.config("server").build());
        pump();
        assertEquals(1, serverEvents.connected.size());
        assertEquals("pre-1", serverEvents.connected.get(0).remoteNodeId());
    }

    /** A pre-executor's key proves its own node id and no other: one machine cannot be several peers. */
    @Test
    void shouldRefuseAClientClaimingAnotherNodeIdWithItsKey() {
        byte[] key = TransportConfig.deriveNodeKey(TestSupport.SECRET, "pre-1");
        start(TransportConfig.builder().nodeId("pre-2").nodeKey(key).build(), TestSupport.config("server").build());
        pump();
        assertTrue(serverEvents.connected.isEmpty());
        assertTrue(clientEvents.connected.isEmpty());
        assertEquals(1, clientMetrics.authFailures() + serverMetrics.authFailures());
    }

    @Test
    void shouldRejectForgedResponse() {
        server = channel(HandshakeHandler.Role.SERVER, TestSupport.config("server").build(), serverMetrics,
            serverEvents);
        ByteBuf hello = FrameCodec.allocateFrame(ByteBufAllocator.DEFAULT, FrameCodec.TYPE_HELLO,
            HandshakeCodec.greetingLength(1, false));
        HandshakeCodec.writeGreeting(hello, new byte[] {'x'}, new byte[32], 200, 1, null);
        server.writeInbound(hello);
        server.runPendingTasks();
        ByteBuf challenge = server.readOutbound();
        assertEquals(FrameCodec.TYPE_CHALLENGE, FrameCodec.type(challenge));
        challenge.release();
        ByteBuf response = FrameCodec.allocateFrame(ByteBufAllocator.DEFAULT, FrameCodec.TYPE_RESPONSE, 32);
        server.writeInbound(response.writeZero(32));
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.authFailures());
        assertTrue(serverEvents.connected.isEmpty());
    }

    @Test
    void shouldDropApplicationMessageBeforeHandshakeAndClose() {
        server = channel(HandshakeHandler.Role.SERVER, TestSupport.config("server").build(), serverMetrics,
            serverEvents);
        server.writeInbound(FrameCodec.encode(ByteBufAllocator.DEFAULT, 20, new byte[] {1}));
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.protocolErrors(Category.UNAUTHENTICATED));
        assertEquals(1, serverMetrics.authFailures());
        assertTrue(serverEvents.messages.isEmpty());
        server.runPendingTasks();
        assertNull(server.readOutbound(), "nothing is sent to an unauthenticated peer");
    }

    @Test
    void shouldCloseWhenHandshakeTimesOut() {
        server = channel(HandshakeHandler.Role.SERVER, TestSupport.config("server").build(), serverMetrics,
            serverEvents);
        server.advanceTimeBy(1, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertTrue(server.isActive());
        server.advanceTimeBy(1, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.protocolErrors(Category.HANDSHAKE_TIMEOUT));
    }

    @Test
    void shouldSendHeartbeatsWithApplicationPayloadAndDetectDeadPeer() {
        byte[] load = {1, 2, 3};
        start(TestSupport.config("client-1").heartbeatPayload(() -> load).missedHeartbeats(3).build(),
            TestSupport.config("server").build());
        pump();
        client.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        pump();
        assertEquals(1, serverEvents.heartbeats.size());
        assertArrayEquals(load, serverEvents.heartbeats.get(0));
        // The server goes silent: the client declares it dead after 3 intervals without a frame.
        for (int i = 0; i < 3; i++) {
            client.advanceTimeBy(200, TimeUnit.MILLISECONDS);
            client.runScheduledPendingTasks();
            drain(client);
        }
        assertFalse(client.isActive());
        assertEquals(1, clientMetrics.protocolErrors(Category.PEER_DEAD));
        assertEquals(Category.PEER_DEAD, clientEvents.disconnects.get(0).category());
    }

    @Test
    void shouldCloseOrderlyWithCloseFrame() {
        start(TestSupport.config("client-1").build(), TestSupport.config("server").build());
        pump();
        clientEvents.connected.get(0).close();
        pump();
        assertFalse(client.isActive());
        assertFalse(server.isActive());
        assertEquals(1, serverEvents.disconnectCount);
        assertTrue(serverEvents.disconnects.isEmpty(), "orderly close has no cause");
        assertEquals(SendResult.CLOSED, clientEvents.connected.get(0).send(20, new byte[1], Priority.RELIABLE));
    }

    @Test
    void shouldDropSpeculativeButQueueReliableWhenNotWritable() {
        start(TestSupport.config("client-1").writeBufferWaterMarks(1024, 2048).reliableQueueLimitBytes(64 * 1024)
            .build(), TestSupport.config("server").build());
        pump();
        client.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1024, 2048));
        Connection c = clientEvents.connected.get(0);
        // Without flushing the outbound buffer, pending bytes grow past the high water mark.
        client.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(io.netty.channel.ChannelHandlerContext ctx) {
            }
        });
        SendResult last = SendResult.SENT;
        int sent = 0;
        while (last == SendResult.SENT && sent < 100) {
            last = c.send(20, new byte[500], Priority.SPECULATIVE);
            sent++;
        }
        assertEquals(SendResult.DROPPED_BACKPRESSURE, last);
        assertEquals(1, clientMetrics.speculativeDrops());
        assertEquals(SendResult.QUEUED, c.send(21, new byte[500], Priority.RELIABLE));
        SendResult r = SendResult.QUEUED;
        for (int i = 0; i < 200 && r == SendResult.QUEUED; i++) {
            r = c.send(21, new byte[1000], Priority.RELIABLE);
        }
        assertEquals(SendResult.CLOSED, r, "past the reliable limit the connection is closed as too slow");
        assertFalse(client.isActive());
        assertEquals(1, clientMetrics.protocolErrors(Category.SLOW_CONSUMER));
    }

    // ---- heartbeat interval negotiation ----

    private static TransportConfig withInterval(String nodeId, long millis) {
        return TestSupport.config(nodeId).heartbeatInterval(Duration.ofMillis(millis)).missedHeartbeats(3).build();
    }

    /** Advances both channels' virtual clocks by {@code millis} in {@code stepMillis} steps, pumping each step. */
    private void run(long millis, long stepMillis) {
        for (long t = 0; t < millis; t += stepMillis) {
            for (EmbeddedChannel ch : new EmbeddedChannel[] {client, server}) {
                ch.advanceTimeBy(stepMillis, TimeUnit.MILLISECONDS);
                ch.runScheduledPendingTasks();
            }
            pump();
        }
    }

    /** Advances one channel's clock while the other side is silent (its outbound is discarded). */
    private static void runAlone(EmbeddedChannel ch, long millis, long stepMillis) {
        for (long t = 0; t < millis; t += stepMillis) {
            ch.advanceTimeBy(stepMillis, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            drain(ch);
        }
    }

    @Test
    void shouldStayConnectedWhenPeersUseDifferentIntervals() {
        // Primary-like side at 200 ms, pre-executor-like side at 1 s, in both roles.
        long[][] cases = {{200, 1000}, {1000, 200}};
        for (long[] c : cases) {
            MetricsCounters cm = new MetricsCounters();
            MetricsCounters sm = new MetricsCounters();
            RecordingListener ce = new RecordingListener();
            RecordingListener se = new RecordingListener();
            server = channel(HandshakeHandler.Role.SERVER, withInterval("server", c[1]), sm, se);
            client = channel(HandshakeHandler.Role.CLIENT, withInterval("client-1", c[0]), cm, ce);
            pump();
            assertEquals(1, ce.connected.size());
            assertEquals(1, se.connected.size());
            run(30_000, 100); // 150 intervals of the short side, 30 of the long one
            assertTrue(client.isActive(), "client " + c[0] + " ms vs server " + c[1] + " ms");
            assertTrue(server.isActive(), "server " + c[1] + " ms vs client " + c[0] + " ms");
            assertEquals(0, cm.protocolErrors());
            assertEquals(0, sm.protocolErrors());
            assertEquals(0, ce.disconnectCount);
            assertEquals(0, se.disconnectCount);
            // Each side keeps sending at its own interval.
            assertEquals(30_000 / c[0], se.heartbeats.size());
            assertEquals(30_000 / c[1], ce.heartbeats.size());
            client.finishAndReleaseAll();
            server.finishAndReleaseAll();
            client = null;
            server = null;
        }
    }

    @Test
    void shouldDeclareSilentSlowerPeerDeadAfterMissedTimesItsInterval() {
        start(withInterval("client-1", 200), withInterval("server", 1000));
        pump();
        assertEquals(1, clientEvents.connected.size());
        // The server (1 s) goes silent: the 200 ms client waits 3 x 1 s, not 3 x 200 ms.
        runAlone(client, 2_800, 100);
        assertTrue(client.isActive(), "still within 3 x max(200 ms, 1 s)");
        assertEquals(0, clientMetrics.protocolErrors(Category.PEER_DEAD));
        runAlone(client, 200, 100);
        assertFalse(client.isActive());
        assertEquals(1, clientMetrics.protocolErrors(Category.PEER_DEAD));
        assertEquals(Category.PEER_DEAD, clientEvents.disconnects.get(0).category());
    }

    @Test
    void shouldDeclareSilentFasterPeerDeadAfterMissedTimesOwnInterval() {
        start(withInterval("client-1", 200), withInterval("server", 1000));
        pump();
        assertEquals(1, serverEvents.connected.size());
        // The client (200 ms) goes silent: the 1 s server still waits 3 x max = 3 s.
        runAlone(server, 2_900, 100);
        assertTrue(server.isActive());
        runAlone(server, 100, 100);
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.protocolErrors(Category.PEER_DEAD));
    }

    @Test
    void shouldFailMacWhenHelloIntervalIsTampered() {
        start(withInterval("client-1", 200), withInterval("server", 1000));
        client.runPendingTasks();
        ByteBuf hello = client.readOutbound();
        assertEquals(FrameCodec.TYPE_HELLO, FrameCodec.type(hello));
        int at = FrameCodec.payloadIndex(hello) + 1 + "client-1".length() + HandshakeCodec.NONCE_LENGTH;
        assertEquals(200, hello.getInt(at));
        hello.setInt(at, 60_000); // in range, so only the MAC can catch it
        server.writeInbound(hello);
        pump();
        assertFalse(client.isActive());
        assertEquals(1, clientMetrics.protocolErrors(Category.HANDSHAKE_FAILED));
        assertEquals(1, clientMetrics.authFailures());
        assertTrue(clientEvents.connected.isEmpty());
        assertTrue(serverEvents.connected.isEmpty());
    }

    @Test
    void shouldFailMacWhenChallengeIntervalIsTampered() {
        start(withInterval("client-1", 200), withInterval("server", 1000));
        transfer(client, server);
        server.runPendingTasks();
        ByteBuf challenge = server.readOutbound();
        assertEquals(FrameCodec.TYPE_CHALLENGE, FrameCodec.type(challenge));
        int at = FrameCodec.payloadIndex(challenge) + 1 + "server".length() + HandshakeCodec.NONCE_LENGTH;
        assertEquals(1000, challenge.getInt(at));
        challenge.setInt(at, 1); // 1 ms: would make the client far less patient
        client.writeInbound(challenge);
        pump();
        assertFalse(client.isActive());
        assertEquals(1, clientMetrics.protocolErrors(Category.HANDSHAKE_FAILED));
        assertEquals(1, clientMetrics.authFailures());
        assertTrue(clientEvents.connected.isEmpty());
        assertTrue(serverEvents.connected.isEmpty());
    }

    @Test
    void shouldRejectOutOfRangeIntervalInHello() {
        for (long bad : new long[] {0, HandshakeCodec.MAX_HEARTBEAT_MILLIS + 1, 0xFFFF_FFFFL}) {
            MetricsCounters m = new MetricsCounters();
            RecordingListener events = new RecordingListener();
            EmbeddedChannel ch = channel(HandshakeHandler.Role.SERVER, withInterval("server", 1000), m, events);
            ByteBuf hello = FrameCodec.allocateFrame(ByteBufAllocator.DEFAULT, FrameCodec.TYPE_HELLO,
                HandshakeCodec.greetingLength(1, false));
            HandshakeCodec.writeGreeting(hello, new byte[] {'x'}, new byte[32], bad, 1, null);
            ch.writeInbound(hello);
            assertFalse(ch.isActive(), "heartbeatMillis=" + bad);
            assertEquals(1, m.protocolErrors(Category.HANDSHAKE_FAILED));
            assertEquals(1, m.authFailures());
            ch.runPendingTasks();
            assertNull(ch.readOutbound(), "no CHALLENGE for heartbeatMillis=" + bad);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void shouldRejectOutOfRangeIntervalInChallengeEvenWithValidMac() {
        client = channel(HandshakeHandler.Role.CLIENT, withInterval("client-1", 200), clientMetrics, clientEvents);
        client.runPendingTasks();
        ByteBuf hello = client.readOutbound();
        HandshakeCodec.Greeting g;
        try {
            g = HandshakeCodec.readGreeting(hello, false);
        } finally {
            hello.release();
        }
        assertEquals(200, g.heartbeatMillis());
        byte[] idS = {'s'};
        byte[] nonceS = new byte[32];
        long bad = HandshakeCodec.MAX_HEARTBEAT_MILLIS + 1;
        byte[] macS = HandshakeCodec.mac(TransportConfig.deriveNodeKey(TestSupport.SECRET, "client-1"),
            HandshakeCodec.ROLE_SERVER, new HandshakeCodec.Transcript(g.nonce(), nonceS, g.nodeId(), idS,
                g.heartbeatMillis(), bad, g.protection(), 1));
        ByteBuf challenge = FrameCodec.allocateFrame(ByteBufAllocator.DEFAULT, FrameCodec.TYPE_CHALLENGE,
            HandshakeCodec.greetingLength(1, true));
        HandshakeCodec.writeGreeting(challenge, idS, nonceS, bad, 1, macS);
        client.writeInbound(challenge);
        assertFalse(client.isActive());
        assertEquals(1, clientMetrics.protocolErrors(Category.HANDSHAKE_FAILED));
        assertTrue(clientEvents.connected.isEmpty());
        client.runPendingTasks();
        assertNull(client.readOutbound(), "no RESPONSE");
    }

    private static void drain(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ((ByteBuf) o).release();
        }
    }
}
