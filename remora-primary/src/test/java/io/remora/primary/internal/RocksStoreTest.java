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
import io.remora.core.Transaction;
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

    private static final io.remora.core.Ed25519KeyPair KEY = io.remora.core.Ed25519KeyPair.generate(new java.util.Random(7));

    /** A signed transaction (its content is irrelevant here: only its digest and signature are stored). */
    static Transaction tx(long nonce) {
        return Transaction.sign(KEY, nonce, 1000, List.of(), "coin", "mint", new byte[8]);
    }

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
            Transaction t = tx(9);
            Effects e = new Effects(t.digest(), ExecutionStatus.SUCCESS, 1, 2, List.of(),
                    List.of(new Effects.Written(big, true)), List.of(gone.id()), List.of());
            s.writeCommitChunk(0, 0, true, List.of(t), 0, 1, new Effects[] {e}, changes, Digest.of(1, 1, 1, 1));
            check(s, kept, big, gone);
            assertEquals(e.digest(), s.readEffects(e.transaction()).digest());
            assertEquals(true, s.executed(t.digest()));
            assertEquals(false, s.executed(tx(10).digest()));
        }
        try (RocksStore s = new RocksStore(dir, FsyncPolicy.EVERY_COMMIT)) {
            check(s, kept, big, gone);
            assertEquals(0, s.lastCommit());
        }
    }

    @Test
    void shouldSyncOncePerGroupOfCommitsWrittenBeforeTheSyncAndNeverWithoutFsync() {
        StoredObject o = object(1, 1, 8);
        try (RocksStore s = new RocksStore(dir.resolve("every"), FsyncPolicy.EVERY_COMMIT)) {
            s.writeGenesis(List.of(o), Digest.ZERO);
            commit(s, 0);
            commit(s, 1);
            s.awaitDurable(0); // covers commit 1 too: it was written before the sync started
            assertEquals(1, s.walSyncs());
            s.awaitDurable(1);
            assertEquals(1, s.walSyncs());
            commit(s, 2);
            s.awaitDurable(2);
            assertEquals(2, s.walSyncs());
            assertEquals(2, s.lastCommit());
        }
        try (RocksStore s = new RocksStore(dir.resolve("never"), FsyncPolicy.NEVER)) {
            s.writeGenesis(List.of(o), Digest.ZERO);
            commit(s, 0);
            s.awaitDurable(0);
            assertEquals(0, s.walSyncs());
        }
    }

    private static void commit(RocksStore s, long index) {
        StoredObject next = object(1, index + 2, 8);
        LinkedHashMap<ObjectId, StoredObject> changes = new LinkedHashMap<>();
        changes.put(next.id(), next);
        Transaction t = tx(index);
        Effects e = new Effects(t.digest(), ExecutionStatus.SUCCESS, 1, index + 2, List.of(),
                List.of(new Effects.Written(next, false)), List.of(), List.of());
        s.writeCommitChunk(index, 0, true, List.of(t), 0, 1, new Effects[] {e}, changes, Digest.of(index, 1, 1, 1));
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
