package io.remora.core.store;

import io.remora.core.Digest;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.testkit.Seeds;
import io.remora.core.testkit.Shrink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class StateDigestTest {
    private static StoredObject object(Random r, long version) {
        byte[] c = new byte[r.nextInt(16)];
        r.nextBytes(c);
        return new StoredObject(ObjectId.of(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()), version,
                Owner.shared(1), "t", c);
    }

    private static Digest fromScratch(Iterable<StoredObject> live) {
        StateDigest d = new StateDigest();
        live.forEach(d::add);
        return d.digest();
    }

    @Test
    void shouldBeOrderIndependent() {
        long seed = Seeds.seed("StateDigestTest.order");
        Random r = new Random(seed);
        List<StoredObject> objects = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            objects.add(object(r, 1 + r.nextInt(5)));
        }
        Digest a = fromScratch(objects);
        Collections.shuffle(objects, r);
        assertEquals(a, fromScratch(objects), Seeds.replay(seed));
        objects.remove(0);
        assertNotEquals(a, fromScratch(objects), Seeds.replay(seed));
        assertEquals(Digest.ZERO, new StateDigest().digest());
    }

    /** An operation: put (add or replace) or remove, by object index in a small universe of ids. */
    private record Op(boolean remove, int slot, long version, long contentsSeed) {
    }

    @Test
    void incrementalUpdatesShouldEqualRecomputation() {
        long seed = Seeds.seed("StateDigestTest.incremental");
        Random r = new Random(seed);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ops.add(new Op(r.nextInt(3) == 0, r.nextInt(40), 1 + r.nextInt(1000), r.nextLong()));
        }
        Shrink.checkPrefixes(seed, ops, StateDigestTest::replay);
    }

    private static void replay(List<Op> ops) {
        ObjectId[] ids = new ObjectId[40];
        Random idr = new Random(99);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ObjectId.of(idr.nextLong(), idr.nextLong(), idr.nextLong(), idr.nextLong());
        }
        InMemoryObjectStore store = new InMemoryObjectStore();
        StateDigest manual = new StateDigest();
        Map<ObjectId, StoredObject> live = new LinkedHashMap<>();
        for (Op op : ops) {
            ObjectId id = ids[op.slot()];
            StoredObject prev = live.get(id);
            if (op.remove()) {
                if (prev != null) {
                    live.remove(id);
                    manual.remove(prev);
                    store.apply(new io.remora.core.Effects(Digest.ZERO, io.remora.core.ExecutionStatus.SUCCESS, 0, 1,
                            List.of(), List.of(), List.of(id), List.of()));
                }
            } else {
                byte[] c = new byte[8];
                new Random(op.contentsSeed()).nextBytes(c);
                StoredObject o = new StoredObject(id, op.version(), Owner.shared(1), "t", c);
                if (prev != null) {
                    manual.remove(prev);
                }
                manual.add(o);
                live.put(id, o);
                store.put(o);
            }
            Digest expected = fromScratch(live.values());
            assertEquals(expected, manual.digest());
            assertEquals(expected, store.stateDigest());
        }
    }

    @Test
    void addThenSubtractShouldCarryAndBorrowAcrossWords() {
        StateDigest d = new StateDigest();
        Digest max = Digest.of(-1L, -1L, -1L, -1L);
        Digest one = Digest.of(0, 0, 0, 1);
        d.add(max);
        d.add(one);
        assertEquals(Digest.ZERO, d.digest());
        d.subtract(one);
        assertEquals(max, d.digest());
        d.set(Digest.of(0, -1L, 0, -1L));
        d.add(one);
        assertEquals(Digest.of(0, -1L, 1, 0), d.digest());
        d.subtract(one);
        assertEquals(Digest.of(0, -1L, 0, -1L), d.digest());
    }
}
