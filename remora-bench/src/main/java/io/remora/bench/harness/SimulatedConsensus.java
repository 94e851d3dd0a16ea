package io.remora.bench.harness;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated consensus on an explicit clock: items offered during a commit interval form one commit,
 * cut at the end of the interval and delivered {@code deliveryDelay} later, in offer order. Commits
 * are numbered 0, 1, 2... without gaps; an interval in which nothing was offered forms no commit.
 *
 * <pre>
 *   origin        origin+I        origin+2I       origin+2I+D
 *     |--- commit 0 --|--- commit 1 ---|                |
 *     offers in [origin, origin+I) ... cut at origin+I, delivered at origin+I+D
 * </pre>
 *
 * An item offered exactly at a cut time belongs to the next commit. Time comes from the caller
 * ({@code nowNanos}), so tests drive it with a virtual clock and {@link ConsensusRunner} with
 * {@link System#nanoTime()}.
 *
 * <p>Thread-safe: offers come from the load generator, polls from the runner thread.
 *
 * @param <T> what is ordered (transactions, or their indices)
 */
public final class SimulatedConsensus<T> {
    /** One ordered commit: its index, when it was cut and when it is (or was) delivered. */
    public record Commit<T>(long index, long cutNanos, long deliverAtNanos, List<T> items) {
    }

    private final long intervalNanos;
    private final long delayNanos;
    private final ArrayDeque<Commit<T>> formed = new ArrayDeque<>();
    private long nextCutNanos;
    private long nextIndex;
    private List<T> open = new ArrayList<>();

    public SimulatedConsensus(long originNanos, long intervalNanos, long delayNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos=" + intervalNanos + " (expected: > 0)");
        }
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos=" + delayNanos + " (expected: >= 0)");
        }
        this.intervalNanos = intervalNanos;
        this.delayNanos = delayNanos;
        this.nextCutNanos = originNanos + intervalNanos;
    }

    /** Adds an item to the commit open at {@code nowNanos}. */
    public synchronized void offer(T item, long nowNanos) {
        advance(nowNanos);
        open.add(item);
    }

    /** The commits due for delivery at {@code nowNanos}, in index order (each returned once). */
    public synchronized List<Commit<T>> poll(long nowNanos) {
        advance(nowNanos);
        List<Commit<T>> due = new ArrayList<>();
        while (!formed.isEmpty() && formed.peekFirst().deliverAtNanos() <= nowNanos) {
            due.add(formed.pollFirst());
        }
        return due;
    }

    /** The next time something happens: a cut, or a delivery. */
    public synchronized long nextEventNanos() {
        long next = nextCutNanos;
        if (!formed.isEmpty()) {
            next = Math.min(next, formed.peekFirst().deliverAtNanos());
        }
        return next;
    }

    /** True when no item is waiting to be cut or delivered. */
    public synchronized boolean isIdle() {
        return open.isEmpty() && formed.isEmpty();
    }

    /** Number of commits formed so far (delivered or not). */
    public synchronized long commitsFormed() {
        return nextIndex;
    }

    private void advance(long nowNanos) {
        while (nowNanos >= nextCutNanos) {
            if (!open.isEmpty()) {
                formed.addLast(new Commit<>(nextIndex++, nextCutNanos, nextCutNanos + delayNanos, List.copyOf(open)));
                open = new ArrayList<>();
            }
            nextCutNanos += intervalNanos;
            if (open.isEmpty() && nowNanos - nextCutNanos > 16 * intervalNanos) {
                // Idle for long: skip the empty intervals at once.
                nextCutNanos += ((nowNanos - nextCutNanos) / intervalNanos) * intervalNanos;
            }
        }
    }
}
