package io.remora.transport.internal;

import io.remora.transport.FrameProtection;

/**
 * User event fired by {@link HandshakeHandler} once the peer proved knowledge of the key of the node
 * id it claims. {@code peerHeartbeatMillis} is the heartbeat interval the peer announced in its
 * HELLO/CHALLENGE (MAC-protected, 1 ms..1 h); {@link HeartbeatHandler} derives its liveness deadline
 * from it. {@code protection} is what protects every later frame (the stronger of the two announced).
 *
 * <p>Thread-safety: immutable.
 */
public record HandshakeCompleted(String remoteNodeId, long peerHeartbeatMillis, FrameProtection protection) {
}
