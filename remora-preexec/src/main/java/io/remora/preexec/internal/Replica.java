package io.remora.preexec.internal;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.exec.StateView;
import io.remora.core.store.InMemoryObjectStore;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pre-executor's state: a committed replica (an {@link InMemoryObjectStore} at
 * {@link #watermark()}) under a speculative overlay holding the writes of transactions this
 * pre-executor executed but the primary has not committed yet (so that later transactions on the
 * same objects build on them: chaining).
 *
 * <p>A read returns the overlay's entry when it is newer than the committed version, else the
 * committed object. Overlay entries are superseded when committed state catches up (the committed
 * version reaches theirs), dropped when a committed update deletes their object or a snapshot is
 * installed, and expire after a TTL (a speculation that never committed, e.g. reordered by
 * consensus, must not shadow the replica forever).
 *
 * <p><b>Lazy join.</b> Before its first snapshot is installed, a replica may be {@linkplain #beginLazy
 * lazy}: it then holds only the objects fetched on demand (OBJECT_RESPONSE, each at the primary's
 * latest version) and the ids the primary said do not exist; {@link #known} tells a fetched id
 * from one never asked for. Reads of anything else return null, as for an absent object (a
 * dynamic child no transaction declares, for instance), so such a result reads wrongly and the
 * primary, which checks every read version, re-executes it. The snapshot, when installed,
 * replaces the fetched objects; the speculative overlay stays ({@link #install}).
 *
 * <p>Thread-safety: {@link #read} and {@link #speculate} may be called from any thread; the
 * mutators of committed state ({@link #install}, {@link #applyRange}, {@link #installNewer},
 * {@link #expire}, {@link #beginLazy}, {@link #markAbsent}, {@link #forget}) from one thread at a
 * time (the state thread).
 */
public final class Replica implements StateView {
    /** A speculative write (or deletion, {@code object == null}) at {@code version}. */
    private record Speculation(StoredObject object, long version, long createdNanos, long writer) {
    }

    private volatile InMemoryObjectStore committed = new InMemoryObjectStore();
    private volatile long watermark = -1;
    private volatile boolean installed;
    private volatile boolean lazy;
    /** Lazy mode: ids the primary said do not exist (bounded by {@link #MAX_ABSENT}). */
    private final java.util.Set<ObjectId> absent = ConcurrentHashMap.newKeySet();
    /** Most ids remembered as absent in lazy mode; past it they are forgotten (and fetched again if needed). */
    static final int MAX_ABSENT = 65_536;
    private volatile long installs;
    private volatile boolean lastInstallKeptSpeculation;
    private final ConcurrentHashMap<ObjectId, Speculation> overlay = new ConcurrentHashMap<>();

    @Override
    public StoredObject read(ObjectId id) {
        StoredObject c = committed.read(id);
        Speculation s = overlay.get(id);
        if (s != null && s.version > (c == null ? 0 : c.version())) {
            return s.object;
        }
        return c;
    }

    /** The version a read of {@code id} sees, 0 if absent. */
    public long version(ObjectId id) {
        StoredObject o = read(id);
        return o == null ? 0 : o.version();
    }

    /** The last commit applied, -1 before any. */
    public long watermark() {
        return watermark;
    }

    /** Whether a snapshot has been installed. */
    public boolean installed() {
        return installed;
    }

    /**
     * Lazy mode (before the first install; state thread): from now until a snapshot is installed,
     * objects fetched on demand make this replica usable ({@link #usable}). No-op once installed.
     */
    public void beginLazy() {
        if (!installed) {
            lazy = true;
        }
    }

    /** Lazy and not installed yet: only fetched objects are known. */
    public boolean lazy() {
        return lazy && !installed;
    }

    /** Installed, or lazy: work may run (on the objects it {@linkplain #known knows}, when lazy). */
    public boolean usable() {
        return installed || lazy;
    }

    /**
     * Whether a read of {@code id} is backed by the primary's state: always once installed; when
     * lazy, if it was fetched, said absent, or speculatively written here.
     */
    public boolean known(ObjectId id) {
        return installed || committed.read(id) != null || absent.contains(id) || overlay.containsKey(id);
    }

    /** Lazy mode (state thread): the primary said these ids do not exist. */
    public void markAbsent(Collection<ObjectId> ids) {
        if (!lazy()) {
            return;
        }
        if (absent.size() + ids.size() > MAX_ABSENT) {
            absent.clear(); // bound: forgetting only costs a fetch
        }
        for (ObjectId id : ids) {
            if (committed.read(id) == null) {
                absent.add(id);
            }
        }
    }

    /**
     * Lazy mode (state thread): forgets the committed copy of {@code id} (a result read it stale), so
     * the next transaction on it fetches it again; a lazy replica gets no updates to refresh it.
     * No-op once installed.
     */
    public void forget(ObjectId id) {
        if (!lazy()) {
            return;
        }
        absent.remove(id);
        if (committed.read(id) != null) {
            committed.apply(new Effects(Digest.ZERO, ExecutionStatus.SUCCESS, 0, 0, List.of(), List.of(), List.of(id),
                    List.of()));
        }
        overlay.remove(id);
    }

    /** Records the writes of a successful speculative execution in the overlay. */
    public void speculate(Effects effects, long nowNanos) {
        speculate(effects, nowNanos, -1);
    }

    /**
     * Records the writes of a successful speculative execution in the overlay, on behalf of
     * {@code writer} (an arrival sequence number, for {@link #dropIfWrittenBy}); returns the ids
     * written or deleted (empty for a failure, which writes nothing).
     */
    public List<ObjectId> speculate(Effects effects, long nowNanos, long writer) {
        if (!effects.status().isSuccess()) {
            return List.of();
        }
        List<ObjectId> ids = new java.util.ArrayList<>(effects.written().size() + effects.deleted().size());
        for (Effects.Written w : effects.written()) {
            overlay.put(w.object().id(), new Speculation(w.object(), w.object().version(), nowNanos, writer));
            ids.add(w.object().id());
        }
        for (ObjectId id : effects.deleted()) {
            overlay.put(id, new Speculation(null, effects.lamportVersion(), nowNanos, writer));
            ids.add(id);
        }
        return ids;
    }

    /** Drops the speculative write of {@code id} if one of {@code writers} made it. */
    public void dropIfWrittenBy(ObjectId id, java.util.Set<Long> writers) {
        overlay.computeIfPresent(id, (k, s) -> writers.contains(s.writer) ? null : s);
    }

    /**
     * Replaces the committed state by a snapshot at {@code commit}. Clears the overlay, except when
     * the replica was {@linkplain #lazy lazy}: its speculation was made on objects at the primary's
     * latest versions, not on a replica found wrong, so it stays (reads prefer it only while it is
     * newer than the snapshot's object, as always, and the primary checks every read version); a
     * resync (a gap, a reconnect) drops it.
     */
    public void install(InMemoryObjectStore snapshot, long commit) {
        boolean fromLazy = lazy();
        committed = snapshot;
        watermark = commit;
        installed = true;
        lazy = false;
        absent.clear();
        if (!fromLazy) {
            overlay.clear();
        }
        lastInstallKeptSpeculation = fromLazy;
        installs++;
    }

    /** Whether the last {@link #install} kept the overlay (it ended a lazy join). */
    public boolean lastInstallKeptSpeculation() {
        return lastInstallKeptSpeculation;
    }

    /** Snapshots installed so far (tells a reader that everything speculated before is gone). */
    public long installs() {
        return installs;
    }

    /** Drops the speculative write of {@code id}, if any: reads see the committed object again. */
    public void dropSpeculation(ObjectId id) {
        overlay.remove(id);
    }

    /** Applies a range update (commits up to {@code toCommit}); objects never move backwards. */
    public void applyRange(long toCommit, List<StoredObject> written, List<ObjectId> deleted) {
        installNewer(written);
        if (!deleted.isEmpty()) {
            committed.apply(new Effects(Digest.ZERO, ExecutionStatus.SUCCESS, 0, 0, List.of(), List.of(), deleted,
                    List.of()));
            for (ObjectId id : deleted) {
                overlay.remove(id);
            }
        }
        watermark = toCommit;
    }

    /** Installs each object newer than (or as new as) the committed copy; the watermark is unchanged. */
    public void installNewer(Collection<StoredObject> objects) {
        InMemoryObjectStore store = committed;
        boolean forgetAbsent = lazy && !absent.isEmpty();
        for (StoredObject o : objects) {
            if (forgetAbsent) {
                absent.remove(o.id());
            }
            StoredObject cur = store.read(o.id());
            if (cur == null || cur.version() <= o.version()) {
                store.put(o);
            }
            overlay.computeIfPresent(o.id(), (id, s) -> s.version <= o.version() ? null : s);
        }
    }

    /** Drops speculations created before {@code cutoffNanos}; returns how many. */
    public int expire(long cutoffNanos) {
        int[] n = {0};
        overlay.values().removeIf(s -> {
            boolean old = s.createdNanos - cutoffNanos < 0;
            if (old) {
                n[0]++;
            }
            return old;
        });
        return n[0];
    }
}
