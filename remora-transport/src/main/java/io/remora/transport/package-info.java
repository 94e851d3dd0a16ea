/**
 * Remora transport: framed, authenticated, back-pressured links between the primary and its
 * pre-executors, payload-agnostic (no dependency on remora-core).
 *
 * <p>Entry points: {@link io.remora.transport.Transport#netty()} (TCP) and
 * {@link io.remora.transport.InMemoryTransport} (deterministic tests), both configured by a validated
 * {@link io.remora.transport.TransportConfig}.
 *
 * <h2>Threads and queues (Netty transport)</h2>
 * <pre>
 *  app threads ──send()──► encode into pooled ByteBuf ──► [event-loop task queue] ──┐
 *     (SPECULATIVE dropped if !isWritable;                                          │
 *      RELIABLE closes the link past reliableQueueLimitBytes)                       ▼
 *                                       I/O thread (one per connection, ioThreads per server/client)
 *  socket ◄── OutboundCounter ◄── FlushConsolidation ◄── [ChannelOutboundBuffer: water marks]
 *  socket ──► FrameDecoder ──► HandshakeHandler ──► HeartbeatHandler ──► ConnectionHandler
 *             (strict, size     (gate: drops &       (tick every          (releases every frame;
 *              limits)           closes until auth)   interval: send HB,   MessageListener /
 *                                                     count silence vs     ConnectionListener,
 *                                                     negotiated limit)    on the I/O thread)
 * </pre>
 * Listener callbacks run on the connection's I/O thread and must not block; a host that needs to do
 * real work copies the payload and hands it to its own queue. Every inbound {@code ByteBuf} is released
 * by the handler that consumes it (HandshakeHandler before authentication, ConnectionHandler after);
 * every outbound one is owned by Netty from the moment it is written.
 *
 * <h2>In-memory transport</h2>
 * Sends copy the payload into a single FIFO that runs only inside
 * {@link io.remora.transport.InMemoryTransport#runPending()}, on the caller's thread.
 */
package io.remora.transport;
