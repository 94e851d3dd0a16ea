package io.remora.core.protocol;

import io.remora.core.codec.RandomValues;
import java.util.List;
import java.util.function.Function;

/**
 * Seeded generators of valid cluster messages, covering every flag, empty and limit-sized lists.
 * Batches stay small (the elements themselves are already varied by {@link RandomValues}), so
 * every generated message fits {@link ClusterMessages#MAX_PAYLOAD_BYTES}.
 *
 * <p>Not thread-safe.
 */
public final class RandomMessages {
    /** Every message type with its generator, for table-driven tests. */
    public static final List<Generator> ALL = List.of(
            new Generator("EXECUTE", RandomMessages::execute),
            new Generator("RESULT", RandomMessages::results),
            new Generator("STATE_UPDATE", RandomMessages::stateUpdate),
            new Generator("SNAPSHOT_REQUEST", RandomMessages::snapshotRequest),
            new Generator("SNAPSHOT_CHUNK", RandomMessages::snapshotChunk),
            new Generator("HOT_SET", RandomMessages::hotSet),
            new Generator("OBJECT_REQUEST", RandomMessages::objectRequest),
            new Generator("OBJECT_RESPONSE", RandomMessages::objectResponse),
            new Generator("COMMITTED", RandomMessages::committed),
            new Generator("LEASE_GRANT", RandomMessages::leaseGrant),
            new Generator("LEASE_EXECUTE", RandomMessages::leaseExecute),
            new Generator("LEASE_END", RandomMessages::leaseEnd),
            new Generator("LEASE_RESULT", RandomMessages::leaseResults));

    /** A named generator. */
    public record Generator(String name, Function<RandomValues, ClusterMessage> generate) {
        @Override
        public String toString() {
            return name;
        }
    }

    private RandomMessages() {
    }

    private static int batch(RandomValues rv) {
        return rv.chance(0.004) ? ClusterMessages.MAX_BATCH : 1 + rv.nextInt(rv.chance(0.9) ? 3 : 16);
    }

    public static Execute execute(RandomValues rv) {
        return new Execute(rv.list(batch(rv), rv::transaction));
    }

    public static Results results(RandomValues rv) {
        // Results are big (effects, tables): one is the common case; a full batch is tested apart.
        return new Results(rv.list(1 + rv.nextInt(rv.chance(0.9) ? 1 : 3), rv::preExecResult));
    }

    public static StateUpdate stateUpdate(RandomValues rv) {
        long from = rv.chance(0.05) ? -1 : rv.longAtLeast(0) / 2;
        int flags = rv.nextInt(2);
        if (rv.chance(0.3)) {
            return new StateUpdate(flags | StateUpdate.FLAG_OBJECTS_ONLY, from, from,
                    rv.list(objects(rv), () -> rv.smallObject(rv.longAtLeast(1), 64)), List.of());
        }
        long to = from + 1 + rv.nextInt(1000);
        return new StateUpdate(flags, from, to, rv.list(objects(rv), () -> rv.smallObject(rv.longAtLeast(1), 64)),
                rv.list(objects(rv), rv::objectId));
    }

    public static SnapshotRequest snapshotRequest(RandomValues rv) {
        return new SnapshotRequest(rv.longAtLeast(0), rv.chance(0.2) ? -1 : rv.longAtLeast(0));
    }

    public static SnapshotChunk snapshotChunk(RandomValues rv) {
        return new SnapshotChunk(rv.longAtLeast(0), rv.chance(0.1) ? -1 : rv.longAtLeast(0), rv.nextInt(1 << 20),
                rv.chance(0.3), rv.list(objects(rv), rv::storedObject));
    }

    public static Committed committed(RandomValues rv) {
        int n = rv.chance(0.01) ? ClusterMessages.MAX_COMMITTED_ENTRIES : 1 + rv.nextInt(rv.chance(0.9) ? 8 : 256);
        Committed.Outcome[] outcomes = Committed.Outcome.values();
        return new Committed(rv.longAtLeast(0), rv.list(n, () -> {
            Committed.Outcome o = outcomes[rv.nextInt(outcomes.length)];
            return new Committed.Entry(rv.digest(), o, o == Committed.Outcome.STALE || o == Committed.Outcome.CONFLICT
                    ? rv.objectId() : null);
        }));
    }

    public static LeaseGrant leaseGrant(RandomValues rv) {
        int n = rv.chance(0.01) ? ClusterMessages.MAX_LEASE_OBJECTS : 1 + rv.nextInt(rv.chance(0.9) ? 8 : 256);
        java.util.Map<Object, io.remora.core.StoredObject> distinct = new java.util.LinkedHashMap<>();
        for (io.remora.core.StoredObject o : rv.list(n, () -> rv.smallObject(rv.longAtLeast(1), 64))) {
            distinct.putIfAbsent(o.id(), o); // a grant names each object once
        }
        return new LeaseGrant(1 + rv.longAtLeast(0) / 2, rv.longAtLeast(0), List.copyOf(distinct.values()));
    }

    public static LeaseExecute leaseExecute(RandomValues rv) {
        int n = batch(rv);
        int[] position = {rv.nextInt(1000)};
        return new LeaseExecute(1 + rv.longAtLeast(0) / 2, rv.longAtLeast(0), rv.list(n, () -> {
            position[0] += 1 + rv.nextInt(50);
            return new LeaseExecute.Entry(position[0], rv.transaction());
        }));
    }

    public static LeaseResults leaseResults(RandomValues rv) {
        return new LeaseResults(1 + rv.longAtLeast(0) / 2, rv.list(1 + rv.nextInt(rv.chance(0.9) ? 1 : 3), rv::preExecResult));
    }

    public static LeaseEnd leaseEnd(RandomValues rv) {
        return new LeaseEnd(1 + rv.longAtLeast(0) / 2);
    }

    public static HotSet hotSet(RandomValues rv) {
        int n = rv.chance(0.02) ? ClusterMessages.MAX_HOT_SET : (rv.chance(0.1) ? 0 : rv.nextInt(64));
        return new HotSet(rv.longAtLeast(0), rv.list(n, rv::objectId));
    }

    public static ObjectRequest objectRequest(RandomValues rv) {
        int n = rv.chance(0.02) ? ClusterMessages.MAX_OBJECT_REQUEST : 1 + rv.nextInt(16);
        return new ObjectRequest(rv.longAtLeast(0), rv.list(n, rv::objectId));
    }

    public static ObjectResponse objectResponse(RandomValues rv) {
        return new ObjectResponse(rv.longAtLeast(0), rv.chance(0.1) ? -1 : rv.longAtLeast(0),
                rv.list(rv.nextInt(8), () -> rv.smallObject(rv.longAtLeast(1), 128)),
                rv.list(rv.chance(0.02) ? ClusterMessages.MAX_OBJECT_REQUEST : rv.nextInt(8), rv::objectId));
    }

    public static LoadReport loadReport(RandomValues rv) {
        return new LoadReport(rv.nextInt(4), 1 + rv.nextInt(0xFFFF), rv.nextInt(Integer.MAX_VALUE),
                rv.nextInt(Integer.MAX_VALUE), rv.chance(0.1) ? -1 : rv.longAtLeast(0),
                rv.chance(0.3) ? -1 : rv.nextInt(LoadReport.BUSY_FULL + 1));
    }

    /** Mostly 0..8 elements (see {@link RandomValues#size}), 1% 2,000. */
    private static int objects(RandomValues rv) {
        return rv.chance(0.01) ? 2000 : rv.size(8, 8);
    }
}
