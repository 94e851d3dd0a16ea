package io.remora.preexec.internal;

import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.HotSet;
import io.remora.core.protocol.ObjectResponse;
import io.remora.core.protocol.SnapshotChunk;
import io.remora.core.protocol.SnapshotRequest;
import io.remora.core.protocol.StateUpdate;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.transport.Priority;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the {@link Replica} in step with the primary: requests and installs chunked snapshots,
 * applies STATE_UPDATEs in commit order (lazily batched, at once when pushed), detects gaps, and
 * holds the latest hot set.
 *
 * <pre>
 *   connected ──► SNAPSHOT_REQUEST(id) ──► SYNCING ──chunks 0..last──► install(watermark = S) ──► SYNCED
 *                        ▲                   │ updates buffered             │ replay buffered updates
 *                        └──── gap: fromCommit > watermark ◄────────────────┘ apply updates in order
 * </pre>
 *
 * <p><b>Lazy join</b> ({@code lazyJoin}): on the first connection the replica turns
 * {@linkplain Replica#beginLazy lazy} while the snapshot streams; {@link #fetch} then asks the
 * primary for the objects that transactions need (OBJECT_REQUEST, up to
 * {@value ClusterMessages#MAX_OBJECT_REQUEST} ids each, at most one request per
 * {@value #FETCH_INTERVAL_MS} ms, below the primary's default limit of 200 a second; an id asked
 * for is asked again only after {@value #REFETCH_AFTER_MS} ms, so a request the primary dropped
 * over its limit costs a delay, not the transaction); the answers go into the replica.
 *
 * <p><b>Snapshot timeout</b>: while syncing, if neither the first chunk nor a next one arrives for
 * {@code snapshotTimeout} after the request or the last chunk, the snapshot is asked for again
 * (counted as {@code snapshotTimeouts}): the primary may abandon a snapshot while the link stays up
 * (a read error, a link that did not drain), and nothing else would ask again until a reconnection.
 *
 * <p>Thread-safety: confined to the state thread: every method except {@link #hot} and
 * {@link #syncing} must be called on it.
 */
public final class StateSync {
    /** Updates buffered while a snapshot is in flight; past this the buffer is dropped (a gap follows). */
    static final int MAX_BUFFERED_UPDATES = 4096;
    /** Lazy join: the least time between two OBJECT_REQUESTs. */
    static final int FETCH_INTERVAL_MS = 5;
    /** Lazy join: an id already asked for is asked again after this long without an answer. */
    static final int REFETCH_AFTER_MS = 100;
    /** Lazy join: most ids waiting to be asked for or asked for and unanswered; past it new ones wait. */
    static final int MAX_FETCHING = 65_536;

    /** Sends a reliable message to the primary. */
    @FunctionalInterface
    public interface Sender {
        void send(int type, byte[] payload, Priority priority);
    }

    private final Replica replica;
    private final Counters counters;
    private final Sender sender;
    /** Set once, before the state thread runs ({@link #onStateChanged}). */
    private volatile Consumer<Collection<StoredObject>> stateChanged = written -> { };
    private final ScheduledExecutorService stateThread;
    private final long batchDelayNanos;
    private final int batchMax;

    private final ArrayDeque<StateUpdate> pending = new ArrayDeque<>();
    private ScheduledFuture<?> flushScheduled;
    private long requestId;
    private volatile boolean syncing;
    private InMemoryObjectStore staging;
    private int expectedSequence;
    private long stagingCommit;
    private volatile Set<ObjectId> hot = Set.of();
    private long hotEpoch = -1;
    private final boolean lazyJoin;
    private final java.util.function.LongSupplier clock;
    /** Lazy join: ids to ask for, in the order wanted. */
    private final java.util.LinkedHashSet<ObjectId> toFetch = new java.util.LinkedHashSet<>();
    /** Lazy join: ids asked for and unanswered, with when. */
    private final java.util.HashMap<ObjectId, Long> fetching = new java.util.HashMap<>();
    private long lastFetchNanos = Long.MIN_VALUE;
    private boolean fetchScheduled;
    private long fetchRequestId;
    /** 0: no snapshot timeout. */
    private long snapshotTimeoutNanos;
    /** When the snapshot in flight last made progress (request sent or chunk accepted). */
    private long snapshotProgressNanos;
    private ScheduledFuture<?> snapshotWatch;
    private java.util.function.BooleanSupplier connected = () -> true;

    /**
     * @param batchDelay   how long a lazy update may wait to be applied with later ones (0: at once)
     * @param batchMax     pending updates that force an application
     */
    public StateSync(Replica replica, Counters counters, Sender sender, ScheduledExecutorService stateThread,
                     Duration batchDelay, int batchMax) {
        this(replica, counters, sender, stateThread, batchDelay, batchMax, false, System::nanoTime);
    }

    /**
     * @param lazyJoin whether the replica is usable on fetched objects before its first snapshot
     * @param clock    the state thread's clock (for the fetch pacing)
     */
    public StateSync(Replica replica, Counters counters, Sender sender, ScheduledExecutorService stateThread,
                     Duration batchDelay, int batchMax, boolean lazyJoin, java.util.function.LongSupplier clock) {
        this.lazyJoin = lazyJoin;
        this.clock = clock;
        this.replica = replica;
        this.counters = counters;
        this.sender = sender;
        this.stateThread = stateThread;
        this.batchDelayNanos = batchDelay.toNanos();
        this.batchMax = batchMax;
    }

    /**
     * Asks for a snapshot again when none of it arrives for {@code timeout} (zero: never) while
     * {@code connected} says the link is up (a reconnection asks anyway). Once, before the state
     * thread runs.
     */
    public void snapshotTimeout(Duration timeout, java.util.function.BooleanSupplier connected) {
        this.snapshotTimeoutNanos = timeout.toNanos();
        this.connected = connected;
    }

    /**
     * Sets what runs (on the state thread) after committed state changed, with the objects written
     * (empty after a snapshot): the scheduler, which is built after this and reads its hot set. Once,
     * before the state thread runs.
     */
    public void onStateChanged(Consumer<Collection<StoredObject>> listener) {
        this.stateChanged = listener;
    }

    /** The ids of the latest hot set (any thread). */
    public Set<ObjectId> hot() {
        return hot;
    }

    /** A (re)connection: updates sent while disconnected are lost, so resync from a snapshot. */
    public void onConnected() {
        if (lazyJoin) {
            replica.beginLazy(); // a no-op once a snapshot is installed: a reconnect resyncs as before
        }
        requestSnapshot();
        if (replica.lazy()) {
            stateChanged.accept(List.of()); // usable now: the pre-executor announces it
        }
    }

    /**
     * Lazy join: asks the primary for {@code ids} (those not asked for within
     * {@value #REFETCH_AFTER_MS} ms), batched and paced; the answers reach the replica and
     * {@link #onStateChanged}'s listener. No-op unless the replica is lazy.
     */
    public void fetch(Collection<ObjectId> ids) {
        if (!replica.lazy()) {
            return;
        }
        long now = clock.getAsLong();
        for (ObjectId id : ids) {
            Long asked = fetching.get(id);
            if ((asked == null || now - asked >= TimeUnit.MILLISECONDS.toNanos(REFETCH_AFTER_MS))
                    && toFetch.size() + fetching.size() < MAX_FETCHING) {
                toFetch.add(id);
            }
        }
        scheduleFetch(now);
    }

    private void scheduleFetch(long now) {
        if (toFetch.isEmpty() || fetchScheduled) {
            return;
        }
        long wait = lastFetchNanos == Long.MIN_VALUE ? 0
                : TimeUnit.MILLISECONDS.toNanos(FETCH_INTERVAL_MS) - (now - lastFetchNanos);
        fetchScheduled = true;
        if (wait <= 0) {
            stateThread.execute(this::sendFetch);
        } else {
            stateThread.schedule(this::sendFetch, wait, TimeUnit.NANOSECONDS);
        }
    }

    /** Sends one OBJECT_REQUEST with the oldest wanted ids (state thread). */
    private void sendFetch() {
        fetchScheduled = false;
        if (!replica.lazy()) {
            toFetch.clear();
            fetching.clear();
            return;
        }
        long now = clock.getAsLong();
        List<ObjectId> batch = new ArrayList<>(Math.min(toFetch.size(), ClusterMessages.MAX_OBJECT_REQUEST));
        for (java.util.Iterator<ObjectId> it = toFetch.iterator(); it.hasNext() && batch.size() < ClusterMessages.MAX_OBJECT_REQUEST; ) {
            ObjectId id = it.next();
            it.remove();
            if (!replica.known(id)) {
                batch.add(id);
                fetching.put(id, now);
            }
        }
        if (!batch.isEmpty()) {
            lastFetchNanos = now;
            counters.objectRequestsSent.increment();
            sender.send(ClusterMessages.OBJECT_REQUEST, ClusterMessages.encode(
                    new io.remora.core.protocol.ObjectRequest(fetchRequestId++, batch)), Priority.SPECULATIVE);
        }
        if (fetching.size() > MAX_FETCHING / 2) {
            fetching.values().removeIf(t -> now - t >= TimeUnit.MILLISECONDS.toNanos(REFETCH_AFTER_MS));
        }
        scheduleFetch(now);
    }

    /** Sends a SNAPSHOT_REQUEST, abandoning any snapshot in flight. */
    public void requestSnapshot() {
        requestId++;
        syncing = true;
        staging = new InMemoryObjectStore();
        expectedSequence = 0;
        stagingCommit = Long.MIN_VALUE;
        snapshotProgressNanos = clock.getAsLong();
        watchSnapshot(snapshotTimeoutNanos);
        counters.snapshotsRequested.increment();
        sender.send(ClusterMessages.SNAPSHOT_REQUEST,
                ClusterMessages.encode(new SnapshotRequest(requestId, replica.watermark())), Priority.RELIABLE);
    }

    public void onChunk(SnapshotChunk chunk) {
        if (!syncing || chunk.requestId() != requestId) {
            return; // an abandoned request's chunk
        }
        if (chunk.sequence() != expectedSequence
                || (expectedSequence > 0 && chunk.snapshotCommit() != stagingCommit)) {
            requestSnapshot(); // lost or inconsistent chunk: start over
            return;
        }
        stagingCommit = chunk.snapshotCommit();
        expectedSequence++;
        snapshotProgressNanos = clock.getAsLong();
        chunk.objects().forEach(staging::put);
        if (chunk.last()) {
            replica.install(staging, stagingCommit);
            staging = null;
            syncing = false;
            counters.snapshotsInstalled.increment();
            flush(); // buffered updates: those at or below the snapshot are ignored
            stateChanged.accept(List.of());
        }
    }

    private void watchSnapshot(long afterNanos) {
        if (snapshotTimeoutNanos <= 0 || snapshotWatch != null) {
            return;
        }
        try {
            snapshotWatch = stateThread.schedule(this::checkSnapshot, afterNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the pre-executor is closing
        }
    }

    /** State thread: the snapshot in flight made no progress for the timeout: ask again. */
    private void checkSnapshot() {
        snapshotWatch = null;
        if (!syncing) {
            return;
        }
        long now = clock.getAsLong();
        if (!connected.getAsBoolean()) {
            snapshotProgressNanos = now; // nothing can arrive: the reconnection asks again
            watchSnapshot(snapshotTimeoutNanos);
        } else if (now - snapshotProgressNanos >= snapshotTimeoutNanos) {
            counters.snapshotTimeouts.increment();
            requestSnapshot(); // watches again
        } else {
            watchSnapshot(snapshotTimeoutNanos - (now - snapshotProgressNanos));
        }
    }

    public void onUpdate(StateUpdate update) {
        if (pending.size() >= MAX_BUFFERED_UPDATES && syncing) {
            pending.clear(); // the first update after the snapshot will reveal the gap
        }
        pending.add(update);
        if (syncing) {
            return;
        }
        if (update.isPush() || batchDelayNanos == 0 || pending.size() >= batchMax) {
            flush();
        } else if (flushScheduled == null) {
            flushScheduled = stateThread.schedule(this::flush, batchDelayNanos, TimeUnit.NANOSECONDS);
        }
    }

    public void onObjects(ObjectResponse response) {
        if (replica.lazy()) {
            // Lazy join: the answer to a fetch (or a push): what it found and what does not exist.
            for (StoredObject o : response.found()) {
                fetching.remove(o.id());
            }
            for (ObjectId id : response.missing()) {
                fetching.remove(id);
            }
            replica.installNewer(response.found());
            replica.markAbsent(response.missing());
            counters.objectsFetched.add(response.found().size() + response.missing().size());
            stateChanged.accept(response.found());
            return;
        }
        if (replica.installed() && !response.found().isEmpty()) {
            replica.installNewer(response.found());
            counters.objectPushesApplied.increment();
            stateChanged.accept(response.found());
        }
    }

    public void onHotSet(HotSet set) {
        if (set.epoch() > hotEpoch) {
            hotEpoch = set.epoch();
            hot = Set.copyOf(set.objects());
            counters.hotSetsApplied.increment();
        }
    }

    /** Applies every pending update in arrival (commit) order. */
    void flush() {
        if (flushScheduled != null) {
            flushScheduled.cancel(false);
            flushScheduled = null;
        }
        boolean changed = false;
        List<StoredObject> written = new ArrayList<>();
        while (!syncing && !pending.isEmpty()) {
            StateUpdate u = pending.poll();
            long w = replica.watermark();
            if (u.isObjectsOnly()) {
                replica.installNewer(u.written());
                counters.objectPushesApplied.increment();
                written.addAll(u.written());
                changed = true;
            } else if (u.toCommit() <= w) {
                counters.staleUpdatesIgnored.increment();
            } else if (u.fromCommit() > w) {
                counters.updateGaps.increment();
                pending.addFirst(u);
                requestSnapshot();
            } else {
                replica.applyRange(u.toCommit(), u.written(), u.deleted());
                counters.stateUpdatesApplied.increment();
                written.addAll(u.written());
                changed = true;
            }
        }
        if (changed) {
            stateChanged.accept(written);
        }
    }
}
