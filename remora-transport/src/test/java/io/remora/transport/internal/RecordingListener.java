package io.remora.transport.internal;

import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.MessageListener;
import io.remora.transport.ProtocolException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback; thread-safe. */
public class RecordingListener implements MessageListener, ConnectionListener {
    public record Message(Connection connection, int type, byte[] payload) {
    }

    public final List<Message> messages = new CopyOnWriteArrayList<>();
    public final List<Connection> connected = new CopyOnWriteArrayList<>();
    public final List<ProtocolException> disconnects = new CopyOnWriteArrayList<>();
    public final List<byte[]> heartbeats = new CopyOnWriteArrayList<>();
    public volatile int disconnectCount;

    @Override
    public void onMessage(Connection connection, int type, java.nio.ByteBuffer payload) {
        byte[] copy = new byte[payload.capacity()];
        payload.get(0, copy);
        messages.add(new Message(connection, type, copy));
    }

    @Override
    public void onConnected(Connection connection) {
        connected.add(connection);
    }

    @Override
    public void onDisconnected(Connection connection, ProtocolException cause) {
        if (cause != null) {
            disconnects.add(cause);
        }
        disconnectCount++;
    }

    @Override
    public void onHeartbeat(Connection connection, java.nio.ByteBuffer payload) {
        byte[] copy = new byte[payload.capacity()];
        payload.get(0, copy);
        heartbeats.add(copy);
    }
}
