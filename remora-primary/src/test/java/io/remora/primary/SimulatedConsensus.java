package io.remora.primary;

import io.remora.core.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the host's consensus in tests: every {@code periodMillis} it forms a commit of
 * everything submitted since the last one (in submission order) and delivers it to
 * {@link RemoraPrimary#submitCommit} {@code delayMillis} later, in commit order. Empty commits are
 * skipped. One scheduler thread forms and delivers, so the committed order is the admission order.
 */
final class SimulatedConsensus implements ConsensusSubmitter, AutoCloseable {
    private final ConcurrentLinkedQueue<Transaction> pending = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-consensus");
        t.setDaemon(true);
        return t;
    });
    private final RemoraPrimary primary;
    private final long delayMillis;
    /** The committed order, commit by commit. */
    final List<List<Transaction>> commits = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<CommitEffects>> futures = new CopyOnWriteArrayList<>();
    private long next;
    private volatile Throwable failure;

    SimulatedConsensus(RemoraPrimary primary, long periodMillis, long delayMillis) {
        this.primary = primary;
        this.delayMillis = delayMillis;
        this.next = primary.lastExecutedCommit() + 1;
        scheduler.scheduleAtFixedRate(this::form, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void submit(Transaction tx) {
        pending.add(tx);
    }

    private void form() {
        List<Transaction> txs = new ArrayList<>();
        for (Transaction t; (t = pending.poll()) != null; ) {
            txs.add(t);
        }
        if (txs.isEmpty()) {
            return;
        }
        commits.add(List.copyOf(txs));
        long index = next++;
        scheduler.schedule(() -> {
            try {
                futures.add(primary.submitCommit(index, txs));
            } catch (RuntimeException e) {
                failure = e;
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Waits until everything submitted so far is committed and its effects published. */
    List<CommitEffects> awaitAll(long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while ((!pending.isEmpty() || futures.size() < commits.size()) && System.currentTimeMillis() < deadline) {
            if (failure != null) {
                throw new AssertionError("consensus delivery failed", failure);
            }
            Thread.sleep(10);
        }
        if (futures.size() < commits.size() || !pending.isEmpty()) {
            throw new AssertionError("consensus did not deliver every commit in time: formed=" + commits.size()
                    + " delivered=" + futures.size());
        }
        List<CommitEffects> out = new ArrayList<>();
        for (CompletableFuture<CommitEffects> f : futures) {
            out.add(f.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS));
        }
        return out;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
