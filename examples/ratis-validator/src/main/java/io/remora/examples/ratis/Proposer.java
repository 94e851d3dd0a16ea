package io.remora.examples.ratis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Turns the transactions this validator admitted into Raft proposals, and proposes its digest-chain
 * attestations.
 *
 * <p><b>Batching.</b> A BATCH entry closes when it holds {@code maxBatch} transactions or
 * {@code maxBatchBytes}, or {@code linger} after its first transaction: under load an entry (= one
 * Remora commit) is full, when idle a transaction waits at most {@code linger}. At most
 * {@code maxInFlight} proposals await their Raft reply; beyond that the queue fills and
 * {@link #propose} reports back-pressure (false) rather than growing without bound.
 *
 * <p><b>Attestations.</b> {@link #attest} keeps only the latest chain head; it is proposed when no
 * attestation is in flight, so under load a validator attests every few commits, and each
 * attestation covers its whole history (the chain is a hash chain).
 *
 * <pre>
 *  submit threads ──propose()──► queue ──► remora-proposer ──async send──► Ratis leader
 *  publication thread ──attest()──► latest head ──┘
 * </pre>
 *
 * <p>Thread-safety: {@link #propose} and {@link #attest} from any thread; one proposer thread sends.
 */
final class Proposer implements AutoCloseable {
    private final String validator;
    private final RaftClient client;
    private final int maxBatch;
    private final int maxBatchBytes;
    private final long lingerNanos;
    private final BlockingQueue<byte[]> queue;
    private final Semaphore inFlight;
    private final AtomicReference<DigestChain.Head> attestation = new AtomicReference<>();
    private long attested = -2; // the genesis head (-1) is attested at start
    private final Semaphore attestInFlight = new Semaphore(1);
    private final AtomicLong batchesProposed = new AtomicLong();
    private final AtomicLong proposalsFailed = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    Proposer(String validator, RaftClient client, int maxBatch, int maxBatchBytes, Duration linger, int maxInFlight,
             int queueCapacity) {
        this.validator = validator;
        this.client = client;
        this.maxBatch = maxBatch;
        this.maxBatchBytes = maxBatchBytes;
        this.lingerNanos = linger.toNanos();
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.inFlight = new Semaphore(maxInFlight);
        this.thread = new Thread(this::run, "remora-proposer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues an encoded transaction for the next BATCH; false if the queue is full (back-pressure). */
    boolean propose(byte[] encodedTransaction) {
        return queue.offer(encodedTransaction);
    }

    /** Our chain head; the latest wins. */
    void attest(DigestChain.Head head) {
        attestation.accumulateAndGet(head, (cur, h) -> cur == null || cur.commit() < h.commit() ? h : cur);
    }

    long batchesProposed() {
        return batchesProposed.get();
    }

    long proposalsFailed() {
        return proposalsFailed.get();
    }

    int queued() {
        return queue.size();
    }

    private void run() {
        List<byte[]> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                sendAttestation();
                byte[] first = queue.poll(5, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int bytes = first.length;
                long deadline = System.nanoTime() + lingerNanos;
                while (batch.size() < maxBatch && bytes < maxBatchBytes) {
                    long left = deadline - System.nanoTime();
                    byte[] next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        if (left <= 0) {
                            break;
                        }
                        continue;
                    }
                    batch.add(next);
                    bytes += next.length;
                }
                inFlight.acquire();
                byte[] entry = RaftEntries.batch(validator, batch);
                batch.clear();
                client.async().send(Message.valueOf(ByteString.copyFrom(entry))).whenComplete((reply, error) -> {
                    inFlight.release();
                    if (error != null || !reply.isSuccess()) {
                        proposalsFailed.incrementAndGet();
                    } else {
                        batchesProposed.incrementAndGet();
                    }
                });
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sendAttestation() {
        DigestChain.Head h = attestation.get();
        if (h == null || h.commit() <= attested || !attestInFlight.tryAcquire()) {
            return;
        }
        attested = h.commit();
        client.async().send(Message.valueOf(ByteString.copyFrom(RaftEntries.attest(validator, h.commit(), h.digest().toBytes()))))
                .whenComplete((reply, error) -> attestInFlight.release());
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
