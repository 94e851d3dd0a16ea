package io.remora.transport.internal;

import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.Priority;
import io.remora.transport.ProtocolException;
import io.remora.transport.SendResult;
import io.remora.transport.TransportConfig;

/**
 * One end of an in-memory link. Sends copy the payload and enqueue its delivery on the network's
 * deterministic queue. An orderly {@link #close()} still delivers messages sent before it; a simulated
 * failure ({@link #fail}) loses the ones in flight, as a broken TCP link would.
 *
 * <p>Thread-safety: safe for concurrent use; deliveries happen on the thread running
 * {@link InMemoryNetwork#runPending()}.
 */
public final class InMemoryConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(InMemoryConnection.class.getName());

    /** Who owns this end (a server or a client); told when the link goes down. */
    interface Owner {
        void detached(InMemoryConnection connection);
    }

    private final InMemoryNetwork network;
    private final TransportConfig config;
    private final String address;
    private final String remoteNodeId;
    private final MessageListener messages;
    private final ConnectionListener listener;
    private final int id;
    private InMemoryConnection peer;
    private Owner owner;
    private volatile boolean open = true;
    private volatile boolean broken;
    private volatile boolean disconnected;

    InMemoryConnection(InMemoryNetwork network, TransportConfig config, String address, String remoteNodeId,
                       MessageListener messages, ConnectionListener listener) {
        this.network = network;
        this.config = config;
        this.address = address;
        this.remoteNodeId = remoteNodeId;
        this.messages = messages;
        this.listener = listener;
        this.id = network.nextConnectionId();
    }

    /** The creation order: links created in the same order hash alike in every run. */
    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    void pair(InMemoryConnection other) {
        this.peer = other;
    }

    void owner(Owner o) {
        this.owner = o;
    }

    Owner owner() {
        return owner;
    }

    ConnectionListener listener() {
        return listener;
    }

    String localNodeId() {
        return config.nodeId();
    }

    @Override
    public String remoteNodeId() {
        return remoteNodeId;
    }

    @Override
    public String remoteAddress() {
        return address;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isWritable() {
        return open && !network.dropsSpeculative();
    }

    @Override
    public SendResult send(int type, byte[] payload, int offset, int length, Priority priority) {
        NettyConnection.checkArguments(type, length, config.maxPayloadSize());
        java.util.Objects.checkFromIndexSize(offset, length, payload.length);
        if (!open) {
            return SendResult.CLOSED;
        }
        if (priority == Priority.SPECULATIVE && network.dropsSpeculative()) {
            network.metrics().speculativeDrop();
            return SendResult.DROPPED_BACKPRESSURE;
        }
        byte[] copy = java.util.Arrays.copyOfRange(payload, offset, offset + length);
        network.metrics().frameOut(FrameCodec.HEADER_SIZE + length);
        InMemoryConnection to = peer;
        network.dispatch(io.remora.transport.InMemoryTransport.Kind.MESSAGE, config.nodeId(), remoteNodeId, type,
                () -> to.receive(type, copy));
        return SendResult.SENT;
    }

    private void receive(int type, byte[] body) {
        if (broken || disconnected) {
            return;
        }
        network.metrics().frameIn(FrameCodec.HEADER_SIZE + body.length);
        try {
            messages.onMessage(this, type, java.nio.ByteBuffer.wrap(body).asReadOnlyBuffer());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "message listener failed", e);
        }
    }

    @Override
    public void heartbeatNow() {
        sendHeartbeat();
    }

    void sendHeartbeat() {
        if (!open) {
            return;
        }
        byte[] body = config.heartbeatPayload().get();
        InMemoryConnection to = peer;
        network.dispatch(io.remora.transport.InMemoryTransport.Kind.HEARTBEAT, config.nodeId(), remoteNodeId, 0, () -> {
            if (!to.broken && !to.disconnected) {
                to.listener.onHeartbeat(to, java.nio.ByteBuffer.wrap(body).asReadOnlyBuffer());
            }
        });
    }

    @Override
    public void close() {
        terminate(null, false);
    }

    /** Simulates a broken link: both ends see {@code cause}; messages in flight are lost. */
    void fail(ProtocolException cause) {
        terminate(cause, true);
    }

    private void terminate(ProtocolException cause, boolean lose) {
        synchronized (network) {
            if (!open) {
                return;
            }
            open = false;
            peer.open = false;
            if (lose) {
                broken = true;
                peer.broken = true;
            }
        }
        network.dispatch(io.remora.transport.InMemoryTransport.Kind.DISCONNECT, config.nodeId(), remoteNodeId, 0,
                () -> disconnected(cause));
        InMemoryConnection other = peer;
        network.dispatch(io.remora.transport.InMemoryTransport.Kind.DISCONNECT, remoteNodeId, config.nodeId(), 0,
                () -> other.disconnected(cause));
    }

    private void disconnected(ProtocolException cause) {
        disconnected = true;
        try {
            listener.onDisconnected(this, cause);
        } finally {
            network.linkClosed(this);
        }
    }

    @Override
    public String toString() {
        return "InMemoryConnection{" + remoteNodeId + "@" + address + '}';
    }
}
