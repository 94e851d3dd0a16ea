package io.remora.transport;

import static io.remora.transport.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.transport.internal.RecordingListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batched sends over a real loopback connection: the sends of several threads keep each thread's
 * order (against heartbeats and the CLOSE frame too), and back-pressure keeps its meaning. Payload
 * sizes are drawn from a printed seed ({@code -Dremora.seed=N} replays one).
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SendBatchingLoopbackTest {
    private static final String HOST = "127.0.0.1";
    private static final int THREADS = 4;
    private static final int PER_THREAD = 2_500;
    private final Transport transport = Transport.netty();
    @AutoClose
    private final Tracked opened = new Tracked();

    private static long seed() {
        long seed = Long.getLong("remora.seed", System.nanoTime());
        System.out.println("SendBatchingLoopbackTest seed=" + seed + " (replay: -Dremora.seed=" + seed + ")");
        return seed;
    }

    /** Receives (thread, seq) messages and heartbeats carrying (thread, seq): checks the order of both. */
    private static final class OrderCheck extends RecordingListener {
        final int[] next = new int[THREADS];
        final AtomicInteger outOfOrder = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger heartbeatsChecked = new AtomicInteger();
        volatile int receivedAtFirstDisconnect = -1;
        volatile boolean firstDisconnectOrderly;

        @Override
        public void onMessage(Connection connection, int type, ByteBuffer payload) {
            int thread = payload.get(0);
            int seq = payload.getInt(1);
            if (seq != next[thread]) {
                outOfOrder.incrementAndGet();
            }
            next[thread] = seq + 1;
            received.incrementAndGet();
        }

        @Override
        public void onHeartbeat(Connection connection, ByteBuffer payload) {
            if (payload.capacity() == 5) {
                // a heartbeat sent after message seq of that thread: that message is here already
                if (next[payload.get(0)] <= payload.getInt(1)) {
                    outOfOrder.incrementAndGet();
                }
                heartbeatsChecked.incrementAndGet();
            }
        }

        @Override
        public void onDisconnected(Connection connection, ProtocolException cause) {
            if (receivedAtFirstDisconnect < 0) {
                firstDisconnectOrderly = cause == null;
                receivedAtFirstDisconnect = received.get();
            }
            super.onDisconnected(connection, cause);
        }
    }

    @ParameterizedTest(name = "sendLinger={0} µs")
    @ValueSource(longs = {0, 200})
    void shouldKeepEachThreadsOrderAgainstHeartbeatsAndClose(long lingerMicros) throws Exception {
        long seed = seed();
        OrderCheck serverEvents = new OrderCheck();
        // The server sends no heartbeat during the test: a socket closed with inbound bytes unread is
        // reset by the kernel (RST), which discards what it still had to send, CLOSE included.
        TransportServer server = opened.track(transport.bind(TestSupport.config("server").heartbeatInterval(Duration.ofHours(1))
            .build(), HOST, 0, serverEvents, serverEvents));
        // The heartbeat payload is the (thread, seq) its sender last sent; a periodic heartbeat reads it too.
        ThreadLocal<byte[]> lastSent = ThreadLocal.withInitial(() -> new byte[0]);
        TransportClient client = opened.track(transport.connect(TestSupport.config("c")
            .sendLinger(Duration.ofNanos(lingerMicros * 1000)).heartbeatPayload(lastSent::get).build(),
            HOST, server.port(), new RecordingListener(), new RecordingListener()));
        Connection conn = client.awaitConnection(Duration.ofSeconds(10)).orElseThrow();
        List<Thread> senders = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            byte thread = (byte) t;
            senders.add(Thread.ofPlatform().name("sender-" + t).start(() -> {
                for (int seq = 0; seq < PER_THREAD; seq++) {
                    byte[] body = new byte[5 + random.nextInt(600)];
                    ByteBuffer.wrap(body).put(thread).putInt(seq);
                    SendResult r = conn.send(20, body, Priority.RELIABLE);
                    if (r != SendResult.SENT && r != SendResult.QUEUED) {
                        failures.incrementAndGet();
                    }
                    if (random.nextInt(100) == 0) {
                        lastSent.set(ByteBuffer.allocate(5).put(thread).putInt(seq).array());
                        conn.heartbeatNow();
                    }
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        conn.close(); // CLOSE after everything: the server has it all when it sees the orderly close
        int total = THREADS * PER_THREAD;
        await("orderly disconnect seen", () -> serverEvents.receivedAtFirstDisconnect >= 0);
        assertEquals(0, failures.get(), "no reliable send refused");
        assertTrue(serverEvents.firstDisconnectOrderly, () -> "closed with CLOSE, not lost: " + serverEvents.disconnects
            + " server " + server.metrics() + " client " + client.metrics());
        assertEquals(total, serverEvents.receivedAtFirstDisconnect, "everything sent before close arrived before it");
        assertEquals(0, serverEvents.outOfOrder.get(), "per-thread order, heartbeats after what preceded them");
        assertTrue(serverEvents.heartbeatsChecked.get() > 0);
        assertEquals(0, server.metrics().protocolErrors());
        TransportMetrics m = client.metrics();
        assertTrue(m.sendBatchFrames() >= total, m::toString);
        assertTrue(m.sendBatches() >= 1 && m.sendBatches() <= m.sendBatchFrames(), m::toString);
    }

    /** A server whose only I/O thread stalls on message type 29 until released. */
    private static final class Stalling extends RecordingListener {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong speculativeReceived = new AtomicLong();

        @Override
        public void onMessage(Connection connection, int type, ByteBuffer payload) {
            if (type == 29) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (type == 30) {
                speculativeReceived.incrementAndGet();
            }
            super.onMessage(connection, type, payload);
        }
    }

    @Test
    void shouldDropSpeculativeFromManyThreadsAndDeliverEveryOneSent() throws Exception {
        Stalling serverEvents = new Stalling();
        TransportServer server = opened.track(transport.bind(TestSupport.config("server").missedHeartbeats(100).build(),
            HOST, 0, serverEvents, serverEvents));
        TransportClient c = opened.track(transport.connect(TestSupport.config("c").missedHeartbeats(100)
            .writeBufferWaterMarks(32 * 1024, 64 * 1024).build(), HOST, server.port(), new RecordingListener(),
            new RecordingListener()));
        Connection conn = c.awaitConnection(Duration.ofSeconds(10)).orElseThrow();
        conn.send(29, new byte[0], Priority.RELIABLE);
        AtomicLong sent = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        AtomicInteger unexpected = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            senders.add(Thread.ofPlatform().start(() -> {
                byte[] chunk = new byte[4096];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int drops = 0;
                while (drops < 3 && System.nanoTime() < deadline) {
                    SendResult r = conn.send(30, chunk, Priority.SPECULATIVE);
                    if (r == SendResult.SENT) {
                        sent.incrementAndGet();
                    } else if (r == SendResult.DROPPED_BACKPRESSURE) {
                        dropped.incrementAndGet();
                        drops++;
                    } else {
                        unexpected.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        assertEquals(0, unexpected.get());
        assertEquals(THREADS * 3L, dropped.get(), "every thread saw its drops");
        assertEquals(dropped.get(), c.metrics().speculativeDrops(), "every drop counted");
        assertFalse(conn.isWritable());
        serverEvents.release.countDown();
        await("every speculative send that was SENT arrives", () -> serverEvents.speculativeReceived.get() == sent.get());
        await("writable again once drained", conn::isWritable);
        assertEquals(0, server.metrics().protocolErrors());
    }

    @Test
    void shouldCloseASlowConsumerPastTheReliableLimitFromAnyThread() throws Exception {
        Stalling serverEvents = new Stalling();
        TransportServer server = opened.track(transport.bind(TestSupport.config("server").missedHeartbeats(100).build(),
            HOST, 0, serverEvents, serverEvents));
        RecordingListener clientEvents = new RecordingListener();
        TransportClient c = opened.track(transport.connect(TestSupport.config("c").missedHeartbeats(100)
            .writeBufferWaterMarks(32 * 1024, 64 * 1024).reliableQueueLimitBytes(512 * 1024).build(), HOST,
            server.port(), clientEvents, clientEvents));
        Connection conn = c.awaitConnection(Duration.ofSeconds(10)).orElseThrow();
        conn.send(29, new byte[0], Priority.RELIABLE);
        AtomicInteger closedSeen = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            senders.add(Thread.ofPlatform().start(() -> {
                byte[] chunk = new byte[8192];
                for (int i = 0; i < 16_384; i++) { // at most 128 MiB per thread: far past the socket buffers
                    SendResult r = conn.send(31, chunk, Priority.RELIABLE);
                    if (r == SendResult.CLOSED) {
                        closedSeen.incrementAndGet();
                        return;
                    }
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        assertEquals(THREADS, closedSeen.get(), "every sender ends on CLOSED");
        await("closed as a slow consumer", () -> c.metrics().protocolErrors(ProtocolException.Category.SLOW_CONSUMER) == 1);
        await("the client sees the disconnect", () -> clientEvents.disconnectCount >= 1);
        assertEquals(ProtocolException.Category.SLOW_CONSUMER, clientEvents.disconnects.get(0).category());
        assertEquals(SendResult.CLOSED, conn.send(31, new byte[1], Priority.RELIABLE));
        serverEvents.release.countDown();
    }
}
