package io.remora.transport.internal;

/**
 * User event fired by {@link HandshakeHandler} once the peer proved knowledge of the cluster secret.
 *
 * <p>Thread-safety: immutable.
 */
public record HandshakeCompleted(String remoteNodeId) {
}
