package io.remora.primary.internal;

import io.remora.core.Effects;
import io.remora.core.ObjectId;

/**
 * What the parallel engine produced for one commit: the effects per position (equal to sequential
 * execution) and how they were obtained.
 *
 * @param adopted positions whose pre-execution result was validated and adopted without executing
 * @param reexecutedStale positions whose result read a version older than the commit's base state
 * @param reexecutedConflict positions whose result was invalidated by an earlier position of the same commit
 * @param reexecutedNoResult positions with no usable full result (missing, verify-only, inconsistent)
 * @param duplicates positions that are later copies of an executed digest (exactly-once: nothing executed)
 * @param signaturesSkipped executions that skipped the signature check thanks to a pre-executor's table
 * @param precompilesReused precompile calls answered from a pre-executor's table
 * @param executions incarnations actually executed on the primary (0 when everything was adopted)
 * @param causes per position: {@link #ADOPTED}, {@link #STALE}, {@link #CONFLICT}, {@link #NO_RESULT},
 *               {@link #DUPLICATE}, or {@link #RECOVERED} (durable before a crash, read back)
 * @param missedObjects per position: the object whose read invalidated the pre-execution result
 *                      (STALE and CONFLICT positions), else null; feeds miss statistics and the hot set
 * @param checks per position that was checked (audited, or cross-checked results that disagreed):
 *               the verdict on each claim, aligned with the claims given; null if none was
 */
public record CommitOutcome(Effects[] effects, int adopted, int reexecutedStale, int reexecutedConflict,
                            int reexecutedNoResult, int duplicates, int signaturesSkipped, int precompilesReused, int executions,
                            byte[] causes, ObjectId[] missedObjects, ClaimCheck[][] checks) {
    public static final byte ADOPTED = 0;
    public static final byte STALE = 1;
    public static final byte CONFLICT = 2;
    public static final byte NO_RESULT = 3;
    public static final byte DUPLICATE = 4;
    public static final byte RECOVERED = 5;
}
