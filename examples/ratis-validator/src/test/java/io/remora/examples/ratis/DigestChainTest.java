package io.remora.examples.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.exec.TransactionExecutor;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestChainTest {
    private static final Digest GENESIS = Digest.of(1, 2, 3, 4);

    private static List<Effects> effects(long k) {
        return List.of(TransactionExecutor.duplicate(Digest.of(k, 0, 0, 1)));
    }

    private static Digest state(long k) {
        return Digest.of(0, 0, 0, 100 + k);
    }

    @Test
    void shouldChainCommitsInCommitOrderWhateverOrderTheyComplete() {
        DigestChain inOrder = new DigestChain(GENESIS);
        DigestChain shuffled = new DigestChain(GENESIS);
        for (long k = 0; k < 4; k++) {
            inOrder.onCommit(k, state(k), effects(k), false);
        }
        shuffled.onCommit(2, state(2), effects(2), false);
        shuffled.onCommit(0, state(0), effects(0), false);
        assertEquals(0, shuffled.head().commit(), "commit 2 waits for commit 1");
        shuffled.onCommit(3, state(3), effects(3), false);
        shuffled.onCommit(1, state(1), effects(1), false);
        assertEquals(inOrder.head(), shuffled.head());
        assertEquals(3, shuffled.head().commit());
        Digest expected = DigestChain.link(0, GENESIS, state(0), effects(0));
        assertEquals(expected, inOrder.links(0, 1).get(0).chain());
    }

    @Test
    void shouldLinkEveryInputIntoTheDigest() {
        Digest base = DigestChain.link(5, GENESIS, state(5), effects(5));
        assertNotEquals(base, DigestChain.link(6, GENESIS, state(5), effects(5)), "commit index");
        assertNotEquals(base, DigestChain.link(5, Digest.ZERO, state(5), effects(5)), "previous link");
        assertNotEquals(base, DigestChain.link(5, GENESIS, state(6), effects(5)), "state digest");
        assertNotEquals(base, DigestChain.link(5, GENESIS, state(5), effects(6)), "effects");
    }

    @Test
    void shouldCompareAttestationsBeforeAndAfterOurOwnCommitAndReportADivergence() {
        DigestChain c = new DigestChain(GENESIS);
        Digest good0 = DigestChain.link(0, GENESIS, state(0), effects(0));
        c.onAttestation("v2", -1, GENESIS);
        c.onAttestation("v2", 0, good0);               // before we have commit 0: compared once we do
        c.onAttestation("v3", 0, Digest.of(9, 9, 9, 9)); // a validator that executed commit 0 differently
        assertEquals(1, c.agreements(), "only the genesis attestation compared yet");
        assertEquals(0, c.divergences().size(), "nothing to compare commit 0 with yet");
        c.onCommit(0, state(0), effects(0), false);
        c.onAttestation("v1", 0, good0);               // after
        assertEquals(3, c.agreements());
        assertEquals(1, c.divergences().size());
        assertEquals("v3", c.divergences().get(0).validator());
        assertEquals(0, c.divergences().get(0).commit());
        assertEquals(0L, c.lastAttested().get("v3"));
    }

    @Test
    void shouldReportAnotherGenesisAsADivergence() {
        DigestChain c = new DigestChain(GENESIS);
        c.onAttestation("v9", -1, Digest.ZERO);
        assertEquals(1, c.divergences().size());
    }
}
