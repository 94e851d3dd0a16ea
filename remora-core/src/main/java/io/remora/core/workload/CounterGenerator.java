package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.core.engine.CounterProgram;
import java.util.List;

/** Increments of shared counters chosen by Zipf(theta) among k; 8 senders take turns. No owned inputs. */
final class CounterGenerator extends BaseGenerator {
    private final List<Ed25519KeyPair> senders;
    private final ObjectId[] counters;
    private final Zipf zipf;
    private long count;

    CounterGenerator(long seed, int k, double theta) {
        super("sharedCounters(k=" + k + ", theta=" + theta + ")", seed);
        requirePositive("k", k);
        this.zipf = new Zipf(k, theta);
        this.senders = newKeys(8);
        this.counters = new ObjectId[k];
        for (int i = 0; i < k; i++) {
            counters[i] = newId();
            addGenesis(CounterProgram.genesisCounter(counters[i], 0));
        }
    }

    @Override
    public Transaction next() {
        Ed25519KeyPair sender = senders.get((int) (count++ % senders.size()));
        ObjectId c = counters[zipf.sample(random)];
        return sign(sender, DEFAULT_GAS, List.of(InputObject.shared(c, true)), CounterProgram.NAME, "increment",
                CounterProgram.incrementArgs(1 + random.nextInt(10)));
    }
}
