package io.remora.transport.internal;

import io.remora.transport.Connection;
import io.remora.transport.ConnectionListener;
import io.remora.transport.InMemoryTransport;
import io.remora.transport.MessageListener;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.TransportConfig;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * State of an in-memory network: bound servers, live links and a FIFO of pending deliveries that
 * runs only when the test calls {@link #runPending()}, on the calling thread, so every run is
 * deterministic. Secrets are checked like the real handshake (constant-time); a mismatch counts an
 * auth failure and the client keeps waiting.
 *
 * <p>Thread-safety: safe for concurrent use; state is guarded by {@code this}; callbacks run outside
 * the lock, from {@link #runPending()} only.
 */
public final class InMemoryNetwork {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Map<String, InMemoryServer> servers = new HashMap<>();
    private final List<InMemoryClient> clients = new ArrayList<>();
    private final List<InMemoryConnection> live = new ArrayList<>();
    private final MetricsCounters metrics = new MetricsCounters();
    private final InMemoryTransport.Dispatcher dispatcher;
    private int nextPort = 40_000;
    private int nextConnectionId;
    private volatile boolean dropSpeculative;

    /** {@code dispatcher}: where events go; null = this network's own FIFO, run by {@link #runPending()}. */
    public InMemoryNetwork(InMemoryTransport.Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    public MetricsCounters metrics() {
        return metrics;
    }

    /** Queues a task on this network's FIFO (run by {@link #runPending()}). */
    public synchronized void enqueue(Runnable task) {
        tasks.addLast(task);
    }

    /** Hands an event to the dispatcher, or queues it on the FIFO when there is none. */
    void dispatch(InMemoryTransport.Kind kind, String from, String to, int type, Runnable task) {
        if (dispatcher == null) {
            enqueue(task);
        } else {
            dispatcher.dispatch(new InMemoryTransport.Delivery(kind, from, to, type, task));
        }
    }

    /** A connection id in creation order (deterministic hash codes, so maps of links iterate alike). */
    synchronized int nextConnectionId() {
        return nextConnectionId++;
    }

    /** Runs queued deliveries (and those they cause) until none is left; returns how many ran. */
    public int runPending() {
        int ran = 0;
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.pollFirst();
            }
            if (next == null) {
                return ran;
            }
            next.run();
            ran++;
        }
    }

    public void dropSpeculative(boolean drop) {
        dropSpeculative = drop;
    }

    boolean dropsSpeculative() {
        return dropSpeculative;
    }

    public synchronized InMemoryServer bind(TransportConfig config, String host, int port, MessageListener messages,
                                            ConnectionListener listener) {
        requireClusterSecret(config);
        int actual = port == 0 ? nextPort++ : port;
        String address = host + ":" + actual;
        if (servers.containsKey(address)) {
            throw new IllegalStateException("address in use: " + address);
        }
        InMemoryServer server = new InMemoryServer(this, config, address, actual, messages, listener);
        servers.put(address, server);
        for (InMemoryClient c : clients) {
            if (c.address().equals(address)) {
                dispatch(InMemoryTransport.Kind.CONNECT, c.config().nodeId(), address, 0, () -> tryConnect(c));
            }
        }
        return server;
    }

    synchronized void unbind(InMemoryServer server) {
        servers.remove(server.address(), server);
    }

    public synchronized InMemoryClient connect(TransportConfig config, String host, int port,
                                               MessageListener messages, ConnectionListener listener) {
        InMemoryClient client = new InMemoryClient(this, config, host + ":" + port, messages, listener);
        clients.add(client);
        dispatch(InMemoryTransport.Kind.CONNECT, config.nodeId(), client.address(), 0, () -> tryConnect(client));
        return client;
    }

    synchronized void forget(InMemoryClient client) {
        clients.remove(client);
    }

    /** Links the client to its server if both are up and the secrets match. */
    void tryConnect(InMemoryClient client) {
        InMemoryConnection clientSide;
        InMemoryConnection serverSide;
        InMemoryServer server;
        synchronized (this) {
            server = servers.get(client.address());
            if (client.isClosed() || client.hasConnection() || server == null) {
                return;
            }
            if (!MessageDigest.isEqual(client.config().nodeKey(), io.remora.transport.TransportConfig.deriveNodeKey(
                    server.config().clusterSecret(), client.config().nodeId()))) {
                metrics.protocolError(Category.HANDSHAKE_FAILED);
                return;
            }
            clientSide = new InMemoryConnection(this, client.config(), "mem:" + client.address(),
                server.config().nodeId(), client.messages(), client.listener());
            serverSide = new InMemoryConnection(this, server.config(), "mem:" + client.config().nodeId(),
                client.config().nodeId(), server.messages(), server.listener());
            clientSide.pair(serverSide);
            serverSide.pair(clientSide);
            live.add(clientSide);
            live.add(serverSide);
            client.attach(clientSide);
            server.attach(serverSide);
            metrics.connectionOpened();
            metrics.connectionOpened();
        }
        serverSide.listener().onConnected(serverSide);
        clientSide.listener().onConnected(clientSide);
    }

    /** Breaks every live link whose local or remote node id matches ({@code null} = all). */
    public void disconnect(String nodeId) {
        List<InMemoryConnection> victims = new ArrayList<>();
        synchronized (this) {
            for (InMemoryConnection c : live) {
                if (nodeId == null || nodeId.equals(c.remoteNodeId()) || nodeId.equals(c.localNodeId())) {
                    victims.add(c);
                }
            }
        }
        for (InMemoryConnection c : victims) {
            c.fail(new ProtocolException(Category.IO_ERROR, "simulated disconnect"));
        }
    }

    /** Delivers one heartbeat from every live endpoint to its peer (payload from the sender's config). */
    public void heartbeat() {
        List<InMemoryConnection> all;
        synchronized (this) {
            all = List.copyOf(live);
        }
        for (InMemoryConnection c : all) {
            c.sendHeartbeat();
        }
    }

    /** Called when a link goes down: forget it and let its owner react (clients reconnect). */
    void linkClosed(InMemoryConnection c) {
        synchronized (this) {
            live.remove(c);
        }
        c.owner().detached(c);
    }

    synchronized List<Connection> liveOf(Object owner) {
        List<Connection> out = new ArrayList<>();
        for (InMemoryConnection c : live) {
            if (c.owner() == owner) {
                out.add(c);
            }
        }
        return out;
    }

    private static void requireClusterSecret(io.remora.transport.TransportConfig config) {
        if (!config.hasClusterSecret()) {
            throw new IllegalArgumentException("clusterSecret=null (expected: the cluster secret: a server derives "
                    + "each client's node key from it)");
        }
    }
}
