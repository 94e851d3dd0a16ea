package io.remora.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.remora.transport.TestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SendBatcher} on a local channel pair whose sending event loop a test can hold still, so that
 * what is queued, and what one drain writes, is decided by the test, not by timing.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SendBatcherTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    private final MetricsCounters metrics = new MetricsCounters();
    /** Frame markers (the first int of each frame) as the peer received them. */
    private final List<Integer> received = new CopyOnWriteArrayList<>();
    private Channel server;
    private Channel channel;

    @BeforeEach
    void connect() throws InterruptedException {
        LocalAddress address = new LocalAddress("send-batcher-" + System.identityHashCode(this));
        CountDownLatch peerActive = new CountDownLatch(1);
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
            .childHandler(new ChannelInitializer<LocalChannel>() {
                @Override
                protected void initChannel(LocalChannel ch) {
                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            peerActive.countDown();
                            ctx.fireChannelActive();
                        }

                        /** The local transport may merge buffers: frames are parsed by their length. */
                        private final ByteBuf stream = Unpooled.buffer();

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            stream.writeBytes(b);
                            b.release();
                            while (stream.readableBytes() >= 8 && stream.readableBytes() >= stream.getInt(stream.readerIndex())) {
                                int length = stream.readInt();
                                received.add(stream.readInt());
                                stream.skipBytes(length - 8);
                            }
                            stream.discardReadBytes();
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            stream.release();
                            ctx.fireChannelInactive();
                        }
                    });
                }
            }).bind(address).sync().channel();
        channel = new Bootstrap().group(group).channel(LocalChannel.class)
            .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
        assertTrue(peerActive.await(10, TimeUnit.SECONDS), "the peer is ready to read");
    }

    @AfterEach
    void close() throws InterruptedException {
        if (!group.isShuttingDown()) {
            channel.close().sync();
            server.close().sync();
        }
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }

    /** Holds the sending channel's event loop until the returned latch is counted down. */
    private CountDownLatch holdEventLoop() throws InterruptedException {
        return holdEventLoop(() -> { });
    }

    /** As {@link #holdEventLoop()}, then runs {@code next} on the event loop (before any task queued meanwhile). */
    private CountDownLatch holdEventLoop(Runnable next) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        channel.eventLoop().execute(() -> {
            held.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            next.run();
        });
        assertTrue(held.await(10, TimeUnit.SECONDS));
        return release;
    }

    /** Waits until the sending event loop has run everything queued before this call. */
    private void settle() throws Exception {
        channel.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    /** {@code size} bytes: length, marker, zeros. */
    private static ByteBuf frame(int marker, int size) {
        ByteBuf b = Unpooled.buffer(size);
        b.writeInt(size).writeInt(marker).writeZero(size - 8);
        return b;
    }

    @Test
    void shouldWriteWhatQueuedWhileTheLoopWasBusyInOneBatch() throws Exception {
        SendBatcher batcher = new SendBatcher(channel, metrics, 0);
        CountDownLatch release = holdEventLoop();
        for (int i = 0; i < 10; i++) {
            batcher.send(frame(i, 64));
        }
        assertEquals(640, batcher.queuedBytes());
        release.countDown();
        settle();
        TestSupport.await("peer got all 10", () -> received.size() == 10);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), received);
        assertEquals(1, metrics.sendBatches(), "one drain, one flush");
        assertEquals(10, metrics.sendBatchFrames());
        assertEquals(0, batcher.queuedBytes());
    }

    @Test
    void shouldFlushEvery64KiBOfABatch() throws Exception {
        SendBatcher batcher = new SendBatcher(channel, metrics, 0);
        CountDownLatch release = holdEventLoop();
        for (int i = 0; i < 12; i++) {
            batcher.send(frame(i, SendBatcher.FLUSH_BYTES / 4));
        }
        release.countDown();
        settle();
        TestSupport.await("peer got all 12", () -> received.size() == 12);
        assertEquals(3, metrics.sendBatches(), "12 frames of 16 KiB: a flush after each 4");
        assertEquals(12, metrics.sendBatchFrames());
    }

    @Test
    void shouldWriteAnEventLoopSendAfterWhatIsQueued() throws Exception {
        SendBatcher batcher = new SendBatcher(channel, metrics, 0);
        CountDownLatch release = holdEventLoop(() -> batcher.send(frame(3, 8))); // before the drain task
        batcher.send(frame(1, 8));
        batcher.send(frame(2, 8));
        release.countDown();
        settle();
        TestSupport.await("peer got 3", () -> received.size() == 3);
        assertEquals(List.of(1, 2, 3), received);
        assertEquals(1, metrics.sendBatches(), "the event-loop send took the queue along; the drain found nothing");
    }

    @Test
    void shouldCloseAfterTheCloseFrameAndReleaseWhatCameAfter() throws Exception {
        SendBatcher batcher = new SendBatcher(channel, metrics, 0);
        List<ByteBuf> all = new ArrayList<>();
        CountDownLatch release = holdEventLoop();
        for (int i = 0; i < 100; i++) {
            all.add(frame(i, 32));
        }
        all.add(frame(-1, 8)); // the CLOSE frame
        for (int i = 0; i < 50; i++) {
            all.add(frame(1000 + i, 32)); // senders that passed the open check before the close
        }
        for (int i = 0; i < 100; i++) {
            batcher.send(all.get(i));
        }
        batcher.sendClose(all.get(100));
        for (int i = 101; i < all.size(); i++) {
            batcher.send(all.get(i));
        }
        release.countDown();
        TestSupport.await("closed after CLOSE", () -> !channel.isActive());
        settle();
        TestSupport.await("peer got 100 frames and CLOSE", () -> received.size() == 101);
        assertEquals(-1, received.get(100), "CLOSE last");
        for (ByteBuf b : all) {
            assertEquals(0, b.refCnt(), "every frame written or released");
        }
        assertEquals(0, batcher.queuedBytes());
    }

    @Test
    void shouldReleaseFramesQueuedForAClosedChannel() throws Exception {
        SendBatcher batcher = new SendBatcher(channel, metrics, 0);
        List<ByteBuf> all = new ArrayList<>();
        CountDownLatch release = holdEventLoop();
        channel.close(); // queued behind the hold, before the drain
        for (int i = 0; i < 20; i++) {
            all.add(frame(i, 32));
            batcher.send(all.get(i));
        }
        release.countDown();
        settle();
        assertFalse(channel.isActive());
        for (ByteBuf b : all) {
            assertEquals(0, b.refCnt());
        }
        assertTrue(received.isEmpty());
        assertEquals(0, metrics.sendBatches());
        ByteBuf late = frame(99, 8);
        batcher.send(late); // after the close: released by its own drain
        settle();
        assertEquals(0, late.refCnt());
    }

    @Test
    void shouldReleaseFramesWhenTheEventLoopIsGone() throws Exception {
        SendBatcher batcher = new SendBatcher(channel, metrics, 0);
        channel.close().sync();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        ByteBuf f = frame(1, 8);
        batcher.send(f); // the drain is refused: the sender releases
        assertEquals(0, f.refCnt());
        assertEquals(0, batcher.queuedBytes());
    }

    @Test
    void shouldDrainALingeringBatchOnceItPasses64KiB() throws Exception {
        // A linger far longer than the test's timeout: only the size bound can write these frames.
        SendBatcher batcher = new SendBatcher(channel, metrics, TimeUnit.MINUTES.toNanos(5));
        batcher.send(frame(0, 16)); // an idle link: at once
        TestSupport.await("the first frame, at once", () -> received.size() == 1);
        settle(); // the drain has recorded when it wrote
        batcher.send(frame(1, 16)); // a batch right after the last one: lingers
        settle();
        assertEquals(16, batcher.queuedBytes(), "lingering");
        batcher.send(frame(2, SendBatcher.FLUSH_BYTES));
        TestSupport.await("drained by size", () -> received.size() == 3);
        assertEquals(List.of(0, 1, 2), received);
        assertEquals(2, metrics.sendBatches());
    }

    /**
     * A batch lingers only on a busy link: one that starts less than a linger after the last batch
     * was written waits (for others to join it); one that starts later goes at once, and a message
     * that finds the link idle that long also drains a batch still lingering. The clock is the
     * test's, so "later" is exact; the linger (5 minutes) is far past the test's timeout, so a frame
     * that arrives was not held by it. "Lingering" is read on the sending side (queued bytes), after
     * the sending event loop has run everything queued.
     */
    @Test
    void shouldLingerOnlyWhenTheLastBatchWentLessThanALingerAgo() throws Exception {
        long linger = TimeUnit.MINUTES.toNanos(5);
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        SendBatcher batcher = new SendBatcher(channel, metrics, linger, now::get);
        batcher.send(frame(0, 16));
        TestSupport.await("idle since it was made: at once", () -> received.size() == 1);
        settle(); // the drain has recorded when it wrote
        now.addAndGet(linger - 1);
        batcher.send(frame(1, 16));
        batcher.send(frame(2, 16));
        settle();
        assertEquals(32, batcher.queuedBytes(), "a linger after the last batch, less a nanosecond: both linger");
        batcher.send(frame(3, SendBatcher.FLUSH_BYTES)); // the size bound drains the batch
        TestSupport.await("drained by size", () -> received.size() == 4);
        settle();
        now.addAndGet(linger); // exactly a linger after that drain: idle again
        batcher.send(frame(4, 16));
        TestSupport.await("idle for a linger: at once", () -> received.size() == 5);
        settle();
        now.addAndGet(linger - 1);
        batcher.send(frame(5, 16));
        settle();
        assertEquals(16, batcher.queuedBytes(), "busy: lingers");
        now.addAndGet(1); // the link has now been idle for a linger: the next message drains both
        batcher.send(frame(6, 16));
        TestSupport.await("drained by the idle link's message", () -> received.size() == 7);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), received);
        assertEquals(4, metrics.sendBatches(), "four drains: 0 | 1, 2, 3 | 4 | 5, 6");
        assertEquals(0, batcher.queuedBytes());
    }
}
