package io.remora.bench.harness;

import io.remora.core.Address;
import io.remora.core.Transaction;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The load generator's clients, as real wallets behave under back-pressure: a transaction that
 * admission refuses ({@code REJECTED_OVERLOADED}) is offered again after a backoff (doubling from
 * {@code firstBackoffNanos} up to {@code maxBackoffNanos}), and the same sender's later transactions
 * wait behind it, so that a sender's transactions reach consensus in the order they were signed (a
 * transfer chain spends the coin version its predecessor creates: submitted out of order it would
 * fail). A retried transaction keeps its first scheduled time, so its submit->effects latency counts
 * the time it spent refused.
 *
 * <p>Not thread-safe: the load generator thread calls it.
 */
final class RetryingClient {
    private final Admission admission;
    private final List<Transaction> txs;
    private final long firstBackoffNanos;
    private final long maxBackoffNanos;
    /** Per sender with a refused transaction: that one first, then its later ones, in order. */
    private final Map<Address, ArrayDeque<Integer>> held = new HashMap<>();
    /** Heads waiting for their retry: {due nanos, index, backoff nanos}, earliest first. */
    private final PriorityQueue<long[]> due = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private long rejections;
    private long retriesAdmitted;
    private int outstanding;

    RetryingClient(Admission admission, List<Transaction> txs, long firstBackoffNanos, long maxBackoffNanos) {
        if (firstBackoffNanos <= 0 || maxBackoffNanos < firstBackoffNanos) {
            throw new IllegalArgumentException("backoff=" + firstBackoffNanos + ".." + maxBackoffNanos
                    + " (expected: 0 < first <= max)");
        }
        this.admission = admission;
        this.txs = txs;
        this.firstBackoffNanos = firstBackoffNanos;
        this.maxBackoffNanos = maxBackoffNanos;
    }

    /** Offers transaction {@code index} at {@code now}: to admission, or behind its sender's refused one. */
    void offer(int index, long now) {
        Address sender = txs.get(index).sender();
        ArrayDeque<Integer> queue = held.get(sender);
        outstanding++;
        if (queue != null) {
            queue.addLast(index);
            return;
        }
        if (admission.submit(index, txs.get(index))) {
            outstanding--;
            return;
        }
        queue = new ArrayDeque<>();
        queue.addLast(index);
        held.put(sender, queue);
        refused(index, now, firstBackoffNanos);
    }

    /** Admission refused {@code index} (its sender's head) at {@code now}: retry it after {@code backoff}. */
    private void refused(int index, long now, long backoff) {
        rejections++;
        due.add(new long[] {now + backoff, index, backoff});
    }

    /** Offers again every refused transaction whose backoff has passed at {@code now}. */
    void retryDue(long now) {
        while (!due.isEmpty() && due.peek()[0] - now <= 0) {
            long[] head = due.poll();
            int index = (int) head[1];
            Address sender = txs.get(index).sender();
            ArrayDeque<Integer> queue = held.get(sender);
            if (!admission.submit(index, txs.get(index))) {
                refused(index, now, Math.min(maxBackoffNanos, head[2] * 2));
                continue;
            }
            retriesAdmitted++;
            outstanding--;
            queue.pollFirst();
            // Release the sender's later transactions in order until one is refused.
            while (!queue.isEmpty()) {
                int next = queue.peekFirst();
                if (!admission.submit(next, txs.get(next))) {
                    refused(next, now, firstBackoffNanos);
                    break;
                }
                queue.pollFirst();
                outstanding--;
            }
            if (queue.isEmpty()) {
                held.remove(sender);
            }
        }
    }

    /** When the next retry is due ({@link Long#MAX_VALUE} if none waits). */
    long nextDueNanos() {
        return due.isEmpty() ? Long.MAX_VALUE : due.peek()[0];
    }

    /** Transactions offered but not admitted yet (refused ones and those held behind them). */
    int outstanding() {
        return outstanding;
    }

    /** Refusals so far (a transaction refused three times counts three). */
    long rejections() {
        return rejections;
    }

    /** Refused transactions admitted on a later try. */
    long retriesAdmitted() {
        return retriesAdmitted;
    }
}
