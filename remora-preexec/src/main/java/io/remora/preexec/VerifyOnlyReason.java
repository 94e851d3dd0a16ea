package io.remora.preexec;

/**
 * Why a pre-executor answered a transaction with a verify-only result (signature status and
 * state-independent precompile outputs, no effects) instead of a full speculation.
 *
 * <p>Thread-safety: immutable.
 */
public enum VerifyOnlyReason {
    /** An owned input's version did not reach the replica within the park timeout. */
    MISSING_VERSION,
    /** A declared input is in the primary's latest hot set: its speculation would miss anyway. */
    HOT,
    /** No snapshot was installed yet (or the pre-executor drained) within the park timeout. */
    NOT_SYNCED,
    /**
     * Every declared input is under a lease this pre-executor holds as delegate: only the signature
     * is checked now (and remembered), the transaction executes once committed, in consensus order.
     */
    LEASED
}
