package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Effects;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.engine.CoinProgram;
import io.remora.core.exec.ExecutionContext;
import io.remora.core.exec.ExecutionEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import io.remora.transport.TransportConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A compromised pre-executor over real TCP: its engine credits 10^12 to every coin it writes, so
 * its results keep honest read versions and falsified writes. Next to honest pre-executors, in
 * CROSS_CHECKED (r = 2, three peers) and in TRUSTED with every relied-on result audited (the
 * statistics of sampled audits are tested in {@link TrustModesTest}), the primary's state equals
 * the sequential reference's, the liar is quarantined (disconnected, refused when it reconnects,
 * listed as quarantined) and honest results are still adopted.
 */
class ClusterLiarTest {
    /** The built-in engine, then 10^12 more on the first coin the transaction may write. */
    static final class InflatingEngine implements ExecutionEngine {
        @Override
        public void execute(Transaction tx, ExecutionContext ctx) {
            BuiltinEngine.instance().execute(tx, ctx);
            for (int i = 0; i < ctx.inputCount(); i++) {
                StoredObject o = ctx.input(i);
                if (o != null && o.typeTag().equals(CoinProgram.TYPE) && tx.inputs().get(i) instanceof io.remora.core.InputObject.Owned) {
                    ctx.mutate(o.id(), java.nio.ByteBuffer.allocate(8).putLong(CoinProgram.balance(o) + 1_000_000_000_000L).array());
                    return;
                }
            }
        }
    }

    private static PreExecutor preExecutor(String id, int port, boolean liar) {
        PreExecutor.Builder b = PreExecutor.builder().nodeId(id).primary("127.0.0.1", port)
                .nodeKey(TransportConfig.deriveNodeKey(ClusterIntegrationTest.SECRET, id))
                .heartbeatInterval(Duration.ofMillis(100)).workerThreads(1);
        if (liar) {
            b.executor(new TransactionExecutor(new InflatingEngine(), BuiltinEngine.precompiles(), id));
        }
        return b.build().start();
    }

    @Test
    @Timeout(90)
    void shouldQuarantineACompromisedPreExecutorInEitherTrustMode() throws Exception {
        for (TrustMode mode : TrustMode.values()) {
            run(mode);
        }
    }

    private void run(TrustMode mode) throws Exception {
        Path dir = Files.createTempDirectory("remora-liar");
        Workload w = Workloads.transfers(77, 12).take(240);
        List<Transaction> txs = w.transactions();
        List<Transaction> consensus = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<PreExecutor> pres = new ArrayList<>();
        try (RemoraPrimary primary = RemoraPrimary.builder().dataDirectory(dir)
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).workerThreads(2).resultWaitTimeout(Duration.ofMillis(500))
                .trustMode(mode).auditRate(mode == TrustMode.TRUSTED ? 1.0 : 0.01).build()) {
            primary.start();
            try (RemoraCluster cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                    .consensus(consensus::add).heartbeatInterval(Duration.ofMillis(100)).build().start()) {
                pres.add(preExecutor("h1", cluster.port(), false));
                pres.add(preExecutor("liar", cluster.port(), true));
                if (mode == TrustMode.CROSS_CHECKED) {
                    pres.add(preExecutor("h2", cluster.port(), false));
                }
                ClusterIntegrationTest.await(Duration.ofSeconds(20),
                        () -> cluster.peers().stream().filter(PeerStatus::synced).count() == pres.size(),
                        () -> "peers " + cluster.peers());
                int per = 20;
                for (int c = 0; c * per < txs.size(); c++) {
                    List<Transaction> commit = txs.subList(c * per, Math.min(txs.size(), (c + 1) * per));
                    for (Transaction tx : commit) {
                        cluster.submit(tx);
                    }
                    primary.submitCommit(c, commit).get(30, TimeUnit.SECONDS);
                }
                SequentialExecutor oracle = new SequentialExecutor(BuiltinEngine.executor("oracle"), w.genesisStore());
                List<Effects> expected = oracle.executeAll(txs);
                assertEquals(expected.size(), txs.size());
                assertEquals(oracle.stateDigest(), primary.stateDigest(), mode + ": state digest; " + primary.metrics());
                PrimaryMetrics m = primary.metrics();
                assertEquals(List.of("liar"), primary.quarantinedPeers().stream().map(QuarantinedPeer::nodeId).toList(),
                        mode + ": " + m);
                ClusterIntegrationTest.await(Duration.ofSeconds(10), () -> cluster.metrics().quarantineRefusals() >= 1,
                        () -> mode + ": the liar reconnects and is refused: " + cluster.metrics());
                assertTrue(cluster.peers().stream().anyMatch(p -> p.nodeId().equals("liar") && p.quarantined()),
                        () -> "" + cluster.peers());
                assertTrue(cluster.peers().stream().noneMatch(p -> !p.nodeId().equals("liar") && p.quarantined()));
                if (mode == TrustMode.CROSS_CHECKED) {
                    assertTrue(m.adopted() > 0, mode + ": agreeing honest results are still adopted: " + m);
                } else {
                    assertTrue(m.audits() > 0 && m.adopted() == 0, "TRUSTED at 100%: whatever is relied on is audited: " + m);
                }
                assertTrue(m.liesDetected() >= 1, mode + ": " + m);
            }
        } finally {
            for (PreExecutor p : pres) {
                p.close();
            }
            TestDirs.delete(dir);
        }
    }
}
