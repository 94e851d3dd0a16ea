/**
 * Implementation of the transport: frame codec, pipeline handlers, Netty server/client and the
 * in-memory network. Not part of the API; see {@link io.remora.transport} for the thread/queue pipeline.
 */
package io.remora.transport.internal;
