package io.remora.bench.chaos;

import io.remora.core.Effects;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.store.StateDigest;
import io.remora.core.workload.Workload;
import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The chaos run's consensus log and its expected outcome: a seeded signed workload cut into commits
 * of random sizes, with copies of some transactions ordered again (same signature, in the same or a
 * later commit; or with a garbage signature, possibly before the genuine one) as a consensus may
 * repeat them; and the sequential reference executor's effects and state digest after every commit.
 *
 * <p>Deterministic in (kind, seed, commits, mean size). Immutable after construction.
 */
public final class ChaosWorkload {
    /** Workload kinds: {@code mixed} (transfers, Zipf-0.99 counters, registry: conflicts) or {@code transfers}. */
    public static final List<String> KINDS = List.of("mixed", "transfers");

    private static final double COPY_RATE = 0.05;

    private final List<StoredObject> genesis;
    private final List<List<Transaction>> commits;
    private final List<String> encodedCommits = new ArrayList<>();
    private final List<List<String>> expectedEffects = new ArrayList<>();
    private final List<String> digestAfter = new ArrayList<>();
    private final String genesisDigest;
    /** Generated (not copied) transactions per commit. */
    private final int[] originals;

    private ChaosWorkload(List<StoredObject> genesis, List<List<Transaction>> commits, int[] originals) {
        this.genesis = genesis;
        this.commits = commits;
        this.originals = originals;
        StateDigest g = new StateDigest();
        genesis.forEach(g::add);
        this.genesisDigest = g.digest().toHex();
        InMemoryObjectStore store = new Workload("chaos", genesis, List.of()).genesisStore();
        SequentialExecutor reference = new SequentialExecutor(BuiltinEngine.executor("oracle"), store);
        for (List<Transaction> c : commits) {
            List<String> effects = new ArrayList<>(c.size());
            for (Transaction tx : c) {
                Effects e = reference.execute(tx); // exactly-once included: later copies are DUPLICATE
                effects.add(e.digest().toHex());
            }
            expectedEffects.add(List.copyOf(effects));
            digestAfter.add(reference.stateDigest().toHex());
            encodedCommits.add(encode(c));
        }
    }

    /** The generator of {@code kind} (one of {@link #KINDS}) for {@code seed}: the primary child rebuilds its genesis from it. */
    public static WorkloadGenerator generator(String kind, long seed) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "mixed" -> Workloads.mixed(seed);
            case "transfers" -> Workloads.transfers(seed, 256);
            default -> throw new IllegalArgumentException("workload=" + kind + " (expected: one of " + KINDS + ")");
        };
    }

    /**
     * {@code commits} commits of 1..2*{@code meanSize} transactions of {@code kind} from {@code seed}
     * (an empty one now and then), with about {@value #COPY_RATE} of the transactions ordered again.
     */
    public static ChaosWorkload generate(String kind, long seed, int commits, int meanSize) {
        if (commits < 1 || meanSize < 1) {
            throw new IllegalArgumentException("commits=" + commits + ", meanSize=" + meanSize + " (expected: >= 1 each)");
        }
        WorkloadGenerator g = generator(kind, seed);
        Random rnd = new Random(seed ^ 0x5eed_c4a05L);
        List<List<Transaction>> out = new ArrayList<>(commits);
        int[] originals = new int[commits];
        for (int c = 0; c < commits; c++) {
            int n = rnd.nextInt(20) == 0 ? 0 : 1 + rnd.nextInt(2 * meanSize);
            List<Transaction> txs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                txs.add(g.next());
            }
            originals[c] = n;
            out.add(txs);
        }
        injectCopies(out, rnd);
        List<List<Transaction>> frozen = out.stream().map(List::copyOf).toList();
        return new ChaosWorkload(g.genesis(), frozen, originals);
    }

    /** Adds copies (same signature later, or garbage signature anywhere near). */
    private static void injectCopies(List<List<Transaction>> commits, Random rnd) {
        for (int c = 0; c < commits.size(); c++) {
            for (Transaction tx : List.copyOf(commits.get(c))) {
                if (rnd.nextDouble() >= COPY_RATE) {
                    continue;
                }
                boolean garbage = rnd.nextBoolean();
                Transaction copy = tx;
                int target = c + rnd.nextInt(Math.min(3, commits.size() - c));
                if (garbage) {
                    byte[] sig = new byte[64];
                    rnd.nextBytes(sig);
                    copy = tx.withSignature(sig);
                    target = Math.max(0, c - 1 + rnd.nextInt(3)); // also before the genuine one
                    target = Math.min(target, commits.size() - 1);
                }
                List<Transaction> into = commits.get(target);
                int at = into.indexOf(tx);
                int pos = target == c && at >= 0 && !garbage ? at + 1 + rnd.nextInt(into.size() - at)
                        : rnd.nextInt(into.size() + 1);
                into.add(pos, copy);
            }
        }
    }

    /** A commit's transactions as the line protocol carries them: hex encodings joined by commas ({@code -}: none). */
    static String encode(List<Transaction> txs) {
        if (txs.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (Transaction tx : txs) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            WireWriter w = new WireWriter(tx.encodedLength());
            tx.encode(w);
            sb.append(hex.formatHex(w.toByteArray()));
        }
        return sb.toString();
    }

    /** The inverse of {@link #encode}. */
    static List<Transaction> decode(String field) {
        if (field.equals("-")) {
            return List.of();
        }
        List<Transaction> out = new ArrayList<>();
        for (String h : field.split(",")) {
            WireReader r = new WireReader(HexFormat.of().parseHex(h));
            out.add(Transaction.decode(r));
        }
        return out;
    }

    public List<StoredObject> genesis() {
        return genesis;
    }

    public int commitCount() {
        return commits.size();
    }

    public List<Transaction> commit(int index) {
        return commits.get(index);
    }

    /** Commit {@code index} in the line protocol's form (see {@link #encode}). */
    String encodedCommit(int index) {
        return encodedCommits.get(index);
    }

    /** The reference's effects digests (hex) of commit {@code index}, in commit order. */
    public List<String> expectedEffects(int index) {
        return expectedEffects.get(index);
    }

    /** The reference's state digest (hex) after commit {@code index}; the genesis digest for -1. */
    public String digestAfter(long index) {
        return index < 0 ? genesisDigest : digestAfter.get((int) index);
    }

    /** Transactions (positions) in commits {@code [0, end)}. */
    public long positions(int end) {
        long n = 0;
        for (int c = 0; c < end; c++) {
            n += commits.get(c).size();
        }
        return n;
    }

    /** Copies of transactions (consensus repeats) in commits {@code [0, end)}. */
    public long copies(int end) {
        return positions(end) - distinct(end);
    }

    /** Generated transactions in commits {@code [0, end)} (their copies may be in later commits). */
    public long distinct(int end) {
        long n = 0;
        for (int c = 0; c < end; c++) {
            n += originals[c];
        }
        return n;
    }

    /** Whether a digest list from the primary is the reference's for commit {@code index}. */
    boolean matches(int index, List<String> effects) {
        return expectedEffects.get(index).equals(effects);
    }
}
