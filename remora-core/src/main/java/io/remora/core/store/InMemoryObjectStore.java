package io.remora.core.store;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link ObjectStore}.
 *
 * <p>Thread-safety: any number of threads may {@link #read} concurrently with one writer calling
 * {@link #put}/{@link #apply}; writers must be serialized by the caller. A reader may observe one
 * transaction's writes partially applied, which is fine for a speculative replica and irrelevant
 * for single-threaded reference execution.
 */
public final class InMemoryObjectStore implements ObjectStore {
    private final ConcurrentHashMap<ObjectId, StoredObject> objects = new ConcurrentHashMap<>();
    private final StateDigest digest = new StateDigest();

    public InMemoryObjectStore() {
    }

    public InMemoryObjectStore(Collection<StoredObject> genesis) {
        genesis.forEach(this::put);
    }

    @Override
    public StoredObject read(ObjectId id) {
        return objects.get(id);
    }

    @Override
    public synchronized void put(StoredObject object) {
        StoredObject prev = objects.put(object.id(), object);
        if (prev != null) {
            digest.remove(prev);
        }
        digest.add(object);
    }

    @Override
    public synchronized void apply(Effects effects) {
        if (!effects.status().isSuccess()) {
            return;
        }
        for (Effects.Written w : effects.written()) {
            put(w.object());
        }
        for (ObjectId id : effects.deleted()) {
            StoredObject prev = objects.remove(id);
            if (prev != null) {
                digest.remove(prev);
            }
        }
    }

    @Override
    public synchronized Digest stateDigest() {
        return digest.digest();
    }

    @Override
    public long size() {
        return objects.size();
    }

    /** A snapshot copy of all live objects (tests, snapshots). */
    public List<StoredObject> objects() {
        return new ArrayList<>(objects.values());
    }

    /** A deep-enough copy: objects are immutable, so sharing them is safe. */
    public InMemoryObjectStore copy() {
        return new InMemoryObjectStore(objects.values());
    }
}
