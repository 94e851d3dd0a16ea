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
 * <p>A simulator takes over the queue with {@link #InMemoryTransport(Dispatcher)}: every event
 * (connect attempt, message, heartbeat, disconnect notice) goes to its {@link Dispatcher}, which
 * may run it at once, later (in virtual time), twice or never; {@link #runPending()} then runs only
 * what the dispatcher put back on the default queue.
 *
 * <p>Thread-safety: safe for concurrent use; callbacks run only inside {@link #runPending()}.
 */
public final class InMemoryTransport implements Transport {
    private final InMemoryNetwork network;

    /** A new network with nothing bound; events run in FIFO order inside {@link #runPending()}. */
    public InMemoryTransport() {
        network = new InMemoryNetwork(null);
    }

    /** A new network whose every event goes to {@code dispatcher} (a simulator's fault model). */
    public InMemoryTransport(Dispatcher dispatcher) {
        network = new InMemoryNetwork(java.util.Objects.requireNonNull(dispatcher, "dispatcher"));
    }

    /** The kinds of events on an in-memory network. */
    public enum Kind {
        /** A client's attempt to link to its server ({@code to} is the server's {@code host:port}). */
        CONNECT,
        /** A message from {@code from}'s end of a link to {@code to}'s. */
        MESSAGE,
        /** A heartbeat from {@code from}'s end of a link to {@code to}'s. */
        HEARTBEAT,
        /** {@code from}'s end of a link learns that the link is down ({@code to}: the other end). */
        DISCONNECT
    }

    /**
     * One event of the network: {@code run} performs it (a message is delivered if the link is still
     * up when it runs). {@code type} is the message type, 0 for other kinds.
     */
    public record Delivery(Kind kind, String from, String to, int type, Runnable run) {
    }

    /** Decides when, and how often, each event happens (at once, later, twice, never). */
    @FunctionalInterface
    public interface Dispatcher {
        /** Called on the thread that caused the event; must not block. */
        void dispatch(Delivery delivery);
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
