package io.remora.primary.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.remora.core.ObjectId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The Java-serialized batch is byte for byte what RocksDB's own WriteBatch builds, and writes the same. */
class SerializedBatchTest {
    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path dir;

    @Test
    void shouldSerializeExactlyAsRocksDbAndWriteAtomically() throws Exception {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions dbo = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             ColumnFamilyOptions cfo = new ColumnFamilyOptions()) {
            List<ColumnFamilyDescriptor> ds = new ArrayList<>();
            for (String n : List.of("default", "a", "b")) {
                ds.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.US_ASCII), cfo));
            }
            try (RocksDB db = RocksDB.open(dbo, dir.toString(), ds, handles);
                 WriteOptions wo = new WriteOptions().setSync(true)) {
                Random rnd = new Random(7);
                SerializedBatch ours = new SerializedBatch(16); // grows many times
                for (int round = 0; round < 3; round++) {
                    ours.reset();
                    List<byte[]> liveKeys = new ArrayList<>();
                    List<byte[]> liveValues = new ArrayList<>();
                    List<Integer> liveCf = new ArrayList<>();
                    try (WriteBatch theirs = new WriteBatch()) {
                        for (int i = 0; i < 300; i++) {
                            int cf = rnd.nextInt(3);
                            ColumnFamilyHandle h = handles.get(cf);
                            int sizeClass = rnd.nextInt(4);
                            int vlen = switch (sizeClass) {
                                case 0 -> 0;
                                case 1 -> rnd.nextInt(128);
                                case 2 -> 128 + rnd.nextInt(20_000);
                                default -> 16_384 + rnd.nextInt(300_000);
                            };
                            byte[] value = new byte[vlen + 3];
                            rnd.nextBytes(value);
                            ObjectId id = ObjectId.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), round * 1000L + i);
                            switch (rnd.nextInt(3)) {
                                case 0 -> {
                                    theirs.put(h, id.toBytes(), java.util.Arrays.copyOfRange(value, 3, value.length));
                                    ours.put(h.getID(), id, value, 3, vlen);
                                    liveKeys.add(id.toBytes());
                                    liveValues.add(java.util.Arrays.copyOfRange(value, 3, value.length));
                                    liveCf.add(cf);
                                }
                                case 1 -> {
                                    byte[] key = new byte[1 + rnd.nextInt(200)];
                                    rnd.nextBytes(key);
                                    theirs.put(h, key, value);
                                    ours.put(h.getID(), key, value);
                                    liveKeys.add(key);
                                    liveValues.add(value);
                                    liveCf.add(cf);
                                }
                                default -> {
                                    theirs.delete(h, id.toBytes());
                                    ours.delete(h.getID(), id);
                                }
                            }
                        }
                        byte[] serialized = ours.toByteArray();
                        assertEquals(theirs.count(), ours.count());
                        assertArrayEquals(theirs.data(), serialized);
                        try (WriteBatch fromJava = new WriteBatch(serialized)) {
                            assertEquals(theirs.count(), fromJava.count());
                            db.write(wo, fromJava);
                        }
                    }
                    for (int k = 0; k < liveKeys.size(); k++) {
                        assertArrayEquals(liveValues.get(k), db.get(handles.get(liveCf.get(k)), liveKeys.get(k)));
                    }
                }
                // A deletion written through the serialized form removes the key.
                ObjectId gone = ObjectId.of(1, 2, 3, 4);
                ColumnFamilyHandle b = handles.get(2);
                db.put(b, gone.toBytes(), new byte[] {9});
                try (WriteBatch del = new WriteBatch(ours.reset().delete(b.getID(), gone).toByteArray())) {
                    db.write(wo, del);
                }
                assertNull(db.get(b, gone.toBytes()));
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }
}
