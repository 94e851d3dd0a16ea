package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.testkit.Seeds;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3 with lying pre-executors: two honest peers and a liar answer through the host API
 * (tagged results), for signed transactions of which ~4% carry a garbage signature. The liar
 * keeps every read version right and falsifies what version checks do not cover
 * ({@link Lies.Kind}). Against the sequential reference:
 *
 * <ul>
 *   <li>{@link TrustMode#CROSS_CHECKED} (r = 2): every commit's effects and digest equal the
 *       reference's, whatever the liar sends; a liar caught is quarantined, an honest peer never.</li>
 *   <li>{@link TrustMode#TRUSTED} with every relied-on result audited: the same.</li>
 *   <li>{@link TrustMode#TRUSTED} with the default 1% audit, the liar answering every transaction:
 *       it is quarantined within 1,000 of its results, and from that commit on the primary's effects
 *       equal a sequential execution continued from the primary's own state (no lie gets in after).</li>
 * </ul>
 */
class TrustModesTest {
    private static final List<String> HONEST = List.of("h1", "h2");
    private static final String LIAR = "liar";

    @TempDir
    Path tmp;

    /** One case's stream: commits, honest results at each transaction's position, the reference. */
    private record Stream(Workload w, List<List<Transaction>> commits, Map<Digest, PreExecResult> honest,
                          Map<Digest, PreExecResult> stale, Reference ref) {
    }

    private static Stream stream(int kind, long seed, int n) {
        WorkloadGenerator g = switch (kind % 4) {
            case 0 -> Workloads.transfers(seed, 8);
            case 1 -> Workloads.coinOps(seed, 6);
            case 2 -> Workloads.hashes(seed, 4, 3);
            default -> Workloads.mixed(seed);
        };
        Workload w = g.take(n);
        Random rnd = new Random(seed);
        Map<Digest, Transaction> genuine = new HashMap<>();
        List<Transaction> txs = new ArrayList<>();
        for (Transaction tx : w.transactions()) {
            if (rnd.nextInt(25) == 0) {
                byte[] sig = new byte[64];
                rnd.nextBytes(sig);
                genuine.put(tx.digest(), tx);
                txs.add(tx.withSignature(sig)); // forged: a liar claims it verified
            } else {
                txs.add(tx);
            }
        }
        Workload forged = new Workload(w.name(), w.genesis(), txs);
        List<List<Transaction>> commits = Reference.cut(txs, 16, rnd);
        Map<Digest, PreExecResult> honest = new HashMap<>();
        Map<Digest, PreExecResult> stale = new HashMap<>();
        Reference ref = Reference.run(forged, commits, (c, tx, live) -> {
            Transaction real = genuine.getOrDefault(tx.digest(), tx);
            honest.putIfAbsent(tx.digest(), Reference.EXECUTOR.preExecute(real, live, c - 1L));
        });
        for (int c = 0; c < commits.size(); c++) {
            for (Transaction tx : commits.get(c)) {
                stale.putIfAbsent(tx.digest(), Reference.EXECUTOR.preExecute(tx, ref.snapshots.get(c), c - 1L));
            }
        }
        return new Stream(forged, commits, honest, stale, ref);
    }

    private RemoraPrimary primary(Path dir, Workload w, TrustMode mode, double auditRate, long seed) {
        byte[] secret = new byte[16];
        new Random(seed).nextBytes(secret);
        RemoraPrimary p = RemoraPrimary.builder().dataDirectory(dir).transactionExecutor(BuiltinEngine.executor("primary"))
                .workerThreads(1 + (int) Math.floorMod(seed, 4L)).resultWaitTimeout(Duration.ofMillis(1))
                .fsyncPolicy(FsyncPolicy.NEVER).genesis(w.genesis()).trustMode(mode).auditRate(auditRate)
                .auditSecret(secret).build();
        p.start();
        return p;
    }

    /** What a source answers for {@code tx}; the liar lies with probability {@code lieRate} where a lie applies. */
    private static PreExecResult answer(String source, Transaction tx, Stream s, Lies.Kind kind, double lieRate,
                                        Random rnd, int[] lies) {
        PreExecResult good = rnd.nextInt(5) == 0 ? s.stale().get(tx.digest()) : s.honest().get(tx.digest());
        if (source.equals(LIAR) && rnd.nextDouble() < lieRate) {
            Lies.Kind k = kind != null ? kind : Lies.Kind.values()[rnd.nextInt(Lies.Kind.values().length)];
            PreExecResult lie = Lies.lie(k, tx, s.honest().get(tx.digest()), rnd);
            if (lie != null) {
                lies[0]++;
                return lie;
            }
        }
        return good;
    }

    @Test
    void shouldMatchTheReferenceWhateverOneLiarSendsWhenCrossCheckedOrFullyAudited() throws Exception {
        long seed = Seeds.seed("TrustModesTest");
        Random rnd = new Random(seed);
        int liesSent = 0;
        int caught = 0;
        for (int c = 0; c < 32; c++) {
            long caseSeed = rnd.nextLong();
            TrustMode mode = c % 2 == 0 ? TrustMode.CROSS_CHECKED : TrustMode.TRUSTED;
            Lies.Kind kind = c % 5 == 4 ? null : Lies.Kind.values()[(c / 2) % Lies.Kind.values().length];
            double lieRate = c % 3 == 2 ? 0.01 : 1.0;
            Stream s = stream(c, caseSeed, 40 + rnd.nextInt(40));
            String label = "case " + c + " (" + mode + ", " + s.w().name() + ", lie=" + kind + " at " + lieRate
                    + ", caseSeed=" + caseSeed + ") of " + Seeds.replay(seed);
            Random caseRnd = new Random(caseSeed);
            int[] lies = {0};
            Path dir = tmp.resolve("case-" + c);
            try (RemoraPrimary p = primary(dir, s.w(), mode, mode == TrustMode.TRUSTED ? 1.0 : 0.01, caseSeed)) {
                for (int k = 0; k < s.commits().size(); k++) {
                    for (Transaction tx : s.commits().get(k)) {
                        List<String> sources = new ArrayList<>(List.of("h1", "h2", LIAR));
                        java.util.Collections.shuffle(sources, caseRnd);
                        for (String src : sources.subList(0, mode == TrustMode.CROSS_CHECKED ? 2 : 1)) {
                            p.expectResult(tx.digest(), src);
                            p.offerResult(answer(src, tx, s, kind, lieRate, caseRnd, lies), src);
                        }
                    }
                    CommitEffects ce = p.submitCommit(k, s.commits().get(k)).get(30, TimeUnit.SECONDS);
                    assertEquals(s.ref().effects.get(k), ce.effects(), label + ": effects of commit " + k);
                    assertEquals(s.ref().digestAfter.get(k), ce.stateDigest(), label + ": digest after commit " + k);
                }
                PrimaryMetrics m = p.metrics();
                for (QuarantinedPeer q : p.quarantinedPeers()) {
                    assertEquals(LIAR, q.nodeId(), label + ": an honest peer was quarantined: " + q);
                }
                if (mode == TrustMode.TRUSTED && lies[0] > 0) {
                    // Every relied-on result is audited: the first lie is caught.
                    assertEquals(1, p.quarantinedPeers().size(), label + ": " + lies[0] + " lies, " + m);
                }
                caught += p.quarantinedPeers().size();
            } finally {
                TestDirs.delete(dir);
            }
            liesSent += lies[0];
        }
        assertTrue(liesSent > 100 && caught > 8, "lies sent " + liesSent + ", liars caught " + caught + "; " + Seeds.replay(seed));
    }

    @Test
    void shouldKeepAQuarantineAcrossARestartUntilReadmitted() throws Exception {
        long seed = Seeds.seed("TrustModesTest.persisted");
        Stream s = stream(0, seed, 40);
        Path dir = tmp.resolve("data");
        // The first commit whose first transaction can be lied about (a forged or failing one cannot
        // carry falsified writes that an audit would catch).
        int index = 0;
        while (s.commits().get(index).isEmpty() || Lies.lie(Lies.Kind.FALSIFIED_WRITES, s.commits().get(index).get(0),
                s.honest().get(s.commits().get(index).get(0).digest()), new Random(seed)) == null) {
            index++;
        }
        Transaction first = s.commits().get(index).get(0);
        try (RemoraPrimary p = primary(dir, s.w(), TrustMode.TRUSTED, 1.0, seed)) {
            for (int k = 0; k < index; k++) {
                p.submitCommit(k, s.commits().get(k)).get();
            }
            p.expectResult(first.digest(), LIAR);
            p.offerResult(Lies.lie(Lies.Kind.FALSIFIED_WRITES, first, s.honest().get(first.digest()), new Random(seed)), LIAR);
            assertEquals(s.ref().effects.get(index), p.submitCommit(index, s.commits().get(index)).get().effects());
            assertEquals(List.of(LIAR), p.quarantinedPeers().stream().map(QuarantinedPeer::nodeId).toList());
            QuarantinedPeer q = p.quarantinedPeers().get(0);
            assertEquals(first.digest(), q.transaction());
            assertEquals(s.ref().effects.get(index).get(0).digest(), q.ownEffects());
            assertEquals(1, p.metrics().auditMismatches());
        }
        try (RemoraPrimary p = primary(dir, s.w(), TrustMode.TRUSTED, 1.0, seed)) {
            Transaction next = s.commits().get(index + 1).isEmpty() ? first : s.commits().get(index + 1).get(0);
            assertEquals(List.of(LIAR), p.quarantinedPeers().stream().map(QuarantinedPeer::nodeId).toList());
            p.expectResult(next.digest(), LIAR);
            assertEquals(OfferOutcome.QUARANTINED, p.offerResult(s.honest().get(next.digest()), LIAR));
            assertTrue(p.readmit(LIAR));
            assertEquals(List.of(), p.quarantinedPeers());
            assertEquals(OfferOutcome.ACCEPTED, p.offerResult(s.honest().get(next.digest()), LIAR));
        }
        try (RemoraPrimary p = primary(dir, s.w(), TrustMode.TRUSTED, 1.0, seed)) {
            assertEquals(List.of(), p.quarantinedPeers(), "re-admission is persisted too");
        }
    }

    /**
     * TRUSTED at the default 1%: a liar answering every transaction with falsified writes is
     * quarantined within 1,000 of its results, and no lie gets in afterwards: from the quarantine
     * on, the primary's effects equal a sequential execution continued from its own state.
     */
    @Test
    void shouldQuarantineAnAlwaysLyingPeerWithinAThousandResultsAtOnePercent() throws Exception {
        long seed = Seeds.seed("TrustModesTest.onePercent");
        Random rnd = new Random(seed);
        for (int c = 0; c < 3; c++) {
            long caseSeed = rnd.nextLong();
            Stream s = stream(c % 2, caseSeed, 1_500);
            String label = "case " + c + " (caseSeed=" + caseSeed + ") of " + Seeds.replay(seed);
            Path dir = tmp.resolve("one-" + c);
            Random caseRnd = new Random(caseSeed);
            int accepted = 0;
            int quarantinedAt = -1;
            // The liar's replica follows the primary's published state (as the cluster would stream
            // it), so its lies keep matching read versions even after earlier lies got in.
            InMemoryObjectStore shadow = s.w().genesisStore();
            SequentialExecutor continued = new SequentialExecutor(BuiltinEngine.executor("oracle"), shadow);
            try (RemoraPrimary p = primary(dir, s.w(), TrustMode.TRUSTED, 0.01, caseSeed)) {
                for (int k = 0; k < s.commits().size(); k++) {
                    InMemoryObjectStore replica = shadow.copy();
                    for (Transaction tx : s.commits().get(k)) {
                        p.expectResult(tx.digest(), LIAR);
                        PreExecResult honest = Reference.EXECUTOR.preExecute(tx, replica, k - 1L);
                        replica.apply(honest.effects()); // chains the commit's transactions, as a pre-executor does
                        PreExecResult lie = Lies.lie(Lies.Kind.FALSIFIED_WRITES, tx, honest, caseRnd);
                        if (p.offerResult(lie != null ? lie : honest, LIAR) == OfferOutcome.ACCEPTED) {
                            accepted++;
                        }
                    }
                    List<Effects> got = p.submitCommit(k, s.commits().get(k)).get(30, TimeUnit.SECONDS).effects();
                    if (quarantinedAt >= 0) {
                        assertEquals(continued.executeAll(s.commits().get(k)), got,
                                label + ": commit " + k + " after the quarantine at commit " + quarantinedAt);
                    } else {
                        got.forEach(continued::apply); // the primary's own state, lies included
                        if (!p.quarantinedPeers().isEmpty()) {
                            quarantinedAt = k;
                        }
                    }
                }
                assertTrue(quarantinedAt >= 0, label + ": never quarantined, " + p.metrics());
                assertTrue(accepted <= 1_000, label + ": " + accepted + " results accepted before the quarantine");
                assertEquals(continued.stateDigest(), p.stateDigest(), label);
            } finally {
                TestDirs.delete(dir);
            }
        }
    }
}
