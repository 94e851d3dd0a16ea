package io.remora.primary.internal;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.exec.StateView;
import io.remora.core.store.StateDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed state the next commit executes against: the not-yet-durable overlay of executed
 * commits, over a bounded {@link ObjectCache}, over {@link RocksStore}.
 *
 * <pre>
 *  read(id):  overlay (executed, not yet durable; pinned)  ->  cache (durable, evictable)  ->  RocksDB
 * </pre>
 *
 * <p>Threads and why the cache never holds an outdated version:
 * <ul>
 *   <li>The execution stage {@link #apply}s a commit's effects to the overlay (and the state
 *       digest) before executing the next commit; only it and its workers (during
 *       {@link #read}) fill the cache.</li>
 *   <li>Once commit k is in RocksDB, the publication stage calls {@link #markDurable} (in commit
 *       order, possibly while the persistence stage writes commit k+1): it updates the cache with
 *       commit k's values, then removes the overlay entries commit k wrote (unless a later commit
 *       rewrote them, in which case the overlay keeps hiding the cache's older value). So
 *       whenever an execution read misses the overlay, RocksDB already holds the object's latest
 *       version and a fill is current.</li>
 *   <li>Host reads ({@link #peek}) never fill the cache: a host read racing with persistence could
 *       otherwise insert a version that persistence has just replaced.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #read} and {@link #peek} from any thread; {@link #apply} and
 * {@link #stateDigest} from the execution stage only; {@link #markDurable} from one thread at a
 * time, in commit order, after the commit is durable (the publication stage).
 */
final class CommittedState implements StateView {
    /** An executed, not yet durable version; {@code object == null} means deleted. */
    private record Pending(StoredObject object, long commit) {
    }

    private final ConcurrentHashMap<ObjectId, Pending> overlay = new ConcurrentHashMap<>();
    private final ObjectCache cache;
    private final RocksStore store;
    private final StateDigest digest = new StateDigest();

    CommittedState(RocksStore store, ObjectCache cache, Digest durableDigest) {
        this.store = store;
        this.cache = cache;
        if (durableDigest != null) {
            digest.set(durableDigest);
        }
    }

    /** The latest executed version (execution reads: fills the cache). */
    @Override
    public StoredObject read(ObjectId id) {
        Pending p = overlay.get(id);
        if (p != null) {
            return p.object;
        }
        StoredObject o = cache.get(id);
        if (o == null) {
            o = store.readObject(id);
            if (o != null) {
                cache.put(o);
            }
        }
        return o;
    }

    /** The latest executed version, without filling the cache (host reads). */
    StoredObject peek(ObjectId id) {
        Pending p = overlay.get(id);
        if (p != null) {
            return p.object;
        }
        StoredObject o = cache.get(id);
        return o != null ? o : store.readObject(id);
    }

    /**
     * Applies positions {@code [from, to)} of commit {@code index}'s effects in order (failed
     * effects change nothing) and returns their net changes for persistence: id -> latest version,
     * or null if deleted. A commit is applied in one call, or in one call per chunk.
     */
    Map<ObjectId, StoredObject> apply(long index, Effects[] effects, int from, int to) {
        int writes = 0;
        for (int i = from; i < to; i++) {
            writes += effects[i].written().size() + effects[i].deleted().size();
        }
        LinkedHashMap<ObjectId, StoredObject> changes = LinkedHashMap.newLinkedHashMap(writes);
        for (int i = from; i < to; i++) {
            Effects e = effects[i];
            if (!e.status().isSuccess()) {
                continue;
            }
            for (Effects.Written w : e.written()) {
                StoredObject prev = read(w.object().id());
                if (prev != null) {
                    digest.remove(prev);
                }
                digest.add(w.object());
                overlay.put(w.object().id(), new Pending(w.object(), index));
                changes.put(w.object().id(), w.object());
            }
            for (ObjectId id : e.deleted()) {
                StoredObject prev = read(id);
                if (prev != null) {
                    digest.remove(prev);
                }
                overlay.put(id, new Pending(null, index));
                changes.put(id, null);
            }
        }
        return changes;
    }

    Digest stateDigest() {
        return digest.digest();
    }

    /**
     * Commit {@code index}'s {@code changes} (all of them, or one chunk's) are in RocksDB: move
     * them from the overlay to the cache. An overlay entry leaves only if it holds this very
     * version: a later chunk of the same commit, or a later commit, that rewrote the object keeps
     * its newer version in the overlay (hiding the cache's older one) until it is durable itself.
     */
    void markDurable(long index, Map<ObjectId, StoredObject> changes) {
        for (Map.Entry<ObjectId, StoredObject> c : changes.entrySet()) {
            StoredObject durable = c.getValue();
            if (durable == null) {
                cache.remove(c.getKey());
            } else {
                cache.put(durable);
            }
            overlay.computeIfPresent(c.getKey(),
                    (id, p) -> p.commit < index || (p.commit == index && p.object == durable) ? null : p);
        }
    }
}
