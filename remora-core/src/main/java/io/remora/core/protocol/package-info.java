/**
 * The cluster protocol between the primary and its pre-executors: message payloads and their codecs
 * ({@link io.remora.core.protocol.ClusterMessages}). Transport-agnostic: the transport carries each
 * payload under its message type and authenticates the peer.
 */
package io.remora.core.protocol;
