package io.remora.primary.internal;

import io.remora.core.Effects;
import io.remora.core.PreExecResult;
import io.remora.core.Transaction;
import io.remora.primary.TrustMode;
import java.util.List;

/**
 * What the primary does with pre-executors' claims in a commit, per {@link TrustMode}: which
 * positions it executes itself to check claims (audits, sampled by {@link AuditSampler} among the
 * results it would rely on; in CROSS_CHECKED also every position whose results disagreed), and
 * what it does with a claim proven false (hands it to the {@link LiarHandler}).
 *
 * <p>Immutable and thread-safe; used by the execution stage.
 */
final class TrustPolicy {
    /** Told about each claim proven false: the source is quarantined. */
    @FunctionalInterface
    interface LiarHandler {
        void lied(String source, Transaction tx, PreExecResult claim, Effects own, String reason);
    }

    private final TrustMode mode;
    private final AuditSampler sampler;
    private final LiarHandler liars;

    TrustPolicy(TrustMode mode, AuditSampler sampler, LiarHandler liars) {
        this.mode = mode;
        this.sampler = sampler;
        this.liars = liars;
    }

    TrustMode mode() {
        return mode;
    }

    /**
     * The claims to check per position (null: none at all), for the positions that are not
     * duplicates; a position to check executes in full without hints, so its usable result is
     * removed from {@code usable}.
     */
    ResultTable.Claim[][] plan(List<Transaction> txs, ResultTable.Collected got, PreExecResult[] usable, boolean[] dup,
                               MetricsCounters metrics) {
        ResultTable.Claim[][] checks = null;
        for (int i = 0; i < txs.size(); i++) {
            if ((dup != null && dup[i]) || got.claims[i] == null) {
                continue;
            }
            boolean check = false;
            if (got.disagreed[i]) {
                metrics.crossCheckDisagreements.increment();
                check = usable[i] == null; // executed without hints anyway: find out who was wrong
            }
            if (!check && usable[i] != null && reliedOn(usable[i], txs.get(i)) && sampler.audited(txs.get(i).digest())) {
                check = true;
                metrics.audits.increment();
            }
            if (check) {
                if (checks == null) {
                    checks = new ResultTable.Claim[txs.size()][];
                }
                checks[i] = got.claims[i];
                usable[i] = null;
            }
        }
        return checks;
    }

    /** Whether the primary would take something from this result: its write set, its verdict, or precompile outputs. */
    private static boolean reliedOn(PreExecResult r, Transaction tx) {
        return BlockStmExecutor.adoptable(r, tx) || r.lookupTable().authenticator().verifiedFor(tx)
                || !r.lookupTable().precompiles().isEmpty();
    }

    /** Hands every claim proven false to the liar handler. */
    void judge(List<Transaction> txs, ResultTable.Collected got, ResultTable.Claim[][] checks, CommitOutcome outcome,
               MetricsCounters metrics) {
        ClaimCheck[][] verdicts = outcome.checks();
        if (checks == null || verdicts == null) {
            return;
        }
        for (int i = 0; i < checks.length; i++) {
            if (checks[i] == null || verdicts[i] == null) {
                continue;
            }
            for (int j = 0; j < checks[i].length; j++) {
                ClaimCheck v = verdicts[i][j];
                if (v.lie()) {
                    metrics.liesDetected.increment();
                    if (!got.disagreed[i]) {
                        metrics.auditMismatches.increment();
                    }
                    liars.lied(checks[i][j].source(), txs.get(i), checks[i][j].result(), outcome.effects()[i], v.reason());
                }
            }
        }
    }
}
