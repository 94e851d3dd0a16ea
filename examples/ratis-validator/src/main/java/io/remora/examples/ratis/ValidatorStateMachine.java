package io.remora.examples.ratis;

import io.remora.core.Digest;
import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.MessageCodec;
import io.remora.primary.CommitEffects;
import io.remora.primary.RemoraPrimary;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;

/**
 * The Raft state machine of one validator: the consensus commit hook of its {@link RemoraPrimary}.
 *
 * <p>Ratis calls {@link #applyTransaction} for every committed entry, in log order, on one thread.
 * A BATCH entry is the next Remora commit: commit k is the k-th BATCH entry of the log (0 first),
 * so every replica numbers commits alike; its transactions go to {@code primary.submitCommit(k, txs)},
 * which returns at once, and the commit's effects, once durable, extend the {@link DigestChain}.
 * An ATTEST entry is another validator's (or our own) chain head, compared with ours.
 *
 * <p><b>Restart.</b> No Raft snapshot is taken, so a restarted server applies its whole log again
 * from index 0: the numbering restarts at 0 and comes out the same. Commits up to
 * {@code primary.lastExecutedCommit()} were executed durably before the crash: the primary answers
 * them from RocksDB without executing anything again ({@code timings().replayed()}), after checking
 * that the log holds the very bytes it executed (a {@code CommitMismatchException} otherwise), and
 * their effects rebuild the digest chain. Later commits execute as usual. A transaction ordered
 * twice (a client resubmitting to another validator) executes once: the primary gives the second
 * copy a DUPLICATE outcome, on every replica alike.
 *
 * <p>A malformed entry or transaction (Raft orders whatever a client of the Raft port sends) is
 * skipped identically on every replica: an undecodable entry takes no commit index, an undecodable
 * transaction is left out of its commit.
 *
 * <p>Thread-safety: {@link #applyTransaction} runs on Ratis' state machine updater thread; the
 * getters are safe from any thread.
 */
final class ValidatorStateMachine extends BaseStateMachine {
    private final RemoraPrimary primary;
    private final DigestChain chain;
    private final Consumer<DigestChain.Head> onChained;
    private final long recovered;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong skippedEntries = new AtomicLong();
    private final AtomicLong skippedTransactions = new AtomicLong();

    /**
     * @param onChained called with the chain head once a commit is chained (on the primary's publication thread)
     */
    ValidatorStateMachine(RemoraPrimary primary, DigestChain chain, Consumer<DigestChain.Head> onChained) {
        this.primary = primary;
        this.chain = chain;
        this.onChained = onChained;
        this.recovered = primary.lastExecutedCommit();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
        RaftEntries.Entry e;
        try {
            e = RaftEntries.decode(data);
        } catch (IllegalArgumentException bad) {
            skippedEntries.incrementAndGet();
            return CompletableFuture.completedFuture(Message.valueOf("skipped: " + bad.getMessage()));
        }
        return switch (e) {
            case RaftEntries.Batch b -> CompletableFuture.completedFuture(commit(b));
            case RaftEntries.Attest a -> {
                chain.onAttestation(a.validator(), a.commit(), Digest.wrap(a.chainDigest()));
                yield CompletableFuture.completedFuture(Message.EMPTY);
            }
        };
    }

    private Message commit(RaftEntries.Batch b) {
        long k = commits.getAndIncrement();
        List<Transaction> txs = new ArrayList<>(b.transactions().size());
        for (byte[] bytes : b.transactions()) {
            try {
                txs.add(MessageCodec.decodeTransaction(bytes));
            } catch (CodecException | IllegalArgumentException bad) {
                skippedTransactions.incrementAndGet();
            }
        }
        CompletableFuture<CommitEffects> f;
        try {
            f = primary.submitCommit(k, txs);
        } catch (RuntimeException refused) {
            // CommitMismatchException: the log holds other bytes than what the primary executed at k
            // (a different log, or a different data directory). Nothing sound can follow.
            fail("commit " + k + " refused by the primary", refused);
            throw refused;
        }
        f.whenComplete((effects, error) -> {
            if (error != null) {
                fail("commit " + k + " failed in the primary", error);
                return;
            }
            chain.onCommit(k, effects.stateDigest(), effects.effects(), effects.timings().replayed());
            onChained.accept(chain.head());
        });
        return Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(
                ByteBuffer.allocate(8).putLong(k).array()));
    }

    /** A validator whose primary cannot go on stops; its operator restarts it and it recovers. */
    private static void fail(String what, Throwable t) {
        System.err.println("FATAL: " + what + ": " + t);
        t.printStackTrace();
        Runtime.getRuntime().halt(3);
    }

    /** BATCH entries applied so far (the next commit index). */
    long commitsApplied() {
        return commits.get();
    }

    /** The primary's last durable commit when this validator started (-1: none). */
    long recoveredCommit() {
        return recovered;
    }

    long skippedEntries() {
        return skippedEntries.get();
    }

    long skippedTransactions() {
        return skippedTransactions.get();
    }
}
