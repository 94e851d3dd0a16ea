package io.remora.primary;

import io.remora.core.Transaction;
import io.remora.core.testkit.Signatures;
import io.remora.core.workload.WorkloadGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What consensus may do to a commit stream that the primary must survive exactly once: order a
 * transaction again, in the same commit or a later one, with the same signature, with another
 * valid signature by the same key, or with a garbage signature, the forged copy sometimes ordered
 * <em>before</em> the genuine one.
 */
final class Duplicates {
    enum Copy { SAME_SIGNATURE, OTHER_VALID_SIGNATURE, GARBAGE_SIGNATURE }

    private Duplicates() {
    }

    /**
     * A copy of {@code commits} where each transaction has, with probability {@code rate}, a copy
     * inserted at a random position of its own commit (after it, or before it for a garbage
     * signature) or of a later commit (or, for a garbage signature, of an earlier one).
     *
     * @param signer re-signs for {@link Copy#OTHER_VALID_SIGNATURE} (null: that kind is not drawn)
     */
    static List<List<Transaction>> inject(List<List<Transaction>> commits, WorkloadGenerator signer, Random rnd,
                                          double rate) {
        List<List<Transaction>> out = new ArrayList<>();
        for (List<Transaction> c : commits) {
            out.add(new ArrayList<>(c));
        }
        for (int c = 0; c < commits.size(); c++) {
            for (Transaction tx : commits.get(c)) {
                if (rnd.nextDouble() >= rate) {
                    continue;
                }
                int k = rnd.nextInt(signer == null ? 2 : 3);
                Copy kind = k == 0 ? Copy.SAME_SIGNATURE : k == 1 ? Copy.GARBAGE_SIGNATURE : Copy.OTHER_VALID_SIGNATURE;
                Transaction copy = switch (kind) {
                    case SAME_SIGNATURE -> tx;
                    case OTHER_VALID_SIGNATURE -> Signatures.resigned(tx, signer.signer(tx.sender()), rnd.nextLong());
                    case GARBAGE_SIGNATURE -> {
                        byte[] sig = new byte[64];
                        rnd.nextBytes(sig);
                        yield tx.withSignature(sig);
                    }
                };
                boolean before = kind == Copy.GARBAGE_SIGNATURE && rnd.nextBoolean();
                int target = before ? rnd.nextInt(c + 1) : c + rnd.nextInt(Math.min(3, commits.size() - c));
                List<Transaction> into = out.get(target);
                int at = into.indexOf(tx);
                int pos;
                if (target == c && at >= 0) {
                    pos = before ? rnd.nextInt(at + 1) : at + 1 + rnd.nextInt(into.size() - at);
                } else {
                    pos = rnd.nextInt(into.size() + 1);
                }
                into.add(pos, copy);
            }
        }
        List<List<Transaction>> frozen = new ArrayList<>();
        for (List<Transaction> c : out) {
            frozen.add(List.copyOf(c));
        }
        return frozen;
    }
}
