package io.remora.transport.internal;

/**
 * User event fired by {@link HandshakeHandler} once the peer proved knowledge of the cluster secret.
 * {@code peerHeartbeatMillis} is the heartbeat interval the peer announced in its HELLO/CHALLENGE
 * (MAC-protected, 1 ms..1 h); {@link HeartbeatHandler} derives its liveness deadline from it.
 *
 * <p>Thread-safety: immutable.
 */
public record HandshakeCompleted(String remoteNodeId, long peerHeartbeatMillis) {
}
