package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.remora.core.Address;
import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.primary.FsyncPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Object reads (present, absent, deleted) through the bloom-filtered lookup, before and after a reopen. */
class RocksStoreTest {
    @TempDir
    Path dir;

    static StoredObject object(int i, long version, int size) {
        return new StoredObject(ObjectId.of(i, 11, 12, 13), version, Owner.address(Address.of(1, 2, 3, i)), "t",
                new byte[size]);
    }

    @Test
    void shouldReadBackWhatCommitsWroteAndNothingElse() {
        StoredObject kept = object(1, 1, 8);
        StoredObject big = object(2, 2, 60_000);
        StoredObject gone = object(3, 1, 8);
        try (RocksStore s = new RocksStore(dir, FsyncPolicy.EVERY_COMMIT)) {
            s.writeGenesis(List.of(kept, gone), Digest.ZERO);
            LinkedHashMap<ObjectId, StoredObject> changes = new LinkedHashMap<>();
            changes.put(big.id(), big);
            changes.put(gone.id(), null);
            Effects e = new Effects(Digest.of(9, 9, 9, 9), ExecutionStatus.SUCCESS, 1, 2, List.of(),
                    List.of(new Effects.Written(big, true)), List.of(gone.id()), List.of());
            s.writeCommit(0, new Effects[] {e}, changes, Digest.of(1, 1, 1, 1));
            check(s, kept, big, gone);
            assertEquals(e.digest(), s.readEffects(e.transaction()).digest());
        }
        try (RocksStore s = new RocksStore(dir, FsyncPolicy.EVERY_COMMIT)) {
            check(s, kept, big, gone);
            assertEquals(0, s.lastCommit());
        }
    }

    private static void check(RocksStore s, StoredObject kept, StoredObject big, StoredObject gone) {
        assertEquals(kept, s.readObject(kept.id()));
        assertEquals(big, s.readObject(big.id()));
        assertNull(s.readObject(gone.id()));
        for (int i = 100; i < 1100; i++) {
            assertNull(s.readObject(ObjectId.of(i, 11, 12, 13)));
        }
    }
}
