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

    static final byte UNKNOWN = 0;
    static final byte VALID = 1;
    static final byte INVALID = 2;

    private final TrustMode mode;
    private final AuditSampler sampler;
    private final LiarHandler liars;
    private final String nodeId;

    TrustPolicy(TrustMode mode, AuditSampler sampler, LiarHandler liars, String nodeId) {
        this.mode = mode;
        this.sampler = sampler;
        this.liars = liars;
        this.nodeId = nodeId;
    }

    /**
     * The audit sample of a commit and the primary's own signature verdicts for it, computed
     * ahead by the preparation stage (off the execution stage, while earlier commits execute):
     * per position {@link #UNKNOWN} (not sampled), {@link #VALID} or {@link #INVALID}; null if
     * none is sampled. The sample depends on digests only, so it is known before any result is.
     */
    byte[] prepareAudits(List<Transaction> txs) {
        if (!sampler.enabled()) {
            return null;
        }
        byte[] out = null;
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            if (sampler.audited(tx.digest())) {
                if (out == null) {
                    out = new byte[txs.size()];
                }
                out[i] = tx.verifySignature() ? VALID : INVALID;
            }
        }
        return out;
    }

    TrustMode mode() {
        return mode;
    }

    /**
     * The claims to check per position (null: none at all), for the positions that are not
     * duplicates: audited positions, whose usable result is replaced in {@code usable} by null or
     * by the primary's own verdict that the signature is valid when {@code audits} (from
     * {@link #prepareAudits}) already has it; and, in CROSS_CHECKED, positions whose results
     * disagreed, executed with at most the hints r peers agreed on.
     */
    ResultTable.Claim[][] plan(List<Transaction> txs, ResultTable.Collected got, PreExecResult[] usable, boolean[] dup,
                               byte[] audits, MetricsCounters metrics) {
        ResultTable.Claim[][] checks = null;
        if (mode == TrustMode.TRUSTED && audits == null) {
            return null; // nothing to audit, and nothing to disagree
        }
        for (int i = 0; i < txs.size(); i++) {
            if ((dup != null && dup[i]) || got.claims[i] == null) {
                continue;
            }
            boolean check = false;
            boolean disagreement = false;
            if (got.disagreed[i]) {
                metrics.crossCheckDisagreements.increment();
                for (ResultTable.Claim c : got.claims[i]) {
                    metrics.disagreement(c.source());
                }
                // Executed anyway (at most with the hints r peers agreed on): find out who was wrong.
                disagreement = usable[i] == null || !usable[i].isFull();
                check = disagreement;
            }
            boolean audited = audits != null && audits[i] != UNKNOWN;
            if (!check && audited && usable[i] != null && reliedOn(usable[i], txs.get(i))) {
                check = true;
                metrics.audits.increment();
            }
            if (check) {
                if (checks == null) {
                    checks = new ResultTable.Claim[txs.size()][];
                }
                checks[i] = got.claims[i];
                if (disagreement) {
                    continue; // usable[i] stays: null, or the verdict and outputs r peers agreed on
                }
                Transaction tx = txs.get(i);
                usable[i] = audited && audits[i] == VALID
                        ? PreExecResult.verifyOnly(tx.digest(), new io.remora.core.LookupTable(List.of(), List.of(),
                                io.remora.core.Authenticator.verified(tx, nodeId)), -1)
                        : null;
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
