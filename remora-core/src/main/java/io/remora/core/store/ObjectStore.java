package io.remora.core.store;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.StoredObject;
import io.remora.core.exec.StateView;

/**
 * A versioned object store: the latest version of each live object plus the state digest.
 * {@link #apply} installs one transaction's effects (written objects replace their previous
 * versions, deleted objects go, failed effects change nothing).
 *
 * <p>Thread-safety: as {@link StateView} for reads (concurrent readers); the mutators
 * ({@link #put}, {@link #apply}) are called by one writer at a time, and an implementation says
 * whether they may run concurrently with reads ({@link InMemoryObjectStore} allows it).
 */
public interface ObjectStore extends StateView {
    /** Inserts a genesis object (or replaces an object outside any transaction). */
    void put(StoredObject object);

    void apply(Effects effects);

    Digest stateDigest();

    /** Number of live objects. */
    long size();
}
