package io.remora.preexec;

import io.remora.core.Effects;
import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.TransactionExecutor;
import io.remora.core.protocol.ClusterMessage;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Execute;
import io.remora.core.protocol.HotSet;
import io.remora.core.protocol.LoadReport;
import io.remora.core.protocol.Results;
import io.remora.core.protocol.SnapshotChunk;
import io.remora.core.protocol.SnapshotRequest;
import io.remora.core.protocol.StateUpdate;
import io.remora.core.store.InMemoryObjectStore;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.Priority;
import io.remora.transport.Transport;
import io.remora.transport.TransportConfig;
import io.remora.transport.TransportServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A minimal primary for tests: holds the committed state, executes commits with the sequential
 * reference semantics, serves snapshots in small chunks, sends EXECUTE / STATE_UPDATE / HOT_SET and
 * collects RESULTs and load reports. Uses only the public protocol, as the real primary must.
 *
 * <p>Thread-safety: callbacks run on the transport's thread; the collections they fill are
 * concurrent. Test-thread methods must not race with an unsynchronised snapshot.
 */
final class FakePrimary implements MessageListener, ConnectionListener, AutoCloseable {
    static final byte[] SECRET = "remora-test-cluster-secret-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final int CHUNK_OBJECTS = 3;

    final InMemoryObjectStore state;
    final TransactionExecutor reference = BuiltinEngine.executor("fake-primary");
    final TransportServer server;
    final ConcurrentLinkedQueue<PreExecResult> results = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<SnapshotRequest> snapshotRequests = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<LoadReport> loads = new ConcurrentLinkedQueue<>();
    volatile boolean serveSnapshots = true;
    /** Whether OBJECT_REQUESTs are answered (false: dropped, as over the real primary's rate limit). */
    volatile boolean serveObjects = true;
    final ConcurrentLinkedQueue<io.remora.core.protocol.ObjectRequest> objectRequests = new ConcurrentLinkedQueue<>();
    private volatile Connection peer;
    private volatile long commit = -1;
    private long hotEpoch;

    FakePrimary(Transport transport, String host, List<StoredObject> genesis) {
        this.state = new InMemoryObjectStore(genesis);
        TransportConfig config = TransportConfig.builder().nodeId("primary").clusterSecret(SECRET)
                .heartbeatInterval(Duration.ofMillis(200)).build();
        this.server = transport.bind(config, host, 0, this, this);
    }

    long commit() {
        return commit;
    }

    @Override
    public void onConnected(Connection connection) {
        peer = connection;
    }

    @Override
    public void onHeartbeat(Connection connection, java.nio.ByteBuffer payload) {
        if (payload.capacity() > 0) {
            loads.add(ClusterMessages.decodeLoad(payload, 0, payload.capacity()));
        }
    }

    @Override
    public void onMessage(Connection connection, int type, java.nio.ByteBuffer payload) {
        ClusterMessage m = ClusterMessages.decode(type, payload, 0, payload.capacity());
        switch (m) {
            case Results r -> results.addAll(r.results());
            case SnapshotRequest r -> {
                snapshotRequests.add(r);
                if (serveSnapshots) {
                    sendSnapshot(r.requestId());
                }
            }
            case io.remora.core.protocol.ObjectRequest r -> {
                objectRequests.add(r);
                if (serveObjects) {
                    answerObjects(r);
                }
            }
            default -> throw new AssertionError("unexpected " + m);
        }
    }

    /** Answers an OBJECT_REQUEST with the current versions, as the real primary does. */
    synchronized void answerObjects(io.remora.core.protocol.ObjectRequest r) {
        List<StoredObject> found = new ArrayList<>();
        List<ObjectId> missing = new ArrayList<>();
        for (ObjectId id : r.objects()) {
            StoredObject o = state.read(id);
            if (o == null) {
                missing.add(id);
            } else {
                found.add(o);
            }
        }
        send(new io.remora.core.protocol.ObjectResponse(r.requestId(), commit, found, missing), Priority.RELIABLE);
    }

    /** Streams the current state in chunks of {@value #CHUNK_OBJECTS} objects. */
    synchronized void sendSnapshot(long requestId) {
        List<StoredObject> all = state.objects();
        int seq = 0;
        for (int i = 0; i < all.size() || seq == 0; i += CHUNK_OBJECTS) {
            List<StoredObject> part = all.subList(Math.min(i, all.size()), Math.min(i + CHUNK_OBJECTS, all.size()));
            boolean last = i + CHUNK_OBJECTS >= all.size();
            send(new SnapshotChunk(requestId, commit, seq++, last, part), Priority.RELIABLE);
        }
    }

    void execute(Transaction... txs) {
        send(new Execute(List.of(txs)), Priority.SPECULATIVE);
    }

    void hotSet(ObjectId... ids) {
        send(new HotSet(++hotEpoch, List.of(ids)), Priority.RELIABLE);
    }

    void send(ClusterMessage m, Priority priority) {
        Connection c = peer;
        if (c == null) {
            throw new IllegalStateException("no pre-executor connected");
        }
        c.send(m.type(), ClusterMessages.encode(m), priority);
    }

    /**
     * Executes one commit with the reference executor and applies it; returns the range update for
     * it (not sent: the test decides).
     */
    synchronized StateUpdate commit(Transaction... txs) {
        Map<ObjectId, StoredObject> written = new LinkedHashMap<>();
        Set<ObjectId> deleted = new LinkedHashSet<>();
        for (Transaction tx : txs) {
            Effects e = reference.execute(tx, state).effects();
            state.apply(e);
            if (e.status().isSuccess()) {
                for (Effects.Written w : e.written()) {
                    written.put(w.object().id(), w.object());
                    deleted.remove(w.object().id());
                }
                for (ObjectId id : e.deleted()) {
                    written.remove(id);
                    deleted.add(id);
                }
            }
        }
        long from = commit;
        commit = from + 1;
        return StateUpdate.range(from, commit, new ArrayList<>(written.values()), new ArrayList<>(deleted));
    }

    @Override
    public void close() {
        server.close();
    }
}
