package io.remora.core.workload;

import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.engine.CoinProgram;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.core.testkit.Seeds;
import io.remora.core.testkit.Shrink;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Transfers, splits and merges conserve the sum of the balances of live coins, after every transaction. */
class CoinConservationTest {
    @RepeatedTest(3)
    void shouldConserveCoinsOnRandomTransferSplitMerge() {
        long seed = Seeds.seed("CoinConservationTest");
        Workload w = Workloads.coinOps(seed, 5).take(250);
        Shrink.checkPrefixes(seed, w.transactions(), txs -> check(w, txs));
    }

    private static void check(Workload w, List<Transaction> txs) {
        InMemoryObjectStore store = w.genesisStore();
        long supply = supply(store);
        SequentialExecutor seq = new SequentialExecutor(BuiltinEngine.executor("test"), store);
        for (int i = 0; i < txs.size(); i++) {
            seq.execute(txs.get(i));
            assertEquals(supply, supply(store), "after tx " + i + " " + txs.get(i));
        }
    }

    static long supply(InMemoryObjectStore store) {
        long sum = 0;
        for (StoredObject o : store.objects()) {
            if (o.typeTag().equals(CoinProgram.TYPE)) {
                sum += CoinProgram.balance(o);
            }
        }
        return sum;
    }
}
