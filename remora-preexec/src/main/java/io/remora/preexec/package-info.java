/**
 * The pre-executor: an embeddable {@link io.remora.preexec.PreExecutor} and a process entry point
 * {@link io.remora.preexec.PreExecutorMain}. Everything else is in {@code internal}.
 *
 * <pre>
 *  primary ══ authenticated transport ══╗
 *                                       ▼
 *  [I/O thread] ClusterAdapter: decode ─┬─ EXECUTE ──► ExecutionScheduler.submit
 *                                       │                 │ per-object chains of futures (arrival order)
 *                                       │                 ▼
 *                                       │   [worker pool] hot? verify-only : owned version missing? park
 *                                       │                 │ preExecute(tx, replica+overlay, watermark)
 *                                       │                 ├──► overlay (speculative writes, for chaining)
 *                                       │                 └──► ResultProxy ── RESULT (speculative) ──► primary
 *                                       │
 *                                       └─ SNAPSHOT_CHUNK, STATE_UPDATE, HOT_SET, OBJECT_RESPONSE
 *                                                         ▼
 *                      [state thread] StateSync: snapshot install, updates in commit order (lazy
 *                                     batches, pushes at once), gap ─► SNAPSHOT_REQUEST; parked
 *                                     transactions re-run when state arrives, verify-only at timeout
 *
 *  heartbeats carry LoadReport (queue depth, executed/s, watermark, flags) from the transport's thread
 *
 *  [warm-up thread] from start, beside the snapshot download: synthetic transactions signed,
 *                   decoded, verified, pre-executed on a private state, RESULT encoded; SYNCED is
 *                   reported only once the snapshot is installed and this has ended
 * </pre>
 *
 * <p>Queues: the worker pool's task queue (bounded by {@code maxQueuedTransactions} in-flight
 * transactions) and the state thread's queue. Results are not held here: each goes straight to the
 * link's send queue in the transport, where the results of all workers that arrive while its event
 * loop is busy are written and flushed together; under back-pressure the transport drops them (the
 * primary executes what has no result).
 *
 * <p>Start-up warm-up ({@code PreExecutor.Builder#warmup}, {@code PreExecutorMain --warmup N}; on
 * by default except under a virtual {@code Scheduling}, 500 synthetic transactions for at most 2 s): a cold JVM answers its first
 * transactions so slowly (Ed25519 and Bouncy Castle loading, the JIT) that the primary would mark a
 * joining pre-executor stalled, so it reports SYNCED only after the warm-up too.
 */
package io.remora.preexec;
