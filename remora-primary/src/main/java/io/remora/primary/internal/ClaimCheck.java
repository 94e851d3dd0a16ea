package io.remora.primary.internal;

import io.remora.core.Authenticator;
import io.remora.core.Effects;
import io.remora.core.LookupTable;
import io.remora.core.ObjectRef;
import io.remora.core.PrecompileResult;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.exec.StateView;

/**
 * The verdict on one pre-executor's claim about a transaction the primary executed itself, in
 * full and without hints (an audit, or cross-checked results that disagreed). Effects are a pure
 * function of the transaction and the versions read, so:
 *
 * <ul>
 *   <li>a claim that the signature verified (for this very signature) when it does not, or the
 *       reverse, is a {@link #LIE};</li>
 *   <li>a precompile output that differs from the primary's for the same (function, input digest)
 *       is a lie (precompiles are pure);</li>
 *   <li>a full result for this very signature whose every read still holds at the transaction's
 *       position (so the primary, executing at that position, read the same versions) must have
 *       exactly the primary's effects: any difference is a lie (falsified writes, an omitted read, a
 *       wrong version). A result for another copy of the transaction (same digest, another
 *       signature: consensus ordered a copy the peer was not given) is not compared: it may be true
 *       of its own copy;</li>
 *   <li>otherwise the claim is {@link #PASS} if something was checked, {@link #INCONCLUSIVE} if
 *       nothing could be (its reads were stale and it made no state-independent claim).</li>
 * </ul>
 *
 * @param verdict {@link #PASS}, {@link #LIE} or {@link #INCONCLUSIVE}
 * @param reason  what was false, for a lie (logged with the quarantine)
 */
record ClaimCheck(byte verdict, String reason) {
    static final byte PASS = 0;
    static final byte LIE = 1;
    static final byte INCONCLUSIVE = 2;

    private static final ClaimCheck PASSED = new ClaimCheck(PASS, null);
    private static final ClaimCheck UNDECIDED = new ClaimCheck(INCONCLUSIVE, null);

    boolean lie() {
        return verdict == LIE;
    }

    /**
     * Checks {@code claim} against the primary's own execution of {@code tx}: {@code own} effects
     * and {@code ownTable} lookup table (made with its own signature check and no hints), at a
     * position whose state is {@code atPosition}.
     */
    static ClaimCheck of(PreExecResult claim, Transaction tx, Effects own, LookupTable ownTable, StateView atPosition) {
        boolean checked = false;
        Authenticator said = claim.lookupTable().authenticator();
        Authenticator found = ownTable.authenticator();
        boolean thisCopy = said.signatureDigest().equals(tx.signatureDigest());
        if (thisCopy && said.status() != Authenticator.Status.NOT_CHECKED) {
            checked = true;
            if (said.status() != found.status()) {
                return new ClaimCheck(LIE, "signature claimed " + said.status() + ", is " + found.status());
            }
        }
        for (PrecompileResult p : claim.lookupTable().precompiles()) {
            byte[] mine = ownTable.precompileOutput(p.functionId(), p.inputDigest());
            if (mine != null) {
                checked = true;
                if (!java.util.Arrays.equals(mine, p.output())) {
                    return new ClaimCheck(LIE, "precompile " + p.functionId() + " output differs");
                }
            }
        }
        if (thisCopy && claim.isFull() && readsHold(claim.lookupTable(), atPosition)) {
            if (!claim.effects().equals(own)) {
                return new ClaimCheck(LIE, "effects differ from the primary's on the same versions");
            }
            return PASSED;
        }
        return checked ? PASSED : UNDECIDED;
    }

    private static boolean readsHold(LookupTable table, StateView atPosition) {
        for (ObjectRef ref : table.reads()) {
            StoredObject now = atPosition.read(ref.id());
            if (!MultiVersionMemory.matches(ref, now)) {
                return false;
            }
        }
        return true;
    }
}
