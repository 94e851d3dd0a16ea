package io.remora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.HashLinkedListMemTableConfig;
import org.rocksdb.HashSkipListMemTableConfig;
import org.rocksdb.Holder;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SkipListMemTableConfig;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The two RocksDB choices behind the primary's persistence stage ({@code RocksStore}), measured on
 * raw RocksDB with the primary's data shapes, so that they can be re-checked on other machines or
 * RocksDB versions:
 *
 * <ul>
 *   <li>{@link #writeCommit}: one atomic write batch shaped like a 1,000-transfer commit (2,000
 *       objects of 110 bytes and 1,000 effects of 300 bytes, random 32-byte keys, in two column
 *       families), synced ({@code sync}), into memtables of kind {@code memtable}. Score: time per
 *       commit. 20 commits per invocation on a fresh database (the benchmark's commits fit in the
 *       first memtable: no flush is measured).</li>
 *   <li>{@link #absentLookup}: looking up a key that is not there (the previous version of an
 *       object a commit creates), among 40,000 keys in a hash-linked-list memtable, by
 *       {@code lookup}: {@code keyMayExist} with a value holder, without one, {@code keyExists},
 *       or {@code get}. Score: time per lookup.</li>
 * </ul>
 *
 * <pre>
 * java -jar remora-bench/target/benchmarks.jar \
 *      RocksDbChoicesBenchmark -rf json -rff rocksdb-choices.json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RocksDbChoicesBenchmark {
    static {
        RocksDB.loadLibrary();
    }

    static final int COMMITS = 20;
    static final int OBJECTS = 2_000;
    static final int EFFECTS = 1_000;

    /** A RocksDB with a default, an objects and an effects column family in a temporary directory. */
    static final class Db implements AutoCloseable {
        final Path dir;
        final DBOptions dbOptions;
        final ColumnFamilyOptions cfOptions;
        final List<ColumnFamilyHandle> handles = new ArrayList<>();
        final RocksDB db;

        Db(String memtable) throws IOException, RocksDBException {
            dir = Files.createTempDirectory("remora-rocks-bench");
            cfOptions = new ColumnFamilyOptions();
            boolean concurrent = true;
            switch (memtable) {
                case "skiplist" -> cfOptions.setMemTableConfig(new SkipListMemTableConfig());
                case "hashlinklist" -> {
                    cfOptions.useFixedLengthPrefixExtractor(8).setMemTableConfig(new HashLinkedListMemTableConfig());
                    concurrent = false;
                }
                case "hashskiplist" -> {
                    cfOptions.useFixedLengthPrefixExtractor(8).setMemTableConfig(new HashSkipListMemTableConfig());
                    concurrent = false;
                }
                default -> throw new IllegalArgumentException("memtable=" + memtable);
            }
            dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setAllowConcurrentMemtableWrite(concurrent);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : List.of("default", "objects", "effects")) {
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), cfOptions));
            }
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        }

        @Override
        public void close() {
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            cfOptions.close();
            dbOptions.close();
            io.remora.bench.harness.TempDirectory.deleteRecursively(dir);
        }
    }

    @State(Scope.Thread)
    public static class Writes {
        @Param({"skiplist", "hashlinklist", "hashskiplist"})
        public String memtable;

        @Param({"true", "false"})
        public boolean sync;

        byte[][][] keys;
        final byte[] object = new byte[110];
        final byte[] effects = new byte[300];
        Db db;
        WriteOptions writeOptions;

        @Setup(Level.Trial)
        public void keys() {
            Random random = new Random(Fixtures.SEED);
            keys = new byte[COMMITS][OBJECTS + EFFECTS][32];
            for (byte[][] commit : keys) {
                for (byte[] k : commit) {
                    random.nextBytes(k);
                }
            }
            random.nextBytes(object);
            random.nextBytes(effects);
            writeOptions = new WriteOptions().setSync(sync);
        }

        @Setup(Level.Invocation)
        public void open() throws IOException, RocksDBException {
            db = new Db(memtable);
        }

        @TearDown(Level.Invocation)
        public void close() {
            db.close();
        }

        @TearDown(Level.Trial)
        public void closeOptions() {
            writeOptions.close();
        }
    }

    /** 20 commit-shaped batches on a fresh database; score per commit. */
    @Benchmark
    @OperationsPerInvocation(COMMITS)
    public void writeCommit(Writes s) throws RocksDBException {
        ColumnFamilyHandle objects = s.db.handles.get(1);
        ColumnFamilyHandle effects = s.db.handles.get(2);
        for (byte[][] commit : s.keys) {
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = 0; i < OBJECTS; i++) {
                    batch.put(objects, commit[i], s.object);
                }
                for (int i = OBJECTS; i < OBJECTS + EFFECTS; i++) {
                    batch.put(effects, commit[i], s.effects);
                }
                s.db.db.write(s.writeOptions, batch);
            }
        }
    }

    @State(Scope.Thread)
    public static class Lookups {
        @Param({"keyMayExist-holder", "keyMayExist", "keyExists", "get"})
        public String lookup;

        static final int ABSENT = 1024;
        Db db;
        ColumnFamilyHandle objects;
        byte[][] absent;
        int next;

        @Setup(Level.Trial)
        public void fill() throws IOException, RocksDBException {
            db = new Db("hashlinklist");
            objects = db.handles.get(1);
            Random random = new Random(Fixtures.SEED);
            byte[] value = new byte[110];
            try (WriteBatch batch = new WriteBatch(); WriteOptions wo = new WriteOptions()) {
                for (int i = 0; i < 40_000; i++) {
                    byte[] k = new byte[32];
                    random.nextBytes(k);
                    batch.put(objects, k, value);
                }
                db.db.write(wo, batch);
            }
            absent = new byte[ABSENT][32];
            for (byte[] k : absent) {
                random.nextBytes(k);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    @Benchmark
    public boolean absentLookup(Lookups s) throws RocksDBException {
        byte[] key = s.absent[s.next++ & (Lookups.ABSENT - 1)];
        RocksDB db = s.db.db;
        boolean found = switch (s.lookup) {
            case "keyMayExist-holder" -> db.keyMayExist(s.objects, key, new Holder<>());
            case "keyMayExist" -> db.keyMayExist(s.objects, key, null);
            case "keyExists" -> db.keyExists(s.objects, key);
            case "get" -> db.get(s.objects, key) != null;
            default -> throw new IllegalArgumentException("lookup=" + s.lookup);
        };
        if (found && !s.lookup.startsWith("keyMayExist")) {
            throw new IllegalStateException("an absent key was found");
        }
        return found;
    }
}
