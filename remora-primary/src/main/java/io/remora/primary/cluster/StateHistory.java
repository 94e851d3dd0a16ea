package io.remora.primary.cluster;

import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.StateUpdate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The net changes of recent published commits, from which lazy STATE_UPDATE ranges are built.
 *
 * <p>Commits are added in order, one entry per commit (empty ones too, so indexes are contiguous).
 * {@link #ranges} compacts commits {@code from+1 .. latest} to each object's latest version (or its
 * deletion) and splits the result so that every message stays within the protocol's limits
 * ({@value #MAX_OBJECTS_PER_UPDATE} objects, about {@value #MAX_BYTES_PER_UPDATE} bytes); a split
 * falls on a commit boundary, so each part is itself a valid range continuing the previous one.
 * {@link #trimUpTo} drops what every streaming peer already has; at most
 * {@code maxRetainedCommits} are kept, so a peer that lags further sees a gap and resyncs with a
 * snapshot.
 *
 * <p>Not thread-safe: owned by the {@code remora-cluster} thread.
 */
final class StateHistory {
    static final int MAX_OBJECTS_PER_UPDATE = 16_384;
    static final int MAX_BYTES_PER_UPDATE = 4 * 1024 * 1024;
    private static final int OBJECT_OVERHEAD = 128;

    private record Entry(long index, Map<ObjectId, StoredObject> changes) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final int maxRetainedCommits;
    private long latest = Long.MIN_VALUE;

    StateHistory(int maxRetainedCommits) {
        this.maxRetainedCommits = maxRetainedCommits;
    }

    /** Records commit {@code index}'s net changes (null value = deleted). */
    void add(long index, Map<ObjectId, StoredObject> changes) {
        if (latest != Long.MIN_VALUE && index != latest + 1) {
            entries.clear(); // cannot happen with an in-order publisher; restart the history rather than lie
        }
        entries.addLast(new Entry(index, changes));
        latest = index;
        while (entries.size() > maxRetainedCommits) {
            entries.removeFirst();
        }
    }

    /** The last commit recorded, or {@code Long.MIN_VALUE} if none yet. */
    long latest() {
        return latest;
    }

    /** Drops commits {@code <= index}. */
    void trimUpTo(long index) {
        while (!entries.isEmpty() && entries.peekFirst().index() <= index) {
            entries.removeFirst();
        }
    }

    /**
     * The updates that bring a replica at {@code from} to {@link #latest()} (empty if it is there).
     * If commits after {@code from} were already dropped, the first update starts at the oldest held
     * commit minus one: the replica sees the gap and requests a snapshot, as the protocol says.
     */
    List<StateUpdate> ranges(long from, boolean push) {
        List<StateUpdate> out = new ArrayList<>();
        if (entries.isEmpty() || from >= latest) {
            return out;
        }
        long start = Math.max(from, entries.peekFirst().index() - 1);
        Map<ObjectId, StoredObject> acc = new LinkedHashMap<>();
        long accFrom = start;
        long accTo = start;
        long bytes = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.index() <= start) {
                continue;
            }
            if (accTo > accFrom && (acc.size() + e.changes().size() > MAX_OBJECTS_PER_UPDATE
                    || bytes + estimate(e.changes()) > MAX_BYTES_PER_UPDATE)) {
                out.add(update(accFrom, accTo, acc, push));
                acc = new LinkedHashMap<>();
                accFrom = accTo;
                bytes = 0;
            }
            for (Map.Entry<ObjectId, StoredObject> c : e.changes().entrySet()) {
                acc.remove(c.getKey()); // keep insertion order = order of the latest change
                acc.put(c.getKey(), c.getValue());
            }
            bytes += estimate(e.changes());
            accTo = e.index();
        }
        if (accTo > accFrom) {
            out.add(update(accFrom, accTo, acc, push));
        }
        return out;
    }

    private static StateUpdate update(long from, long to, Map<ObjectId, StoredObject> acc, boolean push) {
        List<StoredObject> written = new ArrayList<>();
        List<ObjectId> deleted = new ArrayList<>();
        for (Map.Entry<ObjectId, StoredObject> c : acc.entrySet()) {
            if (c.getValue() == null) {
                deleted.add(c.getKey());
            } else {
                written.add(c.getValue());
            }
        }
        if (written.size() > ClusterMessages.MAX_UPDATE_OBJECTS || deleted.size() > ClusterMessages.MAX_UPDATE_OBJECTS) {
            throw new IllegalStateException("commit " + to + " changed " + acc.size()
                    + " objects (expected: <= " + ClusterMessages.MAX_UPDATE_OBJECTS + " per state update)");
        }
        return push ? StateUpdate.pushedRange(from, to, written, deleted) : StateUpdate.range(from, to, written, deleted);
    }

    private static long estimate(Map<ObjectId, StoredObject> changes) {
        long n = 0;
        for (StoredObject o : changes.values()) {
            n += OBJECT_OVERHEAD + (o == null ? 0 : o.contents().length);
        }
        return n;
    }
}
