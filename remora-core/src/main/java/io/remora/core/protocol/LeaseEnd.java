package io.remora.core.protocol;

import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * LEASE_END (primary to pre-executor, reliable): lease {@code epoch} is over; the delegate drops
 * its objects and executes nothing more for it (the primary executes whatever it had not adopted).
 *
 * <pre>
 *  0        1
 *  +--------+-------------+
 *  | ver u8 | epoch i64>0 |
 *  +--------+-------------+
 *  VERSION_OFFSET = 0, EPOCH_OFFSET = 1
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public record LeaseEnd(long epoch) implements ClusterMessage {
    public static final int EPOCH_OFFSET = 1;

    public LeaseEnd {
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch=" + epoch + " (expected: > 0)");
        }
    }

    void encode(WireWriter w) {
        w.i64(epoch);
    }

    static LeaseEnd decode(WireReader r) {
        long epoch = r.i64("leaseEnd.epoch");
        if (epoch <= 0) {
            throw new io.remora.core.codec.CodecException(io.remora.core.codec.CodecException.Kind.BAD_VALUE,
                    "leaseEnd.epoch", r.position() - 8, "epoch=" + epoch + " (expected: > 0)");
        }
        return new LeaseEnd(epoch);
    }
}
