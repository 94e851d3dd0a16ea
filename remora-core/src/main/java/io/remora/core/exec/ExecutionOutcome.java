package io.remora.core.exec;

import io.remora.core.Effects;
import io.remora.core.LookupTable;

/**
 * The result of executing one transaction against a {@link StateView}: its effects, the lookup
 * table of what it read and computed, and what the hints saved.
 *
 * @param signatureSkipped true if a hint said the signature was already verified
 * @param precompilesReused precompile calls answered from the hints instead of computed
 */
public record ExecutionOutcome(Effects effects, LookupTable lookupTable, boolean signatureSkipped,
                               int precompilesReused) {
}
