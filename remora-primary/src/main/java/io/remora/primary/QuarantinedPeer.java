package io.remora.primary;

import io.remora.core.Digest;
import java.time.Instant;

/**
 * A peer the primary caught lying: its results are ignored, it is disconnected and refused until
 * an operator re-admits it ({@link RemoraPrimary#readmit}). Persisted in the data directory, so it
 * survives restarts. Read with {@link RemoraPrimary#quarantinedPeers()}.
 *
 * @param nodeId         the peer's authenticated node id ("" for results the host offered itself)
 * @param transaction    the transaction whose result proved false
 * @param claimedEffects digest of the effects the peer claimed ({@link Digest#ZERO} for a verify-only result)
 * @param ownEffects     digest of the effects the primary computed and applied
 * @param reason         what was false (effects, signature verdict, precompile output)
 * @param since          when the primary quarantined it
 */
public record QuarantinedPeer(String nodeId, Digest transaction, Digest claimedEffects, Digest ownEffects,
                              String reason, Instant since) {
}
