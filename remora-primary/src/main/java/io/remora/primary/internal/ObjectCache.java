package io.remora.primary.internal;

import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded cache of durable objects over the RocksDB store: 16 independently locked LRU segments
 * (access-ordered {@link LinkedHashMap}s), each holding at most {@code capacity / 16} objects
 * (at least one). Capacity 0 disables it.
 *
 * <p>It only ever holds objects as they are in RocksDB; evicting one is always safe. Who may
 * fill and update it, so that it never holds an outdated version, is {@link CommittedState}'s
 * concern.
 *
 * <p>Thread-safe.
 */
final class ObjectCache {
    private static final int SEGMENT_BITS = 4;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;

    private final Segment[] segments;

    ObjectCache(int capacity) {
        if (capacity <= 0) {
            segments = null;
            return;
        }
        int perSegment = Math.max(1, capacity / SEGMENTS);
        segments = new Segment[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(perSegment);
        }
    }

    private Segment segment(ObjectId id) {
        // The segment comes from the top bits of a multiplicative hash, not from the low bits of
        // (h ^ h >>> 16): those are the bits each segment's HashMap indexes its buckets with, so
        // every key of a segment landed in 1/16 of its buckets (long chains, treeified bins).
        return segments[(id.hashCode() * 0x9E3779B9) >>> (32 - SEGMENT_BITS)];
    }

    StoredObject get(ObjectId id) {
        if (segments == null) {
            return null;
        }
        Segment s = segment(id);
        synchronized (s) {
            return s.get(id);
        }
    }

    void put(StoredObject o) {
        if (segments == null) {
            return;
        }
        Segment s = segment(o.id());
        synchronized (s) {
            s.put(o.id(), o);
        }
    }

    void remove(ObjectId id) {
        if (segments == null) {
            return;
        }
        Segment s = segment(id);
        synchronized (s) {
            s.remove(id);
        }
    }

    private static final class Segment extends LinkedHashMap<ObjectId, StoredObject> {
        private static final long serialVersionUID = 1L;
        private final int max;

        Segment(int max) {
            super(Math.min(max, 1024) * 2, 0.75f, true);
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<ObjectId, StoredObject> eldest) {
            return size() > max;
        }
    }
}
