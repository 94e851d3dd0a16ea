package io.remora.transport;

import io.remora.transport.internal.InMemoryNetwork;

/**
 * A deterministic in-memory {@link Transport} for tests. Nothing happens until the test calls
 * {@link #runPending()}: connects, deliveries, heartbeats and disconnect notifications are queued in
 * FIFO order and run on the calling thread. Servers bind to {@code host:port} names (port 0 picks one);
 * a client whose cluster secret differs from the server's never connects (an auth failure is counted).
 * Simulations: {@link #disconnect(String)}, {@link #disconnectAll()}, {@link #dropSpeculative(boolean)},
 * {@link #heartbeat()}. Clients reconnect after every disconnect unless closed.
 *
 * <p>Thread-safety: safe for concurrent use; callbacks run only inside {@link #runPending()}.
 */
public final class InMemoryTransport implements Transport {
    private final InMemoryNetwork network = new InMemoryNetwork();

    /** A new network with nothing bound. */
    public InMemoryTransport() {
    }

    @Override
    public TransportServer bind(TransportConfig config, String host, int port, MessageListener messages,
                                ConnectionListener connections) {
        return network.bind(config, host, port, messages, connections);
    }

    @Override
    public TransportClient connect(TransportConfig config, String host, int port, MessageListener messages,
                                   ConnectionListener connections) {
        return network.connect(config, host, port, messages, connections);
    }

    /** Runs every queued event (and those they cause) on this thread; returns how many ran. */
    public int runPending() {
        return network.runPending();
    }

    /** While true, every speculative send is dropped ({@link SendResult#DROPPED_BACKPRESSURE}). */
    public void dropSpeculative(boolean drop) {
        network.dropSpeculative(drop);
    }

    /** Breaks every link to or from {@code nodeId}; in-flight messages are lost, both ends see IO_ERROR. */
    public void disconnect(String nodeId) {
        network.disconnect(nodeId);
    }

    /** Breaks every live link. */
    public void disconnectAll() {
        network.disconnect(null);
    }

    /** Makes every live endpoint send one heartbeat with its configured payload. */
    public void heartbeat() {
        network.heartbeat();
    }

    /** Counters shared by every server and client of this in-memory network. */
    public TransportMetrics metrics() {
        return network.metrics();
    }
}
