package io.remora.preexec.internal;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Execute;
import io.remora.core.protocol.Results;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The start-up warm-up: on one daemon thread {@code remora-preexec-warmup}, overlapped with
 * connecting and the snapshot download, runs what the first real transactions would otherwise pay
 * for on a cold JVM (measured: ~300 ms for the first Ed25519 key and signature, Bouncy Castle's
 * class loading and jar verification, SecureRandom seeding; verifies twice as slow for the first
 * thousands), so that the pre-executor only reports itself synced once it answers at speed.
 *
 * <p>It generates one Ed25519 key, then for up to {@code transactions} synthetic transfers (a seeded
 * {@link Workloads#transfers} stream, signed with {@link Transaction#sign}): encodes and decodes the
 * EXECUTE the primary would send, verifies the signature, pre-executes it with the configured
 * executor against a private in-memory store of the stream's genesis (effects applied, so later
 * transfers build on earlier ones), and encodes and decodes the RESULT it would answer. The
 * executor is the host's: with another engine the transfers fail, which is as good a warm-up of the
 * signature, codec and session paths; any outcome is accepted and an exception the executor throws
 * is swallowed. It never touches the replica, the counters of real work or the network; only
 * {@link Counters#warmupNanos} records it.
 *
 * <p>It ends after {@code transactions}, after {@code maxNanos} (a loaded machine reports synced
 * anyway, a little colder), or when {@link #close()}d; it checks between transactions, so a close
 * waits for at most the step in progress (the first key generation is the longest).
 *
 * <p>Thread-safety: {@link #start()} once from one thread; the other methods from any thread.
 */
public final class Warmup implements AutoCloseable {
    /** Seed of the synthetic stream: fixed, the warm-up need not vary. */
    private static final long SEED = 0x5741524dL;
    /** Accounts of the synthetic stream: enough for merges and splits, small enough to build at once. */
    private static final int ACCOUNTS = 64;

    private final TransactionExecutor executor;
    private final int transactions;
    private final long maxNanos;
    private final LongSupplier nanoTime;
    private final Counters counters;
    private final Runnable beforeEach;
    private final Runnable onDone;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param transactions synthetic transactions to run, >= 1
     * @param maxNanos     time past which it stops early
     * @param nanoTime     the clock of {@code maxNanos} and of {@link Counters#warmupNanos}
     * @param beforeEach   run on the warm-up thread before each transaction (a test holds the warm-up
     *                     there); may be null
     * @param onDone       run on the warm-up thread once it ended, however (stopped included)
     */
    public Warmup(TransactionExecutor executor, int transactions, long maxNanos, LongSupplier nanoTime,
                  Counters counters, Runnable beforeEach, Runnable onDone) {
        this.executor = executor;
        this.transactions = transactions;
        this.maxNanos = maxNanos;
        this.nanoTime = nanoTime;
        this.counters = counters;
        this.beforeEach = beforeEach;
        this.onDone = onDone;
        this.thread = new Thread(this::run, "remora-preexec-warmup");
        thread.setDaemon(true);
    }

    /** Starts the warm-up thread. */
    public void start() {
        thread.start();
    }

    /** Whether the warm-up has ended (finished, timed out or stopped). */
    public boolean isDone() {
        return done.getCount() == 0;
    }

    /** Waits up to {@code nanos} for the warm-up to end; returns whether it did. */
    public boolean await(long nanos) throws InterruptedException {
        return done.await(nanos, TimeUnit.NANOSECONDS);
    }

    private void run() {
        long start = nanoTime.getAsLong();
        long deadline = start + maxNanos;
        try {
            Ed25519KeyPair.generate(new SecureRandom()).sign(new byte[32]);
            WorkloadGenerator stream = Workloads.transfers(SEED, ACCOUNTS);
            InMemoryObjectStore state = new InMemoryObjectStore(stream.genesis());
            WireWriter w = new WireWriter(1024);
            for (int i = 0; i < transactions && !stopped && nanoTime.getAsLong() - deadline < 0; i++) {
                if (beforeEach != null) {
                    beforeEach.run();
                    if (stopped) {
                        break;
                    }
                }
                step(stream.next(), state, w, i);
            }
        } finally {
            counters.warmupNanos = Math.max(1, nanoTime.getAsLong() - start);
            done.countDown();
            onDone.run();
        }
    }

    /** One synthetic transaction through decode, verify, pre-execute and the result's codec. */
    private void step(Transaction tx, InMemoryObjectStore state, WireWriter w, long watermark) {
        try {
            byte[] sent = ClusterMessages.encode(Execute.of(tx));
            Execute execute = ClusterMessages.decode(Execute.class, ClusterMessages.EXECUTE, ByteBuffer.wrap(sent), 0,
                    sent.length);
            Transaction received = execute.transactions().get(0);
            received.verifySignature();
            PreExecResult r = executor.preExecute(received, state, watermark);
            state.apply(r.effects());
            int n = ClusterMessages.encode(Results.of(r), w.reset());
            ClusterMessages.decode(ClusterMessages.RESULT, ByteBuffer.wrap(w.array()), 0, n);
        } catch (RuntimeException e) {
            // Any outcome will do: a host engine's failure on a synthetic transaction is not an error.
        }
    }

    /** Stops the warm-up and waits (boundedly: the step in progress) for its thread to end. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
