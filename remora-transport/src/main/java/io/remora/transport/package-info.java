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
 *  app threads ──send()──► encode into pooled ByteBuf ──► [send queue, MPSC, per connection] ──┐
 *     (SPECULATIVE dropped if !isWritable;        first frame of a batch: ONE drain task ──────┤
 *      RELIABLE closes the link past                (after sendLinger, or at once past 64 KiB)  ▼
 *      reliableQueueLimitBytes; both count     I/O thread (one per connection, ioThreads per server/client):
 *      the queued bytes)                       drain: write every queued frame, flush once
 *  socket ◄── OutboundCounter ◄── FrameProtector (one record per flush) ◄── FlushConsolidation
 *         ◄── [ChannelOutboundBuffer: water marks] ◄── drain (a send on the I/O thread: at once, after the queue)
 *  socket ──► FrameDecoder ──► HandshakeHandler ──► HeartbeatHandler ──► ConnectionHandler
 *             (strict, size     (gate: drops &       (tick every          (releases every frame;
 *              limits)           closes until auth)   interval: send HB,   MessageListener /
 *                                                     count silence vs     ConnectionListener,
 *                                                     negotiated limit)    on the I/O thread)
 * </pre>
 * Listener callbacks run on the connection's I/O thread and must not block; a host that needs to do
 * real work copies the payload and hands it to its own queue. Every inbound {@code ByteBuf} is released
 * by the handler that consumes it (HandshakeHandler before authentication, ConnectionHandler after);
 * every outbound one is owned by the connection's send queue ({@code SendBatcher}, which writes or
 * releases it) and by Netty from the moment it is written.
 *
 * <h2>In-memory transport</h2>
 * Sends copy the payload into a single FIFO that runs only inside
 * {@link io.remora.transport.InMemoryTransport#runPending()}, on the caller's thread.
 */
package io.remora.transport;
