/**
 * The primary executor's host API: {@link io.remora.primary.RemoraPrimary} (built by
 * {@link io.remora.primary.RemoraPrimary#builder()}), the {@link io.remora.primary.CommitListener}
 * and the value types it hands out, and {@link io.remora.primary.RemoraCluster}, the cluster service
 * in front of it. Not exported: the primary's machinery ({@code io.remora.primary.internal}) and the
 * cluster service's ({@code io.remora.primary.cluster}, which reaches the primary only through
 * {@code internal.ClusterHook}).
 *
 * <h2>Threads and queues</h2>
 * <pre>
 *  any thread                       consensus thread
 *  offerResult(r) ──► ResultTable   submitCommit(k, txs) ──► CompletableFuture (returned at once)
 *                     (bounded,        │ gap? CommitGapException; k already submitted? same effects
 *                      by tx digest)   ▼
 *                          │     ┌──────────── Disruptor ring, 1024 CommitEvent slots ────────────┐
 *                          │     │ (publisher blocks only when the ring is full: back-pressure)   │
 *                          │     └──────┬─────────────────────────────────────────────────────────┘
 *                          │            ▼ in commit order
 *                          │         remora-prepare ─── the commit's audit sample, and the primary's own
 *                          │            │               signature checks for the audited transactions
 *                          │            ▼
 *                          └──► remora-execute ─── collect results (wait until arrival + timeout)
 *                                  │               prefetch named objects into the cache
 *                                  │               BlockStmExecutor: this thread + (N-1) remora-worker-*
 *                                  │               apply effects to the in-memory overlay, state digest
 *                                  ▼ (commit k+1 executes while k is persisted)
 *                               remora-persist ─── RocksDB WriteBatches (objects, effects, commits, meta),
 *                                  │               written to the WAL unsynced (commit k+1 is written
 *                                  ▼               while k's WAL sync runs)
 *                               remora-publish ─── wait until durable: WAL fsync per FsyncPolicy (one
 *                                                  sync may cover several commits); overlay entries ->
 *                                                  object cache; lastExecutedCommit = k;
 *                                                  CommitListener.onCommit; future.complete (in commit order)
 *
 *  Committed state as execution reads it:  overlay (executed, not durable) -> cache (durable) -> RocksDB
 * </pre>
 *
 * A failure in a stage (a RocksDB error, an engine bug) stops the pipeline: that commit's future
 * and all later ones fail with IllegalStateException, and the host restarts the primary, which
 * recovers from the last durable commit. See {@code docs/architecture.md} for the rationale.
 */
package io.remora.primary;
