package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The write side of one {@link NettyConnection}: it turns many sends into one event-loop task and one
 * flush. A frame sent from a thread other than the channel's event loop joins a multi-producer queue;
 * the first frame of a batch schedules one drain task on the event loop (a state flag keeps at most
 * one pending), which writes every queued frame and flushes once, so the frames of a batch also share
 * one sealed record ({@link FrameProtector} seals what lies between two flushes).
 *
 * <pre>
 *  any thread ── offer(frame) ──► MPSC queue ──► first of a batch: schedule ONE drain (after the linger if
 *                                                 the link is busy: the last batch went less than a linger ago)
 *                                                 the batch passes 64 KiB: drain now
 *  event loop ── drain: write, write, ... (flush every 64 KiB) ── flush ──► pipeline ──► socket
 *  event loop ── send(frame): the queue first, then the frame, one flush (no task, no queue)
 * </pre>
 *
 * Order is the queue's: a frame is written after every frame queued before it, whichever thread sent
 * it, heartbeats and the CLOSE frame included; nothing is written after CLOSE. Every frame is written
 * or released: a frame found queued once the channel is inactive, after CLOSE, or when the event loop
 * refuses the drain (shut down) is released. The queue is bounded in bytes by the connection's
 * checks ({@link #queuedBytes()} counts towards the high water mark and the reliable limit).
 *
 * <p>Thread-safety: {@link #send} from any thread; the queue has one consumer at a time (the event
 * loop's drain, or a sender whose drain the event loop refused), under a lock taken once per batch.
 */
final class SendBatcher {
    /** A drain flushes after this many bytes, and a lingering batch this large is drained at once. */
    static final int FLUSH_BYTES = 64 * 1024;
    private static final int IDLE = 0;
    /** A drain is queued on the event loop, to run as soon as the loop gets to it. */
    private static final int SCHEDULED = 1;
    /** A drain is scheduled after the linger. */
    private static final int LINGERING = 2;

    private final Channel channel;
    private final MetricsCounters metrics;
    private final long lingerNanos;
    private final LongSupplier clock;
    /**
     * When the last batch was written (a drain, or a send on the event loop): a batch lingers only
     * if it starts less than a linger after it, i.e. on a link busy enough for others to join it.
     */
    private volatile long lastBatchNanos;
    private final Queue<ByteBuf> queue = PlatformDependent.newMpscQueue();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Runnable drainTask = this::drain;
    private final Object consumer = new Object();
    /** The CLOSE frame once sent: the channel is closed after it is written, and nothing is written after it. */
    private volatile ByteBuf closeFrame;
    /** Under {@link #consumer}. */
    private boolean closeWritten;

    SendBatcher(Channel channel, MetricsCounters metrics, long lingerNanos) {
        this(channel, metrics, lingerNanos, System::nanoTime);
    }

    /** As above, with the clock that decides whether a batch lingers (tests). */
    SendBatcher(Channel channel, MetricsCounters metrics, long lingerNanos, LongSupplier clock) {
        this.channel = channel;
        this.metrics = metrics;
        this.lingerNanos = lingerNanos;
        this.clock = clock;
        this.lastBatchNanos = clock.getAsLong() - lingerNanos - 1; // idle: the first batch does not linger
    }

    /** Bytes queued and not yet handed to the pipeline. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Writes {@code frame} after everything sent before it; takes ownership of it. */
    void send(ByteBuf frame) {
        if (channel.eventLoop().inEventLoop()) {
            synchronized (consumer) {
                int n = writeQueued();
                n += write(frame);
                flush(n);
            }
            if (lingerNanos > 0) {
                lastBatchNanos = clock.getAsLong();
            }
            return;
        }
        int size = frame.readableBytes();
        queue.offer(frame);
        schedule(queuedBytes.addAndGet(size));
    }

    /** Sends the CLOSE frame; the channel is closed once it is written. */
    void sendClose(ByteBuf frame) {
        closeFrame = frame;
        send(frame);
    }

    private void schedule(long queued) {
        boolean now = lingerNanos == 0 || queued >= FLUSH_BYTES || !busy();
        for (;;) {
            int s = state.get();
            if (s == SCHEDULED || s == LINGERING && !now) {
                return; // a pending drain will take this frame
            }
            if (state.compareAndSet(s, now ? SCHEDULED : LINGERING)) {
                break;
            }
        }
        try {
            if (now) {
                channel.eventLoop().execute(drainTask);
            } else {
                channel.eventLoop().schedule(drainTask, lingerNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException shutDown) {
            state.set(IDLE);
            synchronized (consumer) {
                releaseQueued();
            }
        }
    }

    /**
     * Whether the link is busy: the last batch was written less than a linger ago. A message on an
     * idle link goes at once (no timer, no added latency: a lingering batch of one would wake the
     * event loop twice, to arm the timer and to run it); on a busy one its batch lingers for others.
     */
    private boolean busy() {
        return clock.getAsLong() - lastBatchNanos < lingerNanos;
    }

    /**
     * The drain task (event loop). A lingering drain made redundant by an early one finds the queue
     * empty, or drains a later batch early; either way every frame is written once.
     */
    private void drain() {
        state.set(IDLE); // before polling: a frame queued after the last poll schedules another drain
        synchronized (consumer) {
            flush(writeQueued());
        }
        if (lingerNanos > 0) {
            lastBatchNanos = clock.getAsLong();
        }
    }

    /** Writes the queued frames (flushing every {@link #FLUSH_BYTES}); returns those not yet flushed. */
    private int writeQueued() {
        int unflushed = 0;
        long bytes = 0;
        long taken = 0;
        for (ByteBuf f; (f = queue.poll()) != null; ) {
            int size = f.readableBytes();
            taken += size;
            unflushed += write(f);
            bytes += size;
            if (bytes >= FLUSH_BYTES) {
                queuedBytes.addAndGet(-taken);
                taken = 0;
                flush(unflushed);
                unflushed = 0;
                bytes = 0;
            }
        }
        queuedBytes.addAndGet(-taken);
        return unflushed;
    }

    /** Writes one frame (the caller flushes), or releases it; returns 1 if it was written. */
    private int write(ByteBuf f) {
        if (closeWritten || !channel.isActive()) {
            f.release();
            return 0;
        }
        if (f == closeFrame) {
            closeWritten = true;
            channel.write(f).addListener(ChannelFutureListener.CLOSE); // flushed by the caller, like every write
        } else {
            channel.write(f, channel.voidPromise());
        }
        return 1;
    }

    private void flush(int frames) {
        if (frames > 0) {
            channel.flush();
            metrics.sendBatch(frames);
        }
    }

    /** Under {@link #consumer}. */
    private void releaseQueued() {
        for (ByteBuf f; (f = queue.poll()) != null; ) {
            queuedBytes.addAndGet(-f.readableBytes());
            f.release();
        }
    }
}
