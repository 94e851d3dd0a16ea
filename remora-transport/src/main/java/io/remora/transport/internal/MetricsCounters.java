package io.remora.transport.internal;

import io.remora.transport.ProtocolException;
import io.remora.transport.TransportMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link TransportMetrics} backed by {@link LongAdder}s, shared by every connection of one server,
 * client or in-memory transport.
 *
 * <p>Thread-safety: safe for concurrent increments and reads.
 */
public final class MetricsCounters implements TransportMetrics {
    private static final ProtocolException.Category[] CATEGORIES = ProtocolException.Category.values();

    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder[] errors = new LongAdder[CATEGORIES.length];
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder speculativeDrops = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder sendBatches = new LongAdder();
    private final LongAdder sendBatchFrames = new LongAdder();

    public MetricsCounters() {
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
    }

    public void frameIn(int bytes) {
        framesIn.increment();
        bytesIn.add(bytes);
    }

    public void frameOut(int bytes) {
        framesOut.increment();
        bytesOut.add(bytes);
    }

    /** Counts an error; handshake failures and unauthenticated traffic also count as auth failures. */
    public void protocolError(ProtocolException.Category category) {
        errors[category.ordinal()].increment();
        if (category == ProtocolException.Category.HANDSHAKE_FAILED
            || category == ProtocolException.Category.UNAUTHENTICATED) {
            authFailures.increment();
        }
    }

    public void speculativeDrop() {
        speculativeDrops.increment();
    }

    public void reconnect() {
        reconnects.increment();
    }

    public void connectionOpened() {
        connectionsOpened.increment();
    }

    /** One flush of the send path, carrying {@code frames} frames. */
    public void sendBatch(int frames) {
        sendBatches.increment();
        sendBatchFrames.add(frames);
    }

    @Override
    public long framesIn() {
        return framesIn.sum();
    }

    @Override
    public long framesOut() {
        return framesOut.sum();
    }

    @Override
    public long bytesIn() {
        return bytesIn.sum();
    }

    @Override
    public long bytesOut() {
        return bytesOut.sum();
    }

    @Override
    public long protocolErrors(ProtocolException.Category category) {
        return errors[category.ordinal()].sum();
    }

    @Override
    public long protocolErrors() {
        long sum = 0;
        for (LongAdder a : errors) {
            sum += a.sum();
        }
        return sum;
    }

    @Override
    public long authFailures() {
        return authFailures.sum();
    }

    @Override
    public long speculativeDrops() {
        return speculativeDrops.sum();
    }

    @Override
    public long reconnects() {
        return reconnects.sum();
    }

    @Override
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    @Override
    public long sendBatches() {
        return sendBatches.sum();
    }

    @Override
    public long sendBatchFrames() {
        return sendBatchFrames.sum();
    }

    @Override
    public String toString() {
        return "TransportMetrics{framesIn=" + framesIn() + ", framesOut=" + framesOut() + ", bytesIn=" + bytesIn()
            + ", bytesOut=" + bytesOut() + ", protocolErrors=" + protocolErrors() + ", authFailures="
            + authFailures() + ", speculativeDrops=" + speculativeDrops() + ", reconnects=" + reconnects()
            + ", connectionsOpened=" + connectionsOpened() + ", sendBatches=" + sendBatches()
            + ", sendBatchFrames=" + sendBatchFrames() + '}';
    }
}
