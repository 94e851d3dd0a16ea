package io.remora.primary.internal;

import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.StoredObject;
import io.remora.core.exec.ExecutionSuspended;
import io.remora.core.exec.StateView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Block-STM's multi-version memory for one commit: for every object written inside the commit, the
 * value each position wrote (or an ESTIMATE marker while that position is being re-executed).
 * A read at position {@code i} sees the write of the highest position below {@code i}, or the
 * committed base state if no earlier position wrote the object.
 *
 * <p>Validation is by value: a recorded read {@code (id, version, digest)} is still valid if the
 * object visible at the same position has the same version and digest (or is still absent). That
 * is what lets incarnation 0 of a transaction be a pre-executor's result: its lookup table is a
 * read set like any other.
 *
 * <p>Thread-safe: any number of workers read, record and validate concurrently. A position's own
 * record/convert calls are serialized by the scheduler (one incarnation of a position at a time).
 */
final class MultiVersionMemory {
    /** Thrown to a reader that hit an ESTIMATE: it must wait for {@link #blocking} to finish. */
    static final class Dependency extends ExecutionSuspended {
        private static final long serialVersionUID = 1L;
        final int blocking;

        Dependency(int blocking) {
            super("read depends on position " + blocking);
            this.blocking = blocking;
        }
    }

    /** A position's write: a value, a deletion (value null) or an ESTIMATE. */
    private record Entry(StoredObject value, boolean estimate) {
    }

    private static final Entry DELETED = new Entry(null, false);
    private static final Entry ESTIMATE = new Entry(null, true);

    private final StateView base;
    private final ConcurrentHashMap<ObjectId, ConcurrentSkipListMap<Integer, Entry>> data;
    private final ObjectId[][] lastWritten;
    private final List<?>[] lastReads;

    MultiVersionMemory(StateView base, int size) {
        this.base = base;
        this.data = new ConcurrentHashMap<>(Math.max(16, size * 2));
        this.lastWritten = new ObjectId[size][];
        this.lastReads = new List<?>[size];
    }

    /** The object visible to position {@code position}; null if absent. Throws {@link Dependency}. */
    StoredObject read(ObjectId id, int position) {
        ConcurrentSkipListMap<Integer, Entry> versions = data.get(id);
        if (versions != null) {
            Map.Entry<Integer, Entry> e = versions.lowerEntry(position);
            if (e != null) {
                Entry entry = e.getValue();
                if (entry.estimate()) {
                    throw new Dependency(e.getKey());
                }
                return entry.value();
            }
        }
        return base.read(id);
    }

    /** A view of the state as position {@code position} sees it. */
    StateView viewAt(int position) {
        return id -> read(id, position);
    }

    /**
     * Records an incarnation's reads and writes. Returns true if it wrote an object the previous
     * incarnation of the same position did not (later positions must then be revalidated).
     */
    boolean record(int position, List<ObjectRef> reads, Effects effects) {
        List<Effects.Written> written = effects.written();
        List<ObjectId> deleted = effects.deleted();
        ObjectId[] now = new ObjectId[written.size() + deleted.size()];
        int k = 0;
        for (Effects.Written w : written) {
            StoredObject o = w.object();
            versionsOf(o.id()).put(position, new Entry(o, false));
            now[k++] = o.id();
        }
        for (ObjectId id : deleted) {
            versionsOf(id).put(position, DELETED);
            now[k++] = id;
        }
        ObjectId[] before = lastWritten[position];
        boolean wroteNew = false;
        for (ObjectId id : now) {
            if (!contains(before, id)) {
                wroteNew = true;
                break;
            }
        }
        if (before != null) {
            for (ObjectId id : before) {
                if (!contains(now, id)) {
                    data.get(id).remove(position);
                }
            }
        }
        lastWritten[position] = now;
        lastReads[position] = reads;
        return wroteNew;
    }

    private ConcurrentSkipListMap<Integer, Entry> versionsOf(ObjectId id) {
        return data.computeIfAbsent(id, k -> new ConcurrentSkipListMap<>());
    }

    private static boolean contains(ObjectId[] ids, ObjectId id) {
        if (ids == null) {
            return false;
        }
        for (ObjectId x : ids) {
            if (x.equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Marks an aborted position's writes as ESTIMATE so readers wait instead of using them. */
    void convertWritesToEstimates(int position) {
        ObjectId[] written = lastWritten[position];
        if (written != null) {
            for (ObjectId id : written) {
                data.get(id).put(position, ESTIMATE);
            }
        }
    }

    /** The first recorded read that no longer holds (ESTIMATE counts as invalid), or null. */
    @SuppressWarnings("unchecked")
    ObjectRef firstInvalidRead(int position) {
        List<ObjectRef> reads = (List<ObjectRef>) lastReads[position];
        if (io.remora.core.canary.Canary.ADOPT_SKIPS_LAST_READ.active() && !reads.isEmpty()) {
            reads = reads.subList(0, reads.size() - 1); // planted bug (simulator self-test)
        }
        for (ObjectRef ref : reads) {
            StoredObject now;
            try {
                now = read(ref.id(), position);
            } catch (Dependency d) {
                return ref;
            }
            if (!matches(ref, now)) {
                return ref;
            }
        }
        return null;
    }

    static boolean matches(ObjectRef ref, StoredObject now) {
        if (now == null) {
            return ref.isAbsent();
        }
        return now.version() == ref.version() && now.digest().equals(ref.digest());
    }
}
