package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.primary.FsyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.HashLinkedListMemTableConfig;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The primary's durable state in RocksDB: four column families, one atomic write batch per commit.
 *
 * <pre>
 *  column family  key                          value
 *  objects        object id (32)               StoredObject encoding   live objects only; deleted ones are removed
 *  effects        tx digest (32)               Effects encoding        authenticated executions only: the
 *                                                                      exactly-once index (see CommitRecord)
 *  commits        index (i64 BE) | chunk (u32 BE)  CommitRecord        per position: digest and outcome kind
 *  meta           "format"                     u32                     {@value #FORMAT_VERSION}
 *                 "last-commit"                i64                     last commit durable in full (absent: none yet)
 *                 "state-digest"               32 bytes                state digest after the last durable chunk
 *                 "partial-commit"             i64 | u32 | u32         commit, chunks durable, positions durable:
 *                                                                      present only between two chunks of a commit
 *                 "genesis-digest"             32 bytes                state digest of the genesis objects
 * </pre>
 *
 * <p>A commit is written as chunks of at most {@link CommitRecord#MAX_CHUNK_TRANSACTIONS}
 * positions (and about {@link CommitRecord#MAX_CHUNK_BYTES}), one atomic write batch each, so that
 * a commit of any size persists in bounded batches: after a crash between two chunks the store
 * holds the state after the last durable chunk and {@code partial-commit} says where the commit
 * resumes. Most commits are one chunk, one batch.
 *
 * <p>Ownership: this object owns every native handle it opens (options, the bloom filter, column
 * family handles, the database, write options) and closes them all in {@link #close()}, in reverse
 * order of creation.
 * Write batches live only inside the method that writes them.
 *
 * <p>Thread-safety: reads may run on any thread concurrently with one writer (the persistence
 * stage). {@link #close()} waits for running operations; any operation after it throws
 * IllegalStateException.
 */
public final class RocksStore implements AutoCloseable {
    private static final byte[] LAST_COMMIT = "last-commit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATE_DIGEST = "state-digest".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GENESIS_DIGEST = "genesis-digest".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARTIAL_COMMIT = "partial-commit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORMAT = "format".getBytes(StandardCharsets.US_ASCII);
    /** The layout this class reads and writes; a directory in another one is refused. */
    static final int FORMAT_VERSION = 2;

    /**
     * A commit whose first {@code chunksDone} chunks ({@code positionsDone} positions) are durable
     * but not the rest: the primary crashed between two of its batches.
     */
    record PartialCommit(long commit, int chunksDone, int positionsDone) {
    }

    static {
        RocksDB.loadLibrary();
    }

    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyOptions hashedCfOptions;
    private final BloomFilter bloomFilter;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final WriteOptions commitWrite;
    private final WriteOptions syncWrite;
    /** EVERY_COMMIT: {@link #awaitDurable} syncs the write-ahead log. */
    private final boolean syncCommits;
    /** The last commit {@link #writeCommit} wrote (persistence stage writes, publication stage reads). */
    private volatile long lastWritten = -1;
    /** Every commit up to this one is synced (publication stage only). */
    private long syncedThrough = -1;
    /** Write-ahead-log syncs done by {@link #awaitDurable}. */
    private final java.util.concurrent.atomic.LongAdder walSyncs = new java.util.concurrent.atomic.LongAdder();
    private final ColumnFamilyHandle objects;
    private final ColumnFamilyHandle effects;
    private final ColumnFamilyHandle commits;
    private final ColumnFamilyHandle meta;
    private final int objectsId;
    private final int effectsId;
    private final int commitsId;
    private final int metaId;
    /** The persistence stage's reusable commit batch and value scratch (one writer: {@link #writeCommit}). */
    private final SerializedBatch commitBatch = new SerializedBatch(1 << 20);
    private final WireWriter scratch = new WireWriter(4096);
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /** Opens (creating if needed) the database in {@code directory}, with RocksDB's default 64 MiB memtables. */
    public RocksStore(Path directory, FsyncPolicy fsync) {
        this(directory, fsync, 64L << 20);
    }

    /** Opens (creating if needed) the database in {@code directory}; memtables of {@code memtableBytes} per column family. */
    public RocksStore(Path directory, FsyncPolicy fsync, long memtableBytes) {
        DBOptions dbo = null;
        ColumnFamilyOptions cfo = null;
        ColumnFamilyOptions hashed = null;
        BloomFilter bloom = null;
        RocksDB opened = null;
        WriteOptions cw = null;
        WriteOptions sw = null;
        try {
            Files.createDirectories(directory);
            // One writer (the persistence stage): concurrent memtable inserts are not needed, and
            // the hash memtables below do not support them.
            dbo = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setAllowConcurrentMemtableWrite(false);
            // Whole-key bloom filters in the table files, so that keyMayExist (readObject) rules
            // out an absent object without reading blocks once memtables are flushed.
            bloom = new BloomFilter(10);
            cfo = new ColumnFamilyOptions().setWriteBufferSize(memtableBytes)
                    .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom).setWholeKeyFiltering(true));
            // objects and effects are keyed by 32-byte hashes and only ever read by point lookups
            // (the one scan, readSnapshot, asks for total order): a hash-linked-list memtable
            // bucketed on the first 8 key bytes inserts a commit's ~3,000 keys in about half the
            // time of the default skip list (docs/benchmarks.md, "Persistence").
            hashed = new ColumnFamilyOptions().setWriteBufferSize(memtableBytes)
                    .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom).setWholeKeyFiltering(true))
                    .useFixedLengthPrefixExtractor(8)
                    .setMemTableConfig(new HashLinkedListMemTableConfig());
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : List.of("default", "objects", "effects", "commits", "meta")) {
                boolean hashKeyed = name.equals("objects") || name.equals("effects");
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII), hashKeyed ? hashed : cfo));
            }
            opened = RocksDB.open(dbo, directory.toString(), descriptors, handles);
            cw = new WriteOptions(); // commits are synced by awaitDurable, off the write path
            sw = new WriteOptions().setSync(true);
        } catch (Exception e) {
            closeAll(sw, cw, opened, hashed, cfo, bloom, dbo);
            throw new IllegalStateException("cannot open the RocksDB store in " + directory + ": " + e, e);
        }
        this.dbOptions = dbo;
        this.cfOptions = cfo;
        this.hashedCfOptions = hashed;
        this.bloomFilter = bloom;
        this.db = opened;
        this.commitWrite = cw;
        this.syncCommits = fsync == FsyncPolicy.EVERY_COMMIT;
        this.syncWrite = sw;
        this.objects = handles.get(1);
        this.effects = handles.get(2);
        this.commits = handles.get(3);
        this.meta = handles.get(4);
        this.objectsId = objects.getID();
        this.effectsId = effects.getID();
        this.commitsId = commits.getID();
        this.metaId = meta.getID();
        try {
            checkFormat(directory);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Stamps an empty directory with {@link #FORMAT_VERSION}; refuses one written in another layout. */
    private void checkFormat(Path directory) {
        byte[] f = get(meta, FORMAT);
        if (f == null) {
            if (get(meta, LAST_COMMIT) != null || get(meta, STATE_DIGEST) != null || get(meta, GENESIS_DIGEST) != null) {
                throw new IllegalStateException("dataDirectory=" + directory
                        + " (expected: store format " + FORMAT_VERSION + "; it was written by an older version)");
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(meta, FORMAT, new WireWriter(4).i32(FORMAT_VERSION).toByteArray());
                write(syncWrite, batch);
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot write the store format: " + e, e);
            }
            return;
        }
        int version = new WireReader(f).i32("meta.format");
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("dataDirectory=" + directory + " store format=" + version
                    + " (expected: " + FORMAT_VERSION + ")");
        }
    }

    private void closeAll(AutoCloseable... resources) {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        handles.clear();
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception ignored) {
                    // closing after a failed open: the original error is what matters
                }
            }
        }
    }

    /** The last durable commit, or -1 if none. */
    public long lastCommit() {
        byte[] v = get(meta, LAST_COMMIT);
        return v == null ? -1 : new WireReader(v).i64("meta.lastCommit");
    }

    /** The durable state digest (after the last commit, or of the genesis objects), or null if empty. */
    public Digest stateDigest() {
        byte[] v = get(meta, STATE_DIGEST);
        return v == null ? null : Digest.wrap(v);
    }

    /** The commit durable only in part (a crash between two of its chunks), or null. */
    PartialCommit partialCommit() {
        byte[] v = get(meta, PARTIAL_COMMIT);
        if (v == null) {
            return null;
        }
        WireReader r = new WireReader(v);
        return new PartialCommit(r.i64("meta.partial.commit"), r.count("meta.partial.chunks", Integer.MAX_VALUE),
                r.count("meta.partial.positions", Integer.MAX_VALUE));
    }

    private static final String QUARANTINE_PREFIX = "quarantine:";

    /** Persists a quarantined peer (synced: it must survive a crash). */
    void writeQuarantine(io.remora.primary.QuarantinedPeer q) {
        WireWriter w = new WireWriter(160);
        w.b32(q.transaction()).b32(q.claimedEffects()).b32(q.ownEffects()).shortString("quarantine.reason", q.reason())
                .i64(q.since().toEpochMilli());
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(meta, (QUARANTINE_PREFIX + q.nodeId()).getBytes(StandardCharsets.UTF_8), w.toByteArray());
            write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot persist the quarantine of " + q.nodeId() + ": " + e, e);
        }
    }

    /** Removes a quarantined peer (synced). */
    void deleteQuarantine(String nodeId) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(meta, (QUARANTINE_PREFIX + nodeId).getBytes(StandardCharsets.UTF_8));
            write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot re-admit " + nodeId + ": " + e, e);
        }
    }

    /** Every quarantined peer, by node id. */
    List<io.remora.primary.QuarantinedPeer> readQuarantines() {
        List<io.remora.primary.QuarantinedPeer> out = new ArrayList<>();
        byte[] prefix = QUARANTINE_PREFIX.getBytes(StandardCharsets.UTF_8);
        lifecycle.readLock().lock();
        try (org.rocksdb.RocksIterator it = db.newIterator(meta)) {
            checkOpen();
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length < prefix.length || !java.util.Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                WireReader r = new WireReader(it.value());
                out.add(new io.remora.primary.QuarantinedPeer(
                        new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8),
                        r.digest("quarantine.transaction"), r.digest("quarantine.claimed"), r.digest("quarantine.own"),
                        r.shortString("quarantine.reason"), java.time.Instant.ofEpochMilli(r.i64("quarantine.since"))));
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        return out;
    }

    /** The digest of the genesis objects loaded into this store, or null if none were. */
    public Digest genesisDigest() {
        byte[] v = get(meta, GENESIS_DIGEST);
        return v == null ? null : Digest.wrap(v);
    }

    public StoredObject readObject(ObjectId id) {
        byte[] key = id.toBytes();
        byte[] v;
        lifecycle.readLock().lock();
        try {
            checkOpen();
            // Most lookups that reach RocksDB are for absent keys (the previous version of every
            // object a commit creates; present objects are usually in the overlay or the cache).
            // keyMayExist is false only if the key is certainly absent (memtables, table bloom
            // filters): ~0.3 us, against ~0.85 us when also asked for the value (a Holder) and
            // ~1.7 us for a get (docs/benchmarks.md). If it may exist, a full get decides.
            if (!db.keyMayExist(objects, key, null)) {
                return null;
            }
            v = db.get(objects, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB read failed: " + e, e);
        } finally {
            lifecycle.readLock().unlock();
        }
        return v == null ? null : StoredObject.decode(new WireReader(v));
    }

    public Effects readEffects(Digest tx) {
        byte[] v = get(effects, tx.toBytes());
        return v == null ? null : Effects.decode(new WireReader(v));
    }

    /**
     * Whether {@code tx} has executed with a valid signature in a commit (chunk) already written:
     * its effects are in the exactly-once index. Mostly answered by keyMayExist (memtables and
     * table bloom filters) for a digest never seen, as most are.
     */
    boolean executed(Digest tx) {
        byte[] key = tx.toBytes();
        lifecycle.readLock().lock();
        try {
            checkOpen();
            return db.keyMayExist(effects, key, null) && db.get(effects, key) != null;
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB read failed: " + e, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Chunk {@code chunk} of commit {@code index}, or null. */
    CommitRecord readCommitChunk(long index, int chunk) {
        byte[] v = get(commits, chunkKey(index, chunk));
        return v == null ? null : CommitRecord.decode(v);
    }

    /**
     * The chunks of commit {@code index} in order, or null if the commit is not durable in full.
     */
    List<CommitRecord> readCommit(long index) {
        List<CommitRecord> out = new ArrayList<>();
        for (int c = 0; ; c++) {
            CommitRecord r = readCommitChunk(index, c);
            if (r == null) {
                return null;
            }
            out.add(r);
            if (r.last()) {
                return out;
            }
        }
    }

    /** Writes the genesis objects, their digest as genesis and state digest, in one synced batch. */
    public void writeGenesis(Collection<StoredObject> genesis, Digest digest) {
        try (WriteBatch batch = new WriteBatch()) {
            for (StoredObject o : genesis) {
                batch.put(objects, o.id().toBytes(), encode(o));
            }
            batch.put(meta, GENESIS_DIGEST, digest.toBytes());
            batch.put(meta, STATE_DIGEST, digest.toBytes());
            write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write genesis: " + e, e);
        }
    }

    /**
     * Writes positions {@code [from, to)} of commit {@code index} as its chunk {@code chunk}, in one
     * atomic batch: the chunk's net object changes ({@code null} value = deleted), the effects of
     * its authenticated executions (the exactly-once index), its {@link CommitRecord}, and the
     * metadata (state digest after the chunk; {@code last-commit} for the last chunk, else
     * {@code partial-commit}). Through the write-ahead log but <em>not synced</em>:
     * {@link #awaitDurable} syncs (per the fsync policy) before the commit is published. The batch
     * is serialized in Java ({@link SerializedBatch}) and handed to RocksDB in one call. Called by one
     * thread at a time (the persistence stage), in commit and chunk order.
     *
     * @param effects the commit's effects, by position
     */
    void writeCommitChunk(long index, int chunk, boolean last, List<Transaction> txs, int from, int to,
                          Effects[] effects, Map<ObjectId, StoredObject> changes, Digest stateDigest) {
        SerializedBatch b = commitBatch.reset();
        WireWriter w = scratch;
        for (Map.Entry<ObjectId, StoredObject> c : changes.entrySet()) {
            StoredObject o = c.getValue();
            if (o == null) {
                b.delete(objectsId, c.getKey());
            } else {
                byte[] encoded = o.encoded(); // usually kept since the object was hashed: no encoding here
                b.put(objectsId, c.getKey(), encoded, 0, encoded.length);
            }
        }
        for (int i = from; i < to; i++) {
            Effects e = effects[i];
            if (e.authenticatedExecution()) {
                w.reset();
                e.encode(w);
                b.put(effectsId, e.transaction(), w.array(), 0, w.length());
            }
        }
        CommitRecord.encode(w, last, txs, from, to, effects, stateDigest);
        b.put(commitsId, chunkKey(index, chunk), w.array(), 0, w.length());
        b.put(metaId, STATE_DIGEST, stateDigest.toBytes());
        if (last) {
            b.put(metaId, LAST_COMMIT, indexKey(index));
            if (chunk > 0) {
                b.delete(metaId, PARTIAL_COMMIT);
            }
        } else {
            b.put(metaId, PARTIAL_COMMIT, new WireWriter(16).i64(index).i32(chunk + 1).i32(to).toByteArray());
        }
        try (WriteBatch batch = new WriteBatch(b.toByteArray())) {
            write(commitWrite, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot persist commit " + index + " chunk " + chunk + ": " + e, e);
        }
        if (last) {
            lastWritten = index;
        }
    }

    /**
     * Returns once commit {@code index} (already written by {@link #writeCommit}) survives what the
     * fsync policy promises. {@code EVERY_COMMIT}: syncs the write-ahead log unless an earlier sync
     * already covered this commit; the sync covers every commit written before it started, so
     * while it runs the persistence stage goes on writing the next commit (a pipelined group
     * commit: the fsync is off the write path, and one fsync may cover several commits).
     * {@code NEVER}: returns at once (the write reached the OS page cache).
     * Called by one thread at a time (the publication stage), in commit order.
     */
    void awaitDurable(long index) {
        if (!syncCommits || syncedThrough >= index) {
            return;
        }
        long written = lastWritten; // read before the sync starts: all of these are covered
        lifecycle.readLock().lock();
        try {
            checkOpen();
            db.syncWal();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot sync the write-ahead log for commit " + index + ": " + e, e);
        } finally {
            lifecycle.readLock().unlock();
        }
        syncedThrough = written;
        walSyncs.increment();
    }

    /** Write-ahead-log syncs so far: fewer than commits when one sync covered several (tests, metrics). */
    long walSyncs() {
        return walSyncs.sum();
    }

    /** Receives the chunks of {@link #readSnapshot}. */
    @FunctionalInterface
    public interface SnapshotSink {
        /**
         * @param commit  the last durable commit the view is at (-1: genesis), the same for every chunk
         * @param objects up to the chunk limits, in key order
         * @param last    whether this is the final chunk (an empty store gives one empty last chunk)
         */
        void onChunk(long commit, List<StoredObject> objects, boolean last);
    }

    /**
     * Reads a consistent view of the committed state: a RocksDB snapshot, and the last durable commit
     * read from that same snapshot, so the objects are exactly the state after that commit. Chunks
     * hold at most {@code maxChunkObjects} objects and about {@code maxChunkBytes} of encodings (at
     * least one object). The snapshot and its read options are released before returning; the store
     * cannot close meanwhile (the sink should not block for long).
     *
     * @return the commit the view is at
     */
    public long readSnapshot(int maxChunkObjects, int maxChunkBytes, SnapshotSink sink) {
        lifecycle.readLock().lock();
        org.rocksdb.Snapshot snapshot = null;
        try {
            checkOpen();
            snapshot = db.getSnapshot();
            try (org.rocksdb.ReadOptions ro = new org.rocksdb.ReadOptions().setSnapshot(snapshot).setTotalOrderSeek(true);
                 org.rocksdb.RocksIterator it = db.newIterator(objects, ro)) {
                byte[] lc = db.get(meta, ro, LAST_COMMIT);
                long commit = lc == null ? -1 : new WireReader(lc).i64("meta.lastCommit");
                List<StoredObject> chunk = new ArrayList<>();
                int bytes = 0;
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] v = it.value();
                    if (!chunk.isEmpty() && (chunk.size() >= maxChunkObjects || bytes + v.length > maxChunkBytes)) {
                        sink.onChunk(commit, chunk, false);
                        chunk = new ArrayList<>();
                        bytes = 0;
                    }
                    chunk.add(StoredObject.decode(new WireReader(v)));
                    bytes += v.length;
                }
                it.status();
                sink.onChunk(commit, chunk, true);
                return commit;
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB snapshot read failed: " + e, e);
        } finally {
            if (snapshot != null) {
                db.releaseSnapshot(snapshot);
            }
            lifecycle.readLock().unlock();
        }
    }

    private static byte[] encode(StoredObject o) {
        WireWriter w = new WireWriter(64 + o.contents().length);
        o.encode(w);
        return w.toByteArray();
    }

    private static byte[] indexKey(long index) {
        return new WireWriter(8).i64(index).toByteArray();
    }

    private static byte[] chunkKey(long index, int chunk) {
        return new WireWriter(12).i64(index).i32(chunk).toByteArray();
    }

    private void write(WriteOptions options, WriteBatch batch) throws RocksDBException {
        lifecycle.readLock().lock();
        try {
            checkOpen();
            db.write(options, batch);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private byte[] get(ColumnFamilyHandle cf, byte[] key) {
        lifecycle.readLock().lock();
        try {
            checkOpen();
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB read failed: " + e, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeAll(syncWrite, commitWrite, db, hashedCfOptions, cfOptions, bloomFilter, dbOptions);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
