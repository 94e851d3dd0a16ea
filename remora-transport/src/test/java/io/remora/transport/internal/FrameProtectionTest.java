package io.remora.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.remora.transport.Connection;
import io.remora.transport.FrameProtection;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.TestSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-frame protection on EmbeddedChannels: what a relay on the path sees and what it can do. Every
 * alteration, replay, reordering, drop or injection closes the receiving side with the right
 * category, and nothing of it reaches the application.
 */
class FrameProtectionTest {
    private final MetricsCounters clientMetrics = new MetricsCounters();
    private final MetricsCounters serverMetrics = new MetricsCounters();
    private final RecordingListener clientEvents = new RecordingListener();
    private final RecordingListener serverEvents = new RecordingListener();
    private EmbeddedChannel client;
    private EmbeddedChannel server;

    private Connection handshake(FrameProtection clientSide, FrameProtection serverSide) {
        server = PipelineTest.channel(HandshakeHandler.Role.SERVER, TestSupport.config("server").frameProtection(serverSide).build(),
            serverMetrics, serverEvents);
        client = PipelineTest.channel(HandshakeHandler.Role.CLIENT, TestSupport.config("client").frameProtection(clientSide).build(),
            clientMetrics, clientEvents);
        boolean moved = true;
        while (moved) {
            moved = relay(client, server, null) | relay(server, client, null);
        }
        assertEquals(1, clientEvents.connected.size());
        assertEquals(1, serverEvents.connected.size());
        return clientEvents.connected.get(0);
    }

    /** Moves frames from one side to the other, each through {@code tamper} (null: unchanged; it may drop). */
    private static boolean relay(EmbeddedChannel from, EmbeddedChannel to, java.util.function.UnaryOperator<ByteBuf> tamper) {
        from.runPendingTasks();
        boolean moved = false;
        for (Object o; (o = from.readOutbound()) != null; ) {
            moved = true;
            ByteBuf f = (ByteBuf) o;
            ByteBuf out = tamper == null ? f : tamper.apply(f);
            if (out != null && to.isActive()) {
                to.writeInbound(out);
            } else if (out != null) {
                out.release();
            }
        }
        return moved;
    }

    /** The frames the client sent, as raw bytes (consumed from its outbound queue). */
    private List<byte[]> wire() {
        client.runPendingTasks();
        List<byte[]> frames = new ArrayList<>();
        for (Object o; (o = client.readOutbound()) != null; ) {
            ByteBuf f = (ByteBuf) o;
            frames.add(ByteBufUtil.getBytes(f));
            f.release();
        }
        return frames;
    }

    private void deliver(byte[] frame) {
        server.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(frame));
    }

    @AfterEach
    void closeAll() {
        for (EmbeddedChannel ch : new EmbeddedChannel[] {client, server}) {
            if (ch != null) {
                ch.finishAndReleaseAll();
            }
        }
    }

    private static final byte[] SECRET_PAYLOAD = "balance=1000000 owner=alice".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldSealEveryFrameAndEncryptOnlyWhenAsked() {
        for (FrameProtection p : FrameProtection.values()) {
            closeAll();
            clientEvents.connected.clear();
            serverEvents.connected.clear();
            serverEvents.messages.clear();
            Connection c = handshake(p, FrameProtection.NONE);
            c.send(20, SECRET_PAYLOAD, Priority.RELIABLE);
            List<byte[]> frames = new ArrayList<>(wire());
            c.send(21, SECRET_PAYLOAD, Priority.RELIABLE);
            frames.addAll(wire());
            assertEquals(2, frames.size());
            byte[] f = frames.get(1);
            boolean sealed = p != FrameProtection.NONE;
            assertEquals(FrameCodec.HEADER_SIZE + SECRET_PAYLOAD.length + (sealed ? FrameProtector.OVERHEAD : 0), f.length, "" + p);
            if (sealed) {
                assertEquals(FrameCodec.TYPE_SEALED, f[FrameCodec.TYPE_OFFSET], "the type is hidden in the record");
                assertEquals(1, java.nio.ByteBuffer.wrap(f, 8, 8).getLong(), "the second record after the handshake is seq 1");
            }
            boolean readable = indexOf(f, SECRET_PAYLOAD) >= 0;
            assertEquals(p != FrameProtection.ENCRYPTED, readable, p + ": payload readable on the wire");
            frames.forEach(this::deliver);
            assertEquals(2, serverEvents.messages.size(), "" + p);
            assertArrayEquals(SECRET_PAYLOAD, serverEvents.messages.get(1).payload());
        }
    }

    /**
     * Frames written before one (consolidated) flush share a record; one larger than the record
     * limit is sealed alone; the receiver gets every frame, in order, byte for byte. Seeded sizes,
     * 0 to 40 KiB.
     */
    @Test
    void shouldPackTheFramesOfAFlushIntoRecordsAndDeliverThemInOrder() {
        long seed = 0x5EA1EDL;
        System.out.println("FrameProtectionTest.shouldPackTheFramesOfAFlushIntoRecordsAndDeliverThemInOrder seed=" + seed);
        for (FrameProtection p : new FrameProtection[] {FrameProtection.AUTHENTICATED, FrameProtection.ENCRYPTED}) {
            closeAll();
            clientEvents.connected.clear();
            serverEvents.connected.clear();
            serverEvents.messages.clear();
            Connection c = handshake(p, p);
            java.util.Random random = new java.util.Random(seed);
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int size = random.nextInt(20) == 0 ? random.nextInt(40 * 1024) : random.nextInt(600);
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                sent.add(payload);
                // Written as the event loop runs a queue of sends: writes, then the flushes consolidated into one
                // (an EmbeddedChannel runs the flush task at once after Connection.send's writeAndFlush).
                client.pipeline().write(FrameCodec.encode(client.alloc(), 20 + (i % 200), payload));
                client.pipeline().flush();
            }
            List<byte[]> records = wire();
            assertTrue(records.size() > 1 && records.size() < sent.size() / 4,
                p + ": " + records.size() + " records for " + sent.size() + " frames");
            for (byte[] r : records) {
                assertEquals(FrameCodec.TYPE_SEALED, r[FrameCodec.TYPE_OFFSET]);
            }
            records.forEach(this::deliver);
            assertTrue(server.isActive(), "" + p);
            assertEquals(sent.size(), serverEvents.messages.size(), "" + p);
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(20 + (i % 200), serverEvents.messages.get(i).type(), p + " frame " + i);
                assertArrayEquals(sent.get(i), serverEvents.messages.get(i).payload(), p + " frame " + i);
            }
        }
    }

    /** A record whose tag verifies but whose body is not whole frames (a buggy peer with the keys). */
    @Test
    void shouldCloseOnAVerifiedRecordThatIsNotWholeFrames() {
        byte[] keyA = new byte[32];
        byte[] keyB = new byte[32];
        keyA[0] = 1;
        keyB[0] = 2;
        for (FrameProtection p : new FrameProtection[] {FrameProtection.AUTHENTICATED, FrameProtection.ENCRYPTED}) {
            FrameProtector sender = new FrameProtector();
            EmbeddedChannel out = new EmbeddedChannel(sender);
            sender.activate(p, keyA, keyB);
            FrameProtector receiver = new FrameProtector();
            List<Throwable> errors = new ArrayList<>();
            EmbeddedChannel in = new EmbeddedChannel(receiver, new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                    errors.add(cause);
                }
            });
            receiver.activate(p, keyB, keyA);
            out.writeOutbound(io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9, 3, 20, 0, 0, 1}));
            ByteBuf record = out.readOutbound();
            in.writeInbound(record);
            assertEquals(1, errors.size(), "" + p);
            io.remora.transport.ProtocolException e = (io.remora.transport.ProtocolException) errors.get(0);
            assertEquals(Category.MALFORMED, e.category(), "" + p);
            assertTrue(in.inboundMessages().isEmpty(), "nothing of it delivered");
            out.finishAndReleaseAll();
            in.finishAndReleaseAll();
        }
    }

    @Test
    void shouldCompleteTheCloseFramesPromiseThroughARecord() {
        Connection c = handshake(FrameProtection.ENCRYPTED, FrameProtection.ENCRYPTED);
        c.close();
        List<byte[]> records = wire();
        assertEquals(1, records.size());
        assertFalse(client.isActive(), "closed once its CLOSE frame was written");
        records.forEach(this::deliver);
        assertFalse(server.isActive(), "the server read the CLOSE inside the record");
    }

    @Test
    void shouldUseTheStrongerProtectionOfTheTwoSides() {
        Connection c = handshake(FrameProtection.NONE, FrameProtection.ENCRYPTED);
        c.send(20, SECRET_PAYLOAD, Priority.RELIABLE);
        byte[] f = wire().get(0);
        assertEquals(FrameCodec.HEADER_SIZE + SECRET_PAYLOAD.length + FrameProtector.OVERHEAD, f.length);
        assertTrue(indexOf(f, SECRET_PAYLOAD) < 0, "encrypted although the client asked for nothing");
    }

    @Test
    void shouldCloseOnAnAlteredFrame() {
        for (FrameProtection p : new FrameProtection[] {FrameProtection.AUTHENTICATED, FrameProtection.ENCRYPTED}) {
            closeAll();
            serverEvents.connected.clear();
            clientEvents.connected.clear();
            serverEvents.messages.clear();
            MetricsCounters before = serverMetrics;
            long errors = before.protocolErrors(Category.BAD_MAC);
            Connection c = handshake(p, p);
            c.send(20, SECRET_PAYLOAD, Priority.RELIABLE);
            byte[] f = wire().get(0);
            f[FrameProtector.OVERHEAD - FrameProtector.TAG_SIZE + FrameCodec.HEADER_SIZE + 3] ^= 0x01; // a payload bit
            deliver(f);
            assertFalse(server.isActive(), p + ": closed");
            assertEquals(errors + 1, serverMetrics.protocolErrors(Category.BAD_MAC), "" + p);
            assertTrue(serverEvents.messages.isEmpty(), "nothing altered is delivered");
        }
    }

    @Test
    void shouldCloseOnAReplayedFrame() {
        Connection c = handshake(FrameProtection.AUTHENTICATED, FrameProtection.AUTHENTICATED);
        c.send(20, SECRET_PAYLOAD, Priority.RELIABLE);
        byte[] f = wire().get(0);
        deliver(f);
        deliver(f.clone());
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.protocolErrors(Category.SEQUENCE));
        assertEquals(1, serverEvents.messages.size(), "the original only");
    }

    @Test
    void shouldCloseOnADroppedOrReorderedFrame() {
        Connection c = handshake(FrameProtection.ENCRYPTED, FrameProtection.ENCRYPTED);
        c.send(20, SECRET_PAYLOAD, Priority.RELIABLE);
        List<byte[]> frames = new ArrayList<>(wire());
        c.send(21, SECRET_PAYLOAD, Priority.RELIABLE);
        frames.addAll(wire());
        assertEquals(2, frames.size(), "two flushes, two records");
        deliver(frames.get(1)); // the first one dropped (or the two reordered)
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.protocolErrors(Category.SEQUENCE));
        assertTrue(serverEvents.messages.isEmpty());
    }

    @Test
    void shouldCloseOnAFrameInjectedWithoutTheKeys() {
        Connection c = handshake(FrameProtection.AUTHENTICATED, FrameProtection.AUTHENTICATED);
        c.send(20, SECRET_PAYLOAD, Priority.RELIABLE);
        byte[] genuine = wire().get(0);
        // A relay that knows the layout and the next sequence number, but not the key.
        byte[] forged = genuine.clone();
        byte[] lie = "balance=9999999 owner=mallo".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(lie, 0, forged, FrameProtector.OVERHEAD - FrameProtector.TAG_SIZE + FrameCodec.HEADER_SIZE,
            lie.length);
        deliver(forged);
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.protocolErrors(Category.BAD_MAC));
        assertTrue(serverEvents.messages.isEmpty());
    }

    @Test
    void shouldCloseOnAPlaintextFrameOnceProtected() {
        Connection c = handshake(FrameProtection.AUTHENTICATED, FrameProtection.AUTHENTICATED);
        assertTrue(c.isOpen());
        ByteBuf plain = FrameCodec.encode(io.netty.buffer.ByteBufAllocator.DEFAULT, 20, SECRET_PAYLOAD);
        byte[] bytes = ByteBufUtil.getBytes(plain);
        plain.release();
        deliver(bytes);
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.protocolErrors(Category.BAD_MAC) + serverMetrics.protocolErrors(Category.SEQUENCE));
        assertTrue(serverEvents.messages.isEmpty());
    }

    @Test
    void shouldRefuseAHandshakeWhoseAnnouncedProtectionWasLowered() {
        server = PipelineTest.channel(HandshakeHandler.Role.SERVER, TestSupport.config("server").frameProtection(FrameProtection.NONE)
            .build(), serverMetrics, serverEvents);
        client = PipelineTest.channel(HandshakeHandler.Role.CLIENT, TestSupport.config("client")
            .frameProtection(FrameProtection.ENCRYPTED).build(), clientMetrics, clientEvents);
        // A man in the middle rewrites the client's HELLO to announce NONE.
        relay(client, server, f -> {
            int at = FrameCodec.payloadIndex(f) + 1 + "client".length() + HandshakeCodec.NONCE_LENGTH
                + HandshakeCodec.HEARTBEAT_LENGTH;
            f.setByte(at, 0);
            return f;
        });
        for (int i = 0; i < 4; i++) {
            relay(server, client, null);
            relay(client, server, null);
        }
        assertTrue(clientEvents.connected.isEmpty() && serverEvents.connected.isEmpty(), "no connection");
        assertEquals(1, clientMetrics.protocolErrors(Category.HANDSHAKE_FAILED), "the server's MAC does not match");
    }

    @Test
    void shouldLimitFramesBeforeAuthenticationOnly() {
        server = PipelineTest.channel(HandshakeHandler.Role.SERVER, TestSupport.config("server").preAuthMaxFrameSize(512).build(),
            serverMetrics, serverEvents);
        ByteBuf big = FrameCodec.allocateFrame(io.netty.buffer.ByteBufAllocator.DEFAULT, FrameCodec.TYPE_HELLO, 600);
        server.writeInbound(big.writeZero(600));
        assertFalse(server.isActive());
        assertEquals(1, serverMetrics.protocolErrors(Category.FRAME_TOO_LARGE));
        server.finishAndReleaseAll();
        server = null;
        serverEvents.connected.clear();
        Connection c = handshake(FrameProtection.AUTHENTICATED, FrameProtection.AUTHENTICATED);
        byte[] large = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(large);
        c.send(20, large, Priority.RELIABLE);
        wire().forEach(this::deliver);
        assertEquals(1, serverEvents.messages.size(), "after authentication the full frame size applies");
        assertArrayEquals(large, serverEvents.messages.get(0).payload());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
