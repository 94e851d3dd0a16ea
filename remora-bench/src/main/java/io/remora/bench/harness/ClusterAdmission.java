package io.remora.bench.harness;

import io.remora.core.Transaction;
import io.remora.primary.RemoraPrimary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Admission through a {@code RemoraCluster} and k pre-executor processes (wired once the cluster lands). */
final class ClusterAdmission implements Admission {
    private ClusterAdmission() {
    }

    static Admission start(RunConfig cfg, RemoraPrimary primary, SimulatedConsensus<Integer> consensus,
                           List<Transaction> txs, PreExecutorProcesses children, Path logDir, PrintStream log) {
        throw new UnsupportedOperationException("RemoraCluster is not available yet");
    }

    @Override
    public void submit(int index, Transaction tx) {
        throw new UnsupportedOperationException();
    }
}
