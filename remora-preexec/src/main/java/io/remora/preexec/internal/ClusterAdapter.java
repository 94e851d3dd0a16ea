package io.remora.preexec.internal;

import io.remora.core.Transaction;
import io.remora.core.codec.CodecException;
import io.remora.core.protocol.ClusterMessage;
import io.remora.core.protocol.ClusterMessages;
import io.remora.core.protocol.Committed;
import io.remora.core.protocol.Execute;
import io.remora.core.protocol.HotSet;
import io.remora.core.protocol.LeaseEnd;
import io.remora.core.protocol.LeaseExecute;
import io.remora.core.protocol.LeaseGrant;
import io.remora.core.protocol.ObjectResponse;
import io.remora.core.protocol.SnapshotChunk;
import io.remora.core.protocol.StateUpdate;
import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.ProtocolException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.nio.ByteBuffer;

/**
 * Receives the primary's messages on the transport's I/O thread and decodes them: EXECUTE goes to
 * the {@link ExecutionScheduler} (never blocks), state messages to the state thread, lease messages
 * to the {@link LeaseExecutor}'s thread. A payload
 * that fails to decode, or a message of the wrong direction, is counted and dropped.
 *
 * <p>Thread-safety: called by the transport, one message at a time per connection.
 */
public final class ClusterAdapter implements MessageListener, ConnectionListener {
    private final ExecutionScheduler scheduler;
    private final StateSync sync;
    private final Executor stateThread;
    private final Counters counters;
    private final LeaseExecutor lease;

    public ClusterAdapter(ExecutionScheduler scheduler, StateSync sync, Executor stateThread, Counters counters,
                          LeaseExecutor lease) {
        this.lease = lease;
        this.scheduler = scheduler;
        this.sync = sync;
        this.stateThread = stateThread;
        this.counters = counters;
    }

    @Override
    public void onMessage(Connection connection, int type, ByteBuffer payload) {
        ClusterMessage m;
        try {
            m = ClusterMessages.decode(type, payload, 0, payload.capacity());
        } catch (CodecException e) {
            counters.decodeError();
            return;
        }
        switch (m) {
            case Execute x -> {
                for (Transaction tx : x.transactions()) {
                    scheduler.submit(tx);
                }
            }
            case StateUpdate u -> onStateThread(() -> sync.onUpdate(u));
            case SnapshotChunk c -> onStateThread(() -> sync.onChunk(c));
            case HotSet h -> onStateThread(() -> sync.onHotSet(h));
            case ObjectResponse o -> onStateThread(() -> sync.onObjects(o));
            case Committed c -> scheduler.onCommitted(c);
            case LeaseGrant g -> lease.onGrant(g);
            case LeaseExecute x -> lease.onExecute(x);
            case LeaseEnd e -> lease.onEnd(e);
            default -> counters.decodeError(); // a message the primary does not send
        }
    }

    @Override
    public void onConnected(Connection connection) {
        lease.onConnected();
        onStateThread(sync::onConnected);
    }

    @Override
    public void onDisconnected(Connection connection, ProtocolException cause) {
        // The client reconnects by itself; onConnected then resyncs.
    }

    private void onStateThread(Runnable r) {
        try {
            stateThread.execute(r);
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }
}
