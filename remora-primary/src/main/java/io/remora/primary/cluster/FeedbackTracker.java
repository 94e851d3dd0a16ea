package io.remora.primary.cluster;

import io.remora.core.ObjectId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decaying per-object conflict counts and the hot set derived from them.
 *
 * <p>Each CONFLICT position (a pre-executed result invalidated by an earlier transaction of the
 * same commit) adds one to the count of the object that invalidated it. Every
 * {@code decayCommits} commits all counts are halved (and zeros forgotten), so an object stays hot
 * only while it keeps conflicting. The hot set is the {@code hotSetSize} objects with the highest
 * counts that are at least {@code floor}; {@link #endCommit} reports whether it changed.
 *
 * <p>Not thread-safe: owned by the {@code remora-cluster} thread.
 */
final class FeedbackTracker {
    private final int hotSetSize;
    private final int floor;
    private final int decayCommits;
    private final Map<ObjectId, Integer> counts = new HashMap<>();
    private Set<ObjectId> hot = Set.of();
    private List<ObjectId> hotOrdered = List.of();
    private long commits;

    FeedbackTracker(int hotSetSize, int floor, int decayCommits) {
        this.hotSetSize = hotSetSize;
        this.floor = floor;
        this.decayCommits = decayCommits;
    }

    void conflict(ObjectId id) {
        counts.merge(id, 1, Integer::sum);
    }

    /** Ends one commit: decays if due and recomputes the hot set; true if it changed. */
    boolean endCommit() {
        if (++commits % decayCommits == 0) {
            for (Iterator<Map.Entry<ObjectId, Integer>> it = counts.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<ObjectId, Integer> e = it.next();
                int v = e.getValue() >> 1;
                if (v == 0) {
                    it.remove();
                } else {
                    e.setValue(v);
                }
            }
        }
        List<Map.Entry<ObjectId, Integer>> candidates = new ArrayList<>();
        for (Map.Entry<ObjectId, Integer> e : counts.entrySet()) {
            if (e.getValue() >= floor) {
                candidates.add(e);
            }
        }
        candidates.sort(Map.Entry.<ObjectId, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())));
        List<ObjectId> top = new ArrayList<>();
        for (int i = 0; i < Math.min(hotSetSize, candidates.size()); i++) {
            top.add(candidates.get(i).getKey());
        }
        Set<ObjectId> next = new HashSet<>(top);
        if (next.equals(hot)) {
            return false;
        }
        hot = next;
        hotOrdered = List.copyOf(top);
        return true;
    }

    /** The current hot set, hottest first. */
    List<ObjectId> hotSet() {
        return hotOrdered;
    }
}
