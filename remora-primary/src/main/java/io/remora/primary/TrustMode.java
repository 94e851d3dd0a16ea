package io.remora.primary;

/**
 * What the primary assumes about pre-executors, chosen with {@link RemoraPrimary.Builder#trustMode}.
 * The full trust model (what a compromised pre-executor can and cannot do, what the host must do)
 * is in {@code docs/architecture.md}, "Trust model".
 */
public enum TrustMode {
    /**
     * A result from an authenticated pre-executor is adopted when its read versions still hold,
     * and its signature verdict and precompile outputs are reused when re-executing: the seed
     * design, and the crash-fault model of Pilotfish and of the Remora paper. Fastest. A
     * compromised pre-executor <em>can corrupt state</em> in this mode (falsified writes behind
     * matching reads, a forged "verified" verdict, wrong precompile outputs) until an audit catches
     * it: audits ({@link RemoraPrimary.Builder#auditRate}, 1% by default) re-execute a sample of
     * the results it relies on and quarantine a peer proven to lie.
     */
    TRUSTED,
    /**
     * Admission sends each transaction to {@link RemoraPrimary.Builder#crossCheckReplicas r >= 2}
     * distinct pre-executors, and the primary adopts a write set, skips a signature check or
     * reuses a precompile output only when {@code r} results from {@code r} distinct authenticated
     * peers agree exactly; otherwise it executes the transaction without hints. One lying
     * pre-executor cannot change state in this mode, whatever it sends: it can only cost
     * re-executions (and is quarantined when its own result is proven false). Costs {@code r}
     * times the pre-execution and some primary CPU per transaction to compare results.
     */
    CROSS_CHECKED
}
