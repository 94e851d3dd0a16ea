package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.core.engine.KvProgram;
import java.util.List;

/**
 * YCSB: records of {@value #VALUE_BYTES} bytes, chosen by Zipf(theta); a fraction {@code readRatio}
 * of operations are reads (read-only shared input), the rest updates; 8 senders take turns.
 */
final class YcsbGenerator extends BaseGenerator {
    static final int VALUE_BYTES = 100;
    private final List<Ed25519KeyPair> senders;
    private final ObjectId[] records;
    private final Zipf zipf;
    private final double readRatio;
    private long count;

    YcsbGenerator(String name, long seed, int records, double theta, double readRatio) {
        super(name, seed);
        requirePositive("records", records);
        this.zipf = new Zipf(records, theta);
        this.readRatio = readRatio;
        this.senders = newKeys(8);
        this.records = new ObjectId[records];
        for (int i = 0; i < records; i++) {
            this.records[i] = newId();
            addGenesis(KvProgram.genesisRecord(this.records[i], value()));
        }
    }

    private byte[] value() {
        byte[] v = new byte[VALUE_BYTES];
        random.nextBytes(v);
        return v;
    }

    @Override
    public Transaction next() {
        Ed25519KeyPair sender = senders.get((int) (count++ % senders.size()));
        ObjectId rec = records[zipf.sample(random)];
        if (random.nextDouble() < readRatio) {
            return sign(sender, DEFAULT_GAS, List.of(InputObject.shared(rec, false)), KvProgram.NAME, "read",
                    KvProgram.readArgs());
        }
        return sign(sender, DEFAULT_GAS, List.of(InputObject.shared(rec, true)), KvProgram.NAME, "update",
                KvProgram.updateArgs(value()));
    }
}
