/**
 * An example host (not part of the library): validators that order transactions with Apache Ratis
 * and execute them with an embedded Remora primary. Entry points: {@link
 * io.remora.examples.ratis.ValidatorsCommand} ({@code ./remora validators}) and {@link
 * io.remora.examples.ratis.ValidatorMain} (one validator process).
 *
 * <p>Threads and queues of one validator process:
 * <pre>
 *  remora-http (2)      POST /submit ─► RemoraCluster.submit ─► EXECUTE to own pre-executor(s)
 *                                │            └─ ConsensusSubmitter ─► Proposer queue (bounded, 100k)
 *                                └─ gossip (HttpClient, async) ─► other validators' /submit
 *  remora-proposer (1)  queue ─► BATCH entries (size/linger) ─► RaftClient.async (<= 8 in flight) ─► leader
 *                       latest chain head ─► ATTEST entry (one in flight)
 *  Ratis StateMachineUpdater (1)  applyTransaction, log order:
 *                       BATCH ─► primary.submitCommit(k, txs)  (returns at once)
 *                       ATTEST ─► DigestChain.onAttestation (compare)
 *  remora-publish (primary) commit future ─► DigestChain.onCommit ─► Proposer.attest(head)
 * </pre>
 * The controller side ({@link io.remora.examples.ratis.ValidatorsRun}) runs on one thread: load,
 * kills and restarts, status polling, the final check against the sequential reference executor.
 */
package io.remora.examples.ratis;
