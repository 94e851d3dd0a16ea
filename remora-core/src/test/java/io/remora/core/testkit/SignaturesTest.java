package io.remora.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Transaction;
import io.remora.core.workload.WorkloadGenerator;
import io.remora.core.workload.Workloads;
import org.junit.jupiter.api.Test;

class SignaturesTest {
    @Test
    void shouldMakeASecondDifferentValidSignatureForTheSameDigest() {
        long seed = Seeds.seed("SignaturesTest");
        WorkloadGenerator g = Workloads.coinOps(seed, 3);
        for (int i = 0; i < 20; i++) {
            Transaction tx = g.next();
            Transaction again = Signatures.resigned(tx, g.signer(tx.sender()), seed + i);
            assertTrue(tx.verifySignature(), Seeds.replay(seed));
            assertTrue(again.verifySignature(), "re-signed copy verifies; " + Seeds.replay(seed));
            assertEquals(tx.digest(), again.digest());
            assertNotEquals(tx, again, "another signature");
            assertFalse(tx.withSignature(new byte[64]).verifySignature());
        }
    }
}
