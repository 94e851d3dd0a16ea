package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Address;
import io.remora.core.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded: an admission that refuses at random (a refusal streak per seed); the client must admit
 * every transaction exactly once, each sender's in signing order, and its counters must add up.
 * The seed is printed; a failure names it.
 */
class RetryingClientTest {
    private static final long MS = 1_000_000L;

    @Test
    void shouldAdmitEveryTransactionOnceInEachSendersOrder() {
        for (long seed = 1; seed <= 50; seed++) {
            System.out.println("RetryingClientTest seed " + seed);
            check(seed);
        }
    }

    private static void check(long seed) {
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L);
        int senders = 1 + rnd.nextInt(8);
        int n = 50 + rnd.nextInt(400);
        double refuse = rnd.nextDouble() * 0.8;
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Address sender = Address.of(0, 0, 0, rnd.nextInt(senders));
            txs.add(Transaction.of(sender, new byte[32], i, 1000, List.of(), "coin", "noop", new byte[0], new byte[64]));
        }
        List<Integer> admitted = new ArrayList<>();
        int[] refusals = {0};
        Admission admission = (index, tx) -> {
            if (rnd.nextDouble() < refuse) {
                refusals[0]++;
                return false;
            }
            admitted.add(index);
            return true;
        };
        RetryingClient client = new RetryingClient(admission, txs, 20 * MS, 320 * MS);
        long now = 0;
        for (int i = 0; i < n; i++) {
            now += rnd.nextInt(3) * MS;
            client.retryDue(now);
            client.offer(i, now);
        }
        for (int round = 0; client.outstanding() > 0 && round < 100_000; round++) {
            now = Math.max(now, client.nextDueNanos());
            client.retryDue(now);
        }
        String where = "seed " + seed + " (senders " + senders + ", n " + n + ", refuse " + refuse + ")";
        assertEquals(0, client.outstanding(), where);
        assertEquals(n, admitted.size(), where + ": admitted count");
        assertEquals(n, new HashSet<>(admitted).size(), where + ": admitted twice");
        Map<Address, Integer> last = new HashMap<>();
        for (int index : admitted) {
            Integer prev = last.put(txs.get(index).sender(), index);
            assertTrue(prev == null || prev < index, where + ": sender order broken at " + index + " after " + prev);
        }
        assertEquals(refusals[0], client.rejections(), where + ": refusals");
        assertTrue(client.retriesAdmitted() <= refusals[0], where);
    }

    @Test
    void shouldBackOffDoublingUpToTheCap() {
        List<Transaction> txs = List.of(Transaction.of(Address.of(0, 0, 0, 1), new byte[32], 0, 1000, List.of(),
                "coin", "noop", new byte[0], new byte[64]));
        List<Long> tries = new ArrayList<>();
        long[] clock = {0};
        RetryingClient client = new RetryingClient((i, tx) -> {
            tries.add(clock[0]);
            return tries.size() > 6;
        }, txs, 20 * MS, 320 * MS);
        client.offer(0, 0);
        while (client.outstanding() > 0) {
            clock[0] = client.nextDueNanos();
            client.retryDue(clock[0]);
        }
        assertEquals(List.of(0L, 20 * MS, 60 * MS, 140 * MS, 300 * MS, 620 * MS, 940 * MS), tries);
        assertEquals(6, client.rejections());
        assertEquals(1, client.retriesAdmitted());
    }
}
