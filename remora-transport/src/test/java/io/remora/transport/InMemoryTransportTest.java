package io.remora.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.transport.internal.RecordingListener;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryTransportTest {
    private final InMemoryTransport net = new InMemoryTransport();
    private final RecordingListener serverEvents = new RecordingListener();
    private final RecordingListener clientEvents = new RecordingListener();

    private TransportServer server() {
        return net.bind(TestSupport.config("server").build(), "primary", 0, serverEvents, serverEvents);
    }

    @Test
    void shouldDeliverOnlyWhenPendingWorkIsRun() throws InterruptedException {
        try (TransportServer server = server();
             TransportClient client = net.connect(TestSupport.config("c").build(), "primary", server.port(),
                 clientEvents, clientEvents)) {
            assertTrue(client.connection().isEmpty());
            Connection c = client.awaitConnection(Duration.ZERO).orElseThrow();
            assertEquals("server", c.remoteNodeId());
            assertEquals(SendResult.SENT, c.send(20, new byte[] {1, 2}, Priority.RELIABLE));
            assertTrue(serverEvents.messages.isEmpty());
            net.runPending();
            assertArrayEquals(new byte[] {1, 2}, serverEvents.messages.get(0).payload());
            assertEquals("c", server.connections().iterator().next().remoteNodeId());
            assertThrows(IllegalArgumentException.class, () -> c.send(5, new byte[0], Priority.RELIABLE));
        }
    }

    @Test
    void shouldHandEveryEventToTheDispatcherWhichMayRepeatOrDropIt() throws InterruptedException {
        java.util.List<InMemoryTransport.Delivery> seen = new java.util.ArrayList<>();
        java.util.ArrayDeque<Runnable> later = new java.util.ArrayDeque<>();
        InMemoryTransport sim = new InMemoryTransport(d -> {
            seen.add(d);
            if (d.kind() == InMemoryTransport.Kind.MESSAGE && d.type() == 21) {
                return; // dropped
            }
            later.add(d.run());
            if (d.kind() == InMemoryTransport.Kind.MESSAGE) {
                later.add(d.run()); // delivered twice
            }
        });
        try (TransportServer server = sim.bind(TestSupport.config("server").build(), "primary", 0, serverEvents,
                serverEvents);
             TransportClient client = sim.connect(TestSupport.config("c").build(), "primary", server.port(),
                 clientEvents, clientEvents)) {
            assertEquals(InMemoryTransport.Kind.CONNECT, seen.get(0).kind());
            assertEquals("c", seen.get(0).from());
            while (!later.isEmpty()) {
                later.poll().run();
            }
            Connection c = client.connection().orElseThrow();
            c.send(20, new byte[] {7}, Priority.RELIABLE);
            c.send(21, new byte[] {8}, Priority.RELIABLE);
            assertEquals(0, sim.runPending(), "the dispatcher holds the queue");
            while (!later.isEmpty()) {
                later.poll().run();
            }
            assertEquals(2, serverEvents.messages.size(), "type 20 twice, type 21 never");
            assertTrue(serverEvents.messages.stream().allMatch(m -> m.type() == 20));
            InMemoryTransport.Delivery msg = seen.get(seen.size() - 1);
            assertEquals("c", msg.from());
            assertEquals("server", msg.to());
            // links hash by creation order: the client's end of the first link, then the server's
            assertEquals(0, c.hashCode());
            assertEquals(Set.of(1), Set.of(server.connections().iterator().next().hashCode()));
        }
    }

    @Test
    void shouldDropSpeculativeOnlyWhenAsked() throws InterruptedException {
        try (TransportServer server = server();
             TransportClient client = net.connect(TestSupport.config("c").build(), "primary", server.port(),
                 clientEvents, clientEvents)) {
            Connection c = client.awaitConnection(Duration.ZERO).orElseThrow();
            net.dropSpeculative(true);
            assertEquals(SendResult.DROPPED_BACKPRESSURE, c.send(20, new byte[1], Priority.SPECULATIVE));
            assertEquals(SendResult.SENT, c.send(21, new byte[1], Priority.RELIABLE));
            net.runPending();
            assertEquals(1, serverEvents.messages.size());
            assertEquals(21, serverEvents.messages.get(0).type());
            assertEquals(1, net.metrics().speculativeDrops());
        }
    }

    @Test
    void shouldLoseInFlightMessagesOnSimulatedDisconnectAndReconnect() throws InterruptedException {
        try (TransportServer server = server();
             TransportClient client = net.connect(TestSupport.config("c").build(), "primary", server.port(),
                 clientEvents, clientEvents)) {
            Connection first = client.awaitConnection(Duration.ZERO).orElseThrow();
            first.send(20, new byte[1], Priority.RELIABLE);
            net.disconnect("c");
            assertEquals(SendResult.CLOSED, first.send(20, new byte[1], Priority.RELIABLE));
            net.runPending();
            assertTrue(serverEvents.messages.isEmpty());
            assertEquals(ProtocolException.Category.IO_ERROR, clientEvents.disconnects.get(0).category());
            Connection second = client.connection().orElseThrow();
            assertTrue(second != first && second.isOpen());
            assertEquals(1, net.metrics().reconnects());
            assertEquals(2, serverEvents.connected.size());
        }
    }

    @Test
    void shouldReconnectWhenServerComesBack() throws InterruptedException {
        TransportServer server = server();
        int port = server.port();
        try (TransportClient client = net.connect(TestSupport.config("c").build(), "primary", port,
            clientEvents, clientEvents)) {
            net.runPending();
            server.close();
            net.runPending();
            assertTrue(client.connection().isEmpty());
            assertEquals(1, clientEvents.disconnectCount);
            try (TransportServer again = net.bind(TestSupport.config("server").build(), "primary", port,
                serverEvents, serverEvents)) {
                net.runPending();
                assertTrue(client.connection().isPresent());
                assertEquals(1, again.connections().size());
            }
        }
    }

    @Test
    void shouldNeverConnectWithWrongSecret() throws InterruptedException {
        try (TransportServer server = server();
             TransportClient client = net.connect(TestSupport.config("c").clusterSecret(TestSupport.WRONG_SECRET)
                 .build(), "primary", server.port(), clientEvents, clientEvents)) {
            net.runPending();
            assertTrue(client.connection().isEmpty());
            assertEquals(1, net.metrics().authFailures());
            assertTrue(serverEvents.connected.isEmpty());
        }
    }

    @Test
    void shouldDeliverHeartbeatPayloads() throws InterruptedException {
        try (TransportServer server = server();
             TransportClient client = net.connect(TestSupport.config("c").heartbeatPayload(() -> new byte[] {9})
                 .build(), "primary", server.port(), clientEvents, clientEvents)) {
            client.awaitConnection(Duration.ZERO).orElseThrow();
            net.heartbeat();
            net.runPending();
            assertArrayEquals(new byte[] {9}, serverEvents.heartbeats.get(0));
            assertEquals(1, clientEvents.heartbeats.size());
        }
    }
}
